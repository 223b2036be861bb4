"""Settings: appearance, sound and voice, the guidance note and symptom check, and where data lives."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QSlider,
)

from sciatica_coach import i18n, safety_state
from sciatica_coach.core import emergency
from sciatica_coach.i18n import N_, _
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.safety_pages import GuidanceDialog
from sciatica_coach.views.widgets import Page, card, label

THEMES = [("system", N_("Follow the system")), ("light", N_("Light")), ("dark", N_("Dark"))]
TEXT_SCALES = [100, 125, 150, 175, 200]


class SettingsPage(Page):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(_("Settings"), _("How Sciatica Coach looks and sounds."))
        self.ctx = ctx
        settings = ctx.repo.settings()

        look, look_layout = card(_("Appearance"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.theme = QComboBox()
        for key, text in THEMES:
            self.theme.addItem(_(text), key)
        self.theme.setCurrentIndex(max(0, [k for k, _text in THEMES].index(settings["theme"])))
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
        self.language_note = label("", "muted")
        self.language_note.hide()
        look_layout.addWidget(self.language_note)
        self.body.addWidget(look)

        sound, sound_layout = card(_("Sound and voice"))
        self.sound_on = QCheckBox(_("Beeps when a hold starts and ends, and a 3-2-1 tick before each change"))
        self.sound_on.setChecked(bool(settings["sound_on"]))
        self.sound_on.toggled.connect(lambda on: ctx.set_setting("sound_on", on))
        self.voice_on = QCheckBox(_("Spoken cues (“Hold”, “Relax”, “Switch to your left side”)"))
        self.voice_on.setChecked(bool(settings["voice_on"]))
        self.voice_on.toggled.connect(lambda on: ctx.set_setting("voice_on", on))
        volume_row = QHBoxLayout()
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setSingleStep(5)
        self.volume.setPageStep(10)
        self.volume.setValue(int(settings["volume"]))
        self.volume.setAccessibleName(_("Volume"))
        self.volume_value = label(_("{percent} %").format(percent=self.volume.value()), wrap=False)
        self.volume.valueChanged.connect(self._volume_changed)
        volume_row.addWidget(label(_("Volume"), wrap=False))
        volume_row.addWidget(self.volume, 1)
        volume_row.addWidget(self.volume_value)
        self.test_sound = QPushButton(_("Play a test sound"))
        self.test_sound.setAccessibleName(_("Play a test sound"))
        self.test_sound.clicked.connect(self._play_test)
        for widget in (self.sound_on, self.voice_on):
            sound_layout.addWidget(widget)
        sound_layout.addLayout(volume_row)
        sound_layout.addWidget(self.test_sound, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(sound)

        safety, safety_layout = card(_("Safety"))
        country_form = QFormLayout()
        country_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.country = QComboBox()
        for place in emergency.sorted_countries():
            self.country.addItem(f"{_(place.name)} ({place.number})", place.code)
        self.country.setCurrentIndex(
            max(0, self.country.findData(safety_state.emergency_country(ctx.repo).code))
        )
        self.country.setAccessibleName(_("Country, for the numbers to call"))
        self.country.currentIndexChanged.connect(
            lambda: ctx.set_setting(safety_state.COUNTRY_SETTING, self.country.currentData())
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
        row = QHBoxLayout()
        self.guidance_button = QPushButton(_("Read the guidance note again"))
        self.symptoms_button = QPushButton(_("I have new symptoms"))
        self.guidance_button.clicked.connect(self._show_guidance)
        self.symptoms_button.clicked.connect(self._new_symptoms)
        row.addWidget(self.guidance_button)
        row.addWidget(self.symptoms_button)
        row.addStretch(1)
        safety_layout.addLayout(row)
        self.safety_note = label("", "muted")
        self.safety_note.hide()
        safety_layout.addWidget(self.safety_note)
        self.body.addWidget(safety)

        data, data_layout = card(_("Your data"))
        data_layout.addWidget(
            label(
                _("Everything stays on this computer, in one file, and is never sent anywhere.")
                + "\n"
                + _("Folder: {folder}").format(folder=ctx.repo.folder),
                "muted",
            )
        )
        self.body.addWidget(data)
        self.body.addStretch(1)

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
            self.ctx.speech.say(_("Hold. Three, two, one. Relax."))
