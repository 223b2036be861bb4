"""The autouse fresh_ui_state fixture (conftest.py) puts back every piece of process-wide UI state, so the
tests pass in any order (they run in a random one) and under any system locale."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication

from sciatica_coach import i18n
from sciatica_coach.app import set_window_icon
from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.platform import locale_support
from sciatica_coach.views import theme
from sciatica_coach.views.theme import make_application
from tests.conftest import reset_ui_state


def look(app: QApplication) -> dict[str, object]:
    return {
        "language": i18n.current_language(),
        "bridge": load_catalogue().get("bridge").name,
        "default locale": QLocale().name(),
        "app locale": locale_support.app_locale().name(),
        "Qt's own words": QCoreApplication.translate("QPlatformTheme", "Cancel"),
        "colours": theme.current_colors(),
        "style sheet": app.styleSheet(),
        "palette": QGuiApplication.palette(),
        "font": QFont(app.font()),
        "icon": app.windowIcon().isNull(),
        "quit on last window": app.quitOnLastWindowClosed(),
        "name": app.applicationName(),
    }


def test_everything_a_test_may_change_is_put_back(qapp: QApplication) -> None:
    fresh = look(qapp)
    assert fresh["language"] == "en" and fresh["default locale"] == QLocale.system().name()
    assert fresh["colours"] is theme.LIGHT and fresh["style sheet"] == ""

    # What the app's start does, here in German and dark at 200 % text, and the tray
    make_application([])
    locale_support.apply_language("de")
    theme.apply_theme(qapp, "dark", 200)
    set_window_icon(qapp)
    qapp.setQuitOnLastWindowClosed(False)
    changed = look(qapp)
    unchanged = {key for key, value in fresh.items() if changed[key] == value}
    assert unchanged <= {"default locale", "app locale"}, "(on a German system the locale is German already)"

    reset_ui_state()
    assert look(qapp) == fresh
    assert theme._system_point_size is None
