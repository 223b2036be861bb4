"""The answers to sitting-break cards as stored: a table of their own in each year's history file, read back
oldest first, a broken entry set aside with the others kept, a failed save said in plain words with nothing
lost; carried by a backup and the JSON export, imported without doubling; the settings read safely."""

from __future__ import annotations

import errno
import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciatica_coach.core.sitting import BreakOutcome, Movement, SittingBreak
from sciatica_coach.storage.backup import read_backup, restore, write_backup
from sciatica_coach.storage.codec import RecordError, sitting_break_from_dict, sitting_break_to_dict
from sciatica_coach.storage.exchange import ExchangeError, apply_import, export_json, parse_import
from sciatica_coach.storage.repository import (
    EVENTS_TABLE,
    SITTING_BREAKS_TABLE,
    DataError,
    Repository,
    history_file,
)
from tests.storage.test_repository import make_session

TZ = ZoneInfo("Europe/Berlin")
START = datetime(2026, 3, 3, 10, 0, tzinfo=TZ)
NOW = datetime(2026, 4, 1, 12, 0, tzinfo=TZ)
OFFSETS = [UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))]


def answer(
    minutes: int = 0, outcome: BreakOutcome = BreakOutcome.TAKEN, movement: Movement = Movement.WALK
) -> SittingBreak:
    return SittingBreak(at=START + timedelta(minutes=minutes), outcome=outcome, movement=movement)


def test_answers_round_trip_oldest_first_across_years(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    later = answer(60, BreakOutcome.SKIPPED, Movement.POSTURE)
    first = answer(0)
    last_year = SittingBreak(
        datetime(2025, 12, 31, 16, 0, tzinfo=TZ), BreakOutcome.TAKEN, Movement.BACK_BENDS
    )
    repo.add_sitting_break(later)
    repo.add_sitting_break(first)
    repo.add_sitting_break(last_year)
    assert repo.sitting_breaks() == [last_year, first, later]
    reopened = Repository.open(data_dir)
    assert reopened.sitting_breaks() == [last_year, first, later]
    assert reopened.sitting_breaks(since=date(2026, 3, 3)) == [first, later]
    assert reopened.sitting_breaks(since=date(2026, 3, 4)) == []
    stored = json.loads(history_file(data_dir, 2026).read_text())
    assert list(stored[SITTING_BREAKS_TABLE].values()) == [
        {"at": "2026-03-03T11:00:00+01:00", "outcome": "skipped", "movement": "posture-check"},
        {"at": "2026-03-03T10:00:00+01:00", "outcome": "taken", "movement": "walk"},
    ]


def test_answers_share_the_year_file_and_leave_sessions_and_events_alone(data_dir: Path) -> None:
    from sciatica_coach.core.model import SafetyEvent, SafetyEventKind

    repo = Repository.open(data_dir)
    repo.save_session(make_session(1))
    repo.add_safety_event(SafetyEvent(START, SafetyEventKind.IT_HURTS, exercise_id="bridge"))
    repo.add_sitting_break(answer(5))
    reopened = Repository.open(data_dir)
    assert [s.id for s in reopened.sessions()] == ["s1"]
    assert len(reopened.safety_events()) == 1 and reopened.sitting_breaks() == [answer(5)]
    assert reopened.session_count() == 1


def test_the_same_answer_twice_is_kept_once(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.add_sitting_break(answer(1))
    assert repo.add_sitting_breaks([answer(1), answer(1, BreakOutcome.SKIPPED), answer(2)]) == 2
    assert len(Repository.open(data_dir).sitting_breaks()) == 3


def test_a_broken_entry_is_set_aside_and_nothing_else_is_lost(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.save_session(make_session(1))
    repo.add_sitting_breaks([answer(1), answer(2, BreakOutcome.SKIPPED)])
    path = history_file(data_dir, 2026)
    raw = json.loads(path.read_text())
    raw[SITTING_BREAKS_TABLE]["3"] = {"at": "teatime", "outcome": "taken", "movement": "walk"}
    raw[SITTING_BREAKS_TABLE]["4"] = {"at": START.isoformat(), "outcome": "maybe", "movement": "walk"}
    raw[SITTING_BREAKS_TABLE]["5"] = {"at": START.isoformat(), "outcome": "taken", "movement": "cartwheel"}
    path.write_text(json.dumps(raw))
    reopened = Repository.open(data_dir)
    assert reopened.sitting_breaks() == [answer(1), answer(2, BreakOutcome.SKIPPED)]
    assert [s.id for s in reopened.sessions()] == ["s1"]
    [notice] = reopened.notices
    assert "3 entries could not be read" in notice and "sitting break" in notice and "'movement'" in notice
    [kept] = path.parent.glob(f"{path.name}.set-aside-*")  # the broken entries are kept, as they were
    assert len(json.loads(kept.read_text())[SITTING_BREAKS_TABLE]) == 5
    assert len(json.loads(path.read_text())[SITTING_BREAKS_TABLE]) == 2
    reopened.add_sitting_break(answer(3))
    assert len(Repository.open(data_dir).sitting_breaks()) == 3


def test_a_table_of_the_wrong_shape_is_set_aside_and_the_year_stays(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.save_session(make_session(1))
    path = history_file(data_dir, 2026)
    raw = json.loads(path.read_text())
    raw[SITTING_BREAKS_TABLE] = ["not", "a", "table"]
    path.write_text(json.dumps(raw))
    reopened = Repository.open(data_dir)
    assert reopened.sitting_breaks() == [] and [s.id for s in reopened.sessions()] == ["s1"]
    assert "list of sitting breaks is not in the expected shape" in reopened.notices[0]
    reopened.add_sitting_break(answer(1))
    assert Repository.open(data_dir).sitting_breaks() == [answer(1)]


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (
            OSError(errno.ENOSPC, "No space left on device"),
            r"couldn't save your sitting break .* disk is full",
        ),
        (
            OSError(errno.EROFS, "Read-only file system"),
            r"couldn't save your sitting break .* read-only file system",
        ),
    ],
)
def test_a_failed_save_says_so_in_plain_words_and_loses_nothing(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, words: str
) -> None:
    repo = Repository.open(data_dir)
    repo.add_sitting_break(answer(1))

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise error

    monkeypatch.setattr("sciatica_coach.storage.repository.atomic_write", refuse)
    with pytest.raises(DataError, match=words) as raised:
        repo.add_sitting_break(answer(2))
    assert "What was saved before is safe" in str(raised.value)
    assert repo.sitting_breaks() == [answer(1)]  # the failed one is not counted in memory either
    monkeypatch.undo()
    assert Repository.open(data_dir).sitting_breaks() == [answer(1)]
    repo.add_sitting_break(answer(2))  # once there is room again, saving works
    assert Repository.open(data_dir).sitting_breaks() == [answer(1), answer(2)]


# ---- the codec --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("doc", "words"),
    [
        ("text", "should be an object"),
        ({"outcome": "taken", "movement": "walk"}, "'at' is missing"),
        ({"at": "2026-03-03T08:00:00", "outcome": "taken", "movement": "walk"}, "no time zone"),
        (
            {"at": "1066-10-14T08:00:00+00:00", "outcome": "taken", "movement": "walk"},
            "not a time a real record",
        ),
        (
            {"at": "2026-03-03T08:00:00+01:00", "outcome": "postponed", "movement": "walk"},
            "'outcome' is not one of",
        ),
        (
            {"at": "2026-03-03T08:00:00+01:00", "outcome": "taken", "movement": "jog"},
            "'movement' is not one of",
        ),
        (
            {"at": "2026-03-03T08:00:00+01:00", "outcome": 1, "movement": "walk"},
            "'outcome' has the wrong type",
        ),
        ({"at": "2026-03-03T08:00:00+01:00", "outcome": "taken"}, "'movement' is missing"),
    ],
)
def test_decoding_refuses_bad_entries_with_plain_words(doc: object, words: str) -> None:
    with pytest.raises(RecordError, match=words):
        sitting_break_from_dict(doc)


answers = st.builds(
    SittingBreak,
    at=st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1), timezones=st.sampled_from(OFFSETS)),
    outcome=st.sampled_from(BreakOutcome),
    movement=st.sampled_from(Movement),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@given(answers)
def test_codec_round_trips_every_answer(value: SittingBreak) -> None:
    assert sitting_break_from_dict(json.loads(json.dumps(sitting_break_to_dict(value)))) == value


@given(
    st.one_of(
        json_values,
        st.fixed_dictionaries(
            {
                "at": json_values
                | st.datetimes(timezones=st.sampled_from(OFFSETS)).map(lambda d: d.isoformat()),
                "outcome": json_values | st.sampled_from(["taken", "skipped"]),
                "movement": json_values | st.sampled_from([m.value for m in Movement]),
            },
            optional={"extra": json_values},
        ),
    )
)
def test_any_dict_in_gives_a_record_or_a_plain_reason_never_an_exception(doc: Any) -> None:
    try:
        record = sitting_break_from_dict(doc)
    except RecordError as err:
        assert str(err).startswith("sitting break: ")
    else:
        assert sitting_break_from_dict(sitting_break_to_dict(record)) == record


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.dictionaries(st.text(max_size=8), st.none() | st.text() | st.integers() | st.booleans())))
def test_any_malformed_entries_never_lose_good_answers_or_sessions(
    tmp_path_factory: pytest.TempPathFactory, junk: list[dict[str, Any]]
) -> None:
    folder = tmp_path_factory.mktemp("data")
    repo = Repository.open(folder)
    repo.save_session(make_session(1))
    repo.add_sitting_break(answer(1))
    path = history_file(folder, 2026)
    raw = json.loads(path.read_text())
    for n, doc in enumerate(junk, start=100):
        raw[SITTING_BREAKS_TABLE][str(n)] = doc
    path.write_text(json.dumps(raw))
    reopened = Repository.open(folder)
    assert reopened.sitting_breaks() == [answer(1)]
    assert [s.id for s in reopened.sessions()] == ["s1"]


# ---- backup, export and import ------------------------------------------------------------------------------
def history_with_breaks(folder: Path) -> Repository:
    repo = Repository.open(folder)
    repo.save_session(make_session(1))
    repo.add_sitting_breaks(
        [
            answer(0),
            answer(35, BreakOutcome.SKIPPED, Movement.POSTURE),
            answer(70, movement=Movement.BACK_BENDS),
        ]
    )
    return repo


def test_a_backup_carries_the_answers(tmp_path: Path) -> None:
    source = history_with_breaks(tmp_path / "a")
    source.close()
    backup = write_backup(tmp_path / "a", tmp_path / "b.json", NOW)
    assert len(backup.history[2026][SITTING_BREAKS_TABLE]) == 3
    Repository.open(tmp_path / "c").close()
    restore(tmp_path / "c", read_backup(tmp_path / "b.json"), NOW)
    assert (
        Repository.open(tmp_path / "c").sitting_breaks() == Repository.open(tmp_path / "a").sitting_breaks()
    )


def test_the_json_export_carries_the_answers_and_importing_twice_adds_nothing(tmp_path: Path) -> None:
    source = history_with_breaks(tmp_path / "a")
    blob = export_json(source, NOW).encode()
    assert len(json.loads(blob)["sitting_breaks"]) == 3
    target = Repository.open(tmp_path / "b")
    own = answer(300, BreakOutcome.SKIPPED)  # one of this computer's own
    target.add_sitting_breaks([own, answer(0)])  # ... and one it already has from the other
    first = apply_import(target, parse_import(blob))
    again = apply_import(target, parse_import(blob))
    assert (first.breaks_added, again.breaks_added) == (2, 0)
    assert Repository.open(tmp_path / "b").sitting_breaks() == [*source.sitting_breaks(), own]


def test_an_export_from_before_sitting_breaks_still_imports(tmp_path: Path) -> None:
    payload = json.loads(export_json(history_with_breaks(tmp_path / "a"), NOW))
    del payload["sitting_breaks"]
    bundle = parse_import(json.dumps(payload).encode())
    assert bundle.sitting_breaks == () and len(bundle.sessions) == 1


def test_a_broken_answer_in_an_import_is_named_and_nothing_changes(tmp_path: Path) -> None:
    payload = json.loads(export_json(history_with_breaks(tmp_path / "a"), NOW))
    payload["sitting_breaks"][1]["movement"] = "handstand"
    target = Repository.open(tmp_path / "b")
    with pytest.raises(ExchangeError, match="sitting break 2: 'movement' is not one of"):
        parse_import(json.dumps(payload).encode())
    payload["sitting_breaks"] = {"not": "a list"}
    with pytest.raises(ExchangeError, match="'sitting_breaks' field should be a list"):
        parse_import(json.dumps(payload).encode())
    assert target.sitting_breaks() == [] and target.sessions() == []


def test_no_schema_change_an_older_year_file_without_the_table_reads_and_gains_it(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.save_session(make_session(1))
    raw = json.loads(history_file(data_dir, 2026).read_text())
    assert SITTING_BREAKS_TABLE not in raw and EVENTS_TABLE not in raw  # as an older version wrote it
    reopened = Repository.open(data_dir)
    assert reopened.sitting_breaks() == [] and reopened.notices == []
    reopened.add_sitting_break(answer(1))
    assert Repository.open(data_dir).sitting_breaks() == [answer(1)]


# ---- the settings ----------------------------------------------------------------------------------------
def test_the_settings_defaults() -> None:
    from sciatica_coach.storage.repository import DEFAULT_SETTINGS

    assert {k: v for k, v in DEFAULT_SETTINGS.items() if k.startswith("sitting_")} == {
        "sitting_breaks_on": False,
        "sitting_interval_min": 30,
        "sitting_work_days": [0, 1, 2, 3, 4],
        "sitting_work_start": "08:00",
        "sitting_work_end": "18:00",
    }


@pytest.mark.parametrize(
    ("key", "stored", "used"),
    [
        ("sitting_breaks_on", True, True),
        ("sitting_breaks_on", None, False),
        ("sitting_interval_min", 45, 45),
        ("sitting_interval_min", 5, 15),
        ("sitting_interval_min", 500, 120),
        ("sitting_interval_min", "thirty", 30),
        ("sitting_interval_min", float("nan"), 30),
        ("sitting_work_days", [5, 6], [5, 6]),
        ("sitting_work_days", [], []),
        ("sitting_work_days", [0, 0, 1], [0, 1, 2, 3, 4]),
        ("sitting_work_days", [7], [0, 1, 2, 3, 4]),
        ("sitting_work_days", [True], [0, 1, 2, 3, 4]),
        ("sitting_work_days", "weekdays", [0, 1, 2, 3, 4]),
        ("sitting_work_start", "22:30", "22:30"),
        ("sitting_work_start", "8:00", "08:00"),
        ("sitting_work_start", "24:00", "08:00"),
        ("sitting_work_end", None, "18:00"),
        ("sitting_work_end", "٠٨:٠٠", "18:00"),
    ],
)
def test_stored_settings_are_read_as_usable_values(
    data_dir: Path, key: str, stored: object, used: object
) -> None:
    repo = Repository.open(data_dir)
    repo.set_setting(key, stored)
    reopened = Repository.open(data_dir)
    assert reopened.setting(key) == used
    assert reopened.settings()[key] == used


def test_command_line_export_and_import_keep_the_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sciatica_coach.cli.main import main

    history_with_breaks(tmp_path / "a").close()
    out = tmp_path / "history.json"
    assert main(["--data-dir", str(tmp_path / "a"), "export", "--format", "json", "-o", str(out)]) == 0
    for _ in range(2):
        assert main(["--data-dir", str(tmp_path / "b"), "import", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.count("Added 3 sitting break(s).") == 1, "said once: the second import added none"
    assert len(Repository.open(tmp_path / "b").sitting_breaks()) == 3
