"""About, at the bottom of Settings: the app's name and version, that it is free software with no warranty, and
a Licences button opening the licence texts (the app's GPL and the third-party notices) to read.

The texts come from services/licences.py (the bundle's files, or the installed distributions' metadata)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sciatica_coach import APP_NAME, __version__
from sciatica_coach.i18n import _
from sciatica_coach.services import licences
from sciatica_coach.views.widgets import card, label

DIALOG_WIDTH_PX = 1100  # lines of about 100 characters at the normal text size: long lines read badly
DIALOG_HEIGHT_PX = 720  # where the screen is unknown
SCREEN_SHARE = 0.9


def licence_view(text: str, name: str) -> QPlainTextEdit:
    """A licence text to read: in the app's type and size, its paragraphs wrapped at the window's edge (joined
    first: the files wrap them by hand at 80 columns), read-only, scrollable with the keyboard (arrow keys,
    Page Up/Down) and selectable to copy."""
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByKeyboard | Qt.TextInteractionFlag.TextSelectableByMouse
    )
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    view.setPlainText(licences.reflowed(text))
    view.setAccessibleName(name)
    view.setTabChangesFocus(True)  # Tab moves on to the Close button instead of being swallowed
    return view


class LicencesDialog(QDialog):
    """The licence texts: the app's own (GNU GPL 3) and the other software's, one tab each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Licences"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(14)
        layout.addWidget(label(_("Licences"), "title"))
        intro = label(
            _(
                "Sciatica Coach is free software: you may share and change it under the GNU General Public "
                "License, version 3 or later. It uses other free software, each under its own licence, listed "
                "under “Other software”. The licence texts are in English."
            )
        )
        intro.setAccessibleName(intro.text())
        layout.addWidget(intro)
        self.app_text = licence_view(licences.app_licence_text(), _("Licence of Sciatica Coach"))
        self.notices_text = licence_view(licences.third_party_notices(), _("Licences of the other software"))
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.app_text, APP_NAME)
        self.tabs.addTab(self.notices_text, _("Other software"))
        self.tabs.setAccessibleName(_("Licences"))
        layout.addWidget(self.tabs, 1)
        self.close_button = QPushButton(_("Close"))
        self.close_button.setAccessibleName(_("Close"))
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)
        self.app_text.setFocus()
        # Long texts: as tall as the screen allows (most of it, with large text), never wider than reads well
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        if screen is None:
            self.resize(DIALOG_WIDTH_PX, DIALOG_HEIGHT_PX)
        else:
            self.resize(
                min(DIALOG_WIDTH_PX, int(screen.width() * SCREEN_SHARE)), int(screen.height() * SCREEN_SHARE)
            )


def about_card() -> tuple[QFrame, QPushButton]:
    """The About card for the bottom of Settings, and its Licences button (the page opens the dialog)."""
    frame, layout = card(_("About Sciatica Coach"))
    version = label(_("{app}, version {version}").format(app=APP_NAME, version=__version__))
    version.setAccessibleName(version.text())
    layout.addWidget(version)
    free = label(
        _("Free software under the GNU GPL, version 3 or later. It comes with no warranty."), "muted"
    )
    free.setAccessibleName(free.text())
    layout.addWidget(free)
    button = QPushButton(_("Licences"))
    button.setAccessibleName(_("Licences"))
    button.setAccessibleDescription(
        _("Shows the licence of Sciatica Coach and of the other software it uses")
    )
    layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
    return frame, button


def open_licences(parent: QWidget) -> LicencesDialog:
    """Open the licences dialog over `parent` (window-modal, closed with Close or Escape)."""
    dialog = LicencesDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
