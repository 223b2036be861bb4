"""export, import and stats on the command line: exit codes, messages, files, and the folder lock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sciatica_coach.cli.main import main
from sciatica_coach.storage.lock import FolderLock
from sciatica_coach.storage.repository import Repository
from tests.storage.test_repository import make_session


def test_export_json_to_file_then_import_elsewhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "a", tmp_path / "b"
    repo = Repository.open(source)
    repo.save_session(make_session(1))
    repo.close()
    out = tmp_path / "history.json"
    assert main(["--data-dir", str(source), "export", "--format", "json", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["sessions"][0]["id"] == "s1"
    assert main(["--data-dir", str(target), "import", str(out)]) == 0
    assert "Imported 1 session(s); 0 were already there." in capsys.readouterr().out
    assert [s.id for s in Repository.open(target).sessions()] == ["s1"]


def test_export_csv_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path), "export", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("id,date,start,end")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "{missing}"], "there is no file"),
        (["import", "{folder}"], "is a folder"),
        (["import", "{garbage}"], "not valid JSON"),
        (["export", "-o", "{folder}"], "is a folder"),
        (["export", "-o", "{nowhere}"], "does not exist"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{{{")
    names = {"missing": tmp_path / "nope.json", "folder": tmp_path, "garbage": garbage,
             "nowhere": tmp_path / "no" / "such" / "out.json"}  # fmt: skip
    filled = [a.format(**{k: str(v) for k, v in names.items()}) for a in args]
    assert main(["--data-dir", str(tmp_path / "data"), *filled]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


def test_import_refuses_while_the_app_holds_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "a"
    Repository.open(source).save_session(make_session(1))
    out = tmp_path / "h.json"
    main(["--data-dir", str(source), "export", "-o", str(out)])
    target = tmp_path / "b"
    target.mkdir()
    lock = FolderLock(target)
    assert lock.acquire()
    try:
        assert main(["--data-dir", str(target), "import", str(out)]) == 2
    finally:
        lock.release()
    assert "please close it" in capsys.readouterr().err
    assert Repository.open(target).session_count() == 0


def test_stats_prints_the_weekly_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path), "stats", "--weeks", "4"]) == 0
    out = capsys.readouterr().out
    assert "Adherence" in out and "Current streak" in out
    assert len([line for line in out.splitlines() if "-W" in line]) == 4


@pytest.mark.parametrize("weeks", ["0", "521", "many", "-3"])
def test_stats_rejects_bad_weeks(tmp_path: Path, weeks: str) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--data-dir", str(tmp_path), "stats", "--weeks", weeks])
    assert info.value.code == 2
