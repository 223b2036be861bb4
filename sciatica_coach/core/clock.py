"""Time as the core sees it: a wall clock and a monotonic clock, injected so tests can step them."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """What the core asks of time. Real code passes SystemClock; tests pass a fake they advance by hand."""

    def now(self) -> datetime:
        """The current local wall time, timezone-aware."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never jumps (it may stop while the machine sleeps)."""
        ...


class SystemClock:
    """The real clocks."""

    def now(self) -> datetime:
        return datetime.now().astimezone()

    def monotonic(self) -> float:
        return time.monotonic()
