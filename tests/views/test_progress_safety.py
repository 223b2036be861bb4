"""Progress shows what happened for safety in the weeks shown: red-flag answers by question and tier, "It hurts",
stops, unanswered questions (never counted as "the same"), and leg reach after a session against before it."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from sciatica_coach.core.model import (
    ExerciseRecord,
    LegReach,
    Outcome,
    PainReport,
    SafetyEvent,
    SafetyEventKind,
    SymptomChange,
)
from sciatica_coach.platform import locale_support
from sciatica_coach.services.progress_data import safety_overview
from sciatica_coach.storage.repository import DataError, Repository
from sciatica_coach.views.context import AppContext
from tests.helpers import FakeClock, progress_page, session_record

TZ = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 4, 12, 0, tzinfo=TZ)
TWO_DAYS_AGO = NOW - timedelta(days=2)


@pytest.fixture
def history(data_dir: Path) -> Repository:
    """Two days ago: a red-flag "yes" (emergency), a session with "It hurts" during the bridge, one question
    skipped and one answered "the same", symptoms reaching the calf after it (thigh before). Six weeks ago: an
    old stop."""
    repo = Repository.open(data_dir)
    repo.add_sessions(
        [
            session_record(
                "p1",
                TWO_DAYS_AGO,
                exercises=(
                    ExerciseRecord("bridge", 10, 10, 1, 1, 5, symptom=None),
                    ExerciseRecord("pelvic-tilt", 10, 10, 1, 1, 5, symptom=SymptomChange.SAME),
                    ExerciseRecord("cat-camel", 0, 10, 0, 1, 5, skipped=True),
                ),
                pain_after=PainReport(3, 4, LegReach.CALF),
            ),
            session_record(
                "p2", NOW - timedelta(weeks=6), outcome=Outcome.SAFETY_STOP, reason="Pain 7 out of 10"
            ),
        ]
    )
    repo.add_safety_events(
        [
            SafetyEvent(TWO_DAYS_AGO - timedelta(minutes=1), SafetyEventKind.RED_FLAG_ANSWERS, flags=("bladder",)),
            SafetyEvent(NOW - timedelta(days=9), SafetyEventKind.RED_FLAG_ANSWERS),
            SafetyEvent(TWO_DAYS_AGO + timedelta(minutes=3), SafetyEventKind.IT_HURTS, exercise_id="bridge",
                        session_id="p1"),
            SafetyEvent(TWO_DAYS_AGO + timedelta(minutes=4), SafetyEventKind.UNANSWERED_QUESTION,
                        exercise_id="bridge", session_id="p1"),
        ]
    )  # fmt: skip
    repo.set_state("plan_start", (NOW - timedelta(weeks=8)).date().isoformat())
    return repo


def shown_text(page) -> str:  # type: ignore[no-untyped-def]
    return " ".join(
        [page.safety_summary.text(), page.safety_events.accessibleDescription(), page.safety_more.text()]
    )


def test_overview_counts_what_happened_honestly(history: Repository) -> None:
    overview = safety_overview(history, NOW.date() - timedelta(weeks=4), NOW.date(), TZ)
    assert [e.kind for e in overview.events] == [
        SafetyEventKind.RED_FLAG_ANSWERS, SafetyEventKind.IT_HURTS, SafetyEventKind.UNANSWERED_QUESTION
    ]  # the all-"no" check is counted, not listed; the old stop is outside the weeks  # fmt: skip
    assert overview.red_flag_checks == 2
    assert overview.not_answered == 1, (
        "the skipped exercise was never asked; the unanswered one is not 'same'"
    )
    assert overview.answers == {SymptomChange.UP: 0, SymptomChange.SAME: 1, SymptomChange.DOWN: 0}
    assert overview.reach_further == (TWO_DAYS_AGO.date(),) and overview.reach_less == ()


def test_progress_shows_the_safety_events_of_the_weeks_shown(qtbot: QtBot, history: Repository) -> None:
    page = progress_page(qtbot, history, NOW)
    page.set_range(4)
    text = shown_text(page)
    assert "Red-flag questions answered 2 times; 1 with a “yes”." in text
    assert "trouble starting, stopping or controlling when you pass urine" in text
    assert "emergency: advised to go to an emergency department now" in text
    assert "“It hurts” pressed during bridge." in text
    assert "Not answered: whether leg symptoms changed after bridge." in text
    assert "After-exercise answers: 0 further down, 1 the same, 0 moved up, 1 not answered." in text
    assert "further down 1 time, last on 2 Mar" in text
    assert "Pain 7 out of 10" not in text, "six weeks ago is outside the last 4 weeks"
    assert page.safety_events.isVisible() and not page.safety_more.isVisible()
    page.set_range(12)
    assert "Session ended early. Pain 7 out of 10." in shown_text(page)


def test_progress_says_plainly_when_nothing_happened(qtbot: QtBot, data_dir: Path) -> None:
    page = progress_page(qtbot, Repository.open(data_dir), NOW)
    assert page.safety_summary.text().startswith("No safety events in the last 12 weeks")
    assert not page.safety_events.isVisible()


def test_only_the_latest_are_listed_and_the_rest_counted(qtbot: QtBot, data_dir: Path) -> None:
    from sciatica_coach.views.progress_page import SAFETY_EVENTS_SHOWN

    repo = Repository.open(data_dir)
    repo.add_safety_events(
        [
            SafetyEvent(NOW - timedelta(hours=5 * n), SafetyEventKind.IT_HURTS)
            for n in range(SAFETY_EVENTS_SHOWN + 3)
        ]
    )
    page = progress_page(qtbot, repo, NOW)
    assert page.safety_events.text().count("<tr>") == SAFETY_EVENTS_SHOWN
    assert page.safety_more.isVisible() and "3 earlier" in page.safety_more.text()


def test_progress_in_german_shows_the_events_in_german(qtbot: QtBot, history: Repository) -> None:
    locale_support.apply_language("de")
    page = progress_page(qtbot, history, NOW)
    page.set_range(4)
    text = shown_text(page)
    assert "„Es tut weh“ gedrückt" in text and "Notfall" in text
    assert "It hurts" not in text and "emergency" not in text


def test_recording_an_event_never_raises_into_the_safety_flow(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = AppContext(Repository.open(data_dir), FakeClock(NOW))
    failures: list[str] = []
    ctx.save_failed.connect(failures.append)
    event = SafetyEvent(NOW, SafetyEventKind.IT_HURTS)
    assert ctx.record_safety_event(event) and ctx.repo.safety_events() == [event]

    def full(_event: SafetyEvent) -> None:
        raise DataError("the disk is full")

    monkeypatch.setattr(ctx.repo, "add_safety_event", full)
    assert ctx.record_safety_event(SafetyEvent(NOW, SafetyEventKind.PAIN_STOP)) is False
    assert failures == ["the disk is full"]


def test_the_demo_history_shows_events_in_progress(qtbot: QtBot, data_dir: Path) -> None:
    from sciatica_coach.core.demo import generate_demo_history

    repo = Repository.open(data_dir)
    demo = generate_demo_history(16, NOW)
    repo.add_sessions(list(demo.sessions))
    repo.add_safety_events(list(demo.safety_events))
    page = progress_page(qtbot, repo, NOW)
    page.set_range(12)
    assert "answered “yes”" in shown_text(page)


def test_importing_a_backup_twice_in_progress_adds_the_events_once(
    qtbot: QtBot, history: Repository, tmp_path: Path
) -> None:
    from sciatica_coach.storage.exchange import export_json

    backup = tmp_path / "backup.json"
    backup.write_text(export_json(history, NOW), encoding="utf-8")
    page = progress_page(qtbot, Repository.open(tmp_path / "elsewhere"), NOW)
    assert page.import_from(backup)
    assert "4 safety events were added." in page.message.text()
    assert page.import_from(backup)
    assert "safety event" not in page.message.text()
    assert len(page.ctx.repo.safety_events()) == 4
    assert "“It hurts” pressed during bridge." in shown_text(page)


def test_events_are_counted_per_week_or_per_month_when_many_weeks_had_some() -> None:
    from sciatica_coach.services.progress_text import MAX_WEEKS_COUNTED, event_counts_text

    monday = datetime(2026, 1, 5, 9, 0, tzinfo=TZ)
    few = [
        SafetyEvent(monday, SafetyEventKind.IT_HURTS),
        SafetyEvent(monday + timedelta(days=8), SafetyEventKind.IT_HURTS),
    ]
    assert event_counts_text(few, TZ) == "Per week (week starting): 5 Jan 1 · 12 Jan 1."
    many = [
        SafetyEvent(monday + timedelta(weeks=n), SafetyEventKind.IT_HURTS)
        for n in range(MAX_WEEKS_COUNTED + 40)
    ]
    text = event_counts_text(many, TZ)
    assert text.startswith("Per month: Jan 2026 4 · Feb 4 · Mar 5")
    assert "Dec 4 · Jan 2027 4" in text
