"""Settings' "Voice commands" section: the switch (off by default: it opens the microphone), what happens to the
sound (always in view, on or off), what can be said and when the app listens, and "Try it", which listens for
a few seconds and shows, large, what it heard.

Listening goes through `ctx.voice` (services.voice_control.VoiceControl), which never blocks the window: a
microphone or recogniser that is missing, fails or hangs is reported through its `unavailable` signal (or is
already in its `failure`), and this section shows those plain words and carries on. A try ends at the first
phrase heard, after `TRY_LISTEN_MS`, when the switch is turned off and when Settings is left: the microphone is
never left open behind the person's back. The phrases shown come from the recogniser's vocabulary
(core.voice), so the list and what is understood can't drift apart."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QCheckBox, QFrame, QPushButton, QWidget

from sciatica_coach import i18n
from sciatica_coach.core.voice import Asking, Command, Heard, Vocabulary, vocabulary_for
from sciatica_coach.i18n import _
from sciatica_coach.platform.locale_support import app_locale
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.theme import fit_button_text
from sciatica_coach.views.widgets import card_layout, label

if TYPE_CHECKING:  # the service is imported when voice commands are first used (AppContext.voice)
    from sciatica_coach.services.voice_control import VoiceControl

log = logging.getLogger(__name__)

ON_SETTING = "voice_commands_on"
TRY_LISTEN_MS = 8000  # how long "Try it" listens before saying nothing was heard
TRY_ASKING = Asking.SESSION  # "Try it" listens for what can be said while an exercise runs


def quoted(words: str) -> str:
    """A spoken phrase as it is shown: “pause” (German „pause“), never broken across lines."""
    return _("“{words}”").format(words=words.replace(" ", "\u00a0"))


def phrases(vocabulary: Vocabulary, *commands: Command) -> str:
    """The phrases for `commands`, in the vocabulary's order; phrases that mean the same are joined by " / "
    ("“continue” / “go on”")."""
    groups: dict[tuple[object, ...], list[str]] = {}
    for words, heard in vocabulary.phrases.items():
        if heard.command in commands:
            meaning = (heard.command, heard.number, heard.reach, heard.trend)
            groups.setdefault(meaning, []).append(quoted(words))
    return ", ".join(" / ".join(group) for group in groups.values())


def first_phrase(vocabulary: Vocabulary, command: Command) -> str:
    """The first way of saying `command` ("pause")."""
    return next(words for words, heard in vocabulary.phrases.items() if heard.command is command)


def what_can_be_said(vocabulary: Vocabulary) -> list[str]:
    """A line for each kind of moment in a session and what can be said then."""
    numbers = sorted(
        (heard.number, words)
        for words, heard in vocabulary.phrases.items()
        if heard.command is Command.NUMBER and heard.number is not None
    )
    session = (Command.PAUSE, Command.CONTINUE, Command.NEXT, Command.BACK, Command.END, Command.REPEAT,
               Command.HURTS)  # fmt: skip
    return [
        _("During an exercise: {phrases}.").format(phrases=phrases(vocabulary, *session)),
        _("Pain: a number from {low} to {high}.").format(
            low=quoted(numbers[0][1]), high=quoted(numbers[-1][1])
        ),
        _("How far down the leg: {phrases}.").format(phrases=phrases(vocabulary, Command.REACH)),
        _("After an exercise, how your leg symptoms moved: {phrases}.").format(
            phrases=phrases(vocabulary, Command.TREND)
        ),
        _("Safety questions and “Are you sure?”: {phrases}.").format(
            phrases=phrases(vocabulary, Command.YES, Command.NO)
        ),
    ]


def heard_words(heard: Heard) -> str:
    return _("Heard: {phrase}").format(phrase=quoted(heard.words))


class VoiceCommandsSection(QFrame):
    """The card on the Settings page. `fit(room)` lays out the switch's words for the card's inner width (the
    page calls it as the window or the text size changes). `listen_ms` is how long a try listens."""

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, listen_ms: int = TRY_LISTEN_MS
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = card_layout(self, _("Voice commands"))
        layout.addWidget(
            label(
                _(
                    "Lying on the mat, you can say what you would otherwise press: pause, go on, or tell "
                    "how much it hurts. Everything still works with the buttons and keys."
                ),
                "muted",
            )
        )
        self.on = QCheckBox(_("Listen for voice commands during a session"))
        self.on.setAccessibleName(self.on.text())
        self.on.setChecked(bool(ctx.repo.setting(ON_SETTING)))
        self.on.toggled.connect(self._on_toggled)
        layout.addWidget(self.on)
        # What happens to the sound: always in view, so it is read before switching on.
        self.privacy = label(
            _(
                "Sound from your microphone is processed on this computer only. "
                "It is never recorded, stored or sent anywhere."
            )
        )
        self.privacy.setAccessibleName(self.privacy.text())
        layout.addWidget(self.privacy)

        self.vocabulary = vocabulary = vocabulary_for(app_locale().name())
        lines = what_can_be_said(vocabulary)
        self.phrases = label(_("What you can say:") + "".join(f"\n•  {line}" for line in lines))
        self.phrases.setAccessibleName(_("What you can say:") + " " + " ".join(lines))
        layout.addWidget(self.phrases)
        layout.addWidget(
            label(
                _(
                    "Sciatica Coach listens only while a session or one of its questions is on screen, "
                    "and a “Listening” mark shows when it does. If something hurts, stop: say “it hurts” "
                    "or press H."
                ),
                "muted",
            )
        )
        self.language_note = label(
            _(
                "For now, voice commands understand these English words only: no speech recogniser for "
                "this language can be had yet."
            )
        )
        self.language_note.setVisible(vocabulary.language != i18n.current_language())
        layout.addWidget(self.language_note)

        self.try_button = QPushButton(_("Try it"))
        self.try_button.setAccessibleName(_("Try voice commands: say “pause”"))
        self.try_button.clicked.connect(self.try_listening)
        layout.addWidget(self.try_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.try_hint = label("", "big")  # what to say, while trying: large, to be read from the mat too
        self.try_hint.hide()
        layout.addWidget(self.try_hint)
        self.result = label("", "big")  # what was heard, large
        self.result.hide()
        layout.addWidget(self.result)
        self.problem = label("")  # why listening can't work here (no microphone...): in the normal colour
        self.problem.hide()
        layout.addWidget(self.problem)

        self.try_timer = QTimer(self)  # a child: it can never fire after the section is gone
        self.try_timer.setSingleShot(True)
        self.try_timer.setInterval(listen_ms)
        self.try_timer.timeout.connect(self.nothing_heard)
        self.trying = False
        self._watched: VoiceControl | None = None  # the VoiceControl whose signals this section follows
        ctx.settings_changed.connect(self.refresh)
        self.refresh()

    # ---- the person's choices -------------------------------------------------------------------------------
    def _on_toggled(self, on: bool) -> None:
        if not on:
            self.stop_trying()
        self.ctx.set_setting(ON_SETTING, on)

    def try_listening(self) -> None:
        """Listen for up to `listen_ms` for what can be said during an exercise; never blocks."""
        voice = self._voice()
        if voice is None:
            return
        if voice.failure is not None:
            self._show_problem(voice.failure)
            return
        self.trying = True
        self.result.hide()
        self.try_hint.setText(
            _("Listening… Say {first} or {second}.").format(
                first=quoted(first_phrase(self.vocabulary, Command.PAUSE)),
                second=quoted(first_phrase(self.vocabulary, Command.NEXT)),
            )
        )
        self.try_hint.show()
        self.try_button.setEnabled(False)
        self.try_timer.start()
        voice.listen(TRY_ASKING)  # a missing microphone may answer at once, through `unavailable`

    def nothing_heard(self) -> None:
        """The try's time ran out."""
        if not self.trying:
            return
        self.stop_trying()
        self._show_result(
            _(
                "Nothing was heard. Check that the microphone is plugged in and not muted, speak clearly, "
                "and try again."
            )
        )

    def stop_trying(self) -> None:
        """End a try (the microphone closes); nothing happens when none runs."""
        self.try_timer.stop()
        self.try_hint.hide()
        if self.trying:
            self.trying = False
            if self._watched is not None:
                self._watched.quiet()
        self.try_button.setEnabled(self.on.isChecked())

    def hideEvent(self, event: QHideEvent) -> None:
        """Settings was left (or the window hidden): stop listening."""
        self.stop_trying()
        super().hideEvent(event)

    # ---- what the voice said --------------------------------------------------------------------------------
    def _voice(self) -> VoiceControl | None:
        voice = self.ctx.voice
        if voice is not None and voice is not self._watched:
            voice.heard.connect(self._heard)
            voice.unavailable.connect(self._show_problem)
            self._watched = voice
        return voice

    def _heard(self, heard: Heard) -> None:
        if not self.trying:
            return  # a session's command, not a try
        self.stop_trying()
        self._show_result(heard_words(heard))

    def _show_problem(self, words: str) -> None:
        self.stop_trying()
        self.result.hide()
        self.problem.setText(words)
        self.problem.setAccessibleName(words)
        self.problem.show()

    def _show_result(self, words: str) -> None:
        self.result.setText(words)
        self.result.setAccessibleName(words)
        self.result.show()

    # ---- showing --------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the stored choice (another place may have changed it) and what is known of listening."""
        on = bool(self.ctx.repo.setting(ON_SETTING))
        if self.on.isChecked() != on:
            self.on.blockSignals(True)
            self.on.setChecked(on)
            self.on.blockSignals(False)
            if not on:
                self.stop_trying()
        self.try_button.setEnabled(on and not self.trying)
        voice = self._voice() if on else None
        if voice is not None and voice.failure is not None:
            self._show_problem(voice.failure)
        elif not on:
            self.problem.hide()
            self.result.hide()

    def fit(self, room: int) -> None:
        """Lay out for a card whose inside is `room` px wide: the switch's words in lines."""
        fit_button_text(self.on, self.on.accessibleName(), room)
