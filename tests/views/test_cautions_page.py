"""Cautions before an exercise is first done, the stop rule always in view, and words with the right drawing
in the running session (issue 14, points 3 and 4)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.engine import Step
from sciatica_coach.core.model import Dose, Phase, Routine, RoutineItem, SideMode, SymptomChange
from sciatica_coach.services import cautions
from sciatica_coach.services.plans import save_routine
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.session_view import SessionView
from tests.helpers import FakeClock, answer_pain, fake_services, main_window, session_past_red_flags

ROUTINE = Routine(
    Phase.STRENGTH,
    (
        RoutineItem("pelvic-tilt", Dose(2, 1, 1, 1, 0), SideMode.BOTH),  # no cautions
        RoutineItem("knee-to-chest", Dose(2, 1, 1, 1, 0), SideMode.LEFT_THEN_RIGHT),
        RoutineItem("nerve-glide", Dose(3, 2, 1, 2, 0), SideMode.LEFT_THEN_RIGHT),
    ),
)


@pytest.fixture
def app(qtbot: QtBot, data_dir: Path) -> Iterator[tuple[MainWindow, Repository, FakeClock, object]]:
    repo = Repository.open(data_dir)
    save_routine(repo, ROUTINE)
    clock = FakeClock()
    services = fake_services()
    with main_window(qtbot, repo, clock, services) as window:
        window.resize(1280, 800)
        yield window, repo, clock, services


def open_session(window: MainWindow) -> SessionView:
    """Start a session and answer everything before the cautions: the guidance, no red flags, low pain."""
    view = session_past_red_flags(window)
    assert view.stack.currentWidget() is view.before
    answer_pain(view.before, 2, 2)
    view.before.continue_button.click()
    return view


def end_session(view: SessionView) -> None:
    """End early, answer the pain check after, and close the session."""
    assert view.runner is not None
    view.runner.timer.stop()
    view.end_now()
    assert view.stack.currentWidget() is view.after
    answer_pain(view.after, 2, 2)
    view.after.continue_button.click()
    view.stop.button.click()


def session_ids(view: SessionView) -> list[str]:
    assert view.runner is not None
    return [item.exercise_id for item in view.runner.engine.routine.items]


def test_cautions_come_before_the_first_session_and_only_once(app) -> None:  # type: ignore[no-untyped-def]
    window, repo, _clock, _services = app
    view = open_session(window)
    assert view.stack.currentWidget() is view.cautions
    assert list(view.cautions.leave_out) == ["knee-to-chest", "nerve-glide"], "only exercises with cautions"
    shown = " ".join(label.text() for label in view.cautions.findChildren(type(view.running.name)))
    for exercise_id in ("knee-to-chest", "nerve-glide"):
        for caution in load_catalogue().get(exercise_id).cautions:
            assert caution in shown
    assert "osteoporosis" in shown and "hip replacement" in shown and "never hold" in shown

    view.cautions.read_button.click()
    assert view.stack.currentWidget() is view.running
    assert session_ids(view) == ["pelvic-tilt", "knee-to-chest", "nerve-glide"]
    assert cautions.seen(repo) >= {"knee-to-chest", "nerve-glide"}
    end_session(view)

    view = open_session(window)
    assert view.stack.currentWidget() is view.running, "read once: not shown again"
    end_session(view)


def test_an_exercise_left_out_stays_out_for_the_rest_of_the_day(app) -> None:  # type: ignore[no-untyped-def]
    window, _repo, clock, _services = app
    view = open_session(window)
    view.cautions.leave_out["knee-to-chest"].setChecked(True)
    view.cautions.read_button.click()
    assert session_ids(view) == ["pelvic-tilt", "nerve-glide"]
    end_session(view)

    view = open_session(window)
    assert session_ids(view) == ["pelvic-tilt", "nerve-glide"], "left out for the rest of today"
    end_session(view)

    clock.advance(timedelta(days=1).total_seconds())
    view = open_session(window)
    assert view.stack.currentWidget() is view.running
    assert "knee-to-chest" in session_ids(view), "back the next day, without asking again"
    end_session(view)


def test_leaving_everything_out_says_so_calmly(app) -> None:  # type: ignore[no-untyped-def]
    window, repo, _clock, _services = app
    cautions.leave_out_today(repo, FakeClock().now().date(), ["pelvic-tilt"])
    view = open_session(window)
    for box in view.cautions.leave_out.values():
        box.setChecked(True)
    view.cautions.read_button.click()
    assert view.runner is None
    assert view.stack.currentWidget() is view.stop
    assert view.stop.heading.text() == "Nothing left for today"


FOUR_WITH_CAUTIONS = Routine(
    Phase.STRENGTH,
    tuple(
        RoutineItem(exercise_id, Dose(2, 1, 1, 1, 0), SideMode.BOTH)
        for exercise_id in ("knee-to-chest", "prone-on-elbows", "nerve-glide", "figure-four")
    ),
)


def _settle() -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.processEvents()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_read_button_stays_in_view_with_many_exercises_and_enter_presses_it(
    app, qtbot: QtBot, language: str
) -> None:  # type: ignore[no-untyped-def]
    """With three or more exercises the button was below the fold of a 1280×800 window, and had no key."""
    from PySide6.QtCore import QPoint, Qt

    from sciatica_coach import i18n

    window, repo, _clock, _services = app
    save_routine(repo, FOUR_WITH_CAUTIONS)
    i18n.set_language(language)
    view = open_session(window)
    assert view.stack.currentWidget() is view.cautions
    _settle()
    page, button = view.cautions, view.cautions.read_button
    expected = "I've read these (Enter)" if language == "en" else "Ich habe sie gelesen (Eingabetaste)"
    assert button.text() == expected
    viewport = view.scroller.viewport()
    top = button.mapTo(viewport, QPoint(0, 0)).y()
    assert button.isVisible() and top >= 0 and top + button.height() <= viewport.height()
    assert view.scroller.verticalScrollBar().maximum() == 0, "the page itself does not scroll"
    assert page.scroller.verticalScrollBar().maximum() > 0, "the cards scroll instead"
    page.scroller.verticalScrollBar().setValue(page.scroller.verticalScrollBar().maximum())
    _settle()
    assert button.mapTo(viewport, QPoint(0, 0)).y() == top, "the button stays where it is"

    page.leave_out["figure-four"].setFocus()  # Enter from anywhere on the page, a check box too
    qtbot.keyClick(page.leave_out["figure-four"], Qt.Key.Key_Return)
    assert view.stack.currentWidget() is view.running
    assert cautions.seen(repo) >= {"knee-to-chest", "prone-on-elbows", "nerve-glide", "figure-four"}
    end_session(view)


def run_until(view: SessionView, clock: FakeClock, step: Step, exercise_id: str) -> None:
    runner = view.runner
    assert runner is not None
    runner.timer.stop()
    for _ in range(600):
        status = runner.status()
        if status.step is step and status.item is not None and status.item.exercise_id == exercise_id:
            return
        if getattr(status, "awaiting_answer", None) is not None:  # the after-exercise question waits
            view.running.symptom.buttons[SymptomChange.SAME].click()
        clock.advance(1)
        runner.tick()
    raise AssertionError(f"never reached {step} of {exercise_id}")


def past_half_way(view, clock) -> None:  # type: ignore[no-untyped-def]
    """On to 60 % of the step that is running."""
    status = view.runner.status()
    elapsed = status.step_duration_s - status.remaining_s
    assert elapsed < 0.6 * status.step_duration_s
    clock.advance(0.6 * status.step_duration_s - elapsed)
    view.runner.tick()


def test_the_glide_moves_out_and_back_with_matching_words_pictures_and_the_stop_rule(app) -> None:  # type: ignore[no-untyped-def]
    window, repo, clock, services = app
    cautions.mark_seen(repo, load_catalogue().exercises)
    view = open_session(window)
    glide = load_catalogue().get("nerve-glide")
    panel = view.running

    run_until(view, clock, Step.HOLD, "nerve-glide")
    assert panel.step_word.text() == "MOVE"
    past_half_way(view, clock)  # the figure glides out over the whole move (core/motion.py)
    assert panel.picture.illustration_id() == "nerve-glide-hold" and panel.picture.moving_pose() is not None
    assert "Straighten one knee as you look up." in panel.cue.text()
    assert "Bend the knee" not in panel.cue.text()
    assert panel.stop_rule.text() == glide.stop_if and panel.stop_rule.isVisible()

    run_until(view, clock, Step.REST_REP, "nerve-glide")
    assert panel.step_word.text() == "AND BACK"
    past_half_way(view, clock)
    assert panel.picture.illustration_id() == "nerve-glide-start" and panel.picture.moving_pose() is not None
    assert panel.cue.text() == "Bend the knee back down as you look down."
    assert panel.stop_rule.isVisible()
    said = services.fake_speech.said
    assert "Move slowly." in said and "And back." in said, "spoken cues match: a glide is never 'held'"

    view.set_floor_mode(True)
    size = int(panel.stop_rule.styleSheet().split("font-size: ")[1].split("px")[0])
    cue_size = int(panel.cue.styleSheet().split("font-size: ")[1].split("px")[0])
    assert size >= 0.85 * cue_size, "readable from the floor, about as large as the instructions"
    assert "#ffd54a" in panel.stop_rule.styleSheet(), "amber-edged in floor mode too"
    view.set_floor_mode(False)
    end_session(view)
