"""Backups of everything: a round trip restores every table and state key exactly; a bad or newer file is
refused with nothing changed; a restore that can't write leaves the data as it was; rolling automatic backups."""

from __future__ import annotations

import errno
import json
import os
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciatica_coach.core.model import Phase, SafetyEvent, SafetyEventKind
from sciatica_coach.core.schedule import Reminder, ReminderPlan, plan_to_dict
from sciatica_coach.services.plans import PLAN_KEY
from sciatica_coach.services.routines import HISTORY_KEY
from sciatica_coach.storage import atomic
from sciatica_coach.storage.backup import (
    AUTO_KEEP,
    BACKUP_VERSION,
    BACKUPS_FOLDER,
    BackupError,
    auto_backup,
    auto_backups,
    describe,
    describe_current,
    parse_backup,
    read_backup,
    restore,
    summary_lines,
    write_backup,
)
from sciatica_coach.storage.lock import LOCK_NAME
from sciatica_coach.storage.migrations import SCHEMA_VERSION
from sciatica_coach.storage.repository import DATA_FILE, HISTORY_FOLDER, ROUTINE_KEY, Repository
from tests.helpers import session_record

ZONE = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=ZONE)
PHASE_2_ROUTINE = {
    "phase": 2,
    "items": [
        {"exercise": name, "hold_s": 5, "reps": 10, "sets": 2, "rest_between_reps_s": 3,
         "rest_between_sets_s": 30, "side_mode": "both"}
        for name in ("bridge", "prone-press-up", "nerve-glide-slider", "bird-dog")
    ],
}  # fmt: skip
THREE_TIMES = ReminderPlan(
    (Reminder(time(7, 30)), Reminder(time(12, 15)), Reminder(time(21, 0))), snooze_min=15, quiet_if_done=False
)


def full_folder(folder: Path) -> Repository:
    """A data folder holding something of everything a person would miss."""
    repo = Repository.open(folder)
    repo.set_state(ROUTINE_KEY, PHASE_2_ROUTINE)
    repo.set_state("plan_history", [{"at": "2025-06-01", "phase": 2, "from": "physio"}])
    repo.set_state(HISTORY_KEY, [{"at": "2025-05-01T08:00:00+02:00", "decision": "progress"}])
    repo.set_state(PLAN_KEY, plan_to_dict(THREE_TIMES))
    repo.set_state("outcome_answers", {"2025-06-01": {"odi": [1, 2, 0, 3], "better": "much"}})
    repo.set_state("reminder_state", {"fired": ["2026-03-01 07:30"]})
    repo.add_excused_days({datetime(2025, 1, 3).date()})
    repo.set_setting("theme", "dark")
    repo.set_setting("text_scale", 150)
    repo.set_setting("voice_on", False)
    repo.set_setting("country", "DE")
    sessions = [
        session_record(f"s{year}-{n}", datetime(year, month, 10, 8, 0, tzinfo=ZONE), phase=Phase(phase))
        for year, phase in ((2024, 1), (2025, 2), (2026, 2))
        for n, month in enumerate((1, 2), start=1)
    ]
    repo.add_sessions(sessions)
    repo.add_safety_events(
        [
            SafetyEvent(datetime(2024, 1, 10, 8, 5, tzinfo=ZONE), SafetyEventKind.RED_FLAG_ANSWERS, flags=("saddle",)),
            SafetyEvent(datetime(2025, 2, 10, 8, 9, tzinfo=ZONE), SafetyEventKind.IT_HURTS, exercise_id="bridge",
                        session_id="s2025-2"),
            SafetyEvent(datetime(2026, 1, 10, 8, 7, tzinfo=ZONE), SafetyEventKind.PAIN_STOP, detail="pain 7"),
        ]
    )  # fmt: skip
    return repo


def files(folder: Path) -> dict[str, Any]:
    """Every stored file of a data folder, parsed (the data file and each year's history file)."""
    out = {DATA_FILE: json.loads((folder / DATA_FILE).read_text("utf-8"))}
    for path in sorted((folder / HISTORY_FOLDER).glob("*.json")):
        out[f"{HISTORY_FOLDER}/{path.name}"] = json.loads(path.read_text("utf-8"))
    return out


def raw_bytes(folder: Path) -> dict[str, bytes]:
    """The bytes of every file under `folder` except the backups and the lock (for "nothing changed")."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and BACKUPS_FOLDER not in p.relative_to(folder).parts and p.name != LOCK_NAME
    }


def state_keys(repo: Repository) -> dict[str, Any]:
    return {doc["key"]: doc["value"] for doc in repo._table("state").all()}


def test_round_trip_restores_every_table_and_state_key_exactly(tmp_path: Path) -> None:
    source = tmp_path / "old-computer"
    original = full_folder(source)
    expected = (files(source), original.settings(), state_keys(original), original.sessions(),
                original.safety_events())  # fmt: skip
    original.close()
    target_file = tmp_path / "everything.json"
    write_backup(source, target_file, NOW)

    # A new computer: the default routine and reminders, a session of its own in a fourth year.
    folder = tmp_path / "new-computer"
    fresh = Repository.open(folder)
    fresh.set_setting("volume", 20)
    fresh.save_session(session_record("other", datetime(2023, 5, 5, 9, 0, tzinfo=ZONE)))
    fresh.close()

    copy = restore(folder, read_backup(target_file), NOW)

    assert files(folder) == expected[0], "every table, state key and year's history, as they were"
    assert not (folder / HISTORY_FOLDER / "sessions-2023.json").exists()
    restored = Repository.open(folder)
    assert (
        restored.settings(),
        state_keys(restored),
        restored.sessions(),
        restored.safety_events(),
    ) == expected[1:]
    assert restored.state(ROUTINE_KEY)["phase"] == 2
    assert [r["time"] for r in restored.state(PLAN_KEY)["reminders"]] == ["07:30", "12:15", "21:00"]
    # The copy taken first is a whole backup of what was there.
    assert copy.parent == folder / BACKUPS_FOLDER and copy.name == "before-restore-20260302-093000.json"
    before = read_backup(copy)
    assert describe(before).sessions == 1 and before.history.keys() == {2023}
    assert not list(folder.glob(".restore-*")), "nothing of the swap is left behind"


def test_new_state_is_backed_up_without_code_changes(tmp_path: Path) -> None:
    repo = Repository.open(tmp_path / "a")
    repo.set_state("something_added_next_year", {"nested": [1, 2.5, "ü", None, True]})
    repo._main.table("a_new_table").insert({"x": 1})
    repo.close()
    backup = write_backup(tmp_path / "a", tmp_path / "b.json", NOW)
    (tmp_path / "c").mkdir()
    restore(tmp_path / "c", read_backup(tmp_path / "b.json"), NOW)
    assert files(tmp_path / "c") == files(tmp_path / "a")
    assert backup.data["a_new_table"] == {"1": {"x": 1}}


def test_describe_says_what_each_side_holds(tmp_path: Path) -> None:
    repo = full_folder(tmp_path / "data")
    summary = describe_current(repo)
    assert (summary.sessions, str(summary.first_day), str(summary.last_day)) == (
        6,
        "2024-01-10",
        "2026-02-10",
    )
    assert (summary.routine_phase, summary.routine_exercises) == (2, 4)
    assert summary.reminder_times == ("07:30", "12:15", "21:00")
    assert summary.safety_events == 3 and summary.settings_changed == 4
    lines = summary_lines(summary)
    assert lines == [
        "6 sessions, from 2024-01-10 to 2026-02-10",
        "Routine: phase 2, 4 exercises",
        "Reminders: 07:30, 12:15, 21:00",
        "3 safety records",
        "4 settings changed",
    ]
    empty = Repository.open(tmp_path / "empty")
    assert summary_lines(describe_current(empty)) == [
        "0 sessions",
        "Routine: the phase 1 starting routine",
        "Reminders: 08:00, 19:00 (the usual times)",
        "0 safety records",
        "0 settings changed",
    ]
    backup = write_backup(tmp_path / "data", tmp_path / "b.json", NOW)
    assert describe(backup).saved_at == NOW.replace(microsecond=0)


# ---- bad files are refused with nothing changed ---------------------------------------------------------------
def good_backup(tmp_path: Path) -> bytes:
    full_folder(tmp_path / "source").close()
    write_backup(tmp_path / "source", tmp_path / "good.json", NOW)
    return (tmp_path / "good.json").read_bytes()


def reserialise(blob: bytes, change: Any) -> bytes:
    data = json.loads(blob)
    change(data)
    return json.dumps(data).encode()


def _set(path: list[str], value: Any) -> Any:
    def change(data: dict[str, Any]) -> None:
        for key in path[:-1]:
            data = data[key]
        data[path[-1]] = value

    return change


BAD_FILES: dict[str, tuple[Any, str]] = {
    "not JSON": (lambda blob: b"PK\x03\x04 a zip file", "not JSON"),
    "truncated": (lambda blob: blob[: len(blob) // 2], "cut short"),
    "empty": (lambda blob: b"", "not JSON"),
    "wrong format": (lambda blob: reserialise(blob, _set(["format"], "something-else")), "not a Sciatica Coach backup"),
    "history export": (
        lambda blob: b'{"format": "sciatica-coach-history", "version": 1, "sessions": []}',
        "history export",
    ),
    "newer version": (lambda blob: reserialise(blob, _set(["version"], BACKUP_VERSION + 1)), "newer Sciatica Coach"),
    "newer data": (
        lambda blob: reserialise(blob, _set(["content", "data", "meta", "1", "schema_version"], SCHEMA_VERSION + 1)),
        "newer Sciatica Coach",
    ),
    "damaged history part": (
        lambda blob: reserialise(blob, _set(["content", "history", "2025", "sessions"], ["not", "a", "table"])),
        "history of 2025 is damaged",
    ),
    "history year not a year": (
        lambda blob: reserialise(blob, _set(["content", "history", "twenty"], {})),
        "history part 'twenty' is damaged",
    ),
    "edited session": (
        lambda blob: reserialise(blob, _set(["content", "history", "2025", "sessions", "1", "outcome"], "x")),
        "check mark",
    ),
    "no content": (lambda blob: reserialise(blob, _set(["content"], None)), "part of it is missing"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_with_nothing_changed(tmp_path: Path, case: str) -> None:
    mangle, words = BAD_FILES[case]
    bad = tmp_path / "bad.json"
    bad.write_bytes(mangle(good_backup(tmp_path)))
    full_folder(tmp_path / "data").set_setting("volume", 33)
    before = raw_bytes(tmp_path / "data")
    with pytest.raises(BackupError, match="Nothing was changed") as info:
        restore(tmp_path / "data", read_backup(bad), NOW)
    assert words in str(info.value) and "bad.json" in str(info.value)
    assert raw_bytes(tmp_path / "data") == before
    assert not (tmp_path / "data" / BACKUPS_FOLDER).exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mangled_files_are_refused_or_restore_exactly(tmp_path: Path, data: st.DataObject) -> None:
    """Any cut, flipped byte or inserted junk is refused (BackupError, nothing else), or - if the change
    happened to keep the file whole, like spaces between fields - restores the same content."""
    cache = tmp_path / "cached.json"
    if not cache.exists():
        cache.write_bytes(good_backup(tmp_path / "make"))
    blob = cache.read_bytes()
    how = data.draw(st.sampled_from(["cut", "flip", "insert"]))
    at = data.draw(st.integers(0, len(blob) - 1))
    if how == "cut":
        mangled = blob[:at]
    elif how == "flip":
        mangled = blob[:at] + bytes([blob[at] ^ data.draw(st.integers(1, 255))]) + blob[at + 1 :]
    else:
        mangled = blob[:at] + data.draw(st.binary(min_size=1, max_size=8)) + blob[at:]
    try:
        parsed = parse_backup(mangled, "mangled.json")
    except BackupError as err:
        assert "Nothing was changed" in str(err)
        return
    good = parse_backup(blob)
    assert (parsed.data, parsed.history) == (good.data, good.history)


def test_file_problems_are_said_plainly(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="there is no file"):
        read_backup(tmp_path / "missing.json")
    with pytest.raises(BackupError, match="is a folder"):
        read_backup(tmp_path)


# ---- restoring where it can't write ------------------------------------------------------------------------------
@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root ignores permissions")
def test_restore_into_a_read_only_folder_changes_nothing(tmp_path: Path) -> None:
    good = parse_backup(good_backup(tmp_path))
    full_folder(tmp_path / "data").set_setting("volume", 33)
    before = raw_bytes(tmp_path / "data")
    os.chmod(tmp_path / "data", 0o500)
    try:
        with pytest.raises(BackupError, match="read-only"):
            restore(tmp_path / "data", good, NOW)
    finally:
        os.chmod(tmp_path / "data", 0o700)
    assert raw_bytes(tmp_path / "data") == before


def test_restore_refuses_a_folder_it_may_not_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root can write anywhere, so the read-only folder is also simulated through os.access."""
    good = parse_backup(good_backup(tmp_path))
    full_folder(tmp_path / "data").close()
    before = raw_bytes(tmp_path / "data")
    monkeypatch.setattr(os, "access", lambda *_a, **_k: False)
    with pytest.raises(BackupError, match=r"read-only.*nothing was changed"):
        restore(tmp_path / "data", good, NOW)
    assert raw_bytes(tmp_path / "data") == before


@pytest.mark.parametrize("fails_at", ["copy", "stage", "year file", "history swap", "data file swap"])
def test_a_failed_write_leaves_the_data_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails_at: str
) -> None:
    """A full disk or a folder turned read-only at each step of a restore: the data stays as it was."""
    good = parse_backup(good_backup(tmp_path))
    folder = tmp_path / "data"
    repo = Repository.open(folder)
    repo.set_setting("volume", 33)
    repo.save_session(session_record("mine", datetime(2023, 5, 5, 9, 0, tzinfo=ZONE)))
    repo.close()
    before = raw_bytes(folder)
    real_write, real_replace = atomic.atomic_write, os.replace
    error = (
        OSError(errno.ENOSPC, "No space left on device")
        if fails_at != "history swap"
        else OSError(errno.EROFS, "Read-only file system")
    )

    def write(path: Path, data: bytes, mode: int = 0o600) -> None:
        if (fails_at == "copy" and path.parent.name == BACKUPS_FOLDER) or (
            fails_at == "stage" and path.name == DATA_FILE) or (
            fails_at == "year file" and path.name == "sessions-2026.json"
        ):  # fmt: skip
            raise error
        real_write(path, data, mode)

    failed: list[str] = []

    def replace(src: Any, dst: Any) -> None:
        name = Path(dst).name
        if not failed and (
            (fails_at == "history swap" and name == HISTORY_FOLDER)
            or (fails_at == "data file swap" and name == DATA_FILE)
        ):
            failed.append(name)  # once: putting the old files back works
            raise error
        real_replace(src, dst)

    monkeypatch.setattr("sciatica_coach.storage.backup.atomic_write", write)
    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(BackupError, match="nothing was changed") as info:
        restore(folder, good, NOW)
    monkeypatch.undo()
    assert ("disk is full" in str(info.value)) == (fails_at != "history swap")
    assert raw_bytes(folder) == before
    assert [s.id for s in Repository.open(folder).sessions()] == ["mine"]
    assert not list(folder.glob(".restore-*"))


# ---- automatic backups ---------------------------------------------------------------------------------------
def test_automatic_backups_one_a_day_newest_seven_kept(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    repo = full_folder(folder)
    day = NOW
    assert auto_backup(folder, day) == folder / BACKUPS_FOLDER / "auto-2026-03-02.json"
    repo.set_setting("volume", 10)
    assert auto_backup(folder, day + timedelta(hours=5)) is None, "at most one a day"
    assert (
        read_backup(folder / BACKUPS_FOLDER / "auto-2026-03-02.json").data
        == read_backup(folder / BACKUPS_FOLDER / "auto-2026-03-02.json").data
    )
    for n in range(1, 10):
        auto_backup(folder, day + timedelta(days=n))
    names = [p.name for p in auto_backups(folder)]
    assert len(names) == AUTO_KEEP == 7
    assert names[0] == "auto-2026-03-05.json" and names[-1] == "auto-2026-03-11.json", "the oldest go"
    newest = read_backup(folder / BACKUPS_FOLDER / names[-1])
    assert {d["key"]: d["value"] for d in newest.data["settings"].values()}["volume"] == 10


def test_automatic_backups_leave_other_files_alone(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    full_folder(folder).close()
    restore(folder, parse_backup(good_backup(tmp_path)), NOW)  # a copy before a restore
    (folder / BACKUPS_FOLDER / "my-own-copy.json").write_text("{}")
    for n in range(10):
        auto_backup(folder, NOW + timedelta(days=n))
    names = sorted(p.name for p in (folder / BACKUPS_FOLDER).iterdir())
    assert "my-own-copy.json" in names and "before-restore-20260302-093000.json" in names
    assert len([n for n in names if n.startswith("auto-")]) == AUTO_KEEP


def test_a_failed_automatic_backup_removes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "data"
    full_folder(folder).close()
    for n in range(AUTO_KEEP):
        auto_backup(folder, NOW + timedelta(days=n))
    kept = auto_backups(folder)

    def full(*_a: object, **_k: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("sciatica_coach.storage.backup.atomic_write", full)
    with pytest.raises(BackupError, match="disk is full"):
        auto_backup(folder, NOW + timedelta(days=30))
    assert auto_backups(folder) == kept


def test_a_damaged_data_file_is_not_backed_up(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    full_folder(folder).close()
    (folder / HISTORY_FOLDER / "sessions-2025.json").write_text('{"sessions": [1, 2')
    with pytest.raises(BackupError, match="no backup was made"):
        auto_backup(folder, NOW)
    assert auto_backups(folder) == []
