"""The flare plan in the real window: the button on Today, the flare card, the session's flare routine, the
week prompt, ending the flare; and what it leaves behind: reminder words, the report's flare days, a backup."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sciatica_coach import i18n
from sciatica_coach.core import flare as rules
from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.model import Direction, PainReport
from sciatica_coach.core.schedule import Due, DueKind
from sciatica_coach.platform.notifications import notice_text
from sciatica_coach.services import flare
from sciatica_coach.services.plans import active_routine, set_avoided_direction
from sciatica_coach.services.reminders import ReminderService
from sciatica_coach.services.report_data import day_ranges, gather
from sciatica_coach.services.routines import current_proposal, routine_for_today
from sciatica_coach.storage.backup import read_backup, restore, write_backup
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.today_page import TodayPage
from tests.core.test_progression import session
from tests.helpers import FakeClock, main_window, session_record
from tests.test_reminders_service import FakeTimer

TZ = ZoneInfo("Europe/London")
MONDAY = datetime(2026, 3, 16, 12, 0, tzinfo=TZ)


def today_page(window: MainWindow) -> TodayPage:
    page = window.page("today")
    assert isinstance(page, TodayPage)
    QApplication.processEvents()  # the page is filled just after it first shows
    return page


def test_marking_a_flare_shows_the_plan_and_the_session_runs_the_flare_routine(
    qtbot: QtBot, data_dir: Path
) -> None:
    repo = Repository.open(data_dir)
    set_avoided_direction(repo, Direction.EXTENSION)
    clock = FakeClock(MONDAY)
    with main_window(qtbot, repo, clock) as window:
        page = today_page(window)
        assert page.flare_card.isHidden() and not page.flare.isHidden()
        usual = page.duration.text()
        page.flare.click()
        assert not page.flare_card.isHidden() and page.flare.isHidden()
        assert page.flare_heading.text() == "Flare plan · Flare day 1"
        assert "Keep gently active" in page.flare_words.text() and "rest day" not in page.flare_words.text()
        assert "pharmacist or doctor advises" in page.flare_help.text()
        assert page.flare_not_settling.isHidden() and page.flare_offer_end.isHidden()
        assert page.sessions_line.text().startswith("Today is a flare day")
        assert page.duration.text() != usual and page.duration.text().endswith("2 exercises")
        assert MONDAY.date() in repo.excused_days()
        window.start_session()
        view = window.session_view
        assert view is not None
        ids = [item.exercise_id for item in view.flow.routine.items]
        assert ids == ["pelvic-tilt", "knee-to-chest"], "extension avoided: no prone lying"
        assert view.flow.routine.items[1].dose.hold_s == 10
        window.close_session()


def test_week_prompt_once_then_end_the_flare(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    flare.start_flare(repo, MONDAY.date())
    clock = FakeClock(MONDAY + timedelta(days=6))
    with main_window(qtbot, repo, clock) as window:
        page = today_page(window)
        assert page.flare_heading.text().endswith("Flare day 7")
        assert page.flare_not_settling.isHidden(), "six days after: not yet"
        clock.advance(24 * 3600)  # the next Monday: a week after it was marked
        page.refresh()
        assert not page.flare_not_settling.isHidden()
        assert "see your doctor or physiotherapist" in page.flare_not_settling.text()
        flare_now = flare.current_flare(repo)
        assert flare_now is not None and flare_now.not_settling_prompted
        assert set(flare_now.days(clock.now().date())) <= repo.excused_days(), "every flare day recorded"
        page.flare_end_button.click()
        assert flare.current_flare(repo) is None
        assert page.flare_card.isHidden() and not page.flare.isHidden()
    flare.start_flare(repo, MONDAY.date() + timedelta(days=7))
    assert not flare.take_not_settling_prompt(repo, MONDAY.date() + timedelta(days=13))
    assert flare.take_not_settling_prompt(repo, MONDAY.date() + timedelta(days=14))
    assert not flare.take_not_settling_prompt(repo, MONDAY.date() + timedelta(days=15)), "once per flare"


def test_end_is_offered_after_calmer_days(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    flare.start_flare(repo, MONDAY.date())
    for day in range(1, 4):
        start = MONDAY + timedelta(days=day)
        repo.save_session(session_record(f"s{day}", start, pain_before=PainReport(2, 3)))
    with main_window(qtbot, repo, FakeClock(MONDAY + timedelta(days=4))) as window:
        page = today_page(window)
        assert not page.flare_offer_end.isHidden()


def test_reminders_during_a_flare_ask_for_a_short_gentle_session(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    due = Due("19:00", MONDAY.date(), MONDAY, DueKind.ON_TIME)
    title, body = notice_text(due, 600, flare=True)
    assert title == "Time for a short, gentle session" and "short, gentle session" in body
    assert "about 10 minutes" in body and "stop anything that makes your leg worse" in body
    service = ReminderService(
        repo, FakeClock(MONDAY), timer_factory=FakeTimer, zone_fingerprint=lambda: "London"
    )
    assert service.notice_words(due)[0] == "Time for your exercises"
    flare.start_flare(repo, MONDAY.date())
    title, body = service.notice_words(due)
    assert title == "Time for a short, gentle session" and "about 2 minutes" in body, (
        "the flare routine's length"
    )
    plan_before = repo.state("reminder_plan")
    flare.end_flare(repo)
    assert repo.state("reminder_plan") == plan_before, "the person's reminders are never deleted"


def test_both_directions_avoided_gives_no_exercise_routine_and_says_so() -> None:
    assert (
        rules.flare_routine(load_catalogue().exercises, {Direction.FLEXION, Direction.EXTENSION}).items == ()
    )


def test_flare_days_reach_the_report_and_the_backup(data_dir: Path, tmp_path: Path) -> None:
    repo = Repository.open(data_dir)
    start = MONDAY.date() - timedelta(days=5)
    flare.start_flare(repo, start)
    flare.record_flare_days(repo, MONDAY.date() - timedelta(days=3))
    flare.end_flare(repo)
    flare.start_flare(repo, MONDAY.date())
    data = gather(repo, FakeClock(MONDAY + timedelta(days=2)), weeks=4)
    assert day_ranges(data.flare_days) == [
        (start, start + timedelta(days=2)),
        (MONDAY.date(), MONDAY.date() + timedelta(days=2)),  # going on: days not yet seen on Today too
    ]
    write_backup(data_dir, tmp_path / "backup.json", MONDAY)
    repo.close()
    elsewhere = tmp_path / "new"
    Repository.open(elsewhere).close()
    restore(elsewhere, read_backup(tmp_path / "backup.json"), MONDAY)
    restored = Repository.open(elsewhere)
    assert flare.current_flare(restored) == rules.Flare(MONDAY.date())
    assert routine_for_today(restored, load_catalogue(), MONDAY.date()).items[0].dose.hold_s == 3
    restored.close()


def test_damaged_flare_entry_reads_as_no_flare(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.set_state(flare.FLARE_KEY, {"started": "not a day"})
    assert flare.current_flare(repo) is None


@pytest.mark.parametrize(
    "text",
    [rules.FLARE_BUTTON, rules.FLARE_END_BUTTON, rules.FLARE_TITLE, rules.FLARE_DAY, rules.FLARE_KEEP_MOVING,
     rules.FLARE_ROUTINE_NOTE, rules.FLARE_NO_EXERCISES, rules.FLARE_PAINKILLERS, rules.FLARE_SEEK_HELP,
     rules.FLARE_NOT_SETTLING, rules.FLARE_OFFER_END, rules.FLARE_TODAY_LINE],
)  # fmt: skip
def test_flare_words_in_german(text: str) -> None:
    i18n.set_language("de")
    assert i18n._(text) != text


def test_flare_card_in_german(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.set_setting("language", "de")
    flare.start_flare(repo, MONDAY.date())
    i18n.set_language("de")
    with main_window(qtbot, repo, FakeClock(MONDAY)) as window:
        page = today_page(window)
        assert page.flare_heading.text() == "Plan für einen Schub · Schubtag 1"
        assert page.flare_end_button.text() == "Es geht mir wieder wie sonst"
    title, _body = notice_text(Due("19:00", MONDAY.date(), MONDAY, DueKind.ON_TIME), None, flare=True)
    assert title == "Zeit für eine kurze, sanfte Einheit"


def test_no_step_up_during_a_flare_or_the_week_after(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    catalogue = load_catalogue()
    routine = active_routine(repo, catalogue)
    for days_ago in (3, 2, 1):
        for hour in (9, 18):
            repo.save_session(session(routine, days_ago, hour, before=2))
    clock = FakeClock(MONDAY)
    step = current_proposal(repo, catalogue, clock)
    assert step is not None and not step.easing, "comfortable sessions: a step up is suggested"
    repo.add_excused_days({MONDAY.date() - timedelta(days=8)})
    assert current_proposal(repo, catalogue, clock) == step, "a flare over a week ago no longer holds it back"
    repo.add_excused_days({MONDAY.date() - timedelta(days=6)})
    assert current_proposal(repo, catalogue, clock) is None, "a flare day six days ago: not yet"
    repo.set_state("excused_days", [])
    flare.start_flare(repo, MONDAY.date())
    assert current_proposal(repo, catalogue, clock) is None, "during a flare"
    assert rules.steps_held_back([], True, MONDAY.date())
    assert not rules.steps_held_back([MONDAY.date() - timedelta(days=7)], False, MONDAY.date())
