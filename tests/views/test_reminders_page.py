"""The Reminders page: defaults, inline plain messages beside the row, nothing saved until valid,
add/remove, snooze and quiet, start at login, the preview, and living inside the main window."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sciatica_coach.core.schedule import MAX_REMINDERS
from sciatica_coach.platform.autostart import XdgAutostart
from sciatica_coach.platform.locale_support import clock_time
from sciatica_coach.services.plans import PLAN_KEY, reminder_plan
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.reminders_page import RemindersPage
from tests.helpers import FakeClock

MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def make_page(qtbot: QtBot, data_dir: Path) -> tuple[RemindersPage, Repository]:
    repo = Repository.open(data_dir)
    page = RemindersPage(
        AppContext(repo, clock=FakeClock(MONDAY_9)), XdgAutostart(command=["sciatica-coach"])
    )
    qtbot.addWidget(page)
    return page, repo


def type_time(qtbot: QtBot, page: RemindersPage, index: int, text: str) -> None:
    field = page.rows[index].time
    field.clear()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_defaults(qtbot: QtBot, data_dir: Path) -> None:
    page, _ = make_page(qtbot, data_dir)
    assert [r.time.text() for r in page.rows] == ["08:00", "19:00"]
    assert all(all(b.isChecked() for b in r.day_buttons) for r in page.rows)
    assert page.snooze.value() == 10 and page.quiet.isChecked()
    morning, evening = clock_time(time(8, 0)), clock_time(time(19, 0))  # the locale's clock, as on Today
    assert page.preview.text().splitlines()[:3] == [
        f"Today {evening}",
        f"Tomorrow {morning}",
        f"Tomorrow {evening}",
    ]
    assert not page.start_at_login.isChecked()


def test_bad_time_shows_a_plain_message_and_saves_nothing(qtbot: QtBot, data_dir: Path) -> None:
    page, repo = make_page(qtbot, data_dir)
    type_time(qtbot, page, 1, "7:5")
    assert page.rows[1].note.isVisibleTo(page)
    assert "two digits for the minutes" in page.rows[1].note.text()
    assert not page.rows[0].note.isVisibleTo(page)
    assert repo.state(PLAN_KEY) is None
    assert "Not saved yet" in page.save_state.text()


def test_reminders_too_close_are_refused_beside_the_row(qtbot: QtBot, data_dir: Path) -> None:
    page, repo = make_page(qtbot, data_dir)
    type_time(qtbot, page, 1, "08:20")
    assert "only 20 minutes apart" in page.rows[1].note.text()
    assert repo.state(PLAN_KEY) is None
    type_time(qtbot, page, 1, "18:30")
    assert not page.rows[1].note.isVisibleTo(page)
    assert [r.slot for r in reminder_plan(repo).reminders] == ["08:00", "18:30"]
    assert page.save_state.text() == "Saved."


def test_a_reminder_needs_a_day(qtbot: QtBot, data_dir: Path) -> None:
    page, repo = make_page(qtbot, data_dir)
    for button in page.rows[0].day_buttons:
        button.click()
    assert "pick at least one day" in page.rows[0].note.text()
    page.rows[0].day_buttons[0].click()
    assert reminder_plan(repo).reminders[0].weekdays == frozenset({0})


def test_weekend_off_and_on_off_are_saved(qtbot: QtBot, data_dir: Path) -> None:
    page, repo = make_page(qtbot, data_dir)
    page.rows[0].day_buttons[5].click()
    page.rows[0].day_buttons[6].click()
    page.rows[1].enabled.click()
    plan = reminder_plan(repo)
    assert plan.reminders[0].weekdays == frozenset(range(5))
    assert plan.reminders[1].enabled is False
    assert "19:00" not in page.preview.text()


def test_add_and_remove(qtbot: QtBot, data_dir: Path) -> None:
    page, repo = make_page(qtbot, data_dir)
    page.add_button.click()
    assert len(page.rows) == 3
    assert [r.slot for r in reminder_plan(repo).reminders] == ["08:00", "19:00", "12:00"]
    page.rows[0].remove.click()
    assert [r.slot for r in reminder_plan(repo).reminders] == ["19:00", "12:00"]
    while len(page.rows) < MAX_REMINDERS:
        page.add_button.click()
    assert not page.add_button.isEnabled()
    assert len(reminder_plan(repo).reminders) == MAX_REMINDERS


def test_snooze_and_quiet(qtbot: QtBot, data_dir: Path) -> None:
    page, repo = make_page(qtbot, data_dir)
    page.snooze.setValue(25)
    page.quiet.click()
    plan = reminder_plan(repo)
    assert plan.snooze_min == 25 and plan.quiet_if_done is False


def test_start_at_login_writes_the_autostart_file(qtbot: QtBot, data_dir: Path) -> None:
    page, _ = make_page(qtbot, data_dir)
    page.start_at_login.click()
    auto = XdgAutostart(command=["x"])
    assert auto.path.is_file()
    page.start_at_login.click()
    assert not auto.path.exists()


def test_page_uses_the_running_service(qtbot: QtBot, data_dir: Path) -> None:
    page, repo = make_page(qtbot, data_dir)
    applied: list[object] = []

    class Service:
        def set_plan(self, plan: object) -> None:
            applied.append(plan)

    page.ctx.reminders = Service()  # type: ignore[assignment]
    type_time(qtbot, page, 1, "20:00")
    assert len(applied) == 1
    assert repo.state(PLAN_KEY) is None  # the service stores it, not the page


def test_reminders_page_in_the_main_window(qtbot: QtBot, data_dir: Path) -> None:
    from sciatica_coach.views.main_window import MainWindow

    window = MainWindow(AppContext(Repository.open(data_dir), clock=FakeClock(MONDAY_9)))
    qtbot.addWidget(window)
    window.show_page("reminders")
    page = window.page("reminders")
    assert isinstance(page, RemindersPage) and window.stack.currentWidget() is page  # the one shown
