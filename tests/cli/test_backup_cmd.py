"""backup and restore on the command line: everything round-trips, restore shows what it replaces and asks,
refuses without --yes when nobody can answer, and refuses bad files and an open app with nothing changed."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from sciatica_coach.cli.main import main
from sciatica_coach.services.plans import PLAN_KEY
from sciatica_coach.storage.backup import BACKUPS_FOLDER
from sciatica_coach.storage.lock import FolderLock
from sciatica_coach.storage.repository import ROUTINE_KEY, Repository
from tests.storage.test_backup import files, full_folder, raw_bytes


class Terminal(io.StringIO):
    """Standard input that is a terminal, with the person's answer typed in."""

    def isatty(self) -> bool:
        return True


def backed_up(tmp_path: Path) -> tuple[Path, Path]:
    """A full folder backed up with the command, and a second folder with its own small data."""
    source, target = tmp_path / "source", tmp_path / "target"
    full_folder(source).close()
    out = tmp_path / "everything.json"
    assert main(["--data-dir", str(source), "backup", "-o", str(out)]) == 0
    repo = Repository.open(target)
    repo.set_setting("volume", 20)
    repo.close()
    return out, target


def test_backup_then_restore_with_yes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, target = backed_up(tmp_path)
    printed = capsys.readouterr().out
    assert f"Saved a backup of everything in {out}" in printed and "6 sessions, from 2024-01-10" in printed
    assert json.loads(out.read_text())["format"] == "sciatica-coach-backup"
    assert main(["--data-dir", str(target), "restore", str(out), "--yes"]) == 0
    printed = capsys.readouterr().out
    assert "Now:\n  0 sessions" in printed and "Reminders: 07:30, 12:15, 21:00" in printed
    assert "Restored. Your data as it was before is kept in" in printed
    assert files(target) == files(tmp_path / "source")
    repo = Repository.open(target)
    assert repo.state(ROUTINE_KEY)["phase"] == 2 and len(repo.state(PLAN_KEY)["reminders"]) == 3
    assert len(list((target / BACKUPS_FOLDER).glob("before-restore-*.json"))) == 1


def test_restore_without_yes_and_no_terminal_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, target = backed_up(tmp_path)
    before = raw_bytes(target)
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))  # piped: not a person at a terminal
    assert main(["--data-dir", str(target), "restore", str(out)]) == 2
    assert "add --yes" in capsys.readouterr().err
    assert raw_bytes(target) == before and not (target / BACKUPS_FOLDER).exists()


@pytest.mark.parametrize(("answer", "code"), [("y\n", 0), ("n\n", 1), ("\n", 1)])
def test_restore_asks_at_a_terminal(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    code: int,
) -> None:
    out, target = backed_up(tmp_path)
    before = raw_bytes(target)
    monkeypatch.setattr("sys.stdin", Terminal(answer))
    assert main(["--data-dir", str(target), "restore", str(out)]) == code
    printed = capsys.readouterr().out
    assert "In the backup (made " in printed and "Replace your data with the backup?" in printed
    if code == 0:
        assert files(target) == files(tmp_path / "source")
    else:
        assert "Nothing was changed." in printed and raw_bytes(target) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{{{", "not JSON"),
        ('{"format": "sciatica-coach-backup", "version": 99}', "newer Sciatica Coach"),
        ('{"format": "sciatica-coach-history", "version": 1, "sessions": []}', "history export"),
    ],
)
def test_restore_refuses_a_bad_file_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    _out, target = backed_up(tmp_path)
    before = raw_bytes(target)
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    assert main(["--data-dir", str(target), "restore", str(bad), "--yes"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and "Nothing was changed" in err[0]
    assert raw_bytes(target) == before


def test_restore_refuses_while_the_app_holds_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, target = backed_up(tmp_path)
    before = raw_bytes(target)
    lock = FolderLock(target)
    assert lock.acquire()
    try:
        assert main(["--data-dir", str(target), "restore", str(out), "--yes"]) == 2
    finally:
        lock.release()
    assert "is open with this data folder" in capsys.readouterr().err
    assert raw_bytes(target) == before


@pytest.mark.parametrize(("where", "message"), [("{folder}", "is a folder"), ("{nowhere}", "does not exist")])
def test_backup_to_a_bad_place_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str, message: str
) -> None:
    target = where.format(folder=tmp_path, nowhere=tmp_path / "no" / "such" / "b.json")
    assert main(["--data-dir", str(tmp_path / "data"), "backup", "-o", target]) == 2
    assert message in capsys.readouterr().err


def test_backup_needs_an_output_file(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["backup"])
    assert info.value.code == 2 and "-o/--output" in capsys.readouterr().err
