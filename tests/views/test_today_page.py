"""Today: progress through the day, gentle notes, a flare day, the progression card and the start button."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.model import Outcome, PainReport, Phase
from sciatica_coach.platform.locale_support import clock_time
from sciatica_coach.services.plans import active_routine
from sciatica_coach.services.routines import progression_history, stop_for_today
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.today_page import TodayPage
from tests.core.test_progression import session
from tests.helpers import FakeClock, fake_services

TZ = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 16, 12, 0, tzinfo=TZ)


def make(qtbot: QtBot, data_dir: Path, repo: Repository | None = None) -> tuple[MainWindow, TodayPage]:
    window = MainWindow(AppContext(repo or Repository.open(data_dir), FakeClock(NOW), fake_services()))
    qtbot.addWidget(window)
    page = window.page("today")
    assert isinstance(page, TodayPage)
    QApplication.processEvents()  # the exercise list is filled just after the page first shows
    return window, page


def test_fresh_start(qtbot: QtBot, data_dir: Path) -> None:
    _window, page = make(qtbot, data_dir)
    assert page.sessions_line.text() == "0 of 2 sessions done today."
    morning, evening = clock_time(time(8, 0)), clock_time(time(19, 0))  # 8:00 AM under en_US
    assert f"{morning} — to do" in page.slots_line.text()
    assert f"Next reminder: {evening}" in page.slots_line.text()
    assert page.duration.text() == "about 11 minutes · 5 exercises"
    assert page.exercise_grid.count() == 10  # a drawing and a description for each exercise
    assert page.proposal_card.isHidden()


def test_done_sessions_notes_and_flare_day(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    routine = active_routine(repo, load_catalogue())
    morning = replace(session(routine, 0, 8, before=4, after=4), slot="08:00")
    repo.save_session(morning)
    stop_for_today(repo, NOW.date(), "knee-to-chest")
    _window, page = make(qtbot, data_dir, repo)
    assert page.sessions_line.text() == "1 of 2 sessions done today."
    morning, evening = clock_time(time(8, 0)), clock_time(time(19, 0))  # as the page shows them
    assert f"{morning} ✓ done" in page.slots_line.text() and f"{evening} — to do" in page.slots_line.text()
    notes = page.notes.text()
    assert "half the usual repetitions" in notes, "amber pain after the last session is explained"
    assert "Knee to chest is set aside for today" in notes
    assert page.duration.text().endswith("4 exercises"), "its gentler exercise is already in the routine"
    page.flare.click()  # "My pain has flared up": a flare day, excused from the plan (tests/views/test_flare_plan.py)
    assert NOW.date() in repo.excused_days()
    assert page.sessions_line.text().startswith("Today is a flare day")


def test_progression_card_accept_and_decline(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    routine = active_routine(repo, load_catalogue())
    for days_ago in (3, 2, 1):
        for hour in (9, 18):
            repo.save_session(session(routine, days_ago, hour, before=2))
    _window, page = make(qtbot, data_dir, repo)
    assert not page.proposal_card.isHidden()
    assert page.proposal is not None and page.proposal_title.text() == page.proposal.title
    before = active_routine(repo, load_catalogue())
    page.accept_button.click()
    assert active_routine(repo, load_catalogue()) != before
    assert [d.accepted for d in progression_history(repo)] == [True]
    assert page.proposal is None or page.proposal.title != progression_history(repo)[0].title


def test_start_button_opens_the_session(qtbot: QtBot, data_dir: Path) -> None:
    window, page = make(qtbot, data_dir)
    page.start_button.click()
    assert window.session_view is not None and window.current_key() == "session"
    assert not window.sidebar.isVisible()


def test_red_pain_session_counts_as_partial_not_done(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    start = datetime.combine(NOW.date(), time(8, 5), tzinfo=TZ)
    from sciatica_coach.core.model import SessionRecord

    repo.save_session(SessionRecord("x", start, start + timedelta(minutes=1), Phase.MOBILITY, (),
                                    Outcome.SAFETY_STOP, PainReport(7, 7)))  # fmt: skip
    _window, page = make(qtbot, data_dir, repo)
    assert page.sessions_line.text() == "0 of 2 sessions done today."


def red_stop_at(repo: Repository, stopped: datetime) -> None:
    """A session stopped for red pain (7 before starting), ending at `stopped`."""
    from sciatica_coach.core.model import SessionRecord

    repo.save_session(SessionRecord("red", stopped, stopped, Phase.MOBILITY, (), Outcome.SAFETY_STOP,
                                    PainReport(7, 7)))  # fmt: skip


def test_the_wait_after_a_red_stop_ends_on_today_by_itself(qtbot: QtBot, data_dir: Path) -> None:
    """Today said "possible from 13:30" and went on saying so after 13:30 until something else refreshed it:
    now one single-shot timer, armed from the app's clock, refreshes it when the wait ends."""
    repo = Repository.open(data_dir)
    red_stop_at(repo, NOW - timedelta(minutes=30))  # 11:30: the wait ends at 13:30
    window, page = make(qtbot, data_dir, repo)
    clock = window.ctx.clock
    assert isinstance(clock, FakeClock)
    until = clock_time(NOW + timedelta(minutes=90))
    assert f"possible from {until}" in page.notes.text()
    assert page.wait_timer.isActive() and page.wait_timer.isSingleShot()
    assert page.wait_timer.timerType() is Qt.TimerType.PreciseTimer, "a coarse timer may be minutes late"
    assert page.wait_timer.interval() == 90 * 60 * 1000 + 250, (
        "armed for the end of the wait, by the app's clock"
    )

    clock.advance(90 * 60 + 1)
    page.wait_timer.timeout.emit()  # what Qt does at the end of the interval (the test never sleeps)
    notes = page.notes.text()
    assert "possible from" not in notes and "confirm first" in notes
    assert not page.wait_timer.isActive(), "nothing more to wait for: no timer, no polling"


def test_the_wait_timer_follows_a_wake_from_sleep(qtbot: QtBot, data_dir: Path) -> None:
    """Qt's timers stand still while the machine sleeps: the reminders notice the wall clock's jump on
    waking, and Today looks again then instead of when its timer finally fires."""
    from sciatica_coach.services.reminders import ReminderService
    from tests.test_reminders_service import FakeTimer

    repo = Repository.open(data_dir)
    red_stop_at(repo, NOW - timedelta(minutes=30))
    clock = FakeClock(NOW)
    ctx = AppContext(repo, clock, fake_services())
    service = ReminderService(repo, clock, timer_factory=FakeTimer, parent=ctx)
    ctx.reminders = service
    service.start()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    page = window.page("today")
    assert isinstance(page, TodayPage)
    QApplication.processEvents()
    assert "possible from" in page.notes.text()
    clock.sleep_machine(3 * 3600)  # asleep past the end of the wait; the monotonic clock stood still
    service.resumed()
    assert "confirm first" in page.notes.text()
    assert not page.wait_timer.isActive()
    service.stop()


def test_a_slot_with_only_a_stopped_session_is_not_marked_done(qtbot: QtBot, data_dir: Path) -> None:
    """A session stopped for safety before any exercise still quietens that slot's reminder, but Today must
    not tick the slot as done next to "0 of 2 sessions done"."""
    repo = Repository.open(data_dir)
    routine = active_routine(repo, load_catalogue())
    stopped = replace(
        session(routine, 0, 8, before=7), slot="08:00", outcome=Outcome.SAFETY_STOP, exercises=()
    )
    repo.save_session(stopped)
    _window, page = make(qtbot, data_dir, repo)
    assert page.sessions_line.text() == "0 of 2 sessions done today."
    morning = clock_time(time(8, 0))
    assert f"{morning} · stopped early" in page.slots_line.text()
    assert "✓ done" not in page.slots_line.text()
