"""A contact sheet of every exercise drawing, start and hold side by side, for reviewing the set at a glance.

QT_QPA_PLATFORM=offscreen python -m sciatica_coach.views.contact_sheet -o docs/illustrations.png [--dark]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QImageWriter, QPainter

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.views.illustrations import ILLUSTRATION_ASPECT, paint_illustration

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SheetEntry:
    """One exercise on the sheet: its name and its two drawings."""

    name: str
    start_illustration: str
    hold_illustration: str


def catalogue_entries() -> list[SheetEntry]:
    """Every exercise in the bundled catalogue, in catalogue order."""
    return [
        SheetEntry(exercise.name, exercise.start_illustration, exercise.hold_illustration)
        for exercise in load_catalogue().exercises.values()
    ]


COLUMNS = 3  # exercises per row
CELL_W_PX = 300  # one drawing
CELL_H_PX = round(CELL_W_PX / ILLUSTRATION_ASPECT)
GAP_PX = 16
MARGIN_PX = 32
NAME_H_PX = 40
CAPTION_H_PX = 28

LIGHT_SCHEME = {
    "paper": "#f4f2ee",
    "card": "#ffffff",
    "ink": "#1b1b1b",
    "muted": "#4d4b47",
    "accent": "#d9480f",
}
DARK_SCHEME = {
    "paper": "#16181b",
    "card": "#212428",
    "ink": "#f3f3f1",
    "muted": "#c4c1bb",
    "accent": "#ff8a4c",
}


def render_sheet(exercises: Sequence[SheetEntry], *, dark: bool = False) -> QImage:
    """Every exercise's start and hold drawings in a grid, named and captioned."""
    scheme = DARK_SCHEME if dark else LIGHT_SCHEME
    rows = max(1, -(-len(exercises) // COLUMNS))
    block_w = 2 * CELL_W_PX + GAP_PX
    block_h = NAME_H_PX + CELL_H_PX + CAPTION_H_PX
    width = 2 * MARGIN_PX + COLUMNS * block_w + (COLUMNS - 1) * 2 * GAP_PX
    height = 2 * MARGIN_PX + rows * block_h + (rows - 1) * 2 * GAP_PX
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(scheme["paper"]))
    ink, accent, muted = QColor(scheme["ink"]), QColor(scheme["accent"]), QColor(scheme["muted"])

    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    name_font = QFont()
    name_font.setPixelSize(20)
    name_font.setBold(True)
    caption_font = QFont()
    caption_font.setPixelSize(16)
    try:
        for index, entry in enumerate(exercises):
            row, column = divmod(index, COLUMNS)
            left = MARGIN_PX + column * (block_w + 2 * GAP_PX)
            top = MARGIN_PX + row * (block_h + 2 * GAP_PX)
            painter.setPen(ink)
            painter.setFont(name_font)
            painter.drawText(
                QRectF(left, top, block_w, NAME_H_PX),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                entry.name,
            )
            stages = (("start", entry.start_illustration), ("hold", entry.hold_illustration))
            for position, (stage, illustration_id) in enumerate(stages):
                cell = QRectF(left + position * (CELL_W_PX + GAP_PX), top + NAME_H_PX, CELL_W_PX, CELL_H_PX)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(scheme["card"]))
                painter.drawRoundedRect(cell, 12, 12)
                paint_illustration(painter, cell, illustration_id, ink, accent)
                painter.setPen(muted)
                painter.setFont(caption_font)
                painter.drawText(
                    QRectF(cell.left(), cell.bottom(), cell.width(), CAPTION_H_PX),
                    int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter),
                    stage,
                )
    finally:
        painter.end()
    return image


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render every exercise drawing into one PNG contact sheet.")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the PNG file to write")
    parser.add_argument("--dark", action="store_true", help="light drawings on a dark background")
    args = parser.parse_args(argv)
    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # drawing into an image needs no display
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    image = render_sheet(catalogue_entries(), dark=args.dark)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    writer = QImageWriter(str(args.output), QByteArray(b"PNG"))
    if not writer.write(image):
        log.error("could not write %s: %s", args.output, writer.errorString())
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
