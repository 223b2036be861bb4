"""The Progress page shows the numbers of a known history, switches ranges, and keeps and shares data."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPointF
from pytestqt.qtbot import QtBot

from sciatica_coach.core.demo import generate_demo_history
from sciatica_coach.core.model import ExerciseRecord, Outcome, PainReport, Phase, SessionRecord
from sciatica_coach.storage.repository import Repository
from tests.helpers import progress_page

TZ = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 4, 12, 0, tzinfo=TZ)  # a Wednesday
MONDAY = date(2026, 3, 2)


def session(
    n: int, day: date, hour: int, outcome: Outcome = Outcome.COMPLETED, leg: int = 4
) -> SessionRecord:
    start = datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)
    return SessionRecord(
        id=f"k{n}", started_at=start, ended_at=start + timedelta(minutes=12), phase=Phase.MOBILITY,
        exercises=(ExerciseRecord("pelvic-tilt", 10, 10, 1, 1, 5),), outcome=outcome,
        pain_before=PainReport(back=3, leg=leg), slot="08:00" if hour < 14 else "19:00",
    )  # fmt: skip


@pytest.fixture
def known(data_dir: Path) -> Repository:
    """This week: Monday both sessions, Tuesday one done + one ended early, Wednesday morning done.
    Last week: every day twice (14 of 14). Programme started two weeks ago on Monday."""
    repo = Repository.open(data_dir)
    records = []
    n = 0
    for offset in range(7):
        for hour in (8, 19):
            n += 1
            records.append(session(n, MONDAY - timedelta(days=7 - offset), hour))
    records += [
        session(100, MONDAY, 8), session(101, MONDAY, 19), session(102, MONDAY + timedelta(days=1), 8),
        session(103, MONDAY + timedelta(days=1), 19, Outcome.ENDED_EARLY),
        session(104, MONDAY + timedelta(days=2), 8),
    ]  # fmt: skip
    repo.add_sessions(records)
    repo.set_state("plan_start", (MONDAY - timedelta(days=7)).isoformat())
    return repo


def test_headline_cards_show_the_known_numbers(qtbot: QtBot, known: Repository) -> None:
    page = progress_page(qtbot, known, NOW)
    assert page.figures["this_week"].text() == "4 of 14 (+1 partial)"
    # 7 days last week + Monday met the plan; Tuesday (one ended early) did not, and today is not done yet
    assert page.figures["streak"].text() == "0 days"
    assert page.figure_notes["streak"].text() == "best 8 days"
    assert page.figures["adherence_4w"].text().endswith("%")
    for value in page.figures.values():
        assert value.accessibleName() and value.accessibleDescription()


def test_streak_is_broken_by_a_missed_day(qtbot: QtBot, known: Repository) -> None:
    page = progress_page(qtbot, known, NOW)
    history = page.history
    assert history is not None
    summary = history.summary()
    assert (
        page.figures["streak"].text()
        == f"{summary.current_streak} day{'s' if summary.current_streak != 1 else ''}"
    )
    assert page.figure_notes["streak"].text() == f"best {summary.best_streak} days"


def test_ranges_switch_the_chart_and_table(qtbot: QtBot, known: Repository) -> None:
    page = progress_page(qtbot, known, NOW)
    assert page.weeks == 12 and len(page.chart.rows) == 12
    for weeks in (4, 26, 52, 12):
        page.range_buttons[weeks].click()
        assert page.weeks == weeks
        assert len(page.chart.rows) == weeks
        assert page.table.rowCount() == weeks
        assert page.range_buttons[weeks].isChecked()
    page.range_buttons[4].click()
    # newest week first in the table; the current week is marked "so far"
    assert page.table.item(0, 0).text() == "2 Mar (so far)"
    assert [page.table.item(0, c).text() for c in (1, 2, 3)] == ["4", "1", "14"]
    assert [page.table.item(1, c).text() for c in (1, 2, 3, 4)] == ["14", "0", "14", "100%"]
    assert "4 of 14" in page.chart_summary.text()
    assert page.chart.plot.accessibleDescription() == page.chart_summary.text()


def test_chart_tooltips_have_exact_numbers(qtbot: QtBot, known: Repository) -> None:
    page = progress_page(qtbot, known, NOW)
    page.set_range(4)
    last = page.chart.tooltip_for(3)
    assert "(so far)" in last and "Done: 4 of 14" in last and "Partial (ended early): 1" in last
    assert "Adherence: 100%" in page.chart.tooltip_for(2)
    assert page.chart.tooltip_for(99) == ""
    # the mouse over the middle of the plot finds a week
    view = page.chart.plot.getPlotItem().vb
    centre = view.mapViewToScene(QPointF(3, 1))
    assert page.chart.index_at_scene(centre) == 3


def test_calendar_has_the_days_with_slot_detail(qtbot: QtBot, known: Repository) -> None:
    page = progress_page(qtbot, known, NOW)
    cells = {cell.day: cell for cell in page.calendar.cells}
    tuesday = cells[MONDAY + timedelta(days=1)]
    rect = page.calendar.cell_rect(tuesday)
    assert page.calendar.cell_at(rect.center()) == tuesday
    from sciatica_coach.services.progress_text import day_tooltip

    text = day_tooltip(tuesday, NOW.date())
    assert "08:00, 19:00" in text and "Done 1 of 2" in text and "Partial (ended early): 1" in text
    assert "planned day" in page.calendar.accessibleDescription()


def test_pain_change_is_called_out_carefully(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    start = MONDAY - timedelta(days=27)
    repo.add_sessions([session(i, start + timedelta(days=i), 8, leg=6 if i < 7 else 3) for i in range(28)])
    page = progress_page(qtbot, repo, NOW)
    text = page.pain_text.text()
    assert "Leg pain is 3.0 points lower than when you started — a change that usually matters." in text
    assert "diagnos" not in text.lower()


def test_empty_history_shows_calm_placeholders(qtbot: QtBot, data_dir: Path) -> None:
    page = progress_page(qtbot, Repository.open(data_dir), NOW)
    assert page.figures["this_week"].text() == "0 of 10"  # the programme starts today, a Wednesday
    assert "Not enough pain ratings yet" in page.pain_text.text()
    assert not page.notes_frame.isVisibleTo(page)


def test_new_sessions_refresh_the_page(qtbot: QtBot, known: Repository) -> None:
    page = progress_page(qtbot, known, NOW)
    known.save_session(session(200, MONDAY + timedelta(days=2), 19))
    page.ctx.sessions_changed.emit()
    assert page.figures["this_week"].text() == "5 of 14 (+1 partial)"


def test_export_import_png_and_report(qtbot: QtBot, known: Repository, tmp_path: Path) -> None:
    page = progress_page(qtbot, known, NOW)
    out = tmp_path / "out"
    out.mkdir()
    assert page.export_to(out / "h.json", "json")
    assert len(json.loads((out / "h.json").read_text())["sessions"]) == 19
    assert page.export_to(out / "h.csv", "csv")
    assert (out / "h.csv").read_text().startswith("id,date")
    assert page.save_chart_png(out / "chart.png")
    assert (out / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert page.make_report(out / "report.pdf")
    assert (out / "report.pdf").read_bytes()[:5] == b"%PDF-"
    assert "saved to" in page.message.text()

    # importing into another folder adds the sessions and refreshes
    other = Repository.open(tmp_path / "other")
    fresh = progress_page(qtbot, other, NOW)
    with qtbot.waitSignal(fresh.ctx.sessions_changed):
        assert fresh.import_from(out / "h.json")
    assert other.session_count() == 19
    assert fresh.message.text() == "Imported 19 sessions; 0 were already there."
    assert fresh.figures["this_week"].text() == "4 of 14 (+1 partial)"


def test_a_bad_import_changes_nothing_and_says_why(qtbot: QtBot, known: Repository, tmp_path: Path) -> None:
    page = progress_page(qtbot, known, NOW)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "sciatica-coach-history", "version": 99, "sessions": []}')
    before = known.session_count()
    assert not page.import_from(bad)
    assert "newer Sciatica Coach" in page.message.text() and "unchanged" in page.message.text()
    assert not page.import_from(tmp_path / "missing.json")
    assert "does not exist" in page.message.text() and "unchanged" in page.message.text()
    assert known.session_count() == before


def test_export_failure_is_reported(qtbot: QtBot, known: Repository, tmp_path: Path) -> None:
    page = progress_page(qtbot, known, NOW)
    assert not page.export_to(tmp_path / "no" / "such" / "h.json", "json")
    assert "Nothing was saved" in page.message.text() and "does not exist" in page.message.text()


def test_dialog_buttons_use_the_chosen_path(qtbot: QtBot, known: Repository, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    page = progress_page(qtbot, known, NOW)
    target = tmp_path / "via-dialog.csv"
    monkeypatch.setattr(page, "_ask_save_path", lambda *_args: str(target))
    page.csv_button.click()
    assert target.is_file()
    monkeypatch.setattr(page, "_ask_save_path", lambda *_args: "")  # cancelled
    page.json_button.click()
    assert not list(tmp_path.glob("*.json"))


def test_light_and_dark_both_render(qtbot: QtBot, known: Repository) -> None:
    from PySide6.QtWidgets import QApplication

    from sciatica_coach.views.theme import apply_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    page = progress_page(qtbot, known, NOW)
    for mode in ("dark", "light"):
        colors = apply_theme(app, mode)
        qtbot.waitUntil(lambda: not page.recolor_pending)
        assert page.chart.plot.backgroundBrush().color().name() == colors.surface
        assert page.score_chart.plot.backgroundBrush().color().name() == colors.surface
        assert page.score_chart._line.opts["pen"].color().name() == colors.accent
        assert not page.grab().isNull()


def test_big_demo_history_opens(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    demo = generate_demo_history(60, NOW)
    repo.add_sessions(list(demo.sessions))
    repo.add_excused_days(demo.excused_days)
    page = progress_page(qtbot, repo, NOW)
    page.set_range(52)
    assert page.notes_frame.isVisibleTo(page)
    assert "for safety" in page.notes_text.text()


def test_starting_the_app_does_not_load_pyqtgraph() -> None:
    code = (
        "import sys; import sciatica_coach.app, sciatica_coach.views.main_window; "
        "print('pyqtgraph' in sys.modules, 'numpy' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split() == ["False", "False"]


def test_the_page_shows_before_pyqtgraph_loads_and_the_chart_follows(tmp_path: Path) -> None:
    """The figures, calendar and text come at once; pyqtgraph and numpy load with the chart, just after."""
    code = f"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.progress_page import ProgressPage
page = ProgressPage(AppContext(Repository.open(Path({str(tmp_path / "data")!r}))))
page.show()
page.repaint()
print("pyqtgraph" in sys.modules, "numpy" in sys.modules)
app.processEvents()
print("pyqtgraph" in sys.modules, page.chart is not None)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["False", "False", "True", "True"], result.stderr[-2000:]


def test_the_chart_placeholder_is_as_tall_as_the_chart() -> None:
    """The page shows a placeholder until pyqtgraph has loaded; the same height, so nothing jumps."""
    from sciatica_coach.views import charts, progress_page

    assert progress_page.CHART_SLOT_HEIGHT_PX == charts.CHART_HEIGHT_PX


def test_pain_has_its_own_panel_under_the_same_weeks(qtbot: QtBot, known: Repository) -> None:
    """Pain (0–10) is drawn in its own panel, not on a second axis over the session bars, so the two scales
    can't be read against each other; the weeks line up and the mouse finds a week in either panel."""
    page = progress_page(qtbot, known, NOW)
    page.set_range(4)
    chart = page.chart
    sessions_view, pain_view = chart.plot.getPlotItem().vb, chart.pain_plot.getPlotItem().vb
    assert pain_view.viewRange()[1] == pytest.approx([0, 11])
    assert sessions_view.viewRange()[1][1] > 14  # the plan's 14 a week, on its own scale
    assert pain_view.viewRange()[0] == pytest.approx(sessions_view.viewRange()[0])
    assert not chart.plot.getPlotItem().getAxis("right").isVisible()
    centre = pain_view.mapViewToScene(QPointF(2, 5))
    assert chart.index_at_scene(centre, chart.pain_plot) == 2
    assert chart.pain_plot.accessibleDescription() == page.chart_summary.text()


# ---- the habit over time: the score chart, best streaks, what is missed most -----------------------------------


def test_habit_score_chart_has_a_point_per_day_ending_on_the_summarys_score(
    qtbot: QtBot, known: Repository
) -> None:
    page = progress_page(qtbot, known, NOW)
    page.set_range(4)
    chart = page.score_chart
    history = page.history
    assert history is not None
    start = page.rows[0].start
    # a point for each day from the programme's start (two weeks ago on Monday) to today
    assert [p.day for p in chart.points] == [
        MONDAY - timedelta(days=7) + timedelta(days=i) for i in range(10)
    ]
    assert chart.start == start and chart.days == 28
    assert chart.points[-1].score_pct == pytest.approx(history.summary().score_pct)
    assert all(p.score_pct == history.cell(p.day).score_pct for p in chart.points)
    x, y = chart._line.getData()
    assert list(x) == [float(i) for i in range(14, 24)] and len(y) == 10
    view = chart.plot.getPlotItem().vb
    assert view.viewRange()[1][0] == 0 and view.viewRange()[1][1] >= 100
    left = chart.plot.getPlotItem().getAxis("left")
    assert [text for _value, text in left._tickLevels[0]] == ["25%", "50%", "75%", "100%"]
    assert left.labelText == "Habit score"
    assert chart.plot.accessibleName() == "Habit score chart"
    assert chart.plot.accessibleDescription() == page.score_summary.text()
    assert page.score_summary.text().startswith(f"Habit score: {chart.points[0].score_pct:.0f}% on 23 Feb")
    assert "today" in page.score_summary.text()
    # hovering a day names it and its score
    centre = view.mapViewToScene(QPointF(23, 50))
    point = chart.point_at_scene(centre)
    assert point is not None and point.day == NOW.date()
    assert chart.tooltip_for(point) == f"Wed 4 Mar 2026 (today): habit score {point.score_pct:.0f}%"
    page.set_range(12)
    assert chart.days == 84 and len(chart.points) == 10


def test_habit_scores_can_be_read_as_a_table(qtbot: QtBot, known: Repository) -> None:
    page = progress_page(qtbot, known, NOW)
    assert not page.score_table.isVisibleTo(page)
    page.score_table_toggle.click()
    assert page.score_table.isVisibleTo(page)
    assert page.score_table_toggle.text() == "Hide the table"
    history = page.history
    assert history is not None
    table = page.score_table
    rows = [
        [item.text() if (item := table.item(r, c)) else "" for c in range(2)] for r in range(table.rowCount())
    ]
    sunday = history.cell(MONDAY - timedelta(days=1)).score_pct
    assert rows == [
        ["2 Mar (so far)", f"{history.summary().score_pct:.0f}%"],
        ["23 Feb", f"{sunday:.0f}%"],
    ]
    assert page.score_table.accessibleName() == "Habit score each week"


def test_best_streaks_are_listed_with_their_dates(qtbot: QtBot, known: Repository) -> None:
    page = progress_page(qtbot, known, NOW)
    # last week every day, and Monday; Tuesday's evening session ended early
    assert page.streaks_text.text() == "8 days: 23 Feb – 2 Mar"
    assert page.streaks_text.accessibleName() == "Best streaks"
    known.add_sessions([session(300, MONDAY + timedelta(days=2), 19)])  # today done too
    page.ctx.sessions_changed.emit()
    assert page.streaks_text.text() == "8 days: 23 Feb – 2 Mar\n1 day: 4 Mar (still going)"


@pytest.fixture
def sunday_evenings(data_dir: Path) -> Repository:
    """Four weeks before this one, both sessions every day except Sunday evenings, which were never done."""
    repo = Repository.open(data_dir)
    first = MONDAY - timedelta(weeks=4)
    records = [
        session(n * 2 + k, first + timedelta(days=n), hour)
        for n in range(28)
        for k, hour in enumerate((8, 19))
        if not (hour == 19 and (first + timedelta(days=n)).weekday() == 6)
    ]
    repo.add_sessions(records)
    repo.set_state("plan_start", first.isoformat())
    return repo


def test_what_is_missed_most_is_said_in_words(qtbot: QtBot, sunday_evenings: Repository) -> None:
    page = progress_page(qtbot, sunday_evenings, NOW)
    lines = page.missed_text.text().split("\n")
    assert lines[0] == "Sunday evenings (19:00) are missed most: 4 of 4 sessions."
    # Monday and Tuesday of this week count too: nothing was done on them
    assert lines[1] == "The 19:00 session is missed most: 6 of 30."
    assert "not a fault" in lines[-1]
    assert len(lines) == 3  # Sundays are not named a second time
    text = page.missed_text.text().lower()
    assert not any(word in text for word in ("fail", "lazy", "should", "bad"))
    # every Sunday broke a streak: four runs of six days, the latest first
    assert page.streaks_text.text().split("\n") == [
        "6 days: 23 Feb – 28 Feb", "6 days: 16 Feb – 21 Feb", "6 days: 9 Feb – 14 Feb", "6 days: 2 Feb – 7 Feb",
    ]  # fmt: skip


def test_a_single_missed_day_is_not_called_a_pattern(qtbot: QtBot, known: Repository) -> None:
    page = progress_page(qtbot, known, NOW)
    assert page.missed_text.text() == (
        "Nothing stands out: only 1 planned day in these weeks fell short of the plan."
    )


def test_how_the_score_works_is_reachable_by_keyboard(qtbot: QtBot, known: Repository) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    page = progress_page(qtbot, known, NOW)
    button = page.score_help_button
    assert button.accessibleName() == "What is the habit score?"
    assert button.toolTip() == button.accessibleDescription() == page.score_help.text()
    assert page.score_help.text().startswith("How the score works:")
    assert page.figures["score"].toolTip() == page.score_help.text()
    assert not page.score_help.isVisibleTo(page)
    # Tab from the weekly table's button reaches it
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.table_toggle.setFocus()
    for _ in range(10):
        if QApplication.focusWidget() is button:
            break
        QTest.keyClick(QApplication.focusWidget() or page, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is button
    QTest.keyClick(button, Qt.Key.Key_Space)
    assert page.score_help.isVisibleTo(page)
    assert page.score_help.accessibleName() == "How the score works"
    QTest.keyClick(button, Qt.Key.Key_Space)
    assert not page.score_help.isVisibleTo(page)


def test_the_habit_words_are_german_in_german(qtbot: QtBot, sunday_evenings: Repository) -> None:
    from sciatica_coach.platform import locale_support

    locale_support.apply_language("de")
    page = progress_page(qtbot, sunday_evenings, NOW)
    assert page.missed_text.text().split("\n")[0] == (
        "Die Sonntagabende um 19:00 werden am häufigsten ausgelassen: 4 von 4 Einheiten."
    )
    assert page.score_help_button.text() == "Was ist das?"
    assert page.streaks_text.text().startswith("6 Tage: 23. Feb. – 28. Feb.\n6 Tage: 16. Feb. – 21. Feb.")


def test_the_score_chart_placeholder_is_as_tall_as_the_chart() -> None:
    from sciatica_coach.views import charts, progress_page

    assert progress_page.SCORE_SLOT_HEIGHT_PX == charts.SCORE_CHART_HEIGHT_PX


def test_reminder_slots_follow_the_plan_in_force_each_day(qtbot: QtBot, data_dir: Path) -> None:
    """Mornings only, every day for three weeks. The evening reminder was dropped at the end of the first
    week: only that week's evenings count as planned (and missed), by the plan in force then."""
    from sciatica_coach.core.schedule import Reminder, ReminderPlan
    from sciatica_coach.services.plans import save_reminder_plan

    repo = Repository.open(data_dir)
    first = MONDAY - timedelta(weeks=3)
    repo.set_state("plan_start", first.isoformat())
    repo.add_sessions([session(500 + n, first + timedelta(days=n), 8) for n in range(23)])
    sunday_night = datetime(2026, 2, 15, 21, 0, tzinfo=TZ)  # in force from the Monday after
    save_reminder_plan(repo, ReminderPlan((Reminder(datetime(2026, 1, 1, 8).time()),)), sunday_night)
    page = progress_page(qtbot, repo, NOW)
    habit = page.habit
    assert habit is not None
    assert [(t.slot, t.planned, t.missed) for t in habit.by_slot] == [("08:00", 23, 0), ("19:00", 7, 7)]
    assert page.missed_text.text().split("\n")[0] == "The 19:00 session is missed most: 7 of 7."
    assert page.streaks_text.text() == "16 days: 16 Feb – 3 Mar (still going)"
