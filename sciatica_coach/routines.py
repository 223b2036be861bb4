"""The person's routine as stored, and what today's session should hold.

Qt-free glue between storage and the core: the active routine (the stored one, or the phase default),
exercises set aside for today because they sent symptoms further down the leg, and today's dose."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from sciatica_coach.core.catalogue import Catalogue, CatalogueError, UnknownExerciseError, validate_dose
from sciatica_coach.core.model import Direction, Phase, Routine, RoutineItem, SideMode
from sciatica_coach.storage.repository import Repository

log = logging.getLogger(__name__)

ROUTINE_KEY = "routine"
STOPPED_TODAY_KEY = "stopped_today"


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


def routine_from_dict(data: Any, catalogue: Catalogue, where: str = "routine") -> Routine:
    """A stored routine; CatalogueError (listing the problems) when it doesn't fit the catalogue."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise CatalogueError(f"{where}: not a routine")
    try:
        phase = Phase(data.get("phase", 1))
    except ValueError:
        raise CatalogueError(f"{where}: unknown phase {data.get('phase')!r}") from None
    items = []
    for n, raw in enumerate(data["items"], start=1):
        if not isinstance(raw, dict):
            raise CatalogueError(f"{where}, item {n}: not an exercise entry")
        try:
            exercise = catalogue.get(str(raw.get("exercise")))
        except UnknownExerciseError as err:
            raise CatalogueError(f"{where}, item {n}: {err}") from None
        dose_fields = {k: v for k, v in raw.items() if k not in ("exercise", "side_mode")}
        dose = validate_dose(dose_fields, f"{where}, item {n}", base=exercise.dose)
        try:
            side_mode = SideMode(raw.get("side_mode", exercise.side_mode.value))
        except ValueError:
            raise CatalogueError(f"{where}, item {n}: unknown side mode {raw.get('side_mode')!r}") from None
        items.append(RoutineItem(exercise.id, dose, side_mode))
    return Routine(phase, tuple(items))


def avoided_direction(repo: Repository) -> Direction | None:
    value = repo.setting("avoid_direction")
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


def save_routine(repo: Repository, routine: Routine) -> None:
    repo.set_state(ROUTINE_KEY, routine_to_dict(routine))


def stopped_today(repo: Repository, today: date) -> set[str]:
    raw = repo.state(STOPPED_TODAY_KEY) or {}
    if not isinstance(raw, dict) or raw.get("day") != today.isoformat():
        return set()
    return {str(x) for x in raw.get("exercises", [])}


def stop_for_today(repo: Repository, today: date, exercise_id: str) -> None:
    ids = stopped_today(repo, today) | {exercise_id}
    repo.set_state(STOPPED_TODAY_KEY, {"day": today.isoformat(), "exercises": sorted(ids)})


def todays_routine(routine: Routine, catalogue: Catalogue, stopped: set[str]) -> Routine:
    """The routine without the exercises set aside today; each is replaced by its gentler exercise when that
    one is not already in the routine (and not set aside itself)."""
    present = {item.exercise_id for item in routine.items}
    items: list[RoutineItem] = []
    for item in routine.items:
        if item.exercise_id not in stopped:
            items.append(item)
            continue
        gentler = catalogue.get(item.exercise_id).gentler
        if gentler and gentler not in present and gentler not in stopped:
            items.append(catalogue.default_item(gentler))
            present.add(gentler)
    return Routine(routine.phase, tuple(items))
