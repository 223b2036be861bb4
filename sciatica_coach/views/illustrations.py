"""Exercise drawings: find them, colour them for the current palette, and paint them.

The SVG files draw the body in `currentColor` and the moving part in the accent `#d9480f`. Qt's SVG renderer
(SVG Tiny 1.2) does not resolve `currentColor` reliably, so the text is recoloured before it is parsed. A
one-sided exercise has one drawing; the other side is the same drawing mirrored here."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from sciatica_coach.assets import asset_path
from sciatica_coach.i18n import _

log = logging.getLogger(__name__)

INK_TOKEN = "currentColor"
ACCENT_TOKEN = "#d9480f"  # the one accent colour written in the drawings
ILLUSTRATION_ASPECT = 4 / 3  # every drawing's viewBox is 400 x 300
THUMBNAIL_WIDTH_PX = 160


class IllustrationNotFoundError(LookupError):
    """No drawing with that id is bundled."""


def illustration_path(illustration_id: str) -> Path:
    """The SVG file for an id such as "bridge-hold" (it may not exist)."""
    if not illustration_id or "/" in illustration_id or "\\" in illustration_id or ".." in illustration_id:
        raise IllustrationNotFoundError(f"not an illustration id: {illustration_id!r}")
    return asset_path("illustrations", f"{illustration_id}.svg")


@cache
def illustration_source(illustration_id: str) -> str:
    """The SVG text of a drawing, read once per id."""
    path = illustration_path(illustration_id)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise IllustrationNotFoundError(f"no drawing for {illustration_id!r} at {path}") from exc


def recolour(svg_text: str, ink: QColor, accent: QColor) -> str:
    """Swap the drawing's colour tokens for real colours (opacity stays in the SVG's own attributes)."""
    return svg_text.replace(INK_TOKEN, ink.name()).replace(ACCENT_TOKEN, accent.name())


def fitted_rect(bounds: QSize, aspect: float) -> QRectF:
    """The largest rect of the given aspect (width / height) centred in bounds."""
    width, height = float(bounds.width()), float(bounds.height())
    if width <= 0 or height <= 0:
        return QRectF()
    if width / height > aspect:
        fitted_w, fitted_h = height * aspect, height
    else:
        fitted_w, fitted_h = width, width / aspect
    return QRectF((width - fitted_w) / 2, (height - fitted_h) / 2, fitted_w, fitted_h)


def _renderer(illustration_id: str, ink: QColor, accent: QColor) -> QSvgRenderer:
    return _text_renderer(illustration_source(illustration_id), ink, accent, illustration_id)


def _text_renderer(svg_text: str, ink: QColor, accent: QColor, name: str) -> QSvgRenderer:
    renderer = QSvgRenderer(QByteArray(recolour(svg_text, ink, accent).encode("utf-8")))
    if not renderer.isValid():
        raise ValueError(f"the drawing {name!r} is not a valid SVG")
    renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
    return renderer


def paint_illustration(
    painter: QPainter,
    target: QRectF,
    illustration_id: str,
    ink: QColor,
    accent: QColor,
    *,
    mirrored: bool = False,
    view_box: QRectF | None = None,
) -> None:
    """Paint a drawing into target (aspect kept, centred), optionally mirrored left to right.
    `view_box` shows only that part of the drawing (see `content_view_box`)."""
    paint_svg(painter, target, _renderer(illustration_id, ink, accent), mirrored=mirrored, view_box=view_box)


def paint_svg(
    painter: QPainter,
    target: QRectF,
    renderer: QSvgRenderer,
    *,
    mirrored: bool = False,
    view_box: QRectF | None = None,
) -> None:
    """Paint a drawing's renderer into target: the one way every drawing, still or moving, is painted."""
    if view_box is not None and not view_box.isEmpty():
        renderer.setViewBox(view_box)
    view = renderer.viewBoxF()
    aspect = view.width() / view.height() if view.height() > 0 else ILLUSTRATION_ASPECT
    box = fitted_rect(QSize(round(target.width()), round(target.height())), aspect)
    box.translate(target.topLeft())
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if mirrored:
        painter.translate(box.center().x() * 2, 0)
        painter.scale(-1, 1)
    renderer.render(painter, box)
    painter.restore()


def render_illustration(
    illustration_id: str,
    size: QSize,
    ink: QColor,
    accent: QColor,
    *,
    mirrored: bool = False,
    view_box: QRectF | None = None,
    svg_text: str | None = None,
) -> QImage:
    """The drawing on a transparent image of `size`, aspect kept and centred. `svg_text` is a drawing made
    on the fly (a moving figure's frame) shown instead of the file `illustration_id` names."""
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    if size.isEmpty():
        return image
    if svg_text is None:
        renderer = _renderer(illustration_id, ink, accent)
    else:
        renderer = _text_renderer(svg_text, ink, accent, illustration_id)
    painter = QPainter(image)
    try:
        target = QRectF(0, 0, size.width(), size.height())
        paint_svg(painter, target, renderer, mirrored=mirrored, view_box=view_box)
    finally:
        painter.end()
    return image


CONTENT_PROBE_SIZE = QSize(200, 150)
CONTENT_MARGIN = 0.06  # of the drawing's width, kept around the figure


@cache
def content_view_box(illustration_ids: tuple[str, ...], aspect: float = ILLUSTRATION_ASPECT) -> QRectF:
    """The part of the drawings' shared canvas that holds ink in any of them, padded and widened to
    `aspect`. Using the same box for an exercise's start and hold poses keeps the figure the same size
    in both, while a figure lying on the floor no longer floats in empty space."""
    probe = CONTENT_PROBE_SIZE
    top, bottom, left, right = probe.height(), -1, probe.width(), -1
    canvas = QRectF(0, 0, 400, 300)
    for illustration_id in illustration_ids:
        canvas = _renderer(illustration_id, QColor("black"), QColor("black")).viewBoxF()
        image = render_illustration(illustration_id, probe, QColor("black"), QColor("black"))
        alpha = image.convertToFormat(QImage.Format.Format_Alpha8)
        data = bytes(alpha.constBits())[: alpha.bytesPerLine() * alpha.height()]
        stride = alpha.bytesPerLine()
        for y in range(alpha.height()):
            row = data[y * stride : y * stride + alpha.width()]
            if row.strip(b"\x00"):
                top, bottom = min(top, y), max(bottom, y)
                left = min(left, len(row) - len(row.lstrip(b"\x00")))
                right = max(right, len(row.rstrip(b"\x00")) - 1)
    if bottom < 0:
        return canvas
    scale = canvas.width() / probe.width()
    margin = canvas.width() * CONTENT_MARGIN
    box = QRectF(left * scale, top * scale, (right - left + 1) * scale, (bottom - top + 1) * scale)
    box.adjust(-margin, -margin, margin, margin)
    if box.width() / box.height() < aspect:  # too tall: widen around the centre
        extra = box.height() * aspect - box.width()
        box.adjust(-extra / 2, 0, extra / 2, 0)
    else:  # too wide: add height, mostly above the floor line
        extra = box.width() / aspect - box.height()
        box.adjust(0, -extra * 0.8, 0, extra * 0.2)
    return box.intersected(
        canvas.adjusted(-canvas.width(), -canvas.height(), canvas.width(), canvas.height())
    )


class IllustrationWidget(QWidget):
    """Shows one exercise drawing scaled to fit, in the widget's palette colours.

    Ink is the palette's WindowText; the accent is the colour given, else the palette's Highlight. The
    rendered image is kept until the size, palette, drawing or side changes."""

    def __init__(
        self,
        illustration_id: str | None = None,
        *,
        accent: QColor | None = None,
        description: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._illustration_id: str | None = None
        self._frame: tuple[float, str] | None = None  # a moving figure's in-between pose: (t, its SVG text)
        self._mirrored = False
        self._view_box: QRectF | None = None
        self._accent = QColor(accent) if accent is not None else None
        self._image: QImage | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(THUMBNAIL_WIDTH_PX // 2, round(THUMBNAIL_WIDTH_PX / 2 / ILLUSTRATION_ASPECT))
        self.set_illustration(illustration_id, description=description)

    # --- state ---------------------------------------------------------------------------------------------
    def illustration_id(self) -> str | None:
        return self._illustration_id

    def is_mirrored(self) -> bool:
        return self._mirrored

    def set_illustration(
        self,
        illustration_id: str | None,
        *,
        mirrored: bool = False,
        description: str = "",
        view_box: QRectF | None = None,
    ) -> None:
        """Show a drawing (None shows nothing). description becomes the accessible description.
        `view_box` crops to part of the canvas (see `content_view_box`)."""
        if (illustration_id, mirrored, description, view_box) == (
            self._illustration_id,
            self._mirrored,
            self.accessibleDescription(),
            self._view_box,
        ):
            return  # unchanged: keep the rendered image (this is called on every repaint of a session)
        self._illustration_id = illustration_id
        self._mirrored = mirrored
        self._view_box = view_box
        if self._frame is not None and illustration_id is None:
            self._frame = None
        self.setAccessibleName(_("Exercise illustration") if illustration_id else "")
        self.setAccessibleDescription(description)
        self.setToolTip(description)
        self._invalidate()

    def set_pose(
        self,
        start_id: str,
        hold_id: str,
        t: float,
        *,
        mirrored: bool = False,
        description: str = "",
        view_box: QRectF | None = None,
    ) -> None:
        """Show the figure `t` of the way from the drawing `start_id` (0) to `hold_id` (1): the still drawing
        at either end, an in-between pose made by turning its joints (views/figure_motion) in between."""
        from sciatica_coach.views.figure_motion import FRAME_STEPS, frame_svg

        svg = frame_svg(start_id, hold_id, t) if 0.0 < t < 1.0 else None
        frame = None if svg is None else (round(t * FRAME_STEPS) / FRAME_STEPS, svg)
        shown = start_id if t < 0.5 else hold_id
        if frame != self._frame:
            self._frame = frame
            self._invalidate()
        self.set_illustration(shown, mirrored=mirrored, description=description, view_box=view_box)

    def moving_pose(self) -> float | None:
        """How far between its two drawings the figure shown is (0..1), or None for a still drawing."""
        return self._frame[0] if self._frame is not None else None

    def set_accent(self, accent: QColor | None) -> None:
        """A fixed accent colour, or None to follow the palette's Highlight."""
        self._accent = QColor(accent) if accent is not None else None
        self._invalidate()

    def ink_color(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.WindowText)

    def accent_color(self) -> QColor:
        return (
            QColor(self._accent)
            if self._accent is not None
            else self.palette().color(QPalette.ColorRole.Highlight)
        )

    # --- Qt ------------------------------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(320, round(320 / ILLUSTRATION_ASPECT))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return round(width / ILLUSTRATION_ASPECT)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._invalidate()
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._invalidate()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        image = self._current_image()
        if image is None:
            return
        painter = QPainter(self)
        painter.drawImage(QRectF(self.rect()), image)
        painter.end()

    # --- rendering -----------------------------------------------------------------------------------------
    def _invalidate(self) -> None:
        self._image = None
        self.update()

    def _current_image(self) -> QImage | None:
        if self._illustration_id is None or self.width() <= 0 or self.height() <= 0:
            return None
        if self._image is None:
            ratio = self.devicePixelRatioF()
            size = QSize(round(self.width() * ratio), round(self.height() * ratio))
            try:
                image = render_illustration(
                    self._illustration_id,
                    size,
                    self.ink_color(),
                    self.accent_color(),
                    mirrored=self._mirrored,
                    view_box=self._view_box,
                    svg_text=self._frame[1] if self._frame is not None else None,
                )
            except (IllustrationNotFoundError, ValueError):
                log.warning("cannot show the drawing %r", self._illustration_id, exc_info=True)
                self._illustration_id = None
                return None
            image.setDevicePixelRatio(ratio)
            self._image = image
        return self._image
