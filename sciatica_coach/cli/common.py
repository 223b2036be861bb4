"""Helpers shared by the subcommands: opening the data safely and writing output files."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sciatica_coach.cli.main import UsageError
from sciatica_coach.storage.atomic import atomic_write, ensure_private_dir
from sciatica_coach.storage.lock import FolderLock
from sciatica_coach.storage.repository import Repository


@contextmanager
def open_repository(data_dir: Path, *, write: bool = False) -> Iterator[Repository]:
    """Open the data folder. Commands that change data first take the folder lock, so they never race the
    open app (which would otherwise overwrite their change when it next saves)."""
    lock = None
    if write:
        ensure_private_dir(data_dir)
        lock = FolderLock(data_dir)
        if not lock.acquire():
            raise UsageError("Sciatica Coach is open with this data folder; please close it, then try again.")
    try:
        repo = Repository.open(data_dir)
        for notice in repo.notices:
            print(notice, file=sys.stderr)
        try:
            yield repo
        finally:
            repo.close()
    finally:
        if lock is not None:
            lock.release()


def write_output(text: str, output: str | None) -> None:
    """Print to stdout, or write the file atomically (never half a file)."""
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    path = Path(output).expanduser()
    if path.is_dir():
        raise UsageError(f"{path} is a folder; please give a file name.")
    if not path.parent.is_dir():
        raise UsageError(f"the folder {path.parent} does not exist.")
    try:
        atomic_write(path, text.encode("utf-8"), mode=0o600)
    except OSError as err:
        raise UsageError(f"could not write {path} ({err.strerror}).") from None
