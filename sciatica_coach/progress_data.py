"""Glue between stored data and the core maths: the reminder plan and the adherence history of a data folder.

The Progress page, `sciatica-coach stats` and the clinician report all call `load_history`, so they always
agree."""

from __future__ import annotations

import logging
from datetime import date

from sciatica_coach.core.adherence import AdherenceHistory, build_history
from sciatica_coach.core.clock import Clock, SystemClock
from sciatica_coach.core.schedule import (
    PlanError,
    ReminderPlan,
    default_plan,
    plan_from_dict,
    sessions_planned_on,
)
from sciatica_coach.storage.repository import Repository

log = logging.getLogger(__name__)

PLAN_KEY = "reminder_plan"
REMINDER_STATE_KEY = "reminder_state"  # the scheduler's fired/snoozed/paused record


def reminder_plan(repo: Repository) -> ReminderPlan:
    """The stored plan, or the default (08:00 and 19:00 daily) when none is stored or it is damaged."""
    raw = repo.state(PLAN_KEY)
    if raw is None:
        return default_plan()
    try:
        return plan_from_dict(raw)
    except PlanError as err:
        log.warning("The stored reminder plan is damaged; using the default: %s", err)
        return default_plan()


def load_history(repo: Repository, clock: Clock | None = None, since: date | None = None) -> AdherenceHistory:
    """The adherence numbers for everything stored (or, with `since`, for the sessions from that day on:
    enough for today's figures without reading years of history)."""
    now = (clock or SystemClock()).now()
    plan = reminder_plan(repo)
    assert now.tzinfo is not None
    return build_history(
        repo.sessions(since),
        tz=now.tzinfo,
        today=now.date(),
        excused=repo.excused_days(),
        target_for=lambda day: sessions_planned_on(plan, day),
        plan_start=repo.plan_start(),
    )
