"""The sitting breaks against a real X server: the real service with the real X11 idle monitor on a private
Xvfb, real input from xdotool. Computer-use time is stepped on a fake clock (half an hour can't be waited for);
the idle readings are the X server's own, so a natural break is shortened to 2 s of real idleness.

A break comes due after the interval of real activity; a pause of input resets the count; with input again a
new stretch starts. Skips with the reason when Xvfb or xdotool is missing (Debian: xvfb xdotool)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sciatica_coach.core.sitting import Movement, Phase
from sciatica_coach.services.sitting_breaks import SittingBreakService
from sciatica_coach.storage.repository import Repository
from tests.helpers import FakeClock
from tests.platform.test_idle_x11 import display, idle_s, wait_for, xdotool, xvfb  # noqa: F401 (fixtures)
from tests.test_reminders_service import FakeTimer
from tests.test_sitting_breaks_service import MONDAY_9

pytestmark = pytest.mark.xvfb

NATURAL_BREAK_S = 2.0  # real seconds without input that count as getting up (5 minutes in the app)


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repository]:
    repo = Repository.open(tmp_path / "data")
    repo.set_setting("sitting_breaks_on", True)
    yield repo
    repo.close()


def look(qtbot, service: SittingBreakService) -> None:  # type: ignore[no-untyped-def]
    """One look: the X server's reading arrives from the event loop."""
    service.look()
    qtbot.wait(30)


def test_real_activity_brings_a_break_and_a_real_pause_resets_the_count(
    qtbot,  # type: ignore[no-untyped-def]
    repo: Repository,
    display: dict[str, str],  # noqa: F811
) -> None:
    clock = FakeClock(MONDAY_9)
    service = SittingBreakService(
        repo, clock, timer_factory=FakeTimer, natural_break_s=NATURAL_BREAK_S, full_screen=lambda: False
    )
    due: list[Movement] = []
    service.break_due.connect(due.append)
    service.start()
    assert service.monitor_kind is not None and service.monitor_kind.startswith("X11")
    for minute in range(31):  # half an hour of use: real input before each look, a minute on the fake clock
        xdotool(display, "mousemove", str(20 + minute * 5), "40")
        clock.advance(60)
        look(qtbot, service)
        if minute < 29:
            assert service.status().phase is Phase.SITTING, f"minute {minute}"
    assert due == [Movement.WALK]
    service.skip()
    xdotool(display, "mousemove", "300", "300")
    clock.advance(600)
    look(qtbot, service)
    assert service.status().sitting_s == pytest.approx(600, abs=5)  # the new stretch after skipping

    wait_for(lambda: idle_s() >= NATURAL_BREAK_S + 0.2, "a real pause of input")
    look(qtbot, service)
    assert service.status().phase is Phase.AWAY  # a natural break: the count starts afresh

    xdotool(display, "key", "shift")
    clock.advance(60)
    look(qtbot, service)
    status = service.status()
    assert status.phase is Phase.SITTING and status.sitting_s < 60
    service.stop()
