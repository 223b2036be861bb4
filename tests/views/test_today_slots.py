"""Today's "n of m sessions done" and each reminder slot's "done" / "to do" come from one source
(`today_page.slot_states`, by the rule the reminders use), so the line never says a session is done while
every slot still says "to do" (a session from before the reminder times changed, one without a slot), and
Today never ticks a slot the reminders still remind about."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.model import Outcome
from sciatica_coach.platform.locale_support import clock_time
from sciatica_coach.services.plans import active_routine
from sciatica_coach.services.reminders import ReminderService
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.today_page import TodayPage
from tests.core.test_progression import TZ, session
from tests.helpers import FakeClock, fake_services
from tests.test_reminders_service import FakeTimer

NOW = datetime(2026, 3, 16, 20, 0, tzinfo=TZ)  # a Monday evening; the default reminders are 08:00 and 19:00
MORNING, EVENING = time(8, 0), time(19, 0)


def today_page(qtbot: QtBot, repo: Repository) -> TodayPage:
    window = MainWindow(AppContext(repo, FakeClock(NOW), fake_services()))  # type: ignore[no-untyped-call]
    qtbot.addWidget(window)
    page = window.page("today")
    assert isinstance(page, TodayPage)
    QApplication.processEvents()
    return page


def marks(page: TodayPage) -> dict[time, str]:
    text = page.slots_line.text()
    return {
        moment: ("done" if f"{clock_time(moment)} ✓ done" in text else
                 "stopped" if f"{clock_time(moment)} · stopped early" in text else
                 "to do" if f"{clock_time(moment)} — to do" in text else "?")
        for moment in (MORNING, EVENING)
    }  # fmt: skip


def done_in_line(page: TodayPage) -> tuple[int, int]:
    found = re.search(r"(\d+) of (\d+) session", page.sessions_line.text())
    assert found, page.sessions_line.text()
    return int(found.group(1)), int(found.group(2))


# (hour, stored slot, outcome) of today's sessions -> the marks of 08:00 and 19:00
CASES = {
    "from before the reminder times changed": ([(7, "07:30", Outcome.COMPLETED)], ("done", "to do")),
    "started with no reminder that day": ([(18, "", Outcome.COMPLETED)], ("to do", "done")),
    "both slots": ([(8, "08:00", Outcome.COMPLETED), (19, "19:00", Outcome.COMPLETED)], ("done", "done")),
    "two in one morning": (
        [(8, "08:00", Outcome.COMPLETED), (9, "08:00", Outcome.COMPLETED)],
        ("done", "to do"),
    ),
    "stopped early, then done": (
        [(8, "08:00", Outcome.ENDED_EARLY), (9, "08:00", Outcome.COMPLETED)],
        ("done", "to do"),
    ),
    "only stopped early": ([(8, "", Outcome.ENDED_EARLY)], ("stopped", "to do")),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_count_and_the_marks_agree(qtbot: QtBot, data_dir: Path, case: str) -> None:
    sessions, expected = CASES[case]
    repo = Repository.open(data_dir)
    routine = active_routine(repo, load_catalogue())
    for hour, slot, outcome in sessions:
        repo.save_session(replace(session(routine, 0, hour, outcome=outcome), slot=slot, id=f"{hour}{slot}"))
    page = today_page(qtbot, repo)
    shown = marks(page)
    assert (shown[MORNING], shown[EVENING]) == expected, page.slots_line.text()
    done, target = done_in_line(page)
    assert target == 2
    assert done == list(shown.values()).count("done"), (page.sessions_line.text(), page.slots_line.text())
    # the reminders agree: a slot ticked on Today is one they stay quiet for, and the other way round
    service = ReminderService(repo, FakeClock(NOW), timer_factory=FakeTimer)
    for moment in (MORNING, EVENING):
        slot = f"{moment:%H:%M}"
        assert service.is_done(NOW.date(), slot) == (shown[moment] != "to do"), slot
