"""Starting the desktop app: one instance per data folder, safe opening of the data, the main window."""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from sciatica_coach import APP_NAME
from sciatica_coach.assets import asset_path
from sciatica_coach.i18n import SYSTEM, _
from sciatica_coach.platform.locale_support import apply_language
from sciatica_coach.platform.single_instance import RAISE, START_SESSION, SingleInstance
from sciatica_coach.storage.repository import DataError, Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.main_window import MainWindow, system_scheme_now
from sciatica_coach.views.theme import SYSTEM_DARK_STATE, apply_theme, make_application

if TYPE_CHECKING:
    from sciatica_coach.core.sitting import Movement
    from sciatica_coach.services.reminders import ReminderService
    from sciatica_coach.services.sitting_breaks import SittingBreakService

log = logging.getLogger(__name__)

_STARTED = time.perf_counter()  # as early as this module loads; the entry point imports it first thing


def set_window_icon(app: QApplication) -> None:
    """The icon on the window's title bar and in the task switcher; set just after the first paint (loading
    the SVG icon engine costs start-up time)."""
    from PySide6.QtGui import QIcon

    icon_file = asset_path("icons", "sciatica-coach.svg")
    if icon_file.is_file():
        app.setWindowIcon(QIcon(str(icon_file)))


def show_error(title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    print(f"sciatica-coach: {text}", file=sys.stderr)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text)
    box.exec()


def show_notices(parent: MainWindow, notices: Sequence[str]) -> None:
    """What opening the data found and fixed (a broken file moved aside…), one box after another."""
    from PySide6.QtWidgets import QMessageBox

    for text in notices:
        QMessageBox.information(parent, APP_NAME, text)


NEEDS_A_WINDOW = ("window banner", "nothing")  # notifier kinds that cannot remind anyone without a window
# The start-up work waits for the window's first paint, but never longer than this: a window manager may
# start the window minimized or on another workspace, and the reminders must be armed all the same.
START_WITHOUT_PAINT_MS = 3000


class _FirstPaint(QObject):
    """Watches for the main window's first paint: then the start-up work that waited for it runs
    (AppContext.after_start). With --verbose, prints "shown after N ms" then, and "ready after N ms" once that
    work is done, for benchmarks (--quit-after-shown quits at that point)."""

    def __init__(self, ctx: AppContext, quit_after: bool, verbose: bool = False) -> None:
        super().__init__()
        self._ctx = ctx
        self._quit_after = quit_after
        self._verbose = verbose
        self._seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._seen:
            self._seen = True
            self._timing("shown")
            QTimer.singleShot(0, self._ctx.finish_start)  # once this paint is on screen
        return False

    def report_ready(self) -> None:
        self._timing("ready")
        if self._quit_after:
            QApplication.quit()

    def _timing(self, what: str) -> None:
        if self._verbose:  # a person starting the app sees nothing in the terminal
            print(f"{what} after {_elapsed_ms():.0f} ms", flush=True)


def _elapsed_ms() -> float:
    return (time.perf_counter() - _STARTED) * 1000


def quit_on_termination(app: QApplication) -> None:
    """SIGTERM and SIGINT close the app cleanly (state saved, lock released) without any polling timer:
    Python's wake-up fd tells a socket notifier, which wakes the Qt event loop only when a signal comes.
    A socket pair rather than a pipe: on Windows set_wakeup_fd takes only a socket (and os.set_blocking is
    POSIX-only before Python 3.12)."""
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: None)  # the real work happens in the notifier below
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def woken() -> None:
        with contextlib.suppress(OSError):
            reader.recv(64)
        app.quit()

    def closed() -> None:
        app.aboutToQuit.disconnect(closed)
        notifier.setEnabled(False)
        signal.set_wakeup_fd(-1)
        reader.close()
        writer.close()
        notifier.deleteLater()

    notifier.activated.connect(woken)
    app.aboutToQuit.connect(closed)  # the closure keeps both ends alive until then


def install_reminders(app_or_window: QApplication | QWidget, ctx: AppContext) -> ReminderService:
    """Create and start the reminders for the running app: the service, the tray icon when the desktop has a
    tray, the notifier chosen for this desktop and the wake-from-sleep watch, wired to each other, to the
    window and to `ctx` (which keeps the service as `ctx.reminders` for the pages).

    `app_or_window` is the main window (preferred: notices can raise it and show a banner) or the
    QApplication when the window is not built yet. Returns the started service; it stops and saves its
    state when the application quits. Imported late: the reminders are not needed to show the window."""
    from sciatica_coach.platform.notifications import create_notifier
    from sciatica_coach.platform.sleep_watch import create_sleep_watch
    from sciatica_coach.platform.tray import create_tray
    from sciatica_coach.services.reminders import ReminderService

    window = app_or_window if isinstance(app_or_window, QWidget) else None
    service = ReminderService(ctx.repo, ctx.clock, parent=ctx)
    ctx.reminders = service
    tray = create_tray(service, window)
    notifier = create_notifier(tray=tray, window=window)
    service.reminder_due.connect(notifier.notify)
    service.missed_notice.connect(notifier.notify)
    service.notice_withdrawn.connect(notifier.withdraw)
    notifier.set_words(service.notice_words)
    notifier.action_invoked.connect(service.act)
    service.start_requested.connect(ctx.start_session_requested)
    ctx.sessions_changed.connect(service.sessions_changed)  # a session done, or red-flag answers
    if window is not None:
        bring = getattr(window, "bring_to_front", window.show)
        service.open_requested.connect(bring)
        service.start_requested.connect(bring)
    sleep_watch = create_sleep_watch(parent=service)
    sleep_watch.resumed.connect(service.resumed)
    service.notifier, service.tray, service.sleep_watch = notifier, tray, sleep_watch
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(service.stop)
    service.start()
    log.info("Reminders armed; notices go to the %s", notifier.kind)
    return service


def install_sitting_breaks(ctx: AppContext, window: QWidget | None = None) -> SittingBreakService:
    """Create and start the sitting breaks (services/sitting_breaks.py), wired to the settings, the routine,
    the guided session, the wake-from-sleep watch and the tray's pause action, after `install_reminders` (whose
    tray and sleep watch it shares). Switched off, the service runs nothing at all. The break card is made
    the first time a break falls due; it has no parent, so it shows while the window is minimized or closed to
    the tray. Imported late: not needed to show the window."""
    from sciatica_coach.services.sitting_breaks import SittingBreakService

    service = SittingBreakService(ctx.repo, ctx.clock, parent=ctx)
    ctx.sitting_breaks = service

    def offer(movement: Movement) -> None:
        if ctx.break_card is None:
            from sciatica_coach.views.break_card import BreakCard

            ctx.break_card = BreakCard(service, ctx.clock, anchor=window)
        ctx.break_card.offer(movement)

    def withdraw() -> None:
        if ctx.break_card is not None:
            ctx.break_card.withdraw()

    service.break_due.connect(offer)
    service.break_withdrawn.connect(withdraw)
    service.save_failed.connect(ctx.save_failed)
    ctx.settings_changed.connect(service.settings_changed)
    ctx.routine_changed.connect(service.settings_changed)
    ctx.session_open_changed.connect(service.set_session_running)
    reminders = ctx.reminders
    if reminders is not None:
        if reminders.sleep_watch is not None:
            reminders.sleep_watch.resumed.connect(service.resumed)
        if reminders.tray is not None:
            reminders.tray.set_breaks(service)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(service.stop)
        app.aboutToQuit.connect(withdraw)
    service.start()
    return service


def write_auto_backup(ctx: AppContext) -> None:
    """Today's automatic backup of everything (storage/backup.py: one a day, the newest 7 kept), run after the
    window's first paint. Only an opened data folder gets here, and not one where opening found a broken file
    and started afresh: its empty data must not push the good backups out. A failure is logged, nothing else."""
    from sciatica_coach.storage.backup import auto_backup

    if ctx.repo.notices:
        log.warning("No automatic backup today: opening the data folder found a problem")
        return
    try:
        made = auto_backup(ctx.repo.folder, ctx.clock.now())
    except Exception:
        log.exception("Could not write today's automatic backup")
        return
    if made is not None:
        log.info("Automatic backup written: %s", made)


def run_gui(
    data_dir: Path,
    argv: Sequence[str],
    *,
    start_session: bool = False,
    quit_after_shown: bool = False,
    background: bool = False,
    verbose: bool = False,
) -> int:
    app = make_application(argv)
    # The language setting is in the data file, not read yet: until then, errors follow the system language.
    apply_language(SYSTEM)
    try:
        instance = SingleInstance(data_dir)
    except OSError as err:
        show_error(
            APP_NAME,
            _("Sciatica Coach can't use its data folder {folder} ({error}).").format(
                folder=data_dir, error=err.strerror
            ),
        )
        return 2
    if not instance.acquire():
        if instance.notify_running(START_SESSION if start_session else RAISE):
            print("Sciatica Coach is already open; its window has been brought to the front.")
            return 0
        show_error(APP_NAME, instance.busy_message())  # names the real holder: the app, or a command
        return 2
    try:
        repo = Repository.open(data_dir)
    except DataError as err:
        show_error(APP_NAME, str(err))
        instance.release()
        return 2
    # The stored setting, before any page is built (text is translated once). Notices gathered while
    # opening (a broken file moved aside…) were worded in the system language, like the errors above.
    apply_language(str(repo.setting("language")))
    ctx = AppContext(repo, starting=not background)
    app.aboutToQuit.connect(ctx.close_services)  # a hung speech engine must not hold up quitting
    settings = repo.settings()
    # The system's light/dark choice as seen last time: asking Qt costs ~20 ms before the window can show, so
    # only the first start asks; the window checks again once it is up (MainWindow._follow_system_scheme).
    system_dark = repo.state(SYSTEM_DARK_STATE)
    if not isinstance(system_dark, bool):
        system_dark = system_scheme_now(repo)
    apply_theme(app, settings["theme"], settings["text_scale"], system_dark)
    first_paint = _FirstPaint(ctx, quit_after_shown, verbose)
    windows: list[MainWindow] = []

    def main_window() -> MainWindow:
        """The main window, built the first time it is needed (at once, unless started in the background)."""
        if not windows:
            window = MainWindow(ctx)
            window.installEventFilter(first_paint)
            windows.append(window)
            if background:  # the reminders were installed first: give the tray its window
                service = ctx.reminders
                if service is not None and service.tray is not None:
                    service.tray.set_window(window)
        return windows[0]

    def start_from_notice() -> None:
        if not windows:  # the window's own handler is connected only once it exists
            main_window().start_session()

    def on_message(message: str) -> None:
        main_window().bring_to_front()
        if message == START_SESSION:
            main_window().start_session()

    if background:
        # Started at login: wait in the tray (or behind desktop notifications) and build the window only
        # when the person asks for it, so the app costs little memory all day.
        service = install_reminders(app, ctx)
        install_sitting_breaks(ctx)
        service.open_requested.connect(lambda: main_window().bring_to_front())
        ctx.start_session_requested.connect(start_from_notice)
        if service.notifier.kind in NEEDS_A_WINDOW:  # nowhere else to show a reminder: keep a window
            main_window().showMinimized()
    else:
        main_window().show()  # its Today page asks for its exercise list after the first paint
        QTimer.singleShot(START_WITHOUT_PAINT_MS, ctx, ctx.finish_start)  # nothing to do if painted by then
        ctx.after_start(lambda: install_reminders(main_window(), ctx), app)
        ctx.after_start(lambda: install_sitting_breaks(ctx, main_window()), app)
    # After the first paint, in this order (AppContext.after_start), unless started in the background:
    ctx.after_start(lambda: set_window_icon(app), app)
    ctx.after_start(instance.listen, instance)
    instance.activated.connect(on_message)
    ctx.after_start(lambda: quit_on_termination(app), app)
    if repo.notices:
        ctx.after_start(lambda: show_notices(main_window(), repo.notices), app)
    if start_session:
        QTimer.singleShot(0, lambda: main_window().start_session())
    ctx.after_start(first_paint.report_ready, first_paint)  # asked for last: runs after all the above
    ctx.after_start(lambda: write_auto_backup(ctx), ctx)  # after "ready": outside the start-up timings
    code = app.exec()
    instance.release()
    repo.close()
    return int(code)
