"""Following a session from the mat (issue 15, points 5 and 9): the side being worked is as large as the step
word, the after-exercise question is said aloud and any key that doesn't answer it says it again, and at the
usual window sizes, at 200 % text and in floor mode every control stays on screen without scrolling."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from sciatica_coach import i18n
from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.engine import Step
from sciatica_coach.core.model import Dose, Phase, Routine, RoutineItem, SideMode
from sciatica_coach.services import cautions
from sciatica_coach.services.plans import save_routine
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.session_view import SessionView
from tests.helpers import FakeClock, answer_pain, fake_services, main_window, session_past_red_flags

ROUTINE = Routine(
    Phase.MOBILITY,
    (
        RoutineItem("knee-to-chest", Dose(2, 2, 1, 1, 0), SideMode.LEFT_THEN_RIGHT),
        RoutineItem("pelvic-tilt", Dose(2, 1, 1, 1, 0), SideMode.BOTH),
    ),
)


@pytest.fixture
def shown(qtbot: QtBot, data_dir: Path) -> Iterator[tuple[MainWindow, FakeClock, object]]:
    repo = Repository.open(data_dir)
    save_routine(repo, ROUTINE)
    cautions.mark_seen(repo, load_catalogue().exercises)
    clock, services = FakeClock(), fake_services()
    with main_window(qtbot, repo, clock, services) as window:
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        yield window, clock, services


def started(window: MainWindow) -> SessionView:
    view = session_past_red_flags(window)
    answer_pain(view.before, 2, 2)
    view.before.continue_button.click()
    assert view.runner is not None
    view.runner.timer.stop()
    view.setFocus()
    return view


def run_until(view: SessionView, clock: FakeClock, done) -> None:  # type: ignore[no-untyped-def]
    """Tick the engine a second at a time, as the repaint timer would, until `done()`."""
    assert view.runner is not None
    for _ in range(300):
        if done():
            return
        clock.advance(1)
        view.runner.tick()
    raise AssertionError("never got there")


def font_px(widget: QWidget) -> int:
    widget.ensurePolished()
    return widget.font().pixelSize()


def test_the_side_is_as_large_as_the_step_word_and_said(qtbot: QtBot, shown) -> None:  # type: ignore[no-untyped-def]
    window, clock, services = shown
    view = started(window)
    r = view.running
    assert view.runner is not None
    run_until(view, clock, lambda: view.runner.status().step is Step.HOLD)  # type: ignore[union-attr]
    assert (r.step_word.text(), r.side_word.text()) == ("HOLD", "LEFT SIDE")
    assert r.side_word.isVisible() and font_px(r.side_word) >= font_px(r.step_word) > 0
    run_until(view, clock, lambda: view.runner.status().step is Step.SWITCH_SIDE)  # type: ignore[union-attr]
    assert (r.step_word.text(), r.side_word.text()) == ("SWITCH SIDES", "RIGHT SIDE")
    assert r.picture.is_mirrored(), "the right side is the drawing mirrored"
    said = services.fake_speech.said
    assert said.count("Left side. Hold.") == 2 and said[-1] == "Switch to your right side."
    run_until(view, clock, lambda: view.running.symptom.asking)
    assert not r.side_word.isVisible(), "the question takes the room of the step and side words"
    qtbot.keyClick(view, Qt.Key.Key_2)
    run_until(view, clock, lambda: view.runner.status().step is Step.HOLD)  # type: ignore[union-attr]
    assert r.step_word.text() == "HOLD" and not r.side_word.isVisible(), "no side for a two-sided exercise"


def test_the_question_is_said_and_keys_that_dont_answer_say_it_again(qtbot: QtBot, shown) -> None:  # type: ignore[no-untyped-def]
    window, clock, services = shown
    view = started(window)
    said = services.fake_speech.said  # type: ignore[attr-defined]
    run_until(view, clock, lambda: view.running.symptom.asking)
    question = [text for text in said if text.startswith("How are your leg symptoms after Knee to chest?")]
    assert len(question) == 1 and "Press 1" in question[0] and said[-1] == question[0], (
        "said last: not cut off"
    )
    for key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Right):
        qtbot.keyClick(view, key)
        assert view.running.symptom.asking and view.runner is not None
        assert view.runner.status().awaiting_answer == 0, f"{key} did not answer or skip the question"
        assert said[-1] == question[0]
    assert len([text for text in said if text == question[0]]) == 4
    qtbot.keyClick(view, Qt.Key.Key_2)
    assert not view.running.symptom.asking


def test_the_question_is_not_said_with_spoken_cues_off(qtbot: QtBot, shown) -> None:  # type: ignore[no-untyped-def]
    window, clock, services = shown
    window.ctx.set_setting("voice_on", False)
    view = started(window)
    run_until(view, clock, lambda: view.running.symptom.asking)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert services.fake_speech.said == []  # type: ignore[attr-defined]


def within(widget: QWidget, area: QWidget) -> bool:
    rect = QRect(widget.mapTo(area, QPoint(0, 0)), widget.size())
    return area.rect().contains(rect)


def assert_all_on_screen(view: SessionView, buttons: list[QPushButton], where: str) -> None:
    QApplication.processEvents()
    viewport = view.scroller.viewport()
    assert view.scroller.verticalScrollBar().maximum() == 0, f"{where}: the session scrolls"
    assert view.stack.width() <= viewport.width(), f"{where}: wider than the window"
    for button in buttons:
        assert button.isVisible() and within(button, viewport), f"{where}: {button.text()!r} is off screen"
        assert button.width() >= button.minimumSizeHint().width(), f"{where}: {button.text()!r} is cut off"
    word = view.running.step_word
    if word.isVisible():
        metrics = QFontMetrics(word.font())
        widest = max(metrics.horizontalAdvance(part) for part in word.text().split())
        assert widest <= word.width(), f"{where}: {word.text()!r} is cut off"


# Windows at the sizes people use, and floor mode at small full screens (it is always full screen).
SIZES = [((1024, 700), False), ((1280, 800), False), ((1280, 800), True), ((1366, 768), True)]


@pytest.mark.parametrize(("size", "floor"), SIZES)
@pytest.mark.parametrize("scale", [100, 200])
@pytest.mark.parametrize("language", ["en", "de"])
def test_every_control_stays_on_screen(qtbot: QtBot, shown, size, scale, floor, language) -> None:  # type: ignore[no-untyped-def]
    window, clock, _services = shown
    i18n.set_language(language)
    window.ctx.set_setting("text_scale", scale)
    window.resize(*size)
    view = started(window)
    if floor:
        view.set_floor_mode(True)
        window.showNormal()  # full screen is the offscreen screen's size: measure at the size asked for
        window.resize(*size)
    r = view.running
    controls = [r.back, r.pause, r.skip, r.floor, r.end, r.hurts]
    where = f"{size} at {scale} %{' in floor mode' if floor else ''} ({language})"
    run_until(view, clock, lambda: view.runner.status().step is Step.SWITCH_SIDE)  # type: ignore[union-attr]
    assert_all_on_screen(view, controls, f"switching sides, {where}")
    run_until(view, clock, lambda: view.running.symptom.asking)
    answers = [*r.symptom.buttons.values(), r.symptom.skip_button]
    assert_all_on_screen(view, controls + answers, f"the question, {where}")
    qtbot.keyClick(view, Qt.Key.Key_Escape)  # "End the session now?"
    assert_all_on_screen(view, [*controls, r.confirm_end, r.confirm_keep], f"the end question, {where}")


@pytest.mark.parametrize("scale", [100, 200])
@pytest.mark.parametrize("language", ["en", "de"])
def test_the_pain_check_fits_across_the_window(qtbot: QtBot, shown, scale, language) -> None:  # type: ignore[no-untyped-def]
    window, _clock, _services = shown
    i18n.set_language(language)
    window.ctx.set_setting("text_scale", scale)
    window.resize(1024, 700)
    view = session_past_red_flags(window)
    assert view.stack.currentWidget() is view.before
    QApplication.processEvents()
    viewport = view.scroller.viewport()
    assert view.stack.width() <= viewport.width(), "the pain check is wider than the window"
    check = view.before
    buttons = [*check.back.group.buttons(), *check.leg.group.buttons(), *check.reach_group.buttons()]
    for button in buttons:
        left = button.mapTo(viewport, QPoint(0, 0)).x()
        assert left >= 0 and left + button.width() <= viewport.width(), f"{button.text()!r} is cut off"
        text = QFontMetrics(button.font()).horizontalAdvance(button.text())
        assert text <= button.width(), f"{button.text()!r} doesn't fit its button"
    box = check.numbness
    assert box.mapTo(viewport, QPoint(0, 0)).x() + box.width() <= viewport.width()


def test_a_light_dark_switch_mid_session_recolours_it(qtbot: QtBot, shown) -> None:  # type: ignore[no-untyped-def]
    from sciatica_coach.views.theme import DARK, LIGHT

    window, clock, _services = shown
    window.ctx.set_setting("theme", "light")
    view = started(window)
    run_until(view, clock, lambda: view.runner.status().step is Step.HOLD)  # type: ignore[union-attr]
    panel = view.running
    assert panel.palette().color(panel.backgroundRole()).name() == LIGHT.window
    window.ctx.set_setting("theme", "dark")  # as the system switching to dark would, through apply_appearance
    assert panel.palette().color(panel.backgroundRole()).name() == DARK.window
    assert DARK.accent in panel.step_word.styleSheet() and DARK.text in panel.side_word.styleSheet()
    assert panel.picture.palette().color(panel.picture.foregroundRole()).name() == DARK.text


def test_the_title_names_the_exercise_asked_about(qtbot: QtBot, shown) -> None:  # type: ignore[no-untyped-def]
    window, clock, _services = shown
    view = started(window)
    run_until(view, clock, lambda: view.running.symptom.asking)
    assert view.running.name.text() == "Knee to chest", "not the next exercise, Pelvic tilt"
    assert view.running.position.text() == "Exercise 1 of 2"
    assert "Knee to chest" in view.running.symptom.question.text()
    qtbot.keyClick(view, Qt.Key.Key_2)
    run_until(view, clock, lambda: view.runner.status().step is Step.HOLD)  # type: ignore[union-attr]
    assert view.running.name.text() == "Pelvic tilt"
