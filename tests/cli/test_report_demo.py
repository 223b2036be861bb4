"""`demo-data` and `report` on the command line: refusing real folders, the lock, and the PDF's text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sciatica_coach.cli.main import main
from sciatica_coach.storage.lock import FolderLock
from sciatica_coach.storage.repository import Repository
from tests.storage.test_repository import make_session


def test_demo_data_fills_a_fresh_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path), "demo-data", "--weeks", "6"]) == 0
    assert "demo session(s)" in capsys.readouterr().out
    repo = Repository.open(tmp_path)
    assert repo.session_count() > 40
    assert repo.excused_days()
    assert repo.plan_start() is not None
    repo.close()
    # running it again adds nothing twice and is not refused (the folder holds only demo sessions)
    count = Repository.open(tmp_path).session_count()
    assert main(["--data-dir", str(tmp_path), "demo-data", "--weeks", "6"]) == 0
    assert Repository.open(tmp_path).session_count() == count


def test_demo_data_refuses_a_folder_with_real_sessions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = Repository.open(tmp_path)
    repo.save_session(make_session(1))
    repo.close()
    assert main(["--data-dir", str(tmp_path), "demo-data", "--weeks", "4"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "1 real session" in err[0] and "--force" in err[0]
    assert [s.id for s in Repository.open(tmp_path).sessions()] == ["s1"]

    assert main(["--data-dir", str(tmp_path), "demo-data", "--weeks", "4", "--force"]) == 0
    assert Repository.open(tmp_path).session_count() > 1


def test_demo_data_waits_for_the_open_app(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lock = FolderLock(tmp_path)
    assert lock.acquire()
    try:
        assert main(["--data-dir", str(tmp_path), "demo-data", "--weeks", "4"]) == 2
    finally:
        lock.release()
    assert "please close it" in capsys.readouterr().err
    assert Repository.open(tmp_path).session_count() == 0


@pytest.mark.parametrize("weeks", ["0", "abc", "9999"])
def test_demo_data_bad_weeks_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], weeks: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--data-dir", str(tmp_path), "demo-data", "--weeks", weeks])
    assert exit_info.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


PDFTOTEXT = shutil.which("pdftotext")
