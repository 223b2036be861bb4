"""Sitting breaks in the clinician report and its CSV: taken and skipped per week of the period, beside the
sitting tolerance, in the PDF (nothing when there were none); a "sitting-breaks" row per day in the long CSV.

With SCIATICA_COACH_SHOTS=<folder> the PDF is kept there, to look at."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from sciatica_coach.core.outcomes import make_checkin
from sciatica_coach.core.sitting import BreakOutcome, Movement, SittingBreak
from sciatica_coach.services import outcomes
from sciatica_coach.services.report import render_report_pdf
from sciatica_coach.services.report_data import LONG_CSV_COLUMNS, WeekBreaks, gather, long_csv
from sciatica_coach.storage.repository import Repository
from tests.helpers import FakeClock, session_record

TZ = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 26, 16, 0, tzinfo=TZ)  # a Thursday; week 4 of a 4-week report starts Monday 23 March
SHOTS = os.environ.get("SCIATICA_COACH_SHOTS")


def _answers(days_ago: int, taken: int, skipped: int) -> list[SittingBreak]:
    day = NOW.replace(hour=9) - timedelta(days=days_ago)
    return [
        SittingBreak(day + timedelta(minutes=40 * n), BreakOutcome.TAKEN if n < taken else BreakOutcome.SKIPPED,
                     Movement.POSTURE)
        for n in range(taken + skipped)
    ]  # fmt: skip


def _fill(repo: Repository) -> None:
    repo.add_sessions([session_record("a", NOW - timedelta(days=2))])
    outcomes.save(repo, make_checkin(NOW.date() - timedelta(days=9), sbi=[3, 3, 2, 4], sitting_min=20))
    repo.add_sitting_breaks(
        _answers(0, 3, 1)  # Thursday of this week
        + _answers(3, 2, 0)  # Monday of this week
        + _answers(9, 4, 2)  # Tuesday of last week
        + _answers(60, 5, 5)  # long before the period: not counted
    )


def test_the_report_counts_taken_and_skipped_per_week(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    _fill(repo)
    data = gather(repo, FakeClock(NOW), weeks=4)
    starts = [row.start for row in data.rows]
    assert data.sitting_breaks == (
        WeekBreaks(starts[0], 0, 0),
        WeekBreaks(starts[1], 0, 0),
        WeekBreaks(starts[2], 4, 2),
        WeekBreaks(starts[3], 5, 1),
    )


def test_without_breaks_in_the_period_the_report_has_none(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.add_sitting_breaks(_answers(60, 2, 2))
    assert gather(repo, FakeClock(NOW), weeks=4).sitting_breaks == ()


def test_the_csv_has_a_row_per_day_with_breaks(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    _fill(repo)
    rows = list(csv.DictReader(io.StringIO(long_csv(repo, FakeClock(NOW), weeks=4))))
    assert [r["record"] for r in rows] == ["session", "check-in", "sitting-breaks", "sitting-breaks",
                                           "sitting-breaks"], "sessions, check-ins, then the breaks by day"  # fmt: skip
    breaks = [
        (r["date"], r["breaks_taken"], r["breaks_skipped"]) for r in rows if r["record"] == "sitting-breaks"
    ]
    assert breaks == [("2026-03-17", "4", "2"), ("2026-03-23", "2", "0"), ("2026-03-26", "3", "1")]
    assert all(len(row) == len(LONG_CSV_COLUMNS) and None not in row.values() for row in rows)
    session, checkin, first_day = rows[0], rows[1], rows[2]
    assert session["breaks_taken"] == "" and checkin["breaks_skipped"] == "", "not on the other kinds of row"
    assert checkin["sitting_min"] == "20"  # the check-in's cells kept their places
    assert (first_day["session_id"], first_day["sbi_total"], first_day["day_target"]) == ("", "", "")
    assert (first_day["flare_day"], first_day["maintenance_day"]) == ("no", "no")
    assert LONG_CSV_COLUMNS[-2:] == ("breaks_taken", "breaks_skipped"), "the new columns after the old"


def _pdf_text(repo: Repository, tmp_path: Path, name: str) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(render_report_pdf(repo, FakeClock(NOW), weeks=4))
    if SHOTS:
        shutil.copy(path, Path(SHOTS) / name)
    done = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(unicodedata.normalize("NFKC", done.stdout).split())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_lists_the_weeks_after_the_sitting_tolerance(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    repo = Repository.open(data_dir)
    _fill(repo)
    text = _pdf_text(repo, tmp_path, "report-sitting-breaks.pdf")
    assert "Sitting breaks at the computer" in text
    assert "In the period: 9 breaks taken, 3 skipped (75% taken)." in text
    assert "Week From Taken Skipped 3 16 Mar 4 2 4* 23 Mar 5 1" in text, "from the first week with breaks"
    assert (
        text.index("Outcome measures")
        < text.index("Sitting breaks at the computer")
        < text.index("Safety events")
    )


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_says_nothing_of_breaks_when_there_were_none(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    repo = Repository.open(data_dir)
    repo.add_sessions([session_record("a", NOW - timedelta(days=2))])
    assert "Sitting breaks" not in _pdf_text(repo, tmp_path, "report-no-sitting-breaks.pdf")
