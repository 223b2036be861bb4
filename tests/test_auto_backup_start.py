"""The automatic backup at start: written once a day after the window's first paint, never before it, never for
a folder whose opening found a broken file, and a failure to write never disturbs the app."""

from __future__ import annotations

import json
import logging
import signal
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sciatica_coach import app as app_module
from sciatica_coach.storage import backup
from sciatica_coach.storage.backup import BACKUPS_FOLDER, auto_backups
from sciatica_coach.storage.repository import DATA_FILE, Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.main_window import MainWindow
from tests.helpers import FakeClock


def test_one_automatic_backup_a_day_by_the_injected_clock(data_dir: Path) -> None:
    clock = FakeClock()
    ctx = AppContext(Repository.open(data_dir), clock)
    app_module.write_auto_backup(ctx)
    assert [p.name for p in auto_backups(data_dir)] == ["auto-2026-03-02.json"]
    clock.advance(12 * 3600)
    app_module.write_auto_backup(ctx)
    assert len(auto_backups(data_dir)) == 1
    for _day in range(9):
        clock.advance(24 * 3600)
        app_module.write_auto_backup(ctx)
    names = [p.name for p in auto_backups(data_dir)]
    assert len(names) == 7 and names[-1] == "auto-2026-03-11.json" and names[0] == "auto-2026-03-05.json"


def test_a_failed_automatic_backup_is_logged_and_nothing_else(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def fails(*_a: object) -> None:
        raise backup.BackupError("The backup could not be saved because the disk is full.")

    monkeypatch.setattr(backup, "auto_backup", fails)
    with caplog.at_level(logging.ERROR):
        app_module.write_auto_backup(AppContext(Repository.open(data_dir), FakeClock()))
    assert "Could not write today's automatic backup" in caplog.text


def test_no_automatic_backup_of_a_folder_that_opened_with_a_broken_file(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / DATA_FILE).write_text('{"settings": {"1": ')  # cut short: moved aside, a fresh start
    repo = Repository.open(data_dir)
    assert repo.notices
    app_module.write_auto_backup(AppContext(repo, FakeClock()))
    assert not (data_dir / BACKUPS_FOLDER).exists()


def test_the_automatic_backup_waits_for_the_first_paint(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real start: the backup is written only after the window has first appeared (finish_start), and
    does not hold up anything asked for before it."""
    monkeypatch.setattr(signal, "signal", lambda *_a: None)
    monkeypatch.setattr(signal, "set_wakeup_fd", lambda *_a, **_k: -1)
    monkeypatch.setattr(app_module, "install_reminders", lambda *_a: None)  # not what is tested here
    seen: list[str] = []
    finish_start, write = AppContext.finish_start, app_module.write_auto_backup

    def finished(ctx: AppContext) -> None:
        if ctx._after_start is not None:
            seen.append(f"first paint, backups then: {len(auto_backups(data_dir))}")
        finish_start(ctx)

    def written(ctx: AppContext) -> None:
        write(ctx)
        seen.append(f"backup written: {len(auto_backups(data_dir))}")
        for window in QApplication.topLevelWidgets():
            if isinstance(window, MainWindow):
                window.hide()
                window.deleteLater()
        QTimer.singleShot(0, lambda: QApplication.exit(0))

    monkeypatch.setattr(AppContext, "finish_start", finished)
    monkeypatch.setattr(app_module, "write_auto_backup", written)
    QTimer.singleShot(0, lambda: seen.append(f"event loop running, backups: {len(auto_backups(data_dir))}"))
    assert app_module.run_gui(data_dir, ["sciatica-coach"]) == 0
    assert seen == ["event loop running, backups: 0", "first paint, backups then: 0", "backup written: 1"]
    made = json.loads(auto_backups(data_dir)[0].read_text())
    assert made["format"] == "sciatica-coach-backup"
