"""Helpers shared by the subcommands: opening the data safely and writing output files."""

from __future__ import annotations

import errno
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sciatica_coach.cli.main import UsageError
from sciatica_coach.storage.atomic import atomic_write, ensure_private_dir
from sciatica_coach.storage.lock import APP, COMMAND, FolderLock, LockError
from sciatica_coach.storage.repository import Repository

log = logging.getLogger(__name__)


@contextmanager
def open_repository(data_dir: Path, *, write: bool = False) -> Iterator[Repository]:
    """Open the data folder under its lock, held until the command ends.

    Commands that change data (`write`) must have the lock, or they would race the open app (which would
    overwrite their change when it next saves): without it they are refused, naming who holds it. Commands
    that only read take it too when they can, as opening may migrate an older file or move a broken one
    aside; when another process holds it, or the folder can't be written (a backup on a read-only medium),
    they open the folder read-only: they read what is there and change nothing."""
    lock = FolderLock(data_dir, holder=COMMAND)
    if write:
        _take_lock_to_write(lock)
        read_only = False
    else:
        read_only = not _try_lock_to_read(lock)
    try:
        repo = Repository.open(data_dir, read_only=read_only)
        for notice in repo.notices:
            print(notice, file=sys.stderr)
        try:
            yield repo
        finally:
            repo.close()
    finally:
        lock.release()


def _take_lock_to_write(lock: FolderLock) -> None:
    data_dir = lock.folder
    try:
        ensure_private_dir(data_dir)
    except NotADirectoryError as err:
        raise UsageError(f"can't use {data_dir} as the data folder: {err.strerror}.") from None
    except OSError as err:
        raise UsageError(f"can't create the data folder {data_dir} ({err.strerror}).") from None
    try:
        taken = lock.acquire()
    except LockError as err:
        if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise UsageError(
                f"the data folder {data_dir} is read-only, so nothing can be changed there; "
                "your data is untouched."
            ) from None
        raise UsageError(f"can't use the data folder {data_dir}: {err.strerror}.") from None
    if not taken:
        raise UsageError(busy_message(lock))


def _try_lock_to_read(lock: FolderLock) -> bool:
    """True when this command now holds the lock; False when it must only read (see open_repository)."""
    try:
        return lock.acquire()
    except LockError as err:
        if err.errno not in (errno.ENOENT, errno.EROFS, errno.EACCES, errno.EPERM):
            log.warning("Reading %s without changing it: %s", lock.folder, err.strerror)
        return False


def busy_message(lock: FolderLock) -> str:
    """Why a command that changes data can't run now, naming the real holder of the folder lock."""
    holder = lock.holder()
    if holder is not None and holder.kind == COMMAND:
        return (
            f"another sciatica-coach command (process {holder.pid}) is working with this data folder; "
            "please wait for it to finish, then try again."
        )
    if holder is not None and holder.kind == APP:
        return "Sciatica Coach is open with this data folder; please close it, then try again."
    return (
        "Sciatica Coach is open with this data folder, or one of its commands is running; "
        "please close it or wait for the command to finish, then try again."
    )


def output_target(output: str, data_dir: Path, *, force: bool, suffix: str | None = None) -> Path:
    """The file an `-o FILE` may be written to: never inside the data folder, never a folder, pipe or
    device, ending in `suffix` if given, and an existing file only with --force. UsageError in one plain
    line otherwise."""
    from sciatica_coach.core.chosen_files import ChosenFileError, check_output

    path = Path(output).expanduser()
    try:
        target = check_output(path, data_dir)
    except ChosenFileError as err:
        raise UsageError(str(err)) from None
    if suffix is not None and path.suffix.lower() != suffix:
        raise UsageError(f"{path.name} should end in {suffix}.")
    if target.exists and not force:
        raise UsageError(f"{path} already exists; add --force to replace it.")
    return target.path


def write_file(path: Path, data: bytes) -> None:
    """Write a checked output file (see `output_target`) atomically: never half a file."""
    try:
        atomic_write(path, data, mode=0o600)
    except OSError as err:
        raise UsageError(f"could not write {path} ({err.strerror}).") from None


def write_output(text: str, output: str | None, data_dir: Path, *, force: bool = False) -> None:
    """Print to stdout, or write the file atomically (never half a file, never inside the data folder, an
    existing file only with `force`)."""
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    write_file(output_target(output, data_dir, force=force), text.encode("utf-8"))
