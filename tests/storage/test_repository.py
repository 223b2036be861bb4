"""The repository: settings, sessions, corrupt files, migrations, newer files, unwritable folders."""

from __future__ import annotations

import errno
import json
import os
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sciatica_coach.core.model import ExerciseRecord, Outcome, PainReport, Phase, SessionRecord
from sciatica_coach.storage import atomic
from sciatica_coach.storage.codec import session_to_dict
from sciatica_coach.storage.migrations import SCHEMA_VERSION
from sciatica_coach.storage.repository import DATA_FILE, DEFAULT_SETTINGS, DataError, Repository, history_file

TZ = ZoneInfo("Europe/Berlin")


def make_session(n: int = 1) -> SessionRecord:
    start = datetime(2026, 3, 2, 8, 0, tzinfo=TZ) + timedelta(days=n)
    return SessionRecord(
        id=f"s{n}",
        started_at=start,
        ended_at=start + timedelta(minutes=11),
        phase=Phase.MOBILITY,
        exercises=(ExerciseRecord("pelvic-tilt", 10, 10, 1, 1, 5),),
        outcome=Outcome.COMPLETED,
        pain_before=PainReport(back=4, leg=3),
        pain_after=PainReport(back=3, leg=2),
    )


def test_fresh_folder_gets_private_file_with_version(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    assert repo.notices == []
    stored = json.loads((data_dir / DATA_FILE).read_text())
    assert stored["meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert data_dir.stat().st_mode & 0o777 == 0o700
    assert (data_dir / DATA_FILE).stat().st_mode & 0o777 == 0o600


def test_settings_defaults_merge_and_persist(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    assert repo.settings() == DEFAULT_SETTINGS
    repo.set_setting("volume", 40)
    reopened = Repository.open(data_dir)
    assert reopened.setting("volume") == 40
    assert reopened.settings()["theme"] == DEFAULT_SETTINGS["theme"]
    with pytest.raises(KeyError):
        reopened.set_setting("no-such-setting", 1)


def test_sessions_round_trip_and_checkpoint_replaces(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    first = make_session(1)
    repo.save_session(first)
    repo.save_session(make_session(2))
    repo.save_session(replace(first, outcome=Outcome.ENDED_EARLY, reason="tired"))
    sessions = Repository.open(data_dir).sessions()
    assert [s.id for s in sessions] == ["s1", "s2"]
    assert sessions[0].outcome is Outcome.ENDED_EARLY
    assert sessions[0].pain_before == PainReport(back=4, leg=3)
    assert sessions[0].started_at == first.started_at


def test_add_sessions_skips_duplicates(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    assert repo.add_sessions([make_session(1), make_session(2)]) == 2
    assert repo.add_sessions([make_session(2), make_session(3)]) == 1
    assert repo.session_count() == 3


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'{"meta": {"1": {"schema_version": 2}}, "sessions": {"1": {"id"', "could not be read"),
        (b"\x89PNG\r\n\x1a\n\x00\x00garbage\xff\xfe", "could not be read"),
        (b"[1, 2, 3]", "not in the expected shape"),
        (b'{"sessions": {"1": 5}}', "not in the expected shape"),
        (b'{"sessions": {}}', "no version mark"),
    ],
)
def test_broken_file_is_moved_aside_and_app_starts_fresh(data_dir: Path, content: bytes, why: str) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / DATA_FILE).write_bytes(content)
    repo = Repository.open(data_dir)
    assert len(repo.notices) == 1
    assert why in repo.notices[0]
    kept = [p for p in data_dir.iterdir() if p.name.startswith(f"{DATA_FILE}.broken-")]
    assert len(kept) == 1
    assert kept[0].read_bytes() == content, "the broken file is kept byte for byte"
    assert str(kept[0]) in repo.notices[0], "the user is told where it went"
    assert repo.sessions() == []
    repo.save_session(make_session())
    assert Repository.open(data_dir).session_count() == 1


def test_folder_in_place_of_file_is_moved_aside(data_dir: Path) -> None:
    (data_dir / DATA_FILE).mkdir(parents=True)
    (data_dir / DATA_FILE / "inside.txt").write_text("keep me")
    repo = Repository.open(data_dir)
    assert "folder" in repo.notices[0]
    kept = next(p for p in data_dir.iterdir() if p.name.startswith(f"{DATA_FILE}.broken-"))
    assert (kept / "inside.txt").read_text() == "keep me"


def test_newer_file_is_refused_and_untouched(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    content = json.dumps({"meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}, "sessions": {}}).encode()
    (data_dir / DATA_FILE).write_bytes(content)
    with pytest.raises(DataError, match="newer version"):
        Repository.open(data_dir)
    assert (data_dir / DATA_FILE).read_bytes() == content
    assert sorted(p.name for p in data_dir.iterdir()) == [DATA_FILE]


def test_migration_from_version_1_takes_a_backup_first(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    old_session = {
        "id": "old1",
        "started_at": "2026-01-05T08:00:00+01:00",
        "ended_at": "2026-01-05T08:10:00+01:00",
        "phase": 1,
        "outcome": "completed",
        "pain_before": None,
        "pain_after": None,
        "exercises": [],
    }
    v1 = {"meta": {"1": {"schema_version": 1}}, "sessions": {"1": old_session}}
    (data_dir / DATA_FILE).write_text(json.dumps(v1))
    repo = Repository.open(data_dir)
    backups = [p for p in data_dir.iterdir() if ".v1-backup-" in p.name]
    assert len(backups) == 1 and json.loads(backups[0].read_text()) == v1
    migrated = json.loads((data_dir / DATA_FILE).read_text())
    assert migrated["meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert "sessions" not in migrated, "sessions moved to the yearly files"
    year_file = json.loads(history_file(data_dir, 2026).read_text())
    [moved] = year_file["sessions"].values()
    assert moved["slot"] == "" and moved["reason"] == ""
    assert [s.id for s in repo.sessions()] == ["old1"]
    again = Repository.open(data_dir)  # opening again changes nothing and doubles nothing
    assert [s.id for s in again.sessions()] == ["old1"]


def test_crash_while_moving_sessions_out_does_not_double_them(data_dir: Path) -> None:
    """A v2 file whose sessions were already copied to the yearly file before a crash."""
    data_dir.mkdir(parents=True)
    doc = session_to_dict(make_session(1))
    (data_dir / DATA_FILE).write_text(
        json.dumps({"meta": {"1": {"schema_version": 2}}, "sessions": {"1": doc}})
    )
    history_file(data_dir, 2026).parent.mkdir()
    history_file(data_dir, 2026).write_text(
        json.dumps({"meta": {"1": {"schema_version": SCHEMA_VERSION}}, "sessions": {"7": doc}})
    )
    repo = Repository.open(data_dir)
    assert [s.id for s in repo.sessions()] == ["s1"]
    assert repo.session_count() == 1


def test_sessions_since_reads_recent_years_only(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    old = replace(make_session(1), id="old", started_at=datetime(2024, 5, 1, 8, tzinfo=TZ),
                  ended_at=datetime(2024, 5, 1, 8, 10, tzinfo=TZ))  # fmt: skip
    repo.save_session(old)
    repo.save_session(make_session(2))
    assert sorted(p.name for p in (data_dir / "history").iterdir()) == [
        "sessions-2024.json",
        "sessions-2026.json",
    ]
    assert [s.id for s in repo.sessions(since=date(2026, 1, 1))] == ["s2"]
    assert [s.id for s in Repository.open(data_dir).sessions()] == ["old", "s2"]


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root ignores permissions")
def test_read_only_folder_gives_clear_message(data_dir: Path) -> None:
    Repository.open(data_dir).set_setting("volume", 30)
    before = (data_dir / DATA_FILE).read_bytes()
    os.chmod(data_dir, 0o500)
    try:
        with pytest.raises(DataError, match="read-only"):
            Repository.open(data_dir)
    finally:
        os.chmod(data_dir, 0o700)
    assert (data_dir / DATA_FILE).read_bytes() == before


def test_read_only_folder_check_does_not_depend_on_user(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root can write anywhere, so the permission case is also simulated through os.access."""
    Repository.open(data_dir).set_setting("volume", 30)
    before = (data_dir / DATA_FILE).read_bytes()
    monkeypatch.setattr(os, "access", lambda *_a, **_k: False)
    with pytest.raises(DataError, match="read-only"):
        Repository.open(data_dir)
    assert (data_dir / DATA_FILE).read_bytes() == before


def test_disk_full_on_write_keeps_saved_data_and_memory_consistent(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Repository.open(data_dir)
    repo.save_session(make_session(1))
    before = history_file(data_dir, 2026).read_bytes()

    def full(*_a: object, **_k: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("sciatica_coach.storage.repository.atomic_write", full)
    with pytest.raises(DataError, match="disk is full"):
        repo.save_session(make_session(2))
    assert history_file(data_dir, 2026).read_bytes() == before
    assert [s.id for s in repo.sessions()] == ["s1"], "memory rolls back to what is on disk"
    monkeypatch.setattr("sciatica_coach.storage.repository.atomic_write", atomic.atomic_write)
    repo.save_session(make_session(3))
    assert [s.id for s in Repository.open(data_dir).sessions()] == ["s1", "s3"]


def test_unreadable_file_is_refused_without_changes(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Repository.open(data_dir)
    original = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self.name == DATA_FILE:
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(DataError, match="isn't allowed to read"):
        Repository.open(data_dir)


def test_damaged_session_record_is_skipped_not_fatal(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.save_session(make_session(1))
    path = history_file(data_dir, 2026)
    raw = json.loads(path.read_text())
    raw["sessions"]["2"] = {"id": "broken", "phase": "x"}
    path.write_text(json.dumps(raw))
    assert [s.id for s in Repository.open(data_dir).sessions()] == ["s1"]


def test_broken_year_file_is_moved_aside_and_other_years_kept(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.save_session(make_session(1))
    repo.save_session(replace(make_session(2), id="old", started_at=datetime(2025, 1, 5, 8, tzinfo=TZ),
                              ended_at=datetime(2025, 1, 5, 8, 9, tzinfo=TZ)))  # fmt: skip
    repo.set_setting("volume", 20)
    broken = history_file(data_dir, 2026)
    broken.write_bytes(b'{"meta": {"1": {"schema_version": 3}}, "sessions": {"1": {"id": "s1", "sta')
    reopened = Repository.open(data_dir)
    assert len(reopened.notices) == 1 and "sessions-2026.json" in reopened.notices[0]
    assert [s.id for s in reopened.sessions()] == ["old"]
    assert reopened.setting("volume") == 20
    assert any(p.name.startswith("sessions-2026.json.broken-") for p in broken.parent.iterdir())
