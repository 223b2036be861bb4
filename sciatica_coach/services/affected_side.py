"""The affected side and "usually up by" as stored, and today's session routine fitted to them.

The rules are in `core/affected_side.py`; this reads the two settings and applies them for one session."""

from __future__ import annotations

from datetime import datetime, time

from sciatica_coach.core.affected_side import (
    LEFT_OUT_THIS_MORNING,
    SIDE_QUESTION,
    UP_BY_QUESTION,
    AffectedSide,
    affected_side_exercises,
    fit_to_side,
    later_in_the_day_exercises,
    leave_out_soon_after_waking,
    needs_side_question,
    needs_up_by_question,
    parse_up_by,
)
from sciatica_coach.core.catalogue import Catalogue
from sciatica_coach.core.model import Routine
from sciatica_coach.i18n import _
from sciatica_coach.storage.repository import Repository

SIDE_SETTING = "affected_side"
UP_BY_SETTING = "usually_up_by"
UP_BY_CHOICES = tuple(time(hour, minute) for hour in range(4, 14) for minute in (0, 30))  # 04:00 ... 13:30


def affected_side(repo: Repository) -> AffectedSide:
    return AffectedSide.from_setting(repo.setting(SIDE_SETTING))


def usually_up_by(repo: Repository) -> time | None:
    return parse_up_by(repo.setting(UP_BY_SETTING))


def up_by_setting(up_by: time | None) -> str | None:
    """The value stored for "usually up by" ("07:30"; None: not set)."""
    return None if up_by is None else up_by.strftime("%H:%M")


def session_routine(
    repo: Repository, catalogue: Catalogue, routine: Routine, now: datetime
) -> tuple[Routine, str]:
    """`routine` for a session starting at `now`: the nerve glide left out soon after getting up, and done on
    the affected side only; with the words that say what was left out ("" when nothing was)."""
    later = later_in_the_day_exercises(catalogue)
    kept, left_out = leave_out_soon_after_waking(routine, now, usually_up_by(repo), later)
    notice = _(LEFT_OUT_THIS_MORNING) if left_out else ""
    return fit_to_side(kept, affected_side(repo), affected_side_exercises(catalogue)), notice


def questions(repo: Repository, catalogue: Catalogue, routine: Routine) -> tuple[str, ...]:
    """Gentle lines asking which leg it is and when the person usually gets up, each only while not set and
    the routine holds an exercise that uses it."""
    asked = (
        (
            SIDE_QUESTION,
            needs_side_question(routine, affected_side(repo), affected_side_exercises(catalogue)),
        ),
        (
            UP_BY_QUESTION,
            needs_up_by_question(routine, usually_up_by(repo), later_in_the_day_exercises(catalogue)),
        ),
    )
    return tuple(_(words) for words, needed in asked if needed)
