"""Issue 15, point 3: you can see your own answers. A chosen Yes/No on the red-flag questions and a chosen
leg reach are drawn on the accent colour (at least 3:1 against an unchosen answer, light and dark), they are
radio buttons to a screen reader, nothing is chosen beforehand, and a button you cannot press yet looks it."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from sciatica_coach.core.model import LegReach
from sciatica_coach.views.pain_check import PainCheck
from sciatica_coach.views.safety_pages import RedFlagPage
from sciatica_coach.views.theme import Colors, apply_theme
from tests.helpers import answer_pain
from tests.views.test_contrast import LARGE_OR_MARK, contrast


def themed(mode: str) -> Colors:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return apply_theme(app, mode)


def shown(qtbot: QtBot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.resize(1100, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def fill(button: QAbstractButton) -> str:
    """The colour covering most of the button: its background."""
    image = button.grab().toImage()
    pixels = Counter(
        image.pixelColor(x, y).name() for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
    )
    return pixels.most_common(1)[0][0]


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_a_chosen_red_flag_answer_looks_chosen(qtbot: QtBot, mode: str) -> None:
    colors = themed(mode)
    page = shown(qtbot, RedFlagPage())
    assert isinstance(page, RedFlagPage)
    question = page.questions[0]
    no, yes = question.buttons
    before = fill(no)
    question.answer(False)
    qtbot.wait(10)
    assert fill(no) == colors.accent
    assert contrast(fill(no), fill(yes)) >= LARGE_OR_MARK
    assert fill(yes) == before  # the other answer stays as it was


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_a_chosen_leg_reach_looks_chosen(qtbot: QtBot, mode: str) -> None:
    colors = themed(mode)
    check = shown(qtbot, PainCheck("How is it?", "Before we start"))
    assert isinstance(check, PainCheck)
    knee = check.reach_group.button(list(LegReach).index(LegReach.KNEE))
    foot = check.reach_group.button(list(LegReach).index(LegReach.FOOT))
    assert fill(knee) == fill(foot)
    check.set_reach(LegReach.KNEE)
    qtbot.wait(10)
    assert fill(knee) == colors.accent
    assert contrast(fill(knee), fill(foot)) >= LARGE_OR_MARK


def test_nothing_is_chosen_beforehand_and_the_check_waits_for_the_leg_reach(qtbot: QtBot) -> None:
    themed("light")
    check = shown(qtbot, PainCheck("How is it?", "Before we start"))
    assert isinstance(check, PainCheck)
    assert check.reach_group.checkedId() == -1
    assert not any(button.isChecked() for button in check.reach_group.buttons())
    sent: list[object] = []
    check.submitted.connect(sent.append)
    check.back.set_value(2)
    check.leg.set_value(3)
    assert check.report() is None
    assert not check.continue_button.isEnabled() and check.hint.isVisible()
    assert "how far down the leg" in check.hint.text()
    check.continue_button.click()
    assert sent == []  # a skipped leg reach is never stored as "no leg symptoms"
    check.set_reach(LegReach.NONE)
    assert check.continue_button.isEnabled() and not check.hint.isVisible()
    check.continue_button.click()
    [report] = sent
    assert report.reach is LegReach.NONE  # type: ignore[attr-defined]


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_a_button_you_cannot_press_yet_looks_it(qtbot: QtBot, mode: str) -> None:
    colors = themed(mode)
    check = shown(qtbot, PainCheck("How is it?", "Before we start"))
    assert isinstance(check, PainCheck)
    assert not check.continue_button.isEnabled()
    disabled = fill(check.continue_button)
    answer_pain(check, 2, 3)
    qtbot.wait(10)
    enabled = fill(check.continue_button)
    assert enabled == colors.accent
    assert contrast(disabled, enabled) >= LARGE_OR_MARK


def test_answers_are_radio_buttons_to_a_screen_reader(qtbot: QtBot) -> None:
    themed("light")
    check = shown(qtbot, PainCheck("How is it?", "Before we start"))
    page = shown(qtbot, RedFlagPage())
    assert isinstance(check, PainCheck) and isinstance(page, RedFlagPage)
    groups = [check.back.group, check.leg.group, check.reach_group, *page.groups.values()]
    for group in groups:
        first = group.buttons()[0]
        told = QAccessible.queryAccessibleInterface(first)
        assert told.role() == QAccessible.Role.RadioButton, first.accessibleName()
        assert told.state().checkable and not told.state().checked
        first.click()
        assert QAccessible.queryAccessibleInterface(first).state().checked
        assert not QAccessible.queryAccessibleInterface(group.buttons()[1]).state().checked
