"""A year's history is held once in memory: decoded for the pages, its raw JSON read back from the file only
when a save needs it, and no text copy for rolling back a failed save (issue 18, point 7)."""

from __future__ import annotations

import gc
import json
import tracemalloc
from pathlib import Path

import pytest

from sciatica_coach.storage.repository import DataError, Repository, history_file
from tests.storage.test_repository import make_session

SESSIONS = 300  # about 120 KB of history over two year files


def _history_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in (folder / "history").glob("sessions-*.json"))


@pytest.fixture
def with_history(data_dir: Path) -> Path:
    repo = Repository.open(data_dir)
    repo.add_sessions([make_session(n) for n in range(1, SESSIONS + 1)])
    repo.close()
    return data_dir


def test_opening_keeps_far_less_than_the_history_files_twice(with_history: Path) -> None:
    """Before: the parsed JSON (about 3x the file), a text copy (1x) and the decoded records, about 5x."""
    size = _history_bytes(with_history)
    gc.collect()
    tracemalloc.start()
    try:
        repo = Repository.open(with_history)
        gc.collect()
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(repo.sessions()) == SESSIONS
    assert kept < 2 * size, f"{kept} bytes kept after opening {size} bytes of history"
    assert peak < 8 * size, f"{peak} bytes at the peak while opening {size} bytes of history"


def test_a_save_after_opening_keeps_every_earlier_session(with_history: Path) -> None:
    repo = Repository.open(with_history)
    repo.save_session(make_session(SESSIONS + 1))
    repo.save_session(make_session(2))  # a checkpoint of a session read back from the file
    again = Repository.open(with_history)
    assert [s.id for s in again.sessions()] == [f"s{n}" for n in range(1, SESSIONS + 2)]


@pytest.mark.parametrize("change", ["damage", "remove"])
def test_a_year_file_changed_behind_the_apps_back_is_kept_and_the_save_keeps_everything(
    with_history: Path, change: str
) -> None:
    """The raw data are read back from the file to save; when another program has damaged or removed it,
    the save rebuilds the year from the records read at start (as when they stayed in memory) and a damaged
    file is kept beside it, unchanged."""
    repo = Repository.open(with_history)
    year = make_session(1).started_at.year
    path = history_file(with_history, year)
    expected = sorted(s.id for s in repo.sessions() if s.started_at.year == year)
    if change == "damage":
        path.write_text("{not json", encoding="utf-8")
    else:
        path.unlink()
    repo.save_session(make_session(SESSIONS + 1))
    kept = sorted(path.parent.glob(f"{path.name}.broken-*"))
    assert [p.read_text(encoding="utf-8") for p in kept] == (["{not json"] if change == "damage" else [])
    again = Repository.open(with_history)
    assert not again.notices
    assert sorted(s.id for s in again.sessions() if s.started_at.year == year) == sorted(
        [*expected, f"s{SESSIONS + 1}"]
    )


def test_a_failed_save_of_renumbered_data_rolls_back_to_the_renumbered_data(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Data that differ from the file (a key TinyDB can't read was renumbered) keep their own copy for the
    rollback: reading the file back would bring the unreadable key back."""
    Repository.open(data_dir).save_session(make_session(1))
    path = history_file(data_dir, 2026)
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["sessions"] = {"abc": raw["sessions"]["1"]}
    path.write_text(json.dumps(raw), encoding="utf-8")
    repo = Repository.open(data_dir)

    def full(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("sciatica_coach.storage.repository.atomic_write", full)
    with pytest.raises(DataError, match="disk is full"):
        repo.save_session(make_session(2))
    monkeypatch.undo()
    repo.save_session(make_session(3))
    assert [s.id for s in Repository.open(data_dir).sessions()] == ["s1", "s3"]


def test_decoded_records_share_equal_parts_and_hold_none_of_the_parsed_file() -> None:
    """The records outlive the parsed JSON: their texts are the decoder's own, and equal pain answers and
    exercise records are one object each."""
    from sciatica_coach.storage.codec import session_from_dict, session_to_dict

    docs = [json.loads(json.dumps(session_to_dict(make_session(n)))) for n in (1, 2)]
    first, second = (session_from_dict(doc) for doc in docs)
    assert first.exercises[0] is second.exercises[0]
    assert first.pain_before is second.pain_before
    assert first.exercises[0].exercise_id == docs[0]["exercises"][0]["exercise_id"]
    assert first.exercises[0].exercise_id is not docs[0]["exercises"][0]["exercise_id"]
    assert first.slot is second.slot or first.slot == ""
    assert first.id == docs[0]["id"] and first.id is not docs[0]["id"]
