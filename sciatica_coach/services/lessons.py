"""Which posture lessons the person has opened, and Today's tip, as stored.

The lessons themselves and the tip's rule are in :mod:`sciatica_coach.core.lessons`; this module keeps three
small pieces of state in the data file's ``state`` table (so every backup and restore carries them):

- ``lessons_opened``: the ids of the lessons opened, sorted;
- ``lesson_tip_not_now``: the day "Not now" was pressed on Today's tip (ISO date);
- ``lesson_tips_from``: the first day of use as far as the tips know (the programme's start if earlier)."""

from __future__ import annotations

import logging
from datetime import date

from sciatica_coach.core.lessons import Lesson, app_lessons, suggested_lesson
from sciatica_coach.core.plausible import day_from_text
from sciatica_coach.storage.repository import Repository

log = logging.getLogger(__name__)

OPENED_KEY = "lessons_opened"
NOT_NOW_KEY = "lesson_tip_not_now"
TIPS_FROM_KEY = "lesson_tips_from"


def opened_lessons(repo: Repository) -> frozenset[str]:
    stored = repo.state(OPENED_KEY, [])
    if not isinstance(stored, list):
        return frozenset()
    return frozenset(item for item in stored if isinstance(item, str))


def mark_opened(repo: Repository, lesson_id: str) -> None:
    opened = opened_lessons(repo)
    if lesson_id not in opened:
        repo.set_state(OPENED_KEY, sorted(opened | {lesson_id}))


def not_now(repo: Repository, today: date) -> None:
    """Hide Today's tip until tomorrow."""
    repo.set_state(NOT_NOW_KEY, today.isoformat())


def tips_first_day(repo: Repository, today: date) -> date:
    """The day the four weeks of tips count from: the first day the tips were looked for, or the programme's
    start if that came earlier. Stored the first time it is asked for."""
    stored = day_from_text(repo.state(TIPS_FROM_KEY))
    if stored is None:
        stored = today
        repo.set_state(TIPS_FROM_KEY, today.isoformat())
    start = repo.plan_start()
    return min(stored, start) if start is not None else stored


def todays_tip(repo: Repository, today: date, lessons: tuple[Lesson, ...] | None = None) -> Lesson | None:
    """The lesson Today suggests (in English), or None."""
    lessons = app_lessons() if lessons is None else lessons
    return suggested_lesson(
        lessons,
        opened_lessons(repo),
        tips_first_day(repo, today),
        today,
        day_from_text(repo.state(NOT_NOW_KEY)),
    )
