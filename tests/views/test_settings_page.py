"""Settings: choices are saved at once, reach live services, and the safety buttons do what they say."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionButton, QWidget
from pytestqt.qtbot import QtBot

from sciatica_coach import i18n
from sciatica_coach.i18n import _
from sciatica_coach.platform import locale_support
from sciatica_coach.platform.worker_process import (
    SOUND_MISSING,
    ServiceState,
    SpeechProcess,
)
from sciatica_coach.services import safety_state
from sciatica_coach.storage.repository import DATA_FILE, Repository
from sciatica_coach.views.context import AppContext, ServiceFactories
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.safety_pages import GuidanceDialog
from sciatica_coach.views.settings_page import SettingsPage
from sciatica_coach.views.theme import DARK, LIGHT, apply_theme, current_colors
from tests.helpers import FakeClock, fake_services, session_past_guidance
from tests.platform.test_service_checks import NOTICES
from tests.views.walk import make_window, settle, themed_app  # noqa: F401 - a fixture


def make(qtbot: QtBot, data_dir: Path) -> tuple[MainWindow, SettingsPage, object]:
    services = fake_services()  # type: ignore[no-untyped-call]
    window = MainWindow(AppContext(Repository.open(data_dir), FakeClock(), services))
    qtbot.addWidget(window)
    window.show_page("settings")
    page = window.page("settings")
    assert isinstance(page, SettingsPage)
    return window, page, services


def test_theme_and_text_size_apply_and_persist(qtbot: QtBot, data_dir: Path) -> None:
    _window, page, _ = make(qtbot, data_dir)
    page.theme.setCurrentIndex(page.theme.findData("dark"))
    assert current_colors() is DARK
    page.text_scale.setCurrentIndex(page.text_scale.findData(150))
    assert QApplication.font().pointSizeF() == 18.0
    reopened = Repository.open(data_dir)
    assert reopened.setting("theme") == "dark" and reopened.setting("text_scale") == 150
    page.theme.setCurrentIndex(page.theme.findData("light"))
    page.text_scale.setCurrentIndex(page.text_scale.findData(100))
    assert current_colors() is LIGHT


def test_volume_reaches_live_services_and_switches_are_saved(qtbot: QtBot, data_dir: Path) -> None:
    window, page, services = make(qtbot, data_dir)
    page.sound_on.setChecked(True)
    page.voice_on.setChecked(True)
    page.test_sound.click()  # services are made on first use
    assert services.fake_sound.played == ["hold-start"]  # type: ignore[attr-defined]
    assert services.fake_speech.said  # type: ignore[attr-defined]
    page.volume.setValue(35)
    assert services.fake_sound.volume == 35 and services.fake_speech.volume == 35  # type: ignore[attr-defined]
    page.voice_on.setChecked(False)
    assert window.ctx.repo.setting("voice_on") is False
    assert page.volume_value.text() == "35 %"


def test_safety_buttons(qtbot: QtBot, data_dir: Path) -> None:
    window, page, _ = make(qtbot, data_dir)
    page.symptoms_button.click()
    assert window.ctx.repo.state(safety_state.NEW_SYMPTOMS_KEY) is True
    assert safety_state.red_flag_check_due(window.ctx.repo, window.ctx.clock.now())
    page.guidance_button.click()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, GuidanceDialog) and w.isVisible()]
    assert len(dialogs) == 1
    dialogs[0].close()


def test_a_larger_system_text_size_scales_the_app_too() -> None:
    from sciatica_coach.views.theme import system_text_factor

    assert system_text_factor(9.0) == 1.0, "a small desktop default keeps our own larger base"
    assert system_text_factor(10.0) == 1.0
    assert system_text_factor(15.0) == 1.5
    assert system_text_factor(40.0) == 2.0, "capped, like the in-app setting"
    assert system_text_factor(-1.0) == 1.0  # pixel-sized fonts report -1


# ---- whether this computer can play sound and speak (issue 15, point 8) ---------------------------------------


class CheckedService:
    """A sound or speech service like the app's worker processes, without a process: it starts "checking"
    and the test says, from a background thread as a worker's reader does, what its check found."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.state = ServiceState.CHECKING
        self.available = True
        self.failure: str | None = None
        self.on_failure: Callable[[str], None] | None = None
        self.on_ready: Callable[[], None] | None = None
        self.used: list[str] = []
        self.volume = 80

    def found(self, state: ServiceState) -> None:
        """The worker's answer: working, or off with its plain words (from another thread, then delivered)."""

        def answer() -> None:
            if state is ServiceState.WORKING:
                self.state = state
                if self.on_ready:
                    self.on_ready()
                return
            notices = NOTICES[self.kind]
            self.state, self.available, self.failure = state, False, _(notices[state])
            if self.on_failure:
                self.on_failure(self.failure)

        thread = threading.Thread(target=answer)
        thread.start()
        thread.join()

    def play(self, name: str) -> None:
        if self.available:
            self.used.append(name)

    def say(self, text: str) -> None:
        if self.available:
            self.used.append(text)

    def stop(self) -> None:
        pass

    def set_volume(self, percent: int) -> None:
        self.volume = percent


def checked_services() -> tuple[ServiceFactories, CheckedService, CheckedService]:
    services = fake_services()  # type: ignore[no-untyped-call]
    sound, speech = CheckedService("sound"), CheckedService("speech")
    services.sound = lambda _volume: sound
    services.speech = lambda _volume: speech
    return services, sound, speech


def settings_window(
    qtbot: QtBot, data_dir: Path, **stored: object
) -> tuple[MainWindow, SettingsPage, CheckedService, CheckedService]:
    """The main window on Settings, with services that a test answers for; `stored` settings first."""
    repo = Repository.open(data_dir)
    for key, value in stored.items():
        repo.set_setting(key, value)
    services, sound, speech = checked_services()
    window = MainWindow(AppContext(repo, FakeClock(), services))
    qtbot.addWidget(window)
    window.show()
    window.show_page("settings")
    page = window.page("settings")
    assert isinstance(page, SettingsPage)
    return window, page, sound, speech


def heard(qtbot: QtBot, window: MainWindow, service: CheckedService, state: ServiceState) -> None:
    """The service's check comes in from its thread; wait for the window thread to have heard it."""
    with qtbot.waitSignal(window.ctx.services_changed, timeout=2000):
        service.found(state)


def test_settings_says_beside_each_switch_what_this_computer_can_do(qtbot: QtBot, data_dir: Path) -> None:
    window, page, sound, speech = settings_window(qtbot, data_dir)
    # Opening Settings starts the checks (in the workers): they are under way, said quietly
    assert page.sound_state.isVisible() and page.sound_state.text() == "Looking for a sound device…"
    assert page.speech_state.text() == "Looking for a speech engine…"
    heard(qtbot, window, sound, ServiceState.MISSING)
    heard(qtbot, window, speech, ServiceState.WORKING)
    assert page.sound_state.text() == "No sound device was found, so there will be no beeps."
    assert page.sound_state.property("role") == "", "a problem is in the normal text colour, not muted"
    assert page.speech_state.text() == "A speech engine was found: cues can be spoken."
    assert page.speech_state.property("role") == "muted"
    heard(qtbot, window, speech, ServiceState.HUNG)  # later, the engine stops answering
    assert "stopped responding" in page.speech_state.text()


@pytest.mark.parametrize("state", [ServiceState.MISSING, ServiceState.FAILED])
def test_a_missing_speech_engine_is_said_plainly(qtbot: QtBot, data_dir: Path, state: ServiceState) -> None:
    window, page, _sound, speech = settings_window(qtbot, data_dir)
    heard(qtbot, window, speech, state)
    expected = {
        ServiceState.MISSING: "No speech engine was found, so cues won't be spoken.",
        ServiceState.FAILED: "The speech engine does not work on this computer, so cues won't be spoken.",
    }[state]
    assert page.speech_state.text().startswith(expected)
    if state is ServiceState.MISSING and sys.platform.startswith("linux"):
        assert "install speech-dispatcher and espeak-ng" in page.speech_state.text()


def test_play_a_test_sound_says_on_screen_when_nothing_can_be_heard(qtbot: QtBot, data_dir: Path) -> None:
    window, page, sound, speech = settings_window(qtbot, data_dir)
    assert not page.test_note.isVisible()
    page.test_sound.click()  # both still being looked for: said so, and the note follows the answers
    assert page.test_note.text() == "Looking for a sound device…\nLooking for a speech engine…"
    heard(qtbot, window, sound, ServiceState.MISSING)
    heard(qtbot, window, speech, ServiceState.WORKING)
    assert page.test_note.text().splitlines() == [
        "No sound device was found, so nothing can play.",
        "The voice is saying a test cue.",
        "If you hear nothing, check the computer's volume and speakers.",
    ]
    assert speech.used == ["Hold. Three, two, one. Relax."]
    heard(qtbot, window, speech, ServiceState.HUNG)
    page.test_sound.click()
    assert page.test_note.text().splitlines() == [
        "No sound device was found, so nothing can play.",
        "The speech engine isn't working, so nothing can be spoken.",
    ]
    page.sound_on.setChecked(False)
    page.voice_on.setChecked(False)
    page.test_sound.click()
    assert (
        page.test_note.text()
        == "Beeps and spoken cues are both switched off above, so there is nothing to play."
    )


def test_a_test_sound_at_volume_zero_says_why_it_is_silent(qtbot: QtBot, data_dir: Path) -> None:
    window, page, sound, _speech = settings_window(qtbot, data_dir, voice_on=False)
    heard(qtbot, window, sound, ServiceState.WORKING)
    page.volume.setValue(0)
    page.test_sound.click()
    assert sound.used == ["hold-start"]
    assert page.test_note.text().splitlines() == [
        "A beep is playing.",
        "The volume is at 0 %, so it is silent.",
    ]


def test_a_missing_service_is_told_once_and_only_if_switched_on(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.set_setting("voice_on", False)
    services, sound, speech = checked_services()
    ctx = AppContext(repo, FakeClock(), services)
    told: list[str] = []
    ctx.service_off.connect(told.append)
    assert ctx.service_state("sound") is None, "nothing is made before it is asked for"
    ctx.check_services(switched_on_only=True)  # what a session needs: sound only
    assert ctx.service_state("sound") is ServiceState.CHECKING and ctx.service_state("speech") is None
    ctx.check_services()
    with qtbot.waitSignal(ctx.service_off, timeout=2000):
        sound.found(ServiceState.MISSING)
    with qtbot.waitSignal(ctx.services_changed, timeout=2000):
        speech.found(ServiceState.MISSING)
    assert told == [SOUND_MISSING], "the voice is switched off: its absence is not news for a session"
    assert ctx.services_off() == [SOUND_MISSING]
    with qtbot.waitSignal(ctx.services_changed, timeout=2000):
        sound.on_failure(SOUND_MISSING)  # type: ignore[misc]  # told again: not repeated
    assert told == [SOUND_MISSING]
    ctx.set_setting("voice_on", True)
    assert ctx.services_off() == [SOUND_MISSING, SpeechProcess.missing_notice]


def test_a_session_says_at_its_start_that_sound_and_speech_are_missing(qtbot: QtBot, data_dir: Path) -> None:
    window, _page, sound, speech = settings_window(qtbot, data_dir)
    heard(qtbot, window, sound, ServiceState.MISSING)
    heard(qtbot, window, speech, ServiceState.MISSING)
    view = session_past_guidance(window)
    assert view.running.service_note.text().splitlines() == [SOUND_MISSING, SpeechProcess.missing_notice]
    view.close()


def test_a_session_checks_at_once_and_says_once_what_is_missing(qtbot: QtBot, data_dir: Path) -> None:
    """Settings never opened: opening a session starts the checks (the guidance note and the pain check give
    them time), and the running screen says once, in plain words, that there will be no beeps."""
    repo = Repository.open(data_dir)
    services, sound, speech = checked_services()
    window = MainWindow(AppContext(repo, FakeClock(), services))
    qtbot.addWidget(window)
    window.show()
    assert window.ctx.service_state("sound") is None, "nothing is checked before it is needed"
    view = session_past_guidance(window)
    assert window.ctx.service_state("sound") is not None and window.ctx.service_state("speech") is not None
    heard(qtbot, window, sound, ServiceState.MISSING)
    heard(qtbot, window, speech, ServiceState.WORKING)
    assert view.running.service_note.text().splitlines() == [SOUND_MISSING]
    heard(qtbot, window, sound, ServiceState.MISSING)  # told again: still said once
    assert view.running.service_note.text().splitlines() == [SOUND_MISSING]
    view.close()


def test_the_words_follow_the_language(qtbot: QtBot, data_dir: Path) -> None:
    i18n.set_language("de")
    window, page, sound, _speech = settings_window(qtbot, data_dir)
    heard(qtbot, window, sound, ServiceState.MISSING)
    assert page.sound_state.text() == "Es wurde kein Audiogerät gefunden, daher gibt es keine Signaltöne."
    assert window.ctx.services_off()[0].startswith("Es wurde kein Audiogerät gefunden")


# ---- the session's timing and spoken extras (issue 15, point 5) ---------------------------------------------


def test_session_settings_are_saved(qtbot: QtBot, data_dir: Path) -> None:
    window, page, _sound, _speech = settings_window(qtbot, data_dir)
    repo = window.ctx.repo
    assert page.get_ready.currentData() == 15 and page.get_ready.currentText() == "15 s"
    assert not page.count_reps.isChecked() and not page.halfway.isChecked()
    choices = [page.get_ready.itemData(i) for i in range(page.get_ready.count())]
    assert choices == list(range(5, 61, 5))
    page.get_ready.setCurrentIndex(page.get_ready.findData(30))
    page.count_reps.setChecked(True)
    page.halfway.setChecked(True)
    assert repo.setting("get_ready_s") == 30
    assert repo.setting("count_reps_aloud") is True and repo.setting("halfway_cue") is True
    page.get_ready.setCurrentIndex(page.get_ready.currentIndex() + 1)
    assert repo.setting("get_ready_s") == 35
    page.voice_on.setChecked(False)  # the voice's extras wait for the voice
    assert not page.count_reps.isEnabled() and not page.halfway.isEnabled()
    page.voice_on.setChecked(True)
    assert page.count_reps.isEnabled()


def test_still_pictures_is_off_at_first_and_saved(qtbot: QtBot, data_dir: Path) -> None:
    """Reduced motion: the exercise figure moves unless the person keeps the pictures still (issue 23)."""
    window, page, _sound, _speech = settings_window(qtbot, data_dir)
    assert not page.still_pictures.isChecked() and window.ctx.repo.setting("still_pictures") is False
    page.still_pictures.setChecked(True)
    assert window.ctx.repo.setting("still_pictures") is True


@pytest.mark.parametrize(
    ("stored", "shown"),
    [(2, 5), (500, 60), (-10, 5), (12.6, 13), ("twenty", 15), (None, 15), (True, 15), ([30], 15), (20, 20)],
)
def test_a_hand_edited_get_ready_time_shows_the_nearest_valid_value(
    qtbot: QtBot, data_dir: Path, stored: object, shown: int
) -> None:
    window, page, _sound, _speech = settings_window(qtbot, data_dir, get_ready_s=stored)
    assert page.get_ready.currentData() == shown and page.get_ready.currentText() == f"{shown} s"
    # Only shown: saved when the person chooses (the file still holds the hand-edited value; the repository
    # reads it as the nearest usable one, issue 17).
    on_disk = json.loads((data_dir / DATA_FILE).read_text(encoding="utf-8"))["settings"].values()
    assert {doc["key"]: doc["value"] for doc in on_disk}["get_ready_s"] == stored
    assert window.ctx.repo.setting("get_ready_s") == shown


def test_hand_edited_settings_never_break_the_page(qtbot: QtBot, data_dir: Path) -> None:
    _window, page, _sound, _speech = settings_window(
        qtbot, data_dir, count_reps_aloud="yes", halfway_cue=0, volume="loud", theme="purple"
    )
    assert page.count_reps.isChecked() and not page.halfway.isChecked()  # as the session reads them
    assert page.volume.value() == 80
    assert page.theme.currentData() == "system"


def test_what_belongs_to_a_switch_sits_under_its_words_at_any_text_size(qtbot: QtBot, data_dir: Path) -> None:
    for scale in (100, 200):
        window, page, sound, _speech = settings_window(qtbot, data_dir, text_scale=scale)
        apply_theme(QApplication.instance(), "light", scale, False)  # type: ignore[arg-type]
        heard(qtbot, window, sound, ServiceState.MISSING)
        body = page.widget()
        assert body is not None and page.count_reps.isVisible()
        for switch, under in ((page.sound_on, page.sound_state), (page.voice_on, page.count_reps)):
            option = QStyleOptionButton()
            switch.initStyleOption(option)
            words = switch.style().subElementRect(QStyle.SubElement.SE_CheckBoxContents, option, switch)
            words_x = switch.mapTo(body, words.topLeft()).x()
            under_x = under.mapTo(body, under.rect().topLeft()).x()
            assert abs(words_x - under_x) <= 2, (scale, words_x, under_x)
        window.close()


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("scale", [100, 200])
@pytest.mark.parametrize("size", [(1024, 700), (1280, 800)])
@pytest.mark.usefixtures("themed_app")
def test_settings_need_no_sideways_scrolling(
    qtbot: QtBot, data_dir: Path, language: str, scale: int, size: tuple[int, int]
) -> None:
    """Long switch words go in lines: nothing is out of sight to the right, at large text or in German."""
    locale_support.apply_language(language)
    window, _clock = make_window(qtbot, data_dir, size)
    window.ctx.set_setting("text_scale", scale)
    window.show_page("settings")
    page = window.page("settings")
    assert isinstance(page, SettingsPage)
    for _round in range(3):  # a new layout reaches the scroll area a few event-loop rounds later
        settle()
    body = page.widget()
    assert body is not None
    wide = [
        f"{type(child).__name__} {getattr(child, 'text', lambda: '')()!r} {child.minimumSizeHint().width()}px"
        for child in body.findChildren(QWidget)
        if child.isVisible() and child.minimumSizeHint().width() > page.viewport().width() - 120
    ]
    assert body.width() <= page.viewport().width() and page.horizontalScrollBar().maximum() == 0, (
        body.width(),
        page.viewport().width(),
        wide,
    )
    assert "\n" not in page.sound_on.accessibleName(), "a screen reader hears the words, not the lines"
