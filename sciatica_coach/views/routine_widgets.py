"""What the cards of the Routine page share: a card as a widget of its own, rows of buttons that fold into a
column when the page is narrow, the exercise thumbnails, and the words after a routine is saved.

The cards themselves: :mod:`routine_exercises` (the list and the draft), :mod:`routine_dose` (how much of the
selected exercise), :mod:`routine_catalogue` (adding), :mod:`routine_avoid` (a direction to avoid),
:mod:`routine_files` (a physiotherapist's routine file) and :mod:`routine_progression` (suggestions and the
changes said yes to); :mod:`routine_page` puts them together."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from sciatica_coach.core.model import Exercise
from sciatica_coach.i18n import N_
from sciatica_coach.views.illustrations import content_view_box, render_illustration
from sciatica_coach.views.theme import current_colors
from sciatica_coach.views.widgets import card

THUMB_SIZE = QSize(120, 72)
CARD_AND_PAGE_MARGINS_PX = 44 + 80 + 4  # card padding, page margins, a little slack
ID_ROLE = Qt.ItemDataRole.UserRole  # a list entry's exercise id
SAVED_TEXT = N_("Saved. Your next session will use this routine.")


class RoutineCard(QWidget):
    """One card of the page as a widget: `frame` is the card drawn by the theme, `box` its layout."""

    def __init__(self, title: str | None = None) -> None:
        super().__init__()
        self.frame, self.box = card(title)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.frame)


class FlipRows:
    """Rows that turn into columns when the page is too narrow for them (small window, large text). The cards
    make their rows here; the page calls `fit` with the room it has."""

    def __init__(self) -> None:
        self._rows: list[QBoxLayout] = []

    def row(self) -> QBoxLayout:
        row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._rows.append(row)
        return row

    def fit(self, available: int) -> None:
        for row in self._rows:
            items = [row.itemAt(i) for i in range(row.count())]
            needed = sum(item.minimumSize().width() for item in items if item is not None)
            needed += row.spacing() * max(0, len(items) - 1)
            direction = (
                QBoxLayout.Direction.LeftToRight if needed <= available else QBoxLayout.Direction.TopToBottom
            )
            if row.direction() != direction:
                row.setDirection(direction)


class Thumbnails:
    """Each exercise's picture at list size, in the theme's colours; `clear` when the theme changes."""

    def __init__(self) -> None:
        self._icons: dict[str, QIcon] = {}

    def icon(self, exercise: Exercise) -> QIcon:
        icon = self._icons.get(exercise.id)
        if icon is None:
            colors = current_colors()
            box = content_view_box((exercise.start_illustration, exercise.hold_illustration))
            image = render_illustration(
                exercise.hold_illustration,
                THUMB_SIZE,
                QColor(colors.text),
                QColor(colors.accent),
                view_box=box,
            )
            icon = QIcon(QPixmap.fromImage(image))
            self._icons[exercise.id] = icon
        return icon

    def clear(self) -> None:
        self._icons.clear()
