"""Property tests for the import validator (storage/exchange.py parse_import) with hypothesis.

* Arbitrary bytes, arbitrary JSON, and arbitrary values inside a well-formed envelope: parse_import either
  returns a bundle or raises ExchangeError, never anything else.
* Any valid history survives export -> parse -> apply -> export unchanged.
* Changing any one validated field of a valid export to a value of the wrong JSON type is refused, and the
  data folder is left exactly as it was.
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sciatica_coach.core.model import (
    ExerciseRecord,
    LegReach,
    Outcome,
    PainReport,
    Phase,
    SafetyEvent,
    SafetyEventKind,
    SessionRecord,
    SymptomChange,
)
from sciatica_coach.storage.codec import event_to_dict, session_to_dict
from sciatica_coach.storage.exchange import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    ExchangeError,
    ImportBundle,
    apply_import,
    export_json,
    parse_import,
)
from sciatica_coach.storage.repository import Repository

NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)

# ---- strategies ------------------------------------------------------------------------------------------
json_scalars = (
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.floats(allow_nan=False) | st.text()
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
zones = st.sampled_from([UTC, timezone(timedelta(hours=1)), timezone(timedelta(hours=-5, minutes=-30))])
moments = st.datetimes(datetime(2021, 1, 1), datetime(2027, 12, 31), timezones=zones)
pains = st.builds(
    PainReport,
    back=st.integers(0, 10),
    leg=st.integers(0, 10),
    reach=st.sampled_from(LegReach),
    new_numbness_or_weakness=st.booleans(),
)
counts = st.integers(0, 100_000)
exercise_records = st.builds(
    ExerciseRecord,
    exercise_id=st.text(min_size=1, max_size=20),
    reps_done=counts,
    reps_planned=counts,
    sets_done=counts,
    sets_planned=counts,
    hold_s=counts,
    skipped=st.booleans(),
    symptom=st.none() | st.sampled_from(SymptomChange),
)


@st.composite
def session_records(draw: st.DrawFn) -> SessionRecord:
    start = draw(moments)
    return SessionRecord(
        id=draw(st.text(min_size=1, max_size=24)),
        started_at=start,
        ended_at=start + draw(st.timedeltas(timedelta(0), timedelta(hours=3))),
        phase=draw(st.sampled_from(Phase)),
        exercises=tuple(draw(st.lists(exercise_records, max_size=4))),
        outcome=draw(st.sampled_from(Outcome)),
        pain_before=draw(st.none() | pains),
        pain_after=draw(st.none() | pains),
        reason=draw(st.text(max_size=40)),
        slot=draw(st.sampled_from(["", "08:00", "19:00"])),
    )


safety_events = st.builds(
    SafetyEvent,
    at=moments,
    kind=st.sampled_from(SafetyEventKind),
    detail=st.text(max_size=30),
    exercise_id=st.text(max_size=12),
    session_id=st.text(max_size=12),
    flags=st.lists(st.text(max_size=12), max_size=3).map(tuple),
)
days = st.dates(date(2021, 1, 1), date(2027, 12, 31))
histories = st.fixed_dictionaries(
    {
        "sessions": st.lists(session_records(), max_size=6, unique_by=lambda s: s.id),
        "events": st.lists(
            safety_events,
            max_size=5,
            unique_by=lambda e: (e.at.isoformat(), e.kind, e.exercise_id, e.session_id),
        ),
        "excused": st.frozensets(days, max_size=4),
        "plan_start": st.none() | days,
    }
)


def export_payload(history: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "app_version": "0.1.0",
        "exported_at": NOW.isoformat(),
        "plan_start": history["plan_start"].isoformat() if history["plan_start"] else None,
        "excused_days": sorted(d.isoformat() for d in history["excused"]),
        "sessions": [session_to_dict(s) for s in history["sessions"]],
        "safety_events": [event_to_dict(e) for e in history.get("events", [])],
    }


def parse_or_refuse(blob: bytes) -> ImportBundle | None:
    """The contract: a bundle, or ExchangeError. Anything else escapes and fails the test."""
    try:
        return parse_import(blob)
    except ExchangeError as err:
        assert str(err).strip(), "a refusal always says why"
        return None


# ---- nothing but ExchangeError ---------------------------------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
@example(b"")
@example(b"\xef\xbb\xbf{}")  # a byte order mark
@example(b"null")
@example(b"NaN")
@example(b'{"format": "sciatica-coach-history", "version": 1e400}')
def test_arbitrary_bytes_only_ever_raise_exchange_error(blob: bytes) -> None:
    parse_or_refuse(blob)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_arbitrary_json_only_ever_raises_exchange_error(value: object) -> None:
    parse_or_refuse(json.dumps(value).encode())


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries(
        {"format": st.just(EXPORT_FORMAT), "version": st.just(EXPORT_VERSION)},
        optional={
            "sessions": json_values,
            "excused_days": json_values,
            "plan_start": json_values,
            "safety_events": json_values,
        },
    )
)
def test_arbitrary_contents_in_a_valid_envelope_only_raise_exchange_error(payload: dict[str, Any]) -> None:
    parse_or_refuse(json.dumps(payload).encode())


EXERCISE_KEYS = ("exercise_id", "reps_done", "reps_planned", "sets_done", "sets_planned", "hold_s", "skipped",
                 "symptom")  # fmt: skip
session_keys = st.sampled_from(
    ["id", "started_at", "ended_at", "phase", "outcome", "reason", "slot", "pain_before", "pain_after",
     "exercises"]
)  # fmt: skip


exercise_keys = st.sampled_from(sorted(EXERCISE_KEYS)) | st.text(max_size=8)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(session_keys, json_values),
    st.lists(st.dictionaries(exercise_keys, json_values), max_size=3),
)
def test_arbitrary_session_records_only_raise_exchange_error(
    doc: dict[str, Any], exercises: list[dict[str, Any]]
) -> None:
    doc = {**doc, "exercises": exercises} if "exercises" not in doc else doc
    payload = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "sessions": [doc]}
    parse_or_refuse(json.dumps(payload).encode())


def test_a_huge_number_is_refused_with_exchange_error() -> None:
    with pytest.raises(ExchangeError):
        parse_import(b'{"version": ' + b"9" * 5000 + b"}")


def test_deeply_nested_json_is_refused_with_exchange_error() -> None:
    with pytest.raises(ExchangeError):
        parse_import(b"[" * 100_000 + b"]" * 100_000)


# ---- a valid export always round-trips -------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(histories)
def test_a_valid_export_round_trips(history: dict[str, Any]) -> None:
    blob = json.dumps(export_payload(history), ensure_ascii=False).encode()
    bundle = parse_import(blob)
    assert bundle.sessions == tuple(history["sessions"])
    assert bundle.excused_days == history["excused"]
    assert bundle.plan_start == history["plan_start"]
    assert bundle.safety_events == tuple(history["events"])
    with tempfile.TemporaryDirectory() as folder:
        first = Repository.open(Path(folder) / "a")
        apply_import(first, bundle)
        exported = export_json(first, NOW)
        second = Repository.open(Path(folder) / "b")
        result = apply_import(second, parse_import(exported.encode()))
        assert result.added == len(history["sessions"])
        assert result.events_added == len(history["events"])
        assert apply_import(second, parse_import(exported.encode())).events_added == 0, "nothing doubles"
        assert export_json(second, NOW) == exported, "export -> import -> export changes nothing"
        assert sorted(second.sessions(), key=lambda s: s.id) == sorted(
            history["sessions"], key=lambda s: s.id
        )
        assert second.excused_days() == history["excused"]
        assert second.plan_start() == history["plan_start"]
        assert sorted(second.safety_events(), key=repr) == sorted(history["events"], key=repr)


# ---- one field of the wrong type: refused, nothing changed ----------------------------------------------
# The JSON types each validated field accepts; "null" where the field may be null.
TOP_FIELDS = {"format": {"str"}, "version": {"int"}, "plan_start": {"str", "null"},
              "excused_days": {"list"}, "sessions": {"list"}, "safety_events": {"list"}}  # fmt: skip
SESSION_FIELDS = {"id": {"str"}, "started_at": {"str"}, "ended_at": {"str"}, "phase": {"int"},
                  "outcome": {"str"}, "pain_before": {"dict", "null"}, "pain_after": {"dict", "null"},
                  "exercises": {"list"}}  # fmt: skip
PAIN_FIELDS = {"back": {"int"}, "leg": {"int"}, "reach": {"str"}, "new_numbness_or_weakness": {"bool"}}
EXERCISE_FIELDS = {"exercise_id": {"str"}, "reps_done": {"int"}, "reps_planned": {"int"}, "sets_done": {"int"},
                   "sets_planned": {"int"}, "hold_s": {"int"}, "skipped": {"bool"},
                   "symptom": {"str", "null"}}  # fmt: skip
EVENT_FIELDS = {"at": {"str"}, "kind": {"str"}, "detail": {"str"}, "exercise_id": {"str"}, "session_id": {"str"},
                "flags": {"list"}}  # fmt: skip
# Not validated: the informational "app_version" and "exported_at", and a session's "reason" and "slot",
# which the codec turns into text with str() (see test_reason_of_the_wrong_type_is_refused).

WRONG_VALUES: dict[str, Any] = {"null": None, "bool": True, "int": 3, "float": 2.5, "str": "text", "list": [1],
                                "dict": {"a": 1}}  # fmt: skip


def field_paths(payload: dict[str, Any]) -> list[tuple[tuple[str | int, ...], set[str]]]:
    """Every validated field of an export: its path in the JSON and the types it accepts."""
    paths: list[tuple[tuple[str | int, ...], set[str]]] = [
        ((key,), kinds) for key, kinds in TOP_FIELDS.items()
    ]
    paths += [(("excused_days", i), {"str"}) for i in range(len(payload["excused_days"]))]
    for i, doc in enumerate(payload["sessions"]):
        paths += [(("sessions", i, key), kinds) for key, kinds in SESSION_FIELDS.items()]
        for which in ("pain_before", "pain_after"):
            if doc[which] is not None:
                paths += [(("sessions", i, which, key), kinds) for key, kinds in PAIN_FIELDS.items()]
        for j in range(len(doc["exercises"])):
            paths += [(("sessions", i, "exercises", j, key), kinds) for key, kinds in EXERCISE_FIELDS.items()]
    for i, doc in enumerate(payload["safety_events"]):
        paths += [(("safety_events", i, key), kinds) for key, kinds in EVENT_FIELDS.items()]
        paths += [(("safety_events", i, "flags", j), {"str"}) for j in range(len(doc["flags"]))]
    return paths


def with_value(payload: dict[str, Any], path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    changed = json.loads(json.dumps(payload))
    node = changed
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return changed


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> tuple[Repository, dict[str, bytes]]:
    """One data folder with a session and a setting, shared by the examples (none may change it)."""
    folder = tmp_path_factory.mktemp("target")
    repo = Repository.open(folder)
    start = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    repo.save_session(SessionRecord("mine", start, start, Phase.MOBILITY, (), Outcome.COMPLETED, None, None))
    repo.set_setting("volume", 40)
    return repo, snapshot(folder)


@settings(max_examples=250, deadline=None)
@given(histories, st.data())
def test_one_field_of_the_wrong_type_is_refused_and_changes_nothing(
    target: tuple[Repository, dict[str, bytes]], history: dict[str, Any], data: Any
) -> None:
    repo, before = target
    payload = export_payload(history)
    path, kinds = data.draw(st.sampled_from(field_paths(payload)), label="field")
    wrong = data.draw(st.sampled_from(sorted(set(WRONG_VALUES) - kinds)), label="wrong type")
    blob = json.dumps(with_value(payload, path, WRONG_VALUES[wrong])).encode()
    with pytest.raises(ExchangeError):
        apply_import(repo, parse_import(blob))  # the import command's order: check all, then apply
    assert snapshot(repo.folder) == before
    assert [s.id for s in repo.sessions()] == ["mine"]


def test_reason_of_the_wrong_type_is_refused() -> None:
    start = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    record = SessionRecord("x", start, start, Phase.MOBILITY, (), Outcome.COMPLETED, None, None)
    payload = export_payload({"sessions": [record], "excused": frozenset(), "plan_start": None, "events": []})
    with pytest.raises(ExchangeError):
        parse_import(json.dumps(with_value(payload, ("sessions", 0, "reason"), ["a", "list"])).encode())
