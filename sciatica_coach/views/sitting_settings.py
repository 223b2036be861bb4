"""Settings' "Sitting breaks" section: the switch, how long the person sits before a card, their working days
and hours, how the app knows about sitting on this desktop, and an hour's pause with "Resume now".

Every choice is saved at once through `AppContext.set_setting` (the sitting-break service listens to
`settings_changed`); the widgets only offer values the settings allow (15-120 minutes in steps of 5, real
weekdays, real times of day). What the service knows (whether it counts keyboard and mouse use, a pause) is read
from `ctx.sitting_breaks` when it runs, and shown again whenever it says its status changed."""

from __future__ import annotations

import logging
from datetime import time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from sciatica_coach.core.affected_side import parse_up_by
from sciatica_coach.core.sitting import INTERVAL_RANGE_MIN, NATURAL_BREAK_S, BreakSettings
from sciatica_coach.i18n import _, ngettext
from sciatica_coach.platform.locale_support import (
    app_locale,
    clock_pattern,
    clock_time,
    week_order,
    weekday_name,
)
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.theme import fit_button_text
from sciatica_coach.views.widgets import ButtonRows, card_layout, label, narrow_form

log = logging.getLogger(__name__)

INTERVAL_STEP_MIN = 5  # the choices: 15, 20, … 120 minutes (and a stored value between them, as it is)
ON_SETTING = "sitting_breaks_on"
INTERVAL_SETTING = "sitting_interval_min"
DAYS_SETTING = "sitting_work_days"
START_SETTING = "sitting_work_start"
END_SETTING = "sitting_work_end"
INTRO_STATE = (
    "sitting_intro_answered"  # True once Today's introduction is answered, or breaks were switched here
)


def stored_time(value: object, default: time) -> time:
    """A stored "HH:MM" working-hours setting as a time (the default when it can't be read)."""
    return parse_up_by(value) or default


def time_setting(moment: time) -> str:
    """The value stored for a working-hours time ("08:00")."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def hours_words(start: time, end: time) -> str:
    """The working hours in plain words, saying so when they run across midnight or fill the whole day."""
    if start == end:
        return _("The start and the end are the same, so the whole day counts: breaks can come at any time.")
    if start < end:
        return _("Breaks can come from {start} to {end} on your working days.").format(
            start=clock_time(start), end=clock_time(end)
        )
    return _(
        "Breaks can come from {start} on a working day until {end} the next morning (across midnight)."
    ).format(start=clock_time(start), end=clock_time(end))


def how_it_knows(counts_input: bool | None) -> str:
    """How the app tells that the person is sitting at the computer, on this desktop ("" while unknown)."""
    if counts_input is None:
        return ""
    if counts_input:
        return ngettext(
            "Counts the time you use the keyboard and mouse; {n} minute away counts as a break.",
            "Counts the time you use the keyboard and mouse; {n} minutes away counts as a break.",
            NATURAL_BREAK_S // 60,
        ).format(n=NATURAL_BREAK_S // 60)
    return _(
        "This desktop does not tell the app when you type, so breaks follow the clock while the app runs."
    )


class SittingBreaksSection(QFrame):
    """The card on the Settings page. `fit(room)` lays out what doesn't wrap by itself for the card's inner
    width (the page calls it as the window or the text size changes)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = card_layout(self, _("Sitting breaks"))
        layout.addWidget(
            label(
                _(
                    "After a while at the computer, a small card offers one short movement to get you up. "
                    "It never locks the screen."
                ),
                "muted",
            )
        )
        settings = ctx.repo.settings()
        defaults = BreakSettings()

        self.on = QCheckBox(_("Remind me to get up after sitting at the computer"))
        self.on.setAccessibleName(self.on.text())
        self.on.setChecked(bool(settings[ON_SETTING]))
        self.on.toggled.connect(self._on_toggled)
        layout.addWidget(self.on)

        self.details = QWidget()  # what only matters while breaks are on
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        details.setSpacing(10)
        interval_form = narrow_form()  # the field goes under its words when the page is narrow
        self.interval = QComboBox()
        self.interval.setAccessibleName(_("Remind me after this much sitting"))
        self._fill_intervals(int(settings[INTERVAL_SETTING]))
        self.interval.currentIndexChanged.connect(
            lambda: ctx.set_setting(INTERVAL_SETTING, self.interval.currentData())
        )
        interval_form.addRow(_("Remind me after"), self.interval)
        details.addLayout(interval_form)

        details.addWidget(label(_("Working days")))
        chosen = set(settings[DAYS_SETTING])
        self.day_boxes: dict[int, QCheckBox] = {}
        for weekday in week_order():  # Monday first, or the locale's first day of the week
            box = QCheckBox(weekday_name(weekday, short=True))
            box.setAccessibleName(weekday_name(weekday))
            box.setChecked(weekday in chosen)
            box.toggled.connect(lambda checked, day=weekday: self._day_toggled(day, checked))
            self.day_boxes[weekday] = box
        self.days = ButtonRows(list(self.day_boxes.values()))
        details.addWidget(self.days)
        self.days_note = label("")  # why the last working day can't be taken away
        self.days_note.hide()
        details.addWidget(self.days_note)

        hours = narrow_form()
        self.start = self._time_edit(stored_time(settings[START_SETTING], defaults.work_start))
        self.end = self._time_edit(stored_time(settings[END_SETTING], defaults.work_end))
        for words, edit, key in ((_("Working hours from"), self.start, START_SETTING),
                                 (_("Working hours until"), self.end, END_SETTING)):  # fmt: skip
            edit.setAccessibleName(words)
            edit.timeChanged.connect(lambda _t, key=key, edit=edit: self._time_changed(key, edit))
            hours.addRow(words, edit)
        details.addLayout(hours)
        self.hours_note = label("", "muted")
        details.addWidget(self.hours_note)
        layout.addWidget(self.details)

        self.knows = label("", "muted")  # keyboard and mouse, or the clock
        self.knows.hide()
        layout.addWidget(self.knows)
        self.paused_row = QWidget()
        paused = QHBoxLayout(self.paused_row)
        paused.setContentsMargins(0, 0, 0, 0)
        self.paused_words = label("", wrap=True)
        self.resume_button = QPushButton(_("Resume now"))
        self.resume_button.setAccessibleName(_("Resume sitting breaks now"))
        self.resume_button.clicked.connect(self._resume)
        paused.addWidget(self.paused_words, 1)
        paused.addWidget(self.resume_button)
        self.paused_row.hide()
        layout.addWidget(self.paused_row)

        self._listening_to: object = None  # the service whose status_changed this section follows
        ctx.settings_changed.connect(self.refresh)
        self.refresh()

    # ---- building -------------------------------------------------------------------------------------------
    def _fill_intervals(self, stored: int) -> None:
        low, high = INTERVAL_RANGE_MIN
        choices = sorted({*range(low, high + 1, INTERVAL_STEP_MIN), max(low, min(high, stored))})
        self.interval.blockSignals(True)
        self.interval.clear()
        for minutes in choices:
            self.interval.addItem(
                ngettext("{n} minute of sitting", "{n} minutes of sitting", minutes).format(n=minutes),
                minutes,
            )
        self.interval.setCurrentIndex(self.interval.findData(max(low, min(high, stored))))
        self.interval.blockSignals(False)

    def _time_edit(self, moment: time) -> QTimeEdit:
        edit = QTimeEdit()
        edit.setLocale(app_locale())  # "AM"/"PM" in the app's language
        edit.setDisplayFormat(clock_pattern())  # 12 h or 24 h as the locale writes times
        edit.setTime(QTime(moment.hour, moment.minute))
        edit.setWrapping(True)  # after hour 23 comes 0 (and after :59, :00): no dead end at midnight
        return edit

    # ---- the person's choices -------------------------------------------------------------------------------
    def _on_toggled(self, on: bool) -> None:
        if on:  # found here: Today need not introduce them any more (nor again after switching them off)
            self.ctx.repo.set_state(INTRO_STATE, True)
        self.ctx.set_setting(ON_SETTING, on)

    def _day_toggled(self, day: int, checked: bool) -> None:
        chosen = sorted(d for d, box in self.day_boxes.items() if box.isChecked())
        if not chosen:  # no working day at all would be breaks switched off without saying so
            box = self.day_boxes[day]
            box.blockSignals(True)
            box.setChecked(True)
            box.blockSignals(False)
            self.days_note.setText(
                _("Keep at least one working day. To have no sitting breaks, switch them off above.")
            )
            self.days_note.show()
            return
        self.days_note.hide()
        self.ctx.set_setting(DAYS_SETTING, chosen)

    def _time_changed(self, key: str, edit: QTimeEdit) -> None:
        value = edit.time()
        stored = time_setting(time(value.hour(), value.minute()))
        if self.ctx.repo.setting(key) != stored:
            self.ctx.set_setting(key, stored)
        else:
            self._show_hours()

    def _resume(self) -> None:
        service = self.ctx.sitting_breaks
        if service is not None:
            try:
                service.resume()
            except Exception:  # the page stays usable; the line keeps saying what is true
                log.exception("Could not resume sitting breaks")
        self.refresh()

    # ---- showing --------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the stored choices (another place may have changed them: Today's introduction turns breaks on)
        and what the service knows now."""
        settings = self.ctx.repo.settings()
        on = bool(settings[ON_SETTING])
        if self.on.isChecked() != on:
            self.on.blockSignals(True)
            self.on.setChecked(on)
            self.on.blockSignals(False)
        self.details.setEnabled(on)
        if self.interval.currentData() != settings[INTERVAL_SETTING]:
            self._fill_intervals(int(settings[INTERVAL_SETTING]))
        chosen = set(settings[DAYS_SETTING])
        for day, box in self.day_boxes.items():
            if box.isChecked() != (day in chosen):
                box.blockSignals(True)
                box.setChecked(day in chosen)
                box.blockSignals(False)
        defaults = BreakSettings()
        for edit, key, default in ((self.start, START_SETTING, defaults.work_start),
                                   (self.end, END_SETTING, defaults.work_end)):  # fmt: skip
            moment = stored_time(settings[key], default)
            if (edit.time().hour(), edit.time().minute()) != (moment.hour, moment.minute):
                edit.blockSignals(True)
                edit.setTime(QTime(moment.hour, moment.minute))
                edit.blockSignals(False)
        self._show_hours()
        self._show_service(on)

    def _show_hours(self) -> None:
        start, end = self.start.time(), self.end.time()
        self.hours_note.setText(
            hours_words(time(start.hour(), start.minute()), time(end.hour(), end.minute()))
        )

    def _show_service(self, on: bool) -> None:
        service = self.ctx.sitting_breaks
        if service is not None and service is not self._listening_to:
            service.status_changed.connect(self.refresh)
            self._listening_to = service
        counts_input = service.counts_input if service is not None and on else None
        words = how_it_knows(counts_input)
        self.knows.setText(words)
        self.knows.setVisible(bool(words))
        paused_until = service.status().paused_until if service is not None and on else None
        self.paused_row.setVisible(paused_until is not None)
        if paused_until is not None:
            self.paused_words.setText(_("Paused until {time}").format(time=clock_time(paused_until)))

    def fit(self, room: int) -> None:
        """Lay out for a card whose inside is `room` px wide: the switch's words in lines, the days in rows."""
        fit_button_text(self.on, self.on.accessibleName(), room)
        self.days.fit(room)
