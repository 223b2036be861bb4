"""Small building blocks shared by the pages: headings, cards, and a scrollable page frame."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

PAGE_MARGINS = (40, 28, 40, 28)


def label(text: str, role: str | None = None, *, wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return widget


def card(title: str | None = None) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setProperty("role", "card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(22, 18, 22, 18)
    layout.setSpacing(10)
    if title:
        heading = label(title, "big")
        heading.setAccessibleName(title)
        layout.addWidget(heading)
    return frame, layout


class Page(QScrollArea):
    """A page with a title and subtitle whose body scrolls when text is large or the window is small."""

    def __init__(self, title: str, subtitle: str = "") -> None:
        super().__init__()
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
