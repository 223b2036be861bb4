"""The sitting breaks as the app wires them (app.install_sitting_breaks): the real main window, service and card;
only the desktop's idle monitor is a fake (works mode) and the clock is stepped by hand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject

from sciatica_coach.app import install_sitting_breaks
from sciatica_coach.core.sitting import Phase, Quiet
from sciatica_coach.services import sitting_breaks
from sciatica_coach.storage.repository import Repository
from tests.helpers import FakeClock, main_window
from tests.test_sitting_breaks_service import MONDAY_9, FakeMonitor


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repository]:
    repo = Repository.open(tmp_path / "data")
    yield repo
    repo.close()


@pytest.fixture
def monitors(monkeypatch: pytest.MonkeyPatch) -> list[FakeMonitor]:
    made: list[FakeMonitor] = []

    def make(parent: QObject) -> FakeMonitor:
        made.append(FakeMonitor(parent))
        return made[-1]

    monkeypatch.setattr(sitting_breaks, "_idle_monitor", make)
    monkeypatch.setattr(sitting_breaks, "_full_screen_now", lambda: False)
    return made


def test_a_due_break_shows_the_card_and_a_session_takes_it_away(qtbot, repo, monitors) -> None:  # type: ignore[no-untyped-def]
    repo.set_setting("sitting_breaks_on", True)
    clock = FakeClock(MONDAY_9)
    with main_window(qtbot, repo, clock) as window:
        ctx = window.ctx
        service = install_sitting_breaks(ctx, window)
        assert ctx.sitting_breaks is service and len(monitors) == 1
        qtbot.waitUntil(lambda: service.status().phase is Phase.SITTING)
        assert ctx.break_card is None  # made only when a break falls due
        clock.advance(31 * 60)
        service.look()
        qtbot.waitUntil(lambda: ctx.break_card is not None and ctx.break_card.isVisible())
        assert window.isVisible()  # the card is a window of its own beside the main one
        window.start_session()  # on the mat now: the card goes
        qtbot.waitUntil(lambda: ctx.break_card is not None and not ctx.break_card.isVisible())
        assert service.status().quiet is Quiet.SESSION
        window.close_session()
        qtbot.waitUntil(lambda: service.status().quiet is None)
        service.stop()


def test_turning_breaks_on_and_off_in_settings_reaches_the_service(qtbot, repo, monitors) -> None:  # type: ignore[no-untyped-def]
    with main_window(qtbot, repo, FakeClock(MONDAY_9)) as window:
        service = install_sitting_breaks(window.ctx, window)
        assert monitors == [] and not service.breaks_on()
        window.ctx.set_setting("sitting_breaks_on", True)
        assert len(monitors) == 1 and service.breaks_on() and service.counts_input
        window.ctx.set_setting("sitting_breaks_on", False)
        assert monitors[0].closed and service.monitor_kind is None
        service.stop()
