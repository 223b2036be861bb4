"""Export and import: lossless round trip, duplicates skipped, every bad file refused with data unchanged."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sciatica_coach.storage.exchange import (
    MAX_IMPORT_BYTES,
    ExchangeError,
    apply_import,
    export_csv,
    export_json,
    parse_import,
)
from sciatica_coach.storage.repository import Repository
from tests.storage.test_repository import make_session

NOW = datetime(2026, 4, 1, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def filled_repo(folder: Path) -> Repository:
    repo = Repository.open(folder)
    for n in range(1, 4):
        repo.save_session(make_session(n))
    repo.set_excused(date(2026, 3, 10), True)
    repo.ensure_plan_start(date(2026, 3, 1))
    return repo


def test_json_round_trip_is_lossless(tmp_path: Path) -> None:
    source = filled_repo(tmp_path / "a")
    blob = export_json(source, NOW).encode()
    target = Repository.open(tmp_path / "b")
    result = apply_import(target, parse_import(blob))
    assert (result.added, result.already_there) == (3, 0)
    assert target.sessions() == source.sessions()
    assert target.excused_days() == {date(2026, 3, 10)}
    assert target.plan_start() == date(2026, 3, 1)
    assert export_json(target, NOW) == export_json(source, NOW)


def test_importing_twice_does_not_double(tmp_path: Path) -> None:
    source = filled_repo(tmp_path / "a")
    bundle = parse_import(export_json(source, NOW).encode())
    target = Repository.open(tmp_path / "b")
    apply_import(target, bundle)
    again = apply_import(target, bundle)
    assert (again.added, again.already_there) == (0, 3)
    assert target.session_count() == 3


def test_csv_has_one_row_per_session_with_pain(tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(export_csv(filled_repo(tmp_path / "a")))))
    assert len(rows) == 3
    assert rows[0]["back_before"] == "4" and rows[0]["leg_after"] == "2"
    assert rows[0]["outcome"] == "completed" and rows[0]["minutes"] == "11.0"


def valid_export(tmp_path: Path) -> dict[str, object]:
    return json.loads(export_json(filled_repo(tmp_path / "src"), NOW))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: b"{not json", "not valid JSON"),
        (lambda d: b"\x00\x01\x02binary", "not a text file"),
        (lambda d: b"\xff\xfe\xfa", "not UTF-8"),
        (lambda d: json.dumps([1, 2]).encode(), "not a Sciatica Coach history export"),
        (lambda d: json.dumps({**d, "version": 99}).encode(), "newer Sciatica Coach"),
        (lambda d: json.dumps({**d, "version": "1"}).encode(), "whole number"),
        (lambda d: json.dumps({**d, "sessions": "many"}).encode(), "should be a list"),
        (lambda d: json.dumps({**d, "sessions": [{**d["sessions"][0], "phase": "one"}]}).encode(), "phase"),
        (lambda d: json.dumps({**d, "sessions": [{**d["sessions"][0], "started_at": "yesterday"}]}).encode(),
         "not a date and time"),
        (lambda d: json.dumps({**d, "sessions": [{**d["sessions"][0], "pain_before": {"back": 11, "leg": 0}}]})
         .encode(), "between 0 and 10"),
        (lambda d: json.dumps({**d, "excused_days": ["soon"]}).encode(), "not a date"),
        (lambda d: b" " * (MAX_IMPORT_BYTES + 1), "too large"),
    ],
)  # fmt: skip
def test_bad_files_are_refused_and_nothing_changes(tmp_path: Path, mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    blob = mutate(valid_export(tmp_path))
    target = Repository.open(tmp_path / "target")
    target.save_session(make_session(9))
    before = (tmp_path / "target" / "sciatica-coach.json").read_bytes()
    with pytest.raises(ExchangeError, match=message):
        parse_import(blob)
    assert (tmp_path / "target" / "sciatica-coach.json").read_bytes() == before


def test_every_problem_is_listed(tmp_path: Path) -> None:
    data = valid_export(tmp_path)
    sessions = data["sessions"]
    assert isinstance(sessions, list)
    sessions[0]["outcome"] = "finished?"
    sessions[2]["exercises"] = "none"
    with pytest.raises(ExchangeError) as info:
        parse_import(json.dumps(data).encode())
    assert "session 1" in str(info.value) and "session 3" in str(info.value)
    assert "nothing was changed" in str(info.value)
