"""Safety events in the history: stored with their time, read back oldest first, a broken entry never loses the
others or the sessions, nothing doubles."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciatica_coach.core.model import SafetyEvent, SafetyEventKind
from sciatica_coach.storage.codec import RecordError, event_from_dict, event_to_dict
from sciatica_coach.storage.repository import EVENTS_TABLE, DataError, Repository, history_file
from tests.storage.test_repository import make_session

TZ = ZoneInfo("Europe/Berlin")
START = datetime(2026, 3, 3, 8, 0, tzinfo=TZ)


def event(minutes: int = 0, kind: SafetyEventKind = SafetyEventKind.IT_HURTS, **fields: Any) -> SafetyEvent:
    return SafetyEvent(at=START + timedelta(minutes=minutes), kind=kind, **fields)


def test_events_round_trip_oldest_first_across_years(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    later = event(30, SafetyEventKind.SESSION_STOPPED, detail="tired", session_id="s1")
    flags = event(0, SafetyEventKind.RED_FLAG_ANSWERS, flags=("saddle-numbness", "both-legs"))
    last_year = SafetyEvent(datetime(2025, 12, 30, 9, tzinfo=TZ), SafetyEventKind.PAIN_STOP, detail="pain 7")
    repo.add_safety_event(later)
    repo.add_safety_event(flags)
    repo.add_safety_event(last_year)
    assert repo.safety_events() == [last_year, flags, later]
    reopened = Repository.open(data_dir)
    assert reopened.safety_events() == [last_year, flags, later]
    assert reopened.safety_events(since=date(2026, 1, 1)) == [flags, later]
    stored = json.loads(history_file(data_dir, 2026).read_text())
    assert len(stored[EVENTS_TABLE]) == 2


def test_events_share_the_year_file_with_sessions_and_leave_them_alone(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.save_session(make_session(1))
    repo.add_safety_event(event(session_id="s1", exercise_id="pelvic-tilt"))
    reopened = Repository.open(data_dir)
    assert [s.id for s in reopened.sessions()] == ["s1"]
    assert [e.exercise_id for e in reopened.safety_events()] == ["pelvic-tilt"]
    assert reopened.session_count() == 1


def test_the_same_event_twice_is_kept_once(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.add_safety_event(event(exercise_id="bridge", session_id="s1"))
    assert repo.add_safety_events([event(exercise_id="bridge", session_id="s1"), event(1)]) == 1
    assert len(Repository.open(data_dir).safety_events()) == 2


def test_a_broken_event_is_skipped_and_nothing_else_is_lost(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.save_session(make_session(1))
    repo.add_safety_event(event(1))
    path = history_file(data_dir, 2026)
    raw = json.loads(path.read_text())
    raw[EVENTS_TABLE]["2"] = {"at": "yesterday", "kind": "it-hurts"}
    raw[EVENTS_TABLE]["3"] = {"at": START.isoformat(), "kind": "exploded"}
    path.write_text(json.dumps(raw))
    reopened = Repository.open(data_dir)
    assert reopened.safety_events() == [event(1)]
    assert [s.id for s in reopened.sessions()] == ["s1"]
    reopened.add_safety_event(event(2))  # adding more keeps the broken entries untouched in the file
    assert len(json.loads(path.read_text())[EVENTS_TABLE]) == 4


def test_a_failed_save_says_so_in_plain_words_and_keeps_what_was_there(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Repository.open(data_dir)
    repo.add_safety_event(event(1))

    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("sciatica_coach.storage.repository.atomic_write", disk_full)
    with pytest.raises(DataError, match="safety record .* disk is full"):
        repo.add_safety_event(event(2))
    monkeypatch.undo()
    assert Repository.open(data_dir).safety_events() == [event(1)]


@pytest.mark.parametrize(
    ("doc", "words"),
    [
        ("text", "should be an object"),
        ({"kind": "it-hurts"}, "'at' is missing"),
        ({"at": "2026-03-03T08:00:00", "kind": "it-hurts"}, "no time zone"),
        ({"at": "2026-03-03T08:00:00+01:00", "kind": "bad"}, "'kind' is not one of"),
        ({"at": "2026-03-03T08:00:00+01:00", "kind": "it-hurts", "flags": "x"}, "'flags' should be a list"),
        ({"at": "2026-03-03T08:00:00+01:00", "kind": "it-hurts", "detail": 3}, "'detail' should be text"),
    ],
)
def test_decoding_is_strict_with_plain_words(doc: object, words: str) -> None:
    with pytest.raises(RecordError, match=words):
        event_from_dict(doc)


events = st.builds(
    SafetyEvent,
    at=st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1), timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))])),
    # fixed offsets: a zone's ambiguous autumn hour reads back as its offset, which is the same instant
    kind=st.sampled_from(SafetyEventKind),
    detail=st.text(max_size=30),
    exercise_id=st.text(max_size=12),
    session_id=st.text(max_size=12),
    flags=st.lists(st.text(max_size=10), max_size=3).map(tuple),
)


@given(events)
def test_codec_round_trips_every_event(value: SafetyEvent) -> None:
    assert event_from_dict(json.loads(json.dumps(event_to_dict(value)))) == value


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.dictionaries(st.text(max_size=8), st.none() | st.text() | st.integers() | st.booleans())))
def test_any_malformed_entries_never_lose_good_events_or_sessions(
    tmp_path_factory: pytest.TempPathFactory, junk: list[dict[str, Any]]
) -> None:
    folder = tmp_path_factory.mktemp("data")
    repo = Repository.open(folder)
    repo.save_session(make_session(1))
    repo.add_safety_event(event(1))
    path = history_file(folder, 2026)
    raw = json.loads(path.read_text())
    for n, doc in enumerate(junk, start=100):
        raw[EVENTS_TABLE][str(n)] = doc
    path.write_text(json.dumps(raw))
    reopened = Repository.open(folder)
    assert event(1) in reopened.safety_events()
    assert [s.id for s in reopened.sessions()] == ["s1"]
