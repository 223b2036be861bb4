"""Dates, times and weeks follow the locale (12/24 h, day/month order, first day of the week); the language
setting loads our translation and Qt's own, and leaves the app in English afterwards."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from sciatica_coach import i18n
from sciatica_coach.platform import locale_support

MONDAY = date(2026, 3, 2)
# Long dates as older Qt locale data writes them, also right (PySide6 6.8, the lowest pyproject allows)
OLDER_LONG_DATES = {"en_GB": ("Monday 2 March",)}


@pytest.fixture
def locale_of() -> object:
    """Sets the app's locale for dates and times (the autouse fresh_ui_state puts the system's back)."""

    def use(name: str) -> None:  # as on a system in that locale: Qt's default, no language chosen
        locale_support.reset_language()
        QLocale.setDefault(QLocale(name))

    return use


@pytest.mark.parametrize(
    ("name", "when", "day", "first"),
    [
        ("en_US", "2:05\u202fPM", "Monday, March 2", 6),
        ("en_GB", "14:05", "Monday, 2 March", 0),
        ("de_DE", "14:05", "Montag, 2. März", 0),
        ("es_ES", "14:05", "lunes, 2 de marzo", 0),
    ],
)
def test_formats_follow_the_locale(locale_of, name: str, when: str, day: str, first: int) -> None:  # type: ignore[no-untyped-def]
    locale_of(name)
    assert locale_support.clock_time(time(14, 5)) == when
    assert locale_support.clock_time(datetime(2026, 3, 2, 14, 5)) == when
    assert locale_support.long_date(MONDAY) in (day, *OLDER_LONG_DATES.get(name, ()))
    order = locale_support.week_order()
    assert order[0] == first and sorted(order) == list(range(7))


def test_weekday_names_are_in_the_locale_language(locale_of) -> None:  # type: ignore[no-untyped-def]
    locale_of("de_DE")
    assert locale_support.weekday_name(0) == "Montag"
    assert locale_support.weekday_name(6, short=True).startswith("So")


def test_apply_language_loads_ours_and_qts_and_resets(qapp) -> None:  # type: ignore[no-untyped-def]
    try:
        assert locale_support.apply_language("de") == "de"
        assert i18n.current_language() == "de"
        assert i18n._("Today") == "Heute"
        assert QLocale().language() == QLocale.Language.German
        # Qt's own dialogs speak German too (qtbase_de.qm from PySide6's translations folder).
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
    finally:
        locale_support.reset_language()
    assert i18n.current_language() == "en" and i18n._("Today") == "Today"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
