"""Safety events in the history: stored with their time, read back oldest first, a broken entry never loses the
others or the sessions, nothing doubles."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciatica_coach.cli.main import main
from sciatica_coach.core.model import (
    ExerciseRecord,
    LegReach,
    PainReport,
    SafetyEvent,
    SafetyEventKind,
    SymptomChange,
)
from sciatica_coach.storage.codec import RecordError, event_from_dict, event_to_dict
from sciatica_coach.storage.exchange import (
    ExchangeError,
    apply_import,
    export_csv,
    export_events_csv,
    export_json,
    parse_import,
)
from sciatica_coach.storage.repository import EVENTS_TABLE, DataError, Repository, history_file
from tests.storage.test_repository import make_session

TZ = ZoneInfo("Europe/Berlin")
START = datetime(2026, 3, 3, 8, 0, tzinfo=TZ)
NOW = datetime(2026, 4, 1, 12, 0, tzinfo=TZ)
OFFSETS = [UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))]


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
    assert len(reopened.notices) == 1 and "2 entries could not be read" in reopened.notices[0]
    [kept] = path.parent.glob(f"{path.name}.set-aside-*")  # the broken entries are kept, as they were
    assert len(json.loads(kept.read_text())[EVENTS_TABLE]) == 3
    reopened.add_safety_event(event(2))
    assert len(json.loads(path.read_text())[EVENTS_TABLE]) == 2


def test_a_failed_save_says_so_in_plain_words_and_keeps_what_was_there(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Repository.open(data_dir)
    repo.add_safety_event(event(1))

    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("sciatica_coach.storage.repository.atomic_write", disk_full)
    with pytest.raises(DataError, match=r"safety record .* disk is full"):
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
    # fixed offsets: a zone's ambiguous autumn hour reads back as its offset, which is the same instant
    at=st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1), timezones=st.sampled_from(OFFSETS)),
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


# ---- export, import, backup --------------------------------------------------------------------------------
def history_with_events(folder: Path) -> Repository:
    repo = Repository.open(folder)
    repo.save_session(make_session(1))
    repo.add_safety_events(
        [
            event(0, SafetyEventKind.RED_FLAG_ANSWERS, flags=("saddle-numbness",)),
            event(5, SafetyEventKind.IT_HURTS, exercise_id="bridge", session_id="s1"),
            event(6, SafetyEventKind.UNANSWERED_QUESTION, exercise_id="bridge", session_id="s1"),
            event(9, SafetyEventKind.SESSION_STOPPED, detail="leg pain", session_id="s1"),
        ]
    )
    return repo


def test_the_json_backup_carries_the_events_and_importing_twice_adds_nothing(tmp_path: Path) -> None:
    source = history_with_events(tmp_path / "a")
    blob = export_json(source, NOW).encode()
    assert len(json.loads(blob)["safety_events"]) == 4
    target = Repository.open(tmp_path / "b")
    first = apply_import(target, parse_import(blob))
    again = apply_import(target, parse_import(blob))
    assert (first.events_added, again.events_added, again.added) == (4, 0, 0)
    assert Repository.open(tmp_path / "b").safety_events() == source.safety_events()
    assert export_json(target, NOW) == export_json(source, NOW)


def test_an_export_from_before_safety_events_still_imports(tmp_path: Path) -> None:
    payload = json.loads(export_json(history_with_events(tmp_path / "a"), NOW))
    del payload["safety_events"]
    bundle = parse_import(json.dumps(payload).encode())
    assert bundle.safety_events == () and len(bundle.sessions) == 1


def test_a_broken_event_in_an_import_is_named_and_nothing_changes(tmp_path: Path) -> None:
    payload = json.loads(export_json(history_with_events(tmp_path / "a"), NOW))
    payload["safety_events"][1]["kind"] = "nonsense"
    with pytest.raises(ExchangeError, match="safety event 2: 'kind' is not one of"):
        parse_import(json.dumps(payload).encode())


def test_csv_tables_show_events_unanswered_questions_and_reach(tmp_path: Path) -> None:
    repo = history_with_events(tmp_path / "a")
    spread = replace(
        make_session(2), id="s2",
        pain_before=PainReport(3, 2, LegReach.THIGH), pain_after=PainReport(3, 2, LegReach.CALF),
        exercises=(ExerciseRecord("bridge", 10, 10, 1, 1, 5, symptom=None),
                   ExerciseRecord("cat-camel", 0, 10, 0, 1, 5, skipped=True),
                   ExerciseRecord("pelvic-tilt", 10, 10, 1, 1, 5, symptom=SymptomChange.SAME)),
    )  # fmt: skip
    repo.save_session(spread)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(export_csv(repo)))}
    assert rows["s2"]["symptoms_not_answered"] == "bridge"  # the skipped exercise was never asked
    assert rows["s2"]["reach_change"] == "further-down"
    events_rows = list(csv.DictReader(io.StringIO(export_events_csv(repo))))
    assert [r["kind"] for r in events_rows] == ["red-flag-answers", "it-hurts", "unanswered-question",
                                                 "session-stopped"]  # fmt: skip
    assert events_rows[0]["red_flags_yes"] == "saddle-numbness"
    assert events_rows[3]["detail"] == "leg pain"


def test_command_line_export_and_import_keep_the_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history_with_events(tmp_path / "a").close()
    out = tmp_path / "backup.json"
    assert main(["--data-dir", str(tmp_path / "a"), "export", "--format", "json", "-o", str(out)]) == 0
    for _ in range(2):
        assert main(["--data-dir", str(tmp_path / "b"), "import", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Added 4 safety event(s)." in printed and "Added 0 safety event(s)." in printed
    assert len(Repository.open(tmp_path / "b").safety_events()) == 4
    assert main(["--data-dir", str(tmp_path / "a"), "export", "--format", "csv", "--safety-events"]) == 0
    assert capsys.readouterr().out.startswith("date,time,kind,detail")
