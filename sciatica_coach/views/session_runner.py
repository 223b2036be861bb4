"""Runs one guided session: drives the engine from a repaint timer, plays cues and keeps the record.

The engine decides everything about time; this glue only ticks it (the QTimer triggers repaints, nothing
else), turns its events into beeps and spoken cues, and saves a checkpoint after every exercise so a crash
never loses the part already done."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from sciatica_coach.core.catalogue import Catalogue
from sciatica_coach.core.cues import is_movement
from sciatica_coach.core.engine import (
    CountdownTick,
    Event,
    ExerciseFinished,
    HalfwayReached,
    PauseReason,
    SessionEngine,
    SessionFinished,
    SessionStatus,
    Step,
    StepStarted,
    SymptomAnswered,
    cue_text,
)
from sciatica_coach.core.model import (
    Exercise,
    Outcome,
    PainReport,
    Routine,
    RoutineItem,
    SessionRecord,
    SymptomChange,
)
from sciatica_coach.core.motion import moving
from sciatica_coach.core.session_flow import answer_event
from sciatica_coach.views.context import AppContext

log = logging.getLogger(__name__)

REPAINT_INTERVAL_MS = 200
FRAME_INTERVAL_MS = 30  # the session view repaints the moving figure 33 times a second (core/motion.py)
CHECKPOINT_REASON = "The session stopped before the end (Sciatica Coach was closed or the computer stopped)."
SPOKEN_COUNTDOWN_STEPS = (Step.HOLD, Step.GET_READY)
AFTER_HOLD_STEPS = (Step.REST_REP, Step.REST_SET, Step.SWITCH_SIDE, Step.NEXT_EXERCISE, Step.DONE)


def sounds_for(events: list[Event], previous_step: Step | None) -> list[str]:
    """Which beeps a batch of events asks for: a rising one as a hold starts, a falling one as it ends,
    a tick for each 3-2-1, and a small chord at the end of a whole session."""
    names: list[str] = []
    last = previous_step
    for event in events:
        if isinstance(event, StepStarted):
            if event.step is Step.HOLD:
                names.append("hold-start")
            elif last is Step.HOLD and event.step in AFTER_HOLD_STEPS:
                names.append("hold-end")
            last = event.step
        elif isinstance(event, CountdownTick):
            names.append("tick")
        elif isinstance(event, SessionFinished) and not event.ended_early:
            names.append("done")
    return names


class SessionRunner(QObject):
    """One session from start to record. The view listens to `status_changed` and `events`."""

    status_changed = Signal(object)  # SessionStatus
    events = Signal(list)  # list[Event], for views that react to single moments
    finished = Signal(bool)  # ended_early

    def __init__(
        self,
        ctx: AppContext,
        catalogue: Catalogue,
        routine: Routine,
        pain_before: PainReport | None,
        slot: str,
        parent: QObject | None = None,
        *,
        session_id: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.catalogue = catalogue
        self.engine = SessionEngine(
            routine,
            ctx.clock,
            first_get_ready_s=ctx.repo.setting("get_ready_s"),  # the engine clamps it to 5-60 s
            ask_after_each_exercise=True,
        )
        self.session_id = session_id or uuid.uuid4().hex
        self.pain_before = pain_before
        self.slot = slot
        self.started_at: datetime | None = None
        self._last_step: Step | None = None
        self._saved_outcome: Outcome | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(REPAINT_INTERVAL_MS)
        self.timer.timeout.connect(self.tick)

    # ---- controls ----------------------------------------------------------------------------------
    def start(self) -> None:
        self.started_at = self.ctx.clock.now()
        self.ctx.screen.keep_awake("A guided exercise session is running")
        self.timer.start()
        self._handle(self.engine.start())

    def tick(self) -> None:
        self._handle(self.engine.tick())

    def toggle_pause(self) -> None:
        status = self.engine.status()
        self._handle(self.engine.resume() if status.paused else self.engine.pause())

    def pause(self, reason: PauseReason = PauseReason.USER) -> None:
        """Pause; "it hurts" also takes over an existing pause (e.g. while the question waits)."""
        if reason is PauseReason.HURTS or not self.engine.status().paused:
            self._handle(self.engine.pause(reason))

    def resume(self) -> None:
        self._handle(self.engine.resume())

    def skip(self) -> None:
        self._handle(self.engine.skip())
        self.checkpoint()

    def back(self) -> None:
        self._handle(self.engine.back())

    def end_early(self) -> None:
        self._handle(self.engine.end_early())

    def answer(self, change: SymptomChange | None) -> None:
        """Answer the waiting after-exercise question (None: skipped, kept as not answered)."""
        self._handle(self.engine.answer(change))
        self.checkpoint()

    def drop_for_today(self, exercise_id: str) -> None:
        self._handle(self.engine.remove_upcoming(exercise_id))

    def bring_forward(self, item: RoutineItem) -> None:
        self._handle(self.engine.bring_forward(item))

    def status(self) -> SessionStatus:
        return self.engine.status()

    @property
    def still_pictures(self) -> bool:
        """Reduced motion (the "still_pictures" setting): the figure never moves."""
        return bool(self.ctx.repo.setting("still_pictures"))

    def figure_moves(self, status: SessionStatus) -> bool:
        """Whether the exercise figure is moving now (the session view then repaints it frame by frame)."""
        if status.item is None:
            return False
        kind = self.catalogue.get(status.item.exercise_id).kind
        return moving(status, kind, reduced=self.still_pictures)

    def exercise_name(self, exercise_id: str | None) -> str:
        if exercise_id is None:
            return ""
        return self.catalogue.get(exercise_id).name

    # ---- events ------------------------------------------------------------------------------------
    def _handle(self, events: list[Event]) -> None:
        if events:
            self._play(events)
            if any(isinstance(e, ExerciseFinished) for e in events):
                self.checkpoint()
            self._record_answers(events)
            self.events.emit(events)
        status = self.engine.status()
        self.status_changed.emit(status)
        if any(isinstance(e, SessionFinished) for e in events):
            self.timer.stop()
            self.ctx.screen.release()
            self.finished.emit(status.ended_early)

    def _record_answers(self, events: list[Event]) -> None:
        """Keep "further down" answers and unanswered questions as safety events (core.session_flow)."""
        for event in events:
            if isinstance(event, SymptomAnswered):
                kept = answer_event(self.ctx.clock.now(), event.exercise_id, event.change, self.session_id)
                if kept is not None:
                    self.ctx.record_safety_event(kept)

    def _play(self, events: list[Event]) -> None:
        settings = self.ctx.repo.settings()
        if settings["sound_on"]:
            for name in sounds_for(events, self._last_step):
                self.ctx.sound.play(name)
        for event in events:
            if isinstance(event, StepStarted):
                self._last_step = event.step
        if settings["voice_on"]:
            phrase = self._phrase(events, bool(settings["count_reps_aloud"]), bool(settings["halfway_cue"]))
            if phrase:
                self.ctx.say(phrase)

    def _phrase(self, events: list[Event], count_reps: bool = False, halfway: bool = False) -> str | None:
        """The one phrase worth saying for this batch: the newest step change wins over a countdown.
        `count_reps` and `halfway` are the "count_reps_aloud" and "halfway_cue" settings."""
        for event in reversed(events):
            if isinstance(event, CountdownTick) and event.step not in SPOKEN_COUNTDOWN_STEPS:
                continue
            # A to-and-fro movement says "Move slowly." / "And back." and counts no seconds, nor halves.
            exercise = self._exercise_at(event)
            moving = is_movement(exercise)
            if isinstance(event, CountdownTick | HalfwayReached) and moving and event.step is Step.HOLD:
                continue
            if isinstance(event, HalfwayReached) and not halfway:
                continue
            name = self.exercise_name(event.exercise_id) if isinstance(event, StepStarted) else ""
            if isinstance(event, StepStarted) and event.step is Step.NEXT_EXERCISE and event.status.item:
                name = self.exercise_name(event.status.item.exercise_id)
            phrase = cue_text(event, name, count_reps=count_reps, movement=moving)
            if phrase:
                return phrase
        return None

    def _exercise_at(self, event: Event) -> Exercise | None:
        """The exercise a step-start, countdown or halfway event belongs to (None at the end)."""
        if isinstance(event, StepStarted) and event.exercise_id:
            return self.catalogue.get(event.exercise_id)
        items = self.engine.routine.items
        if isinstance(event, CountdownTick | HalfwayReached) and 0 <= event.exercise_index < len(items):
            return self.catalogue.get(items[event.exercise_index].exercise_id)
        return None

    # ---- the record --------------------------------------------------------------------------------
    def record(
        self, outcome: Outcome, reason: str = "", pain_after: PainReport | None = None
    ) -> SessionRecord:
        assert self.started_at is not None, "the session has not started"
        return SessionRecord(
            id=self.session_id,
            started_at=self.started_at,
            ended_at=self.ctx.clock.now(),
            phase=self.engine.routine.phase,
            exercises=self.engine.exercise_records(),
            outcome=outcome,
            pain_before=self.pain_before,
            pain_after=pain_after,
            reason=reason,
            slot=self.slot,
        )

    def checkpoint(self) -> None:
        """Save what is done so far, marked as stopped early, until the real end replaces it."""
        if self.started_at is not None and self._saved_outcome is None:
            self._save(self.record(Outcome.ENDED_EARLY, CHECKPOINT_REASON))

    def finish(
        self, outcome: Outcome, reason: str = "", pain_after: PainReport | None = None
    ) -> SessionRecord:
        """The final record (replacing any checkpoint)."""
        self.timer.stop()
        self.ctx.screen.release()
        record = self.record(outcome, reason, pain_after)
        self._saved_outcome = outcome
        self._save(record)
        return record

    def _save(self, record: SessionRecord) -> None:
        self.ctx.save_session(record)
