"""Crash-safe file writes: write a temp file beside the target, flush, fsync, then rename over it.

The temp file is always a new file of our own (created exclusively, never through a link planted at its
predictable name), and the rename replaces whatever is at the target's name (a link there is replaced, its
target is not written)."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from sciatica_coach.i18n import _

FILE_MODE = 0o600
DIR_MODE = 0o700


def atomic_write(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Replace `path` with `data` so that a crash at any moment leaves either the old or the new file whole.

    The temp file lives in the same folder (so the final rename is atomic on the same file system); on any
    error the temp file is removed and the old file is left as it was."""
    tmp, fd = _new_temp_file(path, mode)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


_EXCLUSIVE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_TEMP_TRIES = 8


def _new_temp_file(path: Path, mode: int) -> tuple[Path, int]:
    """A temp file beside `path`, created by us now: `.NAME.PID.tmp`, or `.NAME.PID-XXXXXXXX.tmp` when that
    name is taken (a left-over, or something planted there), which is left alone."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    for _attempt in range(_TEMP_TRIES):
        try:
            return tmp, os.open(tmp, _EXCLUSIVE, mode)
        except FileExistsError:
            # os.urandom, not `secrets`: that imports hashlib, which loads OpenSSL (~4 MB resident) at start.
            tmp = path.with_name(f".{path.name}.{os.getpid()}-{os.urandom(4).hex()}.tmp")
    raise FileExistsError(errno.EEXIST, "no free temp file name", str(tmp))


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Delete temp files left by a writer that was killed before its rename (they were never the real
    file, so nothing is lost). A temp file of a process that is still running is left alone."""
    removed = []
    for path in folder.glob(".*.tmp"):
        try:
            pid = int(path.name.rsplit(".", 2)[-2].split("-")[0])
        except ValueError:
            continue
        if pid == os.getpid() or _process_alive(pid):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists but not ours, or can't tell: keep its file
    return True


def ensure_private_dir(folder: Path) -> bool:
    """Create the folder if needed, readable only by its owner; True if it was made now. The permissions of a
    folder that already exists are never changed (it may be one the person chose, e.g. a shared folder).
    Something other than a folder at its name raises NotADirectoryError with a plain (translated) reason."""
    if folder.is_dir():
        return False
    if folder.is_symlink() and not folder.exists():
        raise NotADirectoryError(errno.ENOTDIR, _("it is a link to a folder that is not there"), str(folder))
    if folder.exists():
        raise NotADirectoryError(errno.ENOTDIR, _("it is a file, not a folder"), str(folder))
    try:
        folder.mkdir(parents=True, mode=DIR_MODE)
    except FileExistsError:
        if folder.is_dir():  # made by another process just now
            return False
        raise NotADirectoryError(errno.ENOTDIR, _("it is a file, not a folder"), str(folder)) from None
    with contextlib.suppress(OSError):
        os.chmod(folder, DIR_MODE)  # mkdir's mode is filtered by the umask
    return True
