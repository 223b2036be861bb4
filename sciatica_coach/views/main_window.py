"""The main window: a sidebar of pages (Today, Progress, Routine, Reminders, Settings, Learn) and a page stack.

Pages are built the first time they are shown, so heavy ones (Progress loads pyqtgraph) cost nothing at start."""

from __future__ import annotations

import base64
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import shiboken6
from PySide6.QtCore import QByteArray
from PySide6.QtGui import QCloseEvent, QFont, QFontMetrics, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from sciatica_coach import APP_NAME
from sciatica_coach.i18n import _
from sciatica_coach.storage.repository import DataError, Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.theme import SYSTEM_DARK_STATE, apply_theme, system_prefers_dark
from sciatica_coach.views.widgets import EnterClicks

if TYPE_CHECKING:
    from sciatica_coach.views.session_view import SessionView

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1120, 740)
MINIMUM_SIZE = (760, 540)
TOLD_ABOUT_TRAY = "told_about_tray"  # the setting: the tray balloon has been shown once
# The sidebar's width follows its longest page name at the current text size, between these: as wide as at
# usual sizes, and never so wide that the page has less than 420 px at the minimum window size.
SIDEBAR_WIDTH_PX = (230, 340)
SIDEBAR_SLACK_PX = 4  # rounding, and the focus frame


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    description: str
    factory: Callable[[AppContext], QWidget]


def lazy_page(module: str, class_name: str) -> Callable[[AppContext], QWidget]:
    """A page factory that imports its module only when the page is first shown."""

    def build(ctx: AppContext) -> QWidget:
        page_class = getattr(importlib.import_module(f"sciatica_coach.views.{module}"), class_name)
        return cast(QWidget, page_class(ctx))

    return build


def default_pages() -> list[PageSpec]:
    return [
        PageSpec("today", _("Today"), _("Start a session and see what's next"), lazy_page("today_page", "TodayPage")),
        PageSpec("progress", _("Progress"), _("Your weekly chart, streaks and pain trend"),
                 lazy_page("progress_page", "ProgressPage")),
        PageSpec("routine", _("Routine"), _("Your exercises and how much of each"),
                 lazy_page("routine_page", "RoutinePage")),
        PageSpec("reminders", _("Reminders"), _("When Sciatica Coach reminds you"),
                 lazy_page("reminders_page", "RemindersPage")),
        PageSpec("settings", _("Settings"), _("Sound, voice, appearance and safety notes"),
                 lazy_page("settings_page", "SettingsPage")),
        PageSpec("learn", _("Learn"), _("Short lessons on sitting, lifting, sleeping and more"),
                 lazy_page("learn_page", "LearnPage")),
    ]  # fmt: skip


def system_scheme_now(repo: Repository) -> bool:
    """Whether the system is dark now (asking Qt), remembered for the next start's first paint. Remembering is
    best effort: if the data can't be written, the next start may only guess wrong for a moment."""
    dark = system_prefers_dark()
    if repo.state(SYSTEM_DARK_STATE) != dark:
        try:
            repo.set_state(SYSTEM_DARK_STATE, dark)
        except DataError as err:
            log.info("Could not remember the system's light/dark choice: %s", err)
    return dark


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, pages: list[PageSpec] | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(*MINIMUM_SIZE)
        self._specs = pages if pages is not None else default_pages()
        self._built: dict[str, QWidget] = {}
        self.nav_buttons: dict[str, QPushButton] = {}

        central = QWidget()
        root = QHBoxLayout(central)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)

        sidebar = QWidget()
        sidebar.setObjectName("Sidebar")
        side = QVBoxLayout(sidebar)
        side.setContentsMargins(0, 20, 0, 20)
        side.setSpacing(4)
        brand = QLabel(APP_NAME)
        brand.setProperty("role", "big")
        brand.setContentsMargins(22, 0, 12, 16)
        brand.setWordWrap(
            True
        )  # at very large text the name takes two lines rather than widening the sidebar
        side.addWidget(brand)

        self.stack = QStackedWidget()
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        for index, spec in enumerate(self._specs):
            button = QPushButton(spec.title)
            button.setProperty("role", "nav")
            button.setCheckable(True)
            button.setAccessibleName(spec.title)
            button.setAccessibleDescription(spec.description)
            shortcut = f"Ctrl+{index + 1}"
            button.setToolTip(
                f"{spec.description} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})"
            )
            button.clicked.connect(lambda _=False, key=spec.key: self.go_to_page(key))
            QShortcut(QKeySequence(shortcut), self, lambda key=spec.key: self.go_to_page(key))
            self._group.addButton(button)
            side.addWidget(button)
            self.nav_buttons[spec.key] = button
            self.stack.addWidget(QWidget())  # a light stand-in until the page is first shown
        side.addStretch(1)
        self.sidebar = sidebar
        self._fit_sidebar()

        root.addWidget(sidebar)
        root.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._restore_geometry()
        self.show_page(self._specs[0].key)
        first = self.page(self._specs[0].key)
        getattr(first, "initial_focus", first).setFocus()  # start in the page's main action, not the sidebar
        self.session_view: SessionView | None = None
        self.sidebar = sidebar
        ctx.start_session_requested.connect(self.start_session)
        ctx.save_failed.connect(self._show_save_failure)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.start_session)
        ctx.settings_changed.connect(self.apply_appearance)
        ctx.after_start(self._follow_system_scheme, self)
        self._enter_clicks = EnterClicks(self)
        self._enter_watched: list[QWidget] = []  # the focused widget and the widgets it sits in
        ctx.after_start(self._follow_focus_for_enter, self)

    def _follow_focus_for_enter(self) -> None:
        """Return/Enter clicks the focused button or the page's main one (widgets.EnterClicks). The filter
        watches only the focused widget and the widgets it sits in, which are all a key press reaches, and
        moves along with the focus. On the whole application it would see every event of every object, and
        PySide6 would make a Python wrapper, type and enums for each kind of object it met (about 4 MB that
        stay: issue 18, point 7). After the first paint, like the rest of the start-up work."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._watch_focus_for_enter)
            self._watch_focus_for_enter(None, QApplication.focusWidget())

    def _watch_focus_for_enter(self, _old: QWidget | None, new: QWidget | None) -> None:
        for widget in self._enter_watched:
            if shiboken6.isValid(widget):
                widget.removeEventFilter(self._enter_clicks)
        chain = []
        while new is not None:
            chain.append(new)
            new = new.parentWidget()
        for widget in chain:
            widget.installEventFilter(self._enter_clicks)
        self._enter_watched = chain

    def _follow_system_scheme(self) -> None:
        """From now on, follow the system's light/dark choice. The first picture used the choice remembered
        from the last run (theme.SYSTEM_DARK_STATE: asking Qt costs start-up time); if it has changed since,
        the colours change now."""
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.apply_appearance)
        if self.ctx.repo.state(SYSTEM_DARK_STATE) != system_prefers_dark():
            self.apply_appearance()

    def apply_appearance(self) -> None:
        """Re-apply colours and text size from the settings and the system's light/dark choice (which is
        remembered for the next start's first paint)."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            settings = self.ctx.repo.settings()
            apply_theme(app, settings["theme"], settings["text_scale"], system_scheme_now(self.ctx.repo))
        self._fit_sidebar()
        self.ctx.appearance_changed.emit()

    def _fit_sidebar(self) -> None:
        """Make the sidebar as wide as its longest page name needs in the current font, measured in bold (the
        chosen page's name is heavier), within SIDEBAR_WIDTH_PX."""
        self.sidebar.ensurePolished()  # the style sheet's font and padding, before the sidebar is first shown
        needed = 0
        for button in self.nav_buttons.values():
            button.ensurePolished()
            bold = QFont(button.font())
            bold.setBold(True)
            text = button.text()
            box = button.sizeHint().width() - button.fontMetrics().horizontalAdvance(text)  # padding, margins
            needed = max(needed, QFontMetrics(bold).horizontalAdvance(text) + box + SIDEBAR_SLACK_PX)
        narrowest, widest = SIDEBAR_WIDTH_PX
        self.sidebar.setFixedWidth(max(narrowest, min(widest, needed)))

    # ---- pages ---------------------------------------------------------------------------------------
    def page(self, key: str) -> QWidget:
        """The page for `key`, built on first use."""
        if key not in self._built:
            index = self._index(key)
            widget = self._specs[index].factory(self.ctx)
            stand_in = self.stack.widget(index)
            assert stand_in is not None
            self.stack.removeWidget(stand_in)
            stand_in.deleteLater()
            self.stack.insertWidget(index, widget)
            self._built[key] = widget
        return self._built[key]

    def show_page(self, key: str) -> None:
        widget = self.page(key)
        self.stack.setCurrentWidget(widget)
        self.nav_buttons[key].setChecked(True)

    def open_lesson(self, lesson_id: str) -> None:
        """Open one posture lesson on the Learn page (Today's tip)."""
        self.go_to_page("learn")
        if self.current_key() == "learn":  # not when a running session kept the window
            opener = getattr(self.page("learn"), "open_lesson", None)  # the page is built lazily
            if opener is not None:
                opener(lesson_id)

    def go_to_page(self, key: str) -> None:
        """A page chosen with its shortcut (Ctrl+1…6) or the sidebar. While a session is open, the session
        decides first: a running session asks "End the session now?" (like Esc) and stays, the pain check
        after it waits to be answered; a stage where nothing is under way (the guidance note, the safety
        questions, the pain check before) closes, and the page opens. Never a page over a half-shown session."""
        view = self.session_view
        if view is not None:
            if not view.leave_request():
                return
            self.close_session()
        self.show_page(key)

    def current_key(self) -> str:
        if self.session_view is not None and self.stack.currentWidget() is self.session_view:
            return "session"
        return self._specs[self.stack.currentIndex()].key

    def _index(self, key: str) -> int:
        for i, spec in enumerate(self._specs):
            if spec.key == key:
                return i
        raise KeyError(key)

    # ---- the session ---------------------------------------------------------------------------------
    def start_session(self) -> None:
        """Open the guided session in place of the pages (or bring back the one already open)."""
        self.bring_to_front()
        if self.session_view is not None:
            return
        from sciatica_coach.core.catalogue import load_catalogue  # loaded on first use: start-up stays light
        from sciatica_coach.services.routines import routine_for_today
        from sciatica_coach.views.session_view import SessionView

        catalogue = load_catalogue()
        routine = routine_for_today(self.ctx.repo, catalogue, self.ctx.clock.now().date())
        view = SessionView(self.ctx, catalogue, routine)
        view.closed.connect(self.close_session)
        view.floor_mode_changed.connect(self._floor_mode)
        app = QApplication.instance()
        if app is not None:  # quitting from the tray or the system ending the session: keep what was done
            app.aboutToQuit.connect(view.keep_what_was_done)
        self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)
        self.sidebar.hide()
        self.session_view = view
        self.ctx.session_open_changed.emit(True)
        view.begin()

    def close_session(self) -> None:
        view = self.session_view
        if view is None:
            return
        self._floor_mode(False)
        self.session_view = None
        self.stack.removeWidget(view)
        view.deleteLater()
        self.sidebar.show()
        self.show_page("today")
        self.ctx.session_open_changed.emit(False)

    def _floor_mode(self, on: bool) -> None:
        if on:
            self._was_maximized = self.isMaximized()
            self.showFullScreen()
        elif self.isFullScreen():
            self.showMaximized() if getattr(self, "_was_maximized", False) else self.showNormal()

    def _show_save_failure(self, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, message, QMessageBox.StandardButton.Ok, self)
        box.open()

    # ---- geometry ------------------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        saved = self.ctx.repo.setting("window_geometry")
        if isinstance(saved, str):
            try:
                if self.restoreGeometry(QByteArray(base64.b64decode(saved))):
                    return
            except ValueError:
                log.info("Ignoring unreadable saved window geometry")
        self.resize(*DEFAULT_SIZE)

    def save_geometry(self) -> None:
        blob = bytes(self.saveGeometry().data())
        self.ctx.repo.set_setting("window_geometry", base64.b64encode(blob).decode("ascii"))

    def bring_to_front(self) -> None:
        from PySide6.QtCore import Qt

        self.setWindowState(
            (self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive
        )
        self.show()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        view = self.session_view
        if view is not None and not view.leave_request(closing=True):
            event.ignore()  # a running session asks first, like Esc; what was done is kept either way
            self.bring_to_front()
            return
        try:
            self.save_geometry()
        except DataError:  # a full disk must not stop the window closing
            log.exception("Could not save the window geometry")
        if self._keep_in_tray(event):
            return
        super().closeEvent(event)

    def _keep_in_tray(self, event: QCloseEvent) -> bool:
        """With a tray icon (and unless the person chose Quit), the window hides instead of closing and the
        app keeps running in the tray, so reminders keep coming; the first time, a short balloon says so.
        Returns True when it kept the app running."""
        service = self.ctx.reminders
        tray = service.tray if service is not None else None
        if tray is None or not tray.keeps_app_running():
            return False
        event.ignore()
        self.hide()
        if not self.ctx.repo.setting(TOLD_ABOUT_TRAY):
            tray.explain_still_here()
            try:
                self.ctx.repo.set_setting(TOLD_ABOUT_TRAY, True)
            except DataError:  # a full disk must not stop the window hiding
                log.exception("Could not save that the tray was explained")
        return True
