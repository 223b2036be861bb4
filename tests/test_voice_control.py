"""VoiceControl, the window's ear (services/voice_control.py): made on the first listen, asks the worker only
when the screen's question changes, ignores what was said to a screen that is gone, goes deaf while the app
speaks, and reports a worker that is off once. With the listening worker faked (works / hangs / fails)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from sciatica_coach.core.voice import Asking, Command
from sciatica_coach.services.voice_control import VoiceControl, speaking_seconds
from tests.helpers import FakeListener


def control(listener: FakeListener) -> VoiceControl:
    return VoiceControl(listener, "en_US")


def test_nothing_is_started_before_the_first_listen(qtbot: QtBot) -> None:
    listener = FakeListener()
    voice = control(listener)
    voice.speaking("Hold.")  # not listening: nothing to mute
    voice.quiet()
    assert listener.asked == [] and not voice.listening and voice.state is None


def test_listen_asks_once_per_screen_and_quiet_closes(qtbot: QtBot) -> None:
    listener, changes = FakeListener(), []
    voice = control(listener)
    voice.listening_changed.connect(changes.append)
    voice.listen(Asking.SESSION)
    voice.listen(Asking.SESSION)  # the same screen again: nothing new to ask
    voice.listen(Asking.NUMBER)
    voice.quiet()
    voice.quiet()
    assert listener.asked == ["listen session", "listen number", "quiet"]
    assert changes == [True, False]


def test_heard_is_understood_for_the_screen_in_view_only(qtbot: QtBot) -> None:
    listener, heard = FakeListener(), []
    voice = control(listener)
    voice.heard.connect(heard.append)
    voice.listen(Asking.NUMBER)
    assert listener.on_heard is not None
    listener.on_heard("number", "seven")
    listener.on_heard("session", "pause")  # said while the screen before was up: gone now
    listener.on_heard("number", "pause")  # not a number: the worker's grammar never gives it, but if it did
    assert [(h.command, h.number) for h in heard] == [(Command.NUMBER, 7)]


def test_the_apps_own_speech_mutes_for_about_as_long_as_it_takes(qtbot: QtBot) -> None:
    listener = FakeListener()
    voice = control(listener)
    voice.listen(Asking.SESSION)
    voice.speaking("Stop and rest. Ease out of the position slowly.")
    assert (
        listener.asked[-1] == f"mute {speaking_seconds('Stop and rest. Ease out of the position slowly.'):g}"
    )
    assert speaking_seconds("one two three four") > speaking_seconds("one")


@pytest.mark.parametrize("mode", ["fails", "hangs"])
def test_a_worker_that_is_off_or_hangs_never_stops_the_window(qtbot: QtBot, mode: str) -> None:
    listener, told, heard = FakeListener(mode), [], []
    voice = control(listener)
    voice.unavailable.connect(told.append)
    voice.heard.connect(heard.append)
    for asking in (Asking.SESSION, Asking.NUMBER, Asking.YES_NO):
        voice.listen(asking)
    listener.hear("yes")
    assert heard == []
    if mode == "fails":
        assert told == [FakeListener.FAILURE] and not voice.listening
        assert listener.asked == []  # never asked to listen once it said it can't
    else:
        assert told == [] and voice.listening and listener.asked[-1] == "listen yes-no"


def test_a_worker_going_off_while_listening_is_said_once(qtbot: QtBot) -> None:
    listener, told, changes = FakeListener(), [], []
    voice = control(listener)
    voice.unavailable.connect(told.append)
    voice.listening_changed.connect(changes.append)
    voice.listen(Asking.SESSION)
    assert listener.on_failure is not None
    listener.on_failure("The microphone stopped answering.")
    listener.on_failure("The microphone stopped answering.")
    voice.listen(Asking.NUMBER)
    assert told == ["The microphone stopped answering."] and changes == [True, False]
    assert listener.asked == ["listen session"]
