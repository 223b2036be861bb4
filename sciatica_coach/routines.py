"""The person's routine as stored, and what today's session should hold.

Qt-free glue between storage and the core: the active routine (the stored one, or the phase default),
exercises set aside for today because they sent symptoms further down the leg, and today's dose."""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sciatica_coach.core import safety
from sciatica_coach.core.catalogue import Catalogue, CatalogueError, parse_routine_items
from sciatica_coach.core.clock import Clock, SystemClock
from sciatica_coach.core.model import Direction, Phase, Routine, RoutineItem
from sciatica_coach.core.plan_history import (
    REASON_BY_HAND,
    REASON_PRESCRIPTION,
    REASON_SUGGESTION,
    ChangeKind,
    routine_to_dict,
)
from sciatica_coach.core.plausible import names
from sciatica_coach.core.progression import (
    Decision,
    Proposal,
    decide,
    decision_from_dict,
    decision_to_dict,
    propose,
)
from sciatica_coach.core.progression import apply as apply_proposal
from sciatica_coach.storage.repository import ROUTINE_KEY, Repository  # the key's home is storage

log = logging.getLogger(__name__)

STOPPED_TODAY_KEY = "stopped_today"
HISTORY_KEY = "progression_history"
AVOID_SETTING = "avoid_direction"
MAX_HISTORY = 500  # decisions kept; a few a week for years


def routine_from_dict(data: Any, catalogue: Catalogue, where: str = "routine") -> Routine:
    """A stored routine; CatalogueError listing every problem when it doesn't fit the catalogue. The items
    are checked by the same code as the catalogue's own routines and prescription files."""
    if not isinstance(data, dict):
        raise CatalogueError(f"{where}: not a routine")
    phase_value = data.get("phase", 1)
    if isinstance(phase_value, bool) or phase_value not in [int(p) for p in Phase]:
        raise CatalogueError(f"{where}: unknown phase {phase_value!r}")
    routine, problems = parse_routine_items(data.get("items"), Phase(phase_value), catalogue, where)
    if routine is None:
        raise CatalogueError(problems)
    return routine


def duration_words(seconds: int) -> str:
    """A session length as people say it: "9 min 40 s", "12 min", "45 s"."""
    minutes, secs = divmod(max(0, int(seconds)), 60)
    if minutes == 0:
        return f"{secs} s"
    return f"{minutes} min {secs} s" if secs else f"{minutes} min"


def avoided_direction(repo: Repository) -> Direction | None:
    value = repo.setting(AVOID_SETTING)
    return Direction(value) if value in (Direction.FLEXION.value, Direction.EXTENSION.value) else None


def active_routine(repo: Repository, catalogue: Catalogue) -> Routine:
    """The stored routine, or the phase-1 default (honouring a direction to avoid)."""
    stored = repo.state(ROUTINE_KEY)
    if stored is not None:
        try:
            return routine_from_dict(stored, catalogue)
        except CatalogueError as err:
            log.warning("The stored routine can't be used, so the default is shown: %s", err)
    return catalogue.default_routine(Phase.MOBILITY, avoided_direction(repo))


def save_routine(repo: Repository, routine: Routine, now: datetime | None = None, reason: str = "") -> None:
    """Store the routine; it applies from the next session (past records keep what was actually done).

    The one place a routine is saved. With `now` (every change the person makes: by hand, a prescription
    file, an accepted suggestion) the change is also recorded in the plan's history with `reason`, plain
    English (see :mod:`sciatica_coach.core.plan_history`); without it (test and demo set-up) it is only
    stored."""
    from sciatica_coach.progress_data import plan_history, record_plan_change

    if now is not None:
        plan_history(repo, now)  # data without a history keeps the plan it was measured against
    repo.set_state(ROUTINE_KEY, routine_to_dict(routine))
    if now is not None:
        record_plan_change(repo, now, ChangeKind.ROUTINE, reason or REASON_BY_HAND)


def set_avoided_direction(repo: Repository, direction: Direction | None) -> None:
    """Remember a direction to avoid (flexion or extension), or None for no preference."""
    if direction in (Direction.NEUTRAL, Direction.BOTH):
        raise ValueError("only flexion or extension can be avoided")
    repo.set_setting(AVOID_SETTING, direction.value if direction is not None else None)


def avoided_items(routine: Routine, catalogue: Catalogue, avoid: Direction | None) -> list[str]:
    """The exercise ids in the routine that move the back in the avoided direction (e.g. from a physio's
    file): kept, because a clinician chose them, but worth pointing out."""
    if avoid is None:
        return []
    known = [item.exercise_id for item in routine.items if item.exercise_id in catalogue.exercises]
    return [exercise_id for exercise_id in known if catalogue.get(exercise_id).direction.includes(avoid)]


# --- prescription files -----------------------------------------------------------------------------------


def export_prescription(path: Path, routine: Routine) -> None:
    """Write the routine as a prescription file, atomically (never half a file). OSError on failure."""
    from sciatica_coach.core.prescription import dumps_prescription  # only for routine files
    from sciatica_coach.storage.atomic import atomic_write

    atomic_write(path, dumps_prescription(routine).encode("utf-8"), mode=0o600)


def import_prescription(
    repo: Repository, path: Path, catalogue: Catalogue, clock: Clock | None = None
) -> Routine:
    """Read, check and save a prescription file as the routine (recorded in the plan's history at the
    clock's time, the system clock by default). PrescriptionError (listing every problem) leaves the stored
    routine unchanged."""
    from sciatica_coach.core.prescription import read_prescription

    routine = read_prescription(path, catalogue)
    now = (clock or SystemClock()).now()
    save_routine(repo, routine, now, REASON_PRESCRIPTION.format(name=path.name))
    return routine


# --- progression --------------------------------------------------------------------------------------------


def progression_history(repo: Repository) -> list[Decision]:
    """Every accepted or declined proposal, oldest first (damaged entries are skipped with a log line)."""
    raw = repo.state(HISTORY_KEY) or []
    decisions = []
    for entry in raw if isinstance(raw, list) else []:
        try:
            decisions.append(decision_from_dict(entry))
        except ValueError as err:
            log.warning("Skipping a damaged progression entry: %s", err)
    return decisions


def current_proposal(repo: Repository, catalogue: Catalogue, clock: Clock) -> Proposal | None:
    """The one change suggested now, from the stored sessions, routine and decisions; None when there is
    nothing to suggest. Cheap enough to call after every session and whenever a page is shown."""
    from sciatica_coach.progress_data import load_history

    now = clock.now()
    assert now.tzinfo is not None
    return propose(
        repo.sessions(),
        active_routine(repo, catalogue),
        catalogue,
        now.date(),
        progression_history(repo),
        tz=now.tzinfo,
        adherence=load_history(repo, clock),
        avoid=avoided_direction(repo),
    )


def _record(repo: Repository, decision: Decision) -> None:
    raw = repo.state(HISTORY_KEY) or []
    entries = [*(raw if isinstance(raw, list) else []), decision_to_dict(decision)]
    repo.set_state(HISTORY_KEY, entries[-MAX_HISTORY:])


def accept(repo: Repository, catalogue: Catalogue, clock: Clock, proposal: Proposal) -> Routine:
    """Apply the proposal to the active routine, save it, and note the decision. Returns the new routine."""
    routine = apply_proposal(proposal, active_routine(repo, catalogue))
    summary = proposal.title.rstrip("?？ ")
    save_routine(repo, routine, clock.now(), REASON_SUGGESTION.format(summary=summary))
    _record(repo, decide(proposal, True, clock.now()))
    return routine


def decline(repo: Repository, clock: Clock, proposal: Proposal) -> None:
    """Note that the person said "not now"; the routine stays as it is."""
    _record(repo, decide(proposal, False, clock.now()))


def stopped_today(repo: Repository, today: date) -> set[str]:
    raw = repo.state(STOPPED_TODAY_KEY) or {}
    if not isinstance(raw, dict) or raw.get("day") != today.isoformat():
        return set()
    return names(raw.get("exercises"))


def stop_for_today(repo: Repository, today: date, exercise_id: str) -> None:
    ids = stopped_today(repo, today) | {exercise_id}
    repo.set_state(STOPPED_TODAY_KEY, {"day": today.isoformat(), "exercises": sorted(ids)})


def substitute_for(catalogue: Catalogue, exercise_id: str, avoid: Direction | None) -> str | None:
    """The gentler exercise to offer in place of `exercise_id`, respecting the avoided direction."""
    return safety.gentler_substitute(catalogue.exercises, exercise_id, avoid)


def todays_routine(
    routine: Routine, catalogue: Catalogue, stopped: set[str], avoid: Direction | None = None
) -> Routine:
    """The routine without the exercises set aside today; each is replaced by its gentler substitute (one
    that doesn't move the back the avoided way) when that one is not already in the routine (and not set
    aside itself)."""
    present = {item.exercise_id for item in routine.items}
    items: list[RoutineItem] = []
    for item in routine.items:
        if item.exercise_id not in stopped:
            items.append(item)
            continue
        gentler = substitute_for(catalogue, item.exercise_id, avoid)
        if gentler and gentler not in present and gentler not in stopped:
            items.append(catalogue.default_item(gentler))
            present.add(gentler)
    return Routine(routine.phase, tuple(items))


def routine_for_today(repo: Repository, catalogue: Catalogue, today: date) -> Routine:
    """What the next session holds: the active routine without today's set-aside exercises."""
    avoid = avoided_direction(repo)
    return todays_routine(active_routine(repo, catalogue), catalogue, stopped_today(repo, today), avoid)
