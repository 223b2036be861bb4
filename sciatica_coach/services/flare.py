"""The person's flare, as stored: marking one, ending it, the days it covers, and the routine it gives.

The rules are in `core/flare.py`; this module keeps the state (`repo.state(FLARE_KEY)`, so a backup carries it
with every other state key) and records each flare day as an excused day (`repo.excused_days`), which is how
the streak, the adherence figures and the clinician report already count flare days.
"""

from __future__ import annotations

import logging
from datetime import date, tzinfo
from typing import TYPE_CHECKING

from sciatica_coach.core import flare as rules
from sciatica_coach.core.flare import Flare
from sciatica_coach.core.model import Direction
from sciatica_coach.core.plausible import day_from_text
from sciatica_coach.services.plans import avoided_direction

if TYPE_CHECKING:
    from sciatica_coach.core.catalogue import Catalogue
    from sciatica_coach.core.model import Routine
    from sciatica_coach.storage.repository import Repository

log = logging.getLogger(__name__)

FLARE_KEY = "flare"  # {"started": "YYYY-MM-DD", "not_settling_prompted": bool}; absent: no flare


def current_flare(repo: Repository) -> Flare | None:
    """The flare in progress, or None. A damaged entry is logged and read as no flare."""
    raw = repo.state(FLARE_KEY)
    if not raw:
        return None
    started = day_from_text(raw.get("started")) if isinstance(raw, dict) else None
    if started is None:
        log.warning("Ignoring a damaged flare entry: %s", ascii(raw)[:80])
        return None
    return Flare(started, bool(raw.get("not_settling_prompted", False)))


def _save(repo: Repository, flare: Flare) -> None:
    repo.set_state(
        FLARE_KEY,
        {"started": flare.started.isoformat(), "not_settling_prompted": flare.not_settling_prompted},
    )


def start_flare(repo: Repository, today: date) -> Flare:
    """Mark a flare from today (an ongoing one is kept as it is) and record today as a flare day."""
    flare = current_flare(repo)
    if flare is None:
        flare = Flare(today)
        _save(repo, flare)
    record_flare_days(repo, today)
    return flare


def end_flare(repo: Repository) -> None:
    """End the flare ("Feeling back to usual"); its days stay recorded, reminders and sessions are as before."""
    repo.set_state(FLARE_KEY, None)


def record_flare_days(repo: Repository, today: date) -> None:
    """Every day of the flare so far is recorded as a flare day (excused from the plan, listed in the report)."""
    flare = current_flare(repo)
    if flare is not None:
        missing = set(flare.days(today)) - repo.excused_days()
        if missing:
            repo.add_excused_days(missing)


def take_not_settling_prompt(repo: Repository, today: date) -> bool:
    """True once per flare, on the first look at or after NOT_SETTLING_DAYS; the showing is stored."""
    flare = current_flare(repo)
    if flare is None or not rules.should_prompt_not_settling(flare, today):
        return False
    _save(repo, Flare(flare.started, not_settling_prompted=True))
    return True


def offer_end(repo: Repository, today: date, zone: tzinfo) -> bool:
    """Whether the flare card offers "Feeling back to usual" as a suggestion (calmer days, see core)."""
    flare = current_flare(repo)
    if flare is None:
        return False
    reports = [
        (session.started_at.astimezone(zone).date(), max(report.back, report.leg))
        for session in repo.sessions(since=flare.started)
        for report in (session.pain_before, session.pain_after)
        if report is not None
    ]
    return rules.offer_end(flare, rules.worst_pain_by_day(reports), today)


def avoided_directions(repo: Repository) -> frozenset[Direction]:
    avoid = avoided_direction(repo)
    return frozenset() if avoid is None else frozenset({avoid})


def flare_routine(repo: Repository, catalogue: Catalogue) -> Routine:
    return rules.flare_routine(catalogue.exercises, avoided_directions(repo))


def steps_held_back(repo: Repository, today: date) -> bool:
    """No step up during a flare or in the week after one (core/flare.py); easing off is still suggested."""
    return rules.steps_held_back(repo.excused_days(), current_flare(repo) is not None, today)


def flare_days_so_far(repo: Repository, today: date) -> set[date]:
    """The recorded flare days and those of the flare going on now (not yet recorded if the app was not
    opened on them): what the report lists. Reads only, for a read-only data folder too."""
    flare = current_flare(repo)
    return repo.excused_days() | (set(flare.days(today)) if flare is not None else set())
