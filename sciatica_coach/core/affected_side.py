"""The affected side and the nerve glide's timing: which leg has the sciatica, and when the glide is left out.

Two rules from the guidance, both plain Python:

- An exercise meant for the leg with the sciatica (catalogue field `affected_side_only`: the nerve glide) runs
  on that side
  only once the person has said which leg it is: left → the left only, right → the right only, both → both
  sides as the catalogue says, not said yet → as the catalogue says (both sides, as before).
- An exercise that is gentler on the nerve later in the day (catalogue field `not_soon_after_waking`) is left
  out of a session
  that starts within `WAKING_WINDOW` of the person's usual time of getting up ("Usually up by"). Someone who
  is up by 07:00 may have got up earlier, so the window runs from two hours before that time to two hours
  after it. Without the setting the app does not guess a morning (a guess would drop the glide for a late
  riser and still miss an early one): the glide's caution says it, and the session asks for the time
  (`UP_BY_QUESTION`; see docs/safety.md).

Time comes in as a timezone-aware local `datetime` (from the injected clock). "Within two hours" is measured
both on the wall clock and in real elapsed time, and the glide is left out if either says so, so a
daylight-saving change in the window can only widen it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from sciatica_coach.core.model import Routine, RoutineItem, Side, SideMode
from sciatica_coach.i18n import N_

if TYPE_CHECKING:  # the storage layer reads this module at start; the catalogue loads after first paint
    from sciatica_coach.core.catalogue import Catalogue

WAKING_WINDOW: Final[timedelta] = timedelta(hours=2)

LEFT_OUT_THIS_MORNING = N_(
    "The nerve glide is left out of this session: it is gentler on the nerve later in the day, once you have "
    "been up for a couple of hours. It will be back in a later session."
)
UP_BY_QUESTION = N_(
    "The nerve glide is best done once you have been up for two hours. Set the time you usually get up in "
    "Settings, and the app will leave it out of sessions that come sooner."
)

SIDE_QUESTION = N_(
    "Which leg has the sciatica? Tell the app in Settings and the nerve glide will be done on that leg only. "
    "Until then it is done on both sides."
)


class AffectedSide(StrEnum):
    """Which leg has the sciatica, as the person said (stored as the setting "affected_side")."""

    NOT_SET = "not-set"
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"

    @classmethod
    def from_setting(cls, value: object) -> AffectedSide:
        """The stored setting (None, "left", "right", "both"; anything else reads as not set)."""
        for side in (cls.LEFT, cls.RIGHT, cls.BOTH):
            if value == side.value:
                return side
        return cls.NOT_SET

    @property
    def setting(self) -> str | None:
        """The value stored for this choice (None while not set)."""
        return None if self is AffectedSide.NOT_SET else self.value


# The choices as the person sees them (Settings) and as the report names the side.
SIDE_WORDS: Final[dict[AffectedSide, str]] = {
    AffectedSide.NOT_SET: N_("Not set yet"),
    AffectedSide.LEFT: N_("Left leg"),
    AffectedSide.RIGHT: N_("Right leg"),
    AffectedSide.BOTH: N_("Both legs"),
}


def only_side(affected: AffectedSide) -> Side:
    """The one side an affected-side exercise is done on (Side.NONE: both sides, as the catalogue says)."""
    return {AffectedSide.LEFT: Side.LEFT, AffectedSide.RIGHT: Side.RIGHT}.get(affected, Side.NONE)


def affected_side_exercises(catalogue: Catalogue) -> frozenset[str]:
    """The ids of the exercises done on the affected side only (catalogue field `affected_side_only`)."""
    return frozenset(e.id for e in catalogue.exercises.values() if e.affected_side_only)


def later_in_the_day_exercises(catalogue: Catalogue) -> frozenset[str]:
    """The ids of the exercises kept out of the first hours after waking (`not_soon_after_waking`)."""
    return frozenset(e.id for e in catalogue.exercises.values() if e.not_soon_after_waking)


def fit_to_side(routine: Routine, affected: AffectedSide, affected_only: Collection[str]) -> Routine:
    """`routine` with each exercise of `affected_only` limited to the person's affected side (when one)."""
    side = only_side(affected)
    if side is Side.NONE:
        return routine
    items = tuple(
        replace(item, only_side=side) if _one_sided(item) and item.exercise_id in affected_only else item
        for item in routine.items
    )
    return replace(routine, items=items)


def _one_sided(item: RoutineItem) -> bool:
    return item.side_mode is not SideMode.BOTH


def parse_up_by(value: object) -> time | None:
    """The stored "usually_up_by" setting ("HH:MM") as a time; None when not set or not a time."""
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        return None
    hours, minutes = value[:2], value[3:]
    if not (hours.isascii() and hours.isdigit() and minutes.isascii() and minutes.isdigit()):
        return None
    if int(hours) > 23 or int(minutes) > 59:
        return None
    return time(int(hours), int(minutes))


def soon_after_waking(now: datetime, up_by: time | None) -> bool:
    """Whether a session starting at `now` (aware local time) is within `WAKING_WINDOW` of getting up at
    `up_by`: from two hours before it (included) to two hours after it (outside). Measured on the wall clock
    and in real time; either one within the window counts. Not set (None): never (see the module)."""
    if up_by is None:
        return False
    usual = up_by
    wall_now = now.replace(tzinfo=None)
    for day in (now.date() - timedelta(days=1), now.date(), now.date() + timedelta(days=1)):
        wall_up = datetime.combine(day, usual)
        if -WAKING_WINDOW <= wall_now - wall_up < WAKING_WINDOW:
            return True
        if now.tzinfo is not None:
            real_up = wall_up.replace(tzinfo=now.tzinfo)
            real_elapsed = now.astimezone(UTC) - real_up.astimezone(UTC)
            if -WAKING_WINDOW <= real_elapsed < WAKING_WINDOW:
                return True
    return False


def leave_out_soon_after_waking(
    routine: Routine, now: datetime, up_by: time | None, later: Collection[str]
) -> tuple[Routine, tuple[str, ...]]:
    """`routine` without the exercises of `later` (kept for later in the day) when `now` is soon after
    waking, and the ids left out (empty when nothing was)."""
    if not soon_after_waking(now, up_by):
        return routine, ()
    left_out = tuple(item.exercise_id for item in routine.items if item.exercise_id in later)
    if not left_out:
        return routine, ()
    kept = tuple(item for item in routine.items if item.exercise_id not in later)
    return replace(routine, items=kept), left_out


def needs_up_by_question(routine: Routine, up_by: time | None, later: Collection[str]) -> bool:
    """Whether the routine holds an exercise of `later` while "usually up by" is not set."""
    return up_by is None and any(item.exercise_id in later for item in routine.items)


def needs_side_question(routine: Routine, affected: AffectedSide, affected_only: Collection[str]) -> bool:
    """Whether the routine holds an exercise of `affected_only` while the side is not set yet."""
    return affected is AffectedSide.NOT_SET and any(
        item.exercise_id in affected_only and _one_sided(item) for item in routine.items
    )
