"""The Reminders page: reminder times with their days and on/off, snooze, "quiet when done", start at login,
and a preview of the next reminders.

Every change is checked by the schedule core (`core.schedule.validate`); its plain messages appear beside the
row they are about. A valid plan is saved at once (through the running reminder service when there is
one, so the timer re-arms); an invalid one is never saved."""

from __future__ import annotations

import logging
from datetime import datetime, time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from sciatica_coach.core.schedule import (
    DEFAULT_SNOOZE_MIN,
    EVERY_DAY,
    MAX_REMINDERS,
    SNOOZE_LONGEST_MIN,
    SNOOZE_SHORTEST_MIN,
    WEEKDAYS,
    PlanError,
    Problem,
    Reminder,
    ReminderPlan,
    format_time,
    parse_time,
    upcoming,
    validate,
)
from sciatica_coach.i18n import N_, _
from sciatica_coach.platform.autostart import Autostart, create_autostart
from sciatica_coach.platform.locale_support import clock_time, day_month, weekday_name
from sciatica_coach.services.plans import reminder_plan, save_reminder_plan
from sciatica_coach.storage.repository import DataError
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.theme import current_colors
from sciatica_coach.views.widgets import Page, card, label

log = logging.getLogger(__name__)

PREVIEW_COUNT = 5
NEW_REMINDER_TIME = time(12, 0)
REMIND_ON = (N_("Remind me on Mondays"), N_("Remind me on Tuesdays"), N_("Remind me on Wednesdays"),
             N_("Remind me on Thursdays"), N_("Remind me on Fridays"), N_("Remind me on Saturdays"),
             N_("Remind me on Sundays"))  # fmt: skip


def describe_days(days: frozenset[int]) -> str:
    """Weekdays in plain words: "every day", "weekdays", "weekends" or "Mon, Wed, Fri" (in the locale)."""
    chosen = days & EVERY_DAY
    if chosen == EVERY_DAY:
        return _("every day")
    if chosen == WEEKDAYS:
        return _("weekdays")
    if chosen == frozenset({5, 6}):
        return _("weekends")
    return ", ".join(weekday_name(d, short=True) for d in sorted(chosen))


def moment_text(moment: datetime, now: datetime) -> str:
    """ "Today 19:00", "Tomorrow 8:00 AM" or "Wed 4 Mar 08:00": the locale's clock and dates."""
    days_ahead = (moment.date() - now.date()).days
    if days_ahead == 0:
        return _("Today {time}").format(time=clock_time(moment))
    if days_ahead == 1:
        return _("Tomorrow {time}").format(time=clock_time(moment))
    return _("{weekday} {date} {time}").format(
        weekday=weekday_name(moment.weekday(), short=True),
        date=day_month(moment.date()),
        time=clock_time(moment),
    )


class ReminderRow(QFrame):
    """One reminder: on/off, its time, its days, a remove button, and the note about it (if any)."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, reminder: Reminder) -> None:
        super().__init__()
        self.setProperty("role", "reminder-row")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 6, 0, 6)
        outer.setSpacing(6)
        row = QHBoxLayout()
        row.setSpacing(10)
        self.enabled = QCheckBox(_("On"))
        self.enabled.setChecked(reminder.enabled)
        self.enabled.setAccessibleName(_("Reminder on"))
        self.enabled.toggled.connect(self.changed)
        self.time = QLineEdit(format_time(reminder.time))
        self.time.setProperty("role", "time")
        self.time.setMaxLength(5)
        self.time.setFixedWidth(100)
        self.time.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.time.setPlaceholderText(_("HH:MM"))
        self.time.setAccessibleName(_("Reminder time, HH:MM"))
        self.time.setToolTip(_("The time, on the 24-hour clock, for example 08:00 or 19:30"))
        self.time.editingFinished.connect(self.changed)
        row.addWidget(self.enabled)
        row.addWidget(self.time)
        days = QHBoxLayout()
        days.setSpacing(4)
        self.day_buttons: list[QPushButton] = []
        for index in range(7):
            name = weekday_name(index)
            button = QPushButton(weekday_name(index, short=True))
            button.setProperty("role", "day")
            button.setCheckable(True)
            button.setChecked(index in reminder.weekdays)
            button.setAccessibleName(name)
            button.setToolTip(_(REMIND_ON[index]))
            button.toggled.connect(self.changed)
            days.addWidget(button)
            self.day_buttons.append(button)
        row.addLayout(days)
        row.addStretch(1)
        self.remove = QPushButton(_("Remove"))
        self.remove.setAccessibleName(_("Remove this reminder"))
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        row.addWidget(self.remove)
        outer.addLayout(row)
        self.note = label("", "problem")
        self.note.setVisible(False)
        outer.addWidget(self.note)

    def weekdays(self) -> frozenset[int]:
        return frozenset(i for i, b in enumerate(self.day_buttons) if b.isChecked())

    def show_problems(self, messages: list[str]) -> None:
        self.note.setText("\n".join(messages))
        self.note.setVisible(bool(messages))
        self.time.setProperty("invalid", any(messages))
        self.time.style().unpolish(self.time)
        self.time.style().polish(self.time)


class RemindersPage(Page):
    def __init__(self, ctx: AppContext, autostart: Autostart | None = None) -> None:
        super().__init__(
            _("Reminders"), _("Gentle nudges at the times that suit you. Nothing is sent anywhere.")
        )
        self.ctx = ctx
        self._autostart = autostart or create_autostart(ctx.repo.folder)
        plan = reminder_plan(ctx.repo)
        self.saved_plan = plan
        self.rows: list[ReminderRow] = []

        times, times_layout = card(_("Your reminder times"))
        times_layout.addWidget(
            label(
                _("Each reminder comes once on the days you pick. Keep them at least 30 minutes apart."),
                "muted",
            )
        )
        # Keeping the habit: the times stay (so the habit does), the words say 2-3 a week is the aim now.
        self.habit_note = label("")
        self.habit_note.setVisible(False)
        times_layout.addWidget(self.habit_note)
        self._show_habit_note()
        ctx.routine_changed.connect(self._show_habit_note)
        self._rows_box = QVBoxLayout()
        self._rows_box.setSpacing(2)
        times_layout.addLayout(self._rows_box)
        self.add_button = QPushButton(_("Add a reminder"))
        self.add_button.setAccessibleName(_("Add a reminder"))
        self.add_button.clicked.connect(self.add_reminder)
        self.plan_note = label("", "problem")
        self.plan_note.setVisible(False)
        times_layout.addWidget(self.plan_note)
        times_layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(times)

        options, options_layout = card(_("When a reminder comes"))
        snooze_row = QHBoxLayout()
        snooze_row.addWidget(label(_("Snooze for"), wrap=False))
        self.snooze = QSpinBox()
        self.snooze.setRange(SNOOZE_SHORTEST_MIN, SNOOZE_LONGEST_MIN)
        self.snooze.setValue(plan.snooze_min if isinstance(plan.snooze_min, int) else DEFAULT_SNOOZE_MIN)
        self.snooze.setSuffix(_(" minutes"))
        self.snooze.setMinimumWidth(150)
        self.snooze.setAccessibleName(_("Snooze length in minutes"))
        self.snooze.valueChanged.connect(self._changed)
        snooze_row.addWidget(self.snooze)
        snooze_row.addStretch(1)
        options_layout.addLayout(snooze_row)
        self.snooze_note = label("", "problem")
        self.snooze_note.setVisible(False)
        options_layout.addWidget(self.snooze_note)
        self.quiet = QCheckBox(_("Stay quiet when I have already done that session"))
        self.quiet.setChecked(bool(plan.quiet_if_done))
        self.quiet.toggled.connect(self._changed)
        options_layout.addWidget(self.quiet)
        self.body.addWidget(options)

        login, login_layout = card(_("Start at login"))
        self.start_at_login = QCheckBox(
            _("Start Sciatica Coach when I log in, so reminders come without opening it")
        )
        self.start_at_login.setEnabled(self._autostart.available)
        self.start_at_login.setChecked(self._autostart.enabled())
        self.start_at_login.toggled.connect(self._set_autostart)
        login_layout.addWidget(self.start_at_login)
        self.login_note = label("", "muted")
        self.login_note.setVisible(not self._autostart.available)
        if not self._autostart.available:
            self.login_note.setText(_("Starting at login isn't available on this system."))
        login_layout.addWidget(self.login_note)
        self.body.addWidget(login)

        preview, preview_layout = card(_("Coming up"))
        self.preview = label("", "big")
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        preview_layout.addWidget(self.preview)
        self.save_state = label("", "muted")
        preview_layout.addWidget(self.save_state)
        self.body.addWidget(preview)
        self.body.addStretch(1)

        for reminder in plan.reminders:
            self._add_row(reminder)
        self._restyle()
        ctx.appearance_changed.connect(self._restyle)
        self._refresh_preview(plan)
        self._update_add_button()

    # -- rows ----------------------------------------------------------------------------------------

    def _show_habit_note(self) -> None:
        from sciatica_coach.services import keeping_habit_text
        from sciatica_coach.services.progress_data import keeping_the_habit

        now = keeping_habit_text.current(keeping_the_habit(self.ctx.repo, self.ctx.clock))
        self.habit_note.setVisible(now is not None)
        if now is not None:
            words = (keeping_habit_text.headline(now), keeping_habit_text.reminders_note())
            self.habit_note.setText(" ".join(words))

    def _add_row(self, reminder: Reminder) -> ReminderRow:
        row = ReminderRow(reminder)
        row.changed.connect(self._changed)
        row.remove_requested.connect(self.remove_reminder)
        self._rows_box.addWidget(row)
        self.rows.append(row)
        return row

    def add_reminder(self) -> ReminderRow | None:
        if len(self.rows) >= MAX_REMINDERS:
            return None
        row = self._add_row(Reminder(self._free_time()))
        self._restyle()
        self._update_add_button()
        self._changed()
        row.time.setFocus()
        row.time.selectAll()
        return row

    def remove_reminder(self, row: ReminderRow) -> None:
        self.rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        self._update_add_button()
        self._changed()

    def _free_time(self) -> time:
        """A time for a new reminder that keeps its distance from the others (noon, else the next free hour)."""
        taken = []
        for row in self.rows:
            try:
                at = parse_time(row.time.text())
            except PlanError:
                continue
            taken.append(at.hour * 60 + at.minute)
        for hour in [12, *range(24)]:
            minutes = hour * 60
            if all(min(abs(minutes - t), 1440 - abs(minutes - t)) >= 60 for t in taken):
                return time(hour, 0)
        return NEW_REMINDER_TIME

    def _update_add_button(self) -> None:
        full = len(self.rows) >= MAX_REMINDERS
        self.add_button.setEnabled(not full)
        self.add_button.setToolTip(
            _("You can have up to {most} reminders.").format(most=MAX_REMINDERS) if full else ""
        )

    # -- checking and saving ---------------------------------------------------------------------------

    def draft(self) -> tuple[ReminderPlan | None, dict[int, list[str]], list[str]]:
        """The plan the page shows, or None; problems per row index; problems about the whole plan."""
        per_row: dict[int, list[str]] = {}
        general: list[str] = []
        reminders: list[Reminder] = []
        row_of: list[int] = []
        for index, row in enumerate(self.rows):
            try:
                at = parse_time(row.time.text())
            except PlanError as err:
                per_row.setdefault(index, []).extend(p.message for p in err.problems)
                continue
            reminders.append(Reminder(at, row.weekdays(), row.enabled.isChecked()))
            row_of.append(index)
        plan = ReminderPlan(tuple(reminders), self.snooze.value(), self.quiet.isChecked())
        problems: list[Problem] = validate(plan)
        self._snooze_messages = [p.message for p in problems if p.field == "snooze_min"]
        for problem in problems:
            if problem.index is not None and problem.field in {"time", "weekdays", "enabled"}:
                per_row.setdefault(row_of[problem.index], []).append(problem.message)
            else:
                general.append(problem.message)
        valid = not per_row and not general
        return (plan if valid else None), per_row, general

    def _changed(self) -> None:
        plan, per_row, general = self.draft()
        for index, row in enumerate(self.rows):
            row.show_problems(per_row.get(index, []))
        snooze_messages = [m for m in general if m in self._snooze_messages]
        other = [m for m in general if m not in snooze_messages]
        self.snooze_note.setText("\n".join(snooze_messages))
        self.snooze_note.setVisible(bool(snooze_messages))
        self.plan_note.setText("\n".join(other))
        self.plan_note.setVisible(bool(other))
        if plan is None:
            self.save_state.setText(_("Not saved yet: please look at the note above."))
            return
        if plan != self.saved_plan:
            self._save(plan)
        self._refresh_preview(plan)

    def _save(self, plan: ReminderPlan) -> None:
        try:
            service = self.ctx.reminders
            if service is not None:
                service.set_plan(plan)
            else:
                save_reminder_plan(self.ctx.repo, plan, self.ctx.clock.now())
        except (PlanError, DataError) as err:
            self.save_state.setText(str(err))
            return
        self.saved_plan = plan
        self.save_state.setText(_("Saved."))

    def _refresh_preview(self, plan: ReminderPlan) -> None:
        now = self.ctx.clock.now()
        moments = upcoming(plan, now, PREVIEW_COUNT)
        if not moments:
            self.preview.setText(_("No reminders are switched on."))
        else:
            self.preview.setText("\n".join(moment_text(m, now) for m in moments))
        on = [r for r in plan.reminders if r.enabled]
        summary = "; ".join(
            _("{time} {days}").format(time=clock_time(r.time), days=describe_days(r.weekdays))
            for r in sorted(on, key=lambda r: r.time)
        )
        self.preview.setAccessibleDescription(summary)

    # -- start at login ----------------------------------------------------------------------------------

    def _set_autostart(self, on: bool) -> None:
        try:
            self._autostart.set_enabled(on)
        except OSError as err:
            self.login_note.setText(_("Couldn't change this: {error}.").format(error=err.strerror or err))
            self.login_note.setVisible(True)
            self.start_at_login.blockSignals(True)
            self.start_at_login.setChecked(self._autostart.enabled())
            self.start_at_login.blockSignals(False)
            return
        self.login_note.setVisible(False)

    # -- looks ---------------------------------------------------------------------------------------------

    def _restyle(self) -> None:
        c = current_colors()
        body = self.widget()
        assert body is not None
        body.setStyleSheet(
            f"""
            QLineEdit[role="time"] {{ font-size: 17pt; padding: 6px 8px; border: 1px solid {c.border};
                border-radius: 8px; background: {c.surface}; color: {c.text}; }}
            QLineEdit[role="time"]:focus {{ border: 2px solid {c.accent}; }}
            QLineEdit[role="time"][invalid="true"] {{ border: 2px solid {c.red}; }}
            QPushButton[role="day"] {{ min-width: 38px; padding: 8px 3px; border-radius: 8px; }}
            QPushButton[role="day"]:checked {{ background: {c.accent}; color: {c.on_accent};
                border: 1px solid {c.accent}; font-weight: 600; }}
            QPushButton[role="day"]:checked:focus {{ border: 3px solid {c.text}; }}
            QLabel[role="problem"] {{ color: {c.red}; font-weight: 600; }}
            QCheckBox {{ spacing: 10px; }}
            QCheckBox::indicator {{ width: 22px; height: 22px; }}
            QSpinBox {{ padding: 6px 8px; min-height: 30px; font-size: 13pt; }}
            """
        )


__all__ = ["EVERY_DAY", "RemindersPage"]
