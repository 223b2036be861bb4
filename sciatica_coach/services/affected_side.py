"""The affected side and "usually up by" as stored, and today's session routine fitted to them.

The rules are in `core/affected_side.py`; this reads the two settings and applies them for one session."""

from __future__ import annotations

from datetime import datetime, time

from sciatica_coach.core.affected_side import (
    LEFT_OUT_THIS_MORNING,
    SIDE_QUESTION,
    AffectedSide,
    fit_to_side,
    leave_out_soon_after_waking,
    needs_side_question,
    parse_up_by,
)
from sciatica_coach.core.model import Routine
from sciatica_coach.i18n import _
from sciatica_coach.storage.repository import Repository


def affected_side(repo: Repository) -> AffectedSide:
    return AffectedSide.from_setting(repo.setting("affected_side"))


def set_affected_side(repo: Repository, side: AffectedSide) -> None:
    repo.set_setting("affected_side", side.setting)


def usually_up_by(repo: Repository) -> time | None:
    return parse_up_by(repo.setting("usually_up_by"))


def set_usually_up_by(repo: Repository, up_by: time | None) -> None:
    repo.set_setting("usually_up_by", None if up_by is None else up_by.strftime("%H:%M"))


def session_routine(repo: Repository, routine: Routine, now: datetime) -> tuple[Routine, str]:
    """`routine` for a session starting at `now`: the nerve glide left out soon after getting up, and done on
    the affected side only; with the words that say what was left out ("" when nothing was)."""
    kept, left_out = leave_out_soon_after_waking(routine, now, usually_up_by(repo))
    notice = _(LEFT_OUT_THIS_MORNING) if left_out else ""
    return fit_to_side(kept, affected_side(repo)), notice


def side_question(repo: Repository, routine: Routine) -> str:
    """A gentle line asking which leg it is, while the routine holds an affected-side exercise and the side is
    not set ("" otherwise)."""
    return _(SIDE_QUESTION) if needs_side_question(routine, affected_side(repo)) else ""
