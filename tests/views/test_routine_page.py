"""The Routine page: add, reorder by keyboard, edit a number, the duration follows, save, reopen; the
avoid-direction filter; routine files; the suggestion card's Accept / Not now."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.engine import FIRST_GET_READY_S, planned_duration_s
from sciatica_coach.core.model import ExerciseRecord, Outcome, PainReport, Phase, Routine, SessionRecord
from sciatica_coach.services import plans, routines
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.routine_page import RoutinePage
from tests.helpers import FakeClock, fake_services

TZ = ZoneInfo("Europe/London")
TODAY = date(2026, 3, 16)


def make_page(qtbot: QtBot, data_dir: Path, clock: FakeClock | None = None) -> RoutinePage:
    ctx = AppContext(Repository.open(data_dir), clock or FakeClock(), fake_services())
    page = RoutinePage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 800)
    page.show()
    return page


def ids(page: RoutinePage) -> list[str]:
    return [item.exercise_id for item in page.draft().items]


def duration_text(routine: Routine) -> str:
    seconds = planned_duration_s(routine, first_get_ready_s=FIRST_GET_READY_S)  # the setting's default
    return f"About {routines.duration_words(seconds)} per session"


def test_editor_round_trip(qtbot: QtBot, data_dir: Path) -> None:
    page = make_page(qtbot, data_dir)
    catalogue = load_catalogue()
    default = catalogue.default_routine(Phase.MOBILITY)
    assert ids(page) == [i.exercise_id for i in default.items]
    assert page.duration_label.text() == duration_text(default)
    assert not page.save_button.isEnabled()

    # reorder by keyboard: select the second exercise and move it up with Alt+Up
    page.list.setCurrentRow(1)
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert ids(page)[:2] == ["knee-to-chest", "pelvic-tilt"]
    assert page.list.currentRow() == 0
    qtbot.keyClick(page.list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(page.list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert ids(page)[:3] == ["pelvic-tilt", "prone-lying", "knee-to-chest"]
    assert page.is_dirty() and page.save_button.isEnabled()
    assert page.status.text() == "You have changes that aren't saved yet."

    # edit a number: the knee-to-chest hold, by typing into the spin box; the duration follows
    before = page.duration_label.text()
    hold = page.spins["hold_s"]
    hold.selectAll()
    qtbot.keyClicks(hold, "30")
    assert page.draft().items[2].dose.hold_s == 30
    assert page.duration_label.text() == duration_text(page.draft())
    assert page.duration_label.text() != before
    assert "hold 30 s" in page.list.item(2).text()

    # add from the catalogue (a phase-1 exercise not yet in the routine)
    page.remove_selected()  # remove knee-to-chest ...
    assert "knee-to-chest" not in ids(page)
    assert page.select_catalogue("knee-to-chest")  # ... and add it back at the end, at its usual dose
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert ids(page)[-1] == "knee-to-chest"
    assert page.draft().items[-1] == catalogue.default_item("knee-to-chest")
    page.list.setCurrentRow(len(ids(page)) - 1)
    page.spins["reps"].setValue(5)
    expected = page.draft()
    assert page.duration_label.text() == duration_text(expected)

    # save: stored, signal sent, status says when it applies
    with qtbot.waitSignal(page.ctx.routine_changed, timeout=1000):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.status.text().startswith("Saved.")
    assert not page.save_button.isEnabled()
    assert plans.active_routine(page.ctx.repo, catalogue) == expected
    page.ctx.repo.close()

    # reopen: the page shows what was saved
    again = make_page(qtbot, data_dir)
    assert again.draft() == expected
    assert again.duration_label.text() == duration_text(expected)


def test_bounds_come_from_the_catalogue(qtbot: QtBot, data_dir: Path) -> None:
    from sciatica_coach.core.catalogue import DOSE_BOUNDS

    page = make_page(qtbot, data_dir)
    for name, (low, high) in DOSE_BOUNDS.items():
        assert (page.spins[name].minimum(), page.spins[name].maximum()) == (low, high)
    page.spins["reps"].setValue(999)
    assert page.draft().items[0].dose.reps == DOSE_BOUNDS["reps"][1]


def test_details_show_every_step_the_feel_the_stop_rule_and_the_cautions(
    qtbot: QtBot, data_dir: Path
) -> None:
    page = make_page(qtbot, data_dir)
    row = ids(page).index("knee-to-chest")
    page.list.setCurrentRow(row)
    shown = page.details.text()
    exercise = load_catalogue().get("knee-to-chest")
    for text in (
        *(step.text for step in exercise.steps),
        exercise.feel,
        exercise.stop_if,
        *exercise.cautions,
    ):
        assert escape(text) in shown, text
    assert "osteoporosis" in shown and page.details.isVisible()


def test_a_movement_is_edited_as_a_short_move_out_and_back(qtbot: QtBot, data_dir: Path) -> None:
    page = make_page(qtbot, data_dir)
    page.list.setCurrentRow(ids(page).index("cat-camel"))
    assert page.field_labels["hold_s"].text() == "Move out"
    assert page.field_labels["rest_between_reps_s"].text() == "Move back"
    row_text = page.list.item(ids(page).index("cat-camel")).text()
    assert "3 s out, 3 s back" in row_text and "hold" not in row_text
    page.spins["hold_s"].setValue(30)  # never a sustained hold
    assert page.draft().items[ids(page).index("cat-camel")].dose.hold_s == 5
    page.list.setCurrentRow(ids(page).index("pelvic-tilt"))
    assert page.field_labels["hold_s"].text() == "Hold"
    assert page.spins["hold_s"].maximum() == 600


def test_buttons_move_and_the_last_exercise_cannot_be_removed(qtbot: QtBot, data_dir: Path) -> None:
    page = make_page(qtbot, data_dir)
    page.list.setCurrentRow(0)
    assert not page.up_button.isEnabled()
    qtbot.mouseClick(page.down_button, Qt.MouseButton.LeftButton)
    assert ids(page)[1] == "pelvic-tilt"
    while len(ids(page)) > 1:
        page.list.setCurrentRow(0)
        qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert not page.remove_button.isEnabled()
    page.remove_selected()
    assert len(ids(page)) == 1


def test_undo_and_reset_to_a_phase_default(qtbot: QtBot, data_dir: Path) -> None:
    page = make_page(qtbot, data_dir)
    catalogue = load_catalogue()
    page.reset_phase.setCurrentIndex(1)
    qtbot.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)
    assert page.draft() == catalogue.default_routine(Phase.STRENGTH)
    assert page.is_dirty()
    qtbot.mouseClick(page.revert_button, Qt.MouseButton.LeftButton)
    assert page.draft() == catalogue.default_routine(Phase.MOBILITY)
    assert not page.is_dirty()


def test_later_phase_exercises_are_shown_but_not_addable(qtbot: QtBot, data_dir: Path) -> None:
    page = make_page(qtbot, data_dir)
    assert "bridge" in page.catalogue_ids()
    assert not page.select_catalogue("bridge")
    assert not page.select_catalogue("pelvic-tilt")  # already in the routine


def test_avoid_direction_filters_the_catalogue_and_the_defaults(qtbot: QtBot, data_dir: Path) -> None:
    page = make_page(qtbot, data_dir)
    catalogue = load_catalogue()
    extension = {e.id for e in catalogue.exercises.values() if e.direction.value == "extension"}
    assert extension <= set(page.catalogue_ids())
    page.avoid_buttons[
        catalogue.get("prone-lying").direction
    ].click()  # below the fold: click() as a user would
    assert page.ctx.repo.setting("avoid_direction") == "extension"
    assert not extension & set(page.catalogue_ids())
    # the current routine still has them: pointed out, with a way to take them out
    assert page.avoid_note.isVisibleTo(page) and "Lying face down" in page.avoid_note.text()
    page.remove_avoided_button.click()
    assert not extension & set(ids(page))
    # reset honours it too
    page.reset_phase.setCurrentIndex(0)
    page.reset_to_default()
    assert page.draft() == catalogue.default_routine(
        Phase.MOBILITY, avoid=catalogue.get("prone-lying").direction
    )
    # and back to no preference
    page.avoid_buttons[None].click()
    assert page.ctx.repo.setting("avoid_direction") is None
    assert extension <= set(page.catalogue_ids())


def test_import_and_export_files(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    page = make_page(qtbot, data_dir)
    catalogue = load_catalogue()
    out = tmp_path / "mine.json"
    page.ask_save_path = lambda: out  # type: ignore[method-assign]
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert json.loads(out.read_text(encoding="utf-8"))["phase"] == 1
    assert "Saved your routine to" in page.file_message.text()

    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"format": "sciatica-coach-routine", "version": 1, "phase": 1, "exercises": [{"exercise": "x"}]}'
    )
    page.ask_open_path = lambda: bad  # type: ignore[method-assign]
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert "can't be used, so your routine has not been changed" in page.file_message.text()
    assert 'unknown exercise "x"' in page.file_message.text()
    assert page.draft() == catalogue.default_routine(Phase.MOBILITY)

    good = tmp_path / "physio.json"
    routines.export_prescription(good, catalogue.default_routine(Phase.STRENGTH))
    page.ask_open_path = lambda: good  # type: ignore[method-assign]
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert page.import_dialog is not None  # it asks first (tests/views/test_routine_import.py)
    with qtbot.waitSignal(page.ctx.routine_changed, timeout=1000):
        page.import_dialog.use_button.click()
    assert page.draft() == catalogue.default_routine(Phase.STRENGTH)
    assert plans.active_routine(page.ctx.repo, catalogue) == catalogue.default_routine(Phase.STRENGTH)
    assert "Imported physio.json" in page.file_message.text()


def comfortable_sessions(routine: Routine) -> list[SessionRecord]:
    sessions = []
    for n, days_ago in enumerate((2, 1, 1, 0)):
        start = datetime.combine(TODAY - timedelta(days=days_ago), time(9 + 3 * n), tzinfo=TZ)
        records = tuple(
            ExerciseRecord(i.exercise_id, i.dose.reps, i.dose.reps, i.dose.sets, i.dose.sets, i.dose.hold_s)
            for i in routine.items
        )
        sessions.append(
            SessionRecord(
                f"s{n}", start, start + timedelta(minutes=10), routine.phase, records, Outcome.COMPLETED,
                PainReport(2, 1), PainReport(1, 1),
            )
        )  # fmt: skip
    return sessions


@pytest.mark.parametrize("accept", [True, False])
def test_suggestion_card(qtbot: QtBot, data_dir: Path, accept: bool) -> None:
    catalogue = load_catalogue()
    repo = Repository.open(data_dir)
    routine = catalogue.default_routine(Phase.STRENGTH)
    plans.save_routine(repo, routine)
    repo.add_sessions(comfortable_sessions(routine))
    repo.close()
    clock = FakeClock(datetime.combine(TODAY, time(20), tzinfo=TZ))
    page = make_page(qtbot, data_dir, clock)
    assert page.proposal_card.isVisibleTo(page)
    proposal = page.current_suggestion()
    assert proposal is not None
    assert page.proposal_title.text() == proposal.title
    assert "Would you like" in page.proposal_text.text()
    change = proposal.changes[0]
    if accept:
        with qtbot.waitSignal(page.ctx.routine_changed, timeout=1000):
            qtbot.mouseClick(page.accept_button, Qt.MouseButton.LeftButton)
        item = next(i for i in page.draft().items if i.exercise_id == change.exercise_id)
        assert getattr(item.dose, change.field) == change.new
        assert plans.active_routine(page.ctx.repo, catalogue) == page.draft()
        assert "→" in page.history_label.text()
    else:
        qtbot.mouseClick(page.decline_button, Qt.MouseButton.LeftButton)
        assert page.draft() == routine
        assert page.history_label.text().startswith("None yet.")
        assert [d.accepted for d in routines.progression_history(page.ctx.repo)] == [False]
    assert not page.proposal_card.isVisibleTo(page)


def test_the_main_window_shows_the_routine_page(qtbot: QtBot, data_dir: Path) -> None:
    window = MainWindow(AppContext(Repository.open(data_dir), FakeClock(), fake_services()))
    qtbot.addWidget(window)
    window.show_page("routine")
    page = window.page("routine")
    assert isinstance(page, RoutinePage)
    assert window.stack.currentWidget() is page  # shown, not only built
    default = page.catalogue.default_routine(Phase.MOBILITY)
    assert page.list.count() == len(default.items) > 0  # today's exercises are listed
    icons = []
    for theme in ("light", "dark"):  # switching themes redraws the thumbnails without warnings
        window.ctx.repo.set_setting("theme", theme)
        window.apply_appearance()
        window.ctx.settings_changed.emit()
        icons.append(page.list.item(0).icon().pixmap(32, 32).toImage())
    assert icons[0] != icons[1], "the thumbnails follow the theme"


def test_delete_key_removes_and_the_sides_are_edited_for_one_sided_exercises(
    qtbot: QtBot, data_dir: Path
) -> None:
    from sciatica_coach.core.model import SideMode

    page = make_page(qtbot, data_dir)
    page.list.setCurrentRow(ids(page).index("pelvic-tilt"))
    assert not page.side.isEnabled()  # both sides together: nothing to choose
    page.list.setCurrentRow(ids(page).index("knee-to-chest"))
    assert page.side.isEnabled() and page.field_labels["reps"].text() == "Repetitions (each side)"
    page.side.setCurrentIndex(2)
    row = ids(page).index("knee-to-chest")
    assert page.draft().items[row].side_mode is SideMode.ALTERNATING and page.is_dirty()
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_Delete)  # type: ignore[no-untyped-call]
    assert "knee-to-chest" not in ids(page)
    assert page.select_catalogue("knee-to-chest"), "it can be added again"


def test_a_failed_save_is_said_and_the_changes_are_kept(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sciatica_coach.storage.repository import DataError

    page = make_page(qtbot, data_dir)
    page.remove_selected()
    edited = page.draft()

    def fail(*_args: object, **_kwargs: object) -> None:
        raise DataError("The disk is full.")

    monkeypatch.setattr(plans, "save_routine", fail)
    with qtbot.waitSignal(page.ctx.save_failed, timeout=1000):
        assert not page.save()
    assert page.status.text() == "The disk is full."
    assert page.is_dirty() and page.draft() == edited and page.save_button.isEnabled()


def test_the_thumbnails_follow_the_theme_and_the_place_in_the_lists_is_kept(
    qtbot: QtBot, data_dir: Path
) -> None:
    page = make_page(qtbot, data_dir)
    page.list.setCurrentRow(3)
    assert page.select_catalogue("knee-to-chest") is False  # already in the routine
    kept = set(ids(page))
    page.remove_selected()  # the fourth goes; the catalogue offers it again
    removed = kept - set(ids(page))
    (exercise_id,) = removed
    assert page.select_catalogue(exercise_id)
    before = page.list.item(0).icon().pixmap(64, 40).toImage()
    from PySide6.QtWidgets import QApplication

    from sciatica_coach.views.theme import apply_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, "dark")  # the autouse fixture puts the light theme back
    page.ctx.appearance_changed.emit()
    assert page.list.item(0).icon().pixmap(64, 40).toImage() != before
    assert page.list.currentRow() == 3
    assert page.catalogue_list.currentItem().data(Qt.ItemDataRole.UserRole) == exercise_id
