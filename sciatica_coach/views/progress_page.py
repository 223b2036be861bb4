"""The Progress page: headline cards, the weekly chart with pain, a calendar of days, the same numbers as a
table, what happened for safety in the period shown (red-flag answers, "It hurts", stops, unanswered questions,
leg reach before and after sessions), and buttons to export, import, save the chart and make the report for the
physiotherapist.

It renders one snapshot, :func:`sciatica_coach.services.progress_data.load_history`, the same one `sciatica-coach
stats` and the PDF report use; it only formats. The weekly chart (pyqtgraph and numpy) is built just
after the page first shows, so the figures, the calendar and the text appear at once."""

from __future__ import annotations

import logging
from datetime import timedelta
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, Qt, QTimer
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QBoxLayout,
    QButtonGroup,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from sciatica_coach.core import maintenance
from sciatica_coach.core.adherence import AdherenceHistory, Summary, WeekRow
from sciatica_coach.core.affected_side import AffectedSide
from sciatica_coach.core.habit_stats import HabitStats, habit_stats
from sciatica_coach.core.plan_history import PlanHistory
from sciatica_coach.i18n import N_, _, ngettext
from sciatica_coach.services import keeping_habit_text
from sciatica_coach.services.plans import plan_history
from sciatica_coach.services.progress_data import (
    SafetyOverview,
    keeping_the_habit,
    load_history,
    safety_overview,
    sitting_breaks_overview,
)
from sciatica_coach.services.progress_text import (
    DEFAULT_RANGE_WEEKS,
    RANGES_WEEKS,
    answers_sentence,
    best_streaks_text,
    days_text,
    event_time,
    exercise_name,
    fmt_pain,
    fmt_pct,
    headline_pain_text,
    missed_most_text,
    reach_sentence,
    red_flag_checks_sentence,
    safety_event_text,
    score_explanation,
    score_summary,
    short_date,
    sitting_breaks_text,
    streak_text,
    this_week_text,
    weeks_summary,
)
from sciatica_coach.services.report_data import MAX_NAME_CHARS
from sciatica_coach.storage.atomic import atomic_write
from sciatica_coach.storage.repository import DataError
from sciatica_coach.views.calendar_heatmap import CalendarHeatmap
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.theme import CARD_INSIDE_PX, card_room, current_colors, fit_button_text
from sciatica_coach.views.widgets import ButtonRows, Page, card, label

if TYPE_CHECKING:
    from sciatica_coach.views.charts import HabitScoreChart, SittingBreaksChart, WeeklyChart

CHART_SLOT_HEIGHT_PX = 474  # charts.CHART_HEIGHT_PX (not imported: that loads pyqtgraph), so nothing jumps
SCORE_SLOT_HEIGHT_PX = 260  # charts.SCORE_CHART_HEIGHT_PX, for the same reason

log = logging.getLogger(__name__)

SCORE_TABLE_COLUMNS = (N_("Week of"), N_("Habit score at the week's end"))
TABLE_COLUMNS = (N_("Week of"), N_("Done"), N_("Partial"), N_("Planned"), N_("Adherence"), N_("Back pain"),
                 N_("Leg pain"), N_("Flare days"), N_("Safety stops"))  # fmt: skip
FIGURE_SCALE = 1.9  # headline numbers, relative to the body text
CALENDAR_MIN_WEEKS = 12  # the calendar shows at least this much, so a 4-week chart still has context
# Which leg has the sciatica, as a line on Progress (a whole sentence for each, so translations keep word order).
SIDE_LINES = {
    AffectedSide.LEFT: N_("Leg with sciatica: left"),
    AffectedSide.RIGHT: N_("Leg with sciatica: right"),
    AffectedSide.BOTH: N_("Leg with sciatica: both"),
    AffectedSide.NOT_SET: N_("Leg with sciatica: not set yet (you can say which in Settings)"),
}
SAFETY_EVENTS_SHOWN = 8  # the latest safety events listed; the report has all of them counted per week


def two_columns_px(rows: ButtonRows) -> int:
    """The width in which `rows` puts its buttons two side by side."""
    return 2 * max(button.sizeHint().width() for button in rows.buttons) + max(
        0, rows.grid.horizontalSpacing()
    )


class ProgressPage(Page):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(_("Progress"), _("How regularly you exercise, next to how your pain is doing."))
        self.ctx = ctx
        self.weeks = DEFAULT_RANGE_WEEKS
        self.history: AdherenceHistory | None = None
        self.rows: list[WeekRow] = []
        self.plans = PlanHistory()  # the plan in force on each day: its reminder slots
        self.habit: HabitStats | None = None
        self._dirty = True
        self._recolor_timer = QTimer(self)  # a child, so it can never fire after the page is gone
        self._recolor_timer.setSingleShot(True)
        self._recolor_timer.setInterval(0)
        self._recolor_timer.timeout.connect(self._recolor)

        # ---- headline cards ----
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(14)
        self.headline_grid = grid
        self.headline_cards: list[QFrame] = []  # four side by side, or two, or one, as the width allows
        self.headline_columns = 0
        self.figures: dict[str, QLabel] = {}
        self.figure_notes: dict[str, QLabel] = {}
        for key, english in (
            ("this_week", N_("This week")), ("adherence_4w", N_("Last 4 weeks")), ("streak", N_("Streak")),
            ("score", N_("Habit score")),
        ):  # fmt: skip
            title = _(english)
            frame, box = card()
            heading = label(title, "muted")
            value = label("–", wrap=False)
            value.setProperty("figure", "yes")
            value.setAccessibleName(title)
            note = label("", "muted")
            box.addWidget(heading)
            box.addWidget(value)
            box.addWidget(note)
            box.addStretch(1)
            self.headline_cards.append(frame)
            self.figures[key] = value
            self.figure_notes[key] = note
        pain_frame, pain_box = card()
        pain_box.addWidget(label(_("Pain since you started"), "muted"))
        self.pain_text = label("")
        self.pain_text.setAccessibleName(_("Pain since you started"))
        pain_box.addWidget(self.pain_text)
        self._pain_frame = pain_frame
        self._place_headline_cards(len(self.headline_cards))
        self.body.addLayout(grid)

        # ---- keeping the habit (the maintenance phase): measured by the week ----
        self.habit_frame, habit_box = card(_("Keeping the habit"))
        self.habit_text = label("")
        self.habit_text.setAccessibleName(_("Keeping the habit"))
        self.habit_weeks = label("")
        self.habit_weeks.setAccessibleName(_("Keeping the habit, week by week"))
        self.habit_reminders = label(keeping_habit_text.reminders_note(), "muted")
        for widget in (self.habit_text, self.habit_weeks, self.habit_reminders):
            habit_box.addWidget(widget)
        self.full_routine_button = QPushButton(_("Go back to my full routine"))
        self.full_routine_button.setToolTip(_("Your full routine and your day-by-day figures come back."))
        self.full_routine_button.clicked.connect(self._back_to_full_routine)
        habit_row = QHBoxLayout()
        habit_row.addWidget(self.full_routine_button)
        habit_row.addStretch(1)
        habit_box.addLayout(habit_row)
        self.habit_frame.setVisible(False)
        self._keeping_the_habit = False
        self.body.addWidget(self.habit_frame)

        # ---- weekly chart ----
        chart_frame, chart_box = card(_("Sessions each week"))
        ranges = QBoxLayout(QBoxLayout.Direction.LeftToRight)  # the words above the buttons when narrow
        ranges.setSpacing(8)
        self._range_label = label(_("Show the last"), wrap=False)
        ranges.addWidget(self._range_label)
        self.range_group = QButtonGroup(self)
        self.range_buttons: dict[int, QPushButton] = {}
        for weeks in RANGES_WEEKS:
            button = QPushButton(ngettext("{n} week", "{n} weeks", weeks).format(n=weeks))
            button.setCheckable(True)
            button.setProperty("range", "yes")
            button.setAccessibleName(
                ngettext("Show the last {n} week", "Show the last {n} weeks", weeks).format(n=weeks)
            )
            button.setChecked(weeks == self.weeks)
            button.clicked.connect(lambda _=False, w=weeks: self.set_range(w))
            self.range_group.addButton(button)
            self.range_buttons[weeks] = button
        self.range_rows = ButtonRows(list(self.range_buttons.values()))  # in rows beneath when too wide
        ranges.addWidget(self.range_rows, 0, Qt.AlignmentFlag.AlignLeft)
        ranges.addStretch(1)
        self._ranges = ranges
        chart_box.addLayout(ranges)
        self._chart: WeeklyChart | None = None  # built just after the page first shows (it loads pyqtgraph)
        self._chart_box = chart_box
        self._chart_slot = label(_("Drawing your chart…"), "muted")
        self._chart_slot.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._chart_slot.setMinimumHeight(CHART_SLOT_HEIGHT_PX)
        chart_box.addWidget(self._chart_slot)
        self.chart_summary = label("")
        self.chart_summary.setAccessibleName(_("The chart in words"))
        self.chart_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        chart_box.addWidget(self.chart_summary)
        self.table_toggle = QPushButton(_("Show the numbers as a table"))
        self.table_toggle.setCheckable(True)
        self.table_toggle.toggled.connect(self._toggle_table)
        toggle_row = QHBoxLayout()
        toggle_row.addWidget(self.table_toggle)
        toggle_row.addStretch(1)
        chart_box.addLayout(toggle_row)
        self.table = QTableWidget(0, len(TABLE_COLUMNS))
        self.table.setHorizontalHeaderLabels([_(column) for column in TABLE_COLUMNS])
        self.table.setAccessibleName(_("Weekly numbers"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(260)
        self.table.setVisible(False)
        chart_box.addWidget(self.table)
        self.body.addWidget(chart_frame)

        # ---- the habit over time: its score, the best streaks, what is missed most ----
        score_frame, score_box = card(_("Your habit score over time"))
        score_head = QHBoxLayout()
        self.score_help_button = QPushButton(_("What is this?"))
        self.score_help_button.setCheckable(True)
        self.score_help_button.setAccessibleName(_("What is the habit score?"))
        self.score_help_button.setAccessibleDescription(score_explanation())
        self.score_help_button.setToolTip(score_explanation())
        self.score_help_button.toggled.connect(self._toggle_score_help)
        score_head.addWidget(self.score_help_button)
        score_head.addStretch(1)
        score_box.addLayout(score_head)
        self.score_help = label(score_explanation(), "muted")
        self.score_help.setAccessibleName(_("How the score works"))
        self.score_help.setVisible(False)
        score_box.addWidget(self.score_help)
        self._score_chart: HabitScoreChart | None = None  # built with the weekly chart, after the page shows
        self._score_box = score_box
        self._score_slot = label(_("Drawing your chart…"), "muted")
        self._score_slot.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._score_slot.setMinimumHeight(SCORE_SLOT_HEIGHT_PX)
        score_box.addWidget(self._score_slot)
        self.score_summary = label("")
        self.score_summary.setAccessibleName(_("The habit score in words"))
        self.score_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        score_box.addWidget(self.score_summary)
        self.score_table_toggle = QPushButton(_("Show the scores as a table"))
        self.score_table_toggle.setCheckable(True)
        self.score_table_toggle.toggled.connect(self._toggle_score_table)
        score_toggle_row = QHBoxLayout()
        score_toggle_row.addWidget(self.score_table_toggle)
        score_toggle_row.addStretch(1)
        score_box.addLayout(score_toggle_row)
        self.score_table = QTableWidget(0, len(SCORE_TABLE_COLUMNS))
        self.score_table.setHorizontalHeaderLabels([_(column) for column in SCORE_TABLE_COLUMNS])
        self.score_table.setAccessibleName(_("Habit score each week"))
        self.score_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.score_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.score_table.verticalHeader().setVisible(False)
        self.score_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.score_table.horizontalHeader().setStretchLastSection(True)
        self.score_table.setMinimumHeight(260)
        self.score_table.setVisible(False)
        score_box.addWidget(self.score_table)
        self.body.addWidget(score_frame)

        # ---- the clinicians' measures (SBI, PSFS, sitting and walking), beside pain and adherence ----
        from sciatica_coach.views.outcomes_page import OutcomesTrend

        self.outcomes_trend = OutcomesTrend(ctx)
        self.body.addWidget(self.outcomes_trend)

        # ---- sitting breaks: taken and skipped each day of the last four weeks (a chart once there are any) ----
        sitting_frame, self._sitting_box = card(_("Sitting breaks"))
        self._sitting_chart: SittingBreaksChart | None = (
            None  # built after the page shows, once there are any
        )
        self.sitting_text = label("")
        self.sitting_text.setAccessibleName(_("Sitting breaks"))
        self.sitting_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._sitting_box.addWidget(self.sitting_text)
        self.body.addWidget(sitting_frame)

        streaks_frame, streaks_box = card(_("Best streaks"))
        streaks_box.addWidget(
            label(_("Days in a row that met your plan. Flare days don't break a streak."), "muted")
        )
        self.streaks_text = label("")
        self.streaks_text.setAccessibleName(_("Best streaks"))
        self.streaks_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        streaks_box.addWidget(self.streaks_text)
        self.body.addWidget(streaks_frame)

        missed_frame, missed_box = card(_("Missed most"))
        self.missed_text = label("")
        self.missed_text.setAccessibleName(_("Missed most"))
        self.missed_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        missed_box.addWidget(self.missed_text)
        self.body.addWidget(missed_frame)

        # ---- calendar ----
        calendar_frame, calendar_box = card(_("Your days"))
        self.calendar = CalendarHeatmap()
        calendar_box.addWidget(self.calendar)
        self.calendar_summary = label("", "muted")
        self.calendar_summary.setAccessibleName(_("The calendar in words"))
        calendar_box.addWidget(self.calendar_summary)
        self.body.addWidget(calendar_frame)

        # ---- notes for the physiotherapist ----
        self.notes_frame, notes_box = card(_("Worth mentioning to your physiotherapist"))
        self.notes_text = label("")
        self.notes_text.setAccessibleName(_("Notes for your physiotherapist"))
        notes_box.addWidget(self.notes_text)
        self.body.addWidget(self.notes_frame)

        # ---- what happened for safety, in the weeks shown ----
        safety_frame, safety_box = card(_("What happened for your safety"))
        self.side_line = label("")  # the leg with the sciatica, as in the report; not tied to the weeks shown
        self.side_line.setAccessibleName(_("Leg with sciatica"))
        safety_box.addWidget(self.side_line)
        self.safety_period = label("", "muted")
        self.safety_summary = label("")
        self.safety_summary.setAccessibleName(_("Safety in the weeks shown"))
        self.safety_events = label("")
        self.safety_events.setAccessibleName(_("Safety events, latest first"))
        self.safety_events.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.safety_more = label("", "muted")
        self.safety_events.setTextFormat(Qt.TextFormat.RichText)
        for widget in (self.safety_period, self.safety_summary, self.safety_events, self.safety_more):
            safety_box.addWidget(widget)
        self.body.addWidget(safety_frame)

        # ---- keep and share ----
        share_frame, share_box = card(_("Keep and share"))
        share_box.addWidget(
            label(_("Your history stays on this computer. Save a copy, or make a short report to take to "
                    "your physiotherapist or doctor."), "muted")
        )  # fmt: skip
        self.report_button = QPushButton(_("Make a report for your physio (PDF)…"))
        self.png_button = QPushButton(_("Save the chart as a picture (PNG)…"))
        self.csv_button = QPushButton(_("Export for a spreadsheet (CSV)…"))
        self.json_button = QPushButton(_("Export the history (JSON)…"))
        self.import_button = QPushButton(_("Import a history (JSON)…"))
        self.report_button.clicked.connect(self._ask_report)
        self.png_button.clicked.connect(self._ask_png)
        self.csv_button.clicked.connect(lambda: self._ask_export("csv"))
        self.json_button.clicked.connect(lambda: self._ask_export("json"))
        self.import_button.clicked.connect(self._ask_import)
        self._share_texts: dict[QPushButton, str] = {}  # each button's words, in lines as the width needs
        for button in (
            self.report_button,
            self.png_button,
            self.csv_button,
            self.json_button,
            self.import_button,
        ):
            button.setAccessibleName(button.text().rstrip("…"))
            self._share_texts[button] = button.text()
        # the report's optional name or identifier: kept only while the app is open, never stored
        report_name_label = label(_("Name or identifier to print on the report (optional)"))
        self.report_name = QLineEdit()
        self.report_name.setMaxLength(MAX_NAME_CHARS)
        self.report_name.setPlaceholderText(_("Leave it empty to write it on the printout by hand"))
        self.report_name.setAccessibleName(_("Name or identifier to print on the report (optional)"))
        report_name_label.setBuddy(self.report_name)
        share_box.addWidget(report_name_label)
        share_box.addWidget(self.report_name)
        self.share_rows = ButtonRows(list(self._share_texts))
        share_box.addWidget(self.share_rows)
        self.message_frame = QFrame()
        self.message_frame.setProperty("role", "banner")
        message_box = QVBoxLayout(self.message_frame)
        message_box.setContentsMargins(14, 10, 14, 10)
        self.message = label("")
        self.message.setAccessibleName(_("Message"))
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        message_box.addWidget(self.message)
        self.message_frame.setVisible(False)
        share_box.addWidget(self.message_frame)
        self.body.addWidget(share_frame)
        self.body.addStretch(1)

        ctx.sessions_changed.connect(self._on_sessions_changed)
        ctx.settings_changed.connect(self._show_side)
        self.refresh()

    # ---- fitting the width ----------------------------------------------------------------------------
    def fit_width(self) -> None:
        """Cards, range buttons and share buttons side by side as far as the width allows, the rest beneath,
        and a share button's words in two lines when even alone it is too wide: the page is never wider
        than the window (large text, German, a small window)."""
        room = card_room(self)
        spacing = self.headline_grid.horizontalSpacing()
        widest_card = max(frame.minimumSizeHint().width() for frame in self.headline_cards)
        fitting = (room + CARD_INSIDE_PX + spacing) // (widest_card + spacing)
        columns = 4 if fitting >= 4 else max(1, min(2, fitting))  # 4, 2 or 1: never 3 and a lone one
        self._place_headline_cards(columns)
        label_px = self._range_label.sizeHint().width() + self._ranges.spacing()
        beside = self.range_rows.columns_for(room - label_px) == len(self.range_buttons)
        self._ranges.setDirection(
            QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
        )
        buttons_room = room - label_px if beside else room
        if self.range_rows.columns_for(buttons_room) == 3:  # two rows of two, not three and a lone one
            buttons_room = two_columns_px(self.range_rows)
        self.range_rows.fit(buttons_room)
        for button, text in self._share_texts.items():
            fit_button_text(button, text, room)
        self.share_rows.fit(min(room, two_columns_px(self.share_rows)))  # two side by side at most

    def _place_headline_cards(self, columns: int) -> None:
        if columns == self.headline_columns:
            return
        self.headline_columns = columns
        grid = self.headline_grid
        for frame in (*self.headline_cards, self._pain_frame):
            grid.removeWidget(frame)
        for index, frame in enumerate(self.headline_cards):
            grid.addWidget(frame, index // columns, index % columns)
        rows = -(-len(self.headline_cards) // columns)
        grid.addWidget(self._pain_frame, rows, 0, 1, columns)
        for column in range(len(self.headline_cards)):
            grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_width()

    # ---- data ---------------------------------------------------------------------------------------
    def _on_sessions_changed(self) -> None:
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        if self._dirty:
            self.refresh()
        else:
            # answered break cards do not mark the page as changed: read them again
            self._render_sitting(draw=self._chart is not None)
        super().showEvent(event)
        if self._chart is None:
            # cards, calendar and text first; the charts next
            QTimer.singleShot(0, self, self._build_charts)

    @property
    def chart(self) -> WeeklyChart:
        """The weekly chart, built on first use: pyqtgraph and numpy load only when it is needed."""
        if self._chart is None:
            from sciatica_coach.views.charts import WeeklyChart

            chart = WeeklyChart()
            self._chart_box.replaceWidget(self._chart_slot, chart)
            self._chart_slot.deleteLater()
            self._chart = chart
            if self.history is not None:
                chart.set_rows(self.rows, self.history.today)
        return self._chart

    @property
    def score_chart(self) -> HabitScoreChart:
        """The habit score chart, built on first use (like the weekly chart, it needs pyqtgraph)."""
        if self._score_chart is None:
            from sciatica_coach.views.charts import HabitScoreChart

            chart = HabitScoreChart()
            self._score_box.replaceWidget(self._score_slot, chart)
            self._score_slot.deleteLater()
            self._score_chart = chart
            self._draw_scores()
        return self._score_chart

    def _build_charts(self) -> None:
        self.chart  # noqa: B018 (built on first use)
        self.score_chart  # noqa: B018
        self._render_sitting(draw=True)

    @property
    def sitting_chart(self) -> SittingBreaksChart:
        """The sitting-breaks chart, built on first use (it needs pyqtgraph), above the words."""
        if self._sitting_chart is None:
            from sciatica_coach.views.charts import SittingBreaksChart

            self._sitting_chart = SittingBreaksChart()
            self._sitting_box.insertWidget(self._sitting_box.indexOf(self.sitting_text), self._sitting_chart)
        return self._sitting_chart

    def _render_sitting(self, draw: bool = False) -> None:
        """The line of words, and the chart once there has been a break (before the first one, only the line
        saying where to turn them on). `draw`: build the chart if it is wanted (after the page first shows)."""
        overview = sitting_breaks_overview(self.ctx.repo, self.ctx.clock)
        self.sitting_text.setText(sitting_breaks_text(overview))
        if overview.ever and (draw or self._sitting_chart is not None):
            self.sitting_chart.set_overview(overview)
        if self._sitting_chart is not None:
            self._sitting_chart.setVisible(overview.ever)

    def refresh(self) -> None:
        """Reload the history from storage and redraw everything."""
        self.history = load_history(self.ctx.repo, self.ctx.clock)
        self.plans = plan_history(self.ctx.repo, self.ctx.clock.now())
        self._dirty = False
        self._show_side()
        self.outcomes_trend.refresh()
        self._render_headline(self.history.summary())
        self._render_keeping_the_habit()
        self._render_range()
        self._render_sitting(draw=self._chart is not None)

    def _back_to_full_routine(self) -> None:
        from sciatica_coach.core.catalogue import load_catalogue
        from sciatica_coach.services.routines import back_to_full_routine

        try:
            back_to_full_routine(self.ctx.repo, load_catalogue(), self.ctx.clock)
        except DataError as err:
            self.show_message(str(err), problem=True)
            return
        self.ctx.routine_changed.emit()
        self.refresh()

    def _render_keeping_the_habit(self) -> None:
        """While keeping the habit, "This week" is the week against the chosen target, in words."""
        now = keeping_habit_text.current(keeping_the_habit(self.ctx.repo, self.ctx.clock))
        self._keeping_the_habit = now is not None
        self.habit_frame.setVisible(now is not None)
        if now is None:
            return
        self.habit_text.setText(keeping_habit_text.headline(now))
        self.habit_weeks.setText("\n".join(keeping_habit_text.week_lines(now)))
        week = keeping_habit_text.this_week(now)
        if week is not None:
            figure = self.figures["this_week"]
            figure.setText(_("{done} of {n}").format(done=week.completed, n=week.target))
            self.figure_notes["this_week"].setText(_("sessions this week, keeping the habit"))
            figure.setAccessibleDescription(maintenance.week_words(week))

    def set_range(self, weeks: int) -> None:
        if weeks not in RANGES_WEEKS:
            raise ValueError(f"unsupported range {weeks}")
        self.weeks = weeks
        self.range_buttons[weeks].setChecked(True)
        if self.history is not None:
            self._render_range()

    # ---- rendering ----------------------------------------------------------------------------------
    def _render_headline(self, summary: Summary) -> None:
        self.figures["this_week"].setText(this_week_text(summary))
        self.figure_notes["this_week"].setText(_("sessions so far"))
        self.figures["adherence_4w"].setText(fmt_pct(summary.adherence_4w_pct))
        self.figure_notes["adherence_4w"].setText(_("of planned sessions"))
        self.figures["streak"].setText(days_text(summary.current_streak))
        best = summary.best_streak
        self.figure_notes["streak"].setText(ngettext("best {n} day", "best {n} days", best).format(n=best))
        self.figures["score"].setText(fmt_pct(summary.score_pct))
        self.figure_notes["score"].setText(_("rises as you keep going"))
        self.figures["score"].setToolTip(score_explanation())
        for key, value in self.figures.items():
            value.setAccessibleDescription(f"{value.text()} {self.figure_notes[key].text()}")
        self.figures["streak"].setAccessibleDescription(streak_text(summary))
        self.pain_text.setText(headline_pain_text(summary))
        self._style_figures()

        notes = []
        if summary.safety_stops:
            days = ", ".join(short_date(day) for day in summary.safety_stop_days[-5:])
            stops = summary.safety_stops
            notes.append(
                ngettext(
                    "You stopped {n} session for safety ({days}). Stopping was the right thing to do.",
                    "You stopped {n} sessions for safety ({days}). Stopping was the right thing to do.",
                    stops,
                ).format(n=stops, days=days)
            )
        for note in summary.spread_down[:3]:
            notes.append(
                ngettext(
                    "Leg symptoms spread further down after {name} ({n} time, last on {day}).",
                    "Leg symptoms spread further down after {name} ({n} times, last on {day}).",
                    note.times,
                ).format(name=exercise_name(note.exercise_id), n=note.times, day=short_date(note.last_day))
            )
        if summary.numbness_or_weakness_days:
            count = len(summary.numbness_or_weakness_days)
            notes.append(
                ngettext(
                    "New numbness or weakness noted on {n} day.",
                    "New numbness or weakness noted on {n} days.",
                    count,
                ).format(n=count)
            )
        self.notes_text.setText("\n".join(notes))
        self.notes_frame.setVisible(bool(notes))

    def _style_figures(self) -> None:
        """Page-local styles that follow the theme and text size: big headline figures and the checked range
        button. (One style sheet: a widget style sheet would override fonts set on child labels.)"""
        c = current_colors()
        figure_pt = QApplication.font().pointSizeF() * FIGURE_SCALE
        sheet = (
            f'QLabel[figure="yes"] {{ font-size: {figure_pt:.1f}pt; font-weight: 600; }}\n'
            f'QPushButton[range="yes"]:checked {{ background: {c.accent}; color: {c.on_accent}; '
            f"border-color: {c.accent}; }}"
        )
        if self.styleSheet() != sheet:  # setting it again would re-polish (and re-signal) for nothing
            self.setStyleSheet(sheet)

    def _render_range(self) -> None:
        assert self.history is not None
        history = self.history
        self.rows = history.weekly_table(self.weeks)
        if self._chart is not None:
            self._chart.set_rows(self.rows, history.today)
        summary = weeks_summary(self.rows, history.today)
        if self._keeping_the_habit:  # the chart's planned numbers leave those days out: say so
            summary += " " + _(
                "While you keep the habit, days have no day target; each week is measured against the aim "
                "you chose, under “Keeping the habit”."
            )
        self.chart_summary.setText(summary)
        self._fill_table()
        calendar_weeks = max(self.weeks, CALENDAR_MIN_WEEKS)
        today = history.today
        start = today - timedelta(days=today.weekday()) - timedelta(weeks=calendar_weeks - 1)
        cells = history.calendar_days(start, today + timedelta(days=6 - today.weekday()))
        self.calendar.set_cells(cells, today)
        self._render_safety(
            safety_overview(self.ctx.repo, self.rows[0].start, today, self.ctx.clock.now().tzinfo)
        )
        self.calendar_summary.setText(
            _("The last {n} weeks: {summary} Hover over a day to see its sessions.").format(
                n=calendar_weeks, summary=self.calendar.accessibleDescription()
            )
        )
        self._render_habit()

    def _render_habit(self) -> None:
        """The habit score, the best streaks and what is missed most, over the weeks shown."""
        assert self.history is not None
        plans = self.plans
        self.habit = habit_stats(
            self.history,
            self.rows[0].start,
            slots_for=lambda day: [r.slot for r in plans.reminders_on(day).enabled_on(day.weekday())],
        )
        self.score_summary.setText(score_summary(self.habit))
        self._draw_scores()
        self._fill_score_table()
        self.streaks_text.setText(best_streaks_text(self.habit))
        self.missed_text.setText(missed_most_text(self.habit))

    def _draw_scores(self) -> None:
        if self._score_chart is not None and self.habit is not None and self.rows:
            self._score_chart.set_scores(
                self.habit.scores, self.rows[0].start, self.rows[-1].end, self.habit.today,
                self.score_summary.text(),
            )  # fmt: skip

    def _fill_score_table(self) -> None:
        assert self.habit is not None
        points = list(reversed(self.habit.week_end_scores))
        self.score_table.setRowCount(len(points))
        for row_index, point in enumerate(points):
            monday = point.day - timedelta(days=point.day.weekday())
            week = (
                _("{date} (so far)").format(date=short_date(monday))
                if point.day == self.habit.today
                else short_date(monday)
            )
            for column, text in enumerate((week, fmt_pct(point.score_pct))):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.score_table.setItem(row_index, column, item)

    def _toggle_score_help(self, shown: bool) -> None:
        self.score_help.setVisible(shown)

    def _toggle_score_table(self, shown: bool) -> None:
        self.score_table.setVisible(shown)
        self.score_table_toggle.setText(_("Hide the table") if shown else _("Show the scores as a table"))

    def _show_side(self) -> None:
        """The leg with the sciatica, as the person said in Settings (the report names it too)."""
        from sciatica_coach.services.affected_side import affected_side

        self.side_line.setText(_(SIDE_LINES[affected_side(self.ctx.repo)]))

    def _render_safety(self, overview: SafetyOverview) -> None:
        """The weeks shown: red-flag checks, leg reach, after-exercise answers, then the latest events."""
        self.safety_period.setText(
            ngettext(
                "In the last {n} week (change the weeks above the chart), latest first:",
                "In the last {n} weeks (change the weeks above the chart), latest first:",
                self.weeks,
            ).format(n=self.weeks)
        )
        summary = [
            line
            for line in (
                red_flag_checks_sentence(overview),
                reach_sentence(overview),
                answers_sentence(overview),
            )
            if line
        ]
        events = list(reversed(overview.events))[:SAFETY_EVENTS_SHOWN]
        if not overview.events:
            summary.append(
                ngettext(
                    "No safety events in the last {n} week: no stops, no “It hurts”, no red-flag “yes”.",
                    "No safety events in the last {n} weeks: no stops, no “It hurts”, no red-flag “yes”.",
                    self.weeks,
                ).format(n=self.weeks)
            )
        self.safety_summary.setText("\n".join(summary))
        tz = self.ctx.clock.now().tzinfo
        rows = "".join(
            '<tr><td style="white-space: nowrap; padding-right: 16px;">{when}</td><td>{what}</td></tr>'.format(
                when=escape(event_time(event.at, tz)),
                what=escape(safety_event_text(event)).replace("\n", "<br>"),
            )
            for event in events
        )
        self.safety_events.setText(f'<table cellspacing="0" cellpadding="1">{rows}</table>' if rows else "")
        self.safety_events.setAccessibleDescription(
            " ".join(f"{event_time(e.at, tz)}: {safety_event_text(e)}" for e in events)
        )
        self.safety_events.setVisible(bool(rows))
        earlier = len(overview.events) - len(events)
        self.safety_more.setText(
            ngettext(
                "… and {n} earlier in these weeks (the JSON and CSV exports keep all of them).",
                "… and {n} earlier in these weeks (the JSON and CSV exports keep all of them).",
                earlier,
            ).format(n=earlier)
        )
        self.safety_more.setVisible(earlier > 0)

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.rows))
        for row_index, row in enumerate(reversed(self.rows)):
            week = (
                _("{date} (so far)").format(date=short_date(row.start))
                if row.in_progress
                else short_date(row.start)
            )
            values = (week, str(row.completed), str(row.partial), str(row.target), fmt_pct(row.adherence_pct),
                      fmt_pain(row.back_pain_mean), fmt_pain(row.leg_pain_mean), str(row.excused_days),
                      str(row.safety_stops))  # fmt: skip
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row_index, column, item)

    def _toggle_table(self, shown: bool) -> None:
        self.table.setVisible(shown)
        self.table_toggle.setText(_("Hide the table") if shown else _("Show the numbers as a table"))

    def changeEvent(self, event: QEvent) -> None:
        # The app's palette changes when light/dark mode or the text size changes: recolour the charts once
        # (their items and data stay; charts.WeeklyChart.apply_colors).
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._recolor_timer.start()
        super().changeEvent(event)

    @property
    def recolor_pending(self) -> bool:
        return self._recolor_timer.isActive()

    def _recolor(self) -> None:
        self._style_figures()
        self.fit_width()  # the text size may have changed too
        if self._chart is not None:
            self._chart.apply_colors(current_colors())
        if self._score_chart is not None:
            self._score_chart.apply_colors(current_colors())
        if self._sitting_chart is not None:
            self._sitting_chart.apply_colors(current_colors())
        self.outcomes_trend.recolor()
        self.calendar.update()

    # ---- keep and share -----------------------------------------------------------------------------
    def _ask_save_path(self, caption: str, suggested: str, file_filter: str) -> str:
        start = str(Path.home() / suggested)
        path, _chosen = QFileDialog.getSaveFileName(self, caption, start, file_filter)
        return path

    def _ask_open_path(self, caption: str, file_filter: str) -> str:
        path, _chosen = QFileDialog.getOpenFileName(self, caption, str(Path.home()), file_filter)
        return path

    def _stamp(self) -> str:
        return self.ctx.clock.now().date().isoformat()

    def show_message(self, text: str, problem: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("problem", problem)
        self.message_frame.setVisible(True)

    def _ask_export(self, fmt: str) -> None:
        kind = _("CSV files (*.csv)") if fmt == "csv" else _("JSON files (*.json)")
        path = self._ask_save_path(_("Export your history"), f"sciatica-coach-{self._stamp()}.{fmt}", kind)
        if path:
            self.export_to(Path(path), fmt)

    def export_to(self, path: Path, fmt: str) -> bool:
        from sciatica_coach.storage.exchange import export_csv, export_json

        text = export_csv(self.ctx.repo) if fmt == "csv" else export_json(self.ctx.repo, self.ctx.clock.now())
        return self._write_file(path, text.encode("utf-8"), N_("Your history was saved to {path}."))

    def _write_file(self, path: Path, data: bytes, success: str) -> bool:
        """``success``: a message marked with N_, with a {path} placeholder. A file inside the data folder, a
        folder, pipe or device is refused (the file dialog has already asked before replacing a file)."""
        from sciatica_coach.core.chosen_files import ChosenFileError, check_output

        try:
            path = check_output(path, self.ctx.repo.folder).path
        except ChosenFileError as err:
            self.show_message(_("Nothing was saved: {problem}").format(problem=err), True)
            return False
        try:
            atomic_write(path, data, mode=0o600)
        except OSError as err:
            self.show_message(
                _("Couldn't save {path} ({error}). Nothing else was changed.").format(
                    path=path, error=err.strerror or err
                ),
                True,
            )
            return False
        self.show_message(_(success).format(path=path))
        return True

    def _ask_import(self) -> None:
        path = self._ask_open_path(_("Import a backup"), _("JSON files (*.json);;All files (*)"))
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> bool:
        """Import a JSON export with the same checks as `sciatica-coach import`; nothing changes on failure."""
        from sciatica_coach.storage.exchange import (
            ExchangeError,
            PartialImportError,
            apply_import,
            parse_import,
            read_import_file,
        )

        try:
            bundle = parse_import(read_import_file(path), path.name)
            result = apply_import(self.ctx.repo, bundle)
        except PartialImportError as err:  # part of it is in: say what, never "unchanged"
            self.show_message(str(err), True)
            if err.result.added or err.result.events_added:
                self.ctx.sessions_changed.emit()
            return False
        except (ExchangeError, DataError) as err:
            self.show_message(_("{problem} Your data is unchanged.").format(problem=err), True)
            return False
        message = ngettext(
            "Imported {n} session; {already} were already there.",
            "Imported {n} sessions; {already} were already there.",
            result.added,
        ).format(n=result.added, already=result.already_there)
        if result.events_added:
            message += " " + ngettext(
                "{n} safety event was added.", "{n} safety events were added.", result.events_added
            ).format(n=result.events_added)
        if result.breaks_added:
            message += " " + ngettext(
                "{n} sitting break was added.", "{n} sitting breaks were added.", result.breaks_added
            ).format(n=result.breaks_added)
        self.show_message(message)
        self.ctx.sessions_changed.emit()
        return True

    def _ask_png(self) -> None:
        path = self._ask_save_path(
            _("Save the chart as a picture"),
            f"sciatica-coach-chart-{self._stamp()}.png",
            _("PNG images (*.png)"),
        )
        if path:
            self.save_chart_png(Path(path))

    def save_chart_png(self, path: Path) -> bool:
        pixmap = self.chart.grab()
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        pixmap.save(buffer, "PNG")
        data: QByteArray = buffer.data()
        return self._write_file(path, bytes(data.data()), N_("The chart was saved to {path}."))

    def _ask_report(self) -> None:
        path = self._ask_save_path(
            _("Save the report"), f"sciatica-coach-report-{self._stamp()}.pdf", _("PDF files (*.pdf)")
        )
        if path:
            self.make_report(Path(path))

    def make_report(self, path: Path) -> bool:
        from sciatica_coach.services.report import render_report_pdf

        try:
            data = render_report_pdf(
                self.ctx.repo, self.ctx.clock, weeks=max(self.weeks, 4), name=self.report_name.text()
            )
        except DataError as err:
            self.show_message(str(err), True)
            return False
        return self._write_file(path, data, N_("The report was saved to {path}."))
