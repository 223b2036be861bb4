"""Emergency and same-day care numbers by country, so every piece of safety advice names the number to call.

Advice texts carry three placeholders, filled by `advice_words(country)`:

* ``{emergency}`` — what to call in an emergency, said after "call": "999 (112 also works)", "112",
  "144 (or 112)", or for an unknown country "your local emergency number (112 in …, 911 in …)";
* ``{department}`` — where to go: "A&E (the emergency department)", "an emergency department";
* ``{same_day}`` — how to be seen by a doctor today: "call your GP surgery for an urgent appointment today,
  or call NHS 111".

Germany's 116 117 is the NON-emergency out-of-hours doctor service: it appears only in ``{same_day}``, never
in ``{emergency}`` (a test checks this for every country). Numbers from the NHS, the EU's 112 page and the
national services (see docs/safety.md, section 2).

The country is a setting; until the person chooses one it follows the system locale's territory
(`system_country`: LANG=de_DE.UTF-8 -> Germany, en_US -> the US, C -> "another country"). Qt-free.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from sciatica_coach.i18n import N_, _

OTHER_CODE = "other"  # the setting's value for a country not in the table
# Where the country is read from, in the order POSIX gives a locale category: LC_ALL, the category, LANG.
LOCALE_VARIABLES = ("LC_ALL", "LC_TELEPHONE", "LANG")

EMERGENCY_DEPARTMENT = N_("an emergency department")
SAME_DAY_GENERIC = N_(
    "contact your doctor's practice for an urgent appointment today (out of hours, the local on-call "
    "doctor service)"
)


@dataclass(frozen=True, slots=True)
class Country:
    """One country's numbers. `name`, `emergency`, `department` and `same_day` are marked for translation."""

    code: str  # ISO 3166-1 alpha-2 ("GB", "DE"), or OTHER_CODE
    name: str
    number: str  # the number shown in big type: "999"
    emergency: str  # said after "call": "999 (112 also works)"
    same_day: str = SAME_DAY_GENERIC
    department: str = EMERGENCY_DEPARTMENT


def _eu(code: str, name: str) -> Country:
    return Country(code, name, "112", "112")


COUNTRIES: tuple[Country, ...] = (
    Country(
        "GB",
        N_("United Kingdom"),
        "999",
        N_("999 (112 also works)"),
        same_day=N_("call your GP surgery for an urgent appointment today, or call NHS 111"),
        department=N_("A&E (the emergency department)"),
    ),
    Country("IE", N_("Ireland"), "112", N_("112 or 999")),
    Country(
        "DE",
        N_("Germany"),
        "112",
        "112",
        same_day=N_(
            "call your family doctor (Hausarzt) for an appointment today; out of hours, call the on-call "
            "doctor service on 116 117"
        ),
    ),
    _eu("AT", N_("Austria")),
    _eu("BE", N_("Belgium")),
    _eu("BG", N_("Bulgaria")),
    _eu("HR", N_("Croatia")),
    _eu("CY", N_("Cyprus")),
    _eu("CZ", N_("Czechia")),
    _eu("DK", N_("Denmark")),
    _eu("EE", N_("Estonia")),
    _eu("FI", N_("Finland")),
    _eu("FR", N_("France")),
    _eu("GR", N_("Greece")),
    _eu("HU", N_("Hungary")),
    _eu("IT", N_("Italy")),
    _eu("LV", N_("Latvia")),
    _eu("LT", N_("Lithuania")),
    _eu("LU", N_("Luxembourg")),
    _eu("MT", N_("Malta")),
    _eu("NL", N_("Netherlands")),
    _eu("PL", N_("Poland")),
    _eu("PT", N_("Portugal")),
    _eu("RO", N_("Romania")),
    _eu("SK", N_("Slovakia")),
    _eu("SI", N_("Slovenia")),
    _eu("ES", N_("Spain")),
    _eu("SE", N_("Sweden")),
    Country("CH", N_("Switzerland"), "144", N_("144 (or 112)")),
    Country("US", N_("United States"), "911", "911"),
    Country("CA", N_("Canada"), "911", "911"),
    Country("AU", N_("Australia"), "000", N_("000 (or 112 from a mobile)")),
    Country("NZ", N_("New Zealand"), "111", "111"),
)
OTHER = Country(
    OTHER_CODE,
    N_("Another country"),
    "112 / 911",
    N_(
        "your local emergency number (112 in the European Union and many other countries, 999 in the UK, "
        "911 in North America, 000 in Australia)"
    ),
)
_BY_CODE: dict[str, Country] = {country.code: country for country in COUNTRIES}
# Territories a locale may name that share another entry's numbers.
_ALIASES = {"UK": "GB", "EL": "GR"}


def country(code: str | None) -> Country:
    """The entry for an ISO code (any case; "UK" works too); OTHER for None, "other" or a code not listed."""
    key = (code or "").upper()
    return _BY_CODE.get(_ALIASES.get(key, key), OTHER)


def territory(locale_name: str) -> str:
    """The territory of a POSIX or BCP 47 locale name, upper case: "de_DE.UTF-8@euro" -> "DE",
    "en-GB" -> "GB"; "" for "C", "POSIX", "de" or "" (no territory)."""
    base = locale_name.split(".", maxsplit=1)[0].split("@", maxsplit=1)[0].replace("-", "_")
    parts = base.split("_")
    if len(parts) < 2:
        return ""
    region = parts[-1]
    return region.upper() if len(region) == 2 and region.isalpha() else ""


def system_country(environ: Mapping[str, str]) -> Country:
    """The country of the system locale: the first set of LC_ALL, LC_TELEPHONE and LANG decides (as POSIX
    does for a locale category); OTHER when it names no territory we know (for example "C")."""
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable, "")
        if value:
            return country(territory(value))
    return OTHER


def advice_words(place: Country) -> dict[str, str]:
    """The placeholders of the advice texts, in the current language."""
    return {
        "emergency": _(place.emergency),
        "department": _(place.department),
        "same_day": _(place.same_day),
    }


def sorted_countries() -> list[Country]:
    """Every listed country, by its name in the current language, and "another country" last."""
    return [*sorted(COUNTRIES, key=lambda entry: _sort_key(_(entry.name))), OTHER]


def _sort_key(name: str) -> str:
    """Letters without their accents, so "Österreich" sorts with the O's."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
