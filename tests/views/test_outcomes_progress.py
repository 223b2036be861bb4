"""The outcome figures where they are read: the Progress card (English and German), the clinician report's
table with the meaningful-change notes, and a damaged stored check-in shown as a plain message."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sciatica_coach.core.outcomes import OUTCOMES_KEY, make_checkin
from sciatica_coach.platform.locale_support import apply_language
from sciatica_coach.services import outcomes
from sciatica_coach.services.report import gather, render_report_pdf
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.progress_page import ProgressPage
from tests.helpers import FakeClock, main_window

NOW = datetime(2026, 4, 27, 12, 0, tzinfo=ZoneInfo("Europe/London"))


def _fill(repo: Repository) -> None:
    first = NOW.date() - timedelta(days=28)
    outcomes.save(
        repo,
        make_checkin(
            first,
            sbi=[5, 4, 3, 5],
            psfs=[{"name": "Putting on socks", "rating": 2}, {"name": "Sitting", "rating": 3}],
            sitting_min=10,
            walking_min=15,
        ),
    )
    outcomes.save(repo, make_checkin(first + timedelta(days=14), sbi=[3, 3, 2, 4], sitting_min=20))
    outcomes.save(
        repo,
        make_checkin(
            first + timedelta(days=28),
            sbi=[2, 2, 1, 2],
            psfs=[{"name": "Putting on socks", "rating": 6}, {"name": "Sitting", "rating": 5}],
        ),
    )


def _progress(window: object) -> ProgressPage:
    window.show_page("progress")  # type: ignore[attr-defined]
    QApplication.processEvents()
    page = window.page("progress")  # type: ignore[attr-defined]
    assert isinstance(page, ProgressPage)
    return page


def test_progress_shows_the_figures_and_the_change(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    _fill(repo)
    with main_window(qtbot, repo, FakeClock(NOW)) as window:
        trend = _progress(window).outcomes_trend
        text = trend.figures.text()
        assert "17" in text and "7" in text and "10 min" in text  # SBI totals 17 → 7, sitting 10 min
        assert "2.5" in text or "2,5" in text  # PSFS average (the locale's decimal sign)
        assert "gone up by 3.0 points" in trend.notes.text() or "gone up by 3,0 points" in trend.notes.text()
        assert "more than the 2 points" in trend.notes.text()
        assert "from 17 to 7 out of 24" in trend.notes.text()
        assert trend.chart is not None and trend.chart.isVisibleTo(trend)


def test_progress_in_german(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    _fill(repo)
    apply_language("de")
    with main_window(qtbot, repo, FakeClock(NOW)) as window:
        trend = _progress(window).outcomes_trend
        assert "Beschwerden" in trend.figures.text()
        assert "um 3,0 Punkte gestiegen" in trend.notes.text()


def test_a_damaged_check_in_is_a_plain_message(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    _fill(repo)
    repo.set_state(OUTCOMES_KEY, [*repo.state(OUTCOMES_KEY), {"day": "2026-04-01", "psfs": "lots"}])
    with main_window(qtbot, repo, FakeClock(NOW)) as window:
        trend = _progress(window).outcomes_trend
        assert "could not be read" in trend.notes.text()
        assert "Traceback" not in trend.notes.text()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_report_has_the_outcome_table(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    repo = Repository.open(data_dir)
    _fill(repo)
    clock = FakeClock(NOW)
    assert [c.sbi_total for c in gather(repo, clock).outcomes] == [17, 12, 7]
    path = tmp_path / "report.pdf"
    path.write_bytes(render_report_pdf(repo, clock))
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    text = " ".join(unicodedata.normalize("NFKC", done.stdout).split())
    assert "Outcome measures" in text and "SBI (0–24)" in text
    assert "Putting on socks 6; Sitting 5" in text
    assert "SBI total: -10 since the first answer." in text
    assert "PSFS average: +3.0 since the first rating." in text
    assert "about 2 points" in text and "Haugen et al. 2011" in text
