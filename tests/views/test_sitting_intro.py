"""Today's one-screen introduction to sitting breaks (views/sitting_intro.py): shown until answered, its two
answers, the settings it names, German, a failed save, and its buttons fitting a narrow window at large text."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtWidgets import QApplication

from sciatica_coach.platform import locale_support
from sciatica_coach.platform.locale_support import clock_time, week_order, weekday_name
from sciatica_coach.storage.repository import DataError, Repository
from sciatica_coach.views.sitting_intro import SITTING_INTRO_STATE, SittingIntroCard, days_words, intro_words
from sciatica_coach.views.today_page import TodayPage
from tests.helpers import main_window

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from sciatica_coach.views.main_window import MainWindow


def intro_of(window: MainWindow) -> SittingIntroCard:
    """Today's introduction card, once Today has filled itself in (just after the first paint)."""
    today = window.page("today")
    assert isinstance(today, TodayPage)
    QApplication.processEvents()
    today.refresh()
    assert today.sitting_intro is not None
    return today.sitting_intro


def test_shown_until_turned_on_and_then_never_again(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    with main_window(qtbot, repo) as window:
        card = intro_of(window)
        assert card.isVisible()
        today = window.page("today")
        assert today.body.indexOf(card) < today.body.indexOf(today.exercise_grid.parentWidget())  # type: ignore[attr-defined]
        settings = window.page("settings")  # built before the answer: it must follow
        card.turn_on_button.click()
        assert not card.isVisible()
        assert repo.setting("sitting_breaks_on") is True
        assert repo.state(SITTING_INTRO_STATE) is True
        assert settings.sitting.on.isChecked()  # type: ignore[attr-defined]
        settings.sitting.on.click()  # type: ignore[attr-defined]  # switched off again in Settings later
        intro_of(window)
        assert not card.isVisible()  # answered: not asked again


def test_not_now_leaves_breaks_off_and_is_remembered(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    with main_window(qtbot, repo) as window:
        card = intro_of(window)
        card.not_now_button.click()
        assert not card.isVisible()
        assert repo.setting("sitting_breaks_on") is False and repo.state(SITTING_INTRO_STATE) is True
    repo.close()
    repo = Repository.open(data_dir)  # the next start
    with main_window(qtbot, repo) as window:
        assert not intro_of(window).isVisible()


def test_not_shown_when_breaks_were_already_turned_on_in_settings(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.set_setting("sitting_breaks_on", True)
    with main_window(qtbot, repo) as window:
        assert not intro_of(window).isVisible()


def test_breaks_found_in_settings_need_no_introduction_even_once_off_again(
    qtbot: QtBot, data_dir: Path
) -> None:
    repo = Repository.open(data_dir)
    with main_window(qtbot, repo) as window:
        card = intro_of(window)
        assert card.isVisible()
        settings = window.page("settings")
        settings.sitting.on.click()  # type: ignore[attr-defined]  # on
        assert not card.isVisible()
        settings.sitting.on.click()  # type: ignore[attr-defined]  # and off again
        assert repo.setting("sitting_breaks_on") is False
        intro_of(window)
        assert not card.isVisible()


def test_the_words_name_the_settings_breaks_start_with(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    why, what, when, care = intro_words(repo.settings())
    assert "keep sciatica grumbling" in why
    assert "after every 30 minutes you use the computer" in what and "never locks the screen" in what
    days = f"{weekday_name(0)} to {weekday_name(4)}"  # in the locale's language (the system's, in tests)
    assert f"({days}, {clock_time(time(8, 0))} to {clock_time(time(18, 0))})" in when
    assert "during your exercise sessions" in when and "fills the screen" in when
    assert "don't push through it" in care
    repo.set_setting("sitting_interval_min", 45)
    repo.set_setting("sitting_work_days", [0, 2, 4])
    repo.set_setting("sitting_work_start", "09:00")
    repo.set_setting("sitting_work_end", "09:00")
    _why, what, when, _care = intro_words(repo.settings())
    assert "every 45 minutes" in what
    assert f"({weekday_name(0)}, {weekday_name(2)}, {weekday_name(4)}, all day)" in when


def test_days_in_words() -> None:
    mon, tue, wed, fri, sat, sun = (weekday_name(d) for d in (0, 1, 2, 4, 5, 6))
    assert days_words(set(range(7))) == "every day"
    assert days_words({0, 1, 2, 3, 4}) == f"{mon} to {fri}"
    assert days_words({1, 2}) == f"{tue}, {wed}"  # two days: named, not a run
    assert days_words({0, 2, 4}) == f"{mon}, {wed}, {fri}"
    saturday_to_monday = days_words({5, 6, 0})
    if week_order()[0] == 0:  # a week from Monday: these three days are not a run in it
        assert saturday_to_monday == f"{mon}, {sat}, {sun}"
    elif week_order()[0] == 6:  # a week from Sunday (en_US)
        assert saturday_to_monday == f"{sun}, {mon}, {sat}"
    else:  # from Saturday
        assert saturday_to_monday == f"{sat} to {mon}"


def test_days_in_words_follow_the_week_of_the_app_language() -> None:
    locale_support.apply_language("de")  # a German week starts on Monday
    assert days_words({0, 1, 2, 3, 4}) == "Montag bis Freitag"
    assert days_words({5, 6, 0}) == "Montag, Samstag, Sonntag"


def test_in_german(qtbot: QtBot, data_dir: Path) -> None:
    locale_support.apply_language("de")
    repo = Repository.open(data_dir)
    with main_window(qtbot, repo) as window:
        card = intro_of(window)
        words = [card.heading.text(), *(p.text() for p in card.paragraphs)]
        assert words[0] == "Sitzpausen: eine Erinnerung zum Aufstehen"
        assert "Montag bis Freitag, 08:00 bis 18:00" in words[3]
        assert "jeweils 30 Minuten" in words[2]
        assert card.turn_on_button.accessibleName() == "Sitzpausen einschalten"
        assert card.not_now_button.text() == "Jetzt nicht"


def test_a_failed_save_is_reported_and_the_answer_still_counts(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Repository.open(data_dir)
    with main_window(qtbot, repo) as window:
        card = intro_of(window)

        def full_disk(key: str, value: object) -> None:
            raise DataError("The disk is full.")

        monkeypatch.setattr(repo, "set_state", full_disk)
        with qtbot.waitSignal(window.ctx.save_failed) as told:
            card.not_now_button.click()
        assert told.args == ["The disk is full."]
        assert not card.isVisible()


@pytest.mark.parametrize(("scale", "size", "columns"), [(200, (760, 540), 1), (100, (1280, 800), 2)])
def test_the_buttons_fit_the_window(
    qtbot: QtBot, data_dir: Path, scale: int, size: tuple[int, int], columns: int
) -> None:
    """At 200 % text in the smallest window the buttons go one under the other and the card is no wider than
    the page; with room, side by side."""
    from sciatica_coach.views.theme import card_room

    repo = Repository.open(data_dir)
    repo.set_setting("text_scale", scale)
    with main_window(qtbot, repo) as window:
        window.resize(*size)
        window.apply_appearance()
        card = intro_of(window)
        today = window.page("today")
        assert isinstance(today, TodayPage)
        for _ in range(3):
            QApplication.processEvents()
        assert card.buttons.columns == columns
        room = card_room(today)
        assert (
            card.turn_on_button.sizeHint().width() <= room and card.not_now_button.sizeHint().width() <= room
        )
        assert card.minimumSizeHint().width() <= room + 2 * 22 + 2  # its margins and border
