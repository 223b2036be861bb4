"""Today: what's done, what's next, and one big button to start.

Also the place for gentle notes (a lighter session today and why, an exercise set aside for today), marking a
flare day, and reporting new symptoms. The session itself opens in the main window (see MainWindow)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, QTimer
from PySide6.QtGui import QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sciatica_coach.core import flare as flare_rules
from sciatica_coach.i18n import _, ngettext
from sciatica_coach.platform.locale_support import about_minutes, clock_time, long_date, weekday_name
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.theme import BASE_POINT_SIZE, card_room, fit_button_text
from sciatica_coach.views.widgets import Page, card, label, set_enter_button

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date, tzinfo

    from sciatica_coach.core.catalogue import Catalogue
    from sciatica_coach.core.model import Exercise, Routine, RoutineItem, SessionRecord
    from sciatica_coach.core.not_improving import Assessment
    from sciatica_coach.core.progression import Proposal
    from sciatica_coach.core.red_flags import Tier
    from sciatica_coach.core.schedule import ReminderPlan
    from sciatica_coach.views.exercise_details import ExerciseDetails
    from sciatica_coach.views.learn_page import LessonTipCard
    from sciatica_coach.views.maintenance_widgets import MaintenanceChoice
    from sciatica_coach.views.outcomes_page import OutcomesCard
    from sciatica_coach.views.sitting_intro import SittingIntroCard

# The page opens with its layout, date and Start button; what it says about today (sessions, reminders,
# notes, the exercise list) is filled in just after the window first appears (AppContext.after_start), and
# the modules that work it out are imported then.
THUMB = QSize(160, 120)  # the drawings' 4:3 canvas at thumbnail width (at the usual text size)
THUMB_GROWTH_MAX = 1.5  # with larger text the drawings grow too, up to this much
READABLE_LINE_CHARS = 20  # the words beside a drawing get at least this many characters a line
RECENT_FOR_ADJUSTMENT = timedelta(days=30)  # an older last session no longer changes today's dose
WAIT_SLACK_MS = 250  # look a little after the wait ends, never just before it
MAX_WAIT_TIMER_MS = 24 * 3600 * 1000  # a wait that ends further off (a clock set back) is looked at again


def duration_text(seconds: int) -> str:
    return about_minutes(seconds)  # the same words as the reminder notice


SLOT_DONE, SLOT_STOPPED, SLOT_TO_DO = "done", "stopped", "to do"


def slot_states(
    plan: ReminderPlan, sessions: Sequence[SessionRecord], day: date, zone: tzinfo
) -> dict[str, str]:
    """Today's reminder slots in time order, each SLOT_DONE (a completed session counts for it), SLOT_STOPPED
    (only a session stopped early or for safety) or SLOT_TO_DO. A session counts for a slot by the rule the
    reminders use (`reminders.counted_slot`), so every session of the day counts for one of its slots. The
    sessions line and the marks are both read from this, so they always agree."""
    from sciatica_coach.core.model import Outcome
    from sciatica_coach.services.reminders import counted_slot

    states = {r.slot: SLOT_TO_DO for r in plan.enabled_on(day.weekday())}
    for session in sessions:
        if session.started_at.astimezone(zone).date() != day:
            continue
        slot = counted_slot(plan, session, zone)
        if slot not in states:
            continue
        if session.outcome is Outcome.COMPLETED:
            states[slot] = SLOT_DONE
        elif states[slot] == SLOT_TO_DO:
            states[slot] = SLOT_STOPPED
    return states


def slot_mark(state: str) -> str:
    """A reminder slot's mark on Today: done only for a completed session, not one stopped early or for safety."""
    if state == SLOT_DONE:
        return _("✓ done")
    return _("· stopped early") if state == SLOT_STOPPED else _("— to do")


class TodayPage(Page):
    def __init__(self, ctx: AppContext, catalogue: Catalogue | None = None) -> None:
        super().__init__(_("Today"), "")
        self.ctx = ctx
        self._catalogue = catalogue

        start_card, start_layout = card()
        self.sessions_line = label("", "big")
        start_layout.addWidget(self.sessions_line)
        self.slots_line = label("", "muted")
        start_layout.addWidget(self.slots_line)
        row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.start_row = row  # the length goes under the button when both don't fit side by side
        self.start_button = QPushButton(_("Start session"))
        self.start_button.setProperty("role", "primary")
        self.start_button.setAccessibleName(_("Start session"))
        self.start_button.setToolTip(
            _("Start today's exercises ({shortcut})").format(
                shortcut=QKeySequence("Ctrl+Return").toString(QKeySequence.SequenceFormat.NativeText)
            )
        )
        self.start_button.clicked.connect(ctx.start_session_requested.emit)
        set_enter_button(self, self.start_button)
        self.initial_focus = self.start_button  # where the keyboard starts when the window opens
        row.addWidget(self.start_button)
        self.duration = label("", "subtitle")
        row.addWidget(self.duration)
        row.addStretch(1)
        start_layout.addLayout(row)
        self.notes = label("", "muted")
        self.notes.hide()  # shown when there is a note for today
        start_layout.addWidget(self.notes)
        self.body.addWidget(start_card)

        # While a red-flag answer pauses coaching: a calm card with the advice and the number to call.
        self.pause_card, pause_layout = card()
        self.pause_card.setProperty("role", "banner")
        # What to do (the advice and the number) reads larger than the note that coaching is paused.
        self.pause_heading = label("", "title")
        self.pause_advice = label("", "big")
        self.pause_number = label("", "title")
        self.pause_reason = label("")
        for widget in (self.pause_heading, self.pause_advice, self.pause_number, self.pause_reason):
            pause_layout.addWidget(widget)
        self.pause_card.hide()
        self.body.insertWidget(self.body.indexOf(start_card), self.pause_card)  # first: it matters most

        # When the pain is not getting better (core.not_improving): a calm card until the person presses "Got it".
        self.doctor_card, doctor_layout = card()
        self.doctor_heading = label("", "title")
        self.doctor_text = label("", "big")
        doctor_layout.addWidget(self.doctor_heading)
        doctor_layout.addWidget(self.doctor_text)
        doctor_row = QHBoxLayout()
        self.doctor_button = QPushButton(_("Got it"))
        self.doctor_button.setAccessibleName(_("Got it: I will think about seeing my doctor"))
        self.doctor_button.clicked.connect(self._doctor_seen)
        doctor_row.addWidget(self.doctor_button)
        doctor_row.addStretch(1)
        doctor_layout.addLayout(doctor_row)
        self.doctor_assessment: Assessment | None = None
        self.doctor_card.hide()
        self.body.addWidget(self.doctor_card)

        # While a flare lasts (core/flare.py): keep moving gently, the shorter sessions, when to get help.
        self.flare_card, flare_layout = card()
        self.flare_heading = label("", "title")
        self.flare_words = label(_(flare_rules.FLARE_KEEP_MOVING), "big")
        self.flare_routine_note = label("")
        self.flare_help = label(_(flare_rules.FLARE_SEEK_HELP) + " " + _(flare_rules.FLARE_PAINKILLERS))
        self.flare_not_settling = label(_(flare_rules.FLARE_NOT_SETTLING), "big")
        self.flare_offer_end = label(_(flare_rules.FLARE_OFFER_END), "big")
        for widget in (self.flare_heading, self.flare_words, self.flare_routine_note, self.flare_not_settling,
                       self.flare_help, self.flare_offer_end):  # fmt: skip
            flare_layout.addWidget(widget)
        flare_row = QHBoxLayout()
        self.flare_end_button = QPushButton(_(flare_rules.FLARE_END_BUTTON))
        self.flare_end_button.clicked.connect(self._end_flare)
        flare_row.addWidget(self.flare_end_button)
        flare_row.addStretch(1)
        flare_layout.addLayout(flare_row)
        self._not_settling_shown = False  # the once-per-flare prompt, kept on screen once shown
        self.flare_card.hide()
        self.body.addWidget(self.flare_card)

        self.proposal_card, proposal_layout = card()
        self.proposal_title = label("", "big")
        self.proposal_text = label("", "muted")
        proposal_layout.addWidget(self.proposal_title)
        proposal_layout.addWidget(self.proposal_text)
        proposal_row = QHBoxLayout()
        self.accept_button = QPushButton(_("Yes, make this change"))
        self.accept_button.clicked.connect(self._accept_proposal)
        self.decline_button = QPushButton(_("Not now"))
        self.decline_button.clicked.connect(self._decline_proposal)
        proposal_row.addWidget(self.accept_button)
        proposal_row.addWidget(self.decline_button)
        proposal_row.addStretch(1)
        proposal_layout.addLayout(proposal_row)
        self._proposal_layout = proposal_layout
        self.maintenance_choice: MaintenanceChoice | None = None  # made when keeping the habit is offered
        self.proposal: Proposal | None = None
        self.proposal_card.hide()  # until there is a suggestion to show
        self.body.addWidget(self.proposal_card)

        routine_card, routine_layout = card(_("Today's exercises"))
        self.exercise_grid = QGridLayout()
        self.exercise_grid.setHorizontalSpacing(16)
        self.exercise_grid.setVerticalSpacing(10)
        self.exercise_columns = 2  # one when two don't fit the width (large text, a narrow window)
        self._exercise_rows: list[tuple[QWidget, QWidget]] = []  # each exercise's drawing and words
        routine_layout.addLayout(self.exercise_grid)
        self.body.addWidget(routine_card)

        care_card, care_layout = card(_("Looking after yourself"))
        self._flare_text = _(flare_rules.FLARE_BUTTON)
        self.flare = QPushButton(self._flare_text)  # in lines as the width needs: see fit_width
        self.flare.setToolTip(_("Switch to short, gentle sessions until your flare settles"))
        self.flare.clicked.connect(self._start_flare)
        flare_button_row = QHBoxLayout()
        flare_button_row.addWidget(self.flare)
        flare_button_row.addStretch(1)
        care_layout.addLayout(flare_button_row)
        symptoms_row = QHBoxLayout()
        self.symptoms_button = QPushButton(_("I have new symptoms"))
        self.symptoms_button.setToolTip(
            _("You'll be asked the safety questions again before your next session")
        )
        self.symptoms_button.clicked.connect(self._new_symptoms)
        symptoms_row.addWidget(self.symptoms_button)
        self.symptoms_note = label("", "muted")
        symptoms_row.addWidget(self.symptoms_note, 1)
        care_layout.addLayout(symptoms_row)
        self.advice = label("", "muted")
        care_layout.addWidget(self.advice)
        self.body.addWidget(care_card)
        # The check-in offer and the lesson tip come after the first paint (_add_later_cards).
        self.outcomes_card: OutcomesCard | None = None
        self.lesson_tip: LessonTipCard | None = None
        self.sitting_intro: SittingIntroCard | None = None  # until sitting breaks are answered (refresh)
        self.body.addStretch(1)

        # After a red pain stop: one single-shot timer for the moment the wait ends, so the note changes then
        # by itself (no polling). Armed from the app's clock in `_red_stop_notes`; a clock jump or a wake from
        # sleep (the timer's clock stands still while the machine sleeps) arms it again (`_clock_moved`).
        self.wait_timer = QTimer(self)
        self.wait_timer.setSingleShot(True)
        self.wait_timer.timeout.connect(self.refresh)
        self._watching_clock = False
        self._fit_timer = QTimer(self)  # the text size changed: lay out again once it has reached every label
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_width)

        ctx.sessions_changed.connect(self.refresh)
        ctx.routine_changed.connect(self.refresh)
        ctx.settings_changed.connect(self.refresh)
        self.subtitle.setText(long_date(ctx.clock.now().date()))
        self.subtitle.show()
        ctx.after_start(self.refresh, self)

    @property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            from sciatica_coach.core.catalogue import load_catalogue

            self._catalogue = load_catalogue()
        return self._catalogue

    def routine_for_today(self) -> Routine:
        from sciatica_coach.services.routines import routine_for_today

        return routine_for_today(self.ctx.repo, self.catalogue, self.ctx.clock.now().date())

    def refresh(self) -> None:
        self._refresh_day()
        self._refresh_routine()
        outcomes_card, lesson_tip = self._add_later_cards()
        outcomes_card.refresh()
        lesson_tip.refresh()
        intro = self._sitting_intro()
        intro.refresh()
        intro.fit(card_room(self))

    def _sitting_intro(self) -> SittingIntroCard:
        """The one-time introduction to sitting breaks (views/sitting_intro.py), above today's exercises until
        the person answers it. Made on the first refresh, after the first paint, like the cards below."""
        if self.sitting_intro is None:
            from sciatica_coach.views.sitting_intro import SittingIntroCard

            self.sitting_intro = SittingIntroCard(self.ctx)
            exercises_card = self.exercise_grid.parentWidget()
            assert exercises_card is not None
            self.body.insertWidget(self.body.indexOf(exercises_card), self.sitting_intro)
        return self.sitting_intro

    def _add_later_cards(self) -> tuple[OutcomesCard, LessonTipCard]:
        """The weekly / two-weekly outcome check-in when due (views/outcomes_page.py), and one posture lesson a
        day in the first weeks (views/learn_page.py): quiet cards, never in the way. Made on the first refresh,
        after the first paint, as their modules load Qt's enums."""
        if self.outcomes_card is None or self.lesson_tip is None:
            from sciatica_coach.views.learn_page import LessonTipCard
            from sciatica_coach.views.outcomes_page import OutcomesCard

            at = self.body.count() - 1  # before the closing stretch
            self.outcomes_card = OutcomesCard(self.ctx)
            self.outcomes_card.hide()
            self.body.insertWidget(at, self.outcomes_card)
            self.lesson_tip = LessonTipCard(self.ctx)
            self.body.insertWidget(at + 1, self.lesson_tip)
        return self.outcomes_card, self.lesson_tip

    def _refresh_day(self) -> None:
        """The top of the page: today's sessions, the reminder slots, and the flare-day switch."""
        from sciatica_coach.core.safety import SEE_GP_ADVICE
        from sciatica_coach.core.schedule import next_fire
        from sciatica_coach.services import flare
        from sciatica_coach.services.plans import reminder_plan
        from sciatica_coach.services.progress_data import load_history

        self.advice.setText(_(SEE_GP_ADVICE))
        repo, now = self.ctx.repo, self.ctx.clock.now()
        today = now.date()
        flare.record_flare_days(repo, today)  # before the day's figures, which count flare days as excused
        in_flare = flare.current_flare(repo) is not None
        self.subtitle.setText(long_date(today))
        self.subtitle.show()
        plan = reminder_plan(repo)
        cell = load_history(repo, self.ctx.clock, since=today).cell(today)
        assert now.tzinfo is not None
        states = slot_states(plan, repo.sessions(since=today - timedelta(days=1)), today, now.tzinfo)
        # With reminders today, the line counts the slots done (as their marks show: one source); a session
        # beyond them (two in one morning) does not tick the evening. Without reminders, the sessions done.
        target = len(states)
        done = sum(state == SLOT_DONE for state in states.values()) if target else cell.completed
        if in_flare:
            self.sessions_line.setText(_(flare_rules.FLARE_TODAY_LINE))
        elif cell.excused:
            self.sessions_line.setText(
                _("Today is a rest day. Be kind to yourself; gentle movement still helps.")
            )
        elif target and done >= target:
            self.sessions_line.setText(
                ngettext(
                    "All done for today: {done} of {target} session. Well done.",
                    "All done for today: {done} of {target} sessions. Well done.",
                    target,
                ).format(done=done, target=target)
            )
        elif target:
            self.sessions_line.setText(
                ngettext(
                    "{done} of {target} session done today.",
                    "{done} of {target} sessions done today.",
                    target,
                ).format(done=done, target=target)
            )
        else:
            self.sessions_line.setText(
                ngettext(
                    "{n} session today. No reminders are set for today.",
                    "{n} sessions today. No reminders are set for today.",
                    done,
                ).format(n=done)
            )
        slots = [
            f"{clock_time(r.time)} {slot_mark(states[r.slot])}" for r in plan.enabled_on(today.weekday())
        ]
        upcoming = next_fire(plan, now)
        extra = (
            _("Next reminder: {when}").format(
                when=f"{weekday_name(upcoming.weekday())} {clock_time(upcoming)}"
                if upcoming.date() != today
                else clock_time(upcoming)
            )
            if upcoming
            else ""
        )
        from sciatica_coach.services import safety_state

        if safety_state.coaching_paused_today(repo, today):
            extra = _("Reminders are paused.")
        self.slots_line.setText("   ".join(slots) + (f"     {extra}" if extra else ""))
        self._show_flare(today)

    def _show_flare(self, today: date) -> None:
        """The flare card while a flare lasts (and the button to mark one when not)."""
        from sciatica_coach.services import flare

        repo = self.ctx.repo
        current = flare.current_flare(repo)
        self.flare.setVisible(current is None)
        self.flare_card.setVisible(current is not None)
        if current is None:
            self._not_settling_shown = False
            return
        self.flare_heading.setText(
            f"{_(flare_rules.FLARE_TITLE)} · {_(flare_rules.FLARE_DAY).format(n=current.day_number(today))}"
        )
        has_routine = bool(flare.flare_routine(repo, self.catalogue).items)
        self.flare_routine_note.setText(
            _(flare_rules.FLARE_ROUTINE_NOTE if has_routine else flare_rules.FLARE_NO_EXERCISES)
        )
        if flare.take_not_settling_prompt(repo, today):
            self._not_settling_shown = True
        self.flare_not_settling.setVisible(self._not_settling_shown)
        zone = self.ctx.clock.now().tzinfo
        assert zone is not None
        self.flare_offer_end.setVisible(flare.offer_end(repo, today, zone))

    def _refresh_routine(self) -> None:
        """Today's exercises, their length, gentle notes and any suggested change."""
        from sciatica_coach.core import safety
        from sciatica_coach.services import flare, safety_state
        from sciatica_coach.services.routines import planned_length_s, stopped_today

        repo, today = self.ctx.repo, self.ctx.clock.now().date()
        routine = self.routine_for_today()  # the nerve glide on the affected leg only, as the session does it
        self.duration.setText(
            f"{duration_text(planned_length_s(repo, self.catalogue, routine))} · "
            + ngettext("{n} exercise", "{n} exercises", len(routine.items)).format(n=len(routine.items))
        )
        notes = []
        recent = repo.sessions(since=today - RECENT_FOR_ADJUSTMENT)
        adjustment = safety.next_session_adjustment(recent[-1] if recent else None)
        if adjustment.changes_anything:
            notes.append(adjustment.reason)
        for exercise_id in sorted(stopped_today(repo, today)):
            notes.append(
                _("{name} is set aside for today, to be kind to your leg.").format(
                    name=self.catalogue.get(exercise_id).name
                )
            )
        self._show_pause(safety_state.coaching_pause(repo, today))
        notes[:0] = self._red_stop_notes()  # first: it says when a session is possible again
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        self._show_see_doctor()
        self._show_proposal()
        if flare.current_flare(repo) is not None:  # no step up or down suggested during a flare
            self.proposal_card.hide()
        self._fill_exercises(routine)

    def _show_see_doctor(self) -> None:
        """The advice to see a doctor or physiotherapist when the pain is not getting better, or is worse."""
        from sciatica_coach.core.not_improving import Verdict, prompt_words
        from sciatica_coach.services import safety_state

        self.doctor_assessment = safety_state.see_doctor_assessment(self.ctx.repo, self.ctx.clock.now())
        self.doctor_card.setVisible(self.doctor_assessment.prompt)
        if self.doctor_assessment.prompt:
            worse = self.doctor_assessment.verdict is Verdict.WORSENING
            self.doctor_card.setProperty("role", "banner" if worse else "card")  # a little firmer when worse
            self.doctor_card.style().unpolish(self.doctor_card)
            self.doctor_card.style().polish(self.doctor_card)
            place = safety_state.emergency_country(self.ctx.repo)
            words = prompt_words(self.doctor_assessment.verdict, place, self.doctor_assessment.measures)
            self.doctor_heading.setText(words.heading)
            self.doctor_text.setText(words.body)

    def _doctor_seen(self) -> None:
        from sciatica_coach.services import safety_state

        if self.doctor_assessment is not None and self.doctor_assessment.prompt:
            safety_state.record_see_doctor_seen(self.ctx.repo, self.ctx.clock.now(), self.doctor_assessment)
        self.ctx.sessions_changed.emit()  # Today hides the card; Progress lists the event

    def _show_pause(self, tier: Tier) -> None:
        """Why there are no reminders and no coaching today: the advice of the red-flag answer, and the number."""
        from sciatica_coach.core import red_flags
        from sciatica_coach.services import safety_state

        self.pause_card.setVisible(tier is not red_flags.Tier.NONE)
        if tier is red_flags.Tier.NONE:
            return
        shown = red_flags.advice(tier, safety_state.emergency_country(self.ctx.repo))
        self.pause_heading.setText(shown.heading)
        self.pause_reason.setText(_(red_flags.PAUSED_NOTES[tier]))
        self.pause_advice.setText(shown.body)
        self.pause_number.setText(f"{shown.caption}: {shown.number}")

    def _red_stop_notes(self) -> list[str]:
        """After a red pain stop today: when a new session becomes possible, and that it asks first."""
        from sciatica_coach.core import safety
        from sciatica_coach.services import safety_state

        now = self.ctx.clock.now()
        state = safety_state.red_stop_state(self.ctx.repo, now)
        self._arm_wait_timer(state.open_at if state.gate is safety.RedStopGate.WAIT else None)
        if state.stopped_at is None or state.open_at is None:
            return []
        waiting = state.gate is safety.RedStopGate.WAIT
        text = safety.RED_STOP_TODAY_WAIT if waiting else safety.RED_STOP_TODAY_CONFIRM
        return [_(text).format(time=clock_time(state.stopped_at), until=clock_time(state.open_at))]

    def _arm_wait_timer(self, open_at: datetime | None) -> None:
        """Refresh the page when the wait after a red pain stop ends (`open_at`), or forget the timer."""
        if open_at is None:
            self.wait_timer.stop()
            return
        wait_ms = int((open_at - self.ctx.clock.now()).total_seconds() * 1000) + WAIT_SLACK_MS
        # Precise: a coarse timer may be 5 % late (6 minutes of a 2-hour wait). Set here, after the first paint,
        # because naming Qt.TimerType builds PySide6's whole Qt namespace (tests/test_start_order.py).
        from PySide6.QtCore import Qt

        self.wait_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.wait_timer.start(max(0, min(MAX_WAIT_TIMER_MS, wait_ms)))
        self._watch_clock()

    def _watch_clock(self) -> None:
        """Hear about wakes from sleep and clock changes from the reminders, which notice them."""
        if self._watching_clock:
            return
        service = self.ctx.reminders
        if service is not None:
            service.status_changed.connect(self._clock_moved)
            self._watching_clock = True

    def _clock_moved(self) -> None:
        """The wall clock may have moved on without the timer (sleep, a clock change): look again if waiting."""
        if self.wait_timer.isActive():
            self.refresh()

    def _fill_exercises(self, routine: Routine) -> None:
        from PySide6.QtCore import Qt

        from sciatica_coach.views.dose_on_side import dose_on_side
        from sciatica_coach.views.illustrations import IllustrationWidget, content_view_box

        while self.exercise_grid.count():
            layout_item = self.exercise_grid.takeAt(0)
            widget = layout_item.widget() if layout_item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._exercise_rows = []
        for n, item in enumerate(routine.items):
            exercise = self.catalogue.get(item.exercise_id)
            # A widget that paints itself in the palette's colours, so a light/dark switch repaints it.
            thumb = IllustrationWidget()
            thumb.set_illustration(
                exercise.hold_illustration,
                description=exercise.summary,
                view_box=content_view_box((exercise.start_illustration, exercise.hold_illustration)),
            )
            thumb.setFixedSize(THUMB)  # grown with the text size in fit_width
            thumb.setAccessibleName(_("Drawing of {name}").format(name=exercise.name))
            thumb.setAccessibleDescription(exercise.summary)
            text = QWidget()
            text_layout = QVBoxLayout(text)
            text_layout.setContentsMargins(0, 0, 0, 0)
            text_layout.addWidget(label(f"{n + 1}. {exercise.name}", "big"))
            text_layout.addWidget(label(dose_on_side(item, moving=exercise.is_movement), "muted"))
            text_layout.addWidget(label(exercise.summary, "muted"))
            how = QPushButton(_("How to do it"))  # the exercise's own page (views/exercise_details.py)
            how.setAccessibleName(_("How to do {name}").format(name=exercise.name))
            how.setToolTip(_("Every step with its picture, what to feel and when to stop"))
            how.clicked.connect(lambda _=False, e=exercise, i=item: self.show_details(e, i))
            text_layout.addWidget(how, 0, Qt.AlignmentFlag.AlignLeft)
            self._exercise_rows.append((thumb, text))
        self.exercise_columns = 0  # placed by fit_width
        self.fit_width()

    def show_details(self, exercise: Exercise, item: RoutineItem | None = None) -> ExerciseDetails:
        """Open the exercise's own page: a looping preview, every step with its picture, the stop rule."""
        from sciatica_coach.views.exercise_details import open_exercise_details

        return open_exercise_details(self.ctx, exercise, item, self)

    # ---- fitting the width ------------------------------------------------------------------------------
    def fit_width(self) -> None:
        """What doesn't fit side by side goes beneath, and the flare box's words wrap, so the page is never
        wider than the window (at 200 % text, in German, in a small window)."""
        room = card_room(self)
        side_by_side = (
            self.start_button.sizeHint().width() + self.start_row.spacing()
            + self.duration.fontMetrics().horizontalAdvance(self.duration.text()) + 4
        )  # fmt: skip
        beside = side_by_side <= room
        self.start_row.setDirection(
            QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
        )
        self.duration.setWordWrap(not beside)  # one line beside the button; below it, as many as it needs
        fit_button_text(self.flare, self._flare_text, room)
        if self.sitting_intro is not None:
            self.sitting_intro.fit(room)  # its buttons in lines, one under the other, as the width needs
        spacing = self.exercise_grid.horizontalSpacing()
        # The words beside a drawing keep a readable line (and their longest word), not one word a line.
        line_px = self.fontMetrics().averageCharWidth() * READABLE_LINE_CHARS
        words = max((text.minimumSizeHint().width() for _thumb, text in self._exercise_rows), default=0)
        words = max(words, line_px)
        pair_px = THUMB.width() + spacing + max(words, THUMB.width())  # a drawing and its words, side by side
        columns = 2 if 2 * pair_px + spacing <= room else 1
        self._place_exercises(columns)
        # Larger text, larger drawings (up to half as large again), as far as the words beside them allow.
        column_px = (room - spacing * (columns - 1)) // columns
        text_factor = self.font().pointSizeF() / BASE_POINT_SIZE
        wanted = round(THUMB.width() * min(THUMB_GROWTH_MAX, max(1.0, text_factor)))
        width = max(THUMB.width(), min(wanted, column_px - spacing - words))
        for thumb, _text in self._exercise_rows:
            thumb.setFixedSize(width, round(width * THUMB.height() / THUMB.width()))

    def _place_exercises(self, columns: int) -> None:
        if columns == self.exercise_columns or not self._exercise_rows:
            return  # (nothing to place before the list is first filled, just after the first paint)
        from PySide6.QtCore import Qt

        self.exercise_columns = columns
        for thumb, text in self._exercise_rows:
            self.exercise_grid.removeWidget(thumb)
            self.exercise_grid.removeWidget(text)
        for n, (thumb, text) in enumerate(self._exercise_rows):
            row, column = divmod(n, columns)
            self.exercise_grid.addWidget(thumb, row, column * 2, Qt.AlignmentFlag.AlignTop)
            self.exercise_grid.addWidget(text, row, column * 2 + 1, Qt.AlignmentFlag.AlignTop)
        self.exercise_grid.setColumnStretch(1, 1)
        self.exercise_grid.setColumnStretch(3, 1 if columns == 2 else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_width()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_timer.start()
        super().changeEvent(event)

    def _show_proposal(self) -> None:
        """A suggested change to the routine, from the person's own sessions; nothing changes unless accepted."""
        from sciatica_coach.services.routines import current_proposal

        self.proposal = current_proposal(self.ctx.repo, self.catalogue, self.ctx.clock)
        self.proposal_card.setVisible(self.proposal is not None)
        if self.proposal is not None:
            self.proposal_card.setProperty("role", "banner" if self.proposal.easing else "card")
            self.proposal_card.style().unpolish(self.proposal_card)
            self.proposal_card.style().polish(self.proposal_card)
            self.proposal_title.setText(self.proposal.title)
            self.proposal_text.setText(self.proposal.question)
        self._show_maintenance_choice()

    def _show_maintenance_choice(self) -> None:
        """Keeping the habit: the lighter routine and the 2-or-3-a-week choice under the question."""
        from sciatica_coach.core.progression import ChangeKind

        if self.maintenance_choice is None:
            if self.proposal is None or self.proposal.kind is not ChangeKind.MAINTENANCE:
                return
            from sciatica_coach.views.maintenance_widgets import MaintenanceChoice

            self.maintenance_choice = MaintenanceChoice(self.catalogue)
            self._proposal_layout.insertWidget(2, self.maintenance_choice)
        self.maintenance_choice.show_proposal(self.proposal)

    def _accept_proposal(self) -> None:
        from sciatica_coach.services.routines import accept

        if self.proposal is not None:
            choice = self.maintenance_choice
            target = choice.weekly_target() if choice is not None else None
            accept(self.ctx.repo, self.catalogue, self.ctx.clock, self.proposal, target)
            self.ctx.routine_changed.emit()

    def _decline_proposal(self) -> None:
        from sciatica_coach.services.routines import decline

        if self.proposal is not None:
            decline(self.ctx.repo, self.ctx.clock, self.proposal)
            self.refresh()

    def _start_flare(self) -> None:
        from sciatica_coach.services import flare

        flare.start_flare(self.ctx.repo, self.ctx.clock.now().date())
        self.ctx.routine_changed.emit()  # the session, the reminders' words and Progress change with it
        self.ctx.sessions_changed.emit()

    def _end_flare(self) -> None:
        from sciatica_coach.services import flare

        flare.end_flare(self.ctx.repo)
        self.ctx.routine_changed.emit()
        self.ctx.sessions_changed.emit()

    def _new_symptoms(self) -> None:
        from sciatica_coach.services import safety_state

        safety_state.report_new_symptoms(self.ctx.repo)
        self.symptoms_note.setText(
            _("Thank you. You'll be asked the safety questions before your next session.")
        )
