"""Settings' "Sitting breaks" section (views/sitting_settings.py): every choice saved as made, only allowed
values on offer, the working hours said in words, how the app knows about sitting on this desktop, and the
hour's pause with "Resume now", against a fake sitting-break service that works, hangs or fails."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QObject, QTime, Signal
from PySide6.QtWidgets import QDateTimeEdit

from sciatica_coach.core.sitting import BreakStatus, Phase
from sciatica_coach.platform import locale_support
from sciatica_coach.platform.locale_support import clock_time, week_order, weekday_name
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.settings_page import SettingsPage
from sciatica_coach.views.sitting_settings import SittingBreaksSection
from tests.helpers import FakeClock, fake_services

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

BERLIN = ZoneInfo("Europe/Berlin")
WORKS, HANGS, FAILS = "works", "hangs", "fails"
KEYBOARD_LINE = "Counts the time you use the keyboard and mouse; 5 minutes away counts as a break."
CLOCK_LINE = (
    "This desktop does not tell the app when you type, so breaks follow the clock while the app runs."
)


class FakeBreakService(QObject):
    """What Settings reads of services.sitting_breaks.SittingBreakService. `mode`: WORKS (knows how it counts;
    Resume ends the pause and says so), HANGS (the desktop never answered: how it counts is unknown, and
    Resume is taken but nothing changes or is reported) or FAILS (Resume raises)."""

    status_changed = Signal()

    def __init__(self, mode: str = WORKS, counts_input: bool = True, paused_until: datetime | None = None):
        super().__init__()
        self.mode = mode
        self.counts_input: bool | None = None if mode == HANGS else counts_input
        self.paused_until = paused_until
        self.resumed = 0

    def status(self) -> BreakStatus:
        return BreakStatus(Phase.SITTING, None, 0.0, 600.0, None, None, self.paused_until)

    def resume(self) -> None:
        self.resumed += 1
        if self.mode == FAILS:
            raise RuntimeError("the service fell over")
        if self.mode == WORKS:
            self.paused_until = None
            self.status_changed.emit()


@pytest.fixture
def ctx(data_dir: Path) -> Iterator[AppContext]:
    repo = Repository.open(data_dir)
    yield AppContext(repo, FakeClock(datetime(2026, 3, 2, 13, 5, tzinfo=BERLIN)), fake_services())  # type: ignore[no-untyped-call]
    repo.close()


def section_of(qtbot: QtBot, ctx: AppContext, on: bool = True) -> SittingBreaksSection:
    """The section on its own, with sitting breaks switched on (its choices are greyed out while off)."""
    if on:
        ctx.repo.set_setting("sitting_breaks_on", True)
    section = SittingBreaksSection(ctx)
    qtbot.addWidget(section)
    section.resize(900, 900)
    section.show()
    return section


def test_the_settings_page_has_the_section_and_the_switch_saves(qtbot: QtBot, ctx: AppContext) -> None:
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 800)
    page.show()
    section = page.sitting
    assert section.parent() is not None and section.isVisible()
    assert not ctx.repo.setting("sitting_breaks_on") and not section.on.isChecked()
    assert not section.details.isEnabled()  # the choices matter only while breaks are on
    with qtbot.waitSignal(ctx.settings_changed):
        section.on.click()
    assert ctx.repo.setting("sitting_breaks_on") is True and section.details.isEnabled()
    section.on.click()
    assert ctx.repo.setting("sitting_breaks_on") is False


def test_the_interval_offers_15_to_120_minutes_in_fives(qtbot: QtBot, ctx: AppContext) -> None:
    section = section_of(qtbot, ctx)
    offered = [section.interval.itemData(i) for i in range(section.interval.count())]
    assert offered == list(range(15, 121, 5))
    assert section.interval.currentData() == 30
    assert section.interval.currentText() == "30 minutes of sitting"
    section.interval.setCurrentIndex(section.interval.findData(45))
    assert ctx.repo.setting("sitting_interval_min") == 45


def test_a_stored_interval_between_the_steps_is_shown_as_it_is(qtbot: QtBot, ctx: AppContext) -> None:
    ctx.repo.set_setting("sitting_interval_min", 33)  # (a hand-edited file; the repository keeps it in range)
    section = section_of(qtbot, ctx)
    assert section.interval.currentData() == 33
    assert 33 in [section.interval.itemData(i) for i in range(section.interval.count())]


@pytest.mark.parametrize("language", ["en", "de"])
def test_working_days_in_the_locales_week_with_its_short_names(
    qtbot: QtBot, ctx: AppContext, language: str
) -> None:
    locale_support.apply_language(language)
    section = section_of(qtbot, ctx)
    assert list(section.day_boxes) == week_order()
    assert [box.text() for box in section.day_boxes.values()] == [
        weekday_name(d, short=True) for d in week_order()
    ]
    assert [box.accessibleName() for box in section.day_boxes.values()] == [
        weekday_name(d) for d in week_order()
    ]
    assert {d for d, box in section.day_boxes.items() if box.isChecked()} == {0, 1, 2, 3, 4}
    section.day_boxes[5].click()  # Saturday too
    section.day_boxes[0].click()  # not Monday
    assert ctx.repo.setting("sitting_work_days") == [1, 2, 3, 4, 5]


def test_the_last_working_day_cannot_be_taken_away(qtbot: QtBot, ctx: AppContext) -> None:
    ctx.repo.set_setting("sitting_work_days", [2])
    section = section_of(qtbot, ctx)
    section.day_boxes[2].click()
    assert section.day_boxes[2].isChecked()
    assert ctx.repo.setting("sitting_work_days") == [2]
    assert section.days_note.isVisible()
    assert "switch them off" in section.days_note.text()
    section.day_boxes[3].click()  # another day: the note goes
    assert not section.days_note.isVisible()
    assert ctx.repo.setting("sitting_work_days") == [2, 3]


def test_working_hours_are_saved_and_said_in_words(qtbot: QtBot, ctx: AppContext) -> None:
    section = section_of(qtbot, ctx)
    assert "s" not in section.start.displayFormat()  # no seconds, whatever the locale writes (LANG=C)
    assert section.start.text() == clock_time(time(8, 0)) and section.end.text() == clock_time(time(18, 0))
    assert section.hours_note.text() == (
        f"Breaks can come from {clock_time(time(8, 0))} to {clock_time(time(18, 0))} on your working days."
    )
    section.start.setTime(QTime(22, 30))
    section.end.setTime(QTime(6, 0))
    assert (ctx.repo.setting("sitting_work_start"), ctx.repo.setting("sitting_work_end")) == (
        "22:30",
        "06:00",
    )
    assert "the next morning (across midnight)" in section.hours_note.text()
    section.end.setTime(QTime(22, 30))
    assert ctx.repo.setting("sitting_work_end") == "22:30"
    assert section.hours_note.text().startswith("The start and the end are the same, so the whole day counts")


def test_a_time_edit_wraps_round_midnight(qtbot: QtBot, ctx: AppContext) -> None:
    section = section_of(qtbot, ctx)
    section.end.setTime(QTime(23, 59))
    section.end.setCurrentSection(QDateTimeEdit.Section.HourSection)
    section.end.stepBy(1)  # past 23 comes 00, not a dead end
    assert ctx.repo.setting("sitting_work_end") == "00:59"
    assert section.end.wrapping()


def test_a_change_made_elsewhere_shows(qtbot: QtBot, ctx: AppContext) -> None:
    section = section_of(qtbot, ctx, on=False)
    assert not section.on.isChecked() and not section.details.isEnabled()
    ctx.set_setting("sitting_breaks_on", True)  # as Today's introduction does
    ctx.set_setting("sitting_work_start", "07:15")
    assert section.on.isChecked() and section.details.isEnabled()
    assert section.start.time() == QTime(7, 15)


@pytest.mark.parametrize(
    ("mode", "counts_input", "line"),
    [(WORKS, True, KEYBOARD_LINE), (WORKS, False, CLOCK_LINE), (HANGS, True, "")],
)
def test_how_the_app_knows_about_sitting(
    qtbot: QtBot, ctx: AppContext, mode: str, counts_input: bool, line: str
) -> None:
    ctx.repo.set_setting("sitting_breaks_on", True)
    section = section_of(qtbot, ctx)
    assert not section.knows.isVisible()  # no service yet: nothing to say
    ctx.sitting_breaks = FakeBreakService(mode, counts_input)  # type: ignore[assignment]
    section.refresh()
    assert section.knows.text() == line and section.knows.isVisible() == bool(line)
    ctx.set_setting("sitting_breaks_on", False)
    assert not section.knows.isVisible()  # off: the service doesn't watch the desktop


def test_paused_until_and_resume_now(qtbot: QtBot, ctx: AppContext) -> None:
    ctx.repo.set_setting("sitting_breaks_on", True)
    until = ctx.clock.now() + timedelta(hours=1)
    service = FakeBreakService(WORKS, paused_until=until)
    ctx.sitting_breaks = service  # type: ignore[assignment]
    section = section_of(qtbot, ctx)
    assert section.paused_row.isVisible()
    assert section.paused_words.text() == f"Paused until {clock_time(until)}"
    section.resume_button.click()
    assert service.resumed == 1 and not section.paused_row.isVisible()
    service.paused_until = until  # paused again from the tray or a break card: the section follows
    service.status_changed.emit()
    assert section.paused_row.isVisible()


@pytest.mark.parametrize("mode", [HANGS, FAILS])
def test_resume_with_a_service_that_hangs_or_fails(
    qtbot: QtBot, ctx: AppContext, caplog: pytest.LogCaptureFixture, mode: str
) -> None:
    ctx.repo.set_setting("sitting_breaks_on", True)
    service = FakeBreakService(mode, paused_until=ctx.clock.now() + timedelta(minutes=20))
    ctx.sitting_breaks = service  # type: ignore[assignment]
    section = section_of(qtbot, ctx)
    section.resume_button.click()  # a failure escaping the slot would fail the test (qt_default_raising)
    assert service.resumed == 1
    assert section.paused_row.isVisible()  # still paused, and still said so
    assert ("Could not resume sitting breaks" in caplog.text) == (mode == FAILS)


def test_the_section_in_german(qtbot: QtBot, ctx: AppContext) -> None:
    from sciatica_coach.i18n import _

    locale_support.apply_language("de")
    ctx.repo.set_setting("sitting_breaks_on", True)
    ctx.sitting_breaks = FakeBreakService(WORKS, counts_input=False, paused_until=ctx.clock.now())  # type: ignore[assignment]
    section = section_of(qtbot, ctx)
    assert section.on.text() == "Nach dem Sitzen am Computer ans Aufstehen erinnern"
    assert section.interval.currentText() == "30 Minuten Sitzen"
    assert section.hours_note.text().startswith("An Ihren Arbeitstagen")
    assert section.knows.text() == _(CLOCK_LINE) != CLOCK_LINE
    assert section.paused_words.text().startswith("Pausiert bis ")
    assert section.resume_button.text() == "Jetzt fortsetzen"
