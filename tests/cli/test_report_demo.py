"""`demo-data` and `report` on the command line: refusing real folders, the lock, and the PDF's text."""

from __future__ import annotations

import shutil
import subprocess
import sys
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


def test_report_command_writes_a_pdf_with_the_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      qapp: object) -> None:  # fmt: skip
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "demo-data", "--weeks", "8"]) == 0
    out = tmp_path / "report.pdf"
    assert main(["--data-dir", str(data), "report", "-o", str(out), "--weeks", "6"]) == 0
    assert "Saved the report" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF-")
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed, so the PDF's text can't be read back")
    text = subprocess.run([PDFTOTEXT, str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Exercise and pain summary" in text and "(6 weeks;" in text
    assert "Habit score" in text and "Safety events" in text
    assert "answered “yes”" in text and "after a session, compared with before it" in text  # the demo's story
    assert Repository.open(data).safety_events(), "demo-data keeps the demo's safety events"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report"], "-o FILE.pdf, --csv FILE.csv, or both"),
        (["report", "--csv", "{txt}"], "should end in .csv"),
        (["report", "-o", "{folder}"], "is a folder"),
        (["report", "-o", "{nowhere}"], "does not exist"),
        (["report", "-o", "{txt}"], "should end in .pdf"),
        (["report", "-o", "{pdf}", "--weeks", "0"], "--weeks"),
    ],
)
def test_report_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    names = {"folder": tmp_path, "nowhere": tmp_path / "no" / "r.pdf", "txt": tmp_path / "r.txt",
             "pdf": tmp_path / "r.pdf"}  # fmt: skip
    filled = [a.format(**{k: str(v) for k, v in names.items()}) for a in args]
    try:
        code = main(["--data-dir", str(tmp_path / "data"), *filled])
    except SystemExit as exit_info:
        code = int(exit_info.code or 0)
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


def test_report_command_never_imports_qt_widgets(tmp_path: Path) -> None:
    code = (
        "import sys; from sciatica_coach.cli.main import main; "
        f"main(['--data-dir', {str(tmp_path / 'd')!r}, 'report', '-o', {str(tmp_path / 'r.pdf')!r}]); "
        "print('PySide6.QtWidgets' in sys.modules, 'pyqtgraph' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split()[-2:] == ["False", "False"]
    assert (tmp_path / "r.pdf").is_file()
