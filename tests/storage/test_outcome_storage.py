"""Outcome check-ins as stored: a round trip through the repository and a backup, and a broken or
hand-edited check-in read as a plain message beside the good ones, kept in the file as it was."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sciatica_coach.core.outcomes import OUTCOMES_KEY, make_checkin
from sciatica_coach.services import outcomes
from sciatica_coach.storage.backup import read_backup, restore, write_backup
from sciatica_coach.storage.repository import Repository

NOW = datetime(2026, 3, 16, 9, 30, tzinfo=ZoneInfo("Europe/London"))


def test_round_trip_through_the_repository_and_a_backup(tmp_path: Path) -> None:
    repo = Repository.open(tmp_path / "a")
    first = make_checkin(
        date(2026, 3, 2),
        sbi=[4, 3, 2, 5],
        psfs=[{"name": "Sitting in the car", "rating": 3}],
        sitting_min=20,
        walking_min=10,
    )
    outcomes.save(repo, first)
    later = make_checkin(date(2026, 3, 9), sbi=[3, 3, 2, 4], sitting_min=25, walking_min=15)
    outcomes.save(repo, later)
    repo.close()
    assert Repository.open(tmp_path / "a").state(OUTCOMES_KEY)
    write_backup(tmp_path / "a", tmp_path / "b.json", NOW)
    Repository.open(tmp_path / "c").close()
    restore(tmp_path / "c", read_backup(tmp_path / "b.json"), NOW)
    restored = outcomes.load(Repository.open(tmp_path / "c"))
    assert restored.checkins == [first, later] and restored.problems == []
    assert outcomes.activities(Repository.open(tmp_path / "c")) == ["Sitting in the car"]


def test_a_second_check_in_the_same_day_adds_to_it(tmp_path: Path) -> None:
    repo = Repository.open(tmp_path)
    outcomes.save(repo, make_checkin(date(2026, 3, 2), sbi=[1, 1, 1, 1]))
    outcomes.save(repo, make_checkin(date(2026, 3, 2), psfs=[{"name": "Walking", "rating": 5}]))
    (checkin,) = outcomes.load(repo).checkins
    assert checkin.sbi_total == 4 and checkin.psfs_average == 5


def test_a_broken_record_reads_as_a_plain_message(tmp_path: Path) -> None:
    repo = Repository.open(tmp_path)
    outcomes.save(repo, make_checkin(date(2026, 3, 2), sbi=[1, 2, 3, 4]))
    raw = [*repo.state(OUTCOMES_KEY), {"day": "2026-03-09", "sbi": [9, 9, 9, 9]}, "rubbish", {"day": "soon"}]
    repo.set_state(OUTCOMES_KEY, raw)
    loaded = outcomes.load(repo)
    assert [c.sbi_total for c in loaded.checkins] == [10]
    assert len(loaded.problems) == 3
    assert any("whole number from 0 to 6" in p for p in loaded.problems)
    # Saving a new check-in keeps the unreadable ones in the file, untouched.
    outcomes.save(repo, make_checkin(date(2026, 3, 16), walking_min=30))
    assert "rubbish" in repo.state(OUTCOMES_KEY)
    assert outcomes.due_today(repo, date(2026, 3, 16)).sbi


def test_the_history_export_carries_the_check_ins_and_importing_twice_never_doubles(tmp_path: Path) -> None:
    from sciatica_coach.storage.exchange import apply_import, export_json, parse_import

    source = Repository.open(tmp_path / "a")
    first = make_checkin(date(2026, 3, 2), sbi=[4, 3, 2, 5], psfs=[{"name": "Walking", "rating": 3}])
    outcomes.save(source, first)
    source.set_state(OUTCOMES_KEY, [*source.state(OUTCOMES_KEY), {"day": "2026-03-09", "sbi": "broken"}])
    blob = export_json(source, NOW).encode()
    target = Repository.open(tmp_path / "b")
    later = make_checkin(date(2026, 3, 16), walking_min=30)
    outcomes.save(target, later)
    apply_import(target, parse_import(blob))
    assert outcomes.load(target).checkins == [first, later]  # the broken one is left out
    apply_import(target, parse_import(blob))
    assert len(target.state(OUTCOMES_KEY)) == 2  # importing twice never doubles
    third = Repository.open(tmp_path / "c")
    own = make_checkin(date(2026, 3, 2), sbi=[0, 0, 0, 0])  # the same day answered here: kept as it is
    outcomes.save(third, own)
    apply_import(third, parse_import(blob))
    assert outcomes.load(third).checkins == [own]
