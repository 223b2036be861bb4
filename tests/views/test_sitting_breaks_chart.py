"""Progress's sitting-breaks card: the chart's bars are the stored answers per day (taken below in the accent
colour, skipped stacked above in a quieter one), the line under it and the screen-reader description say the
same figures, before the first break it only says where to turn them on; light and dark, English and German.

With SCIATICA_COACH_SHOTS=<folder> the card is also saved as PNGs there, to look at."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sciatica_coach.core.sitting import BreakOutcome, Movement, SittingBreak
from sciatica_coach.platform.locale_support import apply_language
from sciatica_coach.services.progress_data import sitting_breaks_overview
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.charts import SittingBreaksChart, sitting_colors
from sciatica_coach.views.progress_page import ProgressPage
from sciatica_coach.views.theme import DARK, LIGHT, apply_theme, current_colors
from tests.helpers import FakeClock, progress_page

TZ = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 26, 17, 0, tzinfo=TZ)  # a Thursday; the chart's weeks start on Monday 2 March


def _answer(day_offset: int, hour: int, outcome: BreakOutcome) -> SittingBreak:
    at = NOW.replace(hour=hour, minute=5) - timedelta(days=day_offset)
    return SittingBreak(at, outcome, Movement.WALK)


def _fill(repo: Repository) -> None:
    taken, skipped = BreakOutcome.TAKEN, BreakOutcome.SKIPPED
    answers = [_answer(0, h, taken) for h in (9, 10, 11, 14)]  # today: 4 taken, 1 skipped
    answers += [_answer(0, 15, skipped)]
    answers += [_answer(1, 9, taken), _answer(1, 10, skipped), _answer(1, 11, skipped)]  # Wednesday
    answers += [_answer(3, 9, taken)]  # Monday of this week
    answers += [_answer(4, 9, skipped)]  # Sunday of last week: not "this week"
    answers += [_answer(24, 9, taken), _answer(24, 10, taken)]  # Monday 2 March, the chart's first day
    answers += [_answer(25, 9, taken)]  # before the four weeks: not in the chart
    repo.add_sitting_breaks(answers)


def _page(qtbot: QtBot, repo: Repository) -> ProgressPage:
    page = progress_page(qtbot, repo, NOW)
    qtbot.waitUntil(lambda: page._sitting_chart is not None or page.sitting_text.text() != "")
    QApplication.processEvents()
    return page


def test_overview_counts_each_day_of_the_four_weeks(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    _fill(repo)
    overview = sitting_breaks_overview(repo, FakeClock(NOW))
    assert overview.first == NOW.date() - timedelta(days=24) and overview.days[-1].day == NOW.date()
    assert len(overview.days) == 25
    assert (overview.taken, overview.skipped) == (8, 4)  # the day before the four weeks is left out
    assert overview.this_week() == (6, 3)
    assert overview.ever and not overview.on


def test_the_chart_draws_the_figures_and_says_them(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    _fill(repo)
    page = _page(qtbot, repo)
    qtbot.waitUntil(lambda: page._sitting_chart is not None)
    chart = page.sitting_chart
    assert chart.isVisibleTo(page)
    taken, skipped = chart.figures("taken"), chart.figures("skipped")
    assert len(taken) == 25 and taken[0] == 2 and taken[-1] == 4 and taken[-2] == 1 and taken[-4] == 1
    assert skipped[-1] == 1 and skipped[-2] == 2 and skipped[-5] == 1 and sum(skipped) == 4
    assert [int(v) for v in chart.bars["skipped"].opts["y0"]][-2] == 1  # stacked on the taken ones
    assert page.sitting_text.text() == "This week: 6 breaks taken, 3 skipped."
    description = chart.plot.accessibleDescription()
    assert (
        "in the last 4 weeks: 8 taken, 4 skipped" in description
        and "This week: 6 breaks taken" in description
    )
    assert chart.legend.entries == ["Breaks taken", "Breaks skipped"]


def test_one_break_this_week_reads_in_the_singular(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.add_sitting_break(_answer(0, 10, BreakOutcome.TAKEN))
    page = _page(qtbot, repo)
    assert page.sitting_text.text() == "This week: 1 break taken, 0 skipped."


def test_before_the_first_break_only_the_words_say_where_to_turn_them_on(
    qtbot: QtBot, data_dir: Path
) -> None:
    repo = Repository.open(data_dir)
    page = _page(qtbot, repo)
    qtbot.waitUntil(lambda: page._chart is not None)
    QApplication.processEvents()
    assert page.sitting_text.text() == "No sitting breaks yet. Turn them on in Settings."
    assert page._sitting_chart is None  # no empty chart
    repo.set_setting("sitting_breaks_on", True)
    page.refresh()
    assert page.sitting_text.text() == "No sitting breaks yet. They will show here after your first one."
    repo.add_sitting_break(_answer(0, 10, BreakOutcome.SKIPPED))
    page.hide()
    page.show()  # an answered card does not mark the page changed: showing it reads them again
    QApplication.processEvents()
    assert page.sitting_text.text() == "This week: 0 breaks taken, 1 skipped."
    assert page._sitting_chart is not None and page.sitting_chart.figures("skipped")[-1] == 1


def test_colours_follow_light_and_dark_and_stay_apart() -> None:
    for colors in (LIGHT, DARK):
        chosen = sitting_colors(colors)
        assert chosen["taken"] == colors.accent
        skipped, surface = QColor(chosen["skipped"]), QColor(colors.surface)
        assert skipped != QColor(colors.accent)
        assert _contrast(skipped, surface) >= 3.0  # a graphic still seen against the card (WCAG 1.4.11)


def _contrast(a: QColor, b: QColor) -> float:
    def lum(c: QColor) -> float:
        def part(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * part(c.redF()) + 0.7152 * part(c.greenF()) + 0.0722 * part(c.blueF())

    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    ("mode", "language", "scale"), [("light", "en", 100), ("dark", "de", 150), ("dark", "en", 200)]
)
def test_the_card_in_light_and_dark_english_and_german(
    qtbot: QtBot, data_dir: Path, mode: str, language: str, scale: int
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, mode, scale)
    if language == "de":
        apply_language("de")
    repo = Repository.open(data_dir)
    _fill(repo)
    page = _page(qtbot, repo)
    qtbot.waitUntil(lambda: page._sitting_chart is not None)
    chart: SittingBreaksChart = page.sitting_chart
    QApplication.processEvents()
    colors = current_colors()
    brush = chart.bars["taken"].opts["brush"]
    assert brush.color().name() == colors.accent
    axis = chart.plot.getPlotItem().getAxis("left")
    assert (
        axis.style["tickFont"].pointSizeF() >= QApplication.font().pointSizeF() * 0.9
    )  # the app's text size
    if language == "de":
        assert page.sitting_text.text() == "Diese Woche: 6 Pausen gemacht, 3 ausgelassen."
        assert chart.legend.entries == ["Pausen gemacht", "Pausen ausgelassen"]
    frame = page.sitting_text.parentWidget()
    assert frame is not None
    shots = os.environ.get("SCIATICA_COACH_SHOTS")
    if shots:
        frame.grab().save(str(Path(shots) / f"sitting-breaks-{mode}-{language}-{scale}.png"))


def test_importing_a_history_adds_the_breaks_and_says_so(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    from sciatica_coach.storage.exchange import export_json

    source = Repository.open(tmp_path / "other-computer")
    _fill(source)
    exported = tmp_path / "history.json"
    exported.write_text(export_json(source, NOW), encoding="utf-8")
    page = _page(qtbot, Repository.open(data_dir))
    assert page.sitting_text.text() == "No sitting breaks yet. Turn them on in Settings."
    assert page.import_from(exported)
    assert "13 sitting breaks were added." in page.message.text()
    assert page.sitting_text.text() == "This week: 6 breaks taken, 3 skipped."
    assert page.import_from(exported)  # again: nothing doubled, nothing said of breaks
    assert "sitting break" not in page.message.text()
    assert len(page.ctx.repo.sitting_breaks()) == 13
