"""WCAG 2.x AA contrast for every pairing of theme colours the views draw, in light, dark and floor mode:
4.5:1 for text, 3:1 for large text (the session's step word) and for non-text marks (focus rings, zone bars)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QCheckBox
from pytestqt.qtbot import QtBot

from sciatica_coach.views.theme import DARK, FLOOR_COLORS, LIGHT, Colors, apply_theme
from sciatica_coach.views.widgets import card

TEXT = 4.5
LARGE_OR_MARK = 3.0


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# (foreground field, background field, minimum ratio, where it is used)
PAIRS = [
    ("text", "window", TEXT, "body text"),
    ("text", "surface", TEXT, "text on cards and inputs"),
    ("muted", "window", TEXT, "secondary text"),
    ("muted", "surface", TEXT, "secondary text on cards; disabled button text"),
    ("on_accent", "accent", TEXT, "primary buttons, the chosen page, checked days"),
    ("accent", "window", LARGE_OR_MARK, "the step word (large), focus rings"),
    ("accent", "surface", LARGE_OR_MARK, "focus rings on cards"),
    ("window", "green", TEXT, "a chosen green pain number"),
    ("window", "amber", TEXT, "a chosen amber pain number"),
    ("window", "red", TEXT, "a chosen red pain number"),
    ("green", "surface", LARGE_OR_MARK, "green zone bar under a pain number"),
    ("amber", "surface", LARGE_OR_MARK, "amber zone bar, banner border"),
    ("red", "window", TEXT, "problem messages"),
    ("red", "surface", TEXT, "problem messages on cards"),
    ("border", "window", 1.0, "decorative borders only (no minimum)"),
]
THEMES = {"light": LIGHT, "dark": DARK, "floor": FLOOR_COLORS}


def test_contrast_formula_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(("fg", "bg", "minimum", "use"), PAIRS)
def test_theme_pairs_meet_aa(theme: str, fg: str, bg: str, minimum: float, use: str) -> None:
    colors: Colors = THEMES[theme]
    ratio = contrast(getattr(colors, fg), getattr(colors, bg))
    assert ratio >= minimum, f"{theme}: {fg} on {bg} ({use}) is {ratio:.2f}:1, needs {minimum}:1"


@pytest.mark.parametrize("theme", THEMES)
def test_danger_button_text(theme: str) -> None:
    """The "It hurts" button: on_accent (dark themes) or white (light) on red, as theme.style_sheet does."""
    colors = THEMES[theme]
    text = colors.on_accent if colors.dark else "#ffffff"
    assert contrast(text, colors.red) >= TEXT


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_an_unticked_box_stands_out_from_its_card(qtbot: QtBot, mode: str) -> None:
    """An unticked check box ("Leave this one out today") is drawn with a mark of at least 3:1 against the card
    it sits on: Fusion's own outline all but vanished on dark cards."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    colors = apply_theme(app, mode)
    frame, body = card()
    box = QCheckBox("Leave this one out today")
    body.addWidget(box)
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitExposed(frame)
    image = box.grab().toImage()
    height = image.height()
    indicator = [  # the left-hand square: as wide as the box is high
        image.pixelColor(x, y).name() for x in range(min(height, image.width())) for y in range(height)
    ]
    assert max(contrast(pixel, colors.surface) for pixel in indicator) >= LARGE_OR_MARK
