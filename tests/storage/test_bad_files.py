"""Bad data files beyond the main file's cases in test_repository.py: the yearly history files, and the CLI.

Each case: a clear message, the original kept (aside, or untouched when refused), nothing else lost."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sciatica_coach.cli.main import main
from sciatica_coach.storage import atomic
from sciatica_coach.storage.exchange import apply_import, export_json, parse_import
from sciatica_coach.storage.lock import LOCK_NAME
from sciatica_coach.storage.migrations import SCHEMA_VERSION
from sciatica_coach.storage.repository import DATA_FILE, HISTORY_FOLDER, DataError, Repository, history_file
from tests.storage.test_repository import make_session

TZ = ZoneInfo("Europe/Berlin")
ROOT = Path(__file__).resolve().parents[2]


def session_in(year: int, n: int = 1):  # type: ignore[no-untyped-def]
    start = datetime(year, 5, n, 8, 0, tzinfo=TZ)
    return replace(make_session(n), id=f"y{year}-{n}", started_at=start, ended_at=start.replace(minute=12))


def two_years(folder: Path) -> Repository:
    """A folder with a 2025 and a 2026 history file and a setting in the main file."""
    repo = Repository.open(folder)
    repo.save_session(session_in(2025))
    repo.save_session(session_in(2026))
    repo.set_setting("volume", 35)
    return repo


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def kept_aside(path: Path) -> list[Path]:
    return [p for p in path.parent.iterdir() if p.name.startswith(f"{path.name}.broken-")]


# ---- the yearly history files ----------------------------------------------------------------------------
def test_newer_year_file_is_refused_and_nothing_is_touched(data_dir: Path) -> None:
    two_years(data_dir).close()
    newer = {"meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}, "sessions": {"1": {"id": "future"}}}
    history_file(data_dir, 2026).write_text(json.dumps(newer))
    before = snapshot(data_dir)
    with pytest.raises(DataError, match="newer version") as info:
        Repository.open(data_dir)
    assert "sessions-2026.json" in str(info.value) and "update Sciatica Coach" in str(info.value)
    assert snapshot(data_dir) == before, "nothing moved, nothing rewritten"


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "empty"),
        (b"\x00\x00\x00\x00", "could not be read"),
        (b"[]", "not in the expected shape"),
        (b'"just a string"', "not in the expected shape"),
        # A bad table, entry or version mark inside a readable year file sets aside only that part (issue 17,
        # class 3): see tests/storage/test_bad_records.py.
    ],
)
def test_year_file_of_the_wrong_shape_is_moved_aside_and_the_rest_kept(
    data_dir: Path, content: bytes, why: str
) -> None:
    two_years(data_dir).close()
    path = history_file(data_dir, 2026)
    path.write_bytes(content)
    repo = Repository.open(data_dir)
    assert len(repo.notices) == 1 and why in repo.notices[0]
    [kept] = kept_aside(path)
    assert kept.read_bytes() == content and str(kept) in repo.notices[0]
    assert [s.id for s in repo.sessions()] == ["y2025-1"], "the other year is untouched"
    assert repo.setting("volume") == 35, "settings are untouched"
    repo.save_session(session_in(2026, 2))  # the year starts afresh and saves normally
    reopened = Repository.open(data_dir)
    assert reopened.notices == []
    assert [s.id for s in reopened.sessions()] == ["y2025-1", "y2026-2"]


def test_folder_in_place_of_a_year_file_is_moved_aside(data_dir: Path) -> None:
    two_years(data_dir).close()
    path = history_file(data_dir, 2026)
    path.unlink()
    path.mkdir()
    (path / "inside.txt").write_text("keep me")
    repo = Repository.open(data_dir)
    assert len(repo.notices) == 1 and "folder" in repo.notices[0]
    [kept] = kept_aside(path)
    assert (kept / "inside.txt").read_text() == "keep me"
    assert [s.id for s in repo.sessions()] == ["y2025-1"]
    repo.save_session(session_in(2026, 3))
    assert history_file(data_dir, 2026).is_file()
    assert [s.id for s in Repository.open(data_dir).sessions()] == ["y2025-1", "y2026-3"]


def test_unreadable_year_file_is_refused_without_changes(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root ignores permissions, so the refusal is simulated where the file is read."""
    two_years(data_dir).close()
    before = snapshot(data_dir)
    original = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self.name == "sessions-2025.json":
            raise PermissionError(errno.EACCES, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(DataError, match="isn't allowed to read") as info:
        Repository.open(data_dir)
    assert "sessions-2025.json" in str(info.value) and "nothing has been changed" in str(info.value)
    monkeypatch.undo()
    assert snapshot(data_dir) == before


def _full_disk_on_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC from the real write call inside atomic_write (the temp file must be cleaned up)."""
    real_write = os.write

    def write(fd: int, data: bytes) -> int:
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(atomic.os, "write", write)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to tell the temp file apart")
def test_disk_full_creating_a_new_year_file_leaves_nothing_behind(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = two_years(data_dir)
    before = snapshot(data_dir)
    _full_disk_on_write(monkeypatch)
    with pytest.raises(DataError, match="disk is full"):
        repo.save_session(session_in(2024))
    assert snapshot(data_dir) == before, "no half file, no temp file, the other years untouched"
    assert not history_file(data_dir, 2024).exists()
    assert [s.id for s in repo.sessions()] == ["y2025-1", "y2026-1"], "memory matches the disk"
    monkeypatch.undo()
    repo.save_session(session_in(2024))  # space freed: the same save now works
    assert [s.id for s in Repository.open(data_dir).sessions()] == ["y2024-1", "y2025-1", "y2026-1"]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to tell the temp file apart")
def test_disk_full_during_an_import_keeps_every_file_whole(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = Repository.open(tmp_path / "other")
    for year in (2024, 2025):
        source.save_session(session_in(year, 9))
    bundle = parse_import(export_json(source, datetime(2026, 6, 1, tzinfo=TZ)).encode())
    repo = two_years(data_dir)
    before = snapshot(data_dir)
    _full_disk_on_write(monkeypatch)
    with pytest.raises(DataError, match="disk is full"):
        apply_import(repo, bundle)
    assert snapshot(data_dir) == before
    monkeypatch.undo()
    reopened = Repository.open(data_dir)
    assert reopened.notices == [] and reopened.session_count() == 2
    assert apply_import(reopened, bundle).added == 2, "importing again once there is space works"


def test_file_in_place_of_the_history_folder(data_dir: Path) -> None:
    Repository.open(data_dir).close()
    (data_dir / HISTORY_FOLDER).write_text("not a folder")
    repo = Repository.open(data_dir)
    assert len(repo.notices) == 1 and "history folder" in repo.notices[0]
    kept = [p for p in data_dir.iterdir() if p.name.startswith(f"{HISTORY_FOLDER}.broken-")]
    assert len(kept) == 1 and kept[0].read_text() == "not a folder"
    repo.save_session(session_in(2026))
    assert [s.id for s in Repository.open(data_dir).sessions()] == [session_in(2026).id]


# ---- the same through the command line -------------------------------------------------------------------
def _newer(path: Path) -> bytes:
    content = json.dumps({"meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}}).encode()
    path.write_bytes(content)
    return content


@pytest.mark.parametrize("which", ["main", "year"])
def test_cli_refuses_a_newer_file_with_one_plain_line(data_dir: Path, which: str) -> None:
    two_years(data_dir).close()
    path = data_dir / DATA_FILE if which == "main" else history_file(data_dir, 2025)
    _newer(path)
    before = snapshot(data_dir)
    result = subprocess.run(
        [sys.executable, "-m", "sciatica_coach", "--data-dir", str(data_dir), "stats"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith("sciatica-coach: ") and "newer version" in lines[0] and path.name in lines[0]
    # the command took the folder lock (an empty-of-data file, kept for the next holder); nothing else changed
    assert {k: v for k, v in snapshot(data_dir).items() if k != LOCK_NAME} == before


@pytest.mark.parametrize("which", ["main", "year"])
def test_cli_starts_fresh_with_a_notice_for_a_broken_file(
    data_dir: Path, which: str, capsys: pytest.CaptureFixture[str]
) -> None:
    two_years(data_dir).close()
    path = data_dir / DATA_FILE if which == "main" else history_file(data_dir, 2026)
    path.write_bytes(b'{"meta": {"1": {"schema_vers')
    assert main(["--data-dir", str(data_dir), "stats", "--weeks", "2"]) == 0
    out, err = capsys.readouterr()
    assert "Current streak" in out
    [kept] = kept_aside(path)
    assert kept.read_bytes() == b'{"meta": {"1": {"schema_vers'
    assert "could not be read" in err and str(kept) in err
    reopened = Repository.open(data_dir)
    assert reopened.notices == [], "told once; the next start is clean"
    if which == "main":  # the history survives a broken main file, the settings survive a broken year
        assert [s.id for s in reopened.sessions()] == ["y2025-1", "y2026-1"]
    else:
        assert reopened.setting("volume") == 35 and [s.id for s in reopened.sessions()] == ["y2025-1"]


def test_cli_import_on_a_full_disk_exits_2_and_changes_nothing(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = Repository.open(tmp_path / "other")
    source.save_session(session_in(2024, 4))
    export = tmp_path / "export.json"
    export.write_text(export_json(source, datetime(2026, 6, 1, tzinfo=TZ)))
    two_years(data_dir).close()
    before = snapshot(data_dir)

    def full(*_a: object, **_k: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("sciatica_coach.storage.repository.atomic_write", full)
    assert main(["--data-dir", str(data_dir), "import", str(export)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "disk is full" in err
    assert {k: v for k, v in snapshot(data_dir).items() if k != ".lock"} == {
        k: v for k, v in before.items() if k != ".lock"
    }
