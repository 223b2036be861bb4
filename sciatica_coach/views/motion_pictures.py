"""Short moving pictures of the exercises for the README: one animated PNG per phase of the programme, each
exercise of that phase going through one repetition as the session shows it (core/motion.py,
views/figure_motion.py).

    QT_QPA_PLATFORM=offscreen python -m sciatica_coach.views.motion_pictures -o docs/moving

Animated PNG (APNG) is written here from Qt's own PNG frames, so no imaging library is needed: each frame's
image data goes into the file as the APNG specification's frame chunks. Browsers and GitHub show APNG;
viewers that do not know it show the first frame.
"""

from __future__ import annotations

import argparse
import logging
import os
import struct
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QImageWriter, QPainter

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.engine import Step
from sciatica_coach.core.model import Exercise, ExerciseKind, Phase
from sciatica_coach.core.motion import MOVE_IN_S, MOVE_OUT_S, blend_at
from sciatica_coach.views.figure_motion import frame_svg
from sciatica_coach.views.illustrations import content_view_box, render_illustration

log = logging.getLogger(__name__)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FPS = 10
CELL = QSize(240, 180)
LABEL_H = 26
COLUMNS = 3
# One repetition: the start pose, the move in, a short hold, the move back, a short rest (seconds).
STILL_START_S, HOLD_S, REST_S = 0.6, 1.2, 0.6
INK, ACCENT, PAPER = QColor("#202020"), QColor("#d9480f"), QColor("#ffffff")


# --- APNG ----------------------------------------------------------------------------------------------------
def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """The (type, data) chunks of a PNG file."""
    if not png.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG image")
    chunks, at = [], len(PNG_SIGNATURE)
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind = png[at + 4 : at + 8]
        chunks.append((kind, png[at + 8 : at + 8 + length]))
        at += 12 + length
    return chunks


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def shared_colours() -> list[int]:
    """One colour table for every frame: paper to ink, paper to accent, and ink to accent, in even steps
    (all a drawing's antialiased edges and see-through props fall on these lines)."""

    def ramp(a: QColor, b: QColor, steps: int) -> list[int]:
        return [
            QColor(
                round(a.red() + (b.red() - a.red()) * i / (steps - 1)),
                round(a.green() + (b.green() - a.green()) * i / (steps - 1)),
                round(a.blue() + (b.blue() - a.blue()) * i / (steps - 1)),
            ).rgb()
            for i in range(steps)
        ]

    return ramp(PAPER, INK, 112) + ramp(PAPER, ACCENT, 96) + ramp(INK, ACCENT, 48)


def png_bytes(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    if not writer.write(image):
        raise OSError(f"Qt could not encode a PNG frame: {writer.errorString()}")
    return bytes(buffer.data().data())


def apng(frames: Sequence[QImage], delay_ms: int) -> bytes:
    """An animated PNG that loops for ever through `frames` (all the same size), `delay_ms` each."""
    if not frames:
        raise ValueError("an animation needs at least one frame")
    size = frames[0].size()
    if any(frame.size() != size for frame in frames):
        raise ValueError("every frame must be the same size")
    first = _chunks(png_bytes(frames[0]))
    header = next(data for kind, data in first if kind == b"IHDR")
    out = [PNG_SIGNATURE, _chunk(b"IHDR", header), _chunk(b"acTL", struct.pack(">II", len(frames), 0))]
    # The first frame's palette and colour chunks hold for every frame (they share one colour table).
    out += [_chunk(kind, data) for kind, data in first if kind not in (b"IHDR", b"IDAT", b"IEND")]
    sequence = 0
    for index, frame in enumerate(frames):
        chunks = first if index == 0 else _chunks(png_bytes(frame))
        control = struct.pack(
            ">IIIIIHHBB", sequence, size.width(), size.height(), 0, 0, delay_ms, 1000, 0, 0
        )  # whole frame at (0, 0); dispose: none; blend: source (each frame is complete)
        out.append(_chunk(b"fcTL", control))
        sequence += 1
        for kind, data in chunks:
            if kind != b"IDAT":
                continue
            if index == 0:
                out.append(_chunk(b"IDAT", data))  # the first frame is also the still image
            else:
                out.append(_chunk(b"fdAT", struct.pack(">I", sequence) + data))
                sequence += 1
    out.append(_chunk(b"IEND", b""))
    return b"".join(out)


# --- the pictures --------------------------------------------------------------------------------------------
def repetition_poses(kind: ExerciseKind, fps: int = FPS) -> list[float]:
    """The figure's pose (0 = start, 1 = hold) at each frame of one repetition, as the session moves it."""
    moments: list[tuple[Step, float, float]] = [(Step.GET_READY, STILL_START_S, STILL_START_S)]
    if kind is ExerciseKind.MOVEMENT:  # a glide: out over the whole move, back over the whole rest
        moments += [
            (Step.HOLD, 2 * MOVE_IN_S, 2 * MOVE_IN_S),
            (Step.REST_REP, 2 * MOVE_OUT_S, 2 * MOVE_OUT_S),
        ]
    else:
        moments += [(Step.HOLD, MOVE_IN_S + HOLD_S, 30.0), (Step.REST_REP, MOVE_OUT_S + REST_S, 30.0)]
    poses = []
    for step, seconds, duration in moments:
        poses += [blend_at(step, i / fps, duration, kind) for i in range(round(seconds * fps))]
    return poses


def phase_frames(exercises: Sequence[Exercise], fps: int = FPS) -> list[QImage]:
    """Every exercise of a phase side by side, each through one repetition (the shorter ones wait at rest)."""
    rows = (len(exercises) + COLUMNS - 1) // COLUMNS
    columns = min(COLUMNS, len(exercises))
    poses = [repetition_poses(exercise.kind, fps) for exercise in exercises]
    length = max(len(p) for p in poses)
    font = QFont()
    font.setPixelSize(15)
    colours = shared_colours()
    frames = []
    for index in range(length):
        image = QImage(CELL.width() * columns, (CELL.height() + LABEL_H) * rows, QImage.Format.Format_RGB32)
        image.fill(PAPER)
        painter = QPainter(image)
        painter.setFont(font)
        painter.setPen(INK)
        for number, exercise in enumerate(exercises):
            x, y = CELL.width() * (number % columns), (CELL.height() + LABEL_H) * (number // columns)
            pose = poses[number][index] if index < len(poses[number]) else 0.0
            start, hold = exercise.start_illustration, exercise.hold_illustration
            svg = frame_svg(start, hold, pose) if 0.0 < pose < 1.0 else None
            shown = start if pose < 0.5 else hold
            picture = render_illustration(
                shown, CELL, INK, ACCENT, view_box=content_view_box((start, hold)), svg_text=svg
            )
            painter.drawImage(x, y, picture)
            painter.drawText(
                QRectF(x, y + CELL.height(), CELL.width(), LABEL_H),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                exercise.name,
            )
        painter.end()
        frames.append(
            image.convertToFormat(
                QImage.Format.Format_Indexed8, colours, Qt.ImageConversionFlag.ThresholdDither
            )
        )
    return frames


def write_all(folder: Path, fps: int = FPS) -> list[Path]:
    """One animated PNG per phase into `folder`; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    exercises = list(load_catalogue().exercises.values())
    written = []
    for phase in Phase:
        chosen = [exercise for exercise in exercises if exercise.phase is phase]
        if not chosen:
            continue
        path = folder / f"phase-{phase.value}-{phase.name.lower()}.png"
        path.write_bytes(apng(phase_frames(chosen, fps), round(1000 / fps)))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the README's moving pictures of the exercises.")
    parser.add_argument("-o", "--output", type=Path, default=Path("docs/moving"))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    del app
    for path in write_all(args.output):
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
