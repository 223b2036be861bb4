"""Issue 20 follow-up: once the person has said which leg has the sciatica, Today's and the Routine page's
session length and exercise lists count the nerve glide on that leg only, as the session does it; Today's
estimate keeps the glide in the first hours after getting up (the session leaves it out and says so)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from sciatica_coach import i18n
from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.engine import planned_duration_s
from sciatica_coach.core.model import Dose, Phase, Routine, RoutineItem, SideMode
from sciatica_coach.services import reminders, routines
from sciatica_coach.services.plans import save_routine
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.routine_page import RoutinePage
from sciatica_coach.views.session_view import SessionView
from sciatica_coach.views.today_page import TodayPage, duration_text
from tests.helpers import FakeClock, answer_pain, main_window, session_past_red_flags

LONDON = ZoneInfo("Europe/London")
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=LONDON)
# A long glide on each side, so one side less is minutes less, not seconds.
ROUTINE = Routine(
    Phase.STRENGTH,
    (
        RoutineItem("bridge", Dose(5, 5, 1, 3, 0), SideMode.BOTH),
        RoutineItem("nerve-glide", Dose(3, 10, 2, 2, 30), SideMode.LEFT_THEN_RIGHT),
    ),
)


@pytest.fixture
def repo(data_dir: Path) -> Repository:
    repo = Repository.open(data_dir)
    save_routine(repo, ROUTINE)
    return repo


@pytest.fixture
def window_at(qtbot: QtBot, repo: Repository) -> Iterator[object]:
    opened = []

    def make(when: datetime = NOON) -> MainWindow:
        context = main_window(qtbot, repo, FakeClock(when))
        opened.append(context)
        window = context.__enter__()
        QApplication.processEvents()  # Today's list is filled just after the page first shows
        return window

    yield make
    for context in opened:
        context.__exit__(None, None, None)


def today(window: MainWindow) -> TodayPage:
    page = window.page("today")
    assert isinstance(page, TodayPage)
    return page


def session_seconds(window: MainWindow, repo: Repository) -> int:
    """The planned length of the routine the session really runs (past its opening checks)."""
    view = session_past_red_flags(window)
    answer_pain(view.before, 2, 2)
    view.before.continue_button.click()
    if view.stack.currentWidget() is view.cautions:
        view.cautions.read_button.click()
    assert isinstance(view, SessionView) and view.runner is not None
    view.runner.timer.stop()
    return planned_duration_s(view.runner.engine.routine, first_get_ready_s=repo.setting("get_ready_s"))


def row_words(page: TodayPage) -> list[str]:
    return [
        " / ".join(label.text() for label in words.findChildren(QLabel))
        for _thumb, words in page._exercise_rows
    ]


def both_sides_s(repo: Repository) -> int:
    return planned_duration_s(ROUTINE, first_get_ready_s=repo.setting("get_ready_s"))


@pytest.mark.parametrize("side", ["left", "right"])
def test_today_counts_the_glide_on_the_affected_leg_only(window_at, repo, side: str) -> None:  # type: ignore[no-untyped-def]
    repo.set_setting("affected_side", side)
    window = window_at()
    shown = today(window).duration.text()
    glide_row = row_words(today(window))[1]
    assert f"{side} leg only" in glide_row and "each side" not in glide_row, glide_row
    real = session_seconds(window, repo)
    assert real < both_sides_s(repo) - 120, "the session does the glide on one leg"
    assert shown == f"{duration_text(real)} · 2 exercises"
    assert reminders.session_length_s(repo, NOON.date()) == real, "the reminder says the same length"


def test_while_the_leg_is_not_set_today_counts_both_sides(window_at, repo) -> None:  # type: ignore[no-untyped-def]
    window = window_at()
    assert today(window).duration.text() == f"{duration_text(both_sides_s(repo))} · 2 exercises"
    assert "each side" in row_words(today(window))[1]
    assert session_seconds(window, repo) == both_sides_s(repo)


def test_both_legs_counts_both_sides(window_at, repo) -> None:  # type: ignore[no-untyped-def]
    repo.set_setting("affected_side", "both")
    window = window_at()
    assert today(window).duration.text() == f"{duration_text(both_sides_s(repo))} · 2 exercises"


def test_soon_after_getting_up_today_still_counts_the_glide(window_at, repo) -> None:  # type: ignore[no-untyped-def]
    """Today does not know when the session will start: its estimate keeps the glide (on the one leg), the
    longer of the two; a session started in the window leaves it out and says so."""
    repo.set_setting("affected_side", "left")
    repo.set_setting("usually_up_by", "07:00")
    window = window_at(NOON.replace(hour=8))
    one_leg = routines.on_the_affected_side(repo, load_catalogue(), ROUTINE)
    expected = planned_duration_s(one_leg, first_get_ready_s=repo.setting("get_ready_s"))
    assert today(window).duration.text() == f"{duration_text(expected)} · 2 exercises"
    assert session_seconds(window, repo) < expected, "the session itself leaves the glide out"


def test_the_routine_page_length_and_list_follow_the_leg(window_at, repo) -> None:  # type: ignore[no-untyped-def]
    window = window_at()
    window.show_page("routine")
    page = window.page("routine")
    assert isinstance(page, RoutinePage)
    both = f"About {routines.duration_words(both_sides_s(repo))} per session"
    assert page.exercises.duration_label.text() == both
    assert "each side" in page.exercises.list.item(1).text()
    window.ctx.set_setting("affected_side", "right")  # as Settings saves it
    assert "right leg only" in page.exercises.list.item(1).text()
    real = session_seconds(window, repo)
    assert (
        page.exercises.duration_label.text() == f"About {routines.duration_words(real)} per session" != both
    )
    assert not page.exercises.is_dirty(), "the draft is not changed by the setting"


def test_the_leg_words_are_in_german(window_at, repo) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("de")
    repo.set_setting("affected_side", "left")
    glide_row = row_words(today(window_at()))[1]
    assert i18n._("{dose} · left leg only") != "{dose} · left leg only"
    assert "leg only" not in glide_row and "nur linkes Bein" in glide_row, glide_row
