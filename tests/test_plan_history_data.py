"""Each week measured against the plan in force that week (issue 16): the stored plan history, its first
reading from old data, the saves that record changes (routine, reminders, prescription, suggestion, the
Reminders and Routine pages, `reminders set`), `stats`, and the JSON export and import."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.clock import ManualClock
from sciatica_coach.core.model import Phase, Routine
from sciatica_coach.core.plan_history import (
    PLAN_HISTORY_KEY,
    REASON_BY_HAND,
    REASON_FIRST_READ,
    REASON_REMINDERS,
    ChangeKind,
    history_from_list,
    history_to_list,
)
from sciatica_coach.core.schedule import DEFAULT_PLAN, PlanError, Reminder, ReminderPlan, check, plan_to_dict
from sciatica_coach.services import plans, routines
from sciatica_coach.services.plans import (
    PLAN_KEY,
    plan_history,
    record_plan_change,
    reminder_plan,
    save_reminder_plan,
)
from sciatica_coach.services.progress_data import load_history
from sciatica_coach.storage.exchange import apply_import, export_json, parse_import
from sciatica_coach.storage.repository import Repository
from tests.helpers import FakeClock, session_record

LONDON = ZoneInfo("Europe/London")
MONTH_START = date(2026, 3, 2)  # a Monday
# Sessions a day for the four weeks from MONTH_START: the best run of days with both sessions is 7.
MONTH = [2] * 7 + [1] + [2] * 6 + [1] + [2] * 5 + [0] + [2] * 7
TODAY = MONTH_START + timedelta(days=len(MONTH))  # Monday 2026-03-30
THREE = ReminderPlan((Reminder(time(8, 0)), Reminder(time(13, 0)), Reminder(time(19, 0))))
ONE = ReminderPlan((Reminder(time(9, 0)),))


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour, 0), LONDON)


def month_of_data(data_dir: Path, plan: ReminderPlan = DEFAULT_PLAN) -> Repository:
    """A month kept before there was a plan history: sessions, the programme start and a reminder plan."""
    repo = Repository.open(data_dir)
    sessions = [
        session_record(f"s{day}-{k}", at(MONTH_START + timedelta(days=day), 8 + 11 * k))
        for day, count in enumerate(MONTH)
        for k in range(count)
    ]
    repo.add_sessions(sessions)
    repo.set_state("plan_start", MONTH_START.isoformat())
    repo.set_state(PLAN_KEY, plan_to_dict(plan))
    return repo


def past_weeks(repo: Repository, clock: ManualClock) -> list[tuple[int, float | None]]:
    rows = load_history(repo, clock).weekly_table(5)[:4]
    return [(row.target, row.adherence_pct) for row in rows]


def test_the_issue_adding_a_third_reminder_leaves_last_month_alone(data_dir: Path) -> None:
    repo = month_of_data(data_dir)
    clock = FakeClock(at(TODAY, 9))
    before = load_history(repo, clock).summary()
    assert (before.best_streak, round(before.score_pct)) == (7, 72)
    weeks = past_weeks(repo, clock)
    assert [target for target, _ in weeks] == [14, 14, 14, 14]

    save_reminder_plan(repo, THREE, clock.now())

    after = load_history(repo, clock)
    assert (after.summary().best_streak, round(after.summary().score_pct)) == (7, 72)
    assert after.summary().score_pct == before.score_pct
    assert past_weeks(repo, clock) == weeks
    assert after.cell(TODAY).target == 2, "today keeps the plan it started with"
    assert after.cell(TODAY + timedelta(days=1)).target == 3
    assert after.week_row(TODAY).target == 2 + 6 * 3
    assert after.week_row(TODAY + timedelta(weeks=1)).target == 21
    # The same, read again from the folder, as the Progress page, `stats` and the report do.
    assert past_weeks(Repository.open(data_dir), clock) == weeks


def test_one_reminder_from_now_on_counts_one_a_day_and_leaves_the_past(data_dir: Path) -> None:
    repo = month_of_data(data_dir)
    clock = FakeClock(at(TODAY, 9))
    weeks = past_weeks(repo, clock)
    assert weeks[2][1] is not None and weeks[2][1] < 100  # the week with a day off is not rewritten
    save_reminder_plan(repo, ONE, clock.now())
    assert past_weeks(repo, clock) == weeks
    next_week = TODAY + timedelta(weeks=1)
    repo.add_sessions([session_record(f"n{i}", at(next_week + timedelta(days=i))) for i in range(7)])
    clock.advance(timedelta(weeks=2).total_seconds())
    history = load_history(repo, clock)
    assert history.week_row(next_week).target == 7
    assert history.week_row(next_week).adherence_pct == 100.0
    assert past_weeks(repo, FakeClock(at(TODAY, 9))) == weeks


def test_one_reminder_from_the_start_makes_every_full_week_100(data_dir: Path) -> None:
    repo = month_of_data(data_dir, ONE)  # a week's sessions reach 7 even with the day off
    assert past_weeks(repo, FakeClock(at(TODAY, 9))) == [(7, 100.0)] * 4


def test_old_data_is_read_once_as_todays_plan_from_the_start_and_then_kept(data_dir: Path) -> None:
    repo = month_of_data(data_dir)
    assert repo.state(PLAN_HISTORY_KEY) is None
    clock = FakeClock(at(TODAY, 9))
    history = plan_history(repo, clock.now())
    (start,) = history.changes
    assert (start.kind, start.on, start.reason) == (ChangeKind.START, MONTH_START, REASON_FIRST_READ)
    assert start.reminders == DEFAULT_PLAN
    assert start.routine == plans.active_routine(repo, load_catalogue())
    assert repo.state(PLAN_HISTORY_KEY) == history_to_list(history), "stored at once"

    clock.advance(timedelta(days=3).total_seconds())
    save_reminder_plan(repo, THREE, clock.now())
    save_reminder_plan(repo, ONE, clock.now() + timedelta(days=2))
    again = plan_history(Repository.open(data_dir), clock.now())
    assert again.changes[0] == start, "changing the reminders later never moves the first reading"
    assert [c.reminders for c in again.changes] == [DEFAULT_PLAN, THREE, ONE]


def test_the_first_reading_without_a_programme_start_uses_the_first_sessions_day(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.add_sessions([session_record("late", datetime(2026, 3, 4, 23, 30, tzinfo=LONDON))])
    assert plan_history(repo, at(TODAY)).changes[0].on == date(2026, 3, 4)
    empty = Repository.open(data_dir / "empty")
    assert plan_history(empty, at(TODAY)).changes[0].on == TODAY


def test_a_change_today_applies_from_tomorrow_and_the_later_of_two_wins(data_dir: Path) -> None:
    repo = month_of_data(data_dir)
    now = at(TODAY, 10)
    save_reminder_plan(repo, THREE, now)
    save_reminder_plan(repo, ONE, now + timedelta(hours=2))
    history = plan_history(repo, now)
    assert [(c.on, c.reminders) for c in history.changes] == [
        (MONTH_START, DEFAULT_PLAN),
        (TODAY + timedelta(1), ONE),
    ]
    assert (history.target_for(TODAY), history.target_for(TODAY + timedelta(days=1))) == (2, 1)

    save_reminder_plan(repo, DEFAULT_PLAN, now + timedelta(hours=3))  # back as it was: nothing changes
    assert len(plan_history(repo, now).changes) == 1
    assert record_plan_change(repo, now, ChangeKind.REMINDERS, REASON_REMINDERS) is None, "nothing differs"
    assert len(plan_history(repo, now).changes) == 1


def test_a_new_programme_uses_the_plan_set_on_its_first_day(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    now = at(TODAY, 9)
    assert plan_history(repo, now).changes[0].on == TODAY
    save_reminder_plan(repo, ONE, now)
    (start,) = plan_history(repo, now).changes
    assert (start.on, start.kind, start.reminders) == (TODAY, ChangeKind.START, ONE)
    assert load_history(repo, ManualClock(now)).cell(TODAY).target == 1


def test_a_damaged_history_entry_is_skipped_with_a_log_line(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    repo = month_of_data(data_dir)
    clock = FakeClock(at(TODAY, 9))
    save_reminder_plan(repo, THREE, clock.now())
    stored = repo.state(PLAN_HISTORY_KEY)
    repo.set_state(PLAN_HISTORY_KEY, [stored[0], {"on": "2026-03-10", "kind": "sideways"}, 7, stored[1]])
    with caplog.at_level(logging.WARNING):
        history = load_history(repo, clock)
    assert history.cell(TODAY).target == 2 and history.cell(TODAY + timedelta(days=1)).target == 3
    assert sum("Skipping plan change" in r.getMessage() for r in caplog.records) == 2

    repo.set_state(PLAN_HISTORY_KEY, "not a list")  # nothing readable: read again from today's plan
    (start,) = plan_history(repo, clock.now()).changes
    assert (start.on, start.reminders) == (MONTH_START, THREE)


# --- the saves that record a change ------------------------------------------------------------------------


def test_routine_saves_record_their_reason_and_a_new_phase(data_dir: Path, tmp_path: Path) -> None:
    repo = month_of_data(data_dir)
    catalogue = load_catalogue()
    clock = FakeClock(at(TODAY, 9))
    mobility = plans.active_routine(repo, catalogue)
    shorter = Routine(mobility.phase, mobility.items[:2])
    plans.save_routine(repo, shorter, clock.now(), REASON_BY_HAND)
    clock.advance(timedelta(days=1).total_seconds())
    strength = catalogue.default_routine(Phase.STRENGTH)
    prescription = tmp_path / "from-my-physio.json"
    routines.export_prescription(prescription, strength)
    routines.import_prescription(repo, prescription, catalogue, clock)
    changes = plan_history(repo, clock.now()).changes
    assert [(c.on, c.kind, c.reason) for c in changes[1:]] == [
        (TODAY + timedelta(days=1), ChangeKind.ROUTINE, "Changed by hand in Routine"),
        (
            TODAY + timedelta(days=2),
            ChangeKind.PHASE,
            "Imported from a prescription file (from-my-physio.json)",
        ),
    ]
    assert [c.routine for c in changes] == [mobility, shorter, strength]
    assert plan_history(repo, clock.now()).routine_on(TODAY) == mobility
    plans.save_routine(repo, mobility)  # set-up without a time (tests, demo data): stored only
    assert len(plan_history(repo, clock.now()).changes) == 3


def test_accepting_a_suggestion_records_it(data_dir: Path) -> None:
    from sciatica_coach.core.progression import ChangeKind as ProposalKind
    from sciatica_coach.core.progression import Proposal

    repo = month_of_data(data_dir)
    catalogue = load_catalogue()
    clock = FakeClock(at(TODAY, 9))
    proposal = Proposal(
        kind=ProposalKind.PHASE_UP, title="Move on to phase 2?", reason="", question="",
        from_phase=Phase.MOBILITY, to_phase=Phase.STRENGTH,
        new_routine=catalogue.default_routine(Phase.STRENGTH),
    )  # fmt: skip
    routines.accept(repo, catalogue, clock, proposal)
    last = plan_history(repo, clock.now()).changes[-1]
    assert (last.kind, last.reason) == (ChangeKind.PHASE, "Accepted a suggestion: Move on to phase 2")


def test_reminders_set_on_the_command_line_records_the_change(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sciatica_coach.cli.main import main
    from sciatica_coach.core import clock as clock_module

    month_of_data(data_dir).close()
    monkeypatch.setattr(clock_module, "SystemClock", lambda: ManualClock(at(TODAY, 9)))
    assert main(["--data-dir", str(data_dir), "reminders", "set", "08:00", "13:00", "19:00"]) == 0
    history = plan_history(Repository.open(data_dir), at(TODAY, 9))
    assert [(c.on, c.reminders) for c in history.changes] == [
        (MONTH_START, DEFAULT_PLAN),
        (TODAY + timedelta(1), THREE),
    ]

    assert main(["--data-dir", str(data_dir), "stats", "--weeks", "5"]) == 0
    out = capsys.readouterr().out
    assert "best: 7; habit score 72 %." in out
    assert "Plan changes in these weeks (each week is measured against its own plan): from 2026-03-31, " \
        "Reminders changed." in out  # fmt: skip
    assert main(["--data-dir", str(data_dir), "stats", "--weeks", "1"]) == 0
    assert "Plan changes in these weeks" in capsys.readouterr().out
    monkeypatch.setattr(clock_module, "SystemClock", lambda: ManualClock(at(TODAY + timedelta(weeks=2))))
    assert main(["--data-dir", str(data_dir), "stats", "--weeks", "1"]) == 0
    assert "Plan changes in these weeks: none." in capsys.readouterr().out


def test_the_reminder_service_records_the_plan_it_stores(data_dir: Path, qapp: object) -> None:
    from sciatica_coach.services.reminders import ReminderService

    repo = month_of_data(data_dir)
    service = ReminderService(repo, FakeClock(at(TODAY, 9)), timer_factory=lambda _cb: None)  # type: ignore[arg-type, return-value]
    service.set_plan(THREE)
    assert plan_history(repo, at(TODAY)).reminders_on(TODAY + timedelta(days=1)) == THREE
    assert reminder_plan(repo) == THREE


def test_the_reminders_and_routine_pages_record_their_saves(qtbot: object, data_dir: Path) -> None:
    from PySide6.QtCore import Qt

    from sciatica_coach.platform.autostart import XdgAutostart
    from sciatica_coach.views.context import AppContext
    from sciatica_coach.views.reminders_page import RemindersPage
    from sciatica_coach.views.routine_page import RoutinePage

    repo = month_of_data(data_dir)
    ctx = AppContext(repo, clock=FakeClock(at(TODAY, 9)))
    page = RemindersPage(ctx, XdgAutostart(command=["sciatica-coach"]))
    qtbot.addWidget(page)  # type: ignore[attr-defined]
    field = page.rows[1].time
    field.clear()
    qtbot.keyClicks(field, "18:30")  # type: ignore[attr-defined]
    qtbot.keyClick(field, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    last = plan_history(repo, at(TODAY)).changes[-1]
    assert (last.kind, last.reason, last.on) == (
        ChangeKind.REMINDERS,
        "Reminders changed",
        TODAY + timedelta(1),
    )

    routine_page = RoutinePage(ctx)
    qtbot.addWidget(routine_page)  # type: ignore[attr-defined]
    routine_page._set_draft(Routine(Phase.MOBILITY, routine_page.draft().items[:1]), dirty=True)
    assert routine_page.save()
    last = plan_history(repo, at(TODAY)).changes[-1]
    assert (last.kind, last.reason) == (ChangeKind.ROUTINE, "Changed by hand in Routine")
    assert len(last.routine.items) == 1 and last.reminders.reminders[1].slot == "18:30"


# --- export and import -------------------------------------------------------------------------------------


def test_the_json_export_carries_the_history_and_an_empty_folder_takes_it(data_dir: Path) -> None:
    repo = month_of_data(data_dir)
    save_reminder_plan(repo, THREE, at(TODAY))
    history = plan_history(repo, at(TODAY))
    text = export_json(repo, at(TODAY))
    assert json.loads(text)["plan_history"] == history_to_list(history)

    elsewhere = Repository.open(data_dir / "elsewhere")
    plan_history(elsewhere, at(TODAY))  # the app opened there first: only a first reading of its own
    apply_import(elsewhere, parse_import(text.encode()))
    assert plan_history(elsewhere, at(TODAY)) == history
    assert past_weeks(elsewhere, FakeClock(at(TODAY, 9))) == past_weeks(repo, FakeClock(at(TODAY, 9)))

    own = Repository.open(data_dir / "own")
    save_reminder_plan(own, ONE, at(TODAY - timedelta(days=1)))
    save_reminder_plan(own, DEFAULT_PLAN, at(TODAY))
    kept = plan_history(own, at(TODAY))
    apply_import(own, parse_import(text.encode()))
    assert plan_history(own, at(TODAY)) == kept, "a folder's own history is never replaced"


def test_an_export_without_a_history_still_imports(data_dir: Path) -> None:
    repo = month_of_data(data_dir)
    payload = json.loads(export_json(repo, at(TODAY)))
    del payload["plan_history"]
    bundle = parse_import(json.dumps(payload).encode())
    assert bundle.plan_history is None
    payload["plan_history"] = [{"on": "garbage"}]  # a damaged history never refuses the file
    assert parse_import(json.dumps(payload).encode()).plan_history is None


# --- the property ------------------------------------------------------------------------------------------


PLANS = [
    DEFAULT_PLAN,
    THREE,
    ONE,
    ReminderPlan(()),
    ReminderPlan((Reminder(time(7, 0), frozenset({0, 2, 4})),)),
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.integers(0, 20), st.integers(0, 23), st.sampled_from(PLANS)), max_size=6))
def test_adding_a_change_never_moves_the_weeks_before_it(tmp_path: Path, steps: list) -> None:  # type: ignore[type-arg]
    import tempfile

    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        repo = month_of_data(Path(folder))
        now = at(TODAY, 0)
        for days, hour, plan in steps:
            now = datetime.combine(now.date() + timedelta(days=days), time(hour, 0), LONDON)
            clock = ManualClock(now)
            before = load_history(repo, clock)
            weeks_before = before.weekly_table(12)
            save_reminder_plan(repo, plan, now)
            after = load_history(repo, clock)
            for old, new in zip(weeks_before, after.weekly_table(12), strict=True):
                if old.end < now.date():  # every week that ended before the change was made
                    assert (new.target, new.adherence_pct) == (old.target, old.adherence_pct)
            assert after.cell(now.date()).target == before.cell(now.date()).target, "today keeps its plan"
            assert after.best_streak >= 0 and after.cell(now.date() + timedelta(days=1)).target == len(
                plan.enabled_on((now.date() + timedelta(days=1)).weekday())
            )
        history = plan_history(repo, now)
        assert history.changes[0].on == MONTH_START and history.changes[0].reminders == DEFAULT_PLAN
        repo.close()


def test_plans_used_here_are_valid() -> None:
    for plan in PLANS:
        try:
            check(plan)
        except PlanError as err:  # pragma: no cover - a broken test table
            pytest.fail(str(err))
    assert history_from_list([]).changes == ()
