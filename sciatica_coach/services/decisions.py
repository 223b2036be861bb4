"""The stored progression decisions (state key ``progression_history``): every suggestion the person said yes
or "not now" to, oldest first. Read here, for the Routine page, Progress and the report alike (keeping the
habit, :mod:`sciatica_coach.core.maintenance`, is read from them); written by
:mod:`sciatica_coach.services.routines` when a suggestion is decided."""

from __future__ import annotations

import logging

from sciatica_coach.core.progression import Decision, decision_from_dict
from sciatica_coach.storage.repository import Repository

log = logging.getLogger(__name__)

HISTORY_KEY = "progression_history"


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
