"""Starting the desktop app: one instance per data folder, safe opening of the data, the main window."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from sciatica_coach import APP_ID, APP_NAME, __version__
from sciatica_coach.assets import asset_path
from sciatica_coach.platform.single_instance import SingleInstance
from sciatica_coach.storage.repository import DataError, Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.main_window import MainWindow

log = logging.getLogger(__name__)


def make_application(argv: Sequence[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv))
    app.setApplicationName("sciatica-coach")
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    icon_file = asset_path("icons", "sciatica-coach.svg")
    if icon_file.is_file():
        app.setWindowIcon(QIcon(str(icon_file)))
    return app


def show_error(title: str, text: str) -> None:
    print(f"sciatica-coach: {text}", file=sys.stderr)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text)
    box.exec()


def build_window(repo: Repository) -> MainWindow:
    window = MainWindow(AppContext(repo))
    window.apply_appearance()
    return window


def run_gui(data_dir: Path, argv: Sequence[str]) -> int:
    app = make_application(argv)
    try:
        instance = SingleInstance(data_dir)
    except OSError as err:
        show_error(APP_NAME, f"Sciatica Coach can't use its data folder {data_dir} ({err.strerror}).")
        return 2
    if not instance.acquire():
        if instance.notify_running():
            print("Sciatica Coach is already open; its window has been brought to the front.")
            return 0
        show_error(APP_NAME, "Sciatica Coach is already running with this data folder.")
        return 2
    try:
        repo = Repository.open(data_dir)
    except DataError as err:
        show_error(APP_NAME, str(err))
        instance.release()
        return 2
    window = build_window(repo)
    instance.activated.connect(window.bring_to_front)
    window.show()
    for notice in repo.notices:
        QTimer.singleShot(0, lambda text=notice: QMessageBox.information(window, APP_NAME, text))
    code = app.exec()
    instance.release()
    repo.close()
    return int(code)
