"""Two small command-line courtesies: a reader that stops reading (`routine show | head`) ends the command
quietly, with no traceback; and a routine file given to the history import is named for what it is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sciatica_coach.cli.main import EXIT_CLOSED_PIPE, main
from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.model import Phase
from sciatica_coach.core.prescription import dumps_prescription
from sciatica_coach.storage.exchange import ExchangeError, RoutineFileError, parse_import
from tests.helpers import CHILD_PYTHONPATH, PACKAGE_HOME


def run_into_closed_pipe(data_dir: Path, *command: str) -> subprocess.CompletedProcess[bytes]:
    """Run the real command with stdout a pipe whose reader has already gone (as `| head` does once it has
    its lines): every write gets EPIPE."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "sciatica_coach", "--data-dir", str(data_dir), *command],
            stdout=write_end,
            stderr=subprocess.PIPE,
            cwd=PACKAGE_HOME,
            env={**os.environ, "PYTHONPATH": CHILD_PYTHONPATH},
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    "command", [("routine", "show"), ("reminders", "list"), ("stats",), ("export", "--format", "json")]
)
def test_a_closed_pipe_ends_the_command_quietly(data_dir: Path, command: tuple[str, ...]) -> None:
    done = run_into_closed_pipe(data_dir, *command)
    assert b"Traceback" not in done.stderr and b"BrokenPipe" not in done.stderr, done.stderr.decode()
    assert done.stderr == b""
    assert done.returncode == EXIT_CLOSED_PIPE


def test_head_reads_the_first_line_and_nothing_complains(data_dir: Path) -> None:
    shell = (
        f"{sys.executable} -m sciatica_coach --data-dir '{data_dir}' routine show | head -n 1; "
        "exit ${PIPESTATUS[0]}"
    )
    done = subprocess.run(["bash", "-c", shell], capture_output=True, cwd=PACKAGE_HOME, timeout=60, check=False,
                          env={**os.environ, "PYTHONPATH": CHILD_PYTHONPATH})  # fmt: skip
    assert done.stdout.decode().startswith("Phase 1 routine")
    assert done.stderr == b"", done.stderr.decode()
    assert done.returncode in (0, EXIT_CLOSED_PIPE)  # 0 when `head` read everything before it went


def routine_file(tmp_path: Path) -> Path:
    path = tmp_path / "from-my-physio.json"
    path.write_text(dumps_prescription(load_catalogue().default_routine(Phase.STRENGTH)), encoding="utf-8")
    return path


def test_history_import_of_a_routine_file_says_what_to_do(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = routine_file(tmp_path)
    assert main(["--data-dir", str(data_dir), "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "missing" not in err
    assert f"This is a routine file, not a history file: use `sciatica-coach routine import {path}`" in err


def test_parse_import_tells_a_routine_file_from_a_missing_or_other_format(tmp_path: Path) -> None:
    with pytest.raises(RoutineFileError, match="is a routine file, not a history file"):
        parse_import(routine_file(tmp_path).read_bytes(), "physio.json")
    with pytest.raises(ExchangeError, match="field is missing"):
        parse_import(b'{"version": 1}', "x.json")
    with pytest.raises(ExchangeError, match='field says "something-else"') as other:
        parse_import(json.dumps({"format": "something-else"}).encode(), "x.json")
    assert "missing" not in str(other.value)
