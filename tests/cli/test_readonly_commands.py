"""Issue 17, class 6: locks and commands that read.

A command that reads takes the folder lock before opening, as opening may migrate an older file or move a
broken one aside; when the app (or another command) holds it, the command reads without changing anything.
A refusal names the real holder: "the app is open" or "a command is running"."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sciatica_coach.cli.main import main
from sciatica_coach.storage.codec import session_to_dict
from sciatica_coach.storage.lock import APP, COMMAND, LOCK_NAME, FolderLock, LockError, LockHolder
from sciatica_coach.storage.migrations import migrate as real_migrate
from sciatica_coach.storage.repository import DATA_FILE, HISTORY_FOLDER, Repository, history_file
from tests.storage.test_bad_files import session_in, snapshot, two_years


def version_2_folder(folder: Path) -> None:
    """Sessions still in the main file: the next open for writing migrates (backup first) and moves them."""
    folder.mkdir(parents=True, exist_ok=True)
    doc = session_to_dict(session_in(2026, 3))
    (folder / DATA_FILE).write_text(
        json.dumps({"meta": {"1": {"schema_version": 2}}, "sessions": {"1": doc}})
    )


def held_by(folder: Path, kind: str) -> FolderLock:
    folder.mkdir(parents=True, exist_ok=True)
    lock = FolderLock(folder, holder=kind)
    assert lock.acquire()
    return lock


# ---- refusals name the real holder -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "words"),
    [
        (APP, "Sciatica Coach is open with this data folder; please close it"),
        (COMMAND, f"another sciatica-coach command (process {os.getpid()}) is working with this data folder"),
    ],
    ids=[APP, COMMAND],  # not the words: they hold this process's id, and pytest-xdist's workers must agree
)
def test_a_refused_change_names_who_holds_the_folder(
    data_dir: Path, kind: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    two_years(data_dir).close()
    before = snapshot(data_dir)
    lock = held_by(data_dir, kind)
    try:
        assert main(["--data-dir", str(data_dir), "reminders", "set", "08:00"]) == 2
    finally:
        lock.release()
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1
    assert {k: v for k, v in snapshot(data_dir).items() if k != LOCK_NAME} == {
        k: v for k, v in before.items() if k != LOCK_NAME
    }


def test_a_holder_without_a_note_gets_words_for_either(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = held_by(data_dir, APP)
    os.truncate(data_dir / LOCK_NAME, 0)  # as on a disk too full for the note
    try:
        assert main(["--data-dir", str(data_dir), "reminders", "set", "08:00"]) == 2
    finally:
        lock.release()
    err = capsys.readouterr().err
    assert "open with this data folder, or one of its commands is running" in err


def test_a_command_holds_the_lock_as_a_command_while_it_runs(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[LockHolder | None] = []
    real_open = Repository.open

    def watching_open(folder: Path, *, read_only: bool = False) -> Repository:
        seen.append(FolderLock(folder).holder())
        return real_open(folder, read_only=read_only)

    monkeypatch.setattr(Repository, "open", staticmethod(watching_open))
    assert main(["--data-dir", str(data_dir), "reminders", "set", "08:00"]) == 0
    assert main(["--data-dir", str(data_dir), "stats"]) == 0
    assert seen == [LockHolder(os.getpid(), COMMAND)] * 2


# ---- reading commands take the lock before they migrate or move files aside ------------------------------
def test_a_reading_command_migrates_only_under_the_lock(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    version_2_folder(data_dir)
    during: list[bool] = []

    def migrate(raw: dict[str, object], version: int) -> dict[str, object]:
        other = FolderLock(data_dir, holder=APP)  # the app starting at this moment
        during.append(other.acquire())
        other.release()
        return real_migrate(raw, version)

    monkeypatch.setattr("sciatica_coach.storage.repository.migrate", migrate)
    assert main(["--data-dir", str(data_dir), "export", "--format", "json"]) == 0
    assert during == [False], "the app could have started in the middle of the migration"
    assert [p for p in data_dir.iterdir() if ".v2-backup-" in p.name], "migrated, with its backup"
    assert history_file(data_dir, 2026).exists()


@pytest.mark.parametrize("kind", [APP, COMMAND])
@pytest.mark.parametrize("command", [["stats"], ["export", "--format", "json"], ["reminders", "list"]])
def test_a_reading_command_changes_nothing_while_another_holds_the_folder(
    data_dir: Path, kind: str, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    version_2_folder(data_dir)
    (data_dir / HISTORY_FOLDER).mkdir()
    history_file(data_dir, 2024).write_bytes(b"{torn")
    lock = held_by(data_dir, kind)
    before = snapshot(data_dir)
    try:
        assert main(["--data-dir", str(data_dir), *command]) == 0
        assert snapshot(data_dir) == before, "no migration, no backup, nothing moved aside"
        assert FolderLock(data_dir).holder() == LockHolder(os.getpid(), kind)
    finally:
        lock.release()
    captured = capsys.readouterr()
    if command[0] == "export":
        assert "y2026-3" in captured.out  # the old layout's sessions, read in memory
    assert "sessions-2024.json" in captured.err and "nothing in it was changed" in captured.err


def test_a_broken_file_is_moved_aside_by_a_reading_command_that_holds_the_lock(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    two_years(data_dir).close()
    history_file(data_dir, 2024).write_bytes(b"{torn")
    assert main(["--data-dir", str(data_dir), "stats"]) == 0
    assert not history_file(data_dir, 2024).exists()
    assert [p for p in history_file(data_dir, 2024).parent.iterdir() if ".broken-" in p.name]
    assert "sessions-2024.json" in capsys.readouterr().err


def test_a_reading_command_with_something_planted_at_the_lock_reads_only(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    two_years(data_dir).close()
    (data_dir / LOCK_NAME).symlink_to(data_dir / DATA_FILE)
    before = snapshot(data_dir)
    assert main(["--data-dir", str(data_dir), "export", "--format", "json"]) == 0
    assert snapshot(data_dir) == before
    assert "y2025-1" in capsys.readouterr().out
    assert main(["--data-dir", str(data_dir), "reminders", "set", "08:00"]) == 2
    err = capsys.readouterr().err
    assert "a link is in the place of its lock file .lock" in err and len(err.strip().splitlines()) == 1
    assert snapshot(data_dir) == before


# ---- the window's side: a second launch names the holder and does not wait on a command ------------------
def test_a_launch_while_a_command_runs_says_so_at_once(qtbot: QtBot, data_dir: Path) -> None:
    from sciatica_coach.platform.single_instance import SingleInstance

    lock = held_by(data_dir, COMMAND)
    instance = SingleInstance(data_dir)
    try:
        assert not instance.acquire()
        assert instance.command_running()
        waited: list[int] = []
        assert not instance.notify_running(pause=waited.append)
        assert waited == [], "nothing to wake: no 5-second wait"
        assert "command" in instance.busy_message()
    finally:
        instance.release()
        lock.release()
    app = held_by(data_dir, APP)
    instance = SingleInstance(data_dir)
    try:
        assert not instance.command_running()
        assert instance.busy_message() == "Sciatica Coach is already running with this data folder."
    finally:
        instance.release()
        app.release()


def test_a_launch_on_an_unusable_folder_raises_a_plain_os_error(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """app.run_gui shows 'can't use its data folder {folder} ({error})' for an OSError from SingleInstance."""
    from sciatica_coach.platform.single_instance import SingleInstance

    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    with pytest.raises(OSError) as info:
        SingleInstance(a_file)
    assert info.value.strerror == "it is a file, not a folder"
    planted = tmp_path / "data"
    planted.mkdir()
    (planted / LOCK_NAME).mkdir()
    with pytest.raises(LockError) as lock_info:
        SingleInstance(planted)
    assert lock_info.value.strerror == "a folder is in the place of its lock file .lock"
    monkeypatch.setattr(os, "access", lambda path, mode, **_k: not mode & os.W_OK)
    with pytest.raises(LockError) as ro_info:
        SingleInstance(tmp_path)
    assert ro_info.value.strerror == "it is read-only"


def test_the_window_names_a_running_command_as_the_holder(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """run_gui itself: a launch while a command holds the folder says so, and doesn't say "already running"."""
    from sciatica_coach import app as app_module

    shown: list[str] = []
    monkeypatch.setattr(app_module, "show_error", lambda _title, text: shown.append(text))
    lock = held_by(data_dir, COMMAND)
    try:
        assert app_module.run_gui(data_dir, ["sciatica-coach"]) == 2
    finally:
        lock.release()
    assert len(shown) == 1 and "command" in shown[0] and "already running" not in shown[0]
