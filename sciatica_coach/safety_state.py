"""Stored safety state: the acknowledged guidance note, when the red-flag questions were last answered,
new symptoms reported, and a day on which coaching is paused because of a red-flag answer. Qt-free."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from sciatica_coach.core import safety
from sciatica_coach.core.safety import RedStopState, last_red_stop
from sciatica_coach.core.safety import red_stop_state as red_stop_rule
from sciatica_coach.storage.repository import Repository

RED_FLAG_CHECKED_KEY = "red_flag_checked_at"
NEW_SYMPTOMS_KEY = "new_symptoms_reported"
RED_FLAG_STOP_KEY = "red_flag_stop_day"


def guidance_accepted(repo: Repository) -> bool:
    return bool(repo.setting("disclaimer_accepted_at"))


def accept_guidance(repo: Repository, now: datetime) -> None:
    repo.set_setting("disclaimer_accepted_at", now.isoformat(timespec="seconds"))


def _checked_at(repo: Repository) -> datetime | None:
    text = repo.state(RED_FLAG_CHECKED_KEY)
    try:
        return datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def red_flag_check_due(repo: Repository, now: datetime) -> bool:
    """At first run, weekly, and whenever the person has reported new symptoms."""
    return safety.red_flag_check_due(_checked_at(repo), now, bool(repo.state(NEW_SYMPTOMS_KEY, False)))


def report_new_symptoms(repo: Repository) -> None:
    repo.set_state(NEW_SYMPTOMS_KEY, True)


def record_red_flag_answers(repo: Repository, now: datetime, answers: Mapping[str, bool]) -> bool:
    """Store that the check was done; any "yes" pauses coaching for the rest of the day. True if any yes."""
    repo.set_state(RED_FLAG_CHECKED_KEY, now.isoformat(timespec="seconds"))
    repo.set_state(NEW_SYMPTOMS_KEY, False)
    flagged = safety.any_red_flag(answers)
    if flagged:
        repo.set_state(RED_FLAG_STOP_KEY, now.date().isoformat())
        repo.set_state(NEW_SYMPTOMS_KEY, True)  # ask again next time, whatever the date
    return flagged


def coaching_paused_today(repo: Repository, today: date) -> bool:
    return bool(repo.state(RED_FLAG_STOP_KEY) == today.isoformat())


# --- After a red pain stop (the rule is core.safety.red_stop_state) ---------------------------------------


def red_stop_state(repo: Repository, now: datetime) -> RedStopState:
    """Whether a session may start now after a red pain stop: as usual, not yet (wait), or after a
    deliberate confirmation. Looks at the sessions since yesterday (a wait can run past midnight)."""
    recent = repo.sessions(since=now.date() - timedelta(days=1))
    return red_stop_rule(last_red_stop(recent), now)
