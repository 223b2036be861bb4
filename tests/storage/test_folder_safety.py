"""Issue 17, class 1: the data folder itself. A folder that is a file, read-only, full, world-writable, or with
something planted where the app writes (its lock, a temp file) never makes the app crash, write through a
link, or change permissions it should not.

Root ignores file permissions, so read-only folders are tested two ways: through os.access (the check the code
makes) and, where the system allows it, as a real read-only bind mount or a full tmpfs inside a private mount
namespace (`unshare -rm`, needing no root; skipped where user namespaces are not allowed)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciatica_coach.storage.atomic import atomic_write, ensure_private_dir, remove_stale_temp_files
from sciatica_coach.storage.lock import APP, COMMAND, LOCK_NAME, FolderLock, LockError, LockHolder, parse_note
from sciatica_coach.storage.migrations import SCHEMA_VERSION
from sciatica_coach.storage.repository import DATA_FILE, HISTORY_FOLDER, DataError, Repository, history_file
from tests.helpers import CHILD_PYTHONPATH, PACKAGE_HOME
from tests.storage.test_bad_files import session_in, snapshot, two_years

EXAMPLES = {"lock_note": 300, "planted": 150}  # Hypothesis examples per property (docs/data-safety.md)
ran: dict[str, int] = {}


def _private_mounts_work() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, check=False, timeout=20)
    return probe.returncode == 0


PRIVATE_MOUNTS = _private_mounts_work()
needs_private_mounts = pytest.mark.skipif(
    not PRIVATE_MOUNTS, reason="user namespaces (unshare -rm) are not allowed here"
)


def in_namespace(script: str, folder: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run the shell `script` in a private mount namespace, with $D the data folder and "$@" the real command
    on it: a read-only or full mount made there is seen by this command only and vanishes with it."""
    command = [sys.executable, "-m", "sciatica_coach", "--data-dir", str(folder), *argv]
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", f'D="$1"; shift; {script}', "sh", str(folder), *command],
        capture_output=True,
        text=True,
        cwd=PACKAGE_HOME,
        env={**os.environ, "PYTHONPATH": CHILD_PYTHONPATH},
        timeout=120,
        check=False,
    )


def run_cli_in_namespace(setup: str, folder: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return in_namespace(f'{setup} && exec "$@"', folder, *argv)


READ_ONLY_MOUNT = 'mount --bind "$D" "$D" && mount -o remount,bind,ro "$D"'


# ---- a --data-dir that is not a folder -------------------------------------------------------------------
def test_a_data_dir_that_is_a_file_is_refused_plainly_and_left_alone(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("my notes")
    with pytest.raises(DataError, match="it is a file, not a folder"):
        Repository.open(not_a_folder)
    with pytest.raises(DataError, match="it is a file, not a folder"):
        Repository.open(not_a_folder, read_only=True)
    with pytest.raises(NotADirectoryError) as info:
        ensure_private_dir(not_a_folder)
    assert info.value.strerror == "it is a file, not a folder"
    assert not_a_folder.read_text() == "my notes"


def test_a_data_dir_that_is_a_dangling_link_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "data"
    link.symlink_to(tmp_path / "unplugged-drive" / "data")
    with pytest.raises(DataError, match="link to a folder that is not there"):
        Repository.open(link)
    assert not (tmp_path / "unplugged-drive").exists()


@pytest.mark.parametrize("command", [["stats"], ["export"], ["demo-data"], ["reminders", "set", "08:00"]])
def test_cli_with_a_file_as_data_dir_says_so_in_one_line(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from sciatica_coach.cli.main import main

    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("my notes")
    assert main(["--data-dir", str(not_a_folder), *command]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "file, not a folder" in err
    assert not_a_folder.read_text() == "my notes"


# ---- permissions: never changed on a folder we did not make; others' write access fixed or warned ----------
def test_an_existing_folder_keeps_its_permissions(tmp_path: Path) -> None:
    chosen = tmp_path / "Documents"
    chosen.mkdir()
    os.chmod(chosen, 0o755)
    Repository.open(chosen).set_setting("volume", 30)
    assert stat.S_IMODE(chosen.stat().st_mode) == 0o755
    made = tmp_path / "new" / "data"
    Repository.open(made)
    assert stat.S_IMODE(made.stat().st_mode) == 0o700


def test_a_world_writable_data_folder_is_warned_about_and_left_as_it_is(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    repo = Repository.open(shared)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o777
    [notice] = repo.notices
    assert "Other people using this computer can change" in notice and "chmod 700" in notice


def test_own_files_writable_by_others_are_made_private_again(data_dir: Path) -> None:
    two_years(data_dir).close()
    before = snapshot(data_dir)
    os.chmod(data_dir / DATA_FILE, 0o666)
    os.chmod(history_file(data_dir, 2025), 0o646)
    os.chmod(data_dir / HISTORY_FOLDER, 0o777)
    repo = Repository.open(data_dir)
    assert stat.S_IMODE((data_dir / DATA_FILE).stat().st_mode) == 0o600
    assert stat.S_IMODE(history_file(data_dir, 2025).stat().st_mode) == 0o600
    assert stat.S_IMODE((data_dir / HISTORY_FOLDER).stat().st_mode) == 0o700
    [notice] = repo.notices
    assert "private to you again" in notice and "sessions-2025.json" in notice and DATA_FILE in notice
    assert snapshot(data_dir) == before  # contents untouched
    assert Repository.open(data_dir).notices == []  # said once


def test_a_linked_data_file_is_not_chmodded_through_the_link(data_dir: Path, tmp_path: Path) -> None:
    two_years(data_dir).close()
    elsewhere = tmp_path / "dotfiles" / DATA_FILE
    elsewhere.parent.mkdir()
    shutil.move(data_dir / DATA_FILE, elsewhere)
    os.chmod(elsewhere, 0o644)
    (data_dir / DATA_FILE).symlink_to(elsewhere)
    Repository.open(data_dir)
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o644


# ---- the lock: who holds it, and nothing planted in its place is written through -------------------------
def test_the_lock_names_its_holder(data_dir: Path) -> None:
    data_dir.mkdir()
    app = FolderLock(data_dir, holder=APP)
    assert app.acquire()
    try:
        assert FolderLock(data_dir).holder() == LockHolder(os.getpid(), APP)
        assert not FolderLock(data_dir, holder=COMMAND).acquire()
    finally:
        app.release()
    command = FolderLock(data_dir, holder=COMMAND)
    assert command.acquire()
    assert FolderLock(data_dir).holder() == LockHolder(os.getpid(), COMMAND)
    command.release()


@settings(max_examples=EXAMPLES["lock_note"], deadline=None)
@given(st.binary(max_size=100) | st.from_regex(rb"\A[0-9 ]{0,12}(app|command|other)?\n?\Z"))
def test_any_lock_note_reads_as_a_holder_or_none(note: bytes) -> None:
    ran["lock_note"] = ran.get("lock_note", 0) + 1
    holder = parse_note(note)
    assert holder is None or (holder.kind in (APP, COMMAND) and holder.pid >= 0)


def test_an_old_note_of_a_pid_alone_is_the_app() -> None:
    assert parse_note(b"1234") == LockHolder(1234, APP)
    assert parse_note(b"") is None and parse_note("١٢٣ app".encode()) is None


def _plant(kind: str, folder: Path, content: bytes) -> Path:
    """Put something other than a plain lock file at the lock's name; returns the file that must survive."""
    victim = folder / DATA_FILE
    place = folder / LOCK_NAME
    if kind == "link to the data file":
        place.symlink_to(victim)
    elif kind == "dangling link":
        place.symlink_to(folder / "nowhere" / "x")
        victim = folder / "nowhere"
    elif kind == "hard link to the data file":
        os.link(victim, place)
    elif kind == "folder":
        place.mkdir()
        (place / "keep.txt").write_bytes(content)
        victim = place / "keep.txt"
    elif kind == "pipe":
        os.mkfifo(place)
    return victim


PLANTED = ["link to the data file", "dangling link", "hard link to the data file", "folder", "pipe"]


@settings(max_examples=EXAMPLES["planted"], deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(PLANTED),
    content=st.binary(min_size=1, max_size=200),
    holder=st.sampled_from([APP, COMMAND]),
)
def test_nothing_planted_at_the_lock_is_written_through(kind: str, content: bytes, holder: str) -> None:
    ran["planted"] = ran.get("planted", 0) + 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / DATA_FILE).write_bytes(content)
        victim = _plant(kind, folder, content)
        before = victim.read_bytes() if victim.is_file() else None
        with pytest.raises(LockError) as info:
            FolderLock(folder, holder=holder).acquire()
        assert info.value.strerror and "lock file" in info.value.strerror
        assert (victim.read_bytes() if victim.is_file() else None) == before
        assert not (folder / "nowhere").exists()


def test_the_lock_is_taken_on_a_full_disk_even_if_its_note_cannot_be_written(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir.mkdir()

    def no_space(*_a: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", no_space)
    taken = FolderLock(data_dir)
    assert taken.acquire()
    monkeypatch.undo()
    try:
        assert FolderLock(data_dir).holder() is None
        assert not FolderLock(data_dir).acquire()
    finally:
        taken.release()


def test_making_the_lock_file_on_a_full_disk_is_a_plain_error(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sciatica_coach.cli.main import main

    two_years(data_dir).close()
    real_open = os.open

    def full(path: object, flags: int, *args: int) -> int:
        if str(path).endswith(LOCK_NAME) and flags & os.O_CREAT:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", full)
    with pytest.raises(LockError, match="the disk is full"):
        FolderLock(data_dir).acquire()
    assert main(["--data-dir", str(data_dir), "reminders", "set", "08:00"]) == 2
    assert "disk is full" in capsys.readouterr().err
    assert main(["--data-dir", str(data_dir), "stats", "--weeks", "2"]) == 0  # reading needs no lock file


# ---- temp files: a link planted at the predictable name is never written through -------------------------
def test_a_link_planted_at_the_temp_name_is_not_written_through(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    planted = tmp_path / f".out.json.{os.getpid()}.tmp"
    planted.symlink_to(precious)
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new" and precious.read_text() == "keep me"
    assert planted.is_symlink()  # someone else's: left alone
    assert [p.name for p in tmp_path.glob(".out.json.*.tmp")] == [planted.name]


def test_a_link_at_the_target_itself_is_replaced_not_followed(tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    target = tmp_path / "out.csv"
    target.symlink_to(precious)
    atomic_write(target, b"new")
    assert not target.is_symlink() and target.read_bytes() == b"new" and precious.read_text() == "keep me"


def test_stale_temp_files_with_a_second_name_are_cleaned(tmp_path: Path) -> None:
    dead = 2**22 + 12345  # above any pid this system hands out
    stale = tmp_path / f".sciatica-coach.json.{dead}-0a1b2c3d.tmp"
    stale.write_bytes(b"half")
    assert remove_stale_temp_files(tmp_path) == [stale]


def test_migration_backup_is_a_new_file_not_written_through_a_link(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir.mkdir()
    v2 = {"meta": {"1": {"schema_version": 2}}, "settings": {}}
    (data_dir / DATA_FILE).write_text(json.dumps(v2))
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    real_stamp = "20260601-080000"
    (data_dir / f"{DATA_FILE}.v2-backup-{real_stamp}").symlink_to(precious)
    monkeypatch.setattr("sciatica_coach.storage.repository._stamp", lambda: real_stamp)
    Repository.open(data_dir)
    assert precious.read_text() == "keep me"
    assert json.loads((data_dir / f"{DATA_FILE}.v2-backup-{real_stamp}").read_text()) == v2


# ---- read-only folders: reading works, nothing changes ---------------------------------------------------
def old_folder(folder: Path) -> dict[str, bytes]:
    """A version-2 folder (sessions still in the main file) plus a broken year file: opening it for writing
    would migrate, take a backup and move a file aside."""
    folder.mkdir(parents=True)
    from sciatica_coach.storage.codec import session_to_dict

    doc = session_to_dict(session_in(2026, 3))
    (folder / DATA_FILE).write_text(
        json.dumps({"meta": {"1": {"schema_version": 2}}, "sessions": {"1": doc}})
    )
    (folder / HISTORY_FOLDER).mkdir()
    history_file(folder, 2024).write_bytes(b"\x00\x00 torn")
    return snapshot(folder)


def test_read_only_open_changes_nothing_and_migrates_in_memory(data_dir: Path) -> None:
    before = old_folder(data_dir)
    repo = Repository.open(data_dir, read_only=True)
    assert [s.id for s in repo.sessions()] == ["y2026-3"]
    assert any("sessions-2024.json" in n for n in repo.notices)
    assert "nothing in it was changed" in repo.notices[-1]
    repo.set_setting("volume", 10)  # what a reading command derives stays in memory
    repo.save_session(session_in(2027))
    repo.close()
    assert snapshot(data_dir) == before
    assert sorted(p.name for p in data_dir.rglob("*")) == sorted(
        [DATA_FILE, HISTORY_FOLDER, "sessions-2024.json"]
    )


def test_read_only_open_skips_a_bad_entry_without_setting_it_aside(data_dir: Path) -> None:
    two_years(data_dir).close()
    year = history_file(data_dir, 2026)
    raw = json.loads(year.read_text())
    raw["sessions"]["99"] = {"id": "broken", "started_at": "not a time"}
    year.write_text(json.dumps(raw))
    before = snapshot(data_dir)
    repo = Repository.open(data_dir, read_only=True)
    assert [s.id for s in repo.sessions()] == ["y2025-1", "y2026-1"]
    assert any("2026" in n for n in repo.notices) and "nothing in it was changed" in repo.notices[-1]
    assert snapshot(data_dir) == before


def test_read_only_open_of_a_missing_folder_is_empty_and_makes_nothing(tmp_path: Path) -> None:
    repo = Repository.open(tmp_path / "nowhere", read_only=True)
    assert repo.sessions() == [] and repo.notices == []
    assert not (tmp_path / "nowhere").exists()


def test_a_newer_folder_is_refused_read_only_too(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / DATA_FILE).write_text(json.dumps({"meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}}))
    with pytest.raises(DataError, match="newer version"):
        Repository.open(data_dir, read_only=True)


@pytest.mark.parametrize(
    ("command", "expect"),
    [
        (["stats", "--weeks", "2"], "Week"),
        (["export", "--format", "json"], "y2025-1"),
        (["export", "--format", "csv"], "y2026-1"),
        (["routine", "show"], ""),
        (["reminders", "list"], "Snooze"),
    ],
)
def test_reading_commands_work_on_a_read_only_folder(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    command: list[str], expect: str,
) -> None:  # fmt: skip
    """Root writes anywhere, so the folder's read-only state is given through os.access, as the code asks."""
    from sciatica_coach.cli.main import main

    two_years(data_dir).close()
    before = snapshot(data_dir)
    monkeypatch.setattr(os, "access", lambda path, mode, **_k: not mode & os.W_OK)
    assert main(["--data-dir", str(data_dir), *command]) == 0
    captured = capsys.readouterr()
    assert expect in captured.out and captured.err == ""
    assert snapshot(data_dir) == before and not (data_dir / LOCK_NAME).exists()


def test_changing_commands_on_a_read_only_folder_say_so_in_one_line(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sciatica_coach.cli.main import main

    two_years(data_dir).close()
    before = snapshot(data_dir)
    monkeypatch.setattr(os, "access", lambda path, mode, **_k: not mode & os.W_OK)
    assert main(["--data-dir", str(data_dir), "reminders", "set", "08:00"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "is read-only" in err and "untouched" in err
    assert snapshot(data_dir) == before


@needs_private_mounts
@pytest.mark.parametrize("command", [["stats"], ["export", "--format", "csv"], ["reminders", "list"]])
def test_reading_commands_on_a_real_read_only_mount(data_dir: Path, command: list[str]) -> None:
    """A backup on a read-only medium, including an older layout and a broken year file, which a writable
    folder would have migrated and moved aside."""
    before = old_folder(data_dir)
    done = run_cli_in_namespace(READ_ONLY_MOUNT, data_dir, *command)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    if command[0] == "export":
        assert "y2026-3" in done.stdout
    assert snapshot(data_dir) == before and not (data_dir / LOCK_NAME).exists()


@needs_private_mounts
def test_the_report_on_a_real_read_only_mount(data_dir: Path, tmp_path: Path) -> None:
    before = old_folder(data_dir)
    out = tmp_path / "report.csv"
    done = run_cli_in_namespace(READ_ONLY_MOUNT, data_dir, "report", "--csv", str(out))
    assert done.returncode == 0, done.stderr
    assert out.exists() and snapshot(data_dir) == before


@needs_private_mounts
def test_a_changing_command_on_a_real_read_only_mount_is_refused_plainly(data_dir: Path) -> None:
    two_years(data_dir).close()
    before = snapshot(data_dir)
    done = run_cli_in_namespace(READ_ONLY_MOUNT, data_dir, "reminders", "set", "08:00")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "read-only" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert snapshot(data_dir) == before


@needs_private_mounts
@pytest.mark.parametrize(
    ("command", "code", "words"),
    [
        (["stats"], 0, ""),
        (["export", "--format", "json"], 0, ""),
        (["reminders", "set", "08:00"], 2, "disk is full"),
    ],
)
def test_a_disk_with_no_bytes_free(data_dir: Path, command: list[str], code: int, words: str) -> None:
    """A real full disk (a 256 KiB tmpfs holding the data, filled to the last byte): reading works, changing
    is refused plainly, and the data on it is as it was (copied out after the command to compare)."""
    two_years(data_dir).close()
    before = snapshot(data_dir)
    script = (
        'mkdir "$D.src" "$D.after" && cp -a "$D/." "$D.src/" && '
        'mount -t tmpfs -o size=256k tmpfs "$D" && cp -a "$D.src/." "$D/" && '
        '{ dd if=/dev/zero of="$D/.fill" bs=4k 2>/dev/null; dd if=/dev/zero of="$D/.fill2" bs=1 2>/dev/null; '
        'test "$(df --output=avail "$D" | tail -1)" -eq 0 || exit 99; '
        '"$@"; code=$?; rm "$D/.fill" "$D/.fill2"; cp -a "$D/." "$D.after/"; exit $code; }'
    )
    done = in_namespace(script, data_dir, *command)
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr and words in done.stderr
    after = snapshot(Path(f"{data_dir}.after"))
    assert {k: v for k, v in after.items() if k != LOCK_NAME} == before


def test_examples_ran_as_recorded(request: pytest.FixtureRequest) -> None:
    """Hypothesis ran the examples docs/data-safety.md states (when the properties ran before this test)."""
    if request.config.getoption("hypothesis_profile", None) == "fast":
        pytest.skip("`dev.py test --fast` runs fewer examples (tests/conftest.py); the full run checks this")
    for name, count in ran.items():
        print(f"{name}: {count} examples")
        assert count >= min(EXAMPLES[name], 100)
