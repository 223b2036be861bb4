"""The system clock reports time in a named zone when the system names one, so DST changes are known."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from sciatica_coach.core.clock import SystemClock, local_zone


def test_tz_environment_variable_names_the_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    assert local_zone() == ZoneInfo("America/New_York")
    assert SystemClock().now().tzinfo == ZoneInfo("America/New_York")


def test_unknown_zone_falls_back_to_a_fixed_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Nowhere/Atlantis")
    monkeypatch.setattr("sciatica_coach.core.clock.Path.resolve", lambda self: self)
    zone = local_zone()
    assert not isinstance(zone, ZoneInfo)
    assert SystemClock().now().utcoffset() is not None
