"""Asking about pain: two 0-10 scales (back, leg), how far down the leg symptoms reach, and new numbness.

Big buttons that can be pressed from a kneeling position; every zone is named in words, never by colour alone."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from sciatica_coach.core.model import LegReach, PainReport
from sciatica_coach.core.safety import Zone, pain_zone
from sciatica_coach.i18n import N_, _
from sciatica_coach.views.theme import current_colors, fit_button_text
from sciatica_coach.views.widgets import ButtonRows, label

ZONE_WORDS = {
    Zone.GREEN: N_("Green: comfortable to exercise"),
    Zone.AMBER: N_("Amber: go gently today"),
    Zone.RED: N_("Red: please don't exercise through this"),
}
REACH_WORDS = {
    LegReach.NONE: N_("No leg symptoms"),
    LegReach.BUTTOCK: N_("Buttock"),
    LegReach.THIGH: N_("Thigh"),
    LegReach.KNEE: N_("Knee"),
    LegReach.CALF: N_("Calf"),
    LegReach.FOOT: N_("Foot"),
}


def zone_of(value: int) -> Zone:
    return pain_zone(PainReport(back=value, leg=0))


def zone_color(zone: Zone) -> str:
    colors = current_colors()
    return {Zone.GREEN: colors.green, Zone.AMBER: colors.amber, Zone.RED: colors.red}[zone]


class PainScale(QWidget):
    """0 to 10 as a row of buttons; the chosen value's zone is spelled out beneath."""

    changed = Signal(int)

    def __init__(self, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label(question, "big"))
        row = QHBoxLayout()
        row.setSpacing(6)
        self.group = QButtonGroup(self)
        for value in range(11):
            button = QPushButton(str(value))
            button.setCheckable(True)
            button.setAutoExclusive(True)  # one answer of several: screen readers hear a radio button
            button.setMinimumSize(44, 48)
            # Eleven across, each as wide as the row allows: at 200 % text they share the width instead of
            # pushing "10" off the window (a digit needs far less than the padding the theme gives a button).
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            zone = zone_of(value)
            button.setAccessibleName(
                _("{question}: {value} out of 10").format(question=question, value=value)
            )
            button.setAccessibleDescription(_(ZONE_WORDS[zone]))
            button.setToolTip(_(ZONE_WORDS[zone]))
            button.setStyleSheet(
                f"QPushButton {{ border-bottom: 4px solid {zone_color(zone)}; font-size: 15pt; }}"
                f"QPushButton:checked {{ background: {zone_color(zone)}; color: {current_colors().window};"
                " font-weight: 700; }"
            )
            self.group.addButton(button, value)
            row.addWidget(button)
        layout.addLayout(row)
        ends = QHBoxLayout()
        no_pain = label(_("0 = no pain"), "muted")
        no_pain.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        ends.addWidget(no_pain, 1)
        worst = label(_("10 = the worst you can imagine"), "muted")
        worst.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        ends.addWidget(worst, 1)
        layout.addLayout(ends)
        self.zone_label = label("", "muted")
        layout.addWidget(self.zone_label)
        self.group.idClicked.connect(self._clicked)

    def _clicked(self, value: int) -> None:
        self.zone_label.setText(
            _("{value} out of 10 — {zone}").format(value=value, zone=_(ZONE_WORDS[zone_of(value)]))
        )
        self.changed.emit(value)

    def value(self) -> int | None:
        checked = self.group.checkedId()
        return None if checked < 0 else checked

    def set_value(self, value: int) -> None:
        button = self.group.button(value)
        button.setChecked(True)
        self._clicked(value)


class PainCheck(QWidget):
    """The whole pain question: emits `submitted(PainReport)` when the person presses Continue."""

    submitted = Signal(object)

    def __init__(self, heading: str, intro: str, continue_text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        continue_text = continue_text or _("Continue")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)  # as the guidance note and the other stages
        layout.setSpacing(16)
        layout.addWidget(label(heading, "title"))
        layout.addWidget(label(intro, "subtitle"))
        self.back = PainScale(_("Back pain right now"))
        self.leg = PainScale(_("Leg pain right now"))
        layout.addWidget(self.back)
        layout.addWidget(self.leg)

        layout.addWidget(label(_("How far down the leg do your symptoms reach?"), "big"))
        self.reach_group = QButtonGroup(self)
        for i, reach in enumerate(LegReach):
            button = QPushButton(_(REACH_WORDS[reach]))
            button.setCheckable(True)
            button.setAutoExclusive(True)  # one answer of several: screen readers hear a radio button
            button.setProperty("answer", True)
            button.setMinimumHeight(44)
            button.setAccessibleName(_("Symptoms reach: {where}").format(where=_(REACH_WORDS[reach])))
            self.reach_group.addButton(button, i)
        # Nothing chosen beforehand: a skipped answer must not be stored as "no leg symptoms".
        self.reach_group.idClicked.connect(lambda _id: self._update())
        self.reach_row = ButtonRows(self.reach_group.buttons())  # in rows when six don't fit across
        layout.addWidget(self.reach_row)

        self._numbness_text = _("I have new numbness or weakness in my leg or foot")
        self.numbness = QCheckBox(self._numbness_text)  # in lines as the width needs: see resizeEvent
        self.numbness.setAccessibleName(_("New numbness or weakness"))
        layout.addWidget(self.numbness)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.continue_button = QPushButton(continue_text)
        self.continue_button.setProperty("role", "primary")
        self.continue_button.setEnabled(False)
        self.continue_button.setAccessibleName(continue_text)
        self.continue_button.clicked.connect(self._submit)
        buttons.addWidget(self.continue_button)
        layout.addLayout(buttons)
        self.hint = label(
            _("Choose a number for back and leg pain, and how far down the leg, to continue."), "muted"
        )
        self.hint.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        self.back.changed.connect(self._update)
        self.leg.changed.connect(self._update)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        margins = self.layout().contentsMargins()  # type: ignore[union-attr]
        room = event.size().width() - margins.left() - margins.right()
        self.reach_row.fit(room)
        fit_button_text(self.numbness, self._numbness_text, room)

    def _update(self) -> None:
        ready = self.report() is not None
        self.continue_button.setEnabled(ready)
        self.hint.setVisible(not ready)

    def report(self) -> PainReport | None:
        back, leg, reach = self.back.value(), self.leg.value(), self.reach_group.checkedId()
        if back is None or leg is None or reach < 0:
            return None
        return PainReport(
            back=back,
            leg=leg,
            reach=list(LegReach)[reach],
            new_numbness_or_weakness=self.numbness.isChecked(),
        )

    def set_reach(self, reach: LegReach) -> None:
        self.reach_group.button(list(LegReach).index(reach)).click()

    def report_reach(self) -> LegReach | None:
        """How far down the leg, as chosen so far (None before a choice)."""
        checked = self.reach_group.checkedId()
        return None if checked < 0 else list(LegReach)[checked]

    def clear(self) -> None:
        """Nothing chosen (answering again by voice after "no" to the summary)."""
        for group in (self.back.group, self.leg.group, self.reach_group):
            group.setExclusive(False)
            for button in group.buttons():
                button.setAutoExclusive(False)
                button.setChecked(False)
                button.setAutoExclusive(True)
            group.setExclusive(True)
        for scale in (self.back, self.leg):
            scale.zone_label.setText("")
        self.numbness.setChecked(False)
        self._update()

    def _submit(self) -> None:
        report = self.report()
        if report is not None:
            self.submitted.emit(report)
