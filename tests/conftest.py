"""Test set-up: headless Qt, a private temp data folder and home for every test, and every test starting
from (and leaving) the process-wide UI state of a fresh start: English, the system locale, no theme."""

from __future__ import annotations

import contextlib
import locale
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_ACCESSIBILITY", "1")
# Qt sets the C library's locale from the environment when the first QApplication starts (strftime's %a and %b
# follow it): set here, every test sees the same one whether or not a test before it started Qt.
with contextlib.suppress(locale.Error):
    locale.setlocale(locale.LC_ALL, "")


# Hypothesis profiles: "default" (CI and the plain test command: each property's own count) and "fast"
# (`dev.py test --fast`, which passes --hypothesis-profile=fast): at most FAST_EXAMPLES examples for every
# property, those that set their own count too; the edit loop then still runs each property once over.
FAST_PROFILE, FAST_EXAMPLES = "fast", 10
settings.register_profile(FAST_PROFILE, max_examples=FAST_EXAMPLES)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("hypothesis_profile", None) != FAST_PROFILE:
        return
    for item in items:
        test = getattr(item, "function", None)
        # A @settings(max_examples=N) count outranks any profile, so it is lowered on the test itself: Hypothesis
        # keeps it in this attribute (not public API; should it move, --fast runs the full counts, nothing breaks)
        own = getattr(test, "_hypothesis_internal_use_settings", None)
        if isinstance(own, settings) and own.max_examples > FAST_EXAMPLES:
            test._hypothesis_internal_use_settings = settings(own, max_examples=FAST_EXAMPLES)  # type: ignore[union-attr]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under pytest-xdist a report travels to the main process as UTF-8, and a log line with a lone surrogate
    (the hostile-value tests log such values) stopped the whole run (pytest-xdist issue 843): write those
    characters as escapes in the captured sections."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if hasattr(item.config, "workerinput"):
        report.sections = [
            (title, text.encode("utf-8", "backslashreplace").decode("utf-8"))
            for title, text in report.sections
        ]


@pytest.fixture(autouse=True)
def private_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test ever touches the real user profile: HOME, XDG folders and the data dir all live in tmp."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local/state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    data_dir = tmp_path / "data"
    monkeypatch.setenv("SCIATICA_COACH_DATA_DIR", str(data_dir))
    return data_dir


@pytest.fixture
def data_dir(private_profile: Path) -> Path:
    return private_profile


# The Qt application's own settings as pytest-qt made them, read the first time a test sees the application.
_PRISTINE_APP: dict[str, Any] = {}


@pytest.fixture(autouse=True)
def fresh_ui_state() -> Iterator[None]:
    """Language, locale, theme and the application's look are process-wide: each test starts from the state a
    fresh process has and leaves it so, whatever it changed, so tests pass in any order and any system locale
    (the suite runs in random order: pytest-randomly)."""
    reset_ui_state()
    yield
    reset_ui_state()


def reset_ui_state() -> None:
    """Put back every piece of process-wide UI state. Only modules already imported are touched: a core test
    never loads Qt because of this."""
    modules = sys.modules
    if (i18n := modules.get("sciatica_coach.i18n")) is not None:
        i18n.set_language(i18n.SOURCE_LANGUAGE)
    if (locale_support := modules.get("sciatica_coach.platform.locale_support")) is not None:
        locale_support.reset_language()  # our language, Qt's translator, the locale for dates and times
    if (catalogue := modules.get("sciatica_coach.core.catalogue")) is not None:
        catalogue.clear_catalogue_cache()  # cached per language, and a test may point it at other assets
    if (clock := modules.get("sciatica_coach.core.clock")) is not None:
        clock.local_zone.cache_clear()  # a test may have changed TZ
    if (theme := modules.get("sciatica_coach.views.theme")) is not None:
        theme._current = theme.LIGHT  # type: ignore[attr-defined]
        theme._system_point_size = None  # type: ignore[attr-defined]
    if "PySide6.QtWidgets" in modules:
        _reset_qt_application()


def _reset_qt_application() -> None:
    from PySide6.QtCore import QEvent, QLocale
    from PySide6.QtGui import QFontDatabase, QGuiApplication, QIcon, QPalette
    from PySide6.QtWidgets import QApplication

    QLocale.setDefault(QLocale.system())
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if not _PRISTINE_APP:
        _PRISTINE_APP.update(
            name=app.applicationName(),
            display_name=app.applicationDisplayName(),
            desktop_file=app.desktopFileName(),
            style=app.style().name(),
        )
    # The test's windows go first: pytest-qt closed them and asked for their deletion, which waits for an
    # event loop; restyled while still there, a Routine test's window made the next setStyleSheet crash.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    if app.styleSheet():
        app.setStyleSheet("")
    if app.style().name() != _PRISTINE_APP["style"]:
        app.setStyle(_PRISTINE_APP["style"])
    # The theme's "style in place" property stays: else apply_theme would replace the QStyle in every test,
    # which the app never does.
    # A palette with nothing set resolves wholly to the platform's; the platform's font is its general font.
    if "palette" not in _PRISTINE_APP or QGuiApplication.palette() != _PRISTINE_APP["palette"]:
        app.setPalette(QPalette())
        _PRISTINE_APP["palette"] = QGuiApplication.palette()
    system_font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    if app.font() != system_font:
        app.setFont(system_font)
    if not app.windowIcon().isNull():
        app.setWindowIcon(QIcon())
    app.setQuitOnLastWindowClosed(True)  # the tray turns it off
    if app.applicationName() != _PRISTINE_APP["name"]:  # the app's start names itself
        app.setApplicationName(_PRISTINE_APP["name"])
        app.setApplicationDisplayName(_PRISTINE_APP["display_name"])
        app.setDesktopFileName(_PRISTINE_APP["desktop_file"])
