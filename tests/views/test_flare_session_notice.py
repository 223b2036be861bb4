"""A session during a flare says it is the flare routine (issue 20, point 5 follow-up): a quiet line, like the
other session notices, in view for the whole run; none outside a flare, or when no flare exercise suits the
person (the usual routine runs then); in German too."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from sciatica_coach import i18n
from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.i18n import _
from sciatica_coach.services import flare
from sciatica_coach.services.routines import flare_routine_today, routine_for_today
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.session_view import SessionView
from tests.helpers import FakeClock, answer_pain, main_window, session_past_red_flags

FLARE_LINE = "Flare plan: a short, gentle session."


def running(view: SessionView) -> SessionView:
    answer_pain(view.before, 4, 4)
    view.before.continue_button.click()
    if view.stack.currentWidget() is view.cautions:
        view.cautions.read_button.click()
    assert view.runner is not None and view.stack.currentWidget() is view.running
    view.runner.timer.stop()
    return view


def test_a_flare_session_says_so_in_a_quiet_line(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    clock = FakeClock()
    flare.start_flare(repo, clock.now().date())
    with main_window(qtbot, repo, clock) as window:
        view = running(session_past_red_flags(window))
        assert view.running.service_note.isVisible()
        assert view.running.service_note.text().splitlines()[0] == FLARE_LINE
        assert view.runner is not None
        gentle = flare_routine_today(repo, load_catalogue())
        assert gentle is not None
        assert [i.exercise_id for i in view.runner.engine.routine.items] == [
            i.exercise_id for i in gentle.items
        ]


def test_no_flare_line_outside_a_flare(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    with main_window(qtbot, repo) as window:
        view = running(session_past_red_flags(window))
        assert FLARE_LINE not in view.running.service_note.text()


def test_no_flare_line_when_no_flare_exercise_suits(qtbot: QtBot, data_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Both directions avoided (not offered by Settings, but possible in old data): the usual routine runs.
    from sciatica_coach.core.model import Direction

    repo = Repository.open(data_dir)
    clock = FakeClock()
    flare.start_flare(repo, clock.now().date())
    monkeypatch.setattr(
        flare, "avoided_directions", lambda _repo: frozenset({Direction.FLEXION, Direction.EXTENSION})
    )
    catalogue = load_catalogue()
    assert flare_routine_today(repo, catalogue) is None
    assert routine_for_today(repo, catalogue, clock.now().date()).items, "the usual routine"
    with main_window(qtbot, repo, clock) as window:
        view = running(session_past_red_flags(window))
        assert FLARE_LINE not in view.running.service_note.text()


def test_the_flare_line_in_german(qtbot: QtBot, data_dir: Path) -> None:
    i18n.set_language("de")
    repo = Repository.open(data_dir)
    clock = FakeClock()
    flare.start_flare(repo, clock.now().date())
    with main_window(qtbot, repo, clock) as window:
        view = running(session_past_red_flags(window))
        first = view.running.service_note.text().splitlines()[0]
        assert first == _(FLARE_LINE) == "Plan für einen Schub: eine kurze, sanfte Einheit."
