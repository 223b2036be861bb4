"""Atomic writes: a crash at any point leaves the old file whole."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sciatica_coach.storage.atomic import atomic_write


def test_writes_new_content_with_private_mode(tmp_path: Path) -> None:
    target = tmp_path / "data.json"
    atomic_write(target, b"hello")
    assert target.read_bytes() == b"hello"
    assert target.stat().st_mode & 0o777 == 0o600


def test_crash_between_temp_write_and_replace_keeps_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    target = folder / "data.json"
    target.write_bytes(b'{"old": true}')

    def crash(*_args: object) -> None:
        raise OSError(5, "simulated crash before rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="simulated crash"):
        atomic_write(target, b'{"new": true}')
    assert target.read_bytes() == b'{"old": true}'
    assert [p.name for p in folder.iterdir()] == ["data.json"], "the temp file must be cleaned up"


def test_failed_fsync_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "data.json"
    target.write_bytes(b"old")

    def full_disk(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"


def test_stale_temp_files_of_dead_writers_are_swept(tmp_path: Path) -> None:
    import subprocess
    import sys

    from sciatica_coach.storage.atomic import remove_stale_temp_files

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(dead.stdout)
    stale = tmp_path / f".sciatica-coach.json.{dead_pid}.tmp"
    stale.write_text("half a write")
    mine = tmp_path / f".sciatica-coach.json.{os.getpid()}.tmp"
    mine.write_text("a write in progress")
    other = tmp_path / "notes.tmp"
    other.write_text("not ours")
    assert remove_stale_temp_files(tmp_path) == [stale]
    assert not stale.exists() and mine.exists() and other.exists()
