"""Shared fakes for the tests: a clock that only moves when a test moves it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


class FakeClock:
    """Wall and monotonic time that advance together, by hand. `jump_wall` moves only the wall clock
    (a clock change); `sleep_machine` moves the wall clock while the monotonic one stands still (suspend)."""

    def __init__(self, start: datetime | None = None, zone: str = "Europe/London") -> None:
        self._wall = start or datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo(zone))
        self._mono = 1000.0

    def now(self) -> datetime:
        return self._wall

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        self._wall = self._wall + timedelta(seconds=seconds)
        self._mono += seconds

    def jump_wall(self, seconds: float) -> None:
        self._wall = self._wall + timedelta(seconds=seconds)

    def sleep_machine(self, seconds: float) -> None:
        self.jump_wall(seconds)
