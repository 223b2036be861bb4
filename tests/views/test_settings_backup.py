"""Settings, "Your data": back up everything to a chosen file; restore from one after a dialog showing what
is replaced and what the file holds, then the app closes with nothing of the old data written back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from sciatica_coach.services.plans import PLAN_KEY
from sciatica_coach.storage.backup import BACKUPS_FOLDER, read_backup
from sciatica_coach.storage.repository import ROUTINE_KEY, Repository
from sciatica_coach.views import settings_page
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.settings_page import RestoreDialog, SettingsPage
from tests.helpers import FakeClock, fake_services
from tests.storage.test_backup import files, full_folder, raw_bytes


def settings(qtbot: QtBot, folder: Path) -> tuple[MainWindow, SettingsPage]:
    window = MainWindow(AppContext(Repository.open(folder), FakeClock(), fake_services()))  # type: ignore[no-untyped-call]
    qtbot.addWidget(window)
    window.show()
    window.show_page("settings")
    page = window.page("settings")
    assert isinstance(page, SettingsPage)
    return window, page


@pytest.fixture
def closed(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The app's closing after a restore, recorded instead of leaving the test's event loop."""
    calls: list[bool] = []
    monkeypatch.setattr(settings_page, "close_app", lambda: calls.append(True))
    return calls


def test_back_up_everything_saves_the_chosen_file(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full_folder(tmp_path / "data").close()
    _window, page = settings(qtbot, tmp_path / "data")
    target = tmp_path / "chosen"
    asked: list[str] = []

    def save_dialog(_parent: object, caption: str, start: str, _filter: str) -> tuple[str, str]:
        asked.append(start)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    page.backup_button.click()
    assert asked[0].endswith("sciatica-coach-backup-2026-03-02.json")
    saved = read_backup(tmp_path / "chosen.json")  # the suffix is added
    assert saved.data == read_backup(tmp_path / "chosen.json").data
    assert f"Saved a backup of everything to {tmp_path / 'chosen.json'}." == page.data_note.text()
    assert page.data_note.isVisible()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: ("", ""))  # cancelled
    page.data_note.hide()
    page.backup_button.click()
    assert not page.data_note.isVisible()


def restore_dialog(page: SettingsPage, monkeypatch: pytest.MonkeyPatch, path: Path) -> RestoreDialog:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(path), ""))
    page.restore_button.click()
    dialog = page.restore_dialog
    assert isinstance(dialog, RestoreDialog) and dialog.isVisible()
    return dialog


def test_restore_shows_both_sides_then_restores_and_closes(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, closed: list[bool]
) -> None:
    full_folder(tmp_path / "old").close()
    Repository.open(tmp_path / "data").close()
    window, page = settings(qtbot, tmp_path / "data")
    from sciatica_coach.storage.backup import write_backup

    write_backup(tmp_path / "old", tmp_path / "everything.json", FakeClock().now())
    dialog = restore_dialog(page, monkeypatch, tmp_path / "everything.json")
    now_words = dialog.now_card.findChildren(type(page.data_note))
    backup_words = dialog.backup_card.findChildren(type(page.data_note))
    assert any("0 sessions" in w.text() for w in now_words)
    assert any("Reminders: 08:00, 19:00 (the usual times)" in w.text() for w in now_words)
    assert any("In the backup (made 2026-03-02 08:00)" in w.text() for w in backup_words)
    assert any("Reminders: 07:30, 12:15, 21:00" in w.text() for w in backup_words)
    assert any("Routine: phase 2, 4 exercises" in w.text() for w in backup_words)
    assert dialog.cancel_button.isDefault()

    dialog.restore_button.click()
    assert files(tmp_path / "data") == files(tmp_path / "old")
    assert list((tmp_path / "data" / BACKUPS_FOLDER).glob("before-restore-*.json"))
    # The open data now reads the restored files: a save while closing adds to them, never the old data.
    repo = window.ctx.repo
    assert repo.state(ROUTINE_KEY)["phase"] == 2 and len(repo.sessions()) == 6
    window.ctx.set_setting("volume", 45)
    reopened = Repository.open(tmp_path / "data")
    assert reopened.state(PLAN_KEY) == Repository.open(tmp_path / "old").state(PLAN_KEY)
    assert reopened.setting("volume") == 45 and len(reopened.sessions()) == 6
    box = page.restored_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "Please open it again" in box.text()
    assert not closed
    box.button(QMessageBox.StandardButton.Ok).click()
    assert closed == [True]


def test_cancel_changes_nothing(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, closed: list[bool]
) -> None:
    full_folder(tmp_path / "old").close()
    _window, page = settings(qtbot, tmp_path / "data")
    from sciatica_coach.storage.backup import write_backup

    write_backup(tmp_path / "old", tmp_path / "everything.json", FakeClock().now())
    before = raw_bytes(tmp_path / "data")
    dialog = restore_dialog(page, monkeypatch, tmp_path / "everything.json")
    dialog.cancel_button.click()
    assert raw_bytes(tmp_path / "data") == before and not closed
    assert not (tmp_path / "data" / BACKUPS_FOLDER).exists()


def test_a_bad_file_is_explained_on_the_card(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, closed: list[bool]
) -> None:
    _window, page = settings(qtbot, tmp_path / "data")
    before = raw_bytes(tmp_path / "data")
    bad = tmp_path / "notes.json"
    bad.write_text("shopping list")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(bad), ""))
    page.restore_button.click()
    assert page.restore_dialog is None
    assert page.data_note.isVisible() and "notes.json can't be restored" in page.data_note.text()
    assert "Nothing was changed" in page.data_note.text()
    assert raw_bytes(tmp_path / "data") == before and not closed
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, RestoreDialog) and w.isVisible()]
    assert not dialogs


def test_a_restore_that_fails_keeps_the_app_and_the_data(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, closed: list[bool]
) -> None:
    full_folder(tmp_path / "old").close()
    window, page = settings(qtbot, tmp_path / "data")
    window.ctx.set_setting("volume", 33)
    from sciatica_coach.storage.backup import write_backup

    write_backup(tmp_path / "old", tmp_path / "everything.json", FakeClock().now())
    before = raw_bytes(tmp_path / "data")
    dialog = restore_dialog(page, monkeypatch, tmp_path / "everything.json")
    monkeypatch.setattr("os.access", lambda *_a, **_k: False)  # the folder turned read-only
    dialog.restore_button.click()
    monkeypatch.undo()
    assert "read-only" in page.data_note.text() and page.data_note.isVisible()
    assert raw_bytes(tmp_path / "data") == before and not closed
    assert window.ctx.repo.setting("volume") == 33


def test_the_running_reminders_never_write_the_old_data_back(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, closed: list[bool]
) -> None:
    """The reminders save their state as the app quits: after a restore that must not bring back anything of
    the data that was replaced."""
    from sciatica_coach.services import reminders
    from sciatica_coach.storage.backup import write_backup

    full_folder(tmp_path / "old").close()
    window, page = settings(qtbot, tmp_path / "data")
    service = reminders.ReminderService(window.ctx.repo, window.ctx.clock, parent=window.ctx)
    window.ctx.reminders = service
    service.start()
    write_backup(tmp_path / "old", tmp_path / "everything.json", FakeClock().now())
    dialog = restore_dialog(page, monkeypatch, tmp_path / "everything.json")
    dialog.restore_button.click()
    service.stop()  # as when the app quits
    assert files(tmp_path / "data") == files(tmp_path / "old")
