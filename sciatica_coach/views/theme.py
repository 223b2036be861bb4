"""Colours, type sizes and the style sheet, in light and dark, following the system unless the user chose.

One place for every colour: views ask `current_colors()` rather than writing hex values themselves. Also the
small helpers pages use to fit large text to the window's width (`card_room`, `fit_button_text`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QScrollArea

from sciatica_coach import APP_ID, APP_NAME, __version__

STYLE = "Fusion"  # the same widgets on every desktop; our palette and style sheet go on top
_STYLE_SET = "sciatica_style_set"  # an application property: the style is in place
BASE_POINT_SIZE = 12.0  # a little larger than most desktops' default: users read from further away
TYPICAL_SYSTEM_POINT_SIZE = 10.0  # most desktops' default text size; a larger system size scales us up too
_system_point_size: float | None = None  # the platform's text size, read before we first change it
CARD_INSIDE_PX = 2 * 22 + 2  # a card's margins and border, left and right together (widgets.card)


@dataclass(frozen=True)
class Colors:
    window: str
    surface: str  # cards and input fields
    text: str
    muted: str  # secondary text; still AA on window and surface
    border: str
    accent: str  # buttons, focus, the moving body part in drawings
    on_accent: str
    green: str
    amber: str
    red: str
    dark: bool


LIGHT = Colors(
    window="#f4f2ee",
    surface="#ffffff",
    text="#1b1b1b",
    muted="#4d4b47",
    border="#cfcac1",
    accent="#0b6b66",
    on_accent="#ffffff",
    green="#2d6a2f",
    amber="#8a5300",
    red="#b3261e",
    dark=False,
)
DARK = Colors(
    window="#16181b",
    surface="#212428",
    text="#f3f3f1",
    muted="#c4c1bb",
    border="#3d4147",
    accent="#63cdc4",
    on_accent="#0b1f1d",
    green="#8fd694",
    amber="#f2b45a",
    red="#ff8a80",
    dark=True,
)

# Floor mode: read from a mat two metres away, whatever the theme. White and yellow on black (AAA contrast).
FLOOR_COLORS = Colors(
    window="#000000",
    surface="#111111",
    text="#ffffff",
    muted="#e0e0e0",
    border="#555555",
    accent="#ffd54a",
    on_accent="#000000",
    green="#8fd694",
    amber="#ffd54a",
    red="#ff8a80",
    dark=True,
)

_current = LIGHT


def blend(front: str, back: str, opacity: float) -> str:
    """The solid colour a translucent `front` shows over `back`."""
    f, b = QColor(front), QColor(back)
    return QColor(
        round(f.red() * opacity + b.red() * (1 - opacity)),
        round(f.green() * opacity + b.green() * (1 - opacity)),
        round(f.blue() * opacity + b.blue() * (1 - opacity)),
    ).name()


def current_colors() -> Colors:
    return _current


SYSTEM_DARK_STATE = (
    "system_dark"  # the system's last seen light/dark choice, for the next start's first paint
)


def system_prefers_dark() -> bool:
    """Asks Qt. The first call costs some 20 ms: it builds Python's view of the whole Qt namespace (the
    answer is one of its enums), which is why the first paint uses the remembered answer (see apply_theme)."""
    from PySide6.QtCore import Qt

    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def choose_colors(mode: str, system_dark: bool | None = None) -> Colors:
    """mode is "system", "light" or "dark"; `system_dark` is the system's choice if already known."""
    if mode == "system":
        return DARK if (system_prefers_dark() if system_dark is None else system_dark) else LIGHT
    return DARK if mode == "dark" else LIGHT


def _palette(c: Colors) -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: c.window,
        QPalette.ColorRole.WindowText: c.text,
        QPalette.ColorRole.Base: c.surface,
        QPalette.ColorRole.AlternateBase: c.window,
        QPalette.ColorRole.Text: c.text,
        QPalette.ColorRole.Button: c.surface,
        QPalette.ColorRole.ButtonText: c.text,
        QPalette.ColorRole.Highlight: c.accent,
        QPalette.ColorRole.HighlightedText: c.on_accent,
        QPalette.ColorRole.ToolTipBase: c.surface,
        QPalette.ColorRole.ToolTipText: c.text,
        QPalette.ColorRole.PlaceholderText: c.muted,
        QPalette.ColorRole.Link: c.accent,
        QPalette.ColorRole.Accent: c.accent,
    }
    for role, value in roles.items():
        p.setColor(role, QColor(value))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(c.muted))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor(c.muted))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(c.muted))
    return p


def style_sheet(c: Colors, scale: float) -> str:
    def pt(size: float) -> str:
        return f"{size * scale:.1f}pt"

    def line(size: float) -> str:
        """A text line's height at `size` pt (scaled), as a min-height: Qt's style sheet sizes a button from
        min-height and padding, not from a font-size set in the same rule, which cut big text off."""
        return f"{max(28.0, size * scale * 96 / 72 * 1.25):.0f}px"

    return f"""
    QWidget {{ font-size: {pt(BASE_POINT_SIZE)}; }}
    QWidget#Sidebar {{ background: {c.surface}; border-right: 1px solid {c.border}; }}
    QPushButton[role="nav"] {{
        text-align: left; padding: 10px 16px; border: 2px solid transparent; border-radius: 10px;
        font-size: {pt(13)}; color: {c.text}; background: transparent; margin: 2px 8px;
    }}
    QPushButton[role="nav"]:checked {{ background: {c.accent}; color: {c.on_accent}; font-weight: 600; }}
    QPushButton[role="nav"]:hover:!checked {{ background: {c.window}; border-color: transparent; }}
    QPushButton[role="nav"]:focus {{ outline: none; border-color: {c.text}; padding: 10px 16px; }}
    QLabel[role="title"] {{ font-size: {pt(22)}; font-weight: 600; }}
    QLabel[role="subtitle"] {{ font-size: {pt(15)}; color: {c.muted}; }}
    QLabel[role="muted"] {{ color: {c.muted}; }}
    QLabel[role="big"] {{ font-size: {pt(18)}; }}
    QCheckBox[role="big"] {{ font-size: {pt(16)}; }}
    QFrame[role="card"] {{ background: {c.surface}; border: 1px solid {c.border}; border-radius: 14px; }}
    QFrame[role="banner"] {{ background: {c.surface}; border: 2px solid {c.amber}; border-radius: 10px; }}
    QPushButton {{
        padding: 8px 16px; border-radius: 8px; border: 1px solid {c.border}; background: {c.surface};
        color: {c.text}; min-height: 28px;
    }}
    QPushButton:hover {{ border-color: {c.accent}; }}
    QPushButton:focus {{ border: 2px solid {c.accent}; padding: 7px 15px; }}
    QPushButton:disabled {{ color: {c.muted}; background: {c.window}; }}
    QPushButton[role="primary"] {{
        background: {c.accent}; color: {c.on_accent}; border: 3px solid {c.accent}; font-size: {pt(16)};
        font-weight: 600; padding: 11px 25px; border-radius: 12px; min-height: {line(16)};
    }}
    QPushButton[role="primary"]:focus {{ border-color: {c.text}; padding: 11px 25px; }}
    QPushButton[role="primary"]:disabled {{ background: {c.window}; color: {c.muted};
        border: 3px dashed {c.muted}; }}
    QPushButton[answer="true"]:checked {{ background: {c.accent}; color: {c.on_accent};
        border: 3px solid {c.accent}; font-weight: 700; }}
    QPushButton[answer="true"]:checked:focus {{ border-color: {c.text}; }}
    QPushButton[role="danger"] {{ background: {c.red}; color: {c.on_accent if c.dark else "#ffffff"};
        border: 3px solid {c.red}; font-weight: 700; font-size: {pt(15)}; padding: 7px 19px; border-radius: 12px;
        min-height: {line(15)}; }}
    QPushButton[role="danger"]:focus {{ border-color: {c.text}; padding: 7px 19px; }}
    QToolTip {{ color: {c.text}; background: {c.surface}; border: 1px solid {c.border}; padding: 6px; }}
    QCheckBox, QRadioButton {{ border: 2px solid transparent; border-radius: 6px; padding: 2px 4px; }}
    QCheckBox:focus, QRadioButton:focus {{ border-color: {c.accent}; }}
    QScrollArea[role="page"] {{ border: 2px solid transparent; }}
    QComboBox:focus, QSpinBox:focus, QTimeEdit:focus, QLineEdit:focus {{ border: 2px solid {c.accent}; border-radius: 6px; }}
    QSlider {{ border: 2px solid transparent; border-radius: 6px; }}
    QSlider:focus, QGraphicsView:focus, QAbstractItemView:focus {{ border: 2px solid {c.accent}; }}
    QScrollArea[role="page"]:focus {{ border-color: {c.accent}; }}
    QCheckBox::indicator, QRadioButton::indicator {{ width: {line(11)}; height: {line(11)}; }}
    QCheckBox::indicator:unchecked {{ border: 2px solid {c.muted}; border-radius: 3px; background: {c.surface}; }}
    QComboBox, QSpinBox, QTimeEdit, QLineEdit {{ min-height: {line(13)}; padding: 2px 8px; }}
    QProgressBar {{ border: none; border-radius: 6px; background: {c.border}; min-height: 12px; max-height: 12px; }}
    QProgressBar::chunk {{ border-radius: 6px; background: {c.accent}; }}
    QAbstractItemView::item:selected {{ background: {blend(c.accent, c.surface, 0.22)}; color: {c.text};
        border-left: 4px solid {c.accent}; }}
    """


def wrap_text(text: str, metrics: QFontMetrics, width: int) -> str:
    """`text` with line breaks between words so that no line is wider than `width` (a longer word stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and metrics.horizontalAdvance(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def card_room(page: QScrollArea) -> int:
    """The width inside a card on a scrolling page, counting its scroll bar as shown (so nothing moves when it
    appears). Taken from the page, not the card: a card too wide for the page would measure itself."""
    body = page.widget()
    layout = body.layout() if body is not None else None
    margins = layout.contentsMargins().left() + layout.contentsMargins().right() if layout is not None else 0
    return page.width() - page.verticalScrollBar().sizeHint().width() - margins - CARD_INSIDE_PX


def fit_button_text(button: QAbstractButton, text: str, width: int) -> None:
    """Show `text` on a button or check box no wider than `width` px in all, in as many lines as that takes:
    they don't wrap by themselves, and at large text one long label would widen its whole page."""
    metrics = button.fontMetrics()
    button.setText(text)
    if button.sizeHint().width() <= width:
        return
    box = button.sizeHint().width() - metrics.horizontalAdvance(text)  # padding, border, indicator
    button.setText(wrap_text(text, metrics, width - box))


def system_text_factor(system_point_size: float) -> float:
    """How much larger than usual the person has set their desktop's text (never smaller than 1)."""
    if system_point_size <= 0:
        return 1.0
    return min(2.0, max(1.0, system_point_size / TYPICAL_SYSTEM_POINT_SIZE))


def new_application(argv: list[str]) -> QApplication:
    """A QApplication in our style from the start. Chosen on its command line: setStyle() afterwards would
    also build Python's view of QStyle, which costs start-up time."""
    app = QApplication([*argv, "-style", STYLE])
    app.setProperty(_STYLE_SET, True)
    return app


def make_application(argv: Sequence[str]) -> QApplication:
    """The running QApplication (made in our style when there is none yet), named as the app."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else new_application(list(argv))
    app.setApplicationName("sciatica-coach")
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)  # desktops that match windows to .desktop files show its icon at once
    return app


def apply_theme(
    app: QApplication, mode: str = "system", text_scale_percent: int = 100, system_dark: bool | None = None
) -> Colors:
    """Apply palette, font and style sheet; returns the colours now in use. `system_dark` is the system's
    light/dark choice when the caller knows it (at start, the one remembered from last time); else Qt is
    asked."""
    global _current  # noqa: PLW0603 - the one theme of the running app
    colors = choose_colors(mode, system_dark)
    _current = colors
    if not app.property(_STYLE_SET):
        app.setStyle(STYLE)
        app.setProperty(_STYLE_SET, True)
    app.setPalette(_palette(colors))
    global _system_point_size  # noqa: PLW0603 - read once, before the app's font is first replaced
    if _system_point_size is None:
        _system_point_size = app.font().pointSizeF()
    scale = max(50, min(300, text_scale_percent)) / 100 * system_text_factor(_system_point_size)
    font = QFont(app.font())
    font.setPointSizeF(BASE_POINT_SIZE * scale)
    app.setFont(font)
    app.setStyleSheet(style_sheet(colors, scale))
    return colors
