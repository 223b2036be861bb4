"""Files the person chooses: reading one without ever hanging, and checking where an output may be written.

Qt-free and stdlib-only; the command line, the Progress page and the Routine page use the same rules:

* Reading (`read_chosen_file`): only an ordinary file is read. A pipe (FIFO), a device or a socket is refused
  with a plain message instead of waiting forever for data that never comes; it is opened non-blocking and
  checked with fstat before a single byte is read. Never more than ``limit + 1`` bytes are read; the size in a
  "too large" message is the file's real size, rounded up, so it is never shown as equal to the limit.
* Writing (`check_output`): a file inside the data folder is refused (an export or report must never replace
  the app's own data, however the path is spelled: `..`, symlinks), as is anything that is not an ordinary
  file; whether the file already exists is returned so that the caller asks (window) or needs --force (CLI).
"""

from __future__ import annotations

import math
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from sciatica_coach.i18n import _

KB = 1024
MB = 1024 * 1024


class ChosenFileError(ValueError):
    """A chosen file that can't be read or written; the message is one plain sentence."""


class TooLargeError(ChosenFileError):
    """The file is larger than the reader's limit; `size` is its real size in bytes (each reader words its
    own message, as each has its own limit)."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.size = size


def size_words(size: int, unit: int) -> str:
    """`size` bytes in whole KB or MB (`unit`), rounded up, so a file just over a limit never reads as equal
    to it ("21 MB" for 20 MB and one byte)."""
    return str(max(1, math.ceil(size / unit)))


def read_chosen_file(path: Path, limit: int) -> bytes:
    """The bytes of an ordinary file of at most `limit` bytes; ChosenFileError with a plain message for a
    missing file, a folder, a pipe or device (never waited on), an unreadable file or one over `limit`
    (`TooLargeError`, which carries the real size)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise ChosenFileError(
            _("{path} does not exist (there is no file by that name).").format(path=path)
        ) from None
    except IsADirectoryError:
        raise ChosenFileError(_("{path} is a folder, not a file.").format(path=path)) from None
    except OSError as err:
        raise ChosenFileError(
            _("Could not read {path} ({error}).").format(path=path, error=err.strerror or err)
        ) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ChosenFileError(_("{path} is a folder, not a file.").format(path=path))
        if not stat.S_ISREG(info.st_mode):
            raise ChosenFileError(
                _("{path} is not an ordinary file (it is a pipe or a device), so it can't be read.").format(
                    path=path
                )
            )
        if info.st_size > limit:
            raise TooLargeError(info.st_size)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(limit + 1 - total, MB))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # it grew while being read
            raise TooLargeError(max(total, info.st_size))
        return b"".join(chunks)
    except OSError as err:
        raise ChosenFileError(
            _("Could not read {path} ({error}).").format(path=path, error=err.strerror or err)
        ) from None
    finally:
        os.close(fd)


@dataclass(frozen=True)
class OutputTarget:
    path: Path  # the file to write: symlinks followed, so a link to a file is kept and its file replaced
    exists: bool


def inside_folder(path: Path, folder: Path) -> bool:
    """Whether `path` (symlinks and `..` resolved) is `folder` or lies anywhere inside it."""
    real_path = Path(os.path.realpath(path))
    real_folder = Path(os.path.realpath(folder))
    return real_path == real_folder or real_path.is_relative_to(real_folder)


def check_output(path: Path, data_dir: Path) -> OutputTarget:
    """Where a chosen output file may be written; ChosenFileError for a folder, a missing parent folder, a
    file inside the data folder, or anything that is not an ordinary file (a pipe, a device)."""
    if inside_folder(path, data_dir):
        raise ChosenFileError(
            _(
                "{path} is inside Sciatica Coach's data folder; please save it somewhere else, so your data "
                "is never replaced."
            ).format(path=path)
        )
    real = Path(os.path.realpath(path))
    try:
        info = os.stat(real)
    except FileNotFoundError:
        if not real.parent.is_dir():
            raise ChosenFileError(
                _("The folder {folder} does not exist.").format(folder=path.parent)
            ) from None
        return OutputTarget(real, exists=False)
    except OSError as err:
        raise ChosenFileError(
            _("Could not write {path} ({error}).").format(path=path, error=err.strerror or err)
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise ChosenFileError(_("{path} is a folder; please give a file name.").format(path=path))
    if not stat.S_ISREG(info.st_mode):
        raise ChosenFileError(
            _("{path} is not an ordinary file (it is a pipe or a device); please give a file name.").format(
                path=path
            )
        )
    return OutputTarget(real, exists=True)
