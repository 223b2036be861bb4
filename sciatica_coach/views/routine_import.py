"""The question before a routine file replaces the routine: the routine now beside the file's, each in a few
lines, and "Use the file's routine" or Cancel (the default). Asked by :mod:`routine_files`."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from sciatica_coach.core.catalogue import Catalogue
from sciatica_coach.core.model import Routine
from sciatica_coach.i18n import _, ngettext
from sciatica_coach.views.widgets import ReplaceDialog, dose_text, label


def routine_summary(routine: Routine, catalogue: Catalogue, seconds: int) -> list[str]:
    """A routine in a few lines for the import question: phase, count and length (`seconds`, as
    routines.planned_length_s works it out for this person), then each exercise."""
    count = len(routine.items)
    lines = [
        ngettext(
            "Phase {phase}, {n} exercise, about {minutes} min",
            "Phase {phase}, {n} exercises, about {minutes} min",
            count,
        ).format(phase=int(routine.phase), n=count, minutes=max(1, round(seconds / 60)))
    ]
    for item in routine.items:
        exercise = catalogue.exercises.get(item.exercise_id)
        name = exercise.name if exercise is not None else item.exercise_id
        lines.append(f"• {name}: {dose_text(item, short=True)}")
    return lines


class ImportRoutineDialog(ReplaceDialog):
    """Use a routine file? The routine now beside the file's; "Use the file's routine" or Cancel (the
    default)."""

    def __init__(
        self,
        now: list[str],
        incoming: list[str],
        file_name: str,
        *,
        unsaved_changes: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            _("Import a routine file"), _("Use the routine in {file}?").format(file=file_name), parent
        )
        self.words.addWidget(
            label(
                _(
                    "It replaces your routine from your next session. Your history stays as it is, and you "
                    "can go back to your routine afterwards with Undo."
                )
            )
        )
        if unsaved_changes:
            self.words.addWidget(label(_("Changes you haven't saved yet will be lost."), "muted"))
        self.now_card, self.file_card = self.side_by_side(
            (_("Your routine now"), now), (_("In the file"), incoming)
        )
        self.use_button = self.finish(_("Use the file's routine"))
