"""The screenshot command: runs offscreen in its own process and writes every expected, non-blank picture."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from sciatica_coach.views.screenshots import SIZE, VIEWS, expected_files

ROOT = Path(__file__).resolve().parents[2]
MIN_COLOURS = 12  # a blank or single-colour picture has one or two; a real view has hundreds
SAMPLE_STEP_PX = 8


def distinct_colours(image: QImage) -> int:
    return len(
        {image.pixel(x, y) for x in range(0, image.width(), SAMPLE_STEP_PX)
         for y in range(0, image.height(), SAMPLE_STEP_PX)}
    )  # fmt: skip


def test_one_theme_renders_every_view(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    done = subprocess.run(
        [sys.executable, "-m", "sciatica_coach.views.screenshots", "-o", str(out), "--theme", "light"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    expected = expected_files(["light"])
    assert len(expected) == len(VIEWS) + 3
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)
    for name in expected:
        image = QImage(str(out / name))
        assert (image.width(), image.height()) == SIZE, name
        assert distinct_colours(image) >= MIN_COLOURS, f"{name} looks blank"
    assert (out / "session.png").read_bytes() == (out / "session-light.png").read_bytes()
    profile_data = [tmp_path / "data", tmp_path / "home" / ".local/share/sciatica-coach"]
    assert not any(p.exists() for p in profile_data), "the profile's data folders are never touched"
