"""Per-exercise cautions before an exercise is first done: which ones a person has not seen yet, the ones
they chose to leave out today, and today's routine without them. Qt-free (the page is views/cautions_page.py).

The cautions come from the catalogue (e.g. knee-to-chest: osteoporosis, a recent hip replacement). They are
shown once per exercise, before its first session; "I've read these" remembers them. Leaving an exercise out
lasts for the rest of that day only; to leave it out for good, the person removes it in Routine."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from sciatica_coach.core.catalogue import Catalogue
from sciatica_coach.core.model import Exercise, Routine
from sciatica_coach.core.plausible import names
from sciatica_coach.storage.repository import Repository

SEEN_KEY = "cautions_seen"  # ids of the exercises whose cautions the person has read
LEFT_OUT_KEY = "cautions_left_out"  # {"day": ISO date, "exercises": [ids]} left out for that day


def seen(repo: Repository) -> set[str]:
    return names(repo.state(SEEN_KEY, []))


def unseen(repo: Repository, routine: Routine, catalogue: Catalogue) -> list[Exercise]:
    """The routine's exercises (in order, once each) that have cautions the person has not read yet."""
    done, found = seen(repo), []
    for item in routine.items:
        exercise = catalogue.exercises.get(item.exercise_id)
        if exercise is not None and exercise.cautions and exercise.id not in done and exercise not in found:
            found.append(exercise)
    return found


def mark_seen(repo: Repository, exercise_ids: Iterable[str]) -> None:
    repo.set_state(SEEN_KEY, sorted(seen(repo) | set(exercise_ids)))


def left_out_today(repo: Repository, today: date) -> set[str]:
    raw = repo.state(LEFT_OUT_KEY)
    if not isinstance(raw, dict) or raw.get("day") != today.isoformat():
        return set()
    return names(raw.get("exercises"))


def leave_out_today(repo: Repository, today: date, exercise_ids: Iterable[str]) -> None:
    ids = left_out_today(repo, today) | set(exercise_ids)
    repo.set_state(LEFT_OUT_KEY, {"day": today.isoformat(), "exercises": sorted(ids)})


def without(routine: Routine, exercise_ids: Iterable[str]) -> Routine:
    """The routine without the given exercises (it may end up empty)."""
    leave = set(exercise_ids)
    return replace(routine, items=tuple(item for item in routine.items if item.exercise_id not in leave))
