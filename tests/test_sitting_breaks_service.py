"""The sitting-break service: the scheduler driven by an idle monitor (a fake with works, hangs and fails modes,
built on the real IdleMonitor interface), a fake clock and a fake timer; answers saved in a real repository."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QObject, QTimer

from sciatica_coach.core.sitting import (
    LONGEST_LOOK_S,
    LOOK_WHILE_AWAY_S,
    NATURAL_BREAK_S,
    BreakOutcome,
    Movement,
    Phase,
    Quiet,
)
from sciatica_coach.platform.idle import IdleMonitor, IdleReading
from sciatica_coach.services.sitting_breaks import (
    WAKE_SLACK_MS,
    SittingBreakService,
    break_movements,
    break_settings,
)
from sciatica_coach.storage.repository import DataError, Repository
from tests.helpers import FakeClock
from tests.test_reminders_service import FakeTimer

MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))


class FakeMonitor(IdleMonitor):
    """An idle monitor on the real interface. "works": answers `ask()` with `idle_s` from the event loop;
    "hangs": never answers (as a hung D-Bus service would, until the real monitor's timeout says `lost`);
    "fails": says `lost` instead of answering. `pushes` makes it a GNOME-like backend."""

    kind = "fake desktop"

    def __init__(self, parent: QObject | None, mode: str = "works", pushes: bool = False) -> None:
        super().__init__(parent)
        self.mode = mode
        self.pushes = pushes
        self.idle_s: float = 1.0
        self.locked: bool | None = False
        self.asked = 0
        self.watching: float | None = None
        self.closed = False

    def ask(self) -> None:
        self.asked += 1
        if self.mode == "works":
            QTimer.singleShot(0, lambda: self.observed.emit(IdleReading(self.idle_s, self.locked)))
        elif self.mode == "fails":
            QTimer.singleShot(0, lambda: self.lost.emit("the fake failed"))

    def watch(self, idle_after_s: float) -> None:
        self.watching = idle_after_s

    def close(self) -> None:
        self.closed = True


class Rig:
    def __init__(self, repo: Repository, qtbot, mode: str = "works", pushes: bool = False) -> None:  # type: ignore[no-untyped-def]
        self.repo = repo
        self.qtbot = qtbot
        self.clock = FakeClock(MONDAY_9)
        self.timers: list[FakeTimer] = []
        self.monitors: list[FakeMonitor] = []
        self.full_screen = False
        self.mode, self.pushes = mode, pushes
        self.service = SittingBreakService(
            repo,
            self.clock,
            monitor_factory=self._monitor,
            full_screen=lambda: self.full_screen,
            timer_factory=self._timer,
        )
        self.due: list[Movement] = []
        self.withdrawn = 0
        self.service.break_due.connect(self.due.append)
        self.service.break_withdrawn.connect(self._withdrawn)

    def _withdrawn(self) -> None:
        self.withdrawn += 1

    def _monitor(self, parent: QObject) -> FakeMonitor:
        monitor = FakeMonitor(parent, self.mode, self.pushes)
        self.monitors.append(monitor)
        return monitor

    def _timer(self, callback):  # type: ignore[no-untyped-def]
        timer = FakeTimer(callback)
        self.timers.append(timer)
        return timer

    @property
    def timer(self) -> FakeTimer:
        return self.timers[0]

    @property
    def monitor(self) -> FakeMonitor:
        return self.monitors[-1]

    def settle(self) -> None:
        """Let the monitor's queued answer arrive."""
        self.qtbot.wait(1)  # processes posted events; the fake clock does not move

    def sit(self, minutes: float, idle_s: float = 1.0) -> None:
        """Use the computer for `minutes`, the timer firing whenever it was armed (or each minute)."""
        left = minutes * 60
        while left > 0:
            armed = self.timer.armed_ms
            step = min(left, 60.0 if armed is None else armed / 1000)
            self.clock.advance(step)
            left -= step
            if self.monitors:
                self.monitor.idle_s = idle_s
            self.timer.fire()
            self.settle()


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repository]:
    repo = Repository.open(tmp_path / "data")
    yield repo
    repo.close()


def switched_on(repo: Repository, **settings: object) -> Repository:
    repo.set_setting("sitting_breaks_on", True)
    for key, value in settings.items():
        repo.set_setting(key, value)
    return repo


def test_off_by_default_nothing_runs_and_nothing_wakes(repo: Repository, qtbot) -> None:  # type: ignore[no-untyped-def]
    rig = Rig(repo, qtbot)
    rig.service.start()
    assert rig.monitors == [] and rig.timer.armed_ms is None
    assert rig.service.counts_input is None
    assert rig.service.breaks_on() is False


def test_a_break_comes_due_after_half_an_hour_of_use_and_taking_it_is_saved(repo, qtbot) -> None:  # type: ignore[no-untyped-def]
    rig = Rig(switched_on(repo), qtbot)
    rig.service.start()
    rig.settle()
    assert rig.service.counts_input is True and rig.service.monitor_kind == "fake desktop"
    rig.sit(29)
    assert rig.due == []
    rig.sit(1.5)
    assert rig.due == [Movement.WALK]
    rig.service.take()
    assert rig.service.status().phase is Phase.TAKING
    (saved,) = repo.sitting_breaks()
    assert (saved.outcome, saved.movement) == (BreakOutcome.TAKEN, Movement.WALK)
    rig.sit(5)
    assert rig.due == [Movement.WALK]  # no second card straight after


def test_skipping_is_saved_and_the_next_card_waits_a_whole_interval(repo, qtbot) -> None:  # type: ignore[no-untyped-def]
    rig = Rig(switched_on(repo), qtbot)
    rig.service.start()
    rig.sit(31)
    rig.service.skip()
    assert [b.outcome for b in repo.sitting_breaks()] == [BreakOutcome.SKIPPED]
    rig.sit(29)
    assert len(rig.due) == 1
    rig.sit(2)
    assert len(rig.due) == 2


def test_getting_up_by_oneself_takes_the_card_away_unanswered(repo, qtbot) -> None:  # type: ignore[no-untyped-def]
    rig = Rig(switched_on(repo), qtbot)
    rig.service.start()
    rig.sit(31)
    rig.sit(6, idle_s=NATURAL_BREAK_S + 1)
    assert rig.withdrawn == 1
    assert repo.sitting_breaks() == []  # neither taken nor skipped


def test_opening_a_session_takes_the_card_away_and_stops_the_count(repo, qtbot) -> None:  # type: ignore[no-untyped-def]
    rig = Rig(switched_on(repo), qtbot)
    rig.service.start()
    rig.sit(31)
    rig.service.set_session_running(True)
    rig.settle()
    assert rig.withdrawn == 1
    assert rig.service.status().quiet is Quiet.SESSION
    rig.service.set_session_running(False)
    rig.sit(20)
    assert len(rig.due) == 1  # the count started again after the session


def test_a_full_screen_window_holds_the_card_until_it_is_gone(repo, qtbot) -> None:  # type: ignore[no-untyped-def]
    rig = Rig(switched_on(repo), qtbot)
    rig.service.start()
    rig.full_screen = True
    rig.sit(40)
    assert rig.due == [] and rig.service.status().quiet is Quiet.FULL_SCREEN
    rig.full_screen = False
    rig.sit(1.5)
    assert rig.due == [Movement.WALK]


def test_pausing_for_an_hour_takes_the_card_away_and_holds_the_next(repo, qtbot) -> None:  # type: ignore[no-untyped-def]
    rig = Rig(switched_on(repo), qtbot)
    rig.service.start()
    rig.sit(31)
    rig.service.pause_for_hour()
    assert rig.withdrawn == 1 and rig.service.paused()
    rig.sit(59)
    assert len(rig.due) == 1
    rig.sit(2)
    assert len(rig.due) == 2 and not rig.service.paused()


def test_a_failing_backend_falls_back_to_the_clock_and_breaks_still_come(repo, qtbot) -> None:  # type: ignore[no-untyped-def]
    rig = Rig(switched_on(repo), qtbot, mode="fails")
    rig.service.start()
    rig.settle()
    assert rig.monitors[0].closed
    assert rig.service.counts_input is False and rig.service.monitor_kind == "wall clock"
    rig.sit(31)
    assert rig.due == [Movement.WALK]


def test_a_hung_backend_never_blocks_and_its_loss_is_taken_in_stride(repo, qtbot) -> None:  # type: ignore[no-untyped-def]
    rig = Rig(switched_on(repo), qtbot, mode="hangs")
    rig.service.start()
    rig.sit(5)  # every look returns at once; no answer ever comes
    assert rig.monitor.asked >= 1 and rig.due == []
    rig.monitor.lost.emit("no answer within 1 s")  # what the real monitor says after its timeout
    rig.settle()
    assert rig.service.monitor_kind == "wall clock"
    rig.sit(31)
    assert rig.due == [Movement.WALK]


def test_wake_ups_are_few(repo, qtbot) -> None:  # type: ignore[no-untyped-def]
    rig = Rig(switched_on(repo), qtbot)
    rig.service.start()
    rig.settle()
    assert rig.timer.armed_ms == NATURAL_BREAK_S * 1000 - 1000 + WAKE_SLACK_MS  # polling: at a natural break
    rig.sit(6, idle_s=NATURAL_BREAK_S + 1)
    assert rig.timer.armed_ms == LOOK_WHILE_AWAY_S * 1000 + WAKE_SLACK_MS  # away: once a minute


def test_a_desktop_that_pushes_is_watched_not_polled(repo, qtbot) -> None:  # type: ignore[no-untyped-def]
    rig = Rig(switched_on(repo), qtbot, pushes=True)
    rig.service.start()
    rig.settle()
    assert rig.monitor.watching == NATURAL_BREAK_S
    assert (
        rig.timer.armed_ms == LONGEST_LOOK_S * 1000 + WAKE_SLACK_MS
    )  # the longest wait: Qt's timers stop in sleep
    rig.sit(25)
    assert rig.timer.armed_ms == 5 * 60 * 1000 - 1000 + WAKE_SLACK_MS  # then just when the card falls due


def test_switching_off_closes_the_monitor_and_stops_the_timer(repo, qtbot) -> None:  # type: ignore[no-untyped-def]
    rig = Rig(switched_on(repo), qtbot)
    rig.service.start()
    rig.sit(31)
    repo.set_setting("sitting_breaks_on", False)
    rig.service.settings_changed()
    rig.settle()
    assert rig.monitors[0].closed and rig.timer.armed_ms is None
    assert rig.withdrawn == 1


def test_a_failed_save_is_told_in_plain_words_and_the_break_goes_on(repo, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rig = Rig(switched_on(repo), qtbot)
    told: list[str] = []
    rig.service.save_failed.connect(told.append)
    rig.service.start()
    rig.sit(31)

    def full_disk(_record: object) -> None:
        raise DataError("The disk is full, so the break could not be saved.")

    monkeypatch.setattr(repo, "add_sitting_break", full_disk)
    rig.service.take()
    assert told == ["The disk is full, so the break could not be saved."]
    assert rig.service.status().phase is Phase.TAKING


def test_settings_are_read_as_stored(repo) -> None:  # type: ignore[no-untyped-def]
    switched_on(
        repo,
        sitting_interval_min=45,
        sitting_work_days=[5, 6],
        sitting_work_start="22:00",
        sitting_work_end="06:30",
    )
    settings = break_settings(repo)
    assert (settings.on, settings.interval_min, settings.work_days) == (True, 45, frozenset({5, 6}))
    assert (settings.work_start, settings.work_end) == (time(22), time(6, 30))


def test_back_bends_only_for_a_routine_with_extension_not_avoided(repo) -> None:  # type: ignore[no-untyped-def]
    from sciatica_coach.core.catalogue import load_catalogue
    from sciatica_coach.core.model import Direction, Routine
    from sciatica_coach.core.model import Phase as ProgrammePhase
    from sciatica_coach.services.flare import end_flare, start_flare
    from sciatica_coach.services.plans import save_routine, set_avoided_direction

    catalogue = load_catalogue()
    flexion_only = (catalogue.default_item("pelvic-tilt"), catalogue.default_item("knee-to-chest"))
    save_routine(repo, Routine(ProgrammePhase.MOBILITY, flexion_only))
    assert Movement.BACK_BENDS not in break_movements(repo)  # nothing shows that extension suits them
    items = (catalogue.default_item("prone-press-up"), catalogue.default_item("pelvic-tilt"))
    save_routine(repo, Routine(ProgrammePhase.MOBILITY, items))
    assert Movement.BACK_BENDS in break_movements(repo)
    start_flare(repo, MONDAY_9.date())
    assert Movement.BACK_BENDS not in break_movements(repo)  # not during a flare
    end_flare(repo)
    assert Movement.BACK_BENDS in break_movements(repo)
    set_avoided_direction(repo, Direction.EXTENSION)
    assert Movement.BACK_BENDS not in break_movements(repo)
