"""Issue 17, classes 5 (imports) and 7 (messages): a pipe or device given as the file to import never hangs,
a byte-order mark is accepted by both imports, a disk that fills up part-way through an import is reported
truthfully (what was imported, what to do), sizes in "too large" messages are never shown equal to the limit,
and an export version below 1 is refused."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sciatica_coach.cli.main import main
from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.chosen_files import ChosenFileError, read_chosen_file
from sciatica_coach.core.model import (
    ExerciseRecord,
    Outcome,
    Phase,
    SafetyEvent,
    SafetyEventKind,
    SessionRecord,
)
from sciatica_coach.core.prescription import (
    MAX_FILE_BYTES,
    PrescriptionError,
    dumps_prescription,
    read_prescription,
)
from sciatica_coach.storage import atomic
from sciatica_coach.storage.backup import BackupError, backup_bytes, parse_backup, read_backup, snapshot
from sciatica_coach.storage.exchange import (
    MAX_IMPORT_BYTES,
    ExchangeError,
    PartialImportError,
    apply_import,
    export_json,
    parse_import,
    read_import_file,
)
from sciatica_coach.storage.repository import Repository
from tests.helpers import CHILD_PYTHONPATH, PACKAGE_HOME

TZ = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 6, 12, 0, tzinfo=TZ)
NO_HANG_S = 10.0


def _session(n: int, year: int) -> SessionRecord:
    start = datetime(year, 3, 1, 8, 0, tzinfo=TZ) + timedelta(days=n % 200)
    return SessionRecord(
        id=f"y{year}-{n}", started_at=start, ended_at=start + timedelta(minutes=11), phase=Phase.MOBILITY,
        exercises=(ExerciseRecord("pelvic-tilt", 10, 10, 1, 1, 5),), outcome=Outcome.COMPLETED,
    )  # fmt: skip


def _finishes(call: Callable[[], Any]) -> tuple[bool, Any]:
    """Run `call` in a thread: (finished within NO_HANG_S, its result or exception). A regression shows as a
    failed assertion, not a hung test run."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as err:  # handed back to the test
            outcome.append(err)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(NO_HANG_S)
    return (not worker.is_alive(), outcome[0] if outcome else None)


@pytest.fixture
def fifo(tmp_path: Path) -> Any:
    path = tmp_path / "history.json"
    os.mkfifo(path)
    yield path
    # If a reader did block, a writer opening the pipe lets it go, so no thread is left behind.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return
    os.close(fd)


# ---- a pipe or a device as input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reader",
    [
        lambda path: read_chosen_file(path, 1024),
        read_import_file,
        lambda path: read_prescription(path, load_catalogue()),
        read_backup,
    ],
    ids=["read_chosen_file", "history import", "routine import", "backup restore"],
)
def test_a_pipe_is_refused_at_once(fifo: Path, reader: Callable[[Path], Any]) -> None:
    done, result = _finishes(lambda: reader(fifo))
    assert done, "reading a FIFO hung"
    assert isinstance(result, ChosenFileError | ExchangeError | PrescriptionError | BackupError), result
    assert "not an ordinary file" in str(result)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_is_refused(device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"{device} is missing here")
    with pytest.raises(ExchangeError, match="not an ordinary file"):
        read_import_file(Path(device))
    with pytest.raises(PrescriptionError, match="not an ordinary file"):
        read_prescription(Path(device), load_catalogue())
    with pytest.raises(BackupError, match="not an ordinary file"):
        read_backup(Path(device))


@pytest.mark.parametrize("command", [["import"], ["routine", "import"], ["restore", "--yes"]])
def test_the_commands_given_a_pipe_exit_2_at_once(data_dir: Path, fifo: Path, command: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sciatica_coach", "--data-dir", str(data_dir), *command, str(fifo)],
        capture_output=True, cwd=PACKAGE_HOME, env={**os.environ, "PYTHONPATH": CHILD_PYTHONPATH}, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr.decode()
    assert b"not an ordinary file" in done.stderr and b"Traceback" not in done.stderr


# ---- a byte-order mark ----------------------------------------------------------------------------------


def test_a_byte_order_mark_is_accepted_by_the_imports_and_the_restore(data_dir: Path, tmp_path: Path) -> None:
    repo = Repository.open(data_dir)
    repo.add_sessions([_session(1, 2026)])
    export = export_json(repo, NOW).encode("utf-8")
    assert parse_import(b"\xef\xbb\xbf" + export) == parse_import(export)
    backup = backup_bytes(snapshot(data_dir, NOW))
    assert parse_backup(b"\xef\xbb\xbf" + backup) == parse_backup(backup)
    routine = dumps_prescription(load_catalogue().default_routine(Phase.MOBILITY)).encode("utf-8")
    with_bom = tmp_path / "routine.json"
    with_bom.write_bytes(b"\xef\xbb\xbf" + routine)
    assert read_prescription(with_bom, load_catalogue()) == load_catalogue().default_routine(Phase.MOBILITY)


# ---- sizes in messages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "shown"),
    [(MAX_IMPORT_BYTES + 1, "21 MB"), (21 * 1024 * 1024, "21 MB"), (MAX_IMPORT_BYTES * 5, "100 MB")],
)
def test_a_too_large_export_never_reads_as_the_limit(tmp_path: Path, size: int, shown: str) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(size)  # sparse: nothing is written, and the reader never reads it
    with pytest.raises(ExchangeError) as caught:
        read_import_file(big)
    assert f"({shown}; the limit is 20 MB)" in str(caught.value)
    with pytest.raises(ExchangeError, match=r"\(21 MB; the limit is 20 MB\)"):
        parse_import(b" " * (MAX_IMPORT_BYTES + 1))


def test_a_too_large_routine_file_never_reads_as_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "routine.json"
    big.write_bytes(b" " * (MAX_FILE_BYTES + 1))
    with pytest.raises(PrescriptionError, match="the file is 65 KB; a routine file is at most 64 KB"):
        read_prescription(big, load_catalogue())


# ---- the export's version -------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_only_export_version_1_is_read(version: int) -> None:
    blob = json.dumps({"format": "sciatica-coach-history", "version": version, "sessions": []}).encode()
    if version == 1:
        assert parse_import(blob).sessions == ()
        return
    with pytest.raises(ExchangeError) as caught:
        parse_import(blob)
    message = str(caught.value)
    assert ("versions start at 1" in message) if version < 1 else ("newer Sciatica Coach" in message)


# ---- a disk that fills up part-way ----------------------------------------------------------------------


def _fill_disk_after(monkeypatch: pytest.MonkeyPatch, writes: int) -> None:
    """The storage's atomic writes succeed `writes` times, then fail as on a full disk."""
    real = atomic.atomic_write
    count = {"n": 0}

    def atomic_write(path: Path, data: bytes, *args: Any, **kwargs: Any) -> None:
        count["n"] += 1
        if count["n"] > writes:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, data, *args, **kwargs)

    monkeypatch.setattr("sciatica_coach.storage.repository.atomic_write", atomic_write)


@settings(max_examples=25, deadline=None)
@given(writes=st.integers(min_value=0, max_value=7), per_year=st.integers(min_value=1, max_value=5))
def test_a_full_disk_part_way_says_exactly_what_was_imported(tmp_path_factory: pytest.TempPathFactory,
                                                              writes: int, per_year: int) -> None:  # fmt: skip
    folder = tmp_path_factory.mktemp("data")
    years = (2024, 2025, 2026)
    sessions = [_session(n, year) for year in years for n in range(per_year)]
    events = [SafetyEvent(at=NOW - timedelta(days=400 * i), kind=SafetyEventKind.IT_HURTS) for i in range(3)]
    blob = json.dumps({
        "format": "sciatica-coach-history", "version": 1,
        "sessions": [json.loads(export) for export in _session_dicts(sessions)],
        "safety_events": [_event_dict(e) for e in events],
    }).encode()  # fmt: skip
    bundle = parse_import(blob)
    repo = Repository.open(folder)
    with pytest.MonkeyPatch.context() as patch:
        _fill_disk_after(patch, writes)
        try:
            result = apply_import(repo, bundle)
        except PartialImportError as err:
            message, result = str(err), err.result
            assert f"{result.added} of the file's {len(sessions)} new session" in message
            assert "import the same file again" in message
        else:
            assert result.added == len(sessions)  # everything fitted
    repo.close()
    stored = Repository.open(folder)
    assert len(stored.sessions()) == result.added  # the count told is the count kept
    assert len(stored.safety_events()) == result.events_added
    again = apply_import(stored, bundle)  # space freed: the same file completes it, never doubling
    assert again.added + result.added == len(sessions) and again.already_there == result.added
    assert len(stored.sessions()) == len(sessions)
    assert len(stored.safety_events()) == len(events)


def _session_dicts(sessions: list[SessionRecord]) -> list[str]:
    from sciatica_coach.storage.codec import session_to_dict

    return [json.dumps(session_to_dict(s)) for s in sessions]


def _event_dict(event: SafetyEvent) -> dict[str, Any]:
    from sciatica_coach.storage.codec import event_to_dict

    return event_to_dict(event)


def test_the_cli_import_on_a_full_disk_exits_2_and_tells_the_truth(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = Repository.open(tmp_path / "source")
    source.add_sessions([_session(1, 2025), _session(2, 2026)])
    export = tmp_path / "history.json"
    export.write_text(export_json(source, NOW), encoding="utf-8")
    Repository.open(data_dir).close()
    _fill_disk_after(monkeypatch, 1)
    assert main(["--data-dir", str(data_dir), "import", str(export)]) == 2
    err = capsys.readouterr().err
    assert "Before that, 1 of the file's 2 new sessions were imported." in err, err
    assert "Traceback" not in err


# ---- each problem named once ----------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    record_id=st.text(alphabet="abc019 -", min_size=1, max_size=8),
    field=st.sampled_from(["phase", "outcome"]),
    value=st.one_of(st.integers(-5, 9), st.text(max_size=6), st.none()),
)
def test_a_bad_session_field_names_the_session_once(record_id: str, field: str, value: object) -> None:
    from sciatica_coach.storage.codec import session_to_dict

    doc = session_to_dict(_session(1, 2026))
    doc.update({"id": record_id, field: value})
    blob = json.dumps({"format": "sciatica-coach-history", "version": 1, "sessions": [doc]}).encode()
    try:
        parse_import(blob)
    except ExchangeError as err:
        message = str(err)
        prefix = f"session 1 {record_id}:"
        assert message.count(prefix) == 1, message
        assert "is not a valid" not in message  # Python's enum words never reach the person
