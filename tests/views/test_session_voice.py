"""A whole session by voice (issue 22): the pain checks, the running session's commands, "end" with a spoken
yes or no, the question after an exercise, "it hurts" and the safety questions, driven through the real
SessionView and VoiceControl with the listening worker faked (works / hangs / fails). The real worker with
spoken WAV files is at the end."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.engine import PauseReason, Step
from sciatica_coach.core.model import (
    Dose,
    LegReach,
    PainReport,
    Phase,
    Routine,
    RoutineItem,
    SafetyEventKind,
    SideMode,
    SymptomChange,
)
from sciatica_coach.core.session_flow import Stage
from sciatica_coach.services import cautions
from sciatica_coach.services.plans import save_routine
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.session_view import SessionView
from tests.helpers import (
    FakeClock,
    FakeListener,
    fake_services,
    main_window,
    safety_events,
    session_past_guidance,
)

ROUTINE = Routine(
    Phase.MOBILITY,
    (
        RoutineItem("knee-to-chest", Dose(2, 2, 1, 1, 0), SideMode.BOTH),
        RoutineItem("pelvic-tilt", Dose(2, 1, 1, 1, 0), SideMode.BOTH),
    ),
)


def make_repo(data_dir: Path, *, voice_on: bool = True) -> Repository:
    repo = Repository.open(data_dir)
    save_routine(repo, ROUTINE)
    cautions.mark_seen(repo, load_catalogue().exercises)
    repo.set_setting("voice_commands_on", True)
    repo.set_setting("voice_on", voice_on)
    return repo


@pytest.fixture
def by_voice(qtbot: QtBot, data_dir: Path) -> Iterator[tuple[MainWindow, FakeClock, object]]:
    clock, services = FakeClock(), fake_services()
    with main_window(qtbot, make_repo(data_dir), clock, services) as window:
        yield window, clock, services


def say(services: object, *phrases: str) -> None:
    listener: FakeListener = services.fake_listener  # type: ignore[attr-defined]
    for words in phrases:
        listener.hear(words)


def said(services: object) -> list[str]:
    return services.fake_speech.said  # type: ignore[attr-defined,no-any-return]


def listening_for(services: object) -> str | None:
    return services.fake_listener.asking  # type: ignore[attr-defined,no-any-return]


def past_flags_by_voice(window: MainWindow, services: object) -> SessionView:
    view = session_past_guidance(window)
    if view.stack.currentWidget() is view.red_flags:
        assert listening_for(services) == "yes-no"
        say(services, *["no"] * len(view.red_flags.questions), "yes")
    return view


def pain_by_voice(services: object, back: str, leg: str, reach: str, numbness: str) -> None:
    assert listening_for(services) == "number"
    say(services, back)
    assert listening_for(services) == "number"
    say(services, leg)
    assert listening_for(services) == "reach"
    say(services, reach)
    assert listening_for(services) == "yes-no"
    say(services, numbness)


def running(window: MainWindow, services: object) -> SessionView:
    view = past_flags_by_voice(window, services)
    pain_by_voice(services, "two", "one", "none", "no")
    say(services, "yes")
    assert view.runner is not None
    view.runner.timer.stop()
    return view


def test_the_pain_check_is_asked_aloud_and_answered_by_voice(by_voice) -> None:  # type: ignore[no-untyped-def]
    window, _clock, services = by_voice
    view = past_flags_by_voice(window, services)
    assert view.stack.currentWidget() is view.before
    assert "Say a number from zero to ten" in said(services)[-1]
    pain_by_voice(services, "three", "two", "thigh", "no")
    # Shown on screen as it is said, and read back before anything is sent on.
    assert (view.before.back.value(), view.before.leg.value()) == (3, 2)
    assert view.before.report_reach() is LegReach.THIGH
    assert "Back pain 3, leg pain 2, symptoms reach: Thigh, no new numbness" in said(services)[-1]
    assert view.stack.currentWidget() is view.before  # not before a yes
    say(services, "yes")
    assert view.stack.currentWidget() is view.running
    assert view.flow.pain_before_report == PainReport(3, 2, LegReach.THIGH, False)
    assert listening_for(services) == "session"


def test_no_to_the_summary_asks_again_and_hands_and_voice_mix(by_voice) -> None:  # type: ignore[no-untyped-def]
    window, _clock, services = by_voice
    view = past_flags_by_voice(window, services)
    pain_by_voice(services, "three", "two", "thigh", "no")
    say(services, "no")
    assert view.before.back.value() is None and listening_for(services) == "number"
    view.before.back.set_value(5)  # by hand on screen: the voice moves on to the leg
    assert "leg pain" in said(services)[-1]
    say(services, "four", "knee", "yes")  # new numbness: the safety flow takes it from here
    assert "Back pain 5, leg pain 4, symptoms reach: Knee, new numbness or weakness" in said(services)[-1]
    say(services, "yes")
    assert safety_events(window, SafetyEventKind.NEW_NUMBNESS)  # kept, and the safety flow goes on from here


def test_the_running_session_follows_pause_go_on_next_and_back(by_voice) -> None:  # type: ignore[no-untyped-def]
    window, _clock, services = by_voice
    view = running(window, services)
    runner = view.runner
    assert runner is not None
    say(services, "pause")
    assert runner.status().paused and runner.status().pause_reason is PauseReason.USER
    say(services, "pause")  # already paused: still paused
    assert runner.status().paused
    say(services, "go on")
    assert not runner.status().paused
    first = runner.status().exercise_index
    say(services, "next")
    assert runner.status().exercise_index == first + 1
    say(services, "back")
    assert runner.status().exercise_index == first
    say(services, "five")  # a number means nothing while an exercise runs
    assert not runner.status().paused and runner.status().exercise_index == first


def test_end_asks_for_a_spoken_yes_or_no(by_voice) -> None:  # type: ignore[no-untyped-def]
    window, _clock, services = by_voice
    view = running(window, services)
    runner = view.runner
    assert runner is not None
    say(services, "end")
    assert view.running.confirm.isVisible() and listening_for(services) == "yes-no"
    assert said(services)[-1] == "End the session now? Say yes to end, or no to carry on."
    say(services, "no")
    assert not view.running.confirm.isVisible() and not runner.status().paused
    assert listening_for(services) == "session"
    say(services, "stop", "yes")
    assert view.stack.currentWidget() is view.after and runner.status().ended_early
    assert listening_for(services) == "number"  # the pain check after, by voice too


def test_it_hurts_stops_and_says_what_to_do(by_voice) -> None:  # type: ignore[no-untyped-def]
    window, _clock, services = by_voice
    view = running(window, services)
    say(services, "it hurts")
    assert view.runner is not None and view.runner.status().pause_reason is PauseReason.HURTS
    assert safety_events(window, SafetyEventKind.IT_HURTS)
    assert "say next to skip this exercise, or end to stop for today" in said(services)[-1]


def test_the_question_after_an_exercise_is_answered_up_same_or_down(by_voice) -> None:  # type: ignore[no-untyped-def]
    window, clock, services = by_voice
    view = running(window, services)
    runner = view.runner
    assert runner is not None
    for _ in range(300):
        if runner.status().awaiting_answer is not None:
            break
        clock.advance(1)
        runner.tick()
    assert view.running.symptom.asking and listening_for(services) == "trend"
    assert "Say up if they moved up towards your back" in said(services)[-1]
    say(services, "next")  # not an answer here
    assert view.running.symptom.asking
    say(services, "repeat")
    assert "Say up" in said(services)[-1]
    say(services, "same")
    assert not view.running.symptom.asking
    assert listening_for(services) == "session"
    assert view.runner is not None
    record = view.runner.engine.status()
    assert record.step is not Step.DONE


def test_a_yes_to_a_safety_question_leads_to_its_advice(by_voice) -> None:  # type: ignore[no-untyped-def]
    window, _clock, services = by_voice
    view = session_past_guidance(window)
    assert view.stack.currentWidget() is view.red_flags
    questions = view.red_flags.questions
    assert said(services)[-1].startswith(questions[0].text.text()) and said(services)[-1].endswith(
        "yes or no."
    )
    say(services, "yes", *["no"] * (len(questions) - 1))
    assert "You answered yes to 1 question." in said(services)[-1]
    say(services, "yes")
    assert view.flow.stage is Stage.TRIAGE
    assert listening_for(services) is None  # the advice is read, never answered by voice


def test_no_to_the_safety_summary_goes_through_the_questions_again(by_voice) -> None:  # type: ignore[no-untyped-def]
    window, _clock, services = by_voice
    view = session_past_guidance(window)
    count = len(view.red_flags.questions)
    say(services, *["no"] * count, "no")  # "no" to the summary: once more, each answer replaced
    say(services, "yes", *["no"] * (count - 1), "yes")
    assert view.flow.stage is Stage.TRIAGE


def test_not_listening_where_nothing_is_answered_by_voice_and_quiet_when_closed(by_voice) -> None:  # type: ignore[no-untyped-def]
    window, _clock, services = by_voice
    window.start_session()
    view = window.session_view
    assert view is not None and view.stack.currentWidget() is view.guidance
    assert listening_for(services) is None
    view.guidance.accept_button.click()
    assert listening_for(services) == "yes-no"
    view.leave_request()
    view.closed.emit()
    assert listening_for(services) is None


def test_the_apps_own_words_are_no_commands(by_voice) -> None:  # type: ignore[no-untyped-def]
    window, _clock, services = by_voice
    running(window, services)
    listener: FakeListener = services.fake_listener
    listener.asked.clear()
    window.ctx.say("Hold. Three, two, one. Relax.")
    mutes = [line for line in listener.asked if line.startswith("mute")]
    assert mutes and float(mutes[0].split()[1]) >= 2.5  # six words and a margin


@pytest.mark.parametrize("mode", ["hangs", "fails"])
def test_a_hung_or_failing_listener_leaves_the_keys(qtbot: QtBot, data_dir: Path, mode: str) -> None:
    services = fake_services()
    services.listener = services.fake_listener = FakeListener(mode)  # type: ignore[attr-defined]
    with main_window(qtbot, make_repo(data_dir), FakeClock(), services) as window:
        view = session_past_guidance(window)
        assert window.ctx.voice is not None
        if mode == "fails":
            assert window.ctx.voice.failure == FakeListener.FAILURE and not window.ctx.voice.listening
            assert FakeListener.FAILURE in view.running.service_note.text()  # said in the session too
        say(services, "no")  # nothing comes through
        assert view.red_flags.answers() is None
        for flag_id in view.red_flags.groups:
            view.red_flags.answer(flag_id, False)
        view.red_flags.continue_button.click()
        assert view.stack.currentWidget() is view.before


def test_voice_commands_off_never_start_the_listener(qtbot: QtBot, data_dir: Path) -> None:
    services = fake_services()
    repo = make_repo(data_dir)
    repo.set_setting("voice_commands_on", False)
    with main_window(qtbot, repo, FakeClock(), services) as window:
        session_past_guidance(window)
        assert window.ctx.voice is None and services.fake_listener.asked == []  # type: ignore[attr-defined]


# ---- the real listening worker, fed spoken WAV files ---------------------------------------------------
def spoken_wav(path: Path, words: str) -> str:
    speech = subprocess.run(["espeak-ng", "-v", "en-us", "--stdout", words], capture_output=True, check=True)
    subprocess.run(
        ["sox", "-t", "wav", "-", "-r", "16000", "-c", "1", "-b", "16", str(path), "pad", "0.5", "1"],
        input=speech.stdout, check=True,
    )  # fmt: skip
    return str(path)


@pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("sox")), reason="espeak-ng and sox make the spoken WAVs"
)
def test_spoken_commands_drive_a_real_session_through_the_real_recogniser(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    from sciatica_coach.platform.listener import create_listener

    wavs = [
        f"session={spoken_wav(tmp_path / 'pause.wav', 'pause')}",
        f"number={spoken_wav(tmp_path / 'three.wav', 'three')}",
    ]
    services = fake_services()
    services.listener = lambda language, **callbacks: create_listener(language, wavs=wavs, **callbacks)
    repo = make_repo(data_dir, voice_on=False)
    with main_window(qtbot, repo, FakeClock(), services) as window:
        voice = window.ctx.voice
        assert voice is not None
        # The app's spoken questions make the worker deaf for seconds of real time (tested on its own in
        # tests/platform/test_listener.py); nothing is spoken here (FakeSpeech), so that is left out.
        voice.speaking = lambda text: None  # type: ignore[method-assign]
        view = session_past_guidance(window)
        if view.stack.currentWidget() is view.red_flags:
            for flag_id in view.red_flags.groups:
                view.red_flags.answer(flag_id, False)
            view.red_flags.continue_button.click()
        # The pain check before: the WAV for "number" says "three".
        qtbot.waitUntil(lambda: view.before.back.value() == 3, timeout=20_000)
        view.before.leg.set_value(1)
        view.before.set_reach(LegReach.NONE)
        view.before.continue_button.click()
        assert view.runner is not None
        view.runner.timer.stop()
        qtbot.waitUntil(lambda: view.runner is not None and view.runner.status().paused, timeout=20_000)
        assert view.runner.status().pause_reason is PauseReason.USER
        assert window.ctx.voice is not None and window.ctx.voice.failure is None


def test_symptom_words_cover_every_answer() -> None:
    from sciatica_coach.core.voice import ENGLISH, Asking

    trends = {ENGLISH.phrases[words].trend for words in ENGLISH.listens_for(Asking.TREND)}
    assert trends - {None} == set(SymptomChange)
    reaches = {ENGLISH.phrases[words].reach for words in ENGLISH.listens_for(Asking.REACH)}
    assert reaches - {None} == set(LegReach)


def test_the_listening_mark_says_what_to_say_where_it_fits(by_voice) -> None:  # type: ignore[no-untyped-def]
    window, _clock, services = by_voice
    view = past_flags_by_voice(window, services)
    mark = view.listening_mark
    assert mark.isVisible() and mark.text == "Listening: say a number, 0 to 10"
    say(services, "three", "two")
    assert mark.text == "Listening: none, buttock, thigh, knee, calf or foot"
    mark.fit(200)  # a narrow window: the plain word, never a cut-off hint
    assert mark.text == "Listening" and mark.sizeHint().width() <= 200
    mark.fit(2000)
    say(services, "none", "no", "yes")
    assert view.stack.currentWidget() is view.running and mark.text == "Listening"  # the buttons say the rest
    view.closed.emit()
    assert not mark.isVisible()
