"""The README's moving pictures (views/motion_pictures.py): a valid animated PNG, frames in order, one
repetition per exercise as the session moves it."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from sciatica_coach.core.model import ExerciseKind
from sciatica_coach.views.motion_pictures import FPS, apng, repetition_poses, write_all


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    found, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, kind
        found.append((kind, body))
        at += 12 + length
    return found


def solid(colour: str, size: tuple[int, int] = (8, 6)) -> QImage:
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    return image


def test_an_animation_has_every_frame_in_order_and_loops(qapp: QApplication) -> None:
    data = apng([solid("red"), solid("green"), solid("blue")], 100)
    found = chunks(data)
    kinds = [kind for kind, _ in found]
    assert kinds[:2] == [b"IHDR", b"acTL"] and kinds[-1] == b"IEND"
    assert struct.unpack(">II", dict(found)[b"acTL"]) == (3, 0)  # three frames, looping for ever
    controls = [body for kind, body in found if kind == b"fcTL"]
    assert len(controls) == 3
    numbers = [struct.unpack(">I", body[:4])[0] for kind, body in found if kind in (b"fcTL", b"fdAT")]
    assert numbers == list(range(len(numbers)))  # the specification's one running sequence
    assert {struct.unpack(">HH", body[20:24]) for body in controls} == {(100, 1000)}  # 100 ms each
    assert kinds.index(b"IDAT") < kinds.index(b"fdAT")  # the first frame is also the still image


def test_a_viewer_without_animation_shows_the_first_frame(qapp: QApplication) -> None:
    still = QImage.fromData(apng([solid("red"), solid("blue")], 100))
    assert not still.isNull() and still.size().width() == 8
    assert QColor(still.pixel(3, 3)) == QColor("red")


def test_no_frames_or_frames_of_different_sizes_are_refused(qapp: QApplication) -> None:
    with pytest.raises(ValueError, match="at least one frame"):
        apng([], 100)
    with pytest.raises(ValueError, match="same size"):
        apng([solid("red"), solid("red", (9, 6))], 100)


@pytest.mark.parametrize("kind", list(ExerciseKind))
def test_one_repetition_goes_out_to_the_hold_and_back(kind: ExerciseKind) -> None:
    poses = repetition_poses(kind)
    top = poses.index(max(poses))
    assert poses[0] == 0.0 and max(poses) == pytest.approx(1.0, abs=0.02) and poses[-1] < 0.05
    assert poses[: top + 1] == sorted(poses[: top + 1]) and poses[top:] == sorted(poses[top:], reverse=True)
    assert len(poses) >= 3 * FPS  # long enough to follow


def test_one_picture_per_phase_is_written(qapp: QApplication, tmp_path: Path) -> None:
    written = write_all(tmp_path, fps=2)
    assert [path.name for path in written] == [
        "phase-1-mobility.png",
        "phase-2-strength.png",
        "phase-3-ball.png",
    ]
    for path in written:
        (count, _plays) = struct.unpack(">II", dict(chunks(path.read_bytes()))[b"acTL"])
        assert count >= 6
        assert not QImage(str(path)).isNull()
