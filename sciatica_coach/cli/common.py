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
