"""The Routine page's "Movements to avoid" card: no preference, or a direction that makes the person's leg
symptoms worse (bending forward, arching back). The choice is a setting, stored at once; exercises that move
the back that way are hidden from "Add an exercise" and left out of the default routines. Those still in the
routine are pointed out, with a way to take them out (a physiotherapist may have chosen them)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QPushButton, QRadioButton

from sciatica_coach.core.catalogue import Catalogue
from sciatica_coach.core.model import Direction, Routine
from sciatica_coach.i18n import N_, _, ngettext
from sciatica_coach.services import plans, routines
from sciatica_coach.storage.repository import DataError
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.routine_widgets import RoutineCard
from sciatica_coach.views.widgets import label

AVOID_CHOICES = (
    (None, N_("No preference")),
    (Direction.FLEXION, N_("Avoid bending forward (flexion)")),
    (Direction.EXTENSION, N_("Avoid arching back (extension)")),
)
AVOID_EXPLANATION = N_(
    "Some people find that their leg symptoms get worse when they bend forward, and others when they arch "
    "backwards. If you and your physiotherapist or doctor have noticed this, you can leave out the "
    "exercises that move your back that way. They are hidden from the list below and left out when you "
    "reset to a default routine."
)
# The direction an avoided exercise moves the back, as the avoid note says it.
DIRECTION_WORDS = {Direction.FLEXION: N_("flexion"), Direction.EXTENSION: N_("extension")}


class AvoidCard(RoutineCard):
    avoid_changed = Signal()  # the setting is stored
    remove_requested = Signal()  # take the exercises that move the back that way out of the draft
    save_failed = Signal(str)

    def __init__(self, ctx: AppContext, catalogue: Catalogue) -> None:
        super().__init__(_("Movements to avoid"))
        self.ctx, self.catalogue = ctx, catalogue
        self.box.addWidget(label(_(AVOID_EXPLANATION)))
        self.avoid_group = QButtonGroup(self)
        current = plans.avoided_direction(ctx.repo)
        self.avoid_buttons: dict[Direction | None, QRadioButton] = {}
        for index, (direction, text) in enumerate(AVOID_CHOICES):
            button = QRadioButton(_(text))
            button.setChecked(direction == current)
            self.avoid_group.addButton(button, index)
            self.avoid_buttons[direction] = button
            self.box.addWidget(button)
        self.avoid_group.idClicked.connect(self._avoid_chosen)
        self.avoid_note = label("", "muted")
        self.box.addWidget(self.avoid_note)
        self.remove_avoided_button = QPushButton(_("Take them out of my routine"))
        self.remove_avoided_button.clicked.connect(self.remove_requested)
        self.box.addWidget(self.remove_avoided_button, 0, Qt.AlignmentFlag.AlignLeft)

    def _avoid_chosen(self, index: int) -> None:
        direction = AVOID_CHOICES[index][0]
        try:
            self.ctx.set_setting(plans.AVOID_SETTING, direction.value if direction else None)
        except DataError as err:
            self.save_failed.emit(str(err))
            return
        self.avoid_changed.emit()

    def show_note(self, draft: Routine) -> None:
        """Point out the exercises in `draft` that move the back the avoided way, if any."""
        avoid = plans.avoided_direction(self.ctx.repo)
        flagged = routines.avoided_items(draft, self.catalogue, avoid)
        if flagged and avoid is not None:
            names = ", ".join(self.catalogue.get(eid).name for eid in flagged)
            self.avoid_note.setText(
                ngettext(
                    "Your routine still includes {names}, which moves your back that way ({direction}). If a "
                    "physiotherapist gave you this exercise, you may want to keep it.",
                    "Your routine still includes {names}, which move your back that way ({direction}). If a "
                    "physiotherapist gave you these, you may want to keep them.",
                    len(flagged),
                ).format(names=names, direction=_(DIRECTION_WORDS.get(avoid, avoid.value)))
            )
        self.avoid_note.setVisible(bool(flagged))
        self.remove_avoided_button.setVisible(
            routines.without_avoided(draft, self.catalogue, avoid) is not None
        )
