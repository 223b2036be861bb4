"""What a real person's stored values can be: the one place the data layer's range checks live.

A value can parse and still be impossible (a session in year 1, a time offset of 23 hours, text with a lone
surrogate that no file can encode). Everything read from a file is checked here before the rest of the app
does date arithmetic or formatting on it, so such a value is refused or set aside where it enters instead of
crashing a page later. Plain Python, no Qt: the core's readers and storage's codec both use it."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta
from typing import Any

from sciatica_coach.i18n import N_

# The app did not exist before 2020; a machine whose clock was reset may say 1970 or 2000. Well inside
# date's range (1-9999), so a day or a week added or taken away never overflows.
EARLIEST_YEAR = 1970
LATEST_YEAR = 2200
# Real time zones are between UTC-12 and UTC+14.
LARGEST_UTC_OFFSET = timedelta(hours=14)
# Nesting deeper than this is not data anyone wrote by hand or by this app.
DEEPEST_NESTING = 64


def plausible_day(day: date) -> bool:
    """A calendar day a person's history can hold."""
    return EARLIEST_YEAR <= day.year <= LATEST_YEAR


def plausible_moment(moment: datetime) -> bool:
    """A time with a real UTC offset, on a plausible day (naive times are the caller's concern)."""
    offset = moment.utcoffset()
    if offset is not None and abs(offset) > LARGEST_UTC_OFFSET:
        return False
    return plausible_day(moment.date())


def day_from_text(value: object) -> date | None:
    """An ISO day ("2026-05-01") a person's data can have, or None for anything else."""
    if not isinstance(value, str) or not value.isascii():
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if plausible_day(day) else None


def moment_from_text(value: object) -> datetime | None:
    """An ISO time with its UTC offset ("2026-05-01T08:00:00+02:00") that is plausible, or None."""
    if not isinstance(value, str) or not value.isascii():
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        return None
    return moment if plausible_moment(moment) else None


def has_lone_surrogate(text: str) -> bool:
    """Text with half of a UTF-16 pair (from a "\\udc80" escape, or bytes that were not UTF-8): it cannot be
    written as UTF-8, so it must not reach a file or the screen."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def clean_text(value: object, longest: int) -> str | None:
    """`value` if it is text of at most `longest` characters that can be written and shown, else None."""
    if not isinstance(value, str) or len(value) > longest or has_lone_surrogate(value):
        return None
    return value


def unwritable_part(value: Any) -> str | None:
    """Why a JSON-like value cannot be written back as it is (a lone surrogate, NaN or infinity, nesting deeper
    than the JSON writer goes), or None when it can. Checked at once by writing it (fast); walked only when that
    fails, to say why."""
    try:
        json.dumps(value, ensure_ascii=False, allow_nan=False, check_circular=False).encode("utf-8")
    except (ValueError, RecursionError):  # UnicodeEncodeError is a ValueError
        pass
    else:
        return None
    return _why_unwritable(value) or N_("nesting deeper than any real record")


def _why_unwritable(value: Any, depth: int = 0) -> str | None:
    if depth > DEEPEST_NESTING:
        return N_("nesting deeper than any real record")
    if isinstance(value, str):
        return N_("text that is not valid Unicode") if has_lone_surrogate(value) else None
    if isinstance(value, float):
        return None if math.isfinite(value) else N_("a number that is not a number (NaN or infinity)")
    if isinstance(value, dict):
        for key, item in value.items():
            why = _why_unwritable(key, depth + 1) or _why_unwritable(item, depth + 1)
            if why:
                return why
        return None
    if isinstance(value, list):
        for item in value:
            why = _why_unwritable(item, depth + 1)
            if why:
                return why
    return None


def names(value: object, longest: int = 200) -> set[str]:
    """A stored list of ids (exercise ids, flag names) as a set of usable text; anything else, or any item that
    is not usable text, is left out. A stored non-list (a number, an object) reads as no ids."""
    if not isinstance(value, list):
        return set()
    return {item for item in value if clean_text(item, longest) is not None}
