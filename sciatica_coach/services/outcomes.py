"""The person's outcome check-ins (SBI, PSFS, sitting and walking), as stored: read, save, and what is due.

The check-ins live in the repository's state under OUTCOMES_KEY, so the backup carries them without a change
there. A damaged or hand-edited check-in is left in the file untouched and read as a plain message, never a
crash. The rules and scoring are in core/outcomes.py; the page is views/outcomes_page.py."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from sciatica_coach.core.outcomes import (
    OUTCOMES_KEY,
    CheckIn,
    Due,
    checkin_to_dict,
    current_activities,
    due,
    read_checkins,
)
from sciatica_coach.storage.repository import Repository

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcomes:
    checkins: list[CheckIn]
    problems: list[str]  # a plain sentence for each stored check-in that could not be read


def load(repo: Repository) -> Outcomes:
    checkins, problems = read_checkins(repo.state(OUTCOMES_KEY))
    for problem in problems:
        log.warning("outcome check-in left out: %s", problem)
    return Outcomes(checkins, problems)


def save(repo: Repository, checkin: CheckIn) -> None:
    """Add a check-in, keeping every stored entry (even one this version cannot read) as it is. A second
    check-in on the same day adds to that day's: answers given now replace those given earlier."""
    raw = repo.state(OUTCOMES_KEY)
    stored = list(raw) if isinstance(raw, list) else []
    new = checkin_to_dict(checkin)
    for i, item in enumerate(stored):
        if isinstance(item, dict) and item.get("day") == new["day"]:
            merged = dict(item)
            merged.update({k: v for k, v in new.items() if v is not None})
            stored[i] = merged
            break
    else:
        stored.append(new)
    repo.set_state(OUTCOMES_KEY, stored)


def due_today(repo: Repository, today: date) -> Due:
    return due(load(repo).checkins, today)


def activities(repo: Repository) -> list[str]:
    return current_activities(load(repo).checkins)
