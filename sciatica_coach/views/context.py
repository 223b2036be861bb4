"""What every page is handed: the repository, the clock and the app-wide change signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from sciatica_coach.core.clock import Clock, SystemClock
from sciatica_coach.storage.repository import Repository


class AppContext(QObject):
    """Shared by all views. Pages listen to `sessions_changed` / `settings_changed` to refresh themselves."""

    sessions_changed = Signal()
    settings_changed = Signal()
    routine_changed = Signal()
    start_session_requested = Signal()

    def __init__(self, repo: Repository, clock: Clock | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.repo = repo
        self.clock: Clock = clock or SystemClock()
