"""What a reminder notice says: how long today's session really takes (not a fixed "about 10 minutes"), why
a reminder was missed (the app closed, or the computer asleep / its clock changed while it ran), and the
time of day as the person's locale writes it, the same on the notice, Today, the tray and the Reminders page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.engine import planned_duration_s
from sciatica_coach.core.model import Phase
from sciatica_coach.core.schedule import Due, DueKind, ReminderScheduler
from sciatica_coach.platform import locale_support
from sciatica_coach.platform.notifications import notice_text
from sciatica_coach.services.plans import save_routine
from sciatica_coach.services.reminders import ReminderService
from sciatica_coach.services.routines import routine_for_today
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.context import AppContext
from tests.helpers import FakeClock, fake_services
from tests.test_reminders_service import FakeTimer, plan_of

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_0759 = datetime(2026, 3, 2, 7, 59, 30, tzinfo=BERLIN)


def service_on(repo: Repository, clock: FakeClock) -> tuple[ReminderService, list[Due]]:
    service = ReminderService(repo, clock, timer_factory=FakeTimer, zone_fingerprint=lambda: "Berlin")
    shown: list[Due] = []
    service.reminder_due.connect(shown.append)
    service.missed_notice.connect(shown.append)
    return service, shown


# ---- the session's length -----------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "words"), [("en", "about {n} minutes"), ("de", "etwa {n} Minuten")])
def test_the_notice_says_how_long_todays_session_takes(data_dir: Path, language: str, words: str) -> None:
    locale_support.apply_language(language)
    repo = Repository.open(data_dir)
    save_routine(repo, load_catalogue().default_routine(Phase.STRENGTH))
    repo.set_setting("get_ready_s", 60)
    clock = FakeClock(MONDAY_0759)
    service, shown = service_on(repo, clock)
    service.start()
    clock.advance(60)
    service.check()
    expected_s = planned_duration_s(
        routine_for_today(repo, load_catalogue(), clock.now().date()), first_get_ready_s=60
    )
    minutes = round(expected_s / 60)
    assert minutes != 10, "a routine whose length is not the old fixed hint"
    _title, body = service.notice_words(shown[0])
    assert words.format(n=minutes) in body
    assert "10" not in body.replace(locale_support.clock_time(time(8, 0)), "")


def test_the_notice_and_today_give_the_same_length(qtbot: QtBot, data_dir: Path) -> None:
    from sciatica_coach.views.main_window import MainWindow

    repo = Repository.open(data_dir)
    clock = FakeClock(MONDAY_0759)
    window = MainWindow(AppContext(repo, clock, fake_services()))
    qtbot.addWidget(window)
    QApplication.processEvents()
    service, _shown = service_on(repo, clock)
    _title, body = service.notice_words(Due("08:00", clock.now().date(), clock.now(), DueKind.ON_TIME))
    today_length = window.page("today").duration.text().split(" · ")[0]  # type: ignore[attr-defined]
    assert today_length in body


# ---- why a reminder was missed -------------------------------------------------------------------------


def test_missed_while_the_app_ran_says_asleep_or_clock_changed_not_closed(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    clock = FakeClock(datetime(2026, 3, 2, 7, 0, tzinfo=BERLIN))
    service, shown = service_on(repo, clock)
    service.start()
    clock.sleep_machine(3 * 3600)  # suspended at 07:00, woken at 10:00 (or the clock set forward)
    service.resumed()
    assert [(d.slot, d.kind, d.app_was_running) for d in shown] == [("08:00", DueKind.MISSED, True)]
    _title, body = notice_text(shown[0])
    assert "wasn't running" not in body
    assert "asleep" in body and "clock was changed" in body


def test_missed_while_the_app_was_closed_still_says_so(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    clock = FakeClock(datetime(2026, 3, 2, 7, 0, tzinfo=BERLIN))
    service, _shown = service_on(repo, clock)
    service.start()
    service.stop()  # closed at 07:00, opened at 10:00
    clock.advance(3 * 3600)
    again, _shown = service_on(repo, clock)
    missed = again.start()
    assert missed is not None and not missed.app_was_running
    _title, body = notice_text(missed)
    assert "wasn't running" in body and "asleep" not in body


def test_the_scheduler_tells_the_two_cases_apart() -> None:
    start = datetime(2026, 3, 2, 7, 0, tzinfo=BERLIN)
    running = ReminderScheduler(plan_of("08:00"))
    running.due(start)
    (late,) = running.due(datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN))
    assert late.kind is DueKind.MISSED and late.app_was_running
    closed = ReminderScheduler(plan_of("08:00"))
    missed = closed.missed_on_start(start, datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN))
    assert missed is not None and missed.kind is DueKind.MISSED and not missed.app_was_running
    assert missed == late, "the reason does not make them different notices"


def test_the_missed_words_are_german_too() -> None:
    locale_support.apply_language("de")
    notice = Due("08:00", MONDAY_0759.date(), MONDAY_0759, DueKind.MISSED, app_was_running=True)
    _title, body = notice_text(notice)
    assert "Ruhezustand" in body and "08:00" in body


# ---- one clock for every screen ------------------------------------------------------------------------


@pytest.fixture
def locale_of() -> Callable[[str], None]:
    def use(name: str) -> None:  # as on a system in that locale (the autouse fresh_ui_state puts it back)
        locale_support.reset_language()
        QLocale.setDefault(QLocale(name))

    return use


@pytest.mark.qt_log_ignore(
    "QObject::connect: No such signal QPlatformNativeInterface::systemTrayWindowChanged.*"
)
@pytest.mark.parametrize(
    ("language", "name", "morning", "evening"),
    [("en", "en_US", "8:00\u202fAM", "7:00\u202fPM"), ("de", "de_DE", "08:00", "19:00")],
)
def test_notice_today_tray_and_reminders_page_write_the_time_alike(
    qtbot: QtBot,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    locale_of: Callable[[str], None],
    language: str,
    name: str,
    morning: str,
    evening: str,
) -> None:
    from PySide6.QtGui import QIcon, QPixmap

    from sciatica_coach.platform.tray import Tray
    from sciatica_coach.services.progress_text import event_time
    from sciatica_coach.views.main_window import MainWindow
    from sciatica_coach.views.reminders_page import RemindersPage

    locale_support.apply_language(language)
    locale_of(name)
    pixmap = QPixmap(16, 16)
    pixmap.fill()
    monkeypatch.setattr("PySide6.QtWidgets.QApplication.windowIcon", lambda *_a: QIcon(pixmap))
    repo = Repository.open(data_dir)
    clock = FakeClock(datetime(2026, 3, 2, 12, 0, tzinfo=BERLIN))
    ctx = AppContext(repo, clock, fake_services())  # type: ignore[no-untyped-call]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    QApplication.processEvents()
    today = window.page("today").slots_line.text()  # type: ignore[attr-defined]
    assert f"{morning} " in today and f"{evening}" in today

    service, _shown = service_on(repo, clock)
    service.start()
    _title, body = service.notice_words(Due("08:00", clock.now().date(), clock.now(), DueKind.ON_TIME))
    assert morning in body
    _title, body = notice_text(Due("19:00", clock.now().date(), clock.now(), DueKind.MISSED))
    assert evening in body

    holder = QMainWindow()
    qtbot.addWidget(holder)
    tray = Tray(service, holder)
    try:
        assert tray.next_action.text().endswith(evening)
    finally:
        tray.icon.hide()

    page = window.page("reminders")
    assert isinstance(page, RemindersPage)
    preview = page.preview.text() + "\n" + page.preview.accessibleDescription()
    assert evening in preview and morning in preview
    assert (" 19:00" in preview) == (evening == "19:00")
    assert event_time(datetime(2026, 3, 2, 19, 0, tzinfo=BERLIN), BERLIN).endswith(evening)
