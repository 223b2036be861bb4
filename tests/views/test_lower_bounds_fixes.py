"""What the suite found against the oldest versions pyproject allows (packaging/lower_bounds.py): each test
here fails on the old code when run there, and most fail in any Qt.

Times of day: in Qt 6.8 (not 6.11) the C locale's short time format (LANG=C, LANG=C.UTF-8) has seconds, so every
reminder, notice and preview said "08:00:00". locale_support.clock_time now writes hours and minutes only,
whatever the locale's pattern says."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QLocale, QTime
from pytestqt.qtbot import QtBot

from sciatica_coach.platform import locale_support
from sciatica_coach.platform.autostart import XdgAutostart
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.reminders_page import RemindersPage
from tests.helpers import FakeClock

MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.fixture
def c_locale(qapp) -> None:  # type: ignore[no-untyped-def]
    """The app as on a system with LANG=C (the autouse fresh_ui_state puts the system's locale back)."""
    locale_support.reset_language()
    QLocale.setDefault(QLocale.c())


@pytest.mark.usefixtures("c_locale")
def test_clock_time_under_the_c_locale_is_hours_and_minutes() -> None:
    assert locale_support.clock_time(time(8, 0)) == "08:00"
    assert locale_support.clock_time(datetime(2026, 3, 2, 19, 30, 59)) == "19:30"


@pytest.mark.usefixtures("c_locale")
def test_reminders_preview_under_the_c_locale_has_no_seconds(qtbot: QtBot, data_dir: Path) -> None:
    page = RemindersPage(
        AppContext(Repository.open(data_dir), clock=FakeClock(MONDAY_9)), XdgAutostart(command=["sc"])
    )
    qtbot.addWidget(page)
    assert page.preview.text().splitlines()[:2] == ["Today 19:00", "Tomorrow 08:00"]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("HH:mm:ss", "HH:mm"),  # Qt 6.8's C locale
        ("h:mm:ss AP", "h:mm AP"),
        ("H.mm.ss", "H.mm"),
        ("HH:mm:ss.zzz", "HH:mm"),
        ("HH:mm", "HH:mm"),
        ("h:mm\u202fAp", "h:mm\u202fAp"),  # en_US, untouched
        ("HH 'h' mm", "HH 'h' mm"),  # fr_CA: quoted text is kept
        ("H:mm 'Uhr'", "H:mm 'Uhr'"),
    ],
)
def test_seconds_leave_any_time_pattern(pattern: str, expected: str) -> None:
    assert locale_support._without_seconds(pattern) == expected


@pytest.mark.parametrize("name", ["C", "en_US", "en_GB", "de_DE", "fr_CA", "ja_JP", "ar_EG", "fi_FI"])
def test_no_locale_writes_seconds(qapp, name: str) -> None:  # type: ignore[no-untyped-def]
    locale_support.reset_language()
    QLocale.setDefault(QLocale(name))
    with_seconds = QLocale().toString(QTime(8, 5, 42), "ss")  # "42" in the locale's digits
    written = locale_support.clock_time(time(8, 5, 42))
    assert with_seconds not in written, written
