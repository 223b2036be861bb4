"""Stored safety state: the acknowledged guidance note, the red-flag check (when it was last answered, new
symptoms, answers a doctor has checked), whether coaching is paused and why, and the person's country for the
numbers to call. Qt-free; the rules themselves are in `core.red_flags` and `core.emergency`.

Coaching is paused (no session, no reminders, Today says why):

* for the rest of the day after an EMERGENCY or URGENT answer; the whole set of questions comes back before
  the next session, whatever the date;
* after a SEE_DOCTOR_SOON answer, until the person confirms "A doctor has checked this and said I can
  exercise" (a DOCTOR_CLEARED safety event). Those cleared questions are left out of the weekly check, and
  come back with every other question after new symptoms (new numbness or weakness at a pain check, or "I have
  new symptoms")."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from sciatica_coach.core import not_improving, red_flags
from sciatica_coach.core.emergency import Country, country, system_country
from sciatica_coach.core.model import SafetyEvent, SafetyEventKind
from sciatica_coach.core.plausible import moment_from_text
from sciatica_coach.core.red_flags import RedFlag, Tier
from sciatica_coach.core.safety import RedStopState, last_red_stop
from sciatica_coach.core.safety import red_stop_state as red_stop_rule
from sciatica_coach.services import outcomes
from sciatica_coach.storage.repository import Repository

RED_FLAG_CHECKED_KEY = "red_flag_checked_at"
NEW_SYMPTOMS_KEY = "new_symptoms_reported"
RED_FLAG_STOP_KEY = "red_flag_stop_day"  # ISO day of an EMERGENCY or URGENT answer
RED_FLAG_STOP_TIER_KEY = "red_flag_stop_tier"  # which of the two (missing in old data: EMERGENCY, cautious)
SOON_PENDING_KEY = "red_flag_soon_pending"  # SEE_DOCTOR_SOON ids awaiting a doctor
CLEARED_KEY = "red_flag_cleared"  # SEE_DOCTOR_SOON ids a doctor has checked
COUNTRY_SETTING = "country"  # an ISO code or "other"; None follows the system locale

# How a tier is written in a RED_FLAG_ANSWERS safety event's `detail` (plain words for the report).
TIER_DETAIL = {
    Tier.NONE: "none",
    Tier.SEE_DOCTOR_SOON: "see a doctor soon",
    Tier.URGENT: "urgent",
    Tier.EMERGENCY: "emergency",
}


def guidance_accepted(repo: Repository) -> bool:
    return bool(repo.setting("disclaimer_accepted_at"))


def accept_guidance(repo: Repository, now: datetime) -> None:
    repo.set_setting("disclaimer_accepted_at", now.isoformat(timespec="seconds"))


def emergency_country(repo: Repository, environ: Mapping[str, str] = os.environ) -> Country:
    """The country whose numbers the advice names: the setting, or the system locale's until one is chosen."""
    chosen = repo.setting(COUNTRY_SETTING)
    return country(chosen) if isinstance(chosen, str) and chosen else system_country(environ)


def _checked_at(repo: Repository) -> datetime | None:
    return moment_from_text(repo.state(RED_FLAG_CHECKED_KEY))  # a naive or impossible time: ask again


def _ids(repo: Repository, key: str) -> tuple[str, ...]:
    value = repo.state(key, [])
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def _new_symptoms(repo: Repository) -> bool:
    return bool(repo.state(NEW_SYMPTOMS_KEY, False))


def red_flag_check_due(repo: Repository, now: datetime) -> bool:
    """At first run, weekly, and whenever the person has reported new symptoms."""
    return red_flags.check_due(_checked_at(repo), now, _new_symptoms(repo))


def questions_due(repo: Repository) -> tuple[RedFlag, ...]:
    """The questions to ask now: all after new symptoms, otherwise all but those a doctor has checked."""
    return red_flags.questions() if _new_symptoms(repo) else red_flags.questions(_ids(repo, CLEARED_KEY))


def report_new_symptoms(repo: Repository) -> None:
    """The person has new symptoms: every red-flag question comes back before the next session."""
    repo.set_state(NEW_SYMPTOMS_KEY, True)


def record_red_flag_answers(repo: Repository, now: datetime, answers: Mapping[str, bool]) -> Tier:
    """Store the check and what it means for coaching; returns the tier (the highest "yes")."""
    tier = red_flags.triage(answers)
    if _new_symptoms(repo):
        repo.set_state(CLEARED_KEY, [])  # every question was asked again: earlier clearances no longer count
    repo.set_state(RED_FLAG_CHECKED_KEY, now.isoformat(timespec="seconds"))
    repo.set_state(NEW_SYMPTOMS_KEY, tier >= Tier.URGENT)  # after EMERGENCY or URGENT: ask everything again
    soon = [
        flag_id
        for flag_id in red_flags.yes_ids(answers)
        if red_flags.tier_of(flag_id) is Tier.SEE_DOCTOR_SOON
    ]
    repo.set_state(SOON_PENDING_KEY, soon if tier is Tier.SEE_DOCTOR_SOON else [])
    if tier >= Tier.URGENT:
        repo.set_state(RED_FLAG_STOP_KEY, now.date().isoformat())
        repo.set_state(RED_FLAG_STOP_TIER_KEY, tier.name)
    return tier


def red_flag_event(now: datetime, answers: Mapping[str, bool], tier: Tier) -> SafetyEvent:
    """The safety event for a red-flag check: the "yes" ids in `flags`, the tier in `detail`."""
    return SafetyEvent(
        at=now,
        kind=SafetyEventKind.RED_FLAG_ANSWERS,
        detail=TIER_DETAIL[tier],
        flags=red_flags.yes_ids(answers),
    )


def record_doctor_cleared(repo: Repository, now: datetime) -> SafetyEvent:
    """The person confirms a doctor has checked their "see a doctor soon" answers: coaching resumes, and those
    questions are left out of the weekly check until new symptoms. Returns the DOCTOR_CLEARED event to keep."""
    pending = _ids(repo, SOON_PENDING_KEY)
    cleared = sorted({*_ids(repo, CLEARED_KEY), *pending})
    repo.set_state(CLEARED_KEY, cleared)
    repo.set_state(SOON_PENDING_KEY, [])
    return SafetyEvent(
        at=now,
        kind=SafetyEventKind.DOCTOR_CLEARED,
        detail="A doctor has checked this and said I can exercise.",
        flags=pending,
    )


def coaching_pause(repo: Repository, today: date) -> Tier:
    """Why coaching is paused today: EMERGENCY or URGENT (answered today), SEE_DOCTOR_SOON (waiting for a
    doctor), or NONE (not paused)."""
    if repo.state(RED_FLAG_STOP_KEY) == today.isoformat():
        name = repo.state(RED_FLAG_STOP_TIER_KEY)
        return Tier[name] if name in (Tier.URGENT.name, Tier.EMERGENCY.name) else Tier.EMERGENCY
    if _ids(repo, SOON_PENDING_KEY):
        return Tier.SEE_DOCTOR_SOON
    return Tier.NONE


def coaching_paused_today(repo: Repository, today: date) -> bool:
    return coaching_pause(repo, today) is not Tier.NONE


# --- After a red pain stop (the rule is core.safety.red_stop_state) ---------------------------------------


def red_stop_state(repo: Repository, now: datetime) -> RedStopState:
    """Whether a session may start now after a red pain stop: as usual, not yet (wait), or after a
    deliberate confirmation. Looks at the sessions since yesterday (a wait can run past midnight)."""
    recent = repo.sessions(since=now.date() - timedelta(days=1))
    return red_stop_rule(last_red_stop(recent), now)


# --- "See your doctor if it isn't getting better" (the rule is core.not_improving) ---------------------------

NOT_IMPROVING_LOOKBACK = timedelta(days=366)  # the pain history and the last prompt looked at


def see_doctor_assessment(repo: Repository, now: datetime) -> not_improving.Assessment:
    """Whether Today should suggest seeing a doctor or physiotherapist now: from the pain before sessions and
    the weekly SBI check-ins of the last year, since the day after the person last pressed "Got it" on this
    advice."""
    assert now.tzinfo is not None
    since = now.date() - NOT_IMPROVING_LOOKBACK
    prompts = [
        e.at.astimezone(now.tzinfo).date()
        for e in repo.safety_events(since)
        if e.kind is SafetyEventKind.NOT_IMPROVING
    ]
    days = not_improving.daily_pain(repo.sessions(since), now.tzinfo)
    sbi = [
        (c.day, c.sbi_total)
        for c in outcomes.load(repo).checkins
        if c.sbi_total is not None and c.day >= since
    ]
    return not_improving.assess(days, now.date(), max(prompts, default=None), sbi)


_VERDICT_DETAIL = {
    not_improving.Verdict.NOT_IMPROVING: "Pain not easing.",
    not_improving.Verdict.WORSENING: "Pain getting worse.",
}
_SBI_VERDICT_DETAIL = {  # the verdict rests on the weekly check-ins only
    not_improving.Verdict.NOT_IMPROVING: "Sciatica bothersomeness (SBI) not easing.",
    not_improving.Verdict.WORSENING: "Sciatica bothersomeness (SBI) getting worse.",
}


def _verdict_words(assessment: not_improving.Assessment) -> dict[not_improving.Verdict, str]:
    return _VERDICT_DETAIL if not_improving.Measure.PAIN in assessment.measures else _SBI_VERDICT_DETAIL


def record_see_doctor_seen(
    repo: Repository, now: datetime, assessment: not_improving.Assessment
) -> SafetyEvent:
    """The person pressed "Got it": keep a NOT_IMPROVING event (for the report and Progress) with the figures;
    the advice then waits for a new episode (see core.not_improving)."""
    event = SafetyEvent(
        at=now,
        kind=SafetyEventKind.NOT_IMPROVING,
        detail=f"{_verdict_words(assessment).get(assessment.verdict, '')} {assessment.detail()}".strip(),
    )
    repo.add_safety_event(event)
    return event
