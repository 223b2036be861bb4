"""Issue 20 follow-ups in the exports, the report and the reminders: the clinician CSV carries the outcome
check-ins and marks the days of keeping the habit (read back with the csv module); a long PSFS activity is
wrapped, whole, in the PDF's outcome table; reminder notices while keeping the habit speak of the lighter
routine and the 2-3 a week aim, keeping the person's times."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import unicodedata
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from sciatica_coach import i18n
from sciatica_coach.core.model import Phase
from sciatica_coach.core.outcomes import make_checkin
from sciatica_coach.core.progression import ChangeKind, Decision, decision_to_dict
from sciatica_coach.core.schedule import Due, DueKind
from sciatica_coach.platform.locale_support import clock_time
from sciatica_coach.platform.notifications import notice_text
from sciatica_coach.services import outcomes
from sciatica_coach.services.decisions import HISTORY_KEY
from sciatica_coach.services.reminders import ReminderService
from sciatica_coach.services.report import render_report_pdf
from sciatica_coach.services.report_data import LONG_CSV_COLUMNS, long_csv
from sciatica_coach.storage.repository import Repository
from tests.helpers import FakeClock, session_record
from tests.test_reminders_service import FakeTimer

TZ = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 4, 12, 30, tzinfo=TZ)  # a Wednesday
# The columns the CSV had before the check-ins; their places must not move (people's formulas use them).
OLD_COLUMNS = (
    "session_id", "date", "start_local", "slot", "phase", "outcome", "stop_reason", "exercise_id",
    "exercise_name", "reps_done", "reps_planned", "sets_done", "sets_planned", "skipped", "symptom_answer",
    "pain_before_back", "pain_before_leg", "pain_after_back", "pain_after_leg", "leg_reach_before",
    "leg_reach_after", "day_target", "flare_day",
)  # fmt: skip
SHOTS = os.environ.get("SCIATICA_COACH_SHOTS")  # a folder: keep the PDF to look at
LONG_NAME = "Putting on my socks and shoes in the morning before my walks"


def keep_the_habit(repo: Repository, decided: datetime, weekly_target: int) -> None:
    """The person chose to keep the habit at `decided` (it starts the next day), aiming for `weekly_target`."""
    decision = Decision(decided, True, ChangeKind.MAINTENANCE, "Keep the habit", "", Phase.STRENGTH,
                        Phase.STRENGTH, weekly_target=weekly_target)  # fmt: skip
    repo.set_state(HISTORY_KEY, [decision_to_dict(decision)])


def _rows(repo: Repository, clock: FakeClock) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(long_csv(repo, clock, weeks=4))))


# ---- the CSV ---------------------------------------------------------------------------------------------------
def test_the_csv_carries_the_check_ins_and_marks_days_of_keeping_the_habit(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    keep_the_habit(repo, NOW - timedelta(days=3), weekly_target=2)  # maintenance from 2 March on
    repo.add_sessions(
        [session_record("before", NOW - timedelta(days=6)), session_record("during", NOW - timedelta(days=1))]
    )
    first = NOW.date() - timedelta(days=20)
    outcomes.save(
        repo,
        make_checkin(first, sbi=[5, 4, 3, 6], psfs=[{"name": "=Sitting, in a café", "rating": 3},
                     {"name": LONG_NAME, "rating": 2}], sitting_min=15, walking_min=20),
    )  # fmt: skip
    outcomes.save(repo, make_checkin(NOW.date() - timedelta(days=1), sbi=[2, 1, 0, 2], walking_min=45))
    outcomes.save(repo, make_checkin(NOW.date() + timedelta(days=1), sbi=[0, 0, 0, 0]))  # a wrong clock
    rows = _rows(repo, FakeClock(NOW))

    assert LONG_CSV_COLUMNS[: len(OLD_COLUMNS)] == OLD_COLUMNS
    assert [(r["record"], r["session_id"], r["date"]) for r in rows] == [
        ("session", "before", "2026-02-26"),
        ("session", "during", "2026-03-03"),
        ("check-in", "", "2026-02-12"),  # before the period too: the changes are "since the first answer"
        ("check-in", "", "2026-03-03"),
    ], "sessions first, then the check-ins up to today, oldest first"
    before, during, baseline, latest = rows
    assert (before["maintenance_day"], before["weekly_aim"], before["day_target"]) == ("no", "", "2")
    assert (during["maintenance_day"], during["weekly_aim"], during["day_target"]) == ("yes", "2", "0")
    assert during["sbi_total"] == "" and during["psfs_activity_1"] == "", "no check-in cells on a session"

    assert baseline["sbi_total"] == "18"
    items = ("sbi_leg_pain", "sbi_numbness_tingling", "sbi_weakness", "sbi_sitting_pain")
    assert [baseline[k] for k in items] == ["5", "4", "3", "6"]
    assert baseline["psfs_average"] == "2.5"
    assert baseline["psfs_activity_1"] == "'=Sitting, in a café", "made safe for a spreadsheet"
    assert (baseline["psfs_rating_1"], baseline["psfs_activity_2"], baseline["psfs_rating_2"]) == (
        "3",
        LONG_NAME,
        "2",
    )
    assert baseline["psfs_activity_3"] == "" and baseline["psfs_rating_3"] == ""
    assert (baseline["sitting_min"], baseline["walking_min"]) == ("15", "20")
    assert (baseline["maintenance_day"], baseline["flare_day"], baseline["session_id"]) == ("no", "no", "")
    assert baseline["day_target"] == "" and baseline["exercise_id"] == "" and baseline["outcome"] == ""

    assert (latest["sbi_total"], latest["psfs_average"], latest["sitting_min"]) == ("5", "", "")
    assert (latest["walking_min"], latest["maintenance_day"], latest["weekly_aim"]) == ("45", "yes", "2")
    assert all(len(row) == len(LONG_CSV_COLUMNS) and None not in row for row in rows)


def test_without_check_ins_or_keeping_the_habit_the_csv_only_adds_empty_columns(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.add_sessions([session_record("a", NOW - timedelta(days=1))])
    repo.set_excused((NOW - timedelta(days=1)).date(), True)
    (row,) = _rows(repo, FakeClock(NOW))
    assert (row["record"], row["maintenance_day"], row["weekly_aim"], row["flare_day"]) == (
        "session",
        "no",
        "",
        "yes",
    )
    assert all(row[c] == "" for c in LONG_CSV_COLUMNS[LONG_CSV_COLUMNS.index("sbi_total") :])


# ---- the PDF ---------------------------------------------------------------------------------------------------
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_a_long_activity_name_is_wrapped_whole_in_the_pdf(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    repo = Repository.open(data_dir)
    assert len(LONG_NAME) == 60
    unbroken = "Z" * 60  # one long word: broken anywhere rather than cut off
    for days, rating in ((28, 2), (14, 4), (0, 6)):
        psfs = [{"name": unbroken, "rating": 5}, {"name": LONG_NAME, "rating": rating},
                {"name": "Sitting through a film", "rating": rating + 1}]  # fmt: skip
        outcomes.save(repo, make_checkin(NOW.date() - timedelta(days=days), sbi=[3, 3, 2, 3], psfs=psfs))
    path = tmp_path / "report.pdf"
    path.write_bytes(render_report_pdf(repo, FakeClock(NOW)))
    if SHOTS:
        shutil.copy(path, Path(SHOTS) / "report-long-activity.pdf")
    # -raw: in the order drawn, so a cell's lines are not mixed with the row's other cells
    done = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True)
    text = " ".join(unicodedata.normalize("NFKC", done.stdout).split())
    assert f"5; {LONG_NAME} 6; Sitting" in text, "the whole name, wrapped within its cell"
    assert text.replace(" ", "").count("Z" * 60) == 3
    assert "Sitting through a film 7" in text
    assert "SBI total: +0 since the first answer." in text, "the notes below the table still follow it"


# ---- the reminders ---------------------------------------------------------------------------------------------
DUE = Due("19:00", NOW.date(), NOW, DueKind.ON_TIME)


def test_a_notice_while_keeping_the_habit_speaks_of_the_lighter_routine() -> None:
    title, body = notice_text(DUE, 480, keeping_habit=(1, 3))
    assert title == "Time for your lighter routine"
    assert clock_time(time(19)) in body and "about 8 minutes" in body
    assert "This week so far: 1 of 3." in body
    assert "Two or three sessions a week is the aim now" in body and "let this one pass" in body
    _, without = notice_text(DUE, None, keeping_habit=(0, 2))
    assert "This week so far: 0 of 2." in without and "minutes" not in without
    assert notice_text(DUE, 480)[0] == "Time for your exercises", "the usual words otherwise"
    flare_title, _ = notice_text(DUE, 480, flare=True, keeping_habit=(1, 3))
    assert flare_title == "Time for a short, gentle session", "a flare's gentler words come first"
    missed = Due("19:00", NOW.date(), NOW, DueKind.MISSED)
    assert notice_text(missed, 480, keeping_habit=(1, 3)) == notice_text(missed, 480)


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_reminder_service_words_follow_keeping_the_habit(data_dir: Path, language: str) -> None:
    i18n.set_language(language)
    repo = Repository.open(data_dir)
    clock = FakeClock(NOW)
    service = ReminderService(repo, clock, timer_factory=FakeTimer, zone_fingerprint=lambda: "London")
    usual = {"en": "Time for your exercises", "de": "Zeit für Ihre Übungen"}[language]
    assert service.notice_words(DUE)[0] == usual
    plan_before = repo.state("reminder_plan")
    keep_the_habit(repo, NOW - timedelta(days=3), weekly_target=2)
    repo.add_sessions([session_record("done", NOW - timedelta(days=1))])
    title, body = service.notice_words(DUE)
    lighter = {"en": "Time for your lighter routine", "de": "Zeit für Ihren leichteren Übungsplan"}
    assert title == lighter[language]
    week = {"en": "This week so far: 1 of 2.", "de": "Diese Woche bisher: 1 von 2."}
    assert week[language] in body and clock_time(time(19)) in body  # the time as the locale writes it
    assert repo.state("reminder_plan") == plan_before, "the person's times are kept"


@pytest.mark.parametrize(("language", "theme"), [("en", "light"), ("de", "dark")])
def test_the_window_banner_reads_the_lighter_routine_words(
    qtbot: QtBot, data_dir: Path, language: str, theme: str
) -> None:
    """Where there is no tray and no notification server, the words show in a banner on the window."""
    from PySide6.QtWidgets import QApplication

    from sciatica_coach.platform.notifications import WindowNotifier
    from tests.helpers import main_window

    i18n.set_language(language)
    repo = Repository.open(data_dir)
    repo.set_setting("theme", theme)
    keep_the_habit(repo, NOW - timedelta(days=3), weekly_target=3)
    clock = FakeClock(NOW)
    with main_window(qtbot, repo, clock) as window:
        window.apply_appearance()
        window.resize(1280, 800)
        service = ReminderService(repo, clock, timer_factory=FakeTimer, zone_fingerprint=lambda: "London")
        notifier = WindowNotifier(window)
        notifier.set_words(service.notice_words)
        notifier.notify(DUE)
        QApplication.processEvents()
        assert notifier.banner is not None and notifier.banner.isVisible()
        text = notifier._text.text()
        lighter = {"en": "Time for your lighter routine", "de": "Zeit für Ihren leichteren Übungsplan"}
        assert lighter[language] in text
        assert {"en": "This week so far: 0 of 3.", "de": "Diese Woche bisher: 0 von 3."}[language] in text
        if SHOTS:
            window.grab().save(str(Path(SHOTS) / f"banner-keeping-habit-{language}-{theme}.png"))
