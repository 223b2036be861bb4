"""kill -9 while sessions and safety events are recorded or history is imported: the data always opens cleanly
afterwards.

A helper process (a "zygote", started once with `python -c`, importing only the storage code) forks one
worker per round. The worker opens the data folder the way the app does (folder lock, Repository.open) and
performs a fixed, numbered sequence of operations, printing `ack <n>` after each call returns. The test reads
those lines and sends SIGKILL after a seeded random number of acknowledgements, plus a seeded random amount of
busy work so the kill lands at different points of the next operation (in the JSON encoding, inside the temp
file write or fsync, just after the rename). Nothing here waits on the clock.

After every kill the folder is checked: it opens with no notices, every file parses and every record
decodes, every acknowledged operation is there, and the stored data is exactly the state before or after
the operation in flight (for an import, which writes one file per year, whole years of the bundle in
flight). The next round starts at the first unacknowledged operation, as a person would redo it.

`CRASH_KILLS` (environment, default 200) sets the number of kills; benchmarks/crash_bench.py runs 1,000.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sciatica_coach.core.demo import generate_demo_history
from sciatica_coach.core.model import (
    ExerciseRecord,
    Outcome,
    PainReport,
    Phase,
    SafetyEvent,
    SafetyEventKind,
    SessionRecord,
    SymptomChange,
)
from sciatica_coach.storage.codec import event_key, event_to_dict, session_to_dict
from sciatica_coach.storage.exchange import EXPORT_FORMAT, EXPORT_VERSION, apply_import, parse_import
from sciatica_coach.storage.lock import FolderLock
from sciatica_coach.storage.repository import DATA_FILE, HISTORY_FOLDER, Repository
from tests.helpers import CHILD_PYTHONPATH, PACKAGE_HOME

TZ = ZoneInfo("Europe/London")
DEFAULT_KILLS = 200
MAX_ACKS_BEFORE_KILL = {"sessions": 8, "import": 3}
SPIN_MAX = {"sessions": 120_000, "import": 400_000}  # busy-loop steps after the last ack (~0-5 ms / 0-15 ms)
READ_TIMEOUT_S = 60.0  # a safety net against a hung worker, never a way of timing the kill
COUNTER_KEY = "crash_counter"
SESSION_YEARS = (2025, 2026)
BUNDLE_YEARS = (2023, 2024, 2025)
BUNDLE_SIZE = 6
PREFILL_WEEKS = 13


def kills_from_env() -> int:
    return int(os.environ.get("CRASH_KILLS", str(DEFAULT_KILLS)))


# ---- the operations, numbered, shared by the worker and the checker --------------------------------------
def crash_record(index: int, version: int) -> SessionRecord:
    """Session `index`: version 0 is the checkpoint written mid-session, version 1 the finished record."""
    year = SESSION_YEARS[index % len(SESSION_YEARS)]
    start = datetime(year, 1 + index % 12, 1 + index % 28, 8, 0, tzinfo=TZ) + timedelta(seconds=index)
    done = 5 if version else 2
    exercises = tuple(
        ExerciseRecord(ex, 10 if n < done else 0, 10, 1, 1, 5, skipped=n >= done,
                       symptom=SymptomChange.SAME if n < done else None)
        for n, ex in enumerate(("pelvic-tilt", "knee-to-chest", "prone-lying", "bridge", "bird-dog"))
    )  # fmt: skip
    return SessionRecord(
        id=f"crash-{index}",
        started_at=start,
        ended_at=start + timedelta(minutes=4 + 8 * version),
        phase=Phase.MOBILITY,
        exercises=exercises,
        outcome=Outcome.COMPLETED if version else Outcome.ENDED_EARLY,
        pain_before=PainReport(back=index % 11, leg=(index * 3) % 11),
        pain_after=PainReport(back=(index + 1) % 11, leg=(index * 7) % 11) if version else None,
        reason="" if version else "Sciatica Coach stopped before the end",
        slot="08:00",
    )


def session_op(n: int) -> tuple[str, int, int]:
    """Operation n of the recording run: save a checkpoint, save the finished record, keep a safety event of
    the session, save a counter."""
    index, step = divmod(n, 4)
    return ("save", index, step) if step < 2 else ("event", index, 0) if step == 2 else ("state", index, 0)


def crash_event(index: int) -> SafetyEvent:
    """The safety event kept during session `index` (in the session's year)."""
    record = crash_record(index, 1)
    return SafetyEvent(
        record.started_at + timedelta(minutes=3), SafetyEventKind.IT_HURTS, exercise_id="bridge",
        session_id=record.id,
    )  # fmt: skip


def bundle_sessions(b: int) -> list[SessionRecord]:
    out = []
    for k in range(BUNDLE_SIZE):
        year = BUNDLE_YEARS[k % len(BUNDLE_YEARS)]
        start = datetime(year, 1 + b % 12, 1 + k, 18, 0, tzinfo=TZ) + timedelta(seconds=b)
        out.append(
            SessionRecord(
                id=f"import-{b}-{k}",
                started_at=start,
                ended_at=start + timedelta(minutes=9),
                phase=Phase.STRENGTH,
                exercises=(ExerciseRecord("bridge", 10, 10, 2, 2, 5, symptom=SymptomChange.UP),),
                outcome=Outcome.COMPLETED,
                pain_before=PainReport(back=b % 11, leg=k),
                pain_after=PainReport(back=b % 10, leg=k),
                slot="19:00",
            )
        )
    return out


def bundle_events(b: int) -> list[SafetyEvent]:
    """An "It hurts" in each of the bundle's first sessions (so in each of its years)."""
    return [
        SafetyEvent(s.started_at + timedelta(minutes=2), SafetyEventKind.IT_HURTS, session_id=s.id)
        for s in bundle_sessions(b)[: len(BUNDLE_YEARS)]
    ]


def bundle_excused(b: int) -> date:
    return date(2023, 1, 1) + timedelta(days=b)


def bundle_plan_start(b: int) -> date:
    return date(2022, 12, 31) - timedelta(days=b)  # earlier every time, so every import moves it


def bundle_blob(b: int) -> bytes:
    """Import operation b: an export file as another computer would have written it."""
    payload = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "app_version": "0.1.0",
        "exported_at": "2026-06-30T12:00:00+01:00",
        "plan_start": bundle_plan_start(b).isoformat(),
        "excused_days": [bundle_excused(b).isoformat()],
        "sessions": [session_to_dict(s) for s in bundle_sessions(b)],
        "safety_events": [event_to_dict(e) for e in bundle_events(b)],
    }
    return json.dumps(payload, indent=1).encode()


# ---- the worker (runs in a forked child of the zygote) ---------------------------------------------------
def _say(text: str) -> None:
    os.write(1, f"{text}\n".encode())


def worker(folder: Path, mode: str, start: int) -> None:
    lock = FolderLock(folder)
    if not lock.acquire():
        _say("error the folder lock was still held after a kill")
        return
    repo = Repository.open(folder)
    if repo.notices:
        _say("error notices on open: " + " | ".join(repo.notices).replace("\n", " "))
        return
    for n in range(start, start + 100_000):
        if mode == "sessions":
            kind, index, version = session_op(n)
            if kind == "save":
                repo.save_session(crash_record(index, version))
            elif kind == "event":
                repo.add_safety_event(crash_event(index))
            else:
                repo.set_state(COUNTER_KEY, index)
        else:
            apply_import(repo, parse_import(bundle_blob(n), f"bundle {n}"))
        _say(f"ack {n}")
    _say("error ran out of operations before being killed")


def zygote_main() -> None:
    """Read one JSON command per line; fork a worker for it; report its pid, then its exit status."""
    for line in sys.stdin:
        command = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                worker(Path(command["folder"]), command["mode"], command["start"])
            except BaseException:
                os.write(2, traceback.format_exc().encode())
                code = 3
            os._exit(code)
        _say(f"forked {pid}")
        _, status = os.waitpid(pid, 0)
        _say(f"reaped {pid} {status}")


ZYGOTE_SOURCE = "from tests.storage.test_crash_safety import zygote_main; zygote_main()"


# ---- the checker -----------------------------------------------------------------------------------------
@dataclass
class Model:
    """What the data folder must hold after a given number of operations."""

    sessions: dict[str, SessionRecord]
    counter: int | None = None
    excused: set[date] = field(default_factory=set)
    plan_start: date | None = None
    events: dict[tuple[str, str, str, str], SafetyEvent] = field(default_factory=dict)

    def copy(self) -> Model:
        return Model(dict(self.sessions), self.counter, set(self.excused), self.plan_start, dict(self.events))

    def add_event(self, event: SafetyEvent) -> None:
        self.events.setdefault(event_key(event), event)

    def apply(self, mode: str, n: int) -> None:
        if mode == "sessions":
            kind, index, version = session_op(n)
            if kind == "save":
                record = crash_record(index, version)
                self.sessions[record.id] = record
            elif kind == "event":
                self.add_event(crash_event(index))
            else:
                self.counter = index
        else:
            for record in bundle_sessions(n):
                self.sessions.setdefault(record.id, record)
            for event in bundle_events(n):
                self.add_event(event)
            self.excused.add(bundle_excused(n))
            start = bundle_plan_start(n)
            if self.plan_start is None or start < self.plan_start:
                self.plan_start = start


@dataclass
class CrashStats:
    kills: int = 0
    corrupt_files: int = 0  # files that did not parse, or held a record that did not decode
    lost_writes: int = 0  # acknowledged operations missing afterwards
    torn_states: int = 0  # data that was neither the state before nor after the operation in flight
    notices: int = 0  # notices when opening after a kill (a broken file moved aside)
    temp_files_left: int = 0  # kills inside atomic_write, between creating the temp file and the rename
    landed_unacknowledged: int = 0  # the operation in flight was complete on disk, but not yet reported
    partial_imports: int = 0  # an import killed between its per-year writes (re-importing completes it)
    acknowledged: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def add(self, other: CrashStats) -> None:
        for name in ("kills", "corrupt_files", "lost_writes", "torn_states", "notices", "temp_files_left",
                     "landed_unacknowledged", "partial_imports", "acknowledged"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.seconds += other.seconds
        self.problems.extend(other.problems)


def count_corrupt_files(folder: Path) -> tuple[int, list[str]]:
    """Parse every data file directly (records that do not decode are counted by the caller)."""
    bad: list[str] = []
    files = [folder / DATA_FILE, *sorted((folder / HISTORY_FOLDER).glob("sessions-*.json"))]
    for path in files:
        if not path.exists():
            continue
        try:
            raw = json.loads(path.read_bytes().decode("utf-8"))
            if not isinstance(raw, dict) or not isinstance(raw.get("sessions", {}), dict):
                raise ValueError("not in the expected shape")
        except ValueError as err:
            bad.append(f"{path.name}: {err}")
    broken = [p.name for p in folder.rglob("*.broken-*")]
    return len(bad) + len(broken), bad + broken


def sweep_temp_files(folder: Path, pid: int) -> int:
    """Count (and remove) the temp files a killed worker left behind: proof the kill landed inside a write.

    They are never read (the data files are found by name), but nothing in storage sweeps them yet."""
    left = list(folder.rglob(f".*.{pid}.tmp"))
    for path in left:
        path.unlink()
    return len(left)


class Zygote:
    def __init__(self, stderr_path: Path) -> None:
        env = {**os.environ, "PYTHONPATH": CHILD_PYTHONPATH, "PYTHONDONTWRITEBYTECODE": "1"}
        self._stderr = stderr_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE_SOURCE],
            cwd=PACKAGE_HOME,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        self.stderr_path = stderr_path
        self._buffer = b""

    def send(self, command: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(command) + "\n").encode())
        self.proc.stdin.flush()

    def line(self) -> str:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            ready, _, _ = select.select([fd], [], [], READ_TIMEOUT_S)
            if not ready:
                raise AssertionError(f"no word from the worker for {READ_TIMEOUT_S:.0f} s: {self.errors()}")
            chunk = os.read(fd, 65536)
            if not chunk:
                raise AssertionError(f"the zygote died: {self.errors()}")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode()

    def errors(self) -> str:
        self._stderr.flush()
        return self.stderr_path.read_text(errors="replace")[-2000:]

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._stderr.close()


def prefill(folder: Path) -> Model:
    """Three months of demo history, so every write re-encodes a realistically sized year file."""
    now = datetime(2026, 6, 30, 21, 0, tzinfo=TZ)
    demo = generate_demo_history(PREFILL_WEEKS, now)
    repo = Repository.open(folder)
    repo.add_sessions(list(demo.sessions))
    repo.close()
    return Model({s.id: s for s in demo.sessions})


def _spin(steps: int) -> None:
    for _ in range(steps):
        pass


def check_after_kill(
    folder: Path, mode: str, before: Model, after: Model, in_flight: int, stats: CrashStats
) -> None:
    corrupt, what = count_corrupt_files(folder)
    if corrupt:
        stats.corrupt_files += corrupt
        stats.problems.append(f"corrupt after a kill in op {in_flight}: {what}")
    repo = Repository.open(folder)
    try:
        if repo.notices:
            stats.notices += len(repo.notices)
            stats.problems.append(f"notices after a kill in op {in_flight}: {repo.notices}")
        stored = {s.id: s for s in repo.sessions()}
        if repo.session_count() != len(stored):
            stats.corrupt_files += 1
            stats.problems.append(f"{repo.session_count() - len(stored)} stored record(s) did not decode")
        counter = repo.state(COUNTER_KEY)
        excused, plan_start = repo.excused_days(), repo.plan_start()
        events = {event_key(e): e for e in repo.safety_events()}
        stored_events = sum(len(json.loads(p.read_bytes()).get("safety_events", {}))
                            for p in (folder / HISTORY_FOLDER).glob("sessions-*.json"))  # fmt: skip
        if stored_events != len(events):
            stats.corrupt_files += 1
            stats.problems.append(
                f"{stored_events - len(events)} stored safety event(s) did not decode or doubled"
            )
    finally:
        repo.close()
    # every acknowledged operation is there, exactly as written
    lost = [
        sid for sid, rec in before.sessions.items() if stored.get(sid) not in (rec, after.sessions.get(sid))
    ]
    lost_count = len(lost) + (before.counter is not None and counter not in (before.counter, after.counter))
    lost_count += len(before.excused - excused) + (plan_start not in (before.plan_start, after.plan_start))
    lost_count += len(set(before.events) - set(events))
    if lost_count:
        stats.lost_writes += lost_count
        stats.problems.append(f"lost after a kill in op {in_flight}: {lost[:5]} counter={counter}")
    now = Model(stored, counter, excused, plan_start, events)
    if mode == "sessions":
        if now == after and now != before:
            stats.landed_unacknowledged += 1
        elif now != before:
            stats.torn_states += 1
            stats.problems.append(f"op {in_flight} left a state that is neither before nor after it")
        return
    # an import writes one file per year, then the excused days, then the start: whole years or nothing
    extra = set(stored) - set(before.sessions)
    expected_extra = set(after.sessions) - set(before.sessions)
    by_year: dict[int, set[str]] = {}
    for sid in expected_extra:
        by_year.setdefault(after.sessions[sid].started_at.year, set()).add(sid)
    whole_years = all(ids <= extra or not ids & extra for ids in by_year.values())
    if not set(events) - set(before.events) <= set(after.events) - set(before.events):
        whole_years = False  # an event that is not in the bundle
    if not extra <= expected_extra or not whole_years or not excused <= after.excused:
        stats.torn_states += 1
        stats.problems.append(f"import {in_flight} left part of a year, or something not in the bundle")
    elif now == after and now != before:
        stats.landed_unacknowledged += 1
    elif now != before:
        stats.partial_imports += 1


def crash_campaign(folder: Path, mode: str, kills: int, seed: int, zygote: Zygote) -> CrashStats:
    """Kill a worker `kills` times while it records sessions (mode "sessions") or imports ("import")."""
    stats = CrashStats()
    rng = random.Random(seed)
    model = prefill(folder)
    next_op = 0
    began = time.perf_counter()
    for _ in range(kills):
        target = rng.randint(0, MAX_ACKS_BEFORE_KILL[mode])
        spin = rng.randrange(SPIN_MAX[mode])
        zygote.send({"folder": str(folder), "mode": mode, "start": next_op})
        pid: int | None = None
        acks: list[int] = []
        killed = False
        status = None
        while status is None:
            line = zygote.line()
            word, _, rest = line.partition(" ")
            if word == "forked":
                pid = int(rest)
            elif word == "ack":
                acks.append(int(rest))
            elif word == "reaped":
                status = int(rest.split()[1])
            else:
                raise AssertionError(f"worker: {line} {zygote.errors()}")
            if not killed and pid is not None and len(acks) >= target:
                _spin(spin)
                os.kill(pid, signal.SIGKILL)
                killed = True
        assert pid is not None
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
            f"the worker ended by itself (status {status}): {zygote.errors()}"
        )
        assert acks == list(range(next_op, next_op + len(acks))), "acknowledgements out of order"
        stats.kills += 1
        stats.acknowledged += len(acks)
        for n in acks:
            model.apply(mode, n)
        in_flight = next_op + len(acks)
        after = model.copy()
        after.apply(mode, in_flight)
        stats.temp_files_left += sweep_temp_files(folder, pid)
        check_after_kill(folder, mode, model, after, in_flight, stats)
        # the next worker redoes the operation in flight first, as a person would (import again, etc.)
        next_op = in_flight
    stats.seconds = time.perf_counter() - began
    return stats


def run_crash_suite(base: Path, kills: int, seed: int = 2026) -> CrashStats:
    """`kills` kills, about 55 % while recording sessions and 45 % while importing history."""
    total = CrashStats()
    zygote = Zygote(base / "zygote-stderr.txt")
    try:
        session_kills = (kills * 55 + 99) // 100
        for mode, count in (("sessions", session_kills), ("import", kills - session_kills)):
            folder = base / f"data-{mode}"
            total.add(crash_campaign(folder, mode, count, seed, zygote))
    finally:
        zygote.close()
    return total


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL (POSIX)")
def test_kill_9_never_corrupts_or_loses_acknowledged_writes(tmp_path: Path) -> None:
    kills = kills_from_env()
    stats = run_crash_suite(tmp_path, kills)
    assert stats.kills == kills >= 1
    assert stats.problems == []
    assert (stats.corrupt_files, stats.lost_writes, stats.torn_states, stats.notices) == (0, 0, 0, 0)
    assert stats.acknowledged > stats.kills, "the workers did real work between kills"
    if kills >= 100:  # the kills land in different places, not all before the next write starts
        assert stats.temp_files_left + stats.landed_unacknowledged + stats.partial_imports > 0


def test_checker_notices_a_torn_write(tmp_path: Path) -> None:
    """The checker itself can fail: a half-written year file is reported as corrupt and lost."""
    folder = tmp_path / "data"
    model = prefill(folder)
    repo = Repository.open(folder)
    repo.save_session(crash_record(0, 1))  # into the 2025 file
    repo.close()
    model.apply("sessions", 0)
    model.apply("sessions", 1)
    path = folder / HISTORY_FOLDER / "sessions-2025.json"
    path.write_bytes(path.read_bytes()[:-40])
    stats = CrashStats()
    check_after_kill(folder, "sessions", model, model.copy(), 2, stats)
    assert stats.corrupt_files == 1 and stats.notices == 1 and stats.lost_writes == 1


def test_checker_notices_a_lost_safety_event(tmp_path: Path) -> None:
    """The checker also counts safety events: one acknowledged but not stored is reported as lost."""
    folder = tmp_path / "data"
    model = prefill(folder)
    for n in range(3):  # checkpoint, finished record, then the safety event, which is never written here
        model.apply("sessions", n)
    repo = Repository.open(folder)
    repo.save_session(crash_record(0, 1))
    repo.close()
    stats = CrashStats()
    check_after_kill(folder, "sessions", model, model.copy(), 3, stats)
    assert stats.lost_writes == 1 and stats.corrupt_files == 0
