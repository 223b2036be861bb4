"""Starting the app: in the background (at login) no window is built until the person asks for one."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sciatica_coach import app as app_module
from sciatica_coach.platform import notifications
from sciatica_coach.services.reminders import ReminderService
from sciatica_coach.views.main_window import MainWindow


class FakeDesktopNotifier(QObject):
    action_invoked = Signal(str)
    kind = "desktop notifications"

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[object] = []

    def notify(self, notice: object) -> None:
        self.shown.append(notice)

    def withdraw(self) -> None:
        pass

    def set_words(self, words: object) -> None:
        pass


def main_windows() -> list[MainWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]


@pytest.fixture
def no_signal_handlers(monkeypatch: pytest.MonkeyPatch) -> None:
    """run_gui installs SIGTERM/SIGINT handlers for the real app; keep the test process's own."""
    monkeypatch.setattr(signal, "signal", lambda *_a: None)
    monkeypatch.setattr(signal, "set_wakeup_fd", lambda *_a, **_k: -1)


def test_background_start_waits_without_a_window_then_opens_on_request(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch, no_signal_handlers: None
) -> None:
    notifier = FakeDesktopNotifier()
    monkeypatch.setattr(notifications, "create_notifier", lambda **_kw: notifier)
    services: list[ReminderService] = []
    original = app_module.install_reminders

    def capture(*args: object) -> ReminderService:
        services.append(original(*args))  # type: ignore[arg-type]
        return services[-1]

    monkeypatch.setattr(app_module, "install_reminders", capture)
    before = set(main_windows())
    seen: dict[str, object] = {}

    def while_running() -> None:
        seen["windows at start"] = len(set(main_windows()) - before)
        service = services[0] if services else None
        seen["armed"] = service is not None and service.status().next_at is not None
        if service is not None:
            service.open_requested.emit()  # "Open" from a notice or the tray
        new = set(main_windows()) - before
        seen["windows after open"] = len(new)
        seen["visible"] = all(w.isVisible() for w in new)
        for window in new:
            window.hide()
            window.deleteLater()
        QApplication.quit()

    QTimer.singleShot(0, while_running)
    assert app_module.run_gui(data_dir, ["sciatica-coach"], background=True) == 0
    assert seen == {"windows at start": 0, "armed": True, "windows after open": 1, "visible": True}


def test_background_start_keeps_a_window_when_nothing_else_can_remind(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch, no_signal_handlers: None
) -> None:
    class Nothing(FakeDesktopNotifier):
        kind = "nothing"

    monkeypatch.setattr(notifications, "create_notifier", lambda **_kw: Nothing())
    before = set(main_windows())
    counted: list[int] = []

    def while_running() -> None:
        new = set(main_windows()) - before
        counted.append(len(new))
        for window in new:
            window.hide()
            window.deleteLater()
        QApplication.quit()

    QTimer.singleShot(0, while_running)
    assert app_module.run_gui(data_dir, ["sciatica-coach"], background=True) == 0
    assert counted == [1]
