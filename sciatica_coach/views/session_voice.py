"""Voice commands in a session: what each stage listens for, and what each phrase does there.

The same actions as the buttons and keys, never more: "pause", "go on", "next", "back", "repeat", "it hurts"
while an exercise runs; "end" asks "End the session now? Yes or no" first; "up / same / down" answer the
question after an exercise; the pain checks and the safety questions are asked aloud one at a time and
answered by voice (core.voice.PainByVoice), each answer said back, and nothing is sent on before a spoken yes
to a summary. Stages that must be read (the guidance note, a stop or triage message, the cautions) are
never answered by voice: the app stops listening there."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QStackedWidget

from sciatica_coach.core.voice import (
    CONFIRM_END,
    NUMBNESS_WORDS,
    PAIN_PROMPTS,
    RED_FLAG_PROMPT,
    RED_FLAGS_CONFIRM,
    REPLIES,
    Asking,
    Command,
    Heard,
    PainByVoice,
    PainStep,
)
from sciatica_coach.i18n import _, ngettext
from sciatica_coach.views.pain_check import REACH_WORDS, PainCheck
from sciatica_coach.views.safety_pages import RedFlagQuestion

if TYPE_CHECKING:
    from sciatica_coach.services.voice_control import VoiceControl
    from sciatica_coach.views.context import AppContext
    from sciatica_coach.views.safety_pages import RedFlagPage
    from sciatica_coach.views.session_runner import SessionRunner


class SessionScreen(Protocol):
    """What voice commands use of the session view (views.session_view.SessionView): its stages and the
    actions its buttons and keys already have."""

    @property
    def ctx(self) -> AppContext: ...
    @property
    def stack(self) -> QStackedWidget: ...
    @property
    def running(self) -> Any: ...  # the RunningPanel: confirm, symptom, cue, step_word
    @property
    def runner(self) -> SessionRunner | None: ...
    @property
    def before(self) -> PainCheck: ...
    @property
    def after(self) -> PainCheck: ...
    @property
    def red_flags(self) -> RedFlagPage: ...

    def toggle_pause(self) -> None: ...
    def skip(self) -> None: ...
    def back(self) -> None: ...
    def hurts(self) -> None: ...
    def ask_end(self) -> None: ...
    def cancel_end(self) -> None: ...
    def end_now(self) -> None: ...
    def say_question(self) -> None: ...


class SessionVoice(QObject):
    """Listens for the stage in view of one session view and carries out what is heard."""

    def __init__(self, view: SessionScreen, voice: VoiceControl, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view, self.voice = view, voice
        self.pain: PainByVoice | None = None  # the pain check being answered, before or after
        self._pain_page: PainCheck | None = None
        self._confirming_flags = False  # all answered: waiting for "yes" to the summary
        self._again: list[RedFlagQuestion] = []  # after "no" to the summary: the questions asked once more
        voice.heard.connect(self._heard)
        view.stack.currentChanged.connect(self._stage_changed)
        for page in (view.before, view.after):
            page.back.changed.connect(lambda value, page=page: self._by_hand(page, "back", value))
            page.leg.changed.connect(lambda value, page=page: self._by_hand(page, "leg", value))
            page.reach_group.idClicked.connect(lambda index, page=page: self._by_hand(page, "reach", index))

    # ---- what to listen for ------------------------------------------------------------------------------
    def asking(self) -> Asking | None:
        """What the stage in view listens for; None where nothing is answered by voice."""
        view = self.view
        page = view.stack.currentWidget()
        if page is view.running:
            if view.runner is None or view.runner.started_at is None:
                return None  # not yet: a "pause" before the start would be undone by it
            running: Any = view.running
            if running.confirm.isVisible():
                return Asking.YES_NO
            if running.symptom.asking:
                return Asking.TREND
            return Asking.SESSION
        if page in (view.before, view.after) and self.pain is not None:
            return self.pain.asking
        if page is view.red_flags:
            return Asking.YES_NO
        return None

    def refresh(self) -> None:
        """Listen for what the stage now asks (call after anything that changes it)."""
        asking = self.asking()
        if asking is None:
            self.voice.quiet()
        else:
            self.voice.listen(asking)

    def stop(self) -> None:
        self.voice.heard.disconnect(self._heard)
        self.voice.quiet()

    def _stage_changed(self) -> None:
        view, page = self.view, self.view.stack.currentWidget()
        if page in (view.before, view.after) and isinstance(page, PainCheck):
            self._pain_page, self.pain = page, PainByVoice()
            self._ask_pain()
        elif page is view.red_flags:
            self._confirming_flags = False
            self._ask_flag()
        self.refresh()

    # ---- what was heard ----------------------------------------------------------------------------------
    def _heard(self, heard: Heard) -> None:
        view = self.view
        page = view.stack.currentWidget()
        if page is view.running:
            self._heard_running(heard)
        elif page is self._pain_page and self.pain is not None:
            self._heard_pain(heard)
        elif page is view.red_flags:
            self._heard_flag(heard)
        self.refresh()

    def _heard_running(self, heard: Heard) -> None:
        view, running, command = self.view, self.view.running, heard.command
        if view.runner is None:
            return
        spoken_cues = bool(view.ctx.repo.setting("voice_on"))  # then the session's own cue answers
        if running.confirm.isVisible():
            if command is Command.YES:
                view.end_now()  # "Session ended. Take it easy." comes from the session itself
                if not spoken_cues:
                    self._say(_(REPLIES[Command.END]))
            elif command is Command.NO:
                view.cancel_end()
                self._say(_(REPLIES[Command.CONTINUE]))
            elif command is Command.REPEAT:
                self._say(_(CONFIRM_END))
            return
        if running.symptom.asking:
            if heard.trend is not None:
                self._say(_(REPLIES[Command.TREND]))
                running.symptom.answered.emit(heard.trend)
            elif command is Command.REPEAT:
                view.say_question()
            return
        paused = view.runner.status().paused
        pausing = command is Command.PAUSE and not paused
        if pausing or (command is Command.CONTINUE and (paused or running.symptom.holding)):
            view.toggle_pause()
        elif command is Command.NEXT:
            view.skip()
        elif command is Command.BACK:
            view.back()
        elif command is Command.HURTS:
            view.hurts()
            self._say(_(REPLIES[Command.HURTS]))  # what to do next, in words for the floor
            return
        elif command is Command.END:
            view.ask_end()
            self._say(_(CONFIRM_END))
            return
        elif command is Command.REPEAT:
            self._say(running.cue.text() or running.step_word.text())
            return
        else:
            return
        if not spoken_cues:
            self._say(_(REPLIES[command]))

    # ---- the pain check ----------------------------------------------------------------------------------
    def _ask_pain(self) -> None:
        pain = self.pain
        if pain is None or pain.step is PainStep.DONE:
            return
        if pain.step is not PainStep.CONFIRM:
            self._say(_(PAIN_PROMPTS[pain.step]))
            return
        assert pain.back is not None and pain.leg is not None and pain.reach is not None
        self._say(
            _(PAIN_PROMPTS[PainStep.CONFIRM]).format(
                back=pain.back,
                leg=pain.leg,
                reach=_(REACH_WORDS[pain.reach]),
                numbness=_(NUMBNESS_WORDS[bool(pain.numbness)]),
            )
        )

    def _heard_pain(self, heard: Heard) -> None:
        pain, page = self.pain, self._pain_page
        assert pain is not None and page is not None
        if heard.command is Command.REPEAT:
            self._ask_pain()
            return
        before = pain.step
        step = pain.hear(heard)
        if before is PainStep.BACK and heard.number is not None:
            page.back.set_value(heard.number)
        elif before is PainStep.LEG and heard.number is not None:
            page.leg.set_value(heard.number)
        elif before is PainStep.REACH and heard.reach is not None:
            page.set_reach(heard.reach)
        elif before is PainStep.NUMBNESS and pain.numbness is not None:
            page.numbness.setChecked(pain.numbness)
        elif before is PainStep.CONFIRM and step is PainStep.BACK:  # "no": from the start again
            page.clear()
        if step is PainStep.DONE:
            report = pain.report()
            self.pain = None
            if report is not None:
                page.submitted.emit(report)
            return
        if step is not before or before is PainStep.CONFIRM:
            self._ask_pain()

    def _by_hand(self, page: PainCheck, part: str, value: int) -> None:
        """An answer given on screen: the spoken questions follow it (hands and voice may be mixed)."""
        pain = self.pain
        if pain is None or page is not self._pain_page:
            return
        before = pain.step
        if part == "back" and pain.back != value:
            pain.set_back(value)
        elif part == "leg" and pain.leg != value:
            pain.set_leg(value)
        elif part == "reach":
            reach = page.report_reach()
            if reach is not None and pain.reach != reach:
                pain.set_reach(reach)
        if pain.step is not before:
            self._ask_pain()
            self.refresh()

    # ---- the safety questions ----------------------------------------------------------------------------
    def _ask_flag(self) -> None:
        page = self.view.red_flags
        unanswered = [q for q in page.questions if q.value() is None]
        if unanswered and not self._confirming_flags:
            self._say(_(RED_FLAG_PROMPT).format(question=_(unanswered[0].flag.question)))
            return
        self._confirming_flags = True
        answers = page.answers() or {}
        yes = sum(answers.values())
        self._say(
            ngettext("You answered yes to {n} question.", "You answered yes to {n} questions.", yes).format(
                n=yes
            )
            + " "
            + _(RED_FLAGS_CONFIRM)
        )

    def _heard_flag(self, heard: Heard) -> None:
        page = self.view.red_flags
        if heard.command is Command.REPEAT:
            self._ask_flag()
            return
        if heard.command not in (Command.YES, Command.NO):
            return
        yes = heard.command is Command.YES
        if self._confirming_flags:
            if yes and page.continue_button.isEnabled():
                page.continue_button.click()
                return
            self._confirming_flags = False  # "no": through the questions again, each answer replaced
            self._again = list(page.questions)
            self._say(_(RED_FLAG_PROMPT).format(question=_(self._again[0].flag.question)))
            return
        if self._again:
            target: RedFlagQuestion | None = self._again.pop(0)
        else:
            target = next((q for q in page.questions if q.value() is None), None)
        if target is None:
            return
        target.answer(yes)
        reply = _(REPLIES[heard.command])
        if self._again:
            self._say(reply + " " + _(RED_FLAG_PROMPT).format(question=_(self._again[0].flag.question)))
        else:
            self._say(reply)
            self._ask_flag()

    def _say(self, text: str) -> None:
        """Say already translated words (a reply, a question) with the app's voice."""
        if text:
            self.view.ctx.say(text)
