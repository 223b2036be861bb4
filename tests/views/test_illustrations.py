"""The exercise drawings: every file is there, parses, is coloured only by tokens, renders, mirrors and
recolours; the widget follows its palette; the contact sheet and the icon are produced."""

from __future__ import annotations

import itertools
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
from sciatica_coach.views import contact_sheet, illustration_sources, theme
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


# --- the figure has body (issue 23.2) ------------------------------------------------------------------------

CANVAS_SCALE = 2  # figure tests paint the 400 x 300 canvas at twice its size: 2 px per canvas unit


def paint_drawing(drawing: illustration_sources.Drawing, ink: QColor = INK) -> QImage:
    """A drawing painted on its own (no cropping), 2 px per canvas unit, on a transparent image."""
    size = QSize(400 * CANVAS_SCALE, 300 * CANVAS_SCALE)
    return render_illustration("figure-test", size, ink, ACCENT, svg_text=drawing.svg())


def alpha_at(image: QImage, x: float, y: float) -> int:
    return image.pixelColor(round(x * CANVAS_SCALE), round(y * CANVAS_SCALE)).alpha()


def thickness_across(image: QImage, x: float, y: float, *, vertical: bool = True) -> float:
    """How thick the ink is (canvas units) across the point (x, y): the run of inked pixels through it."""
    cx, cy = round(x * CANVAS_SCALE), round(y * CANVAS_SCALE)
    step = (0, 1) if vertical else (1, 0)
    run = 0
    for sign in (1, -1):
        px, py = cx, cy
        while (
            0 <= px < image.width() and 0 <= py < image.height() and image.pixelColor(px, py).alpha() >= 128
        ):
            run += 1
            px, py = px + sign * step[0], py + sign * step[1]
    return (run - 1) / CANVAS_SCALE


def lone_limb(points: list[tuple[float, float]], *, far: bool = False) -> QImage:
    drawing = illustration_sources.Drawing("a limb")
    drawing.limb(points, far=far)
    return paint_drawing(drawing)


def test_a_thigh_is_thicker_than_its_shin_and_an_upper_arm_than_its_forearm(qapp: QApplication) -> None:
    src = illustration_sources
    hip, knee, ankle = (80.0, 120.0), (80.0 + src.THIGH, 120.0), (80.0 + src.THIGH + src.SHIN, 120.0)
    leg = lone_limb([hip, knee, ankle, (ankle[0], 120.0 - src.FOOT)])
    thigh = thickness_across(leg, *lerp2(hip, knee, 0.5))
    shin = thickness_across(leg, *lerp2(knee, ankle, 0.5))
    assert thigh > shin + 3, (thigh, shin)
    assert shin > src.LIMB_W  # no part of the leg is a stick
    shoulder, elbow, wrist = (
        (80.0, 60.0),
        (80.0 + src.UPPER_ARM, 60.0),
        (80.0 + src.UPPER_ARM + src.FOREARM, 60.0),
    )
    arm = lone_limb([shoulder, elbow, wrist])
    upper = thickness_across(arm, *lerp2(shoulder, elbow, 0.5))
    fore = thickness_across(arm, *lerp2(elbow, wrist, 0.5))
    assert upper > fore + 1.5, (upper, fore)
    assert fore >= src.LIMB_W


def lerp2(a: tuple[float, float], b: tuple[float, float], t: float) -> tuple[float, float]:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def test_a_leg_ends_in_a_foot_with_a_heel_and_an_arm_in_a_hand(qapp: QApplication) -> None:
    src = illustration_sources
    # a standing leg, the foot pointing left: the heel shows behind the ankle
    ankle = (200.0, 200.0)
    leg = lone_limb(
        [(200.0, 200.0 - src.THIGH - src.SHIN), (200.0, 200.0 - src.SHIN), ankle, (200.0 - src.FOOT, 200.0)]
    )
    assert (
        alpha_at(leg, ankle[0] + src.LIMB_W / 2 + 2, ankle[1]) > 128
    )  # past where a stick's round end stops
    assert thickness_across(leg, ankle[0] - src.FOOT / 2, ankle[1]) > 5  # the foot has a body of its own
    # an arm reaching left: a hand past the wrist, wider than the wrist
    wrist = (100.0, 150.0)
    arm = lone_limb([(wrist[0] + src.UPPER_ARM + src.FOREARM, 150.0), (wrist[0] + src.FOREARM, 150.0), wrist])
    hand = (wrist[0] - src.HAND_REACH, wrist[1])
    assert alpha_at(arm, hand[0] - src.LIMB_W / 2, hand[1]) > 128
    assert thickness_across(arm, *hand) > thickness_across(arm, wrist[0] + 4, wrist[1]) + 1.5


def test_a_hand_on_the_floor_rests_on_it(qapp: QApplication) -> None:
    src = illustration_sources
    wrist = (150.0, src.LYING_LIMB_Y)
    arm = lone_limb([(150.0, wrist[1] - src.UPPER_ARM - src.FOREARM), (150.0, wrist[1] - src.FOREARM), wrist])
    below_floor = [alpha_at(arm, x, src.FLOOR_Y + src.FLOOR_W / 2 + 1) for x in range(130, 171)]
    assert max(below_floor) < 64  # nothing pokes through the floor line


def test_a_far_limb_is_one_evenly_lighter_shape_and_a_near_one_solid(qapp: QApplication) -> None:
    src = illustration_sources
    hip, knee, ankle = (
        (120.0, 150.0),
        (170.0, 113.0),
        (216.0, 150.0),
    )  # bent: thigh and shin overlap at the knee
    toe = (216.0 + src.FOOT, 150.0)
    far = lone_limb([hip, knee, ankle, toe], far=True)
    expected = round(255 * src.FAR_OPACITY)
    for point in (lerp2(hip, knee, 0.5), knee, lerp2(knee, ankle, 0.5), lerp2(ankle, toe, 0.5)):
        assert abs(alpha_at(far, *point) - expected) <= 3, point  # no darker seams where the parts overlap
    near = lone_limb([hip, knee, ankle, toe])
    assert alpha_at(near, *knee) == 255


def figure_only(drawing: illustration_sources.Drawing) -> illustration_sources.Drawing:
    drawing.props, drawing.marks = [], []
    return drawing


THUMB_150 = QSize(150, 112)


def inked(image: QImage) -> int:
    alpha = image.convertToFormat(QImage.Format.Format_Alpha8)
    data = bytes(alpha.constBits())[: alpha.bytesPerLine() * alpha.height()]
    stride = alpha.bytesPerLine()
    return sum(
        sum(1 for b in data[y * stride : y * stride + alpha.width()] if b >= 128)
        for y in range(alpha.height())
    )


@pytest.mark.parametrize("illustration_id", ILLUSTRATION_IDS)
def test_the_figure_has_body_in_a_150px_thumbnail(qapp: QApplication, illustration_id: str) -> None:
    """The body's ink over the length of its bones: its mean thickness, seen at thumbnail size. A stick figure
    (9-unit limbs, a 20-unit trunk) measures 8.4 to 15 units; the figure with body at least 10 everywhere."""
    exercise, stage = illustration_id.rsplit("-", 1)
    drawing = figure_only(illustration_sources.POSES[exercise](stage == "hold"))
    scale = THUMB_150.width() / 400
    black = QColor("black")
    body = inked(render_illustration("t", THUMB_150, black, black, svg_text=drawing.svg()))
    floor = inked(
        render_illustration("t", THUMB_150, black, black, svg_text=illustration_sources.Drawing("").svg())
    )
    bones = sum(
        illustration_sources.distance(a, b)
        for limb in drawing.limbs
        for a, b in itertools.pairwise(limb.points)
    ) + sum(illustration_sources.distance(t.hip, t.shoulder) for t in drawing.torsos)
    mean_thickness = (body - floor) / scale**2 / bones
    assert mean_thickness >= 10.0, f"{illustration_id}: {mean_thickness:.1f} canvas units"


@pytest.mark.parametrize(
    "colors", [theme.LIGHT, theme.DARK, theme.FLOOR_COLORS], ids=["light", "dark", "floor"]
)
def test_near_and_far_limbs_read_and_differ_in_every_theme(colors: theme.Colors) -> None:
    """Far limbs are the ink at FAR_OPACITY over the card: still readable (3:1), and plainly lighter than the
    near limbs (a contrast of at least 2.5 between the two)."""
    far = theme.blend(colors.text, colors.surface, illustration_sources.FAR_OPACITY)
    assert contrast(far, colors.surface) >= 3.0, far
    assert contrast(colors.text, far) >= 2.5, far
    assert contrast(colors.text, colors.surface) >= 7.0


def contrast(a: str, b: str) -> float:
    def luminance(hex_colour: str) -> float:
        colour = QColor(hex_colour)
        channels = [colour.redF(), colour.greenF(), colour.blueF()]
        r, g, b_ = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
