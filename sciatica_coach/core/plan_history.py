"""The plan's history: which routine and which reminder plan were in force on each day, and since when.

Qt-free and pure. Adherence measures each day against the plan that was in force *that* day, so changing the
reminders today never rewrites last month's figures (issue 16): `PlanHistory.target_for` is the
``target_for(day)`` that :func:`sciatica_coach.core.adherence.build_history` takes.

A :class:`PlanChange` holds the *whole* plan in force from its day ``on`` (the routine and the reminder plan,
both always present), when the change was made (``at``), what kind of change it was and a plain-English
reason kept with it. The first change is the plan as first known (:attr:`ChangeKind.START`). Storage (the
``plan_history`` state key), the "from the next day" rule and the reading of old data without a history live
in :mod:`sciatica_coach.services.plans`; this module only answers "what was the plan on this day" and
converts to and from plain JSON data.

Excused (flare) days are not part of the plan: they live in the repository's excused days and give a day a
target of 0 in the adherence maths, whatever the plan said."""

from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sciatica_coach.core.model import Dose, Phase, Routine, RoutineItem, SideMode
from sciatica_coach.core.plausible import plausible_day, plausible_moment
from sciatica_coach.core.schedule import ReminderPlan, plan_from_dict, plan_to_dict, sessions_planned_on
from sciatica_coach.i18n import N_

log = logging.getLogger(__name__)

PLAN_HISTORY_KEY = "plan_history"  # the repository state key the history is kept under (a list of changes)
# Reasons kept with a change: plain English, stored as written (N_ marks them for whoever shows them).
REASON_BY_HAND = N_("Changed by hand in Routine")
REASON_PRESCRIPTION = N_("Imported from a prescription file ({name})")
REASON_SUGGESTION = N_("Accepted a suggestion: {summary}")
REASON_REMINDERS = N_("Reminders changed")
REASON_FIRST_READ = N_("Read as today's plan from the start (no history was kept before)")

_DOSE_FIELDS = ("hold_s", "reps", "sets", "rest_between_reps_s", "rest_between_sets_s")


class ChangeKind(StrEnum):
    """What changed the plan."""

    START = "start"  # the plan as first known
    ROUTINE = "routine"  # exercises or doses
    REMINDERS = "reminders"  # times or days, so the number of sessions planned
    PHASE = "phase"  # the routine moved to another phase


@dataclass(frozen=True)
class PlanChange:
    """The whole plan in force from the local day ``on`` (inclusive) until the next change."""

    on: date  # the first local day the new plan is in force
    at: datetime  # when the change was made (aware)
    kind: ChangeKind
    reason: str  # plain English, stored as written
    reminders: ReminderPlan
    routine: Routine


class PlanHistory:
    """The plan changes, oldest first (by ``on``; on the same day the later ``at`` wins)."""

    def __init__(self, changes: Iterable[PlanChange] = ()) -> None:
        self.changes: tuple[PlanChange, ...] = tuple(sorted(changes, key=lambda c: (c.on, c.at)))
        self._days = [change.on for change in self.changes]

    def __repr__(self) -> str:
        return f"PlanHistory({len(self.changes)} changes)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlanHistory) and self.changes == other.changes

    __hash__ = None  # type: ignore[assignment]

    def __bool__(self) -> bool:
        return bool(self.changes)

    def plan_on(self, day: date) -> PlanChange:
        """The change in force on ``day``: the last with ``on <= day``; before the first, the first.
        LookupError when the history is empty (:func:`sciatica_coach.services.plans.plan_history` never
        returns an empty one)."""
        if not self.changes:
            raise LookupError("the plan history is empty")
        index = bisect.bisect_right(self._days, day) - 1
        return self.changes[max(0, index)]

    def reminders_on(self, day: date) -> ReminderPlan:
        return self.plan_on(day).reminders

    def routine_on(self, day: date) -> Routine:
        return self.plan_on(day).routine

    def target_for(self, day: date) -> int:
        """Sessions planned on ``day`` by the reminder plan in force that day (before excused days and the
        programme start, which the adherence maths applies)."""
        return sessions_planned_on(self.reminders_on(day), day)

    def between(self, start: date, end: date) -> tuple[PlanChange, ...]:
        """The changes that took effect from ``start`` to ``end`` (inclusive), oldest first."""
        return tuple(change for change in self.changes if start <= change.on <= end)


# --- the routine as plain data (the one shape, also used for the stored routine) ----------------------------


def item_to_dict(item: RoutineItem) -> dict[str, Any]:
    dose = item.dose
    return {
        "exercise": item.exercise_id,
        "hold_s": dose.hold_s,
        "reps": dose.reps,
        "sets": dose.sets,
        "rest_between_reps_s": dose.rest_between_reps_s,
        "rest_between_sets_s": dose.rest_between_sets_s,
        "side_mode": item.side_mode.value,
    }


def routine_to_dict(routine: Routine) -> dict[str, Any]:
    return {"phase": int(routine.phase), "items": [item_to_dict(item) for item in routine.items]}


def _whole(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} is not a whole number")
    return value


def routine_record_from_dict(data: object) -> Routine:
    """A routine as it was recorded, read by its shape only (not checked against today's catalogue: a past
    plan stays a record even if an exercise or a bound changed since). ValueError when it is damaged."""
    if not isinstance(data, Mapping):
        raise ValueError("the routine is not an object")
    phase = data.get("phase")
    if isinstance(phase, bool) or phase not in [int(p) for p in Phase]:
        raise ValueError(f"unknown phase {phase!r}")
    raw_items = data.get("items")
    if not isinstance(raw_items, list):
        raise ValueError("the routine has no list of items")
    items = []
    for raw in raw_items:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("exercise"), str):
            raise ValueError("a routine item has no exercise")
        dose = Dose(*(_whole(raw.get(name), name) for name in _DOSE_FIELDS))
        items.append(RoutineItem(raw["exercise"], dose, SideMode(str(raw.get("side_mode")))))
    return Routine(Phase(phase), tuple(items))


# --- the history as plain data ---------------------------------------------------------------------------


def change_to_dict(change: PlanChange) -> dict[str, Any]:
    return {
        "on": change.on.isoformat(),
        "at": change.at.isoformat(),
        "kind": change.kind.value,
        "reason": change.reason,
        "reminders": plan_to_dict(change.reminders),
        "routine": routine_to_dict(change.routine),
    }


def change_from_dict(data: object) -> PlanChange:
    """One stored change; ValueError (PlanError is one) when it is damaged."""
    if not isinstance(data, Mapping):
        raise ValueError("a plan change must be an object")
    try:
        at = datetime.fromisoformat(data["at"])
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError("its time has no UTC offset")
        reason = data.get("reason", "")
        if not isinstance(reason, str):
            raise ValueError("its reason is not text")
        return PlanChange(
            on=date.fromisoformat(data["on"]),
            at=at,
            kind=ChangeKind(data["kind"]),
            reason=reason,
            reminders=plan_from_dict(data["reminders"]),
            routine=routine_record_from_dict(data["routine"]),
        )
    except (KeyError, TypeError, ValueError) as err:
        raise ValueError(f"a damaged plan change ({err})") from None


def history_to_list(history: PlanHistory) -> list[dict[str, Any]]:
    """The history as JSON-friendly data, oldest first."""
    return [change_to_dict(change) for change in history.changes]


def history_from_list(data: object) -> PlanHistory:
    """A stored history. Tolerant: a damaged entry is skipped with a log line (never a crash); data that is
    not a list gives an empty history."""
    if not isinstance(data, Sequence) or isinstance(data, str | bytes):
        if data is not None:
            log.warning("The stored plan history is not a list; it is read as empty")
        return PlanHistory()
    changes = []
    for index, entry in enumerate(data):
        try:
            change = change_from_dict(entry)
        except ValueError as err:
            log.warning("Skipping plan change %d: %s", index + 1, err)
            continue
        if not (plausible_day(change.on) and plausible_moment(change.at)):
            log.warning("Skipping plan change %d: its date is not a real one (%s)", index + 1, change.on)
            continue
        changes.append(change)
    return PlanHistory(changes)
