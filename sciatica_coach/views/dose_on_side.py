"""How much of an exercise, with the leg it is done on when that is one leg only (the nerve glide once the
person has said which leg has the sciatica; see core/affected_side.py): "3 repetitions · left leg only".

Today's list and the Routine editor's list both show it, so each says what the session will really do."""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from sciatica_coach.core.model import RoutineItem, Side, SideMode
from sciatica_coach.i18n import N_, _
from sciatica_coach.views.widgets import dose_text

ONE_LEG_WORDS: Final[dict[Side, str]] = {
    Side.LEFT: N_("{dose} · left leg only"),
    Side.RIGHT: N_("{dose} · right leg only"),
}


def dose_on_side(item: RoutineItem, *, short: bool = False, moving: bool = False) -> str:
    """`dose_text` for `item`; for one done on one leg only (`item.only_side`), the dose of that leg and which
    leg, instead of "each side"."""
    words = ONE_LEG_WORDS.get(item.only_side)
    if words is None or item.side_mode is SideMode.BOTH:
        return dose_text(item, short=short, moving=moving)
    one_leg = replace(item, side_mode=SideMode.BOTH, only_side=Side.NONE)  # worded as a single block
    return _(words).format(dose=dose_text(one_leg, short=short, moving=moving))
