"""Small building blocks shared by the pages: headings, cards, a scrollable page frame, and the wording of an
exercise's dose (Today and the Routine editor say it the same way)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sciatica_coach.i18n import _, ngettext

if TYPE_CHECKING:
    from sciatica_coach.core.model import RoutineItem

PAGE_MARGINS = (40, 28, 40, 28)


def label(text: str, role: str | None = None, *, wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    return widget


def card(title: str | None = None) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    return frame, card_layout(frame, title)


def card_layout(widget: QWidget, title: str | None = None) -> QVBoxLayout:
    """Make `widget` a card (the theme's rounded panel) with its heading; returns the layout to fill."""
    widget.setProperty("role", "card")
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(22, 18, 22, 18)
    layout.setSpacing(10)
    if title:
        heading = label(title, "big")
        heading.setAccessibleName(title)
        layout.addWidget(heading)
    return layout


def narrow_form() -> QFormLayout:
    """A form whose fields keep their own width and go under their label when the window is narrow."""
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form


class ButtonRows(QWidget):
    """Buttons side by side, in equal columns, as many as fit the width given to `fit`; the rest go in rows
    beneath (large text, German, a narrow window). It never asks for more width than its widest button, so
    a row of buttons can't push a page wider than the window and cut off what is beside it."""

    def __init__(self, buttons: Sequence[QAbstractButton], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons = list(buttons)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.columns = 0
        self._lay_out(len(self.buttons))

    def columns_for(self, width: int) -> int:
        """The most columns of the widest button's width that fit in `width` (at least one)."""
        spacing = max(0, self.grid.horizontalSpacing())
        widest = max(button.sizeHint().width() for button in self.buttons)
        fitting = (width + spacing) // (widest + spacing)
        return max(1, min(len(self.buttons), fitting))

    def fit(self, width: int) -> None:
        """Lay the buttons out for `width` pixels (call it when the room or the text size changes)."""
        self._lay_out(self.columns_for(width))

    def _lay_out(self, columns: int) -> None:
        if columns == self.columns:
            return
        self.columns = columns
        for button in self.buttons:
            self.grid.removeWidget(button)
        for k, button in enumerate(self.buttons):
            self.grid.addWidget(button, k // columns, k % columns)
        for column in range(len(self.buttons)):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def minimumSizeHint(self) -> QSize:
        widest = max(button.minimumSizeHint().width() for button in self.buttons)
        return QSize(widest, super().minimumSizeHint().height())


class ReplaceDialog(QDialog):
    """Before something replaces what the person has (a routine file, a backup): a heading and words, what
    there is now beside what would replace it, and Cancel (the default) or the button that does it. The words
    scroll when large text or a small screen leaves too little room; the buttons always show. A subclass adds
    its words to `words` (with `side_by_side` for the two sides) and ends with `finish`."""

    WIDTH_PX = 900
    MIN_HEIGHT_PX = 420

    def __init__(self, window_title: str, heading: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(window_title)
        self.body = QWidget()
        self.words = QVBoxLayout(self.body)
        self.words.setContentsMargins(0, 0, 0, 0)
        self.words.setSpacing(14)
        self.words.addWidget(label(heading, "title"))

    def side_by_side(self, left: tuple[str, Sequence[str]], right: tuple[str, Sequence[str]]) -> list[QFrame]:
        """Two cards of lines, now (left) and instead (right); each is read by screen readers as one line."""
        sides = QHBoxLayout()
        sides.setSpacing(14)
        cards = []
        for title, lines in (left, right):
            frame, layout = card(title)
            words = label("\n".join(lines))
            words.setAccessibleName(f"{title}: " + "; ".join(lines))
            layout.addWidget(words)
            layout.addStretch(1)
            sides.addWidget(frame, 1)
            cards.append(frame)
        self.words.addLayout(sides)
        return cards

    def finish(self, confirm: str) -> QPushButton:
        """The scrolling words, Cancel (the default) and the `confirm` button, at a height that fits the
        screen. Returns the confirm button."""

        self.words.addStretch(1)
        scroll = wrapping_scroll(self.body)
        self.body.setAutoFillBackground(False)
        scroll.viewport().setAutoFillBackground(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(14)
        layout.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(_("Cancel"))
        confirm_button = QPushButton(confirm)
        self.cancel_button.clicked.connect(self.reject)
        confirm_button.clicked.connect(self.accept)
        self.cancel_button.setDefault(True)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(confirm_button)
        layout.addLayout(buttons)
        needed = self.body.heightForWidth(self.WIDTH_PX - 56) + self.cancel_button.sizeHint().height() + 80
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        room = int(screen.height() * 0.9) if screen is not None else needed
        self.resize(self.WIDTH_PX, max(self.MIN_HEIGHT_PX, min(needed, room)))
        return confirm_button


class Page(QScrollArea):
    """A page with a title and subtitle whose body scrolls when text is large or the window is small."""

    def __init__(self, title: str, subtitle: str = "") -> None:
        super().__init__()
        # A viewport made here, in Python, like Qt's own. Qt's would get its Python wrapper only when first
        # reached from Python (the Enter key's filter follows the focus up through it just after start), and
        # PySide6 makes a wrapper for an object it didn't create by trying every QWidget class for the most
        # derived type, which builds them all: about 1 MB that stays (issue 18, point 7).
        viewport = QWidget()
        viewport.setObjectName("qt_scrollarea_viewport")
        viewport.setAutoFillBackground(True)
        self.setViewport(viewport)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setProperty("role", "page")  # focusable for scrolling by keyboard; the theme draws its focus
        body = QWidget()
        self.body = QVBoxLayout(body)
        self.body.setContentsMargins(*PAGE_MARGINS)
        self.body.setSpacing(18)
        self.title = label(title, "title")
        self.body.addWidget(self.title)
        self.subtitle = label(subtitle, "subtitle")
        self.subtitle.setVisible(bool(subtitle))
        self.body.addWidget(self.subtitle)
        self.setWidget(body)
        self.setAccessibleName(title)


class EnterClicks(QObject):
    """Return/Enter does what a click does, as people expect: on a focused push button, and on a page that
    names its main button (`set_enter_button`) when the key reaches the page (nothing inside took it: a text
    field, a list or a page's own shortcut keeps its Enter). Dialogs keep Qt's own default-button handling.
    One per main window (MainWindow._follow_focus_for_enter), watching only the focused widget and the widgets it sits
    in, and moving with the focus: on the application it would see every event of every object."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeyEvent

        assert isinstance(event, QKeyEvent)
        plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier == Qt.KeyboardModifier.NoModifier
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter) or not plain:
            return False
        if isinstance(watched, QPushButton):
            button: QPushButton | None = watched
        else:
            button = getattr(watched, "enter_button", None)
        if button is None or isinstance(button.window(), QDialog):
            return False
        if not (button.isVisible() and button.isEnabled()):
            return False
        if not event.isAutoRepeat():  # holding the key down clicks once
            button.click()
        return True


def set_enter_button(page: QWidget, button: QPushButton) -> None:
    """Make `button` the page's main action: Enter anywhere on the page that doesn't use the key clicks it."""
    page.enter_button = button  # type: ignore[attr-defined]


def dose_text(item: RoutineItem, *, short: bool = False, moving: bool = False) -> str:
    """How much of an exercise, e.g. "10 repetitions × 2 sets, hold 5 s" (Today) or, ``short`` for the
    Routine editor's list, "10 reps × 2 sets, hold 5 s" / "3 each side, hold 20 s". The short form shows every
    hold the editor can set (1 s too); the long form leaves out holds of 1 s or less. A to-and-fro movement
    (``moving``) is never held: its timing reads "3 s out, 2 s back"."""
    from sciatica_coach.core.model import SideMode  # not needed to show the window: imported on first use

    d = item.dose
    one_sided = item.side_mode is not SideMode.BOTH
    if short and one_sided:
        reps = ngettext("{n} each side", "{n} each side", d.reps).format(n=d.reps)
    elif short:
        reps = ngettext("{n} rep", "{n} reps", d.reps).format(n=d.reps)
    elif one_sided:
        reps = ngettext("{n} repetition each side", "{n} repetitions each side", d.reps).format(n=d.reps)
    else:
        reps = ngettext("{n} repetition", "{n} repetitions", d.reps).format(n=d.reps)
    sets = ngettext("{n} set", "{n} sets", d.sets).format(n=d.sets)
    hold = _("hold {seconds} s").format(seconds=d.hold_s)
    show_sets, show_hold = d.sets > 1, d.hold_s > (0 if short else 1)
    if moving:
        hold = _("{out} s out, {back} s back").format(out=d.hold_s, back=d.rest_between_reps_s)
        show_hold = True
    if show_sets and show_hold:
        return _("{reps} × {sets}, {hold}").format(reps=reps, sets=sets, hold=hold)
    if show_sets:
        return _("{reps} × {sets}").format(reps=reps, sets=sets)
    if show_hold:
        return _("{reps}, {hold}").format(reps=reps, hold=hold)
    return reps


def wrapping_scroll(body: QWidget) -> QScrollArea:
    """A frameless scroll area around `body` whose words wrap: it scrolls down, never sideways."""
    from PySide6.QtCore import Qt

    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the words wrap instead
    scroll.setWidget(body)
    return scroll
