"""Progression suggestions: after each session, look at adherence and symptoms and suggest at most ONE change
to the routine, with its reason in plain words. Nothing changes until the person accepts.

Qt-free and pure: :func:`propose` takes the sessions, the routine, the catalogue, today and the history of
earlier decisions, and returns a :class:`Proposal` or None; :func:`apply` turns an accepted proposal into the
new routine. Storage (the ``progression_history`` state key) lives in :mod:`sciatica_coach.services.routines`.

The rules, in the order they are checked (easing off always comes first). Thresholds are the constants below;
the parameters are a synthesis of the physio traffic-light pain model and published home-exercise handouts
(see ``shared/exercise-guidance.md``), not a published protocol.

Only sessions started *after the last decision* (accepted or declined) count as new evidence for easing
off or for a dose step, so a decision is never asked about twice for the same sessions.

1. **Ease off** (looking at the last ``RECENT_DAYS`` local days):
   * red pain (above 5, or new numbness or weakness) before or after a session, or next-morning flares on
     ``FLARE_DAYS_TO_STEP_BACK`` days within ``FLARE_WINDOW_DAYS`` -> back one phase (to that phase's
     default routine), or in phase 1 halve the repetitions of every exercise;
   * symptoms spreading further down the leg after an exercise -> back one phase when that exercise
     belongs to the current phase (2 or 3), otherwise halve that exercise's repetitions;
   * amber pain (4-5) in ``REPEATED_AMBER_SESSIONS`` or more sessions -> halve the repetitions of every
     exercise.
   A *next-morning flare* is a day whose first pain report (before its first session) is at least
   ``FLARE_RISE_POINTS`` higher than the last report of the day before. A day the person *marked* as a flare
   ("My pain has flared up", ``marked_flares``) counts as a flare day too, sessions or not; the days of a
   flare that was already going on at the last decision are not counted again (so a long flare, once
   asked about, is not asked about every other day), unless that decision was not about easing off (a step
   taken the morning the flare began).
2. **Phase 1 -> 2**: on at least ``PHASE_UP_GOOD_DAYS`` of the last ``PHASE_UP_WINDOW_DAYS`` days adherence
   was at least ``GOOD_DAY_ADHERENCE_PCT`` % (from :class:`AdherenceHistory` day cells, the same numbers as
   Progress), at least ``MIN_PAIN_REPORTS`` pain reports before sessions in that window and all at 3 or
   below, no spreading-down answers in the last ``SPREAD_FREE_DAYS`` days, and no next-morning flare or red
   pain in the window. Only days after the last phase change count, and a declined move is not asked about
   again for ``DECLINE_PAUSE_DAYS`` days.
3. **Phase 2 -> 3**: at least ``PHASE_3_MIN_DAYS`` days in phase 2, and the bridge at 10 x 10 s, bird-dog at
   10 per side x 10 s and dead bug at 10 per side, each in the routine and done in full (not skipped, no
   spreading-down) the last time, plus the same comfort conditions as rule 2.
4. **A small dose step**: after ``DOSE_STEP_MIN_SESSIONS`` comfortable sessions (completed, pain before and
   after at 3 or below, nothing spreading down) over at least ``DOSE_STEP_MIN_DAYS`` days, add
   ``REPS_STEP`` repetitions (or fewer, up to the ceiling) or ``HOLD_STEP_S`` seconds of hold to ONE
   exercise: the one changed least recently, and of its two numbers the one furthest below its ceiling.
   Ceilings are the top of the guidance ranges (``DOSE_CEILINGS``), never beyond the catalogue bounds; an
   exercise without a ceiling is not stepped past its catalogue dose.
5. **A next exercise** (checked before the dose step; ``NEXT_EXERCISES``): the double knee-to-chest in place
   of the single one (the guidance: "single, later double"). The same evidence as a dose step (``DOSE_STEP_MIN_SESSIONS`` comfortable sessions
   since the last decision, over at least ``DOSE_STEP_MIN_DAYS`` days), and in each of them the single hug
   done in full (every repetition, not skipped, nothing spreading down). Never when the person avoids the
   direction the next exercise moves the back, never when it is already in the routine, never again once
   a next exercise was taken (whoever went back to one knee chose to), and not again for ``NEXT_EXERCISE_DECLINE_PAUSE_DAYS`` days
   after "not now". Accepting swaps the one exercise for the other, at its catalogue dose.

Keeping the habit (``MAINTENANCE``, and ``FULL_PLAN`` back from it) has its rules in
:mod:`sciatica_coach.core.maintenance`; :func:`sciatica_coach.services.routines.current_proposal` weighs it
against these (it outranks a small step; while it lasts, only easing off is suggested).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

from sciatica_coach.core.adherence import AdherenceHistory, build_history
from sciatica_coach.core.catalogue import DOSE_BOUNDS, Catalogue
from sciatica_coach.core.model import (
    Direction,
    Outcome,
    PainReport,
    Phase,
    Routine,
    RoutineItem,
    SessionRecord,
    SymptomChange,
)
from sciatica_coach.core.safety import GREEN_MAX_PAIN, Zone, pain_zone, scaled_reps
from sciatica_coach.i18n import N_, SOURCE_LANGUAGE, _, current_language, ngettext

log = logging.getLogger(__name__)

# --- Thresholds ----------------------------------------------------------------------------------------------

RECENT_DAYS: Final = 3  # easing-off rules look at today and the 2 days before
REPEATED_AMBER_SESSIONS: Final = 2
FLARE_RISE_POINTS: Final = 2  # a 2-point rise on the 0-10 scale is meaningful (Childs 2005)
FLARE_WINDOW_DAYS: Final = 7
FLARE_DAYS_TO_STEP_BACK: Final = 2
HALVE_FACTOR: Final = 0.5

GOOD_DAY_ADHERENCE_PCT: Final = 80.0
PHASE_UP_WINDOW_DAYS: Final = 7
PHASE_UP_GOOD_DAYS: Final = 5
MIN_PAIN_REPORTS: Final = 3
SPREAD_FREE_DAYS: Final = 3
DECLINE_PAUSE_DAYS: Final = 3
PHASE_3_MIN_DAYS: Final = 14

# Phase 2 -> 3: (exercise, minimum reps per side, minimum hold in seconds)
PHASE_3_TARGETS: Final[tuple[tuple[str, int, int], ...]] = (
    ("bridge", 10, 10),
    ("bird-dog", 10, 10),
    ("dead-bug", 10, 0),
)

DOSE_STEP_MIN_SESSIONS: Final = 4
DOSE_STEP_MIN_DAYS: Final = 3
REPS_STEP: Final = 2
HOLD_STEP_S: Final = 2  # holds under LONG_HOLD_S
LONG_HOLD_S: Final = 20
LONG_HOLD_STEP_S: Final = 5

# The top of the guidance ranges (hold seconds, reps per side): small steps stop here.
DOSE_CEILINGS: Final[Mapping[str, tuple[int, int]]] = MappingProxyType(
    {
        "pelvic-tilt": (5, 10),
        "knee-to-chest": (30, 3),
        "double-knee-to-chest": (30, 3),
        "prone-lying": (180, 1),
        "prone-on-elbows": (10, 10),
        "cat-camel": (2, 8),
        "prone-press-up": (2, 10),
        "nerve-glide": (5, 10),
        "figure-four": (30, 3),
        "bridge": (10, 15),
        "bird-dog": (10, 10),
        "dead-bug": (2, 10),
        "ball-pelvic-tilt": (5, 10),
        "ball-marching": (5, 10),
        "ball-bridge": (5, 12),
        "ball-wall-squat": (10, 12),
    }
)

NEXT_EXERCISE_DECLINE_PAUSE_DAYS: Final = 14  # "not now" to a new exercise is not asked again for 2 weeks


@dataclass(frozen=True, slots=True)
class NextExercise:
    """An exercise to offer in place of one done comfortably, with the words of the offer."""

    done: str
    offer: str
    title: str  # N_()
    question: str  # N_(), with {why}


NEXT_EXERCISES: Final[tuple[NextExercise, ...]] = (
    NextExercise(
        "knee-to-chest",
        "double-knee-to-chest",
        N_("Try hugging both knees to your chest?"),
        N_(
            "{why} Would you like to try hugging both knees at once, in place of one at a time? It is the next "
            "gentle step: a mild stretch, never forced. Only if it feels right: staying with one knee is fine "
            "too, and you can go back to it at any time in Routine."
        ),
    ),
)

PHASE_NAMES: Final[Mapping[Phase, str]] = MappingProxyType(
    {
        Phase.MOBILITY: N_("gentle mobility"),
        Phase.STRENGTH: N_("strengthening"),
        Phase.BALL: N_("ball exercises"),
    }
)

# --- Types ---------------------------------------------------------------------------------------------------


class ChangeKind(StrEnum):
    PHASE_UP = "phase-up"
    PHASE_DOWN = "phase-down"
    HALVE_REPS = "halve-reps"
    ADD_REPS = "add-reps"
    ADD_HOLD = "add-hold"
    NEXT_EXERCISE = "next-exercise"  # one exercise in place of another (the routine in new_routine)
    MAINTENANCE = "maintenance"  # keep the habit with a lighter routine (core/maintenance.py)
    FULL_PLAN = "full-plan"  # from maintenance back to the full routine (core/maintenance.py)


EASING_KINDS: Final = frozenset({ChangeKind.PHASE_DOWN, ChangeKind.HALVE_REPS})
PHASE_KINDS: Final = frozenset({ChangeKind.PHASE_UP, ChangeKind.PHASE_DOWN})
DOSE_FIELD_WORDS: Final[Mapping[str, str]] = MappingProxyType({"reps": "repetitions", "hold_s": "hold"})


@dataclass(frozen=True, slots=True)
class DoseChange:
    """One number of one exercise, from ``old`` to ``new``. ``field`` is ``reps`` or ``hold_s``."""

    exercise_id: str
    field: str
    old: int
    new: int


@dataclass(frozen=True, slots=True)
class Proposal:
    """One suggested change, with its reason and the question to ask, in plain words."""

    kind: ChangeKind
    title: str  # short, e.g. "Add 2 repetitions to the bridge?"
    reason: str  # why, e.g. "You've been comfortable for your last 4 sessions."
    question: str  # the full question shown with Accept / Not now
    from_phase: Phase
    to_phase: Phase
    changes: tuple[DoseChange, ...] = ()  # dose changes (HALVE_REPS, ADD_REPS, ADD_HOLD)
    new_routine: Routine | None = None  # the whole new routine (PHASE_UP, PHASE_DOWN, NEXT_EXERCISE)
    swap: tuple[str, str] | None = None  # NEXT_EXERCISE: (the exercise done, the one in its place)
    weekly_target: int | None = None  # MAINTENANCE: sessions a week (the person's choice)

    @property
    def easing(self) -> bool:
        return self.kind in EASING_KINDS


@dataclass(frozen=True, slots=True)
class Decision:
    """A proposal the person accepted or declined, kept for the history and the clinician report."""

    decided_at: datetime
    accepted: bool
    kind: ChangeKind
    title: str
    reason: str
    from_phase: Phase
    to_phase: Phase
    changes: tuple[DoseChange, ...] = ()
    swap: tuple[str, str] | None = None  # NEXT_EXERCISE: (the exercise done, the one in its place)
    weekly_target: int | None = None  # MAINTENANCE: sessions a week (the person's choice)

    def describe(self) -> str:
        """One line for the history list, e.g. "Bridge: repetitions 5 -> 7"."""
        if self.kind in PHASE_KINDS:
            return f"Moved from phase {int(self.from_phase)} to phase {int(self.to_phase)}"
        if self.swap is not None:
            return f"{self.swap[1]} in place of {self.swap[0]}"
        parts = [
            f"{change.exercise_id}: {DOSE_FIELD_WORDS.get(change.field, change.field)} {change.old} -> "
            f"{change.new}"
            for change in self.changes
        ]
        return "; ".join(parts) or self.title


def decide(proposal: Proposal, accepted: bool, at: datetime) -> Decision:
    return Decision(
        decided_at=at,
        accepted=accepted,
        kind=proposal.kind,
        title=proposal.title,
        reason=proposal.reason,
        from_phase=proposal.from_phase,
        to_phase=proposal.to_phase,
        changes=proposal.changes,
        swap=proposal.swap,
        weekly_target=proposal.weekly_target,
    )


# --- Serialising the history ---------------------------------------------------------------------------------


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    swap = {"swap": list(decision.swap)} if decision.swap is not None else {}
    return {
        "decided_at": decision.decided_at.isoformat(),
        "accepted": decision.accepted,
        "kind": decision.kind.value,
        "title": decision.title,
        "reason": decision.reason,
        "from_phase": int(decision.from_phase),
        "to_phase": int(decision.to_phase),
        "changes": [
            {"exercise": c.exercise_id, "field": c.field, "old": c.old, "new": c.new}
            for c in decision.changes
        ],
        **swap,
        **({"weekly_target": decision.weekly_target} if decision.weekly_target is not None else {}),
    }


def decision_from_dict(data: object) -> Decision:
    """A stored decision; ValueError when it is damaged."""
    if not isinstance(data, Mapping):
        raise ValueError("a decision must be an object")
    try:
        decided_at = datetime.fromisoformat(str(data["decided_at"]))
        changes = tuple(
            DoseChange(str(c["exercise"]), str(c["field"]), int(c["old"]), int(c["new"]))
            for c in data.get("changes", [])
        )
        raw_swap = data.get("swap")
        swap = None if raw_swap is None else (str(raw_swap[0]), str(raw_swap[1]))
        raw_target = data.get("weekly_target")
        weekly_target = None if raw_target is None else int(raw_target)
        return Decision(
            decided_at=decided_at,
            accepted=bool(data["accepted"]),
            kind=ChangeKind(data["kind"]),
            title=str(data.get("title", "")),
            reason=str(data.get("reason", "")),
            from_phase=Phase(int(data["from_phase"])),
            to_phase=Phase(int(data["to_phase"])),
            changes=changes,
            swap=swap,
            weekly_target=weekly_target,
        )
    except (KeyError, IndexError, TypeError, ValueError) as err:
        raise ValueError(f"a damaged decision ({err})") from None


# --- Applying ------------------------------------------------------------------------------------------------


def apply(proposal: Proposal, routine: Routine) -> Routine:
    """The routine after accepting ``proposal``. A phase change gives its new routine; dose changes set the
    named numbers of the exercises still in the routine (clamped to the catalogue bounds)."""
    if proposal.new_routine is not None:
        return proposal.new_routine
    items = list(routine.items)
    for change in proposal.changes:
        low, high = DOSE_BOUNDS[change.field]
        value = max(low, min(high, change.new))
        items = [
            replace(item, dose=item.dose.with_changes(**{change.field: value}))
            if item.exercise_id == change.exercise_id
            else item
            for item in items
        ]
    return replace(routine, items=tuple(items))


# --- Reading the sessions ------------------------------------------------------------------------------------


def local_day(moment: datetime, tz: tzinfo) -> date:
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.date()
    return moment.astimezone(tz).date()


def worst_pain(report: PainReport) -> int:
    return max(report.back, report.leg)


def pain_reports(session: SessionRecord) -> list[PainReport]:
    return [r for r in (session.pain_before, session.pain_after) if r is not None]


def _spread_down(session: SessionRecord) -> list[str]:
    return [e.exercise_id for e in session.exercises if e.symptom is SymptomChange.DOWN]


def _comfortable(session: SessionRecord) -> bool:
    """Completed, pain before known and green, pain after (if asked) green, nothing spreading down."""
    if session.outcome is not Outcome.COMPLETED or session.pain_before is None:
        return False
    if any(pain_zone(r) is not Zone.GREEN for r in pain_reports(session)):
        return False
    return not _spread_down(session)


def flare_days(sessions: Sequence[SessionRecord], tz: tzinfo) -> list[date]:
    """Days whose first pain report is at least FLARE_RISE_POINTS above the last report of the day before
    (pain that had not settled by the next morning)."""
    by_day: dict[date, list[PainReport]] = {}
    for session in sorted(sessions, key=lambda s: s.started_at):
        by_day.setdefault(local_day(session.started_at, tz), []).extend(pain_reports(session))
    flares = []
    for day, reports in sorted(by_day.items()):
        previous = by_day.get(day - timedelta(days=1))
        if reports and previous and worst_pain(reports[0]) - worst_pain(previous[-1]) >= FLARE_RISE_POINTS:
            flares.append(day)
    return flares


@dataclass(frozen=True)
class _Context:
    sessions: Sequence[SessionRecord]  # oldest first
    routine: Routine
    catalogue: Catalogue
    today: date
    history: Sequence[Decision]
    tz: tzinfo
    adherence: AdherenceHistory
    avoid: Direction | None
    marked_flares: AbstractSet[date] = frozenset()  # days the person marked as a flare (services/flare.py)

    def day(self, session: SessionRecord) -> date:
        return local_day(session.started_at, self.tz)

    def since_last_decision(self) -> list[SessionRecord]:
        if not self.history:
            return list(self.sessions)
        last = max(d.decided_at for d in self.history)
        return [s for s in self.sessions if s.started_at > last]

    def within(self, sessions: Sequence[SessionRecord], days: int) -> list[SessionRecord]:
        first = self.today - timedelta(days=days - 1)
        return [s for s in sessions if first <= self.day(s) <= self.today]

    def name(self, exercise_id: str) -> str:
        """The exercise's name as it runs in a sentence ("the bridge"; German nouns keep their capital)."""
        exercise = self.catalogue.exercises.get(exercise_id)
        if exercise is None:
            return exercise_id
        return exercise.name.lower() if current_language() == SOURCE_LANGUAGE else exercise.name

    def phase_started(self) -> date | None:
        """The day the current phase began: the last accepted phase change, else the first day of the latest
        unbroken run of sessions done at this phase."""
        changes = [d for d in self.history if d.accepted and d.kind in PHASE_KINDS]
        if changes:
            return max(changes, key=lambda d: d.decided_at).decided_at.astimezone(self.tz).date()
        start: date | None = None
        for session in reversed(self.sessions):
            if session.phase != self.routine.phase:
                break
            start = self.day(session)
        return start

    def last_decline(self, kind: ChangeKind) -> date | None:
        days = [
            d.decided_at.astimezone(self.tz).date() for d in self.history if d.kind is kind and not d.accepted
        ]
        return max(days) if days else None


# --- The rules -----------------------------------------------------------------------------------------------


def propose(
    sessions: Sequence[SessionRecord],
    routine: Routine,
    catalogue: Catalogue,
    today: date,
    history: Sequence[Decision],
    *,
    tz: tzinfo,
    adherence: AdherenceHistory | None = None,
    avoid: Direction | None = None,
    marked_flares: AbstractSet[date] = frozenset(),
) -> Proposal | None:
    """At most one suggested change (see the module docstring for the rules), or None.

    ``adherence`` should be the person's own history (their reminder plan and excused days, as on the
    Progress page); without it, the default plan of two sessions a day is assumed. ``avoid`` filters the
    default routine offered with a phase change. ``marked_flares`` are the days the person marked as a flare
    (a reason to ease off)."""
    ordered = sorted(sessions, key=lambda s: s.started_at)
    if adherence is None:
        adherence = build_history(ordered, tz=tz, today=today)
    ctx = _Context(
        ordered, routine, catalogue, today, history, tz, adherence, avoid, frozenset(marked_flares)
    )
    for rule in (_ease_off, _phase_up, _next_exercise, _dose_step):
        proposal = rule(ctx)
        if proposal is not None:
            log.info("progression proposal: %s (%s)", proposal.title, proposal.kind.value)
            return proposal
    return None


def _phase_routine(ctx: _Context, phase: Phase) -> Routine:
    return ctx.catalogue.default_routine(phase, ctx.avoid)


def _step_back(ctx: _Context, why: str) -> Proposal:
    lower = Phase(int(ctx.routine.phase) - 1)
    return Proposal(
        kind=ChangeKind.PHASE_DOWN,
        title=_("Go back to phase {phase} for a while?").format(phase=int(lower)),
        reason=why,
        question=_(
            "{why} It may help to go back to the phase {phase} exercises ({phase_name}) for a while, and move "
            "on again when things have settled. Would you like to do that?"
        ).format(why=why, phase=int(lower), phase_name=_(PHASE_NAMES[lower])),
        from_phase=ctx.routine.phase,
        to_phase=lower,
        new_routine=_phase_routine(ctx, lower),
    )


def _halve(ctx: _Context, exercise_ids: Sequence[str], why: str) -> Proposal | None:
    changes = tuple(
        DoseChange(item.exercise_id, "reps", item.dose.reps, scaled_reps(item.dose.reps, HALVE_FACTOR))
        for item in ctx.routine.items
        if item.exercise_id in exercise_ids and item.dose.reps > 1
    )
    if not changes:
        return None
    if len(changes) == 1:
        name = ctx.name(changes[0].exercise_id)
        title = _("Halve the repetitions of the {name}?").format(name=name)
        question = _(
            "{why} Doing half the repetitions of the {name} for a while gives things a chance to settle. "
            "Would you like to make that change?"
        ).format(why=why, name=name)
    else:
        title = _("Halve the repetitions for a while?")
        question = _(
            "{why} Doing half the repetitions of each exercise for a while gives things a chance to settle. "
            "Would you like to make that change?"
        ).format(why=why)
    return Proposal(
        kind=ChangeKind.HALVE_REPS,
        title=title,
        reason=why,
        question=question,
        from_phase=ctx.routine.phase,
        to_phase=ctx.routine.phase,
        changes=changes,
    )


def _ease_off(ctx: _Context) -> Proposal | None:
    fresh = ctx.since_last_decision()
    recent = ctx.within(fresh, RECENT_DAYS)
    all_ids = [item.exercise_id for item in ctx.routine.items]
    can_step_back = ctx.routine.phase > Phase.MOBILITY

    red = any(pain_zone(r) is Zone.RED for s in recent for r in pain_reports(s))
    # A flare compares a morning with the day before, which may lie before the last decision: look at all
    # sessions, but count only flare days that brought new sessions.
    fresh_days = {ctx.day(s) for s in fresh}
    next_morning = {
        day
        for day in flare_days(ctx.within(ctx.sessions, FLARE_WINDOW_DAYS + 1), ctx.tz)
        if day in fresh_days and (ctx.today - day).days < FLARE_WINDOW_DAYS
    }
    marked = _fresh_marked_flares(ctx)
    if red or len(next_morning | marked) >= FLARE_DAYS_TO_STEP_BACK:
        if red:
            why = _("Your pain was high during a recent session.")
        elif marked:
            why = _("Your pain flared up recently.")
        else:
            why = _("Your pain was worse the next morning on a couple of days recently.")
        return _step_back(ctx, why) if can_step_back else _halve(ctx, all_ids, why)

    spread = [eid for s in recent for eid in _spread_down(s)]
    if spread:
        first = spread[0]
        why = _("Recently the {name} sent your leg symptoms further down your leg.").format(
            name=ctx.name(first)
        )
        exercise = ctx.catalogue.exercises.get(first)
        if can_step_back and exercise is not None and exercise.phase == ctx.routine.phase:
            return _step_back(ctx, why)
        return _halve(ctx, list(dict.fromkeys(spread)), why)

    amber = sum(1 for s in recent if any(pain_zone(r) is Zone.AMBER for r in pain_reports(s)))
    if amber >= REPEATED_AMBER_SESSIONS:
        why = ngettext(
            "Your pain has been in the middle range (4 or 5 out of 10) in {n} recent session.",
            "Your pain has been in the middle range (4 or 5 out of 10) in {n} recent sessions.",
            amber,
        ).format(n=amber)
        return _halve(ctx, all_ids, why)
    return None


def _fresh_marked_flares(ctx: _Context) -> set[date]:
    """The marked flare days of the last FLARE_WINDOW_DAYS that are new evidence: those of a flare (a run of
    marked days) that began after the day of the last decision, or on that day when the decision was not
    itself easing off."""
    window = {day for day in ctx.marked_flares if 0 <= (ctx.today - day).days < FLARE_WINDOW_DAYS}
    if not ctx.history:
        return window
    last = max(ctx.history, key=lambda d: d.decided_at)
    last_day = local_day(last.decided_at, ctx.tz)

    def began(day: date) -> date:
        while day - timedelta(days=1) in ctx.marked_flares:
            day -= timedelta(days=1)
        return day

    return {
        day
        for day in window
        if began(day) > last_day or (began(day) == last_day and last.kind not in EASING_KINDS)
    }


def _settled(ctx: _Context, window_start: date) -> bool:
    """Pain before sessions known and at 3 or below, no red pain or flares since window_start, and nothing
    spreading down in the last SPREAD_FREE_DAYS days."""
    window = [s for s in ctx.sessions if window_start <= ctx.day(s) <= ctx.today]
    before = [s.pain_before for s in window if s.pain_before is not None]
    if len(before) < MIN_PAIN_REPORTS or any(worst_pain(r) > GREEN_MAX_PAIN for r in before):
        return False
    if any(r.new_numbness_or_weakness or pain_zone(r) is Zone.RED for s in window for r in pain_reports(s)):
        return False
    if flare_days([s for s in ctx.sessions if ctx.day(s) >= window_start - timedelta(days=1)], ctx.tz):
        return False
    return not any(_spread_down(s) for s in ctx.within(ctx.sessions, SPREAD_FREE_DAYS))


def _good_days(ctx: _Context, first: date) -> int:
    count = 0
    for cell in ctx.adherence.calendar_days(first, ctx.today):
        if cell.target > 0 and 100.0 * cell.credit / cell.target >= GOOD_DAY_ADHERENCE_PCT:
            count += 1
    return count


def _phase_up(ctx: _Context) -> Proposal | None:
    phase = ctx.routine.phase
    if phase >= Phase.BALL:
        return None
    declined = ctx.last_decline(ChangeKind.PHASE_UP)
    if declined is not None and (ctx.today - declined).days < DECLINE_PAUSE_DAYS:
        return None
    started = ctx.phase_started()
    if started is None:
        return None
    window_start = ctx.today - timedelta(days=PHASE_UP_WINDOW_DAYS - 1)
    if phase is Phase.MOBILITY:
        changes = [d for d in ctx.history if d.accepted and d.kind in PHASE_KINDS]
        if changes:  # only days after the last phase change count
            window_start = max(window_start, started + timedelta(days=1))
        good = _good_days(ctx, window_start)
        if good < PHASE_UP_GOOD_DAYS or not _settled(ctx, window_start):
            return None
        why = _(
            "On {good} of the last {days} days you did at least 8 in 10 of your planned sessions, your pain "
            "before exercising stayed at 3 or below, and your leg symptoms haven't spread further down."
        ).format(good=good, days=PHASE_UP_WINDOW_DAYS)
    else:
        if (ctx.today - started).days < PHASE_3_MIN_DAYS or not _settled(ctx, window_start):
            return None
        if _good_days(ctx, window_start) < PHASE_UP_GOOD_DAYS or not _phase_3_targets_reached(ctx):
            return None
        why = _(
            "You've been doing the strengthening exercises for over {weeks} weeks, and you can now do the "
            "bridge and bird dog 10 times with a 10-second hold and the dead bug 10 times each side, with "
            "your pain staying low."
        ).format(weeks=PHASE_3_MIN_DAYS // 7)
    higher = Phase(int(phase) + 1)
    return Proposal(
        kind=ChangeKind.PHASE_UP,
        title=_("Move on to phase {phase}?").format(phase=int(higher)),
        reason=why,
        question=_(
            "{why} Would you like to move on to phase {phase} ({phase_name})? Your routine would change to "
            "the phase {phase} exercises. There's no rush: you can stay where you are, and you can always go "
            "back."
        ).format(why=why, phase=int(higher), phase_name=_(PHASE_NAMES[higher])),
        from_phase=phase,
        to_phase=higher,
        new_routine=_phase_routine(ctx, higher),
    )


def _last_record_done_in_full(ctx: _Context, exercise_id: str, min_hold_s: int) -> bool:
    for session in reversed(ctx.sessions):
        for record in session.exercises:
            if record.exercise_id == exercise_id:
                return (
                    not record.skipped
                    and record.symptom is not SymptomChange.DOWN
                    and record.reps_done >= record.reps_planned
                    and record.hold_s >= min_hold_s
                )
    return False


def _phase_3_targets_reached(ctx: _Context) -> bool:
    items = {item.exercise_id: item for item in ctx.routine.items}
    for exercise_id, reps, hold_s in PHASE_3_TARGETS:
        item = items.get(exercise_id)
        if item is None or item.dose.reps < reps or item.dose.hold_s < hold_s:
            return False
        if not _last_record_done_in_full(ctx, exercise_id, hold_s):
            return False
    return True


def _ceiling(ctx: _Context, item: RoutineItem) -> tuple[int, int]:
    """(hold seconds, reps) that small steps stop at, within the catalogue bounds."""
    ceiling = DOSE_CEILINGS.get(item.exercise_id)
    if ceiling is None:
        exercise = ctx.catalogue.exercises.get(item.exercise_id)
        ceiling = (exercise.dose.hold_s, exercise.dose.reps) if exercise else (0, 0)
    hold, reps = ceiling
    return min(hold, DOSE_BOUNDS["hold_s"][1]), min(reps, DOSE_BOUNDS["reps"][1])


def _step_for(ctx: _Context, item: RoutineItem) -> DoseChange | None:
    hold_ceiling, reps_ceiling = _ceiling(ctx, item)
    dose = item.dose
    reps_gap = reps_ceiling - dose.reps
    hold_gap = hold_ceiling - dose.hold_s if dose.hold_s > 0 else 0  # a moving exercise stays without hold
    if reps_gap <= 0 and hold_gap <= 0:
        return None
    reps_share = dose.reps / reps_ceiling if reps_gap > 0 else 2.0
    hold_share = dose.hold_s / hold_ceiling if hold_gap > 0 else 2.0
    if reps_share <= hold_share:
        return DoseChange(item.exercise_id, "reps", dose.reps, dose.reps + min(REPS_STEP, reps_gap))
    step = LONG_HOLD_STEP_S if dose.hold_s >= LONG_HOLD_S else HOLD_STEP_S
    return DoseChange(item.exercise_id, "hold_s", dose.hold_s, dose.hold_s + min(step, hold_gap))


def _comfortable_run(ctx: _Context) -> list[SessionRecord]:
    """The sessions since the last decision when they make a comfortable run (at least DOSE_STEP_MIN_SESSIONS,
    every one comfortable, spread over DOSE_STEP_MIN_DAYS days or more); else an empty list."""
    fresh = ctx.since_last_decision()
    if len(fresh) < DOSE_STEP_MIN_SESSIONS or not all(_comfortable(s) for s in fresh):
        return []
    days = {ctx.day(s) for s in fresh}
    return fresh if (max(days) - min(days)).days + 1 >= DOSE_STEP_MIN_DAYS else []


def _dose_step(ctx: _Context) -> Proposal | None:
    fresh = _comfortable_run(ctx)
    if not fresh:
        return None
    last_changed: dict[str, datetime] = {}
    for decision in ctx.history:
        if decision.accepted:
            for earlier in decision.changes:
                last_changed[earlier.exercise_id] = decision.decided_at
    oldest = datetime.min.replace(tzinfo=ctx.tz)
    candidates = []
    for order, item in enumerate(ctx.routine.items):
        if not _last_record_done_in_full(ctx, item.exercise_id, 0):
            continue
        step = _step_for(ctx, item)
        if step is not None:
            candidates.append((last_changed.get(item.exercise_id, oldest), order, step))
    if not candidates:
        return None
    change = min(candidates, key=lambda c: (c[0], c[1]))[2]
    name = ctx.name(change.exercise_id)
    amount = change.new - change.old
    why = ngettext(
        "You've been comfortable for your last {n} session.",
        "You've been comfortable for your last {n} sessions.",
        len(fresh),
    ).format(n=len(fresh))
    words = {"n": amount, "name": name, "why": why, "old": change.old, "new": change.new}
    if change.field == "reps":
        kind = ChangeKind.ADD_REPS
        title = ngettext("Add {n} repetition to the {name}?", "Add {n} repetitions to the {name}?", amount)
        question = ngettext(
            "{why} Would you like to add {n} repetition to the {name} (from {old} to {new})? Only if it feels "
            "right: staying where you are is fine too.",
            "{why} Would you like to add {n} repetitions to the {name} (from {old} to {new})? Only if it "
            "feels right: staying where you are is fine too.",
            amount,
        )
    else:
        kind = ChangeKind.ADD_HOLD
        title = ngettext(
            "Add {n} second to the hold of the {name}?", "Add {n} seconds to the hold of the {name}?", amount
        )
        question = ngettext(
            "{why} Would you like to add {n} second to the hold of the {name} (holding for {new} seconds "
            "instead of {old})? Only if it feels right: staying where you are is fine too.",
            "{why} Would you like to add {n} seconds to the hold of the {name} (holding for {new} seconds "
            "instead of {old})? Only if it feels right: staying where you are is fine too.",
            amount,
        )
    return Proposal(
        kind=kind,
        title=title.format(**words),
        reason=why,
        question=question.format(**words),
        from_phase=ctx.routine.phase,
        to_phase=ctx.routine.phase,
        changes=(change,),
    )


def _next_exercise(ctx: _Context) -> Proposal | None:
    fresh = _comfortable_run(ctx)
    if not fresh:
        return None
    if any(d.accepted and d.kind is ChangeKind.NEXT_EXERCISE for d in ctx.history):
        return None  # taken once: whoever went back chose to
    declined = ctx.last_decline(ChangeKind.NEXT_EXERCISE)
    if declined is not None and (ctx.today - declined).days < NEXT_EXERCISE_DECLINE_PAUSE_DAYS:
        return None
    present = {item.exercise_id for item in ctx.routine.items}
    for step in NEXT_EXERCISES:
        following = ctx.catalogue.exercises.get(step.offer)
        if step.done not in present or step.offer in present or following is None:
            continue
        if ctx.avoid is not None and following.direction.includes(ctx.avoid):
            continue
        if all(_done_in_full(s, step.done) for s in fresh):
            return _swap(ctx, step, len(fresh))
    return None


def _done_in_full(session: SessionRecord, exercise_id: str) -> bool:
    records = [r for r in session.exercises if r.exercise_id == exercise_id]
    return bool(records) and all(
        not r.skipped and r.symptom is not SymptomChange.DOWN and r.reps_done >= r.reps_planned
        for r in records
    )


def _swap(ctx: _Context, step: NextExercise, sessions: int) -> Proposal:
    items = tuple(
        ctx.catalogue.default_item(step.offer) if item.exercise_id == step.done else item
        for item in ctx.routine.items
    )
    why = ngettext(
        "You've done the {name} in full, comfortably, in your last {n} session.",
        "You've done the {name} in full, comfortably, in your last {n} sessions.",
        sessions,
    ).format(name=ctx.name(step.done), n=sessions)
    return Proposal(
        kind=ChangeKind.NEXT_EXERCISE,
        title=_(step.title),
        reason=why,
        question=_(step.question).format(why=why),
        from_phase=ctx.routine.phase,
        to_phase=ctx.routine.phase,
        new_routine=Routine(ctx.routine.phase, items),
        swap=(step.done, step.offer),
    )
