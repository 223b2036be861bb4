"""Settings: appearance, sound and voice (with whether this computer can play them), the session's timing
and spoken extras, the guidance note and symptom check, and where data lives."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSlider,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)

from sciatica_coach import APP_NAME, i18n
from sciatica_coach.core import emergency
from sciatica_coach.core.affected_side import SIDE_WORDS
from sciatica_coach.core.engine import FIRST_GET_READY_MAX_S, FIRST_GET_READY_MIN_S, clamp_first_get_ready_s
from sciatica_coach.i18n import N_, _
from sciatica_coach.platform.locale_support import clock_time
from sciatica_coach.platform.worker_process import ServiceState
from sciatica_coach.services import affected_side, safety_state
from sciatica_coach.storage.backup import (
    AUTO_KEEP,
    BACKUPS_FOLDER,
    Backup,
    BackupError,
    Summary,
    describe,
    describe_current,
    read_backup,
    restore,
    summary_lines,
    write_backup,
)
from sciatica_coach.storage.repository import DataError
from sciatica_coach.views.about import about_card, open_licences
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.safety_pages import GuidanceDialog
from sciatica_coach.views.sitting_settings import SittingBreaksSection
from sciatica_coach.views.theme import fit_button_text
from sciatica_coach.views.voice_settings import VoiceCommandsSection
from sciatica_coach.views.widgets import (
    PAGE_MARGINS,
    ButtonRows,
    Page,
    ReplaceDialog,
    card,
    label,
    narrow_form,
)

log = logging.getLogger(__name__)

THEMES = [("system", N_("Follow the system")), ("light", N_("Light")), ("dark", N_("Dark"))]
TEXT_SCALES = [100, 125, 150, 175, 200]
CARD_BORDER_PX = 2  # a card's border, with room to spare
GET_READY_STEP_S = 5  # the choices: 5, 10, … 60 s (and a stored time between them, as it is)
_ON_LINUX = sys.platform.startswith("linux")

# What is known of the sound and the voice on this computer, beside their switches (AppContext.service_state).
SOUND_STATE_WORDS = {
    ServiceState.CHECKING: N_("Looking for a sound device…"),
    ServiceState.WORKING: N_("A sound device was found: beeps can play."),
    ServiceState.MISSING: N_("No sound device was found, so there will be no beeps."),
    ServiceState.FAILED: N_("The sound system does not work on this computer, so there will be no beeps."),
    ServiceState.HUNG: N_(
        "The sound system stopped responding, so beeps are off until Sciatica Coach is opened again."
    ),
}
SPEECH_STATE_WORDS = {
    ServiceState.CHECKING: N_("Looking for a speech engine…"),
    ServiceState.WORKING: N_("A speech engine was found: cues can be spoken."),
    ServiceState.MISSING: N_(
        "No speech engine was found, so cues won't be spoken. To hear them, install speech-dispatcher and "
        "espeak-ng."
    )
    if _ON_LINUX
    else N_("No speech engine was found, so cues won't be spoken."),
    ServiceState.FAILED: N_("The speech engine does not work on this computer, so cues won't be spoken."),
    ServiceState.HUNG: N_(
        "The speech engine stopped responding, so cues won't be spoken until Sciatica Coach is opened again."
    ),
}
# What "Play a test sound" did, when it can be heard and when it can't.
TEST_SOUND_WORDS = {
    ServiceState.CHECKING: N_("Looking for a sound device…"),
    ServiceState.WORKING: N_("A beep is playing."),
    ServiceState.MISSING: N_("No sound device was found, so nothing can play."),
    ServiceState.FAILED: N_("The sound system isn't working, so nothing can play."),
    ServiceState.HUNG: N_("The sound system isn't working, so nothing can play."),
}
TEST_SPEECH_WORDS = {
    ServiceState.CHECKING: N_("Looking for a speech engine…"),
    ServiceState.WORKING: N_("The voice is saying a test cue."),
    ServiceState.MISSING: N_("No speech engine was found, so nothing can be spoken."),
    ServiceState.FAILED: N_("The speech engine isn't working, so nothing can be spoken."),
    ServiceState.HUNG: N_("The speech engine isn't working, so nothing can be spoken."),
}


def state_label() -> QLabel:
    """A line under a switch saying what this computer can do; hidden until something is known."""
    words = label("", "muted")
    words.hide()
    return words


def show_state(words: QLabel, state: ServiceState | None, texts: dict[ServiceState, str]) -> None:
    """Fine or still looking: quiet (muted). A problem: in the normal text colour, so it is read."""
    words.setVisible(state is not None)
    if state is None:
        return
    words.setText(_(texts[state]))
    words.setAccessibleName(words.text())
    role = "muted" if state in (ServiceState.CHECKING, ServiceState.WORKING) else ""
    if words.property("role") != role:
        words.setProperty("role", role)
        words.style().unpolish(words)
        words.style().polish(words)


def switch(text: str) -> QCheckBox:
    """A check box whose words go in lines when the page is narrow (SettingsPage._fit_switches)."""
    box = QCheckBox(text)
    box.setAccessibleName(text)
    return box


def stored_flag(value: object) -> bool:
    """A stored on/off setting as the session reads it (a hand-edited file may hold anything)."""
    return bool(value)


def setting_choice(
    ctx: AppContext, key: str, choices: list[tuple[str, object]], current: object, name: str
) -> QComboBox:
    """A drop-down of (words, stored value) choices showing `current` (the first choice when it is not one of
    them), saved to setting `key` as soon as the person picks another."""
    box = QComboBox()
    for words, value in choices:
        box.addItem(words, value)
    box.setCurrentIndex(max(0, box.findData(current)))
    box.setAccessibleName(name)
    box.currentIndexChanged.connect(lambda: ctx.set_setting(key, box.currentData()))
    return box


class SettingsPage(Page):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(_("Settings"), _("How Sciatica Coach looks and sounds."))
        self.ctx = ctx
        settings = ctx.repo.settings()

        look, look_layout = card(_("Appearance"))
        form = narrow_form()
        self.theme = QComboBox()
        for key, text in THEMES:
            self.theme.addItem(_(text), key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings["theme"])))
        self.theme.setAccessibleName(_("Colour theme"))
        self.theme.currentIndexChanged.connect(lambda: ctx.set_setting("theme", self.theme.currentData()))
        form.addRow(_("Colours"), self.theme)
        self.text_scale = QComboBox()
        for percent in TEXT_SCALES:
            self.text_scale.addItem(_("{percent} %").format(percent=percent), percent)
        scale = settings["text_scale"]
        self.text_scale.setCurrentIndex(TEXT_SCALES.index(scale) if scale in TEXT_SCALES else 0)
        self.text_scale.setAccessibleName(_("Text size"))
        self.text_scale.currentIndexChanged.connect(
            lambda: ctx.set_setting("text_scale", self.text_scale.currentData())
        )
        form.addRow(_("Text size"), self.text_scale)
        self.language = QComboBox()
        self.language.addItem(_("Follow the system"), i18n.SYSTEM)
        for code, name in i18n.available_languages():
            self.language.addItem(name, code)
        chosen = self.language.findData(settings["language"])
        self.language.setCurrentIndex(max(0, chosen))
        self.language.setAccessibleName(_("Language"))
        self.language.currentIndexChanged.connect(self._language_changed)
        form.addRow(_("Language"), self.language)
        look_layout.addLayout(form)
        self.still_pictures = switch(_("Keep the exercise pictures still (no moving figure)"))
        self.still_pictures.setChecked(stored_flag(settings["still_pictures"]))
        self.still_pictures.toggled.connect(lambda on: ctx.set_setting("still_pictures", on))
        look_layout.addWidget(self.still_pictures)
        self.language_note = label("", "muted")
        self.language_note.hide()
        look_layout.addWidget(self.language_note)
        self.body.addWidget(look)

        sound, sound_layout = card(_("Sound and voice"))
        self.sound_on = switch(_("Beeps when a hold starts and ends, and a 3-2-1 tick before each change"))
        self.sound_on.setChecked(stored_flag(settings["sound_on"]))
        self.sound_on.toggled.connect(lambda on: ctx.set_setting("sound_on", on))
        self.sound_state = state_label()
        self.voice_on = switch(_("Spoken cues (“Hold”, “Relax”, “Switch to your left side”)"))
        self.voice_on.setChecked(stored_flag(settings["voice_on"]))
        self.voice_on.toggled.connect(self._voice_toggled)
        self.speech_state = state_label()
        self.count_reps = switch(_("Count the repetitions aloud (“3 of 10”)"))
        self.count_reps.setChecked(stored_flag(settings["count_reps_aloud"]))
        self.count_reps.toggled.connect(lambda on: ctx.set_setting("count_reps_aloud", on))
        self.halfway = switch(_("Say “Halfway” in the middle of long holds"))
        self.halfway.setChecked(stored_flag(settings["halfway_cue"]))
        self.halfway.toggled.connect(lambda on: ctx.set_setting("halfway_cue", on))
        # What belongs to a switch sits under its words, not its box (aligned in _align_under_switches)
        voice_extras = QVBoxLayout()
        for widget in (self.speech_state, self.count_reps, self.halfway):
            voice_extras.addWidget(widget)
        sound_extras = QVBoxLayout()
        sound_extras.addWidget(self.sound_state)
        self._under_switches = ((self.sound_on, sound_extras), (self.voice_on, voice_extras))
        self._indent = 0
        self._sound_card = sound_layout
        volume_row = QHBoxLayout()
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setSingleStep(5)
        self.volume.setPageStep(10)
        self.volume.setValue(settings["volume"])  # 0-100: the repository checks stored values
        self.volume.setAccessibleName(_("Volume"))
        self.volume_value = label(_("{percent} %").format(percent=self.volume.value()), wrap=False)
        self.volume.valueChanged.connect(self._volume_changed)
        volume_row.addWidget(label(_("Volume"), wrap=False))
        volume_row.addWidget(self.volume, 1)
        volume_row.addWidget(self.volume_value)
        self.test_sound = QPushButton(_("Play a test sound"))
        self.test_sound.setAccessibleName(_("Play a test sound"))
        self.test_sound.clicked.connect(self._play_test)
        self.test_note = label("")  # what the test did: said on screen, as nothing may be heard
        self.test_note.hide()
        self._test_asked = False
        sound_layout.addWidget(self.sound_on)
        sound_layout.addLayout(sound_extras)
        sound_layout.addWidget(self.voice_on)
        sound_layout.addLayout(voice_extras)
        sound_layout.addLayout(volume_row)
        sound_layout.addWidget(self.test_sound, 0, Qt.AlignmentFlag.AlignLeft)
        sound_layout.addWidget(self.test_note)
        self.body.addWidget(sound)
        self._voice_toggled(self.voice_on.isChecked(), save=False)
        ctx.services_changed.connect(self._show_service_states)
        self.voice_commands = VoiceCommandsSection(ctx)  # views/voice_settings.py
        self.body.addWidget(self.voice_commands)

        session, session_layout = card(_("Session"))
        ready_form = narrow_form()
        self.get_ready = QComboBox()
        stored_s = clamp_first_get_ready_s(settings["get_ready_s"])  # as the session uses it
        for seconds in sorted(
            {*range(FIRST_GET_READY_MIN_S, FIRST_GET_READY_MAX_S + 1, GET_READY_STEP_S), stored_s}
        ):
            self.get_ready.addItem(_("{seconds} s").format(seconds=seconds), seconds)
        self.get_ready.setCurrentIndex(self.get_ready.findData(stored_s))
        self.get_ready.setAccessibleName(_("Time to get ready"))
        self.get_ready.setAccessibleDescription(_("Time to get into position before the first exercise"))
        self.get_ready.currentIndexChanged.connect(
            lambda: ctx.set_setting("get_ready_s", self.get_ready.currentData())
        )
        ready_form.addRow(_("Time to get ready"), self.get_ready)
        session_layout.addLayout(ready_form)
        session_layout.addWidget(
            label(_("Time to get into position on the mat before the first exercise."), "muted")
        )
        side_form = narrow_form()
        self.affected_side = setting_choice(
            ctx,
            affected_side.SIDE_SETTING,
            [(_(words), side.setting) for side, words in SIDE_WORDS.items()],
            affected_side.affected_side(ctx.repo).setting,
            _("Which leg has the sciatica?"),
        )
        side_form.addRow(_("Which leg has the sciatica?"), self.affected_side)
        stored_up_by = affected_side.usually_up_by(ctx.repo)
        moments = sorted({*affected_side.UP_BY_CHOICES, *([stored_up_by] if stored_up_by else [])})
        self.up_by = setting_choice(
            ctx,
            affected_side.UP_BY_SETTING,
            [(_("Not set"), None), *((clock_time(m), affected_side.up_by_setting(m)) for m in moments)],
            affected_side.up_by_setting(stored_up_by),
            _("Usually up by"),
        )
        side_form.addRow(_("Usually up by"), self.up_by)
        session_layout.addLayout(side_form)
        session_layout.addWidget(
            label(
                _(
                    "The nerve glide is done on the leg with the sciatica only, and is left out of sessions "
                    "within two hours of the time you usually get up."
                ),
                "muted",
            )
        )
        self.body.addWidget(session)

        self.sitting = SittingBreaksSection(ctx)  # views/sitting_settings.py
        self.body.addWidget(self.sitting)

        safety, safety_layout = card(_("Safety"))
        country_form = narrow_form()
        self.country = setting_choice(
            ctx,
            safety_state.COUNTRY_SETTING,
            [(f"{_(place.name)} ({place.number})", place.code) for place in emergency.sorted_countries()],
            safety_state.emergency_country(ctx.repo).code,
            _("Country, for the numbers to call"),
        )
        country_form.addRow(_("Country"), self.country)
        safety_layout.addLayout(country_form)
        safety_layout.addWidget(
            label(_("The safety advice names this country's emergency and doctor numbers."), "muted")
        )
        safety_layout.addWidget(
            label(
                _(
                    "Sciatica Coach offers guidance, not a diagnosis. If your symptoms change, "
                    "answer the symptom check again before your next session."
                ),
                "muted",
            )
        )
        self.guidance_button = QPushButton(_("Read the guidance note again"))
        self.symptoms_button = QPushButton(_("I have new symptoms"))
        for button in (self.guidance_button, self.symptoms_button):
            button.setAccessibleName(button.text())  # the words in one line, whatever lines they are shown in
        self.guidance_button.clicked.connect(self._show_guidance)
        self.symptoms_button.clicked.connect(self._new_symptoms)
        self.safety_buttons = ButtonRows([self.guidance_button, self.symptoms_button])  # in rows when narrow
        safety_layout.addWidget(self.safety_buttons, 0, Qt.AlignmentFlag.AlignLeft)
        self.safety_note = label("", "muted")
        self.safety_note.hide()
        safety_layout.addWidget(self.safety_note)
        self.body.addWidget(safety)

        data, data_layout = card(_("Your data"))
        data_layout.addWidget(
            label(
                _("Everything stays on this computer, in the folder below, and is never sent anywhere.")
                + "\n"
                # A long path has no spaces to wrap at: it may break after any "/" (a zero-width space).
                + _("Folder: {folder}").format(folder=str(ctx.repo.folder).replace("/", "/\u200b")),
                "muted",
            )
        )
        self.backup_button = QPushButton(_("Back up everything…"))
        self.restore_button = QPushButton(_("Restore from a backup…"))
        for button in (self.backup_button, self.restore_button):
            button.setAccessibleName(button.text())  # the words in one line, whatever lines they are shown in
        self.backup_button.clicked.connect(self._backup_clicked)
        self.restore_button.clicked.connect(self._restore_clicked)
        self.data_buttons = ButtonRows([self.backup_button, self.restore_button])  # in rows when narrow
        data_layout.addWidget(self.data_buttons, 0, Qt.AlignmentFlag.AlignLeft)
        data_layout.addWidget(
            label(
                _(
                    "A backup holds everything: your history, routine, reminders, settings and safety records. "
                    "Sciatica Coach also keeps one by itself each day, for the last {days} days, in the "
                    "“backups” folder inside the folder above."
                ).format(days=AUTO_KEEP),
                "muted",
            )
        )
        self.data_note = label("")  # what a backup or restore did, or why it couldn't
        self.data_note.hide()
        data_layout.addWidget(self.data_note)
        self.restore_dialog: RestoreDialog | None = None
        self.body.addWidget(data)

        about, self.licences_button = about_card()
        self.licences_button.clicked.connect(lambda: open_licences(self))
        self.body.addWidget(about)
        self.body.addStretch(1)

    def showEvent(self, event: QShowEvent) -> None:
        """Opening Settings is when the person wants to know: the workers start looking (never blocking)."""
        super().showEvent(event)
        self._align_under_switches()
        self.ctx.check_services()
        self._show_service_states()
        self.sitting.refresh()  # a pause may have started or ended since

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):  # the text size changed
            self._align_under_switches()
            self._fit_to_width()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._fit_to_width()
        return super().viewportEvent(event)

    def _fit_to_width(self) -> None:
        """Check boxes and a row of buttons don't wrap by themselves: at large text (or in German) one long
        line would widen the whole page past the window, out of sight. Each gets the card's inner width
        (less the indent of those under a switch)."""
        margins = self._sound_card.contentsMargins()
        room = self.viewport().width() - PAGE_MARGINS[0] - PAGE_MARGINS[2] - margins.left() - margins.right()
        room -= 2 * CARD_BORDER_PX
        for box, indent in (
            (self.still_pictures, 0),
            (self.sound_on, 0),
            (self.voice_on, 0),
            (self.count_reps, self._indent),
            (self.halfway, self._indent),
        ):
            fit_button_text(box, box.accessibleName(), room - indent)
        for button in (self.guidance_button, self.symptoms_button, self.backup_button, self.restore_button):
            fit_button_text(button, button.accessibleName(), room)  # German at 200 %: in two lines
        self.safety_buttons.fit(room)
        self.data_buttons.fit(room)
        self.sitting.fit(room)
        self.voice_commands.fit(room)

    def _align_under_switches(self) -> None:
        """Indent each switch's state line and extras to where its words start, at any text size."""
        for switch, extras in self._under_switches:
            option = QStyleOptionButton()
            switch.initStyleOption(option)
            words = switch.style().subElementRect(QStyle.SubElement.SE_CheckBoxContents, option, switch)
            self._indent = max(0, words.left())
            extras.setContentsMargins(self._indent, 0, 0, 0)

    def _show_service_states(self) -> None:
        show_state(self.sound_state, self.ctx.service_state("sound"), SOUND_STATE_WORDS)
        show_state(self.speech_state, self.ctx.service_state("speech"), SPEECH_STATE_WORDS)
        if self._test_asked:
            self._show_test_result()

    def _voice_toggled(self, on: bool, save: bool = True) -> None:
        """The voice's extras only matter while the voice is on."""
        for extra in (self.count_reps, self.halfway):
            extra.setEnabled(on)
        if save:
            self.ctx.set_setting("voice_on", on)

    def _volume_changed(self, value: int) -> None:
        self.volume_value.setText(_("{percent} %").format(percent=value))
        self.ctx.set_setting("volume", value)

    def _language_changed(self) -> None:
        self.ctx.set_setting("language", self.language.currentData())
        self.language_note.setText(
            _(
                "The new language is used the next time you open Sciatica Coach. Please close it and open it again."
            )
        )
        self.language_note.show()

    def _show_guidance(self) -> None:
        dialog = GuidanceDialog(safety_state.emergency_country(self.ctx.repo), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _new_symptoms(self) -> None:
        safety_state.report_new_symptoms(self.ctx.repo)
        self.safety_note.show()
        self.safety_note.setText(
            _("Thank you. You'll be asked the safety questions before your next session.")
        )

    def _play_test(self) -> None:
        if self.sound_on.isChecked():
            self.ctx.sound.play("hold-start")
        if self.voice_on.isChecked():
            self.ctx.say(_("Hold. Three, two, one. Relax."))
        self._test_asked = True
        self._show_test_result()

    def _show_test_result(self) -> None:
        """Say on screen what the test did, above all when nothing can be heard; kept up to date while the
        sound or the voice is still being looked for."""
        lines = []
        playing = False
        for switch, kind, texts in (
            (self.sound_on, "sound", TEST_SOUND_WORDS),
            (self.voice_on, "speech", TEST_SPEECH_WORDS),
        ):
            if not switch.isChecked():
                continue
            state = self.ctx.service_state(kind) or ServiceState.WORKING
            lines.append(_(texts[state]))
            playing = playing or state is ServiceState.WORKING
        if not lines:
            lines.append(_("Beeps and spoken cues are both switched off above, so there is nothing to play."))
        elif playing and self.volume.value() == 0:
            lines.append(_("The volume is at 0 %, so it is silent."))
        elif playing:
            lines.append(_("If you hear nothing, check the computer's volume and speakers."))
        self.test_note.setText("\n".join(lines))
        self.test_note.setAccessibleName(self.test_note.text())
        self.test_note.show()

    # ---- your data: back up everything, restore from a backup -----------------------------------------------
    def ask_backup_path(self) -> Path | None:
        start = Path.home() / f"sciatica-coach-backup-{self.ctx.clock.now():%Y-%m-%d}.json"
        path, _chosen = QFileDialog.getSaveFileName(
            self, _("Back up everything"), str(start), _("Backup files (*.json)")
        )
        if not path:
            return None
        chosen = Path(path)
        return chosen if chosen.suffix else chosen.with_suffix(".json")

    def ask_restore_path(self) -> Path | None:
        path, _chosen = QFileDialog.getOpenFileName(
            self, _("Restore from a backup"), str(Path.home()), _("Backup files (*.json);;All files (*)")
        )
        return Path(path) if path else None

    def _backup_clicked(self) -> None:
        path = self.ask_backup_path()
        if path is not None:
            self.back_up_to(path)

    def back_up_to(self, path: Path) -> bool:
        try:
            write_backup(self.ctx.repo.folder, path, self.ctx.clock.now())
        except BackupError as err:
            self._data_message(str(err))
            return False
        self._data_message(_("Saved a backup of everything to {path}.").format(path=path))
        return True

    def _restore_clicked(self) -> None:
        path = self.ask_restore_path()
        if path is not None:
            self.offer_restore(path)

    def offer_restore(self, path: Path) -> RestoreDialog | None:
        """Check the file, then show what a restore would replace and what the file holds (Restore / Cancel).
        A file that can't be restored is explained under the buttons; nothing changes."""
        try:
            backup = read_backup(path)
            now = describe_current(self.ctx.repo)
        except BackupError as err:
            self._data_message(str(err))
            return None
        self.data_note.hide()
        dialog = RestoreDialog(now, describe(backup), self.ctx.repo.folder / BACKUPS_FOLDER, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.restore_now(backup))
        self.restore_dialog = dialog
        dialog.open()
        return dialog

    def restore_now(self, backup: Backup) -> bool:
        """Restore, then close the app: every page, the reminders and the tray were built from the data as it
        was, and opening again is the one sure way they all show the restored data. The reminders stop first
        (they save as they stop) and the open data is reloaded from the restored files, so nothing saved while
        the app closes can write the old data back."""
        service = self.ctx.reminders
        if service is not None:
            service.stop()
        try:
            copy = restore(self.ctx.repo.folder, backup, self.ctx.clock.now())
        except BackupError as err:
            if service is not None:
                service.start()
            self._data_message(str(err))
            return False
        try:
            self.ctx.repo.reload()
        except DataError:  # the restored files were checked; if they can't be opened, close all the same
            log.exception("Could not reload the restored data")
        box = QMessageBox(
            QMessageBox.Icon.Information,
            APP_NAME,
            _(
                "Your data has been restored from the backup. Your data as it was before is kept in {path}.\n\n"
                "Sciatica Coach will close now. Please open it again to carry on with the restored data."
            ).format(path=copy),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.button(QMessageBox.StandardButton.Ok).setText(_("Close Sciatica Coach"))
        box.finished.connect(lambda _result: close_app())
        box.open()
        self.restored_box = box
        return True

    def _data_message(self, text: str) -> None:
        self.data_note.setText(text)
        self.data_note.setAccessibleName(text)
        self.data_note.show()


def close_app() -> None:
    """Leave the event loop at once, without the tray keeping the app (tests replace this)."""
    QCoreApplication.exit(0)


class RestoreDialog(ReplaceDialog):
    """What a restore replaces, beside what the backup holds; Restore or Cancel (Cancel is the default)."""

    def __init__(self, now: Summary, incoming: Summary, copies: Path, parent: QWidget | None = None) -> None:
        super().__init__(_("Restore from a backup"), _("Restore from a backup"), parent)
        self.words.addWidget(
            label(_("Restoring replaces everything Sciatica Coach holds on this computer with the backup."))
        )
        made = (
            _("In the backup (made {date})").format(date=f"{incoming.saved_at:%Y-%m-%d %H:%M}")
            if incoming.saved_at
            else _("In the backup")
        )
        self.now_card, self.backup_card = self.side_by_side(
            (_("Now on this computer"), summary_lines(now)), (made, summary_lines(incoming))
        )
        self.words.addWidget(
            label(
                _(
                    "A copy of your data as it is now is kept first, in {folder}. "
                    "Afterwards Sciatica Coach closes; open it again to carry on."
                ).format(folder=copies),
                "muted",
            )
        )
        self.restore_button = self.finish(_("Restore"))
