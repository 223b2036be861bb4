"""Time as the core sees it: a wall clock and a monotonic clock, injected so tests can step them."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, tzinfo
from functools import cache
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class Clock(Protocol):
    """What the core asks of time. Real code passes SystemClock; tests pass a fake they advance by hand."""

    def now(self) -> datetime:
        """The current local wall time, aware, ideally in a named zone (so DST changes are known)."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never jumps (it may stop while the machine sleeps)."""
        ...


def _zone_name_from_system() -> str | None:
    tz_env = os.environ.get("TZ", "").lstrip(":")
    if tz_env and "/" in tz_env:
        return tz_env
    localtime = Path("/etc/localtime")
    try:
        target = str(localtime.resolve())
    except OSError:
        return None
    marker = "zoneinfo/"
    if marker in target:
        return target.split(marker, 1)[1]
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        return timezone_file.read_text().strip() or None
    return None


@cache
def local_zone() -> tzinfo:
    """The machine's named time zone where it can be found (Linux, macOS), else its current fixed offset.

    Cached: call `local_zone.cache_clear()` when the system reports a time-zone change."""
    name = _zone_name_from_system()
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    fixed = datetime.now().astimezone().tzinfo
    assert fixed is not None
    return fixed


class SystemClock:
    """The real clocks."""

    def now(self) -> datetime:
        return datetime.now(local_zone())

    def monotonic(self) -> float:
        return time.monotonic()


class ManualClock:
    """Wall and monotonic time that stand still until told to move, together (`advance`). For screenshots,
    benchmarks and tests, whose results must not depend on when they run."""

    def __init__(self, start: datetime, monotonic_start: float = 1000.0) -> None:
        self._wall = start
        self._mono = monotonic_start

    def now(self) -> datetime:
        return self._wall

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        self._wall += timedelta(seconds=seconds)
        self._mono += seconds
