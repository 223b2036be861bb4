"""Importing a routine file on the Routine page asks first, showing the routine now beside the file's
(Cancel is the default and changes nothing), and after importing offers Undo, which puts the previous
routine back; Undo goes once the routine is changed another way."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.model import Phase
from sciatica_coach.services import plans, routines
from sciatica_coach.views.routine_page import ImportRoutineDialog, RoutinePage
from tests.views.test_routine_page import make_page


def physio_file(tmp_path: Path) -> Path:
    path = tmp_path / "from-my-physio.json"
    routines.export_prescription(path, load_catalogue().default_routine(Phase.STRENGTH))
    return path


def choose_file(qtbot: QtBot, page: RoutinePage, path: Path) -> ImportRoutineDialog:
    page.ask_open_path = lambda: path  # type: ignore[method-assign]
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
    dialog = page.import_dialog
    assert isinstance(dialog, ImportRoutineDialog), "it asks before replacing anything"
    return dialog


def test_it_asks_first_showing_what_replaces_what_and_cancel_keeps_the_routine(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    page = make_page(qtbot, data_dir)
    catalogue = load_catalogue()
    mine = plans.active_routine(page.ctx.repo, catalogue)
    dialog = choose_file(qtbot, page, physio_file(tmp_path))
    assert plans.active_routine(page.ctx.repo, catalogue) == mine, "nothing changes while it asks"
    now_words = dialog.now_card.findChildren(type(page.file_message))[-1].text()
    file_words = dialog.file_card.findChildren(type(page.file_message))[-1].text()
    assert now_words.startswith("Phase 1, 5 exercises") and "Pelvic tilt" in now_words
    assert file_words.startswith("Phase 2, 7 exercises") and file_words != now_words
    assert "from-my-physio.json" in dialog.findChildren(type(page.file_message))[0].text()
    assert dialog.cancel_button.isDefault() and not dialog.use_button.isDefault()
    dialog.cancel_button.click()
    assert plans.active_routine(page.ctx.repo, catalogue) == mine
    assert page.draft() == mine and page.undo_import_button.isHidden()


def test_undo_puts_the_previous_routine_back(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    page = make_page(qtbot, data_dir)
    catalogue = load_catalogue()
    mine = plans.active_routine(page.ctx.repo, catalogue)
    dialog = choose_file(qtbot, page, physio_file(tmp_path))
    with qtbot.waitSignal(page.ctx.routine_changed, timeout=1000):
        dialog.use_button.click()
    strength = catalogue.default_routine(Phase.STRENGTH)
    assert plans.active_routine(page.ctx.repo, catalogue) == strength and page.draft() == strength
    assert "Imported from-my-physio.json" in page.file_message.text()
    assert page.undo_import_button.isVisibleTo(page)
    with qtbot.waitSignal(page.ctx.routine_changed, timeout=1000):
        page.undo_import_button.click()
    assert plans.active_routine(page.ctx.repo, catalogue) == mine and page.draft() == mine
    assert "previous routine is back" in page.file_message.text()
    assert page.undo_import_button.isHidden()


def test_undo_goes_when_the_routine_changes_another_way(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    page = make_page(qtbot, data_dir)
    catalogue = load_catalogue()
    choose_file(qtbot, page, physio_file(tmp_path)).use_button.click()
    assert page.undo_import_button.isVisibleTo(page)
    # e.g. a suggestion accepted, or edits saved: Undo would now throw that change away, so it goes
    plans.save_routine(page.ctx.repo, catalogue.default_routine(Phase.MOBILITY))
    page.ctx.routine_changed.emit()
    assert page.undo_import_button.isHidden()
    assert not page.undo_import()


def test_the_question_reads_from_the_mat(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    page = make_page(qtbot, data_dir)
    dialog = choose_file(qtbot, page, physio_file(tmp_path))
    qtbot.waitExposed(dialog)
    shot = dialog.grab()
    assert shot.width() >= 600 and shot.height() >= 300
    shot.save(str(tmp_path / "import-question.png"))  # looked at by hand when the dialog changes
    dialog.cancel_button.click()


def test_unsaved_changes_are_mentioned_before_an_import(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    page = make_page(qtbot, data_dir)
    warning = "Changes you haven't saved yet will be lost."
    dialog = choose_file(qtbot, page, physio_file(tmp_path))
    assert warning not in [w.text() for w in dialog.findChildren(type(page.file_message))]
    dialog.cancel_button.click()
    page.remove_selected()
    dialog = choose_file(qtbot, page, physio_file(tmp_path))
    assert warning in [w.text() for w in dialog.findChildren(type(page.file_message))]
    dialog.cancel_button.click()
    assert page.is_dirty()


def test_the_files_length_is_the_session_this_person_would_do(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    """With one leg set, the nerve glide in the file's routine counts on that leg only, as the session does."""
    page = make_page(qtbot, data_dir)
    catalogue = load_catalogue()
    incoming = catalogue.default_routine(Phase.STRENGTH)
    page.ctx.repo.set_setting("affected_side", "left")
    one_leg = routines.planned_length_s(page.ctx.repo, catalogue, incoming)
    page.ctx.repo.set_setting("affected_side", None)
    assert one_leg < routines.planned_length_s(page.ctx.repo, catalogue, incoming)
    page.ctx.repo.set_setting("affected_side", "left")
    dialog = choose_file(qtbot, page, physio_file(tmp_path))
    file_words = dialog.file_card.findChildren(type(page.file_message))[-1].text()
    assert f"about {max(1, round(one_leg / 60))} min" in file_words
    dialog.cancel_button.click()
