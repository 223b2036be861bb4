"""The command line contract: --version, exit 2 with one plain line on bad input, no Qt widgets imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sciatica_coach import __version__
from sciatica_coach.cli.main import main


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sciatica_coach", *args], capture_output=True, text=True, timeout=60, cwd=cwd
    )


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"sciatica-coach {__version__}"


def test_unknown_option_is_exit_2_with_one_line() -> None:
    result = run_cli("--frobnicate")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "--frobnicate" in lines[0]
    assert "Traceback" not in result.stderr


def test_unknown_command_is_exit_2() -> None:
    result = run_cli("no-such-command")
    assert result.returncode == 2
    assert "no-such-command" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_version_does_not_import_qt_widgets() -> None:
    code = (
        "import sys; from sciatica_coach.cli.main import build_parser; build_parser();"
        "print('PySide6.QtWidgets' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False"
