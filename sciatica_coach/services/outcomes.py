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
    PSFS_MEANINGFUL_CHANGE,
    CheckIn,
    Due,
    checkin_to_dict,
    current_activities,
    due,
    psfs_change,
    read_checkins,
    sbi_change,
)
from sciatica_coach.i18n import _
from sciatica_coach.platform.locale_support import decimal
from sciatica_coach.storage.repository import Repository

log = logging.getLogger(__name__)

LATER_KEY = "outcome_checkin_later"  # the ISO day the person said "Not now" to the check-in on Today


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


def offer_today(repo: Repository, today: date) -> bool:
    """Whether Today offers the check-in: it is due, and the person hasn't said "Not now" today."""
    return due_today(repo, today).any and repo.state(LATER_KEY) != today.isoformat()


def later(repo: Repository, today: date) -> None:
    """ "Not now": the check-in is offered again tomorrow."""
    repo.set_state(LATER_KEY, today.isoformat())


def activities(repo: Repository) -> list[str]:
    return current_activities(load(repo).checkins)


def change_notes(checkins: list[CheckIn]) -> list[str]:
    """What the figures say so far, with what is known of a meaningful change (Progress and the report)."""
    notes: list[str] = []
    psfs = psfs_change(checkins)
    if psfs is not None:
        if psfs >= PSFS_MEANINGFUL_CHANGE:
            notes.append(
                _(
                    "Your activities score has gone up by {n} points since you started: more than the 2 points "
                    "clinicians look for as a real change."
                ).format(n=decimal(psfs))
            )
        elif psfs <= -PSFS_MEANINGFUL_CHANGE:
            notes.append(
                _(
                    "Your activities score has gone down by {n} points since you started. It may be worth "
                    "talking this over with your doctor or physiotherapist."
                ).format(n=decimal(-psfs))
            )
        else:
            notes.append(
                _(
                    "Your activities score has changed by {n} points since you started; clinicians look "
                    "for about 2 points (3 for a single activity)."
                ).format(n=decimal(psfs))
            )
    sbi = sbi_change(checkins)
    if sbi is not None:
        notes.append(
            _(
                "Your bothersomeness total has gone from {first} to {last} out of 24 (lower is better). "
                "There is no agreed size of a meaningful change for this score; a change that lasts over "
                "several weeks says more than a single week."
            ).format(
                first=next(c.sbi_total for c in checkins if c.sbi_total is not None),
                last=next(c.sbi_total for c in reversed(checkins) if c.sbi_total is not None),
            )
        )
    return notes
