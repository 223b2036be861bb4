"""Keeping the habit in the real pages: the Routine card offers the lighter routine after two weeks of low pain,
the person picks 2 a week and says yes; Progress then measures the week against 2 ("1 of 2"); pain above 3
on two days brings the kind offer of the full routine back, which restores the routine kept before; the
state survives a backup and restore; in English and German. With SCIATICA_COACH_SHOTS set, the card and the
Progress page are saved as PNGs (light and dark) to look at."""

from __future__ import annotations

import os
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sciatica_coach import i18n
from sciatica_coach.core import maintenance
from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.model import Phase, Routine
from sciatica_coach.core.progression import ChangeKind, Proposal
from sciatica_coach.services import plans, routines
from sciatica_coach.services.decisions import progression_history
from sciatica_coach.services.progress_data import keeping_the_habit
from sciatica_coach.storage.backup import read_backup, restore, write_backup
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.progress_page import ProgressPage
from sciatica_coach.views.routine_page import RoutinePage
from tests.core.test_maintenance import TODAY, session
from tests.helpers import FakeClock, fake_services

TZ = ZoneInfo("Europe/London")
SHOTS = os.environ.get("SCIATICA_COACH_SHOTS")  # a folder: save what the card and Progress look like


def start_repo(data_dir: Path) -> Routine:
    routine = load_catalogue().default_routine(Phase.STRENGTH)
    repo = Repository.open(data_dir)
    plans.save_routine(repo, routine)
    repo.add_sessions([session(routine, d, 2 if d % 3 else 1) for d in range(20, -1, -1)])
    repo.close()
    return routine


def routine_page(data_dir: Path, clock: FakeClock, qtbot: QtBot) -> RoutinePage:
    page = RoutinePage(AppContext(Repository.open(data_dir), clock, fake_services()))
    qtbot.addWidget(page)
    page.resize(1000, 900)
    page.show()
    return page


def shoot(widget: object, name: str) -> None:
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / name))  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_offer_the_weekly_choice_progress_and_the_way_back(
    qtbot: QtBot, data_dir: Path, language: str
) -> None:
    i18n.set_language(language)
    full = start_repo(data_dir)
    clock = FakeClock(datetime.combine(TODAY, time(20), tzinfo=TZ))
    page = routine_page(data_dir, clock, qtbot)

    proposal = page.current_suggestion()
    assert proposal is not None and proposal.kind is ChangeKind.MAINTENANCE
    choice = page.suggestion.maintenance
    assert choice.isVisibleTo(page)
    title = {
        "en": "You've kept your pain low for two weeks. Keep the habit with a lighter routine?",
        "de": "Ihre Schmerzen sind seit zwei Wochen niedrig. Mit einem leichteren Übungsplan dranbleiben?",
    }[language]
    assert page.proposal_title.text() == title
    catalogue = load_catalogue()
    for exercise_id in ("cat-camel", "bridge", "bird-dog", "dead-bug"):
        assert catalogue.get(exercise_id).name in choice.routine_list.text()
    assert catalogue.get("prone-press-up").name not in choice.routine_list.text()
    assert choice.target_buttons[3].isChecked()
    shoot(page.suggestion, f"keeping-habit-card-{language}.png")

    qtbot.mouseClick(choice.target_buttons[2], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(page.ctx.routine_changed, timeout=1000):
        qtbot.mouseClick(page.accept_button, Qt.MouseButton.LeftButton)
    lighter = maintenance.lighter_routine(full, catalogue)
    assert plans.active_routine(page.ctx.repo, catalogue) == lighter
    period = routines.maintenance_period(page.ctx.repo, clock)
    assert period is not None and period.weekly_target == 2
    assert not page.proposal_card.isVisibleTo(page)  # nothing more to suggest while things are settled
    line = {
        "en": "Keeping the habit with a lighter routine, 2 sessions a week",
        "de": "2 Einheiten pro Woche",
    }
    assert line[language] in page.history_label.text()

    # Three days on, one session done: Progress measures the week against 2.
    clock.advance(3 * 24 * 3600)
    page.ctx.repo.add_sessions([session(lighter, -2, 1)])
    progress = ProgressPage(page.ctx)
    qtbot.addWidget(progress)
    progress.resize(1000, 1400)
    progress.show()
    progress.refresh()
    assert progress.habit_frame.isVisibleTo(progress)
    assert progress.figures["this_week"].text() == {"en": "1 of 2", "de": "1 von 2"}[language]
    assert {"en": "1 of 2 this week", "de": "1 von 2 diese Woche"}[language] in progress.habit_weeks.text()
    assert progress.history is not None and progress.history.cell(clock.now().date()).target == 0
    assert {"en": "under “Keeping the habit”", "de": "unter „Dranbleiben“"}[
        language
    ] in progress.chart_summary.text()
    shoot(progress, f"keeping-habit-progress-{language}.png")

    # Pain above 3 on two days: the full routine is offered back, kindly, and restored on yes.
    page.ctx.repo.add_sessions([session(lighter, -1, 5, hour=10), session(lighter, -3, 4, hour=10)])
    page.refresh_proposal()
    back = page.current_suggestion()
    assert back is not None and back.kind is ChangeKind.FULL_PLAN
    assert not choice.isVisibleTo(page)
    shoot(page.suggestion, f"keeping-habit-way-back-{language}.png")
    with qtbot.waitSignal(page.ctx.routine_changed, timeout=1000):
        qtbot.mouseClick(page.accept_button, Qt.MouseButton.LeftButton)
    assert plans.active_routine(page.ctx.repo, catalogue) == full
    assert routines.maintenance_period(page.ctx.repo, clock) is None


def test_keeping_the_habit_survives_a_backup(data_dir: Path, tmp_path: Path) -> None:
    full = start_repo(data_dir)
    clock = FakeClock(datetime.combine(TODAY, time(20), tzinfo=TZ))
    catalogue = load_catalogue()
    repo = Repository.open(data_dir)
    proposal = routines.current_proposal(repo, catalogue, clock)
    assert proposal is not None and proposal.kind is ChangeKind.MAINTENANCE
    routines.accept(repo, catalogue, clock, proposal, weekly_target=2)
    with pytest.raises(ValueError):
        routines.accept(repo, catalogue, clock, proposal, weekly_target=5)
    kept = keeping_the_habit(repo, clock)
    repo.close()
    target = tmp_path / "backup.json"
    write_backup(data_dir, target, clock.now())

    repo = Repository.open(data_dir)  # the person carries on, then restores the backup
    clock.advance(2 * 24 * 3600)
    back = Proposal(ChangeKind.FULL_PLAN, "Back", "", "", full.phase, full.phase, new_routine=full)
    routines.accept(repo, catalogue, clock, back)
    assert routines.maintenance_period(repo, clock) is None
    repo.close()
    restore(data_dir, read_backup(target), clock.now())

    repo = Repository.open(data_dir)
    period = routines.maintenance_period(repo, clock)
    assert period is not None and period.weekly_target == 2
    assert keeping_the_habit(repo, clock)[0].period == kept[0].period
    assert plans.active_routine(repo, catalogue) == maintenance.lighter_routine(full, catalogue)
    repo.close()


def test_the_report_lists_the_maintenance_period_in_english(data_dir: Path) -> None:
    from sciatica_coach.services.report_data import gather

    i18n.set_language("de")  # the report is in English whatever the window's language
    start_repo(data_dir)
    clock = FakeClock(datetime.combine(TODAY, time(20), tzinfo=TZ))
    catalogue = load_catalogue()
    repo = Repository.open(data_dir)
    assert gather(repo, clock).keeping_the_habit == ()
    proposal = routines.current_proposal(repo, catalogue, clock)
    assert proposal is not None
    routines.accept(repo, catalogue, clock, proposal, weekly_target=3)
    clock.advance(8 * 24 * 3600)
    lines = gather(repo, clock).keeping_the_habit
    assert lines[0] == (
        "Keeping the habit with a lighter routine since Tue 16 Jun 2026, aiming for 3 sessions a week; "
        "the aim was reached in 0 of 2 weeks."
    )
    assert "no day target" in lines[-1]
    repo.close()


@pytest.mark.parametrize("language", ["en", "de"])
def test_progress_lets_the_person_go_back_to_the_full_routine_at_any_time(
    qtbot: QtBot, data_dir: Path, language: str
) -> None:
    i18n.set_language(language)
    full = start_repo(data_dir)
    clock = FakeClock(datetime.combine(TODAY, time(20), tzinfo=TZ))
    catalogue = load_catalogue()
    repo = Repository.open(data_dir)
    proposal = routines.current_proposal(repo, catalogue, clock)
    assert proposal is not None
    routines.accept(repo, catalogue, clock, proposal, weekly_target=3)
    clock.advance(24 * 3600)
    progress = ProgressPage(AppContext(repo, clock, fake_services()))
    qtbot.addWidget(progress)
    progress.show()
    progress.refresh()
    assert progress.habit_frame.isVisibleTo(progress)
    assert progress.figures["this_week"].text() == {"en": "0 of 3", "de": "0 von 3"}[language]
    with qtbot.waitSignal(progress.ctx.routine_changed, timeout=1000):
        qtbot.mouseClick(progress.full_routine_button, Qt.MouseButton.LeftButton)
    assert plans.active_routine(repo, catalogue) == full
    assert routines.maintenance_period(repo, clock) is None
    assert not progress.habit_frame.isVisibleTo(progress)
    assert progression_history(repo)[-1].kind is ChangeKind.FULL_PLAN


def test_today_offers_it_in_the_main_window_with_the_weekly_choice(qtbot: QtBot, data_dir: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from sciatica_coach.views.main_window import MainWindow
    from sciatica_coach.views.today_page import TodayPage

    full = start_repo(data_dir)
    clock = FakeClock(datetime.combine(TODAY, time(20), tzinfo=TZ))
    window = MainWindow(AppContext(Repository.open(data_dir), clock, fake_services()))
    qtbot.addWidget(window)
    window.show()
    page = window.page("today")
    assert isinstance(page, TodayPage)
    QApplication.processEvents()
    assert page.proposal is not None and page.proposal.kind is ChangeKind.MAINTENANCE
    choice = page.maintenance_choice
    assert choice is not None and choice.isVisibleTo(page)
    assert load_catalogue().get("bridge").name in choice.routine_list.text()
    qtbot.mouseClick(choice.target_buttons[2], Qt.MouseButton.LeftButton)
    page.accept_button.click()
    period = routines.maintenance_period(page.ctx.repo, clock)
    assert period is not None and period.weekly_target == 2
    assert plans.active_routine(page.ctx.repo, load_catalogue()) == maintenance.lighter_routine(
        full, load_catalogue()
    )


def test_reminders_keep_their_times_and_say_two_or_three_a_week_is_the_aim(
    qtbot: QtBot, data_dir: Path
) -> None:
    from sciatica_coach.core.schedule import plan_to_dict
    from sciatica_coach.views.reminders_page import RemindersPage

    start_repo(data_dir)
    clock = FakeClock(datetime.combine(TODAY, time(20), tzinfo=TZ))
    catalogue = load_catalogue()
    repo = Repository.open(data_dir)
    before = plan_to_dict(plans.reminder_plan(repo))
    page = RemindersPage(AppContext(repo, clock, fake_services()))
    qtbot.addWidget(page)
    assert not page.habit_note.isVisibleTo(page)
    proposal = routines.current_proposal(repo, catalogue, clock)
    assert proposal is not None
    routines.accept(repo, catalogue, clock, proposal, weekly_target=3)
    page.ctx.routine_changed.emit()
    assert page.habit_note.isVisibleTo(page)
    assert "Two or three sessions a week is the aim now" in page.habit_note.text()
    assert "aiming for 3 sessions a week" in page.habit_note.text()
    assert plan_to_dict(plans.reminder_plan(repo)) == before  # the person's reminder times are kept
