"""Where data lives by default, per platform, and the overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from sciatica_coach.paths import ENV_DATA_DIR, platform_data_dir, resolve_data_dir


@pytest.mark.parametrize(
    ("platform", "env", "expected"),
    [
        ("linux", {"HOME": "/home/ann"}, "/home/ann/.local/share/sciatica-coach"),
        ("linux", {"HOME": "/home/ann", "XDG_DATA_HOME": "/data/ann"}, "/data/ann/sciatica-coach"),
        ("linux", {"HOME": "/home/ann", "XDG_DATA_HOME": "relative"}, "/home/ann/.local/share/sciatica-coach"),
        ("darwin", {"HOME": "/Users/ann"}, "/Users/ann/Library/Application Support/sciatica-coach"),
        ("win32", {"HOME": "C:/Users/ann", "LOCALAPPDATA": "C:/Users/ann/AppData/Local"},
         "C:/Users/ann/AppData/Local/sciatica-coach"),
    ],
)  # fmt: skip
def test_platform_folders(platform: str, env: dict[str, str], expected: str) -> None:
    assert platform_data_dir(platform, env) == Path(expected)


def test_command_line_beats_environment_beats_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "from-env"))
    assert resolve_data_dir(str(tmp_path / "from-cli")) == tmp_path / "from-cli"
    assert resolve_data_dir() == tmp_path / "from-env"
    monkeypatch.delenv(ENV_DATA_DIR)
    assert resolve_data_dir() == platform_data_dir()
    assert str(resolve_data_dir()).startswith(str(tmp_path)), "tests never point at the real profile"
