"""The clinician report: one page, the headline figures readable as text, tolerant of any stored routine."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from sciatica_coach.core.demo import generate_demo_history
from sciatica_coach.core.model import (
    ExerciseRecord,
    LegReach,
    Outcome,
    PainReport,
    Phase,
    SafetyEvent,
    SafetyEventKind,
)
from sciatica_coach.progress_data import load_history
from sciatica_coach.report import gather, render_report_pdf, routine_lines
from sciatica_coach.storage.repository import Repository
from tests.helpers import FakeClock, session_record

NOW = datetime(2026, 3, 4, 12, 30, tzinfo=ZoneInfo("Europe/London"))
PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture
def demo_repo(data_dir: Path) -> Repository:
    repo = Repository.open(data_dir)
    demo = generate_demo_history(20, NOW)
    repo.add_sessions(list(demo.sessions))
    repo.add_safety_events(list(demo.safety_events))
    repo.add_excused_days(demo.excused_days)
    repo.set_state("plan_start", demo.plan_start.isoformat())
    return repo


def pdf_text(path: Path) -> str:
    done = subprocess.run(
        [PDFTOTEXT or "pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


def test_report_is_one_pdf_page_with_the_headline_figures(
    qtbot: QtBot, demo_repo: Repository, tmp_path: Path
) -> None:
    clock = FakeClock(NOW)
    blob = render_report_pdf(demo_repo, clock, weeks=12)
    assert blob.startswith(b"%PDF-")
    data = gather(demo_repo, clock, weeks=12)
    summary = load_history(demo_repo, clock).summary()
    assert len(data.rows) == 12 and data.safety.events
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed, so the PDF's text can't be read back")
    path = tmp_path / "r.pdf"
    path.write_bytes(blob)
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
        assert re.search(r"^Pages:\s+1$", info.stdout, re.MULTILINE)
    text = " ".join(pdf_text(path).split())
    assert "Exercise and pain summary" in text
    assert f"{data.done} of {data.planned}" in text
    assert f"{summary.adherence_4w_pct:.0f}%" in text
    assert f"{summary.score_pct:.0f}%" in text
    assert f"best {summary.best_streak}" in text
    assert "Default phase 1 routine" in text
    assert "Safety events" in text and "Leg symptoms spread further down" in text
    assert summary.leg_change is not None
    assert f"Leg pain is {abs(summary.leg_change.change):.1f} points lower" in text
    assert "not a diagnosis" in text


def test_report_with_no_history_still_makes_a_page(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    blob = render_report_pdf(repo, FakeClock(NOW), weeks=4)
    assert blob.startswith(b"%PDF-")


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


def test_accepted_routine_changes_are_in_the_report(
    qtbot: QtBot, demo_repo: Repository, tmp_path: Path
) -> None:
    from sciatica_coach.core.progression import ChangeKind, Decision, decision_to_dict

    decided = NOW - timedelta(days=3)
    accepted = Decision(decided, True, ChangeKind.PHASE_UP, "Move on?", "r", Phase.MOBILITY, Phase.STRENGTH)
    declined = Decision(decided, False, ChangeKind.PHASE_UP, "Move on?", "r", Phase.MOBILITY, Phase.STRENGTH)
    demo_repo.set_state("progression_history", [decision_to_dict(accepted), decision_to_dict(declined)])
    data = gather(demo_repo, FakeClock(NOW), weeks=12)
    assert data.routine_changes == (f"{decided.date().isoformat()}: Moved from phase 1 to phase 2",)
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed, so the PDF's text can't be read back")
    path = tmp_path / "r.pdf"
    path.write_bytes(render_report_pdf(demo_repo, FakeClock(NOW), weeks=12))
    assert "Moved from phase 1 to phase 2" in " ".join(pdf_text(path).split())


# ---- safety events and leg reach (issue 14, points 7 and 11) ---------------------------------------------
def _one_page_text(repo: Repository, tmp_path: Path, weeks: int = 4) -> str:
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed, so the PDF's text can't be read back")
    path = tmp_path / "r.pdf"
    path.write_bytes(render_report_pdf(repo, FakeClock(NOW), weeks=weeks))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+1$", info.stdout, re.MULTILINE)
    return " ".join(unicodedata.normalize("NFKC", pdf_text(path)).split())  # "ﬂ" ligatures back to "fl"


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
    text = _one_page_text(repo, tmp_path)
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
    text = _one_page_text(repo, tmp_path)
    assert "further down 1 time, last on" in text
    assert "less far down 1 time (usually a good sign)" in text


def test_a_safety_stop_from_before_events_were_kept_is_still_listed(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    repo = Repository.open(data_dir)
    repo.save_session(
        session_record("r1", NOW - timedelta(days=1), outcome=Outcome.SAFETY_STOP, reason="Pain 7 out of 10")
    )
    assert "Session ended early. Pain 7 out of 10." in _one_page_text(repo, tmp_path)


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
    text = _one_page_text(repo, tmp_path)
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
    text = _one_page_text(repo, tmp_path)
    assert "Have you ever had cancer?" in text
    assert "Confirmed that a doctor has said the exercises can go on." in text, "why coaching went on"
