"""`sciatica-coach reminders list | set | next`: same rules as the page, exit 2 with one line on bad input."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sciatica_coach.cli import reminders_cmd
from sciatica_coach.cli.main import main
from sciatica_coach.core.clock import ManualClock
from sciatica_coach.core.schedule import Reminder, ReminderPlan, parse_time, plan_to_dict
from sciatica_coach.services.plans import PLAN_KEY, reminder_plan
from sciatica_coach.services.reminders import STATE_KEY
from sciatica_coach.storage.lock import FolderLock
from sciatica_coach.storage.repository import Repository


def stored(data_dir: Path) -> object:
    repo = Repository.open(data_dir)
    try:
        return repo.state(PLAN_KEY)
    finally:
        repo.close()


def test_list_shows_the_default_plan(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(data_dir), "reminders", "list"]) == 0
    out = capsys.readouterr().out
    assert "08:00  every day" in out and "19:00  every day" in out
    assert "Snooze: 10 minutes." in out


def test_set_stores_times_and_keeps_days_of_unchanged_ones(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = Repository.open(data_dir)
    weekdays = Reminder(parse_time("08:00"), frozenset(range(5)))
    repo.set_state(PLAN_KEY, plan_to_dict(ReminderPlan((weekdays,), snooze_min=15)))
    repo.close()
    assert main(["--data-dir", str(data_dir), "reminders", "set", "8:00", "12:30", "21:00"]) == 0
    assert "Reminders set for 08:00, 12:30, 21:00." in capsys.readouterr().out
    repo = Repository.open(data_dir)
    plan = reminder_plan(repo)
    repo.close()
    assert [r.slot for r in plan.reminders] == ["08:00", "12:30", "21:00"]
    assert plan.reminders[0].weekdays == frozenset(range(5))
    assert plan.reminders[1].weekdays == frozenset(range(7))
    assert plan.snooze_min == 15
    assert main(["--data-dir", str(data_dir), "reminders", "list"]) == 0
    assert "08:00  weekdays" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("times", "message"),
    [
        (["7:5"], "two digits for the minutes"),
        (["24:00"], "from 00:00 to 23:59"),
        (["ab"], "is not a time"),
        (["08:00", "08:20"], "at least 30 minutes apart"),
        (["23:50", "00:10"], "the next day"),
        (["08:00", "08:00"], "both set for 08:00"),
        ([f"{h:02d}:00" for h in range(0, 18, 2)], "at most 8 reminders"),
    ],
)
def test_bad_times_exit_2_with_one_line_and_change_nothing(
    data_dir: Path, capsys: pytest.CaptureFixture[str], times: list[str], message: str
) -> None:
    assert main(["--data-dir", str(data_dir), "reminders", "set", "09:00"]) == 0
    before = stored(data_dir)
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "reminders", "set", *times]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err
    assert stored(data_dir) == before


def test_set_refuses_while_the_app_holds_the_folder(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Repository.open(data_dir).close()
    lock = FolderLock(data_dir)
    assert lock.acquire()
    try:
        assert main(["--data-dir", str(data_dir), "reminders", "set", "09:00"]) == 2
    finally:
        lock.release()
    assert "close it" in capsys.readouterr().err
    assert stored(data_dir) is None


def test_missing_action_and_bad_count_exit_2(data_dir: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--data-dir", str(data_dir), "reminders"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["--data-dir", str(data_dir), "reminders", "next", "--count", "0"])
    assert info.value.code == 2


def test_next_lists_upcoming_reminders(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monday = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    monkeypatch.setattr("sciatica_coach.core.clock.SystemClock", lambda: ManualClock(monday))
    assert main(["--data-dir", str(data_dir), "reminders", "next", "--count", "4"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "today 19:00",
        "tomorrow 08:00",
        "tomorrow 19:00",
        "Wed 4 Mar 08:00",
    ]


def test_next_steps_over_a_day_paused_from_the_tray(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monday = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    monkeypatch.setattr("sciatica_coach.core.clock.SystemClock", lambda: ManualClock(monday))
    repo = Repository.open(data_dir)
    repo.set_state(STATE_KEY, {"paused_on": "2026-03-02"})
    repo.close()
    assert main(["--data-dir", str(data_dir), "reminders", "next", "--count", "1"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Reminders are paused for the rest of today.",
        "tomorrow 08:00",
    ]


def test_describe_days() -> None:
    assert reminders_cmd.describe_days(frozenset({5, 6})) == "weekends"
    assert reminders_cmd.describe_days(frozenset({0, 2, 4})) == "Mon, Wed, Fri"
