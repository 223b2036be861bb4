"""Emergency numbers by country: the table, the default from the system locale, and the words they fill in."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sciatica_coach.core import emergency
from sciatica_coach.core.emergency import COUNTRIES, OTHER, advice_words, country, system_country, territory

EU = [
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
]  # the 27 member states


@pytest.mark.parametrize(
    ("code", "number", "words"),
    [
        ("GB", "999", "999 (112 also works)"),
        ("IE", "112", "112 or 999"),
        ("DE", "112", "112"),
        ("AT", "112", "112"),
        ("FR", "112", "112"),
        ("CH", "144", "144 (or 112)"),
        ("US", "911", "911"),
        ("CA", "911", "911"),
        ("AU", "000", "000 (or 112 from a mobile)"),
        ("NZ", "111", "111"),
    ],
)
def test_the_numbers_of_each_country(code: str, number: str, words: str) -> None:
    place = country(code)
    assert (place.code, place.number, advice_words(place)["emergency"]) == (code, number, words)


def test_every_eu_country_uses_112() -> None:
    for code in EU:
        place = country(code)
        assert place is not OTHER, code
        assert place.number == "112" and "112" in place.emergency, code


def test_only_the_non_emergency_words_mention_116_117() -> None:
    for place in (*COUNTRIES, OTHER):
        assert "116 117" not in place.emergency and "116 117" not in place.department, place.code
        assert "111" not in place.emergency or place.code == "NZ", (
            place.code
        )  # NHS 111 is not for emergencies
    assert "116 117" in country("DE").same_day
    assert "NHS 111" in country("GB").same_day


def test_another_country_names_numbers_in_words() -> None:
    words = advice_words(OTHER)["emergency"]
    for number in ("112", "911", "999", "000"):
        assert number in words
    assert country(None) is OTHER and country("other") is OTHER and country("ZZ") is OTHER
    assert country("uk") is country("GB"), "the UK's common code works too"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("de_DE.UTF-8", "DE"),
        ("de_DE.UTF-8@euro", "DE"),
        ("en_US", "US"),
        ("en-GB", "GB"),
        ("C", ""),
        ("C.UTF-8", ""),
        ("POSIX", ""),
        ("de", ""),
        ("", ""),
    ],
)
def test_territory_of_a_locale_name(name: str, expected: str) -> None:
    assert territory(name) == expected


@pytest.mark.parametrize(
    ("environ", "code"),
    [
        ({"LANG": "de_DE.UTF-8"}, "DE"),
        ({"LANG": "en_US.UTF-8"}, "US"),
        ({"LANG": "C"}, "other"),
        ({}, "other"),
        ({"LANG": "en_GB.UTF-8", "LC_ALL": "de_AT.UTF-8"}, "AT"),  # LC_ALL wins
        ({"LANG": "en_US.UTF-8", "LC_TELEPHONE": "en_IE.UTF-8"}, "IE"),  # then the telephone category
        ({"LANG": "fr_CA.UTF-8"}, "CA"),
        ({"LANG": "en_AU.UTF-8"}, "AU"),
        ({"LANG": "en_NZ.UTF-8"}, "NZ"),
    ],
)
def test_the_default_country_follows_the_system_locale(environ: dict[str, str], code: str) -> None:
    assert system_country(environ).code == code


@given(st.text())
def test_any_locale_text_gives_a_country(name: str) -> None:
    assert system_country({"LANG": name}) in (*COUNTRIES, OTHER)


def test_the_settings_list_is_sorted_by_name_with_another_country_last() -> None:
    listed = emergency.sorted_countries()
    assert listed[-1] is OTHER and len(listed) == len(COUNTRIES) + 1
    names = [place.name for place in listed[:-1]]
    assert names == sorted(names)
