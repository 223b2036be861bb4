"""Issue 17, class 3: one bad record must not hide a year.

A year file whose one entry is broken (any hostile JSON in its place, an impossible value in one field, a
table of the wrong shape, bytes in another encoding) keeps every other entry in use; the broken one is set
aside (the year file as it was is kept beside it, unchanged) and the notice names the year and the entry.
A byte-order mark, which Windows editors add, is read as if it were not there. Counts: see EXAMPLES in
test_hostile_values.py (printed with pytest -s)."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sciatica_coach.storage.codec import event_to_dict, session_to_dict
from sciatica_coach.storage.migrations import SCHEMA_VERSION
from sciatica_coach.storage.repository import DATA_FILE, EVENTS_TABLE, DataError, Repository, history_file
from tests.storage.test_hostile_values import HYPO, _report_counts, counted, dump, fresh, hostile  # noqa: F401 - prints the counts
from tests.storage.test_repository import make_session
from tests.storage.test_safety_events import event

TZ = ZoneInfo("Europe/Berlin")
YEAR = 2026


def sessions_of(year: int, count: int = 3) -> list[dict[str, Any]]:
    out = []
    for n in range(1, count + 1):
        start = datetime(year, 5, n, 8, 0, tzinfo=TZ)
        record = replace(
            make_session(n), id=f"y{year}-{n}", started_at=start, ended_at=start + timedelta(minutes=12)
        )
        out.append(session_to_dict(record))
    return out


def year_text(
    sessions: list[Any], events: list[Any] | None = None, extra: dict[str, Any] | None = None
) -> str:
    data: dict[str, Any] = {
        "meta": {"1": {"schema_version": SCHEMA_VERSION}},
        "sessions": {str(i + 1): doc for i, doc in enumerate(sessions)},
        EVENTS_TABLE: {str(i + 1): doc for i, doc in enumerate(events or [])},
    }
    data.update(extra or {})
    return dump(data)


def write_year(folder: Path, blob: bytes, year: int = YEAR) -> Path:
    fresh(folder, dump({"meta": {"1": {"schema_version": SCHEMA_VERSION}}}))
    shutil.rmtree(folder / "history", ignore_errors=True)
    path = history_file(folder, year)
    path.parent.mkdir(parents=True)
    path.write_bytes(blob)
    return path


def set_aside_copies(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.set-aside-*"))


GOOD_IDS = [f"y{YEAR}-{n}" for n in (1, 2, 3)]
FIELDS = ["id", "started_at", "ended_at", "phase", "outcome", "exercises", "pain_before", "reason", "slot"]


@HYPO
@given(bad=hostile(), where=st.integers(0, 3), table=st.sampled_from(["sessions", EVENTS_TABLE]))
def test_any_one_broken_entry_is_set_aside_and_the_year_stays(
    data_dir: Path, bad: Any, where: int, table: str
) -> None:
    counted("year file: one hostile entry")
    docs = sessions_of(YEAR)
    events = [event_to_dict(event(1))]
    (docs if table == "sessions" else events).insert(where, bad)
    blob = year_text(docs, events).encode("utf-8")
    path = write_year(data_dir, blob)
    repo = Repository.open(data_dir)
    assert [s.id for s in repo.sessions()] == GOOD_IDS
    assert repo.safety_events() == [event(1)]
    if repo.notices:  # unless `bad` happened to be a good record
        [notice] = repo.notices
        assert f"In your {YEAR} history, 1 entry could not be read and was set aside" in notice
        [kept] = set_aside_copies(path)
        assert kept.read_bytes() == blob and str(kept) in notice
        assert len(json.loads(path.read_text())[table]) == len(docs if table == "sessions" else events) - 1
    repo.close()
    again = Repository.open(data_dir)
    assert again.notices == [] and [s.id for s in again.sessions()] == GOOD_IDS
    again.close()


@HYPO
@given(field=st.sampled_from(FIELDS), value=hostile(), which=st.integers(0, 2))
def test_one_impossible_field_sets_aside_that_session_only(
    data_dir: Path, field: str, value: Any, which: int
) -> None:
    counted("year file: one hostile field")
    docs = sessions_of(YEAR)
    docs[which][field] = value
    path = write_year(data_dir, year_text(docs).encode("utf-8"))
    repo = Repository.open(data_dir)
    ids = [s.id for s in repo.sessions()]
    others = [i for n, i in enumerate(GOOD_IDS) if n != which]
    assert all(i in ids for i in others), "the other sessions of the year are all there"
    for record in repo.sessions():
        assert record.started_at.year == YEAR or 1970 <= record.started_at.year <= 2200
    if repo.notices:
        assert f"{YEAR} history" in repo.notices[0] and set_aside_copies(path)
    repo.close()


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("started_at", "0001-01-01T08:00:00+00:00", "not a time a real record can have"),
        ("ended_at", "9999-12-31T08:00:00+00:00", "not a time a real record can have"),
        ("started_at", "2026-05-02T08:00:00+23:59", "not a time a real record can have"),
        ("id", "\ud800", "session '\\ud800': it holds text that is not valid Unicode"),
        ("reason", "x" * 50_000, "not usable text"),
        ("phase", 10**30, "'phase' must be between 1 and 3"),
        (
            "pain_before",
            {"back": float("nan"), "leg": 1},
            "session y2026-2: it holds a number that is not a number",
        ),
        (
            "exercises",
            [{"exercise_id": "bridge"}],
            "session y2026-2, exercise 1: the field 'reps_done' is missing",
        ),
    ],
)
def test_the_notice_says_exactly_what_was_set_aside(
    data_dir: Path, field: str, value: Any, said: str
) -> None:
    docs = sessions_of(YEAR)
    docs[1][field] = value
    write_year(data_dir, year_text(docs).encode("utf-8"))
    repo = Repository.open(data_dir)
    [notice] = repo.notices
    assert said in notice and "Everything else from 2026 is here" in notice
    assert [s.id for s in repo.sessions()] == [GOOD_IDS[0], GOOD_IDS[2]]
    print(notice, end="")  # must print without an encoding error, lone surrogates or not


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: text.encode("utf-16"),  # with its byte-order mark
        lambda text: text.encode("utf-32"),
        lambda text: text.encode("utf-16-le"),  # no mark: recognised as JSON's reader does
        lambda text: text.encode("utf-16-be"),
    ],
    ids=["utf-8 BOM", "utf-16", "utf-32", "utf-16-le", "utf-16-be"],
)
def test_a_year_file_with_a_byte_order_mark_reads_whole(data_dir: Path, encode: Any) -> None:
    path = write_year(data_dir, encode(year_text(sessions_of(YEAR))))
    repo = Repository.open(data_dir)
    assert repo.notices == [] and [s.id for s in repo.sessions()] == GOOD_IDS
    assert set_aside_copies(path) == []


def test_one_entry_in_another_encoding_is_set_aside_not_the_year(data_dir: Path) -> None:
    docs = sessions_of(YEAR)
    docs[0]["reason"] = "MARKER"
    blob = year_text(docs).encode("utf-8").replace(b"MARKER", "Rückenschmerz".encode("latin-1"))
    path = write_year(data_dir, blob)
    repo = Repository.open(data_dir)
    [notice] = repo.notices
    assert "1 entry could not be read" in notice and "not valid Unicode" in notice
    assert [s.id for s in repo.sessions()] == GOOD_IDS[1:]
    [kept] = set_aside_copies(path)
    assert kept.read_bytes() == blob, "the original bytes are kept for the person"
    repo.save_session(
        replace(
            make_session(9),
            id="new",
            started_at=datetime(YEAR, 6, 1, 8, tzinfo=TZ),
            ended_at=datetime(YEAR, 6, 1, 8, 10, tzinfo=TZ),
        )
    )
    assert [s.id for s in Repository.open(data_dir).sessions()] == [*GOOD_IDS[1:], "new"]


@pytest.mark.parametrize(
    ("extra", "sessions_kept"),
    [
        ({"sessions": ["a list, not a table"]}, False),
        ({"sessions": {"1": "not a record"}}, False),
        ({"meta": {"1": {"schema_version": "3"}}}, True),
        ({"meta": {"1": {"schema_version": -1}}}, True),
        ({"meta": "gone"}, True),
    ],
)
def test_a_bad_table_or_version_mark_in_a_year_file_keeps_the_rest(
    data_dir: Path, extra: dict[str, Any], sessions_kept: bool
) -> None:
    text = year_text(sessions_of(YEAR), [event_to_dict(event(1))], extra)
    write_year(data_dir, text.encode("utf-8"))
    repo = Repository.open(data_dir)
    assert repo.safety_events() == [event(1)], "the year's other table is kept"
    assert [s.id for s in repo.sessions()] == (GOOD_IDS if sessions_kept else [])
    assert len(repo.notices) == (0 if sessions_kept else 1)


def test_when_no_copy_can_be_kept_the_entry_stays_in_the_file_unused(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """E.g. a read-only folder: nothing is removed that could not first be kept."""
    docs = sessions_of(YEAR)
    docs[2]["phase"] = 7
    blob = year_text(docs).encode("utf-8")
    path = write_year(data_dir, blob)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr("sciatica_coach.storage.repository.shutil.copy2", refuse)
    repo = Repository.open(data_dir)
    [notice] = repo.notices
    assert "They stay in" in notice and [s.id for s in repo.sessions()] == GOOD_IDS[:2]
    assert path.read_bytes() == blob


def test_a_main_file_with_a_byte_order_mark_reads_whole(data_dir: Path) -> None:
    text = dump(
        {"meta": {"1": {"schema_version": SCHEMA_VERSION}}, "settings": {"1": {"key": "volume", "value": 35}}}
    )
    fresh(data_dir, "")
    (data_dir / DATA_FILE).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    repo = Repository.open(data_dir)
    assert repo.notices == [] and repo.setting("volume") == 35


def test_a_main_file_with_a_setting_in_another_encoding_keeps_the_other_settings(data_dir: Path) -> None:
    text = dump(
        {
            "meta": {"1": {"schema_version": SCHEMA_VERSION}},
            "settings": {"1": {"key": "volume", "value": 35}, "2": {"key": "country", "value": "MARKER"}},
        }
    )
    blob = text.encode("utf-8").replace(b"MARKER", "Ö".encode("latin-1"))
    fresh(data_dir, "")
    (data_dir / DATA_FILE).write_bytes(blob)
    repo = Repository.open(data_dir)
    [notice] = repo.notices
    assert "not readable text" in notice
    assert repo.setting("volume") == 35 and repo.setting("country") is None
    [kept] = data_dir.glob(f"{DATA_FILE}.as-found-*")
    assert kept.read_bytes() == blob
    repo.set_setting("volume", 50)  # still saves
    assert Repository.open(data_dir).setting("volume") == 50


@HYPO
@given(
    content=st.one_of(
        hostile().map(lambda value: dump(value).encode("utf-8")),
        st.binary(max_size=200),
        st.builds(
            lambda value, cut: year_text(sessions_of(YEAR), [value]).encode("utf-8")[:cut],
            hostile(),
            st.integers(0, 4000),
        ),
    ),
    which=st.sampled_from(["main", "year"]),
)
def test_any_bytes_at_all_in_a_data_file_open_and_the_folder_still_saves(
    data_dir: Path, content: bytes, which: str
) -> None:
    """Whatever a file holds (any JSON, any bytes, a year file cut anywhere): opening gives data or a notice,
    never a traceback, and the next save works."""
    counted(f"any bytes in the {which} file")
    path = write_year(data_dir, year_text(sessions_of(YEAR)).encode("utf-8"))
    if which == "main":
        path = data_dir / DATA_FILE
    path.write_bytes(content)
    try:
        repo = Repository.open(data_dir)
    except DataError as err:  # only a newer version mark is refused, untouched
        assert "newer version" in str(err)
        assert path.read_bytes() == content
        return
    repo.sessions()
    repo.safety_events()
    repo.set_setting("volume", 40)
    repo.save_session(
        replace(
            make_session(9),
            id="after",
            started_at=datetime(YEAR, 7, 1, 8, tzinfo=TZ),
            ended_at=datetime(YEAR, 7, 1, 8, 10, tzinfo=TZ),
        )
    )
    repo.close()
    again = Repository.open(data_dir)
    assert again.setting("volume") == 40 and "after" in {s.id for s in again.sessions()}
    again.close()
