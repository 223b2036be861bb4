"""The exercise drawings: every file is there, parses, is coloured only by tokens, renders, mirrors and
recolours; the widget follows its palette; the contact sheet and the icon are produced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSize
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sciatica_coach.assets import asset_path
from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.views import contact_sheet, illustration_sources
from sciatica_coach.views.illustrations import (
    ACCENT_TOKEN,
    IllustrationNotFoundError,
    IllustrationWidget,
    illustration_path,
    recolour,
    render_illustration,
)

EXERCISE_IDS = (
    "pelvic-tilt",
    "knee-to-chest",
    "double-knee-to-chest",
    "prone-lying",
    "prone-on-elbows",
    "cat-camel",
    "prone-press-up",
    "nerve-glide",
    "figure-four",
    "bridge",
    "bird-dog",
    "dead-bug",
    "ball-pelvic-tilt",
    "ball-marching",
    "ball-bridge",
    "ball-wall-squat",
)
ILLUSTRATION_IDS = tuple(f"{exercise}-{stage}" for exercise in EXERCISE_IDS for stage in ("start", "hold"))
THUMB = QSize(160, 120)
INK = QColor("#1b1b1b")
ACCENT = QColor("#d9480f")
VIEW_BOX = "0 0 400 300"


def opaque_pixels(image: QImage, min_alpha: int = 64) -> list[tuple[int, int, QColor]]:
    img = image.convertToFormat(QImage.Format.Format_ARGB32)
    found = []
    for y in range(img.height()):
        for x in range(img.width()):
            colour = img.pixelColor(x, y)
            if colour.alpha() >= min_alpha:
                found.append((x, y, colour))
    return found


def centroid_x(image: QImage) -> float:
    pixels = opaque_pixels(image)
    return sum(x for x, _, _ in pixels) / len(pixels)


# --- the files ---------------------------------------------------------------------------------------------


def test_the_catalogue_of_drawings_is_complete() -> None:
    assert set(illustration_sources.POSES) == set(EXERCISE_IDS)
    bundled = {path.stem for path in asset_path("illustrations").glob("*.svg")}
    assert set(ILLUSTRATION_IDS) <= bundled


@pytest.mark.parametrize("illustration_id", ILLUSTRATION_IDS)
def test_each_drawing_exists_parses_and_shares_the_canvas(qapp: QApplication, illustration_id: str) -> None:
    path = illustration_path(illustration_id)
    assert path.is_file(), path
    text = path.read_text(encoding="utf-8")
    assert f'viewBox="{VIEW_BOX}"' in text
    renderer = QSvgRenderer(QByteArray(recolour(text, INK, ACCENT).encode()))
    assert renderer.isValid()
    assert (renderer.viewBoxF().width(), renderer.viewBoxF().height()) == (400, 300)


@pytest.mark.parametrize("illustration_id", ILLUSTRATION_IDS)
def test_drawings_use_only_the_colour_tokens(illustration_id: str) -> None:
    text = illustration_path(illustration_id).read_text(encoding="utf-8")
    hex_colours = {match.lower() for match in re.findall(r"#[0-9a-fA-F]{3,8}\b", text)}
    assert hex_colours <= {ACCENT_TOKEN}
    paints = set(re.findall(r'(?:fill|stroke)="([^"]*)"', text))
    assert paints <= {"currentColor", ACCENT_TOKEN, "none"}, paints
    assert "rgb(" not in text
    assert "style=" not in text  # colours live in attributes, where the renderer can swap them
    assert "currentColor" in text


@pytest.mark.parametrize("illustration_id", ILLUSTRATION_IDS)
def test_drawings_are_generated_from_the_pose_source(illustration_id: str) -> None:
    exercise, stage = illustration_id.rsplit("-", 1)
    drawing = illustration_sources.POSES[exercise](stage == "hold")
    assert illustration_path(illustration_id).read_text(encoding="utf-8") == drawing.svg(), (
        "regenerate with: python -m sciatica_coach.views.illustration_sources"
    )


@pytest.mark.parametrize("illustration_id", ILLUSTRATION_IDS)
def test_each_drawing_renders_visibly_at_thumbnail_size(qapp: QApplication, illustration_id: str) -> None:
    image = render_illustration(illustration_id, THUMB, INK, ACCENT)
    assert image.size() == THUMB
    assert image.hasAlphaChannel()
    covered = len(opaque_pixels(image)) / (THUMB.width() * THUMB.height())
    assert covered > 0.04, f"{illustration_id} covers only {covered:.1%} of a thumbnail"
    corner = image.pixelColor(0, 0)
    assert corner.alpha() == 0  # transparent background


# --- rendering -----------------------------------------------------------------------------------------------


def test_mirroring_flips_an_asymmetric_pose(qapp: QApplication) -> None:
    plain = render_illustration("knee-to-chest-hold", THUMB, INK, ACCENT)
    mirrored = render_illustration("knee-to-chest-hold", THUMB, INK, ACCENT, mirrored=True)
    assert plain != mirrored
    # the figure's mass moves to the other side, about the centre line
    assert centroid_x(plain) + centroid_x(mirrored) == pytest.approx(THUMB.width() - 1, abs=1.5)


def test_ink_and_accent_are_substituted(qapp: QApplication) -> None:
    red, blue = QColor("#ff0000"), QColor("#0000ff")
    image = render_illustration("bridge-hold", THUMB, red, blue)
    solid = [colour for _, _, colour in opaque_pixels(image, min_alpha=255)]
    reds = [c for c in solid if c.red() > 200 and c.green() < 40 and c.blue() < 40]
    blues = [c for c in solid if c.blue() > 200 and c.red() < 40 and c.green() < 40]
    darks = [c for c in solid if max(c.red(), c.green(), c.blue()) < 60]
    assert len(reds) > 100
    assert len(blues) > 10
    assert not darks  # nothing was painted in a hard-coded black


def test_aspect_is_kept_and_the_drawing_centred(qapp: QApplication) -> None:
    wide = render_illustration("ball-wall-squat-start", QSize(400, 100), INK, ACCENT)
    xs = [x for x, _, _ in opaque_pixels(wide)]
    # the 4:3 drawing is 133 px wide inside a 400 px image, in the middle
    assert min(xs) >= (400 - 134) // 2
    assert max(xs) <= (400 + 134) // 2


def test_an_unknown_or_unsafe_id_is_refused(qapp: QApplication) -> None:
    with pytest.raises(IllustrationNotFoundError):
        render_illustration("no-such-exercise-start", THUMB, INK, ACCENT)
    with pytest.raises(IllustrationNotFoundError):
        illustration_path("../catalogue")


# --- the widget --------------------------------------------------------------------------------------------


def test_widget_paints_in_its_palette_and_describes_itself(qtbot: QtBot) -> None:
    widget = IllustrationWidget(accent=QColor("#00ff00"))
    qtbot.addWidget(widget)
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#ff0000"))
    palette.setColor(QPalette.ColorRole.Window, QColor("#ffffff"))
    widget.setPalette(palette)
    widget.resize(320, 240)
    widget.set_illustration(
        "bird-dog-hold", description="On hands and knees, reach one arm and the other leg"
    )
    assert widget.accessibleDescription().startswith("On hands and knees")
    assert widget.accessibleName()

    shot = widget.grab().toImage()
    colours = [shot.pixelColor(x, y) for y in range(0, shot.height(), 2) for x in range(0, shot.width(), 2)]
    assert any(c.red() > 200 and c.green() < 60 and c.blue() < 60 for c in colours)
    assert any(c.green() > 200 and c.red() < 60 and c.blue() < 60 for c in colours)

    # a new palette re-renders in the new ink
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#0000ff"))
    widget.setPalette(palette)
    shot = widget.grab().toImage()
    colours = [shot.pixelColor(x, y) for y in range(0, shot.height(), 2) for x in range(0, shot.width(), 2)]
    assert any(c.blue() > 200 and c.red() < 60 and c.green() < 60 for c in colours)
    assert not any(c.red() > 200 and c.green() < 60 and c.blue() < 60 for c in colours)


def test_widget_mirrors_and_clears(qtbot: QtBot) -> None:
    widget = IllustrationWidget("dead-bug-hold")
    qtbot.addWidget(widget)
    widget.resize(200, 150)
    plain = widget.grab().toImage()
    widget.set_illustration("dead-bug-hold", mirrored=True)
    assert widget.is_mirrored()
    assert widget.grab().toImage() != plain
    widget.set_illustration(None)
    assert widget.illustration_id() is None
    assert widget.accessibleName() == ""


def test_widget_survives_a_missing_drawing(qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    widget = IllustrationWidget("not-a-drawing")
    qtbot.addWidget(widget)
    widget.resize(200, 150)
    widget.grab()
    assert widget.illustration_id() is None
    assert "not-a-drawing" in caplog.text


def test_widget_keeps_the_drawing_aspect(qtbot: QtBot) -> None:
    widget = IllustrationWidget("bridge-start")
    qtbot.addWidget(widget)
    assert widget.hasHeightForWidth()
    assert widget.heightForWidth(400) == 300


# --- the contact sheet and the icon --------------------------------------------------------------------------


@pytest.mark.parametrize("dark", [False, True])
def test_contact_sheet_writes_a_png_of_every_pose(qapp: QApplication, tmp_path: Path, dark: bool) -> None:
    out = tmp_path / "sheets" / "illustrations.png"
    assert contact_sheet.main(["-o", str(out), *(["--dark"] if dark else [])]) == 0
    image = QImage(str(out))
    assert not image.isNull()
    rows = -(-len(EXERCISE_IDS) // contact_sheet.COLUMNS)
    assert image.width() >= contact_sheet.COLUMNS * 2 * contact_sheet.CELL_W_PX
    assert image.height() >= rows * contact_sheet.CELL_H_PX
    assert image.width() < 4000 and image.height() < 4000
    background = image.pixelColor(1, 1)
    assert (background.lightness() < 100) == dark


def test_contact_sheet_shows_every_catalogue_exercise() -> None:
    entries = contact_sheet.catalogue_entries()
    assert [entry.start_illustration for entry in entries] == [f"{e}-start" for e in EXERCISE_IDS]
    assert [entry.hold_illustration for entry in entries] == [f"{e}-hold" for e in EXERCISE_IDS]
    assert all(entry.name.strip() for entry in entries)


def test_every_catalogue_illustration_is_drawn() -> None:
    for exercise in load_catalogue().exercises.values():
        assert illustration_path(exercise.start_illustration).is_file()
        assert illustration_path(exercise.hold_illustration).is_file()


def test_the_app_icon_is_a_valid_svg_with_pngs_at_every_size(qapp: QApplication) -> None:
    svg = asset_path("icons", "sciatica-coach.svg")
    assert QSvgRenderer(str(svg)).isValid()
    for size in illustration_sources.ICON_SIZES_PX:
        png = QImage(str(asset_path("icons", "png", f"sciatica-coach-{size}.png")))
        assert (png.width(), png.height()) == (size, size)
        centre = png.pixelColor(size // 2, size // 2)
        assert centre.alpha() == 255
        assert png.pixelColor(0, 0).alpha() < 255  # rounded corners


def test_icon_pngs_can_be_regenerated(qapp: QApplication, tmp_path: Path) -> None:
    svg = tmp_path / "icon.svg"
    svg.write_text(illustration_sources.icon_svg(), encoding="utf-8")
    written = illustration_sources.write_icon_pngs(svg, tmp_path / "png")
    assert [QImage(str(p)).width() for p in written] == list(illustration_sources.ICON_SIZES_PX)
    assert asset_path("icons", "sciatica-coach.svg").read_text(encoding="utf-8") == svg.read_text(
        encoding="utf-8"
    )
