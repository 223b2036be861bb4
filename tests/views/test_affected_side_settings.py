"""The affected side and "usually up by" (issue 20, point 7): chosen in Settings, kept in a backup, named in the
report, and used by a session (the nerve glide on that leg only; left out soon after getting up, said once)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot

from sciatica_coach import i18n
from sciatica_coach.core.affected_side import LEFT_OUT_THIS_MORNING, SIDE_QUESTION, UP_BY_QUESTION
from sciatica_coach.core.engine import Step, build_plan
from sciatica_coach.core.model import Dose, Phase, Routine, RoutineItem, Side, SideMode
from sciatica_coach.i18n import _
from sciatica_coach.platform import locale_support
from sciatica_coach.platform.locale_support import clock_time
from sciatica_coach.services.plans import save_routine
from sciatica_coach.services.report_data import gather
from sciatica_coach.storage.backup import read_backup, restore, write_backup
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.session_view import SessionView
from sciatica_coach.views.settings_page import SettingsPage
from tests.helpers import FakeClock, answer_pain, main_window, session_past_red_flags

LONDON = ZoneInfo("Europe/London")
ROUTINE = Routine(
    Phase.STRENGTH,
    (
        RoutineItem("bridge", Dose(2, 1, 1, 1, 0), SideMode.BOTH),
        RoutineItem("nerve-glide", Dose(3, 2, 1, 2, 0), SideMode.LEFT_THEN_RIGHT),
    ),
)


def settings_page(window: MainWindow) -> SettingsPage:
    window.show_page("settings")
    page = window.page("settings")
    assert isinstance(page, SettingsPage)
    return page


def choose(page: SettingsPage, side: str | None, up_by: str | None) -> None:
    page.affected_side.setCurrentIndex(page.affected_side.findData(side))
    page.up_by.setCurrentIndex(page.up_by.findData(up_by))


def test_both_settings_are_saved_and_shown_again(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    with main_window(qtbot, repo) as window:
        page = settings_page(window)
        assert page.affected_side.currentData() is None and page.affected_side.currentText() == "Not set yet"
        assert page.up_by.currentData() is None
        assert [page.affected_side.itemData(i) for i in range(4)] == [None, "left", "right", "both"]
        choose(page, "left", "07:30")
        assert repo.setting("affected_side") == "left" and repo.setting("usually_up_by") == "07:30"
    with main_window(qtbot, Repository.open(data_dir)) as again:
        page = settings_page(again)
        assert page.affected_side.currentText() == "Left leg"
        assert page.up_by.currentText() == clock_time(time(7, 30))  # as the locale writes times


@pytest.mark.parametrize("stored", ["06:45", "12:05"])
def test_a_stored_time_between_the_choices_is_shown_as_it_is(
    qtbot: QtBot, data_dir: Path, stored: str
) -> None:
    repo = Repository.open(data_dir)
    repo.set_setting("usually_up_by", stored)
    with main_window(qtbot, repo) as window:
        page = settings_page(window)
        assert page.up_by.currentData() == stored
        assert page.up_by.currentText() == clock_time(
            time.fromisoformat(stored)
        )  # as the locale writes times


@pytest.mark.parametrize(
    ("stored", "kept"), [("sideways", None), ("25:00", None), (7, None), ("both", "both")]
)
def test_hand_edited_values_read_as_not_set(data_dir: Path, stored: object, kept: object) -> None:
    repo = Repository.open(data_dir)
    repo.set_setting("affected_side", stored)
    repo.set_setting("usually_up_by", stored)
    assert repo.setting("affected_side") == kept
    assert repo.setting("usually_up_by") is None


def test_the_settings_are_in_a_backup_and_come_back_with_it(data_dir: Path, tmp_path: Path) -> None:
    repo = Repository.open(data_dir)
    repo.set_setting("affected_side", "right")
    repo.set_setting("usually_up_by", "06:30")
    now = datetime(2026, 3, 2, 12, 0, tzinfo=LONDON)
    target = tmp_path / "elsewhere" / "backup.json"
    target.parent.mkdir()
    write_backup(data_dir, target, now)
    repo.set_setting("affected_side", None)
    repo.set_setting("usually_up_by", None)
    repo.close()
    restore(data_dir, read_backup(target), now)
    back = Repository.open(data_dir)
    assert back.setting("affected_side") == "right" and back.setting("usually_up_by") == "06:30"


@pytest.mark.parametrize(
    ("stored", "line"), [("left", "Affected side: left"), (None, "Affected side: not set")]
)
def test_the_report_names_the_affected_side(data_dir: Path, stored: str | None, line: str) -> None:
    repo = Repository.open(data_dir)
    repo.set_setting("affected_side", stored)
    assert f"Affected side: {gather(repo, FakeClock()).affected_side}" == line


def test_the_report_pdf_has_the_line(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    from tests.test_report import _report_text

    repo = Repository.open(data_dir)
    repo.set_setting("affected_side", "both")
    assert "Affected side: both" in _report_text(repo, tmp_path)


# ---- the session ---------------------------------------------------------------------------------------
@pytest.fixture
def repo(data_dir: Path) -> Repository:
    repo = Repository.open(data_dir)
    save_routine(repo, ROUTINE)
    return repo


@pytest.fixture
def window_at(qtbot: QtBot, repo: Repository) -> Iterator[object]:
    windows = []

    def make(hour: int, minute: int = 0) -> MainWindow:
        context = main_window(qtbot, repo, FakeClock(datetime(2026, 3, 2, hour, minute, tzinfo=LONDON)))
        windows.append(context)
        return context.__enter__()

    yield make
    for context in windows:
        context.__exit__(None, None, None)


def run_session(window: MainWindow) -> SessionView:
    """Past the opening checks and the cautions, to the running exercises."""
    view = session_past_red_flags(window)
    answer_pain(view.before, 2, 2)
    view.before.continue_button.click()
    if view.stack.currentWidget() is view.cautions:
        view.cautions.read_button.click()
    assert view.runner is not None and view.stack.currentWidget() is view.running
    view.runner.timer.stop()
    return view


def exercise_ids(view: SessionView) -> list[str]:
    assert view.runner is not None
    return [item.exercise_id for item in view.runner.engine.routine.items]


def test_the_glide_is_left_out_soon_after_getting_up_and_the_session_says_so(window_at, repo) -> None:  # type: ignore[no-untyped-def]
    repo.set_setting("usually_up_by", "07:00")
    repo.set_setting("affected_side", "left")
    view = run_session(window_at(8, 59))
    assert exercise_ids(view) == ["bridge"]
    assert view.running.service_note.isVisible()
    assert view.running.service_note.text() == _(LEFT_OUT_THIS_MORNING)


def test_two_hours_after_getting_up_the_glide_runs_on_the_affected_leg_only(window_at, repo) -> None:  # type: ignore[no-untyped-def]
    repo.set_setting("usually_up_by", "07:00")
    repo.set_setting("affected_side", "right")
    view = run_session(window_at(9, 0))
    assert exercise_ids(view) == ["bridge", "nerve-glide"]
    assert view.runner is not None
    glide = view.runner.engine.routine.items[1]
    assert glide.only_side is Side.RIGHT
    assert not view.running.service_note.isVisible()
    holds = [step.side for step in build_plan([glide]) if step.step is Step.HOLD]
    assert holds == [Side.RIGHT, Side.RIGHT]


def test_while_not_set_the_glide_runs_on_both_sides_and_the_session_asks_gently(window_at, repo) -> None:  # type: ignore[no-untyped-def]
    view = run_session(window_at(8, 0))
    assert exercise_ids(view) == ["bridge", "nerve-glide"]
    assert view.runner is not None and view.runner.engine.routine.items[1].only_side is Side.NONE
    assert view.running.service_note.text().splitlines() == [_(SIDE_QUESTION), _(UP_BY_QUESTION)]


def test_the_words_are_in_german(window_at, repo) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("de")
    repo.set_setting("usually_up_by", "07:00")
    view = run_session(window_at(8, 0))
    assert view.running.service_note.text() == _(LEFT_OUT_THIS_MORNING) != LEFT_OUT_THIS_MORNING
    page = settings_page(view.window())  # type: ignore[arg-type]
    assert page.affected_side.itemText(1) == _("Left leg") != "Left leg"


@pytest.mark.parametrize(
    ("name", "seven_thirty"), [("en_US", "7:30\u202fAM"), ("de_DE", "07:30"), ("C", "07:30")]
)
def test_usually_up_by_is_written_as_the_locale_writes_times(
    qtbot: QtBot, data_dir: Path, name: str, seven_thirty: str
) -> None:
    locale_support.reset_language()
    QLocale.setDefault(QLocale(name))  # the autouse fresh_ui_state puts the system's back
    with main_window(qtbot, Repository.open(data_dir)) as window:
        page = settings_page(window)
        shown = page.up_by.itemText(page.up_by.findData("07:30"))
    assert shown.replace(" ", "\u202f") == seven_thirty.replace(" ", "\u202f")
