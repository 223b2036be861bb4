"""The red-flag questions and their result in the real session view and main window: one test per question
(its tier and the advice shown), the "see a doctor soon" pause until a doctor has cleared it, new numbness
bringing the questions back, the keys, Today's pause card and the country setting."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sciatica_coach import i18n
from sciatica_coach.core.model import Dose, Phase, Routine, RoutineItem, SafetyEventKind, SideMode
from sciatica_coach.core.red_flags import RED_FLAGS, Tier
from sciatica_coach.services import safety_state
from sciatica_coach.services.plans import save_routine
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.settings_page import SettingsPage
from sciatica_coach.views.today_page import TodayPage
from tests.core.test_red_flags import EXPECTED_TIERS
from tests.helpers import (
    FakeClock,
    answer_pain,
    answer_red_flags,
    fake_services,
    main_window,
    safety_events,
    session_past_guidance,
)

SHORT = Routine(Phase.MOBILITY, (RoutineItem("prone-on-elbows", Dose(2, 1, 1, 1, 0), SideMode.BOTH),))
HEADINGS = {
    Tier.EMERGENCY: "Please get medical help now",
    Tier.URGENT: "Please see a doctor today",
    Tier.SEE_DOCTOR_SOON: "Please see a doctor before you go on",
}


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[MainWindow]:
    repo = Repository.open(data_dir)
    save_routine(repo, SHORT)
    repo.set_setting("country", "GB")  # the words below name the UK's numbers, whatever LANG says
    with main_window(qtbot, repo) as window:
        yield window


@pytest.mark.parametrize("flag_id", list(EXPECTED_TIERS))
def test_each_question_shows_its_tier_advice_and_the_number(window: MainWindow, flag_id: str) -> None:
    view = session_past_guidance(window)
    answer_red_flags(view, yes=(flag_id,))
    tier = EXPECTED_TIERS[flag_id]
    assert view.stack.currentWidget() is view.triage and view.runner is None
    assert view.triage.heading.text() == HEADINGS[tier]
    body = view.triage.body.text()
    assert "999" in body and view.triage.number.text() == "999"
    assert "simple cause" not in body
    assert view.triage.cleared_button.isVisibleTo(view.triage) is (tier is Tier.SEE_DOCTOR_SOON)
    [event] = safety_events(window, SafetyEventKind.RED_FLAG_ANSWERS)
    assert event.flags == (flag_id,) and event.detail == safety_state.TIER_DETAIL[tier]
    assert safety_state.coaching_pause(window.ctx.repo, window.ctx.clock.now().date()) is tier


def test_all_no_goes_on_to_the_pain_check_and_is_recorded(window: MainWindow) -> None:
    view = session_past_guidance(window)
    answer_red_flags(view)
    assert view.stack.currentWidget() is view.before
    [event] = safety_events(window, SafetyEventKind.RED_FLAG_ANSWERS)
    assert event.flags == () and event.detail == "none"


def test_the_question_page_groups_every_question_by_tier(window: MainWindow) -> None:
    view = session_past_guidance(window)
    page = view.red_flags
    assert [q.flag.id for q in page.questions] == [flag.id for flag in RED_FLAGS]
    texts = [w.text() for w in page.list.findChildren(type(page.progress)) if w.text()]
    for heading in ("Feeling and control", "Your leg and your pain", "Your general health"):
        assert heading in texts
    for question in page.questions:
        for button in question.buttons:
            assert button.accessibleName().endswith(question.flag.question)
            assert button.minimumHeight() >= 56 and button.minimumWidth() >= 120, "big enough from the floor"


def test_keys_answer_the_question_in_focus_and_move_on(qtbot: QtBot, window: MainWindow) -> None:
    view = session_past_guidance(window)
    page = view.red_flags
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: page.current_index() == 0 and page.questions[0].buttons[0].hasFocus())
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, Qt.Key.Key_N)
    assert page.questions[0].value() is False and page.current_index() == 1
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1)  # 1 = No
    assert page.questions[1].value() is False and page.current_index() == 2
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Up)
    assert page.current_index() == 1
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert page.current_index() == 3
    for _ in range(len(page.questions)):
        if page.answers() is not None:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_N)
    assert page.answers() is not None and page.continue_button.hasFocus()
    assert page.questions[2].value() is False, "the question skipped with the arrows was asked in the end"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert view.stack.currentWidget() is view.before


def test_y_or_2_answers_yes(qtbot: QtBot, window: MainWindow) -> None:
    view = session_past_guidance(window)
    page = view.red_flags
    window.activateWindow()
    qtbot.waitUntil(page.questions[0].buttons[0].hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Y)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2)
    assert [page.questions[0].value(), page.questions[1].value()] == [True, True]


def test_see_a_doctor_soon_pauses_until_a_doctor_has_cleared_it(window: MainWindow) -> None:
    clock = window.ctx.clock
    view = session_past_guidance(window)
    answer_red_flags(view, yes=("cancer",))
    view.triage.back_button.click()
    clock.advance(3 * 24 * 3600)  # days later, no doctor yet: still paused, same advice
    view = session_past_guidance(window)
    assert view.stack.currentWidget() is view.triage
    assert view.triage.heading.text() == HEADINGS[Tier.SEE_DOCTOR_SOON]
    view.triage.cleared_button.click()
    assert view.stack.currentWidget() is view.before, "the check was done this week: on to the pain check"
    [cleared] = safety_events(window, SafetyEventKind.DOCTOR_CLEARED)
    assert cleared.flags == ("cancer",)
    view.triage.back_button.click()
    window.close_session()
    clock.advance(8 * 24 * 3600)  # the weekly check: the cleared question is not asked again
    view = session_past_guidance(window)
    assert "cancer" not in view.red_flags.groups and len(view.red_flags.groups) == len(RED_FLAGS) - 1
    answer_red_flags(view)
    assert view.stack.currentWidget() is view.before


def test_an_emergency_pauses_today_only_and_asks_everything_again(window: MainWindow) -> None:
    clock = window.ctx.clock
    view = session_past_guidance(window)
    answer_red_flags(view, yes=("bladder",))
    view.triage.back_button.click()
    assert session_past_guidance(window).stack.currentWidget() is window.session_view.triage  # type: ignore[union-attr]
    window.close_session()
    clock.advance(24 * 3600)
    view = session_past_guidance(window)
    assert len(view.red_flags.groups) == len(RED_FLAGS), "the next day every question comes back first"


@pytest.mark.parametrize("when", ["before", "after"])
def test_new_numbness_at_a_pain_check_brings_the_questions_back(window: MainWindow, when: str) -> None:
    view = session_past_guidance(window)
    answer_red_flags(view)  # this week's check done
    check = view.before
    if when == "after":
        answer_pain(check, 1, 1)
        check.continue_button.click()
        if view.stack.currentWidget() is view.cautions:  # the exercise's cautions, shown before its first use
            view.cautions.read_button.click()
        assert view.runner is not None
        view.end_now()
        check = view.after
    answer_pain(check, 1, 1)
    check.numbness.setChecked(True)
    check.continue_button.click()
    assert "999" in view.stop.body.text() and "NHS 111" in view.stop.body.text()
    assert safety_events(window, SafetyEventKind.NEW_NUMBNESS)
    view.stop.button.click()
    again = session_past_guidance(window)
    assert again.stack.currentWidget() is again.red_flags, "the safety questions come back before coaching"


def test_today_says_why_coaching_and_reminders_are_paused(window: MainWindow) -> None:
    today = window.page("today")
    assert isinstance(today, TodayPage)
    QApplication.processEvents()
    assert today.pause_card.isHidden()
    view = session_past_guidance(window)
    answer_red_flags(view, yes=("saddle-numbness",))
    view.triage.back_button.click()
    QApplication.processEvents()
    assert not today.pause_card.isHidden()
    assert today.pause_heading.text() == HEADINGS[Tier.EMERGENCY]
    assert "reminders are paused" in today.pause_reason.text()
    assert "999" in today.pause_number.text() and "A&E" in today.pause_advice.text()
    window.ctx.clock.advance(24 * 3600)
    today.refresh()
    assert today.pause_card.isHidden(), "the next day the card goes (the questions come back first)"


def test_the_country_setting_changes_the_numbers(qtbot: QtBot, window: MainWindow) -> None:
    settings = window.page("settings")
    assert isinstance(settings, SettingsPage)
    assert settings.country.currentData() == "GB"
    settings.country.setCurrentIndex(settings.country.findData("DE"))
    assert window.ctx.repo.setting("country") == "DE"
    view = session_past_guidance(window)
    answer_red_flags(view, yes=("saddle-numbness",))
    assert view.triage.number.text() == "112"
    assert "call 112" in view.triage.body.text() and "116 117" not in view.triage.body.text()


@pytest.mark.parametrize(("lang", "code"), [("de_DE.UTF-8", "DE"), ("en_US.UTF-8", "US"), ("C", "other")])
def test_the_country_follows_the_system_locale_until_chosen(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch, lang: str, code: str
) -> None:
    for variable in ("LC_ALL", "LC_TELEPHONE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", lang)
    repo = Repository.open(data_dir)
    window = MainWindow(AppContext(repo, FakeClock(), fake_services()))
    qtbot.addWidget(window)
    settings = window.page("settings")
    assert isinstance(settings, SettingsPage)
    assert settings.country.currentData() == code
    assert repo.setting("country") is None, "nothing is stored until the person chooses"


def test_german_for_germany_names_112_and_the_notaufnahme(window: MainWindow) -> None:
    window.ctx.repo.set_setting("country", "DE")
    i18n.set_language("de")
    view = session_past_guidance(window)
    yes_button = view.red_flags.questions[0].buttons[1]
    assert yes_button.text() == "Ja (J)" and yes_button.toolTip() == "Taste J / 2"
    answer_red_flags(view, yes=("bowel",))
    body = view.triage.body.text()
    assert "112" in body and "Notaufnahme" in body and "116 117" not in body


def test_the_guidance_note_names_the_number(window: MainWindow) -> None:
    window.start_session()
    view = window.session_view
    assert view is not None and view.stack.currentWidget() is view.guidance
    texts = " ".join(label.text() for label in view.guidance.findChildren(type(view.triage.body)))
    assert "call 999" in texts and "A&E" in texts
