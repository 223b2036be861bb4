"""Shared fakes for the tests: a clock that only moves when a test moves it, and a plain stored session."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sciatica_coach.core.clock import ManualClock
from sciatica_coach.core.model import (
    ExerciseRecord,
    LegReach,
    Outcome,
    PainReport,
    Phase,
    SessionRecord,
    SymptomChange,
)


class FakeClock(ManualClock):
    """The app's ManualClock, starting on a Monday morning, that can also move the wall clock alone:
    `jump_wall` (a clock change) and `sleep_machine` (suspend: the monotonic clock stands still)."""

    def __init__(self, start: datetime | None = None, zone: str = "Europe/London") -> None:
        super().__init__(start or datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo(zone)))

    def jump_wall(self, seconds: float) -> None:
        self._wall = self._wall + timedelta(seconds=seconds)

    def sleep_machine(self, seconds: float) -> None:
        self.jump_wall(seconds)


class FakeSound:
    available = True

    def __init__(self, _volume: int = 80) -> None:
        self.played: list[str] = []
        self.volume = _volume

    def play(self, name: str) -> None:
        self.played.append(name)

    def set_volume(self, percent: int) -> None:
        self.volume = percent


class FakeSpeech:
    available = True

    def __init__(self, _volume: int = 80) -> None:
        self.said: list[str] = []
        self.volume = _volume

    def say(self, text: str) -> None:
        self.said.append(text)

    def stop(self) -> None:
        pass

    def set_volume(self, percent: int) -> None:
        self.volume = percent


class FakeScreenKeeper:
    def __init__(self) -> None:
        self.awake = False

    def keep_awake(self, reason: str) -> None:
        self.awake = True

    def release(self) -> None:
        self.awake = False


def fake_services():  # type: ignore[no-untyped-def]
    """ServiceFactories that hand out recording fakes; the fakes are reachable as attributes."""
    from sciatica_coach.views.context import ServiceFactories

    sound, speech, screen = FakeSound(), FakeSpeech(), FakeScreenKeeper()
    factories = ServiceFactories(sound=lambda _v: sound, speech=lambda _v: speech, screen=lambda: screen)
    factories.fake_sound = sound  # type: ignore[attr-defined]
    factories.fake_speech = speech  # type: ignore[attr-defined]
    factories.fake_screen = screen  # type: ignore[attr-defined]
    return factories


def session_record(session_id: str, start: datetime, **fields: object) -> SessionRecord:
    """A stored session of 12 minutes: one bridge answered "the same", leg symptoms to the thigh before and
    after; `fields` replace any of it."""
    record = SessionRecord(
        id=session_id,
        started_at=start,
        ended_at=start + timedelta(minutes=12),
        phase=Phase.MOBILITY,
        exercises=(ExerciseRecord("bridge", 10, 10, 1, 1, 5, symptom=SymptomChange.SAME),),
        outcome=Outcome.COMPLETED,
        pain_before=PainReport(3, 3, LegReach.THIGH),
        pain_after=PainReport(3, 3, LegReach.THIGH),
    )
    return replace(record, **fields)  # type: ignore[arg-type]
