"""The app's language and locale on the Qt side: picks the language (setting or system), loads our
translation (sciatica_coach.i18n) and Qt's own (standard dialogs), and formats dates, times and weekdays
the way the person's locale does (12/24 h, day and month order, first day of the week)."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, time

from PySide6.QtCore import QCoreApplication, QDate, QLibraryInfo, QLocale, QTime, QTranslator

from sciatica_coach import i18n
from sciatica_coach.i18n import ngettext

log = logging.getLogger(__name__)

_locale: QLocale | None = None
_qt_translator: QTranslator | None = None


def apply_language(setting: str) -> str:
    """Use the language the setting asks for ("system" follows the system's preferred languages), with Qt's
    own translation for standard dialogs and a matching locale for dates and times. Returns the code used.
    Call before building the window: text already shown keeps its language until the next start."""
    global _locale, _qt_translator  # noqa: PLW0603 - the one language of the running app
    system = QLocale.system()
    language = i18n.resolve_language(setting, system.uiLanguages() or [system.name()])
    i18n.set_language(language)
    system_base = system.name().split("_")[0]
    # Keep the system's regional formats (en_GB vs en_US, de_AT…) when the language matches it.
    _locale = system if system_base == language else QLocale(language)
    QLocale.setDefault(_locale)
    app = QCoreApplication.instance()
    if app is not None:
        if _qt_translator is not None:
            app.removeTranslator(_qt_translator)
            _qt_translator = None
        if language != i18n.SOURCE_LANGUAGE:
            translator = QTranslator(app)
            folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if translator.load(_locale, "qtbase", "_", folder):
                app.installTranslator(translator)
                _qt_translator = translator
            else:
                log.info("No Qt translation for %s in %s", language, folder)
    return language


def reset_language() -> None:
    """Back to English and the system locale (for tests)."""
    global _locale  # noqa: PLW0603
    apply_language(i18n.SOURCE_LANGUAGE)
    _locale = None
    QLocale.setDefault(QLocale.system())


def app_locale() -> QLocale:
    return _locale if _locale is not None else QLocale()


def long_date(day: date) -> str:
    """e.g. "Monday 2 March" / "Montag, 2. März": the locale's long date without the year."""
    locale = app_locale()
    pattern = _without_year(locale.dateFormat(QLocale.FormatType.LongFormat))
    return locale.toString(QDate(day.year, day.month, day.day), pattern or "dddd d MMMM")


def _without_year(pattern: str) -> str:
    return re.sub(r"(?:[\s,]*'[^']*')?[\s,]*y+[年년]?", "", pattern).strip(" ,")


def day_month(day: date) -> str:
    """e.g. "3 Mar" / "3. März": the locale's day and short month, without weekday or year."""
    locale = app_locale()
    pattern = _without_year(locale.dateFormat(QLocale.FormatType.LongFormat))
    pattern = re.sub(r"d{4}[\s,]*", "", pattern).replace("MMMM", "MMM").strip(" ,")
    return locale.toString(QDate(day.year, day.month, day.day), pattern or "d MMM")


def weekday_date(day: date) -> str:
    """e.g. "Tue, 3 Mar 2026" / "Di., 3. März 2026": short weekday, day, short month and year."""
    locale = app_locale()
    pattern = locale.dateFormat(QLocale.FormatType.LongFormat).replace("dddd", "ddd").replace("MMMM", "MMM")
    return locale.toString(QDate(day.year, day.month, day.day), pattern)


def month_name(month: int, short: bool = False) -> str:
    """``month`` 1…12 in the locale's language."""
    kind = QLocale.FormatType.ShortFormat if short else QLocale.FormatType.LongFormat
    return app_locale().monthName(month, kind)


def decimal(value: float, places: int = 1) -> str:
    """``value`` with the locale's decimal sign ("2.5" / "2,5")."""
    return app_locale().toString(float(value), "f", places)


def short_date(day: date) -> str:
    return app_locale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.ShortFormat)


def clock_time(moment: time | datetime) -> str:
    """Hours and minutes, 12 h or 24 h as the locale does it. The one place a time of day is written for the
    person: every page, notice, tray entry and message uses it (never strftime's "%H:%M")."""
    return app_locale().toString(QTime(moment.hour, moment.minute), clock_pattern())


def clock_pattern() -> str:
    """The Qt pattern `clock_time` writes with: the locale's short time without seconds (for a QTimeEdit too)."""
    return _without_seconds(app_locale().timeFormat(QLocale.FormatType.ShortFormat)) or "HH:mm"


def _without_seconds(pattern: str) -> str:
    """A Qt time pattern without its seconds: Qt 6.8 (not 6.11) gives the C locale (LANG=C, LANG=C.UTF-8) the
    short time "HH:mm:ss", which wrote reminders as "08:00:00". Quoted literal text is left as it is."""
    parts = re.split(r"('[^']*')", pattern)  # odd items are the quoted literals
    return "".join(
        part if index % 2 else re.sub(r"[^\w']*s+(?:[.,]z+)?", "", part) for index, part in enumerate(parts)
    ).strip()


def about_minutes(seconds: int) -> str:
    """A session length in words, rounded to whole minutes (at least one): "about 12 minutes"."""
    minutes = max(1, round(seconds / 60))
    return ngettext("about {n} minute", "about {n} minutes", minutes).format(n=minutes)


def weekday_name(weekday: int, short: bool = False) -> str:
    """``weekday`` counted from Monday = 0 (Python's convention), in the locale's language."""
    kind = QLocale.FormatType.ShortFormat if short else QLocale.FormatType.LongFormat
    return app_locale().dayName(weekday + 1, kind)


def week_order() -> list[int]:
    """Python weekday numbers (Monday = 0) starting on the locale's first day of the week."""
    first = app_locale().firstDayOfWeek().value - 1  # Qt: Monday = 1 … Sunday = 7
    return [(first + i) % 7 for i in range(7)]
