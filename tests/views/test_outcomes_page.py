"""The outcome check-in in the real window: offered on Today when due, answered by keys as from the floor,
saved, then not offered again until a week later; Progress and German words."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sciatica_coach.core.outcomes import make_checkin
from sciatica_coach.services import outcomes
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.today_page import TodayPage
from tests.helpers import FakeClock, main_window

NOW = datetime(2026, 3, 16, 12, 0, tzinfo=ZoneInfo("Europe/London"))


def test_answered_by_keys_from_today(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    clock = FakeClock(NOW)
    with main_window(qtbot, repo, clock) as window:
        page = window.page("today")
        assert isinstance(page, TodayPage)
        QApplication.processEvents()
        card = page.outcomes_card
        assert card.isVisibleTo(page) and card.due.sbi and card.due.psfs
        dialog = card.open_dialog()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        for answer in "5324":  # the four SBI questions: a digit chooses, Enter goes on
            step = dialog.step()
            qtbot.keyClick(step.focus_target(), answer)
            qtbot.keyClick(step.focus_target(), Qt.Key.Key_Return)
        tolerance = dialog.step()
        assert tolerance is dialog.tolerance
        qtbot.keyClicks(dialog.tolerance.sitting, "20")  # digits typed into the focused number
        _less, more = dialog.tolerance.steppers["Walking"]
        for _press in range(3):
            qtbot.mouseClick(more, Qt.MouseButton.LeftButton)  # the big +5 button, three times
        dialog.go_on()
        first = dialog.activity_steps[0]
        assert dialog.step() is first and dialog.next_button.isEnabled()  # an empty name skips
        qtbot.keyClicks(first.name, "Putting on socks")
        first.scale.setFocus()
        qtbot.keyClick(first.scale, "1")
        qtbot.keyClick(first.scale, "0")  # 1 then 0: ten
        assert first.scale.value() == 10
        qtbot.keyClick(first.scale, "4")
        qtbot.keyClick(first.scale, Qt.Key.Key_Return)
        qtbot.keyClick(dialog.step().focus_target(), Qt.Key.Key_Return)  # two empty names: skipped
        assert dialog.next_button.text() == "Save"
        qtbot.keyClick(dialog.step().focus_target(), Qt.Key.Key_Return)
        assert not dialog.isVisible()
        (checkin,) = outcomes.load(repo).checkins
        assert checkin.sbi == (5, 3, 2, 4) and checkin.sbi_total == 14
        assert checkin.sitting_min == 20 and checkin.walking_min == 15
        assert [(a.name, a.rating) for a in checkin.psfs or ()] == [("Putting on socks", 4)]
        assert not card.isVisibleTo(page)  # answered: not offered again this week
        clock.advance(timedelta(days=7).total_seconds())
        page.refresh()
        assert card.isVisibleTo(page) and card.due.sbi and not card.due.psfs
        again = card.open_dialog()
        assert again.activity_steps == [] and len(again.sbi_steps) == 4
        again.reject()
        qtbot.mouseClick(card.later_button, Qt.MouseButton.LeftButton)  # "Not now": not again today
        assert not card.isVisibleTo(page)
        clock.advance(timedelta(days=1).total_seconds())
        page.refresh()
        assert card.isVisibleTo(page)  # but offered again the next day


def test_later_ratings_offer_the_same_activities(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    outcomes.save(
        repo,
        make_checkin(
            NOW.date() - timedelta(days=14),
            sbi=[1, 1, 1, 1],
            psfs=[{"name": "Walking to the shop", "rating": 3}],
        ),
    )
    with main_window(qtbot, repo, FakeClock(NOW)) as window:
        page = window.page("today")
        assert isinstance(page, TodayPage)
        QApplication.processEvents()  # the card is made just after the first paint
        assert page.outcomes_card is not None
        dialog = page.outcomes_card.open_dialog()
        assert [s.name.text() for s in dialog.activity_steps] == ["Walking to the shop", "", ""]
        dialog.reject()
        assert outcomes.load(repo).checkins[-1].day != NOW.date()  # "Not now" saves nothing
