"""Crash-safe file writes: write a temp file beside the target, flush, fsync, then rename over it."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def atomic_write(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Replace `path` with `data` so that a crash at any moment leaves either the old or the new file whole.

    The temp file lives in the same folder (so the final rename is atomic on the same file system); on any
    error the temp file is removed and the old file is left as it was."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
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
            pid = int(path.name.rsplit(".", 2)[-2])
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


def ensure_private_dir(folder: Path) -> None:
    """Create the data folder if needed, readable only by its owner."""
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(folder, DIR_MODE)
