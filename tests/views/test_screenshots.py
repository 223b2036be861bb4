"""The screenshot command: runs offscreen in its own process and writes every expected, non-blank picture,
for the main views and for every stage of a whole session."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from sciatica_coach.views.screenshots import (
    SESSION_FOLDER,
    SESSION_STAGES,
    SIZE,
    VIEWS,
    expected_files,
    expected_session_files,
)

ROOT = Path(__file__).resolve().parents[2]
MIN_COLOURS = 12  # a blank or single-colour picture has one or two; a real view has hundreds
SAMPLE_STEP_PX = 8


def distinct_colours(image: QImage) -> int:
    return len(
        {image.pixel(x, y) for x in range(0, image.width(), SAMPLE_STEP_PX)
         for y in range(0, image.height(), SAMPLE_STEP_PX)}
    )  # fmt: skip


def render(out: Path, which: str) -> None:
    """The command in its own process (offscreen, its own QApplication), one theme."""
    done = subprocess.run(
        [sys.executable, "-m", "sciatica_coach.views.screenshots", "-o", str(out), "--theme", "light",
         "--set", which],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def assert_picture(path: Path) -> None:
    image = QImage(str(path))
    assert (image.width(), image.height()) == SIZE, path.name
    assert distinct_colours(image) >= MIN_COLOURS, f"{path.name} looks blank"


@pytest.mark.slow
def test_one_theme_renders_every_view(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    render(out, "views")
    expected = expected_files(["light"])
    assert len(expected) == len(VIEWS) + 3
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)
    for name in expected:
        assert_picture(out / name)
    assert (out / "session.png").read_bytes() == (out / "session-light.png").read_bytes()
    profile_data = [tmp_path / "data", tmp_path / "home" / ".local/share/sciatica-coach"]
    assert not any(p.exists() for p in profile_data), "the profile's data folders are never touched"


@pytest.mark.slow
def test_one_theme_renders_every_stage_of_a_session(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    render(out, "session")
    expected = expected_session_files(["light"])
    assert expected[:3] == [
        f"{SESSION_FOLDER}/01-guidance-light.png", f"{SESSION_FOLDER}/02-red-flags-light.png",
        f"{SESSION_FOLDER}/03-triage-urgent-light.png",
    ]  # fmt: skip
    assert len(expected) == len(SESSION_STAGES) == 16
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.png")) == sorted(expected)
    for name in expected:
        assert_picture(out / name)
    pictures = [(out / name).read_bytes() for name in expected]
    assert len(set(pictures)) == len(pictures), "each stage shows something else (the walk moved on)"
