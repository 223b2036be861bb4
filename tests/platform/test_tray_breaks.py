"""The tray's "Pause sitting breaks for an hour" / "Resume sitting breaks" entry, against a small fake of the
sitting-break service (`TrayBreaks`) that works, hangs (takes the call and never changes or reports) or fails
(raises)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon, QPixmap

from sciatica_coach.core.schedule import ReminderStatus

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from sciatica_coach.platform.tray import Tray

pytestmark = pytest.mark.qt_log_ignore(  # the offscreen platform has no tray; showing the icon only logs that
    "QObject::connect: No such signal QPlatformNativeInterface::systemTrayWindowChanged.*"
)

WORKS, HANGS, FAILS = "works", "hangs", "fails"


class FakeReminders(QObject):
    """Just enough of the reminder service for the tray to be made."""

    status_changed = Signal()
    open_requested = Signal()

    def status(self) -> ReminderStatus:
        return ReminderStatus(next_at=None, snoozed_until=None, paused_today=False)

    def coaching_paused(self) -> bool:
        return False

    def start_now(self) -> None: ...
    def pause_today(self) -> None: ...
    def resume_today(self) -> None: ...


class FakeBreaks(QObject):
    """The sitting-break service as the tray sees it. `mode`: WORKS (a pause starts and ends, and it says so),
    HANGS (the call is taken, nothing changes and nothing is reported) or FAILS (every call raises)."""

    status_changed = Signal()

    def __init__(self, mode: str = WORKS, on: bool = True) -> None:
        super().__init__()
        self.mode = mode
        self.on = on
        self.is_paused = False
        self.calls: list[str] = []

    def breaks_on(self) -> bool:
        return self.on

    def paused(self) -> bool:
        return self.is_paused

    def _change(self, call: str, paused: bool) -> None:
        self.calls.append(call)
        if self.mode == FAILS:
            raise RuntimeError(f"{call} failed")
        if self.mode == WORKS:
            self.is_paused = paused
            self.status_changed.emit()

    def pause_for_hour(self) -> None:
        self._change("pause", True)

    def resume(self) -> None:
        self._change("resume", False)

    def switch(self, on: bool) -> None:
        """As when the person switches breaks on or off in Settings (a pause ends then too)."""
        self.on = on
        self.is_paused = False
        self.status_changed.emit()


@pytest.fixture
def tray(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tray]:
    from sciatica_coach.platform.tray import Tray

    pixmap = QPixmap(16, 16)
    pixmap.fill()
    monkeypatch.setattr("PySide6.QtWidgets.QApplication.windowIcon", lambda *_a: QIcon(pixmap))
    reminders = FakeReminders()
    made = Tray(reminders)
    yield made
    made.icon.hide()
    made.menu.deleteLater()


def entries(tray: Tray) -> list[str]:
    """The menu's entries as the person sees them (visible ones only)."""
    return [
        action.text() for action in tray.menu.actions() if action.isVisible() and not action.isSeparator()
    ]


def test_no_entry_until_breaks_run_and_only_while_they_are_on(tray: Tray) -> None:
    assert "Pause sitting breaks for an hour" not in entries(tray)  # no sitting breaks known yet
    breaks = FakeBreaks(on=False)
    tray.set_breaks(breaks)
    assert not tray.breaks_action.isVisible()
    breaks.switch(True)
    assert (
        entries(tray)[entries(tray).index("Pause reminders for today") + 1]
        == "Pause sitting breaks for an hour"
    )
    breaks.switch(False)
    assert "Pause sitting breaks for an hour" not in entries(tray)


def test_pause_and_resume_through_a_working_service(tray: Tray) -> None:
    breaks = FakeBreaks(WORKS)
    tray.set_breaks(breaks)
    tray.breaks_action.trigger()
    assert breaks.calls == ["pause"] and breaks.is_paused
    assert tray.breaks_action.text() == "Resume sitting breaks"
    tray.breaks_action.trigger()
    assert breaks.calls == ["pause", "resume"] and not breaks.is_paused
    assert tray.breaks_action.text() == "Pause sitting breaks for an hour"
    # a pause ended elsewhere (Settings' "Resume now", or the hour is over): the menu follows the service
    breaks.is_paused = True
    breaks.status_changed.emit()
    assert tray.breaks_action.text() == "Resume sitting breaks"
    breaks.switch(False)  # switched off while paused: no entry
    assert not tray.breaks_action.isVisible()
    tray.breaks_action.trigger()  # (a stale click from a menu still open does nothing)
    assert breaks.calls == ["pause", "resume"]


def test_a_hanging_service_leaves_the_menu_saying_what_is_true(tray: Tray) -> None:
    breaks = FakeBreaks(HANGS)
    tray.set_breaks(breaks)
    tray.breaks_action.trigger()
    assert breaks.calls == ["pause"]
    assert tray.breaks_action.text() == "Pause sitting breaks for an hour"  # not paused: not "Resume"


def test_a_failing_service_is_logged_and_the_menu_carries_on(
    tray: Tray, caplog: pytest.LogCaptureFixture
) -> None:
    breaks = FakeBreaks(FAILS)
    tray.set_breaks(breaks)
    tray.breaks_action.trigger()  # would fail the test (qt_default_raising) if the error escaped the slot
    assert breaks.calls == ["pause"]
    assert "Could not pause or resume sitting breaks" in caplog.text
    assert tray.breaks_action.text() == "Pause sitting breaks for an hour" and tray.breaks_action.isVisible()


def test_a_second_service_replaces_the_first(tray: Tray) -> None:
    first, second = FakeBreaks(), FakeBreaks(on=False)
    tray.set_breaks(first)
    tray.set_breaks(second)
    assert not tray.breaks_action.isVisible()
    first.is_paused = True
    first.status_changed.emit()  # the old one is no longer listened to
    assert not tray.breaks_action.isVisible()


@pytest.mark.parametrize("paused", [False, True])
def test_the_entry_is_german_in_german(tray: Tray, paused: bool) -> None:
    from sciatica_coach import i18n

    i18n.set_language("de")  # (the fixture resets the language after the test)
    breaks = FakeBreaks()
    breaks.is_paused = paused
    tray.set_breaks(breaks)
    text = tray.breaks_action.text()
    assert text == i18n._("Resume sitting breaks" if paused else "Pause sitting breaks for an hour")
    assert text not in ("Resume sitting breaks", "Pause sitting breaks for an hour")
