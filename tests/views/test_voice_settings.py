"""Settings' "Voice commands" section (views/voice_settings.py): the opt-in switch, the privacy sentence always in
view, what can be said, and "Try it" against a fake listening worker that works, hangs or fails, and once
against the real worker fed a spoken WAV file. Nothing waits on the real clock except the real worker's test,
which waits for a real process with a timeout."""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from sciatica_coach import i18n
from sciatica_coach.core.voice import ENGLISH, Asking
from sciatica_coach.platform import locale_support
from sciatica_coach.platform.listener import NullListener, create_listener
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.context import AppContext, ServiceFactories
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.settings_page import SettingsPage
from sciatica_coach.views.voice_settings import TRY_LISTEN_MS, VoiceCommandsSection, what_can_be_said
from tests.helpers import FakeClock, FakeScreenKeeper, FakeSound, FakeSpeech
from tests.views.walk import make_window, settle, themed_app  # noqa: F401 - a fixture
from tests.voice_audio import require_tools

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

WORKS, HANGS, FAILS = "works", "hangs", "fails"
NO_MICROPHONE = (
    "No microphone was found, so voice commands are off. Everything works with the buttons and keys."
)
PRIVACY = "Sound from your microphone is processed on this computer only. It is never recorded, stored or sent anywhere."
NOTHING = "Nothing was heard."
REAL_WORKER_TIMEOUT_MS = 30_000  # a real process starting PocketSphinx on a busy 2-core machine


class FakeListener:
    """The listening worker as VoiceControl sees it. WORKS: `say` hands a phrase to the app as the worker's
    reader thread would; HANGS: takes every request and never answers; FAILS: answers the first "listen" by
    calling on_failure with plain words (as a worker without a microphone does)."""

    def __init__(self, mode: str = WORKS) -> None:
        self.mode = mode
        self.available = True
        self.failure: str | None = None
        self.on_heard: Callable[[str, str], None] | None = None
        self.on_failure: Callable[[str], None] | None = None
        self.requests: list[str] = []
        self.made = 0

    def factory(self, language: str, **callbacks: Any) -> FakeListener:
        self.made += 1
        self.language = language
        self.on_heard = callbacks.get("on_heard")
        self.on_failure = callbacks.get("on_failure")
        return self

    def listen(self, asking: Asking) -> None:
        self.requests.append(f"listen {asking.value}")
        if self.mode == FAILS and self.on_failure is not None:
            self.failure = NO_MICROPHONE
            self.on_failure(NO_MICROPHONE)

    def quiet(self) -> None:
        self.requests.append("quiet")

    def mute(self, seconds: float) -> None:
        self.requests.append("mute")

    def close(self) -> None:
        self.requests.append("close")

    @property
    def listening(self) -> bool:
        return bool(self.requests) and self.requests[-1].startswith("listen")

    def say(self, words: str, asking: str = "session") -> None:
        if self.mode == WORKS and self.on_heard is not None:
            self.on_heard(asking, words)


def services(listener: Callable[..., Any]) -> ServiceFactories:
    sound, speech, screen = FakeSound(), FakeSpeech(), FakeScreenKeeper()
    return ServiceFactories(
        sound=lambda _v: sound, speech=lambda _v: speech, screen=lambda: screen, listener=listener
    )


@pytest.fixture
def repo(data_dir: Path) -> Iterator[Repository]:
    repository = Repository.open(data_dir)
    yield repository
    repository.close()


def section_of(
    qtbot: QtBot, repo: Repository, listener: Callable[..., Any], on: bool = True
) -> VoiceCommandsSection:
    if on:
        repo.set_setting("voice_commands_on", True)
    section = VoiceCommandsSection(AppContext(repo, FakeClock(), services(listener)))
    qtbot.addWidget(section)
    section.resize(900, 900)
    section.show()
    return section


def shown(section: VoiceCommandsSection) -> str:
    """Every visible line of the section, for asserting on what the person reads."""
    from PySide6.QtWidgets import QLabel

    return "\n".join(w.text() for w in section.findChildren(QLabel) if w.isVisible())


# ---- the switch and the words ------------------------------------------------------------------------------
def test_off_by_default_with_the_privacy_sentence_in_view_and_the_switch_stored(
    qtbot: QtBot, repo: Repository, data_dir: Path
) -> None:
    fake = FakeListener()
    section = section_of(qtbot, repo, fake.factory, on=False)
    assert not section.on.isChecked() and not section.try_button.isEnabled()
    assert PRIVACY in shown(section)
    assert section.privacy.accessibleName() == PRIVACY
    section.on.click()
    assert repo.setting("voice_commands_on") is True
    assert Repository.open(data_dir).setting("voice_commands_on") is True  # saved, not only held
    assert section.try_button.isEnabled() and PRIVACY in shown(section)
    assert fake.made == 0  # switching on opens no microphone: only a session or "Try it" does
    section.on.click()
    assert repo.setting("voice_commands_on") is False and not section.try_button.isEnabled()


def test_follows_the_setting_changed_elsewhere(qtbot: QtBot, repo: Repository) -> None:
    section = section_of(qtbot, repo, FakeListener().factory, on=False)
    section.ctx.set_setting("voice_commands_on", True)
    assert section.on.isChecked() and section.try_button.isEnabled()


def test_every_phrase_the_recogniser_knows_is_listed_and_nothing_else() -> None:
    lines = "\n".join(what_can_be_said(ENGLISH))
    listed = set(re.findall("“([^”]*)”", lines.replace("\u00a0", " ")))
    everything_but_middle_numbers = {
        words for words, heard in ENGLISH.phrases.items() if heard.number in (None, 0, 10)
    }
    assert listed - {"Are you sure?"} == everything_but_middle_numbers
    assert (
        "“continue” / “go\u00a0on”" in lines and "“none”, “buttock”" in lines
    )  # synonyms joined, choices not


def test_other_languages_are_told_the_words_are_english(qtbot: QtBot, repo: Repository) -> None:
    english = section_of(qtbot, repo, FakeListener().factory)
    assert not english.language_note.isVisible()
    i18n.set_language("de")
    german = section_of(qtbot, repo, FakeListener().factory)
    assert german.language_note.isVisible()
    assert "englischen Wörter" in german.language_note.text()
    assert "„pause“" in german.phrases.text()  # German quotes, English words: what is recognised


# ---- "Try it" ------------------------------------------------------------------------------------------
def test_try_it_shows_what_was_heard_large_and_stops_listening(qtbot: QtBot, repo: Repository) -> None:
    fake = FakeListener()
    section = section_of(qtbot, repo, fake.factory)
    section.try_button.click()
    assert fake.requests == ["listen session"]
    assert section.trying and section.try_timer.isActive() and section.try_timer.interval() == TRY_LISTEN_MS
    assert not section.try_button.isEnabled()  # one try at a time
    assert section.try_hint.isVisible() and section.try_hint.text() == "Listening… Say “pause” or “next”."
    fake.say("go on")
    assert section.result.isVisible() and section.result.text() == "Heard: “go\u00a0on”"
    assert section.result.property("role") == "big"
    assert fake.requests == ["listen session", "quiet"]
    assert not section.trying and not section.try_timer.isActive() and section.try_button.isEnabled()
    section.try_button.click()  # again: listening anew, the last answer cleared
    assert fake.listening and not section.result.isVisible()
    fake.say("pause")
    assert section.result.text() == "Heard: “pause”" and not fake.listening


def test_a_hung_worker_ends_in_nothing_heard_after_the_timeout(qtbot: QtBot, repo: Repository) -> None:
    fake = FakeListener(HANGS)
    section = section_of(qtbot, repo, fake.factory)
    section.try_button.click()  # returns at once: VoiceControl never waits for the worker
    assert section.trying and fake.listening
    fake.say("pause")  # a hung worker answers nothing
    assert not section.result.isVisible()
    section.try_timer.timeout.emit()  # the 8 s are up
    assert section.result.text().startswith(NOTHING)
    assert fake.requests[-1] == "quiet" and not section.trying and section.try_button.isEnabled()


def test_a_short_timeout_can_be_given(qtbot: QtBot, repo: Repository) -> None:
    repo.set_setting("voice_commands_on", True)
    section = VoiceCommandsSection(
        AppContext(repo, FakeClock(), services(FakeListener().factory)), listen_ms=5
    )
    qtbot.addWidget(section)
    assert section.try_timer.interval() == 5 and section.try_timer.isSingleShot()


def test_phrases_heard_while_not_trying_are_left_to_the_session(qtbot: QtBot, repo: Repository) -> None:
    fake = FakeListener()
    section = section_of(qtbot, repo, fake.factory)
    voice = section.ctx.voice
    assert voice is not None
    voice.listen(Asking.SESSION)  # a session listens, not the section
    fake.say("pause")
    assert not section.result.isVisible()
    section.hide()
    assert fake.requests == ["listen session"]  # the section leaves a session's listening alone


@pytest.mark.parametrize("when", ["at the first listen", "at start"])
def test_no_microphone_is_said_in_plain_words_and_the_section_carries_on(
    qtbot: QtBot, repo: Repository, when: str
) -> None:
    fake = FakeListener(FAILS)
    factory = (
        fake.factory if when == "at the first listen" else (lambda _lang, **_cb: NullListener(NO_MICROPHONE))
    )
    section = section_of(qtbot, repo, factory)
    section.try_button.click()
    assert section.problem.isVisible() and section.problem.text() == NO_MICROPHONE
    assert not section.trying and not section.try_timer.isActive() and section.try_button.isEnabled()
    assert not section.result.isVisible()
    voice = section.ctx.voice
    assert voice is not None and not voice.listening
    section.try_button.click()  # tried again: the same words, and no more asking a worker that is off
    assert section.problem.text() == NO_MICROPHONE
    assert fake.requests.count("listen session") <= 1


def test_a_failure_from_the_workers_thread_is_shown(qtbot: QtBot, repo: Repository) -> None:
    fake = FakeListener(HANGS)
    section = section_of(qtbot, repo, fake.factory)
    section.try_button.click()
    assert fake.on_failure is not None
    thread = threading.Thread(target=fake.on_failure, args=(NO_MICROPHONE,))  # as the worker's reader does
    thread.start()
    thread.join()
    qtbot.waitUntil(section.problem.isVisible, timeout=2000)  # delivered through the event loop
    assert section.problem.text() == NO_MICROPHONE and not section.trying and fake.requests[-1] == "quiet"


def test_a_failure_known_before_settings_opened_is_shown(qtbot: QtBot, repo: Repository) -> None:
    fake = FakeListener(FAILS)
    repo.set_setting("voice_commands_on", True)
    ctx = AppContext(repo, FakeClock(), services(fake.factory))
    assert ctx.voice is not None
    ctx.voice.listen(Asking.SESSION)  # a session found there is no microphone
    section = VoiceCommandsSection(ctx)
    qtbot.addWidget(section)
    section.show()
    assert section.problem.isVisible() and section.problem.text() == NO_MICROPHONE


# ---- never left listening ----------------------------------------------------------------------------------
def test_switching_off_while_trying_stops_listening(qtbot: QtBot, repo: Repository) -> None:
    fake = FakeListener()
    section = section_of(qtbot, repo, fake.factory)
    section.try_button.click()
    section.on.click()
    assert fake.requests == ["listen session", "quiet"] and not section.trying
    assert not section.try_timer.isActive() and repo.setting("voice_commands_on") is False
    section.try_timer.timeout.emit()  # a late timeout changes nothing
    assert not section.result.isVisible()


def test_leaving_settings_while_trying_stops_listening(qtbot: QtBot, repo: Repository) -> None:
    fake = FakeListener(HANGS)
    repo.set_setting("voice_commands_on", True)
    window = MainWindow(AppContext(repo, FakeClock(), services(fake.factory)))
    qtbot.addWidget(window)
    window.show()
    window.show_page("settings")
    page = window.page("settings")
    assert isinstance(page, SettingsPage)
    section = page.voice_commands
    section.try_button.click()
    assert fake.listening
    window.show_page("today")
    assert fake.requests == ["listen session", "quiet"] and not section.trying
    assert not section.try_timer.isActive()


# ---- the real listening worker -----------------------------------------------------------------------------
@pytest.mark.slow
def test_try_it_with_the_real_worker_hears_a_spoken_pause(
    qtbot: QtBot, repo: Repository, tmp_path: Path
) -> None:
    require_tools()
    pytest.importorskip("pocketsphinx")
    wav = tmp_path / "pause.wav"
    speech = subprocess.run(
        ["espeak-ng", "-v", "en-us", "--stdout", "pause"], capture_output=True, check=True
    )
    subprocess.run(["sox", "-t", "wav", "-", "-r", "16000", "-c", "1", "-b", "16", str(wav), "pad", "0.5", "1"],
                   input=speech.stdout, check=True)  # fmt: skip
    section = section_of(qtbot, repo, lambda lang, **cb: create_listener(lang, wavs=[str(wav)], **cb))
    try:
        section.try_button.click()
        qtbot.waitUntil(lambda: section.result.isVisible() or section.problem.isVisible(),
                        timeout=REAL_WORKER_TIMEOUT_MS)  # fmt: skip
        assert not section.problem.isVisible(), section.problem.text()
        assert section.result.text() == "Heard: “pause”"
        assert not section.trying
    finally:
        section.ctx.close_services()


# ---- fitting the page --------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.usefixtures("themed_app")
def test_fits_settings_at_200_percent_in_the_smallest_window(
    qtbot: QtBot, data_dir: Path, language: str
) -> None:
    """The switch's words go in lines and the rest wraps: nothing of the card is out of sight to the right."""
    from PySide6.QtWidgets import QCheckBox, QWidget

    locale_support.apply_language(language)
    window, _clock = make_window(qtbot, data_dir, (1024, 700))
    window.ctx.set_setting("voice_commands_on", True)
    window.ctx.set_setting("text_scale", 200)
    window.show_page("settings")
    page = window.page("settings")
    assert isinstance(page, SettingsPage)
    for _round in range(3):  # a new layout reaches the scroll area a few event-loop rounds later
        settle()
    section = page.voice_commands
    assert section.isVisible() and section.on.text().count("\n") >= (1 if language == "de" else 0)
    assert page.horizontalScrollBar().maximum() == 0
    right, body = page.viewport().width(), page.widget()
    assert body is not None
    for child in (section, *section.findChildren(QCheckBox), *section.findChildren(QWidget)):
        if child.isVisible():
            assert child.mapTo(body, child.rect().topRight()).x() <= right, child
