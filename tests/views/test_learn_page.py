"""The Learn page and Today's tip (issue 20, point 2), in the real window: every lesson opens full size from
the list and by keyboard, the opened ones are remembered (and kept by a backup), Today suggests one unopened
lesson a day in the first four weeks, "Not now" hides it for the day, and all of it reads in German."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sciatica_coach import i18n
from sciatica_coach.core.lessons import app_lessons
from sciatica_coach.services import lessons as lesson_store
from sciatica_coach.storage.backup import read_backup, restore, write_backup
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.learn_page import LearnPage
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.today_page import TodayPage
from tests.helpers import FakeClock, main_window

DAY_S = 24 * 3600
START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def learn_page(window: MainWindow) -> LearnPage:
    window.go_to_page("learn")
    page = window.page("learn")
    assert isinstance(page, LearnPage)
    return page


def today_page(window: MainWindow) -> TodayPage:
    window.go_to_page("today")
    page = window.page("today")
    assert isinstance(page, TodayPage)
    QApplication.processEvents()
    page.refresh()
    return page


def test_every_lesson_opens_full_size_and_is_remembered(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    with main_window(qtbot, repo, FakeClock(START)) as window:
        page = learn_page(window)
        assert list(page.lesson_buttons) == [lesson.id for lesson in app_lessons()]
        for lesson in app_lessons():
            assert page.lesson_view.isHidden()
            page.lesson_buttons[lesson.id].click()
            assert not page.lesson_view.isHidden() and page.list_card.isHidden()
            assert page.lesson_title.text() == lesson.title
            assert page.drawing.illustration_id() == lesson.drawing
            assert page.drawing.accessibleDescription() == lesson.drawing_description
            for step in lesson.steps:
                assert step in page.steps_label.text()
            assert page.take_care_card.isHidden() == (lesson.take_care is None)
            assert page.back_button.hasFocus() or not window.isActiveWindow()
            page.back_button.click()
        assert lesson_store.opened_lessons(repo) == {lesson.id for lesson in app_lessons()}


def test_escape_goes_back_to_the_list_with_focus_on_the_lesson(qtbot: QtBot, data_dir: Path) -> None:
    with main_window(qtbot, Repository.open(data_dir), FakeClock(START)) as window:
        page = learn_page(window)
        page.lesson_buttons["sleeping"].click()
        qtbot.keyClick(page.back_button, Qt.Key.Key_Escape)
        assert page.lesson_view.isHidden() and not page.list_card.isHidden()
        assert page.current is None


def test_todays_tip_rotates_and_opens_the_lesson(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    clock = FakeClock(START)
    with main_window(qtbot, repo, clock) as window:
        today = today_page(window)
        first = today.lesson_tip.lesson
        assert first is not None and not today.lesson_tip.isHidden()
        assert today.lesson_tip.text.text() == f"Today's tip: {first.title} — about 1 minute"
        clock.advance(DAY_S)
        today.refresh()
        second = today.lesson_tip.lesson
        assert second is not None and second.id != first.id  # a different one the next day
        today.lesson_tip.read_button.click()
        assert window.current_key() == "learn"
        opened = learn_page(window).current
        assert opened is not None and opened.id == second.id
        assert second.id in lesson_store.opened_lessons(repo)
        today = today_page(window)
        for _day in range(8):  # an opened lesson is never suggested again
            clock.advance(DAY_S)
            today.refresh()
            assert today.lesson_tip.lesson is None or today.lesson_tip.lesson.id != second.id


def test_not_now_hides_the_tip_until_tomorrow(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    clock = FakeClock(START)
    with main_window(qtbot, repo, clock) as window:
        today = today_page(window)
        assert not today.lesson_tip.isHidden()
        today.lesson_tip.not_now_button.click()
        assert today.lesson_tip.isHidden()
        clock.advance(6 * 3600)  # later the same day
        today.refresh()
        assert today.lesson_tip.isHidden()
        clock.advance(DAY_S)
        today.refresh()
        assert not today.lesson_tip.isHidden()
        assert lesson_store.opened_lessons(repo) == frozenset()  # "Not now" is not "read"


def test_the_tip_stops_after_four_weeks(qtbot: QtBot, data_dir: Path) -> None:
    clock = FakeClock(START)
    with main_window(qtbot, Repository.open(data_dir), clock) as window:
        today = today_page(window)
        clock.advance(27 * DAY_S)
        today.refresh()
        assert not today.lesson_tip.isHidden()
        clock.advance(DAY_S)
        today.refresh()
        assert today.lesson_tip.isHidden()


def test_the_tip_counts_from_the_programme_start_if_earlier(data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.set_state("plan_start", "2026-01-01")
    assert lesson_store.todays_tip(repo, START.date()) is None  # two months in: no tips


def test_a_backup_keeps_the_opened_lessons(data_dir: Path, tmp_path: Path) -> None:
    repo = Repository.open(data_dir)
    lesson_store.mark_opened(repo, "bed")
    lesson_store.mark_opened(repo, "desk")
    lesson_store.not_now(repo, START.date())
    repo.close()
    write_backup(data_dir, tmp_path / "backup.json", START)
    elsewhere = tmp_path / "restored"
    elsewhere.mkdir()
    restore(elsewhere, read_backup(tmp_path / "backup.json"), START)
    restored = Repository.open(elsewhere)
    assert lesson_store.opened_lessons(restored) == {"bed", "desk"}
    assert lesson_store.todays_tip(restored, START.date()) is None  # "Not now" came back too


def test_learn_and_a_lesson_in_german(qtbot: QtBot, data_dir: Path) -> None:
    i18n.set_language("de")
    with main_window(qtbot, Repository.open(data_dir), FakeClock(START)) as window:
        assert window.nav_buttons["learn"].text() == "Lernen"
        page = learn_page(window)
        assert page.lesson_buttons["lifting"].text() == "Bücken und Heben · etwa 1 Minute"
        page.lesson_buttons["lifting"].click()
        assert page.lesson_title.text() == "Bücken und Heben"
        assert "Hüfte und Knie" in page.steps_label.text()
        assert page.take_care_label.text().startswith("Vorsicht: Während eines Schubs")
        today = today_page(window)
        assert today.lesson_tip.text.text().startswith("Tipp für heute: ")
        assert today.lesson_tip.not_now_button.text() == "Jetzt nicht"


def test_a_lesson_fits_a_small_window_with_large_text(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    repo.set_setting("text_scale", 150)
    with main_window(qtbot, repo, FakeClock(START)) as window:
        window.apply_appearance()
        window.resize(1280, 800)
        page = learn_page(window)
        page.open_lesson("lifting")
        QApplication.processEvents()
        wide = page.lesson_row.direction()
        window.resize(760, 540)  # the window's minimum size
        QApplication.processEvents()
        assert wide.name == "LeftToRight"  # drawing and words side by side when there is room
        assert page.lesson_row.direction().name == "TopToBottom"  # else the words under the drawing
        assert page.horizontalScrollBar().maximum() == 0  # nothing cut off at the side
