"""The Routine page's progression cards: the one suggestion the progression rules make now (a small step up
when the person has been comfortable, easing off after a flare), with "Yes" and "Not now", and the changes
said yes to so far. The rules are in :mod:`sciatica_coach.core.progression`; storing the decisions is
:mod:`sciatica_coach.services.routines`'."""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton

from sciatica_coach.core.catalogue import Catalogue
from sciatica_coach.core.progression import PHASE_KINDS, ChangeKind, Decision, Proposal
from sciatica_coach.i18n import N_, _, ngettext
from sciatica_coach.services import routines
from sciatica_coach.services.decisions import progression_history
from sciatica_coach.services.progress_text import long_date
from sciatica_coach.storage.repository import DataError
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.maintenance_widgets import MaintenanceChoice
from sciatica_coach.views.routine_widgets import FlipRows, RoutineCard
from sciatica_coach.views.widgets import label

log = logging.getLogger(__name__)

HISTORY_SHOWN = 8


class SuggestionCard(RoutineCard):
    """Shown only while there is a suggestion; drawn as a banner when it suggests easing off."""

    accepted = Signal(object)  # the Routine now stored
    declined = Signal()
    save_failed = Signal(str)

    def __init__(self, ctx: AppContext, catalogue: Catalogue, rows: FlipRows) -> None:
        super().__init__()
        self.ctx, self.catalogue = ctx, catalogue
        self._proposal: Proposal | None = None
        self.frame.setAccessibleName(_("A suggestion for your routine"))
        self.title = label("", "big")
        self.text = label("")
        self.note = label(
            _(
                "It's your choice. Nothing changes unless you say yes, and you can change your routine back "
                "at any time."
            ),
            "muted",
        )
        buttons = rows.row()
        self.accept_button = QPushButton(_("Yes, make this change"))
        self.accept_button.setProperty("role", "primary")
        self.accept_button.clicked.connect(self._accept)
        self.decline_button = QPushButton(_("Not now"))
        self.decline_button.clicked.connect(self._decline)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.decline_button)
        buttons.addStretch(1)
        self.maintenance = MaintenanceChoice(catalogue)  # keeping the habit: lighter routine, 2 or 3 a week
        for widget in (self.title, self.text, self.maintenance, self.note):
            self.box.addWidget(widget)
        self.box.addLayout(buttons)
        self.setVisible(False)

    def refresh(self) -> None:
        try:
            self._proposal = routines.current_proposal(self.ctx.repo, self.catalogue, self.ctx.clock)
        except Exception:  # a suggestion must never break the page
            log.exception("Could not work out a suggestion")
            self._proposal = None
        proposal = self._proposal
        self.setVisible(proposal is not None)
        self.maintenance.show_proposal(proposal)
        if proposal is None:
            return
        self.title.setText(proposal.title)
        self.text.setText(proposal.question)
        self.frame.setProperty("role", "banner" if proposal.easing else "card")
        self.frame.style().unpolish(self.frame)
        self.frame.style().polish(self.frame)

    def current(self) -> Proposal | None:
        return self._proposal

    def _accept(self) -> None:
        if self._proposal is None:
            return
        try:
            target = self.maintenance.weekly_target()
            routine = routines.accept(self.ctx.repo, self.catalogue, self.ctx.clock, self._proposal, target)
        except DataError as err:
            self.save_failed.emit(str(err))
            return
        self.accepted.emit(routine)

    def _decline(self) -> None:
        if self._proposal is None:
            return
        try:
            routines.decline(self.ctx.repo, self.ctx.clock, self._proposal)
        except DataError as err:
            self.save_failed.emit(str(err))
            return
        self.declined.emit()


class ChangesCard(RoutineCard):
    """The last few suggestions said yes to, newest first."""

    def __init__(self, ctx: AppContext, catalogue: Catalogue) -> None:
        super().__init__(_("Changes you've said yes to"))
        self.ctx, self.catalogue = ctx, catalogue
        self.history_label = label("")
        self.history_label.setAccessibleName(_("Changes to your routine"))
        self.box.addWidget(self.history_label)

    def refresh(self) -> None:
        accepted = [d for d in progression_history(self.ctx.repo) if d.accepted]
        if not accepted:
            self.history_label.setText(
                _(
                    "None yet. When you've been comfortable for a while, Sciatica Coach may suggest a small "
                    "step; if your pain flares up, it may suggest easing off. You decide each time."
                )
            )
            return
        lines = [
            _("{date}: {change}").format(date=long_date(d.decided_at.date()), change=self._describe(d))
            for d in reversed(accepted[-HISTORY_SHOWN:])
        ]
        self.history_label.setText("\n".join(lines))

    def _describe(self, decision: Decision) -> str:
        if decision.kind is ChangeKind.MAINTENANCE:
            return ngettext(
                "Keeping the habit with a lighter routine, {n} session a week",
                "Keeping the habit with a lighter routine, {n} sessions a week",
                decision.weekly_target or 0,
            ).format(n=decision.weekly_target or 0)
        if decision.kind is ChangeKind.FULL_PLAN:
            return _("Back to the full routine")
        if decision.kind in PHASE_KINDS:
            return _("Moved from phase {old} to phase {new}").format(
                old=int(decision.from_phase), new=int(decision.to_phase)
            )
        if decision.swap is not None:
            old, new = (self.catalogue.exercises.get(i) for i in decision.swap)
            return _("{new} in place of {old}").format(
                new=new.name if new else decision.swap[1], old=old.name if old else decision.swap[0]
            )
        words = {
            "reps": N_("{name}: repetitions {old} → {new}"),
            "hold_s": N_("{name}: hold (seconds) {old} → {new}"),
        }
        parts = []
        for change in decision.changes:
            exercise = self.catalogue.exercises.get(change.exercise_id)
            name = exercise.name if exercise is not None else change.exercise_id
            pattern = words.get(change.field)
            if pattern is None:
                parts.append(f"{name}: {change.field} {change.old} → {change.new}")
            else:
                parts.append(_(pattern).format(name=name, old=change.old, new=change.new))
        return "; ".join(parts) or decision.title
