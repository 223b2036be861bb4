"""Today's one-screen introduction to sitting breaks, shown until the person answers it.

It says what sitting breaks are and why they may help, names the settings they would start with (the interval,
the working days and hours, as stored: the defaults unless changed in Settings), and offers "Turn on sitting
breaks" or "Not now". Either answer is remembered (state `SITTING_INTRO_STATE`) and the card goes for good;
the first also switches breaks on. Sitting breaks switched on in Settings first make the card unneeded: it
is not shown then, nor after they are switched off again."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QFrame, QPushButton, QVBoxLayout, QWidget

from sciatica_coach.core.sitting import BreakSettings
from sciatica_coach.i18n import _, ngettext
from sciatica_coach.platform.locale_support import clock_time, week_order, weekday_name
from sciatica_coach.storage.repository import DataError
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.sitting_settings import (
    DAYS_SETTING,
    END_SETTING,
    INTERVAL_SETTING,
    INTRO_STATE,
    ON_SETTING,
    START_SETTING,
    stored_time,
)
from sciatica_coach.views.theme import fit_button_text
from sciatica_coach.views.widgets import ButtonRows, label

log = logging.getLogger(__name__)

SITTING_INTRO_STATE = INTRO_STATE  # True once the person chose "Turn on" or "Not now" (or switched breaks on)
CARD_MARGINS = (22, 18, 22, 18)  # as widgets.card


def days_words(days: set[int]) -> str:
    """The working days in plain words: "Monday to Friday" for a run of days in the locale's week, else the
    days' names one after the other."""
    order = [day for day in week_order() if day in days]
    if len(order) == 7:
        return _("every day")
    positions = [week_order().index(day) for day in order]
    if len(order) >= 3 and positions == list(range(positions[0], positions[0] + len(order))):
        return _("{first} to {last}").format(first=weekday_name(order[0]), last=weekday_name(order[-1]))
    return ", ".join(weekday_name(day) for day in order)


def intro_words(settings: dict[str, object]) -> list[str]:
    """The card's paragraphs, naming the settings breaks would start with."""
    defaults = BreakSettings()
    minutes = settings[INTERVAL_SETTING]
    minutes = minutes if isinstance(minutes, int) else defaults.interval_min
    days = settings[DAYS_SETTING]
    chosen = (
        {day for day in days if isinstance(day, int)} if isinstance(days, list) else set(defaults.work_days)
    )
    start = stored_time(settings[START_SETTING], defaults.work_start)
    end = stored_time(settings[END_SETTING], defaults.work_end)
    if start == end:
        hours = _("{days}, all day").format(days=days_words(chosen))
    else:
        hours = _("{days}, {start} to {end}").format(
            days=days_words(chosen), start=clock_time(start), end=clock_time(end)
        )
    return [
        _(
            "Sitting still for a long time is one of the things that can keep sciatica grumbling. Getting up "
            "and moving for a minute now and then often helps."
        ),
        ngettext(
            "With sitting breaks on, a small card appears after every {n} minute you use the computer and offers "
            "one short movement, such as a short walk or a posture check. It never locks the screen: you can "
            "take the break, ask again a little later, or skip it.",
            "With sitting breaks on, a small card appears after every {n} minutes you use the computer and "
            "offers one short movement, such as a short walk or a posture check. It never locks the screen: you "
            "can take the break, ask again a little later, or skip it.",
            minutes,
        ).format(n=minutes),
        _(
            "It stays quiet during your exercise sessions, while a window fills the screen, and outside your "
            "working hours ({hours})."
        ).format(hours=hours),
        _(
            "If a movement hurts, don't push through it: skip it. If sitting or moving keeps hurting, talk to "
            "your doctor or physiotherapist."
        ),
    ]


class SittingIntroCard(QFrame):
    """The introduction on Today: the words, "Turn on sitting breaks" (the main button) and "Not now"."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setProperty("role", "card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*CARD_MARGINS)
        layout.setSpacing(12)
        self.heading = label(_("Sitting breaks: a reminder to get up"), "title")
        layout.addWidget(self.heading)
        self.paragraphs = [label("", "big" if n == 0 else None) for n in range(4)]
        for paragraph in self.paragraphs:
            layout.addWidget(paragraph)
        self.turn_on_text = _("Turn on sitting breaks")
        self.not_now_text = _("Not now")
        self.turn_on_button = QPushButton(self.turn_on_text)
        self.turn_on_button.setProperty("role", "primary")
        self.turn_on_button.setAccessibleName(self.turn_on_text)
        self.turn_on_button.clicked.connect(self.turn_on)
        self.not_now_button = QPushButton(self.not_now_text)
        self.not_now_button.setProperty("role", "primary")  # as large and easy to hit; the words differ
        self.not_now_button.setAccessibleName(_("Not now: leave sitting breaks off"))
        self.not_now_button.clicked.connect(self.not_now)
        self.buttons = ButtonRows([self.turn_on_button, self.not_now_button])
        layout.addWidget(self.buttons)
        layout.addWidget(label(_("You can change this in Settings, under “Sitting breaks”."), "muted"))
        self.hide()

    def wanted(self) -> bool:
        """Whether the introduction is still to be answered (and breaks are not on already)."""
        return not self.ctx.repo.state(SITTING_INTRO_STATE, False) and not self.ctx.repo.setting(ON_SETTING)

    def refresh(self) -> None:
        if not self.wanted():
            self.hide()
            return
        for paragraph, words in zip(self.paragraphs, intro_words(self.ctx.repo.settings()), strict=True):
            paragraph.setText(words)
        self.show()

    def turn_on(self) -> None:
        self._answer(turn_on=True)

    def not_now(self) -> None:
        self._answer(turn_on=False)

    def _answer(self, *, turn_on: bool) -> None:
        try:
            self.ctx.repo.set_state(SITTING_INTRO_STATE, True)
        except DataError as err:  # the answer still counts for this run
            log.error("Could not save the answer to the sitting-break introduction: %s", err)
            self.ctx.save_failed.emit(str(err))
        self.hide()
        if turn_on:
            self.ctx.set_setting(ON_SETTING, True)  # the service and Settings follow settings_changed

    def fit(self, room: int) -> None:
        """Buttons side by side when they fit `room` px (the inside of a card on the page, which calls this as
        the width or the text size changes), else one under the other, their words in lines if need be."""
        for button, text in (
            (self.turn_on_button, self.turn_on_text),
            (self.not_now_button, self.not_now_text),
        ):
            fit_button_text(button, text, room)
        self.buttons.fit(room)
