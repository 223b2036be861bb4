"""Issue 17, classes 4 (outputs never overwrite the app's own data) and 7 (messages: `--weeks` digits).

`export -o`, `routine export -o`, `report -o/--csv` and `backup -o` refuse any file inside the data folder, however the path
is spelled (`..`, a symlink to it or into it), and any folder, pipe or device; a file that exists is replaced
only with --force. A refused output changes nothing. Numbers on the command line are written with 0-9."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sciatica_coach.cli.args import whole_number
from sciatica_coach.cli.main import main
from sciatica_coach.storage.repository import Repository
from tests.storage.test_repository import make_session

# Each command that writes a file chosen with -o (or --csv), with what its file must end in.
WRITERS = {
    "export json": (["export", "--format", "json", "-o"], ".json"),
    "export csv": (["export", "--format", "csv", "-o"], ".csv"),
    "export safety events": (["export", "--format", "csv", "--safety-events", "-o"], ".csv"),
    "routine export": (["routine", "export", "-o"], ".json"),
    "report csv": (["report", "--csv"], ".csv"),
    "backup": (["backup", "-o"], ".json"),
}


@pytest.fixture
def folder(data_dir: Path) -> Path:
    repo = Repository.open(data_dir)
    repo.save_session(make_session(1))
    repo.close()
    return data_dir


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _inside_targets(folder: Path, tmp_path: Path, suffix: str) -> list[Path]:
    own_file = next(path for path in sorted(folder.iterdir()) if path.suffix == ".json")
    link_to_folder = tmp_path / "innocent-folder"
    link_to_folder.symlink_to(folder)
    link_to_file = tmp_path / f"innocent{suffix}"
    link_to_file.symlink_to(own_file)
    return [
        own_file,  # the app's own data file
        folder / f"new{suffix}",  # a new file in the folder
        folder.parent / folder.name / ".." / folder.name / f"spelled{suffix}",
        link_to_folder / f"through-a-link{suffix}",
        link_to_file,  # a link elsewhere pointing at the data
    ]


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("force", [False, True])
def test_no_output_inside_the_data_folder_even_with_force(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], writer: str, force: bool
) -> None:
    command, suffix = WRITERS[writer]
    for target in _inside_targets(folder, tmp_path, suffix):
        before = _snapshot(folder)
        argv = ["--data-dir", str(folder), *command, str(target), *(["--force"] if force else [])]
        assert main(argv) == 2, target
        err = capsys.readouterr().err
        assert "inside Sciatica Coach's data folder" in err, (target, err)
        assert _snapshot(folder) == before, target
        assert not (folder / f"new{suffix}").exists()


@pytest.mark.parametrize("writer", WRITERS)
def test_an_existing_file_needs_force(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], writer: str
) -> None:
    command, suffix = WRITERS[writer]
    target = tmp_path / f"mine{suffix}"
    target.write_bytes(b"keep me")
    assert main(["--data-dir", str(folder), *command, str(target)]) == 2
    err = capsys.readouterr().err
    assert "already exists; add --force to replace it." in err
    assert target.read_bytes() == b"keep me"
    assert main(["--data-dir", str(folder), *command, str(target), "--force"]) == 0
    assert target.read_bytes() != b"keep me"


@pytest.mark.parametrize("writer", WRITERS)
def test_a_new_file_needs_no_force(folder: Path, tmp_path: Path, writer: str) -> None:
    command, suffix = WRITERS[writer]
    target = tmp_path / f"fresh{suffix}"
    assert main(["--data-dir", str(folder), *command, str(target)]) == 0
    assert target.stat().st_size > 0


def test_a_link_to_a_file_elsewhere_is_kept_and_its_file_replaced(folder: Path, tmp_path: Path) -> None:
    real = tmp_path / "exports" / "history.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    assert main(["--data-dir", str(folder), "export", "-o", str(link), "--force"]) == 0
    assert link.is_symlink() and '"sciatica-coach-history"' in real.read_text()


@pytest.mark.parametrize("writer", WRITERS)
def test_a_pipe_or_device_as_output_is_refused(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], writer: str
) -> None:
    command, _suffix = WRITERS[writer]
    fifo = tmp_path / f"pipe{_suffix}"
    os.mkfifo(fifo)
    assert main(["--data-dir", str(folder), *command, str(fifo), "--force"]) == 2
    assert "not an ordinary file" in capsys.readouterr().err
    assert fifo.exists() and not fifo.is_file()  # left as it was


def test_the_pdf_report_is_refused_inside_the_folder_and_needs_force(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _snapshot(folder)
    assert main(["--data-dir", str(folder), "report", "-o", str(folder / "report.pdf"), "--force"]) == 2
    assert "inside Sciatica Coach's data folder" in capsys.readouterr().err
    assert _snapshot(folder) == before
    existing = tmp_path / "report.pdf"
    existing.write_bytes(b"keep me")
    assert main(["--data-dir", str(folder), "report", "-o", str(existing)]) == 2
    assert "--force" in capsys.readouterr().err and existing.read_bytes() == b"keep me"


# ---- whole numbers on the command line ------------------------------------------------------------------

WEEKS = whole_number("--weeks", 1, 520)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=30))
def test_weeks_reads_only_the_digits_0_to_9(text: str) -> None:
    ascii_number = text.isascii() and text.lstrip("-").isdigit()
    try:
        value = WEEKS(text)
    except argparse.ArgumentTypeError as err:
        assert "--weeks" in str(err)
        assert not ascii_number or not 1 <= int(text) <= 520
        return
    assert ascii_number and value == int(text) and 1 <= value <= 520


@pytest.mark.parametrize("text", ["١٢", "１２", "1_2", " 12", "12 ", "+12", "12\n", "1e1"])
def test_weeks_refuses_what_int_would_take(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as leaving:
        main(["stats", "--weeks", text])
    assert leaving.value.code == 2
    assert "digits 0-9" in capsys.readouterr().err


def test_weeks_out_of_range_and_huge_say_the_range(capsys: pytest.CaptureFixture[str]) -> None:
    for text in ["0", "521", "-3", "9" * 5000]:
        with pytest.raises(SystemExit):
            main(["stats", "--weeks", text])
        assert "must be from 1 to 520" in capsys.readouterr().err
