"""The clinician report: page 1 the overview, page 2 the details; the headline figures readable as text and
the same as `stats`, the Progress page and the long CSV; plan changes with their dates and reasons; the
trend's weeks named and never "lower" while the recent trend rises; tolerant of any stored routine."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import unicodedata
from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from sciatica_coach.core.adherence import build_history
from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.demo import generate_demo_history
from sciatica_coach.core.model import (
    ExerciseRecord,
    LegReach,
    Outcome,
    PainReport,
    Phase,
    SafetyEvent,
    SafetyEventKind,
    SymptomChange,
)
from sciatica_coach.core.plan_history import (
    PLAN_HISTORY_KEY,
    REASON_BY_HAND,
    REASON_FIRST_READ,
    REASON_PRESCRIPTION,
    REASON_REMINDERS,
    REASON_SUGGESTION,
    ChangeKind,
    PlanChange,
    PlanHistory,
    history_to_list,
    routine_to_dict,
)
from sciatica_coach.core.schedule import Reminder, ReminderPlan, default_plan, plan_to_dict
from sciatica_coach.services.progress_data import load_history
from sciatica_coach.services.report import gather, render_report_pdf, routine_lines
from sciatica_coach.services.report_data import (
    LONG_CSV_COLUMNS,
    day_ranges,
    long_csv,
    pain_trend_sentence,
    trend_span,
)
from sciatica_coach.storage.repository import Repository
from tests.helpers import FakeClock, session_record

NOW = datetime(2026, 3, 4, 12, 30, tzinfo=ZoneInfo("Europe/London"))
PDFTOTEXT = shutil.which("pdftotext")


def store_demo(data_dir: Path, weeks: int, now: datetime = NOW) -> Repository:
    """A demo history of `weeks` weeks with plan changes as the app records them: the plan from the start, a
    dose changed by hand, fewer reminders (evenings on weekdays only) from about half-way, each phase change
    as an accepted suggestion, and a prescription file imported five days ago (one exercise fewer)."""
    repo = Repository.open(data_dir)
    demo = generate_demo_history(weeks, now)
    repo.add_sessions(list(demo.sessions))
    repo.add_safety_events(list(demo.safety_events))
    repo.add_excused_days(demo.excused_days)
    repo.set_state("plan_start", demo.plan_start.isoformat())
    catalogue = load_catalogue()
    start, today = demo.plan_start, now.date()
    total = (today - start).days + 1
    steps: list[tuple[date, ChangeKind, str, Phase | None]] = [
        (start + timedelta(days=min(9, total - 2)), ChangeKind.ROUTINE, REASON_BY_HAND, None),
        (start + timedelta(days=total // 2), ChangeKind.REMINDERS, REASON_REMINDERS, None),
        (
            today - timedelta(days=5),
            ChangeKind.ROUTINE,
            REASON_PRESCRIPTION.format(name="physio-march.json"),
            None,
        ),
    ]
    phase = Phase.MOBILITY
    for session in demo.sessions:
        if session.phase != phase:
            phase = session.phase
            reason = REASON_SUGGESTION.format(summary=f"move on to phase {int(phase)}")
            steps.append((session.started_at.date(), ChangeKind.PHASE, reason, phase))
    reminders = default_plan()
    routine = catalogue.default_routine(Phase.MOBILITY)
    changes = [
        PlanChange(
            start, _evening_before(start, now), ChangeKind.START, REASON_FIRST_READ, reminders, routine
        )
    ]
    for day, kind, reason, new_phase in sorted(steps, key=lambda step: step[0]):
        if new_phase is not None:
            routine = catalogue.default_routine(new_phase)
        elif kind is ChangeKind.REMINDERS:
            reminders = ReminderPlan((Reminder(time(8, 0)), Reminder(time(19, 0), frozenset(range(5)))))
        elif reason == REASON_BY_HAND:
            first = routine.items[0]
            more = replace(first, dose=first.dose.with_changes(reps=first.dose.reps + 2))
            routine = replace(routine, items=(more, *routine.items[1:]))
        else:
            routine = replace(routine, items=routine.items[:-1])
        changes.append(PlanChange(day, _evening_before(day, now), kind, reason, reminders, routine))
    repo.set_state(PLAN_HISTORY_KEY, history_to_list(PlanHistory(changes)))
    repo.set_state("routine", routine_to_dict(routine))
    repo.set_state("reminder_plan", plan_to_dict(reminders))
    return repo


def _evening_before(day: date, now: datetime) -> datetime:
    return datetime.combine(day - timedelta(days=1), time(20, 0), tzinfo=now.tzinfo)


@pytest.fixture
def demo_repo(data_dir: Path) -> Repository:
    return store_demo(data_dir, 20)


def _pdf_to_text(path: Path, page: int | None = None, layout: bool = False) -> str:
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed, so the PDF's text can't be read back")
    pages = ["-f", str(page), "-l", str(page)] if page else []
    done = subprocess.run(
        [PDFTOTEXT, *pages, *(["-layout"] if layout else []), str(path), "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return " ".join(unicodedata.normalize("NFKC", done.stdout).split())  # "ﬂ" ligatures back to "fl"


def _pages(path: Path) -> int:
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)
    assert found
    return int(found.group(1))


def _report_text(repo: Repository, tmp_path: Path, weeks: int = 4, name: str = "") -> str:
    """The whole report's text; a report of up to 12 weeks fits on two pages."""
    path = tmp_path / "r.pdf"
    path.write_bytes(render_report_pdf(repo, FakeClock(NOW), weeks=weeks, name=name))
    text = _pdf_to_text(path)
    assert _pages(path) <= 2
    return text


def test_page_one_is_the_overview_and_page_two_the_details(
    qtbot: QtBot, demo_repo: Repository, tmp_path: Path
) -> None:
    clock = FakeClock(NOW)
    blob = render_report_pdf(demo_repo, clock, weeks=12)
    assert blob.startswith(b"%PDF-")
    data = gather(demo_repo, clock, weeks=12)
    summary = load_history(demo_repo, clock).summary()
    assert len(data.rows) == 12 and data.safety.events
    path = tmp_path / "r.pdf"
    path.write_bytes(blob)
    pages = _pages(path)
    assert pages in (2, 3), "the overview, the details (and the safety events for a long history)"
    first, details = _pdf_to_text(path, 1), " ".join(_pdf_to_text(path, n) for n in range(2, pages + 1))
    assert "Exercise and pain summary" in first and f"Page 1 of {pages}" in first
    assert f"{data.done} of {data.planned}" in first
    assert f"{summary.adherence_4w_pct:.0f}%" in first
    assert f"{summary.score_pct:.0f}%" in first
    assert f"best {summary.best_streak}" in first
    assert "Sessions each week, against the plan in force that week" in first
    assert "Pain before and after sessions" in first and "After sessions compared with before" in first
    assert "computed over weeks 7–12 of this report (26 Jan – 4 Mar)" in first
    assert (
        "How far down the leg symptoms reached" in first
        and "Leg symptoms reached" in first
        and "after the session" in first
    )
    assert "Routine at the end of the period" in first and data.routine in first
    assert "Safety at a glance" in first and "“yes” on" in first
    for (
        week
    ) in data.rows:  # adherence per week, written under each bar, with the plan it was measured against
        assert f"{week.completed}" + (f"+{week.partial}" if week.partial else "") + f"/{week.target}" in first
    for heading in ("Week by week", "Each exercise", "Why sessions ended early", "Flare days and red-flag answers",
                    "Routine and plan changes", "Safety events"):  # fmt: skip
        assert heading in details, heading
    assert "Leg symptoms spread further down" in details
    assert "not a diagnosis" in first and f"Page {pages} of {pages}" in details


def test_with_no_history_the_report_still_has_its_pages(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    repo = Repository.open(data_dir)
    text = _report_text(repo, tmp_path, weeks=4)
    assert "0 of 10" in text and "No exercises were recorded in the period." in text
    assert "No sessions in the period." in text
    assert "too few weekly ratings" in text


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (None, "Default phase 1 routine (gentle mobility)."),
        ("garbage", "Default phase 1 routine (gentle mobility)."),
        ({"phase": 2, "items": [{"exercise_id": "bridge", "dose": {"reps": 10, "sets": 2, "hold_s": 5}}]},
         "Phase 2 (strengthening): Bridge (2 × 10, hold 5 s)."),
        ({"phase": 1, "items": [{"exercise": "pelvic-tilt", "reps": 10, "sets": 1}, "junk", {"x": 1}]},
         "Phase 1 (gentle mobility): Pelvic tilt (10 reps)."),
        ({"phase": 7, "items": [{"exercise_id": "no-such-thing"}]}, "Routine: No such thing."),
    ],
)  # fmt: skip
def test_routine_is_read_tolerantly(data_dir: Path, stored: object, expected: str) -> None:
    repo = Repository.open(data_dir)
    if stored is not None:
        repo.set_state("routine", stored)
    assert routine_lines(repo) == expected


# ---- plan changes, the name, the trend (issue 16, point 3) ------------------------------------------------------
def test_plan_changes_are_listed_with_dates_and_reasons_and_each_week_has_its_own_plan(
    qtbot: QtBot, demo_repo: Repository, tmp_path: Path
) -> None:
    data = gather(demo_repo, FakeClock(NOW), weeks=20)
    reasons = [change.reason for change in data.changes]
    assert data.changes[0].on == data.period_start and data.changes[0].what.startswith(
        "In force when the period began: Phase 1 (gentle mobility): Pelvic tilt"
    ), "the plan the period began with comes first"
    assert REASON_BY_HAND in reasons and REASON_REMINDERS in reasons
    assert "Imported from a prescription file (physio-march.json)" in reasons
    assert "Accepted a suggestion: move on to phase 2" in reasons
    fewer_from = next(change.on for change in data.changes if change.reason == REASON_REMINDERS)
    before = [row for row in data.rows if row.end < fewer_from and not row.excused_days]
    after = [
        row for row in data.rows if row.start >= fewer_from and not row.excused_days and not row.in_progress
    ]
    assert before and after
    assert {row.target for row in before} == {14} and {row.target for row in after} == {12}
    reminders = next(change.what for change in data.changes if change.reason == REASON_REMINDERS)
    assert (
        reminders == "Reminders: 08:00 and 19:00 daily (14 a week) → 08:00 and 19:00 on some days (12 a week)"
    )
    prescribed = next(change.what for change in data.changes if "physio-march" in change.reason)
    assert prescribed.startswith("Routine: Removed ")
    assert data.routine == routine_lines(demo_repo), "the routine in force at the end: the one stored now"
    path = tmp_path / "r.pdf"
    path.write_bytes(render_report_pdf(demo_repo, FakeClock(NOW), weeks=20))
    text = _pdf_to_text(path)
    assert "physio-march.json" in text and "Changed by hand in Routine" in text
    assert "(12 a week)" in text and "move on to phase 2" in text
    changed = sum(change.is_change for change in data.changes)
    assert not data.changes[0].is_change and changed == len(data.changes) - 1
    assert (
        f"{changed} routine or plan changes in the period: see “Routine and plan changes” in the details"
        in text
    )


def test_the_name_or_identifier_is_printed_or_a_line_is_left_for_it(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    repo = Repository.open(data_dir)
    assert "Name or identifier: A. Patient, ref 4471 Period:" in _report_text(
        repo, tmp_path, name="  A. Patient,\n ref 4471 "
    )
    text = _report_text(repo, tmp_path)
    assert "Name or identifier: Period:" in text, "nothing printed: a line to write on"


def _rising_again(days: int = 70) -> list[tuple[datetime, int]]:
    """Leg pain that falls from 8 to 2 over six weeks, then climbs back to 5: lower than at the start, but
    rising for the last weeks."""
    weekly = [8, 7, 6, 5, 4, 3, 2, 3, 4, 5]
    first = NOW - timedelta(days=days - 1)
    return [(first + timedelta(days=i), weekly[min(len(weekly) - 1, i // 7)]) for i in range(days)]


def test_a_rising_recent_trend_is_never_reported_as_lower(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    repo = Repository.open(data_dir)
    repo.add_sessions(
        [session_record(f"s{i}", moment, pain_before=PainReport(3, leg, LegReach.THIGH))
         for i, (moment, leg) in enumerate(_rising_again())]
    )  # fmt: skip
    data = gather(repo, FakeClock(NOW), weeks=12)
    assert data.summary.leg_change is not None and data.summary.leg_change.change < -2, (
        "lower than at the start"
    )
    assert data.leg_slope is not None and data.leg_slope > 0, "but rising over the last weeks"
    text = _report_text(repo, tmp_path, weeks=12)
    assert "Leg pain before sessions was rising" in text
    assert "computed over weeks 7–12 of this report" in text
    assert "points lower" not in text and "Leg pain is" not in text
    assert "as it has been rising lately, no overall change is claimed" in text


@given(
    slope=st.one_of(st.none(), st.floats(-5, 5, allow_nan=False)),
    first=st.floats(0, 10, allow_nan=False),
    last=st.floats(0, 10, allow_nan=False),
)
def test_the_trend_sentence_never_contradicts_the_recent_slope(
    slope: float | None, first: float, last: float
) -> None:
    from sciatica_coach.core.adherence import PainChange

    day = date(2026, 1, 1)
    change = PainChange(first, last, last - first, abs(last - first) >= 2, (day, day), (day, day))
    sentence = pain_trend_sentence("Leg", slope, change, "weeks 7–12 of this report")
    assert "weeks 7–12 of this report" in sentence
    if slope is not None and slope > 0:
        assert "lower" not in sentence and "was falling" not in sentence
    if slope is not None and slope < 0:
        assert "higher" not in sentence and "was rising" not in sentence


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=2, max_size=16))
def test_weekly_pain_series_rising_recently_are_never_called_lower(weekly: list[int | None]) -> None:
    """Any weekly leg-pain series (a week may have no ratings), through the adherence maths to the words."""
    zone = NOW.tzinfo
    assert zone is not None
    monday = NOW.date() - timedelta(days=NOW.weekday() + 7 * (len(weekly) - 1))
    sessions = [
        session_record(f"s{w}-{d}", datetime.combine(monday + timedelta(weeks=w, days=d), time(9), tzinfo=zone),
                       pain_before=PainReport(2, leg, LegReach.THIGH))
        for w, leg in enumerate(weekly) if leg is not None
        for d in range(7) if monday + timedelta(weeks=w, days=d) <= NOW.date()
    ]  # fmt: skip
    history = build_history(sessions, tz=zone, today=NOW.date())
    rows = history.weekly_table(len(weekly))
    trend = history.pain_trend(min(6, len(rows)))
    sentence = pain_trend_sentence(
        "Leg", trend.leg_slope_per_week, trend.leg_change, trend_span(rows, 6, NOW.date())
    )
    if trend.leg_slope_per_week is not None and trend.leg_slope_per_week > 0:
        assert "lower" not in sentence
    assert f"weeks {max(1, len(rows) - 5)}–{len(rows)} of this report" in sentence


# ---- the same figures everywhere -----------------------------------------------------------------------------
STATS_ROW = re.compile(r"^(\d{4}-W\d\d)\*?\s+(\d{4}-\d\d-\d\d)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)", re.MULTILINE)


@pytest.mark.parametrize("weeks", [4, 12, 52])
def test_stats_progress_the_pdf_and_the_csv_agree(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], weeks: int,
) -> None:  # fmt: skip
    from sciatica_coach.cli.main import main
    from sciatica_coach.services.progress_text import fmt_pct, short_date
    from tests.helpers import progress_page

    repo = store_demo(data_dir, weeks)
    clock = FakeClock(NOW)
    history = load_history(repo, clock)
    summary = history.summary()
    data = gather(repo, clock, weeks=weeks)
    page = progress_page(qtbot, repo, NOW)
    assert page.figures["adherence_4w"].text() == fmt_pct(summary.adherence_4w_pct)
    assert page.figures["score"].text() == fmt_pct(summary.score_pct)
    assert page.figures["streak"].text().startswith(f"{summary.current_streak} day")
    page.set_range(weeks)
    assert page.table.rowCount() == weeks
    for index, week in enumerate(reversed(data.rows)):  # Progress's table: the latest week first
        items = [page.table.item(index, column) for column in range(1, 5)]
        shown = [item.text() if item is not None else "" for item in items]
        assert shown == [
            str(week.completed),
            str(week.partial),
            str(week.target),
            fmt_pct(week.adherence_pct),
        ]
    repo.close()

    monkeypatch.setattr("sciatica_coach.core.clock.SystemClock", lambda: FakeClock(NOW))
    monkeypatch.setattr("sciatica_coach.services.report_data.SystemClock", lambda: FakeClock(NOW))
    assert main(["--data-dir", str(data_dir), "stats", "--weeks", str(weeks)]) == 0
    stats = capsys.readouterr().out
    pdf, table = tmp_path / "r.pdf", tmp_path / "r.csv"
    assert main(["--data-dir", str(data_dir), "report", "-o", str(pdf), "--csv", str(table),
                 "--weeks", str(weeks)]) == 0  # fmt: skip
    stats_rows = {found[1]: found[2:] for found in STATS_ROW.findall(stats)}
    assert len(stats_rows) == weeks
    streak = re.search(r"Current streak: (\d+) day\(s\); best: (\d+); habit score (\d+) %", stats)
    assert streak and streak.groups() == (str(summary.current_streak), str(summary.best_streak),
                                          f"{summary.score_pct:.0f}")  # fmt: skip

    text = _pdf_to_text(pdf, layout=True)
    assert _pages(pdf) <= (2 if weeks <= 4 else 3)
    assert f"best {summary.best_streak}" in text and f"{summary.score_pct:.0f}%" in text
    assert f"{data.done} of {data.planned}" in text
    rows = list(csv.DictReader(io.StringIO(table.read_text())))
    assert tuple(rows[0]) == LONG_CSV_COLUMNS
    sessions: dict[str, dict[str, str]] = {}
    for row in rows:
        sessions.setdefault(row["session_id"], row)
    per_week: dict[date, list[dict[str, str]]] = defaultdict(list)
    for row in sessions.values():
        day = date.fromisoformat(row["date"])
        per_week[day - timedelta(days=day.weekday())].append(row)
        cell = history.cell(day)
        assert int(row["day_target"]) == cell.target and (row["flare_day"] == "yes") == cell.excused
    for number, week in enumerate(data.rows, start=1):
        done, partial, target, adherence = stats_rows[week.start.isoformat()]
        assert (int(done), int(partial), int(target)) == (week.completed, week.partial, week.target)
        assert adherence.replace("-", "–") == fmt_pct(week.adherence_pct)
        in_csv = per_week[week.start]
        assert sum(r["outcome"] == "completed" for r in in_csv) == week.completed
        assert sum(r["outcome"] != "completed" for r in in_csv) == week.partial
        legs = [int(r["pain_before_leg"]) for r in in_csv if r["pain_before_leg"]]
        assert (f"{sum(legs) / len(legs):.1f}" if legs else None) == (
            None if week.leg_pain_mean is None else f"{week.leg_pain_mean:.1f}"
        )
        star = "*" if week.in_progress else ""
        line = f"{number}{star} {short_date(week.start)} {week.target} {week.completed} {week.partial} {fmt_pct(week.adherence_pct)}"
        assert line in text, line


# ---- the long CSV ----------------------------------------------------------------------------------------------
def test_the_long_csv_has_one_row_per_exercise_per_session(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    day = NOW - timedelta(days=1)
    repo.add_sessions(
        [
            session_record(
                "a", day, exercises=(ExerciseRecord("bridge", 10, 10, 2, 2, 5, symptom=None),
                                     ExerciseRecord("pelvic-tilt", 0, 10, 0, 1, 0, skipped=True)),
                outcome=Outcome.ENDED_EARLY, reason="Ran out of time", slot="08:00",
            ),
            session_record("b", day + timedelta(hours=9), exercises=(), outcome=Outcome.SAFETY_STOP,
                           pain_after=None, reason="Pain 7 out of 10"),
        ]
    )  # fmt: skip
    repo.set_excused(day.date(), True)
    rows = list(csv.DictReader(io.StringIO(long_csv(repo, FakeClock(NOW), weeks=4))))
    assert [(r["session_id"], r["exercise_id"]) for r in rows] == [
        ("a", "bridge"),
        ("a", "pelvic-tilt"),
        ("b", ""),
    ]
    bridge, tilt, stopped = rows
    assert bridge["exercise_name"] == "Bridge" and bridge["symptom_answer"] == "unanswered"
    assert (bridge["reps_done"], bridge["reps_planned"], bridge["sets_done"], bridge["sets_planned"]) == (
        "10",
        "10",
        "2",
        "2",
    )
    assert tilt["skipped"] == "yes" and tilt["symptom_answer"] == ""
    assert bridge["start_local"] == f"{day:%H:%M}" and bridge["slot"] == "08:00" and bridge["phase"] == "1"
    assert bridge["outcome"] == "ended-early" and bridge["stop_reason"] == "Ran out of time"
    assert (bridge["pain_before_back"], bridge["pain_before_leg"], bridge["leg_reach_before"]) == (
        "3",
        "3",
        "thigh",
    )
    assert stopped["pain_after_leg"] == "" and stopped["leg_reach_after"] == ""
    assert {r["flare_day"] for r in rows} == {"yes"} and {r["day_target"] for r in rows} == {"0"}


def test_report_command_writes_the_csv_alone_or_asks_for_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sciatica_coach.cli.main import main

    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "demo-data", "--weeks", "3"]) == 0
    out = tmp_path / "long.csv"
    assert main(["--data-dir", str(data), "report", "--csv", str(out), "--weeks", "2"]) == 0
    assert "Saved the CSV to" in capsys.readouterr().out
    assert out.read_text().startswith(",".join(LONG_CSV_COLUMNS) + "\n")
    assert main(["--data-dir", str(data), "report"]) == 2
    assert "-o FILE.pdf, --csv FILE.csv, or both" in capsys.readouterr().err
    assert main(["--data-dir", str(data), "report", "--csv", str(tmp_path / "x.txt")]) == 2
    assert "should end in .csv" in capsys.readouterr().err


# ---- safety events and leg reach (issue 14, points 7 and 11) ---------------------------------------------
def test_safety_events_are_in_the_report_in_plain_words(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    repo = Repository.open(data_dir)
    day = NOW - timedelta(days=2)
    repo.save_session(
        session_record("r1", day, exercises=(ExerciseRecord("bridge", 10, 10, 1, 1, 5, symptom=None),))
    )
    repo.add_safety_events(
        [
            SafetyEvent(day - timedelta(minutes=2), SafetyEventKind.RED_FLAG_ANSWERS, flags=("saddle-numbness",)),
            SafetyEvent(day - timedelta(days=1), SafetyEventKind.RED_FLAG_ANSWERS),  # all "no": counted only
            SafetyEvent(day + timedelta(minutes=3), SafetyEventKind.IT_HURTS, exercise_id="bridge", session_id="r1"),
            SafetyEvent(day + timedelta(minutes=4), SafetyEventKind.UNANSWERED_QUESTION, exercise_id="bridge",
                        session_id="r1"),
            SafetyEvent(day + timedelta(minutes=9), SafetyEventKind.SESSION_STOPPED, detail="Leg pain got worse",
                        session_id="r1"),
        ]
    )  # fmt: skip
    text = _report_text(repo, tmp_path)
    assert "Safety events" in text
    assert "Red-flag questions answered 2 times; 1 with a “yes”." in text
    assert "numbness, tingling or a changed feeling around your genitals" in text
    assert "emergency: advised to go to an emergency department now" in text
    assert "“It hurts” pressed during bridge." in text
    assert "Not answered: whether leg symptoms changed after bridge." in text
    assert "Session ended early. Leg pain got worse." in text
    assert f"{(day - timedelta(minutes=2)):%H:%M}" in text
    assert "After-exercise answers: 0 further down, 0 the same, 0 moved up, 1 not answered." in text


def test_leg_reach_further_down_and_less_far_are_reported(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    repo = Repository.open(data_dir)
    day = NOW - timedelta(days=3)
    repo.add_sessions(
        [
            session_record(
                "r1", day, pain_after=PainReport(3, 4, LegReach.CALF)
            ),  # thigh -> calf: further down
            session_record(
                "r2", day + timedelta(hours=8), pain_after=PainReport(2, 2, LegReach.BUTTOCK)
            ),  # less far
            session_record("r3", day + timedelta(days=1), pain_after=None),  # not asked after: no comparison
        ]
    )
    text = _report_text(repo, tmp_path)
    assert "further down 1 time, last on" in text
    assert "less far down 1 time (usually a good sign)" in text


def test_a_safety_stop_from_before_events_were_kept_is_still_listed(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    repo = Repository.open(data_dir)
    repo.save_session(
        session_record("r1", NOW - timedelta(days=1), outcome=Outcome.SAFETY_STOP, reason="Pain 7 out of 10")
    )
    assert "Session ended early. Pain 7 out of 10." in _report_text(repo, tmp_path)


def test_many_events_are_counted_per_week_and_red_flags_still_listed(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    repo = Repository.open(data_dir)
    first = NOW - timedelta(days=20)  # the 4-week period starts on the Monday 3 weeks back
    events = [
        SafetyEvent(first + timedelta(hours=9 * n), SafetyEventKind.IT_HURTS, exercise_id="bridge")
        for n in range(50)
    ]
    events.append(SafetyEvent(first, SafetyEventKind.RED_FLAG_ANSWERS, flags=("foot-drop",)))
    repo.add_safety_events(events)
    text = _report_text(repo, tmp_path)
    assert "51 safety events. Per week (week starting):" in text
    assert (
        "Has one foot newly started to drop or drag" in text
        and "urgent: advised to see a doctor the same day" in text
    )
    listed = re.search(r"then the latest others \((\d+) in all\)", text)
    assert listed and 10 <= int(listed.group(1)) < 51
    assert text.count("“It hurts” pressed during bridge.") == int(listed.group(1)) - 1


def test_a_doctors_clearance_is_listed_with_the_red_flag_yes_however_many_events(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    repo = Repository.open(data_dir)
    first = NOW - timedelta(days=20)
    events = [
        SafetyEvent(first + timedelta(days=1, hours=9 * n), SafetyEventKind.IT_HURTS, exercise_id="bridge")
        for n in range(50)
    ]
    events.append(SafetyEvent(first, SafetyEventKind.RED_FLAG_ANSWERS, flags=("cancer",)))
    events.append(SafetyEvent(first + timedelta(hours=2), SafetyEventKind.DOCTOR_CLEARED, flags=("cancer",)))
    repo.add_safety_events(events)
    text = _report_text(repo, tmp_path)
    assert "Have you ever had cancer?" in text
    assert "Confirmed that a doctor has said the exercises can go on." in text, "why coaching went on"


def test_the_progress_page_puts_the_name_typed_beside_the_report_button_on_the_report(
    qtbot: QtBot, demo_repo: Repository, tmp_path: Path
) -> None:
    from tests.helpers import progress_page

    page = progress_page(qtbot, demo_repo, NOW)
    assert page.report_name.text() == "" and page.report_name.accessibleName()
    qtbot.keyClicks(page.report_name, "Sam Example, clinic no. 77")  # type: ignore[no-untyped-call]
    path = tmp_path / "from-the-app.pdf"
    assert page.make_report(path)
    assert "Name or identifier: Sam Example, clinic no. 77" in _pdf_to_text(path, 1)
    assert "Sam Example" not in str(demo_repo.settings()), "the name is not stored"


def test_each_exercise_stop_reasons_and_flare_days_are_counted(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    day = NOW - timedelta(days=2)
    bridge = ExerciseRecord("bridge", 10, 10, 2, 2, 5, symptom=SymptomChange.DOWN)
    repo.add_sessions(
        [
            session_record("a", day, exercises=(bridge,)),
            session_record("b", day + timedelta(hours=8), outcome=Outcome.ENDED_EARLY, reason="Ran out of time",
                           exercises=(replace(bridge, reps_done=4, sets_done=1, symptom=None),)),
            session_record("c", day + timedelta(days=1), outcome=Outcome.ENDED_EARLY, reason="Ran out of time",
                           exercises=(replace(bridge, reps_done=0, sets_done=0, skipped=True, symptom=None),)),
            session_record("d", day + timedelta(days=1, hours=8), outcome=Outcome.SAFETY_STOP, reason="",
                           exercises=()),
        ]
    )  # fmt: skip
    repo.add_safety_events(
        [
            SafetyEvent(
                day + timedelta(minutes=3), SafetyEventKind.IT_HURTS, exercise_id="bridge", session_id="a"
            ),
            SafetyEvent(day + timedelta(minutes=4), SafetyEventKind.IT_HURTS),  # no exercise: counted, no row
        ]
    )
    repo.add_excused_days({day.date() - timedelta(days=3), day.date() - timedelta(days=2), day.date()})
    data = gather(repo, FakeClock(NOW), weeks=4)
    [figures] = data.exercises
    assert (figures.exercise_id, figures.in_sessions, figures.full, figures.part, figures.skipped) == (
        "bridge",
        3,
        1,
        1,
        1,
    )
    assert (figures.it_hurts, figures.down, figures.unanswered) == (1, 1, 1)
    assert [(s.outcome, s.reason, s.times) for s in data.stops] == [
        (Outcome.SAFETY_STOP, "No reason given", 1), (Outcome.ENDED_EARLY, "Ran out of time", 2)
    ]  # fmt: skip
    assert data.count(SafetyEventKind.IT_HURTS) == 2
    assert day_ranges(data.flare_days) == [
        (day.date() - timedelta(days=3), day.date() - timedelta(days=2)), (day.date(), day.date())
    ]  # fmt: skip
