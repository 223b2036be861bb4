"""The Routine page: the person's exercises, in order, with how much of each; a suggestion card from the
progression rules; adding from the catalogue; a direction to avoid; routine files from a physiotherapist.

Edits are made to a draft and saved with "Save changes"; a saved routine applies from the next session
(past records keep what was actually done). The duration shown is the engine's own plan sum, so it always
matches the session.

Each card is a widget of its own, in a module named after it: the suggestion and the changes said yes to
(:mod:`routine_progression`), the exercises and the draft (:mod:`routine_exercises`, with the dose of the
selected one in :mod:`routine_dose`), adding (:mod:`routine_catalogue`), the direction to avoid
(:mod:`routine_avoid`) and routine files (:mod:`routine_files`, :mod:`routine_import`). This page puts them
together: it stores the draft, and tells every card when the routine changed."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QResizeEvent

from sciatica_coach.core.catalogue import Catalogue, load_catalogue
from sciatica_coach.core.model import Routine
from sciatica_coach.core.plan_history import REASON_BY_HAND
from sciatica_coach.i18n import _
from sciatica_coach.services import plans, routines
from sciatica_coach.storage.repository import DataError
from sciatica_coach.views import routine_files
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.routine_avoid import AvoidCard
from sciatica_coach.views.routine_catalogue import AddExerciseCard
from sciatica_coach.views.routine_dose import exercise_details_html
from sciatica_coach.views.routine_exercises import ExercisesCard
from sciatica_coach.views.routine_files import RoutineFilesCard
from sciatica_coach.views.routine_import import ImportRoutineDialog
from sciatica_coach.views.routine_progression import ChangesCard, SuggestionCard
from sciatica_coach.views.routine_widgets import CARD_AND_PAGE_MARGINS_PX, SAVED_TEXT, FlipRows, Thumbnails
from sciatica_coach.views.widgets import Page

__all__ = ["ImportRoutineDialog", "RoutinePage", "exercise_details_html"]

log = logging.getLogger(__name__)


class RoutinePage(Page):
    """The cards, top to bottom, and what passes between them: the draft kept by the exercises card, saving
    it, and a routine stored by another card (a file, a suggestion) becoming the draft."""

    def __init__(self, ctx: AppContext, catalogue: Catalogue | None = None) -> None:
        super().__init__(
            _("Your routine"),
            _(
                "Which exercises you do, in what order, and how much of each. Changes apply from your next "
                "session; your past sessions keep what you actually did."
            ),
        )
        self.ctx = ctx
        self.catalogue = catalogue or load_catalogue()
        self._rows = FlipRows()
        self._thumbnails = Thumbnails()
        self.suggestion = SuggestionCard(ctx, self.catalogue, self._rows)
        self.exercises = ExercisesCard(ctx, self.catalogue, self._thumbnails, self._rows)
        self.adding = AddExerciseCard(ctx, self.catalogue, self._thumbnails)
        self.avoid = AvoidCard(ctx, self.catalogue)
        self.files = RoutineFilesCard(ctx, self.catalogue, self._rows)
        self.changes = ChangesCard(ctx, self.catalogue)
        for part in (self.suggestion, self.exercises, self.adding, self.avoid, self.files, self.changes):
            self.body.addWidget(part)
        self.body.addStretch(1)
        self._name_widgets()
        self._connect_parts()

        self._load_stored()
        self.refresh_proposal()
        ctx.sessions_changed.connect(self.refresh_proposal)
        ctx.routine_changed.connect(self._routine_changed_elsewhere)
        ctx.appearance_changed.connect(self._appearance_changed)  # the thumbnails are drawn in its colours

    def _name_widgets(self) -> None:
        """The cards' widgets and actions under the page's names, as tests, screenshots and the checks of
        every page reach them."""
        suggestion, exercises, dose = self.suggestion, self.exercises, self.exercises.dose
        self.proposal_card, self.proposal_title = suggestion.frame, suggestion.title
        self.proposal_text, self.proposal_note = suggestion.text, suggestion.note
        self.accept_button, self.decline_button = suggestion.accept_button, suggestion.decline_button
        self.duration_label, self.phase_label, self.list = (
            exercises.duration_label,
            exercises.phase_label,
            exercises.list,
        )
        self.up_button, self.down_button = exercises.up_button, exercises.down_button
        self.remove_button, self.save_button = exercises.remove_button, exercises.save_button
        self.revert_button, self.status = exercises.revert_button, exercises.status
        self.reset_phase, self.reset_button = exercises.reset_phase, exercises.reset_button
        self.editor_title, self.spins, self.field_labels = dose.title, dose.spins, dose.field_labels
        self.side, self.editor_hint, self.details = dose.side, dose.hint, dose.details
        self.catalogue_list, self.add_button = self.adding.catalogue_list, self.adding.add_button
        self.avoid_group, self.avoid_buttons = self.avoid.avoid_group, self.avoid.avoid_buttons
        self.avoid_note, self.remove_avoided_button = self.avoid.avoid_note, self.avoid.remove_avoided_button
        self.import_button, self.export_button = self.files.import_button, self.files.export_button
        self.file_message, self.undo_import_button = self.files.file_message, self.files.undo_import_button
        self.history_label = self.changes.history_label
        # and what they do, under the page's names
        self.draft, self.is_dirty = exercises.draft, exercises.is_dirty
        self.move_selected, self.remove_selected = exercises.move_selected, exercises.remove_selected
        self.reset_to_default = exercises.reset_to_default
        self.catalogue_ids, self.select_catalogue = self.adding.catalogue_ids, self.adding.select_catalogue
        self.add_selected = self.adding.add_selected
        self.import_file, self.import_routine = self.files.import_file, self.files.import_routine
        self.undo_import = self.files.undo_import
        self.refresh_proposal, self.current_suggestion = suggestion.refresh, suggestion.current

    def _connect_parts(self) -> None:
        self.suggestion.accepted.connect(
            lambda routine: self._use_saved(routine, select=self.list.currentRow())
        )
        self.suggestion.declined.connect(self._declined)
        self.exercises.changed.connect(self._draft_changed)
        self.exercises.save_button.clicked.connect(self.save)
        self.exercises.revert_button.clicked.connect(self._load_stored)
        self.adding.add_requested.connect(
            lambda exercise_id: self.exercises.add(self.catalogue.default_item(exercise_id))
        )
        self.avoid.avoid_changed.connect(self._draft_changed)
        self.avoid.remove_requested.connect(self.remove_avoided)
        self.files.import_requested.connect(self._import_clicked)
        self.files.export_requested.connect(self._export_clicked)
        self.files.saved.connect(self._use_saved)
        for part in (self.suggestion, self.avoid, self.files):
            part.save_failed.connect(self._save_failed)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._rows.fit(self.viewport().width() - CARD_AND_PAGE_MARGINS_PX)

    # ---- the draft -------------------------------------------------------------------------------------
    def _load_stored(self) -> None:
        self._set_draft(plans.active_routine(self.ctx.repo, self.catalogue), dirty=False)
        self.status.setText("")

    def _set_draft(self, routine: Routine, *, dirty: bool, select: int = 0) -> None:
        self.exercises.set_draft(routine, dirty=dirty, select=select)
        self.changes.refresh()

    def _draft_changed(self) -> None:
        """What the other cards show of the draft: what can be added, and exercises moving the avoided way."""
        draft = self.draft()
        self.adding.show_for(draft)
        self.avoid.show_note(draft)

    def remove_avoided(self) -> None:
        kept = routines.without_avoided(self.draft(), self.catalogue, plans.avoided_direction(self.ctx.repo))
        if kept is not None:
            self._set_draft(kept, dirty=True)

    # ---- saving -----------------------------------------------------------------------------------------
    def save(self) -> bool:
        if not self.draft().items:
            return False
        try:
            plans.save_routine(self.ctx.repo, self.draft(), self.ctx.clock.now(), REASON_BY_HAND)
        except DataError as err:
            self._save_failed(str(err))
            return False
        self.exercises.mark_saved()
        self.status.setText(_(SAVED_TEXT))
        self.refresh_proposal()
        self.ctx.routine_changed.emit()
        return True

    def _use_saved(self, routine: Routine, *, select: int = 0) -> None:
        """A card stored `routine` (an import, its undo, a suggestion said yes to): edit it from now on."""
        self._set_draft(routine, dirty=False, select=select)
        self.status.setText(_(SAVED_TEXT))
        self.refresh_proposal()
        self.ctx.routine_changed.emit()

    def _save_failed(self, message: str) -> None:
        log.error("Could not save the routine: %s", message)
        self.status.setText(message)
        self.ctx.save_failed.emit(message)

    def _routine_changed_elsewhere(self) -> None:
        if not self.is_dirty():
            self._set_draft(
                plans.active_routine(self.ctx.repo, self.catalogue),
                dirty=False,
                select=self.list.currentRow(),
            )
        self.refresh_proposal()

    def _appearance_changed(self) -> None:
        self._thumbnails.clear()
        self.exercises.render_list(self.list.currentRow())
        self.adding.show_for(self.draft(), redraw=True)

    # ---- routine files ----------------------------------------------------------------------------------
    def ask_open_path(self) -> Path | None:
        return routine_files.ask_open_path(self)

    def ask_save_path(self) -> Path | None:
        return routine_files.ask_save_path(self, self.confirm_replace)

    def confirm_replace(self, path: Path) -> bool:
        """Ask before an existing file is replaced (Cancel is the default)."""
        return routine_files.confirm_replace(self, path)

    @property
    def import_dialog(self) -> ImportRoutineDialog | None:
        return self.files.import_dialog

    def _import_clicked(self) -> None:
        path = self.ask_open_path()
        if path is not None:
            self.offer_import(path)

    def offer_import(self, path: Path) -> ImportRoutineDialog | None:
        return self.files.offer_import(path, unsaved_changes=self.is_dirty())

    def _export_clicked(self) -> None:
        path = self.ask_save_path()
        if path is not None:
            self.export_file(path)

    def export_file(self, path: Path) -> bool:
        return self.files.export_file(path, unsaved_changes=self.is_dirty())

    # ---- progression ------------------------------------------------------------------------------------
    def _declined(self) -> None:
        self.changes.refresh()
        self.refresh_proposal()
