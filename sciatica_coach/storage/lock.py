"""An advisory lock on the data folder, so only one process writes it at a time.

The kernel drops the lock when its process dies, so a crash never leaves a stale lock behind. The lock file
holds a short note of who holds it ("<pid> app" or "<pid> command"), so a refusal can name the real holder;
the note is best effort (on a full disk it may be missing): the kernel's lock, not the note, is the lock.

The lock file is never followed through a symbolic link and never truncated unless it is this folder's own
plain file: a link, a folder or a second name (hard link) of another file planted in its place is refused
with a plain message (`LockError`) and left as it is."""

from __future__ import annotations

import errno
import logging
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from sciatica_coach.i18n import _

log = logging.getLogger(__name__)

LOCK_NAME = ".lock"
APP = "app"  # the window (or the tray at login)
COMMAND = "command"  # a command-line subcommand
HOLDER_KINDS = (APP, COMMAND)
NOTE_MAX_BYTES = 64  # "<pid> <kind>": far shorter; a longer file is not a note of ours

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class LockError(OSError):
    """The lock cannot be taken for a reason other than another holder (a folder or a link in its place,
    a read-only folder…). `strerror` says why in plain, translated words."""


@dataclass(frozen=True)
class LockHolder:
    """Who holds the lock, from its note: `kind` is APP or COMMAND; an old note (a pid alone) reads as APP."""

    pid: int
    kind: str


class FolderLock:
    """Hold with `acquire()` (non-blocking, returns False when another process has it) and `release()`.
    `holder` is written into the lock file for the messages of whoever is refused next."""

    def __init__(self, folder: Path, holder: str = APP) -> None:
        if holder not in HOLDER_KINDS:
            raise ValueError(holder)
        self.folder = folder
        self.path = folder / LOCK_NAME
        self.kind = holder
        self._fd: int | None = None

    def check(self) -> None:
        """Raise LockError if the lock could not be taken here whoever held it: the folder is not a folder or
        is read-only, or something other than a plain file of this folder's own is in the lock's place."""
        try:
            info = self.folder.stat()
        except FileNotFoundError:
            raise LockError(errno.ENOENT, _("the folder does not exist"), str(self.folder)) from None
        if not stat.S_ISDIR(info.st_mode):
            raise LockError(errno.ENOTDIR, _("it is a file, not a folder"), str(self.folder))
        try:
            lock_info = self.path.lstat()
        except FileNotFoundError:
            lock_info = None
        if lock_info is not None:
            _check_lock_file(self.path, lock_info)
        if not os.access(self.folder, os.W_OK | os.X_OK):
            raise LockError(errno.EROFS, _("it is read-only"), str(self.folder))

    def acquire(self) -> bool:
        """True once this process holds the lock; False when another process holds it. Raises LockError when
        the lock file cannot be used at all (see `check`), or cannot be made (e.g. a full disk's inodes)."""
        self.check()
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o600)
        except OSError as err:
            raise _lock_error(self.path, err) from None
        try:
            _check_lock_file(self.path, os.fstat(fd))  # it may have been swapped since check()
        except OSError:
            os.close(fd)
            raise
        try:
            _lock(fd)
        except OSError:  # held by another process
            os.close(fd)
            return False
        self._fd = fd
        self._write_note()
        return True

    def _write_note(self) -> None:
        """Say who holds the lock. Best effort: a full disk leaves the note empty, not the lock untaken."""
        assert self._fd is not None
        try:
            os.ftruncate(self._fd, 0)
            os.lseek(self._fd, 0, os.SEEK_SET)
            os.write(self._fd, f"{os.getpid()} {self.kind}\n".encode())
        except OSError as err:
            log.info("Could not note the lock's holder in %s: %s", self.path, err.strerror)

    def holder(self) -> LockHolder | None:
        """Who holds the lock by its note, or None when there is no readable note (or nobody holds it)."""
        try:
            fd = os.open(self.path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
        except OSError:
            return None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            text = os.read(fd, NOTE_MAX_BYTES + 1)
        except OSError:
            return None
        finally:
            os.close(fd)
        return parse_note(text)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            try:
                _unlock(self._fd)
            finally:
                os.close(self._fd)
                self._fd = None

    def __enter__(self) -> FolderLock:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def parse_note(text: bytes) -> LockHolder | None:
    """The holder in a lock file's note: "<pid> <kind>", or a pid alone (written by earlier versions, which
    only the app did); None for anything else."""
    if len(text) > NOTE_MAX_BYTES:
        return None
    try:
        words = text.decode("ascii").split()
    except UnicodeDecodeError:
        return None
    if not 1 <= len(words) <= 2 or not words[0].isascii() or not words[0].isdigit():
        return None
    kind = words[1] if len(words) == 2 else APP
    if kind not in HOLDER_KINDS:
        return None
    return LockHolder(int(words[0]), kind)


def _check_lock_file(path: Path, info: os.stat_result) -> None:
    if stat.S_ISLNK(info.st_mode):
        raise LockError(
            errno.ELOOP, _("a link is in the place of its lock file {name}").format(name=path.name)
        )
    if stat.S_ISDIR(info.st_mode):
        raise LockError(
            errno.EISDIR, _("a folder is in the place of its lock file {name}").format(name=path.name)
        )
    if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1:
        raise LockError(
            errno.EEXIST,
            _("something unexpected is in the place of its lock file {name}").format(name=path.name),
        )


def _lock_error(path: Path, err: OSError) -> LockError:
    if err.errno == errno.ELOOP:
        return LockError(
            err.errno, _("a link is in the place of its lock file {name}").format(name=path.name)
        )
    if err.errno == errno.EISDIR:
        return LockError(
            err.errno, _("a folder is in the place of its lock file {name}").format(name=path.name)
        )
    if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return LockError(err.errno, _("it is read-only"), str(path.parent))
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return LockError(err.errno, _("the disk is full"), str(path.parent))
    return LockError(err.errno, (err.strerror or str(err)).lower(), str(path))


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
