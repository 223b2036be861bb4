"""One running app per data folder: a lock file first, then a channel to wake the running one.

The lock (held by the kernel, dropped when the process dies) decides who is first; the first then listens on a
channel named after the data folder. A second launch finds the lock taken and asks the first, over the channel,
to bring its window to the front (or to start a session).

The channel is a named pipe where the system has them (Linux, macOS): it needs nothing beyond the os module,
where a local socket would load QtNetwork (about 2.5 MB and 10 ms). It lives in the user's runtime folder
($XDG_RUNTIME_DIR, private to the user and emptied at logout), named after the data folder, or in the data
folder itself where there is no runtime folder. On Windows the channel is a QLocalServer. The first instance starts listening just after its window appears, so a second launch in
that moment keeps trying for a few seconds before it gives up.

The pipe file is removed again when the app stops (quit, last window closed, SIGTERM: every way out of the event
loop ends in `release()`). A kill -9 leaves it behind; the next start reuses it, as nobody listens on it."""

from __future__ import annotations

import errno
import logging
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QSocketNotifier, QThread, Signal

from sciatica_coach.i18n import _
from sciatica_coach.storage.atomic import ensure_private_dir
from sciatica_coach.storage.lock import APP, COMMAND, FolderLock

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

RAISE = "raise"
START_SESSION = "start-session"
MESSAGES = (RAISE, START_SESSION)
PIPE_NAME = ".instance"  # in the data folder, beside the lock, where there is no runtime folder
CONNECT_TIMEOUT_MS = 1500
PATIENCE_MS = 5000  # how long a second launch keeps trying while the first is still starting
RETRY_PAUSE_MS = 50


class Channel(Protocol):
    def listen(self, on_line: Callable[[str], None]) -> None: ...

    def send(self, line: str) -> bool:
        """Deliver one line to the listening instance; False when nobody is listening (yet)."""
        ...

    def close(self) -> None: ...


class SingleInstance(QObject):
    """`acquire()` returns True for the first instance; `activated(message)` fires when a later launch asks
    the first to come to the front ("raise") or to start a session ("start-session")."""

    activated = Signal(str)

    def __init__(
        self, data_dir: Path, parent: QObject | None = None, *, channel: Channel | None = None
    ) -> None:
        super().__init__(parent)
        ensure_private_dir(data_dir)  # OSError (NotADirectoryError for a file) with plain words in strerror
        self._lock = FolderLock(data_dir, holder=APP)
        self._lock.check()  # LockError (an OSError): a read-only folder, a link or folder in the lock's place
        self._channel = channel or default_channel(data_dir, self)

    def acquire(self) -> bool:
        """Take the data folder's lock: True for the first instance. Call `listen()` soon after."""
        return self._lock.acquire()

    def listen(self) -> None:
        """Start answering later launches (the first instance, once its window is up)."""
        self._channel.listen(self._received)

    def notify_running(
        self,
        message: str = RAISE,
        patience_ms: int = PATIENCE_MS,
        pause: Callable[[int], None] = QThread.msleep,
    ) -> bool:
        """Ask the running instance to show itself (or start a session). It may be starting and not listening
        yet, so keep trying for `patience_ms`. False if it could not be reached."""
        if self.command_running():
            return False  # a command holds the folder, not a window: there is nothing to bring forward
        deadline = time.monotonic() + patience_ms / 1000
        while not self._channel.send(message):
            if time.monotonic() >= deadline:
                return False
            pause(RETRY_PAUSE_MS)
        return True

    def command_running(self) -> bool:
        """True when the folder's lock is held by a command-line command rather than another window."""
        holder = self._lock.holder()
        return holder is not None and holder.kind == COMMAND

    def busy_message(self) -> str:
        """Why this launch can't open the folder, naming the real holder of its lock."""
        if self.command_running():
            return _(
                "A Sciatica Coach command (an import, a backup…) is working with this data folder. "
                "Please wait a moment for it to finish, then open Sciatica Coach again."
            )
        return _("Sciatica Coach is already running with this data folder.")

    def _received(self, line: str) -> None:
        if line.strip() in MESSAGES:
            self.activated.emit(line.strip())

    def release(self) -> None:
        self._channel.close()
        self._lock.release()


def default_channel(data_dir: Path, parent: QObject) -> Channel:
    if hasattr(os, "mkfifo"):
        return PipeChannel(pipe_path(data_dir), parent)
    return LocalSocketChannel(server_name(data_dir), parent)  # pragma: no cover - Windows


def pipe_path(data_dir: Path) -> Path:
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isdir(runtime):
        return Path(runtime) / f"{server_name(data_dir)}.pipe"
    return data_dir / PIPE_NAME


class PipeChannel:
    """A named pipe (FIFO). The listener holds it open for reading and writing, so it never sees an end of
    file between launches; a sender opens it for writing without waiting, which fails at once (ENXIO) when
    nobody is listening. Lines are far shorter than PIPE_BUF, so each arrives whole."""

    def __init__(self, path: Path, parent: QObject) -> None:
        self.path = path
        self._parent = parent
        self._fd: int | None = None
        self._notifier: QSocketNotifier | None = None
        self._pending = b""
        self._on_line: Callable[[str], None] = lambda _line: None

    def listen(self, on_line: Callable[[str], None]) -> None:
        try:
            self._make_pipe()
            fd = os.open(self.path, os.O_RDWR | os.O_NONBLOCK)
        except OSError as err:
            log.warning("Can't listen for other launches on %s: %s", self.path, err.strerror)
            return
        self._fd, self._on_line = fd, on_line
        self._notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read, self._parent)
        self._notifier.activated.connect(self._drain)

    def _make_pipe(self) -> None:
        try:
            if stat.S_ISFIFO(self.path.lstat().st_mode):
                return  # left by an earlier run: reuse it (a pipe keeps no data once nobody has it open)
            self.path.unlink()  # something else in its place
        except FileNotFoundError:
            pass
        os.mkfifo(self.path, 0o600)

    def _drain(self) -> None:
        assert self._fd is not None
        while True:
            try:
                chunk = os.read(self._fd, 4096)
            except BlockingIOError:
                break
            if not chunk:
                break
            self._pending += chunk
        *lines, self._pending = self._pending.split(b"\n")
        for line in lines:
            self._on_line(line.decode("utf-8", "replace"))

    def send(self, line: str) -> bool:
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as err:
            if err.errno not in (errno.ENXIO, errno.ENOENT):  # those two: nobody listening (yet)
                log.warning("Can't reach the running app through %s: %s", self.path, err.strerror)
            return False
        try:
            os.write(fd, f"{line}\n".encode())
        finally:
            os.close(fd)
        return True

    def close(self) -> None:
        """Stop listening and remove the pipe file, unless something else has taken its place meanwhile."""
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.activated.disconnect(self._drain)
            self._notifier.deleteLater()
            self._notifier = None
        if self._fd is not None:
            self._remove_own_pipe(self._fd)
            os.close(self._fd)
            self._fd = None

    def _remove_own_pipe(self, fd: int) -> None:
        try:
            ours, there = os.fstat(fd), self.path.lstat()
            if (ours.st_dev, ours.st_ino) == (there.st_dev, there.st_ino):
                self.path.unlink()
        except FileNotFoundError:
            pass
        except OSError as err:  # a read-only runtime folder: harmless, the next start reuses the pipe
            log.warning("Could not remove %s: %s", self.path, err.strerror)


def server_name(data_dir: Path) -> str:
    """A local-socket name unique to this user and data folder. Two CRC-32s make a 64-bit tag; hashlib would
    do too, but it loads OpenSSL (about 3.5 MB) just for this."""
    import getpass
    import zlib

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name (a container's unnamed user id)
        user = str(os.getuid()) if hasattr(os, "getuid") else ""
    key = f"{user}:{data_dir.resolve()}".encode()
    return f"sciatica-coach-{zlib.crc32(key):08x}{zlib.crc32(key[::-1]):08x}"


class LocalSocketChannel(QObject):
    """Qt's local socket (a named pipe on Windows, where os.mkfifo does not exist)."""

    def __init__(self, name: str, parent: QObject) -> None:
        super().__init__(parent)
        self._name = name
        self._server: QLocalServer | None = None
        self._clients: list[QLocalSocket] = []
        self._on_line: Callable[[str], None] = lambda _line: None

    def listen(self, on_line: Callable[[str], None]) -> None:
        from PySide6.QtNetwork import QLocalServer

        self._on_line = on_line
        QLocalServer.removeServer(self._name)  # a stale socket from a crash must not block us
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self._name):
            log.warning("Could not listen on %s: %s", self._name, server.errorString())
        server.newConnection.connect(self._accept)
        self._server = server

    def _accept(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            self._clients.append(socket)
            socket.readyRead.connect(self._drain)
            socket.disconnected.connect(self._drain)
        self._drain()

    def _drain(self) -> None:
        """Read every waiting message; forget clients that have gone."""
        for socket in list(self._clients):
            if socket.bytesAvailable():
                for line in bytes(socket.readAll().data()).decode("utf-8", "replace").splitlines():
                    self._on_line(line)
            if socket.state() == socket.LocalSocketState.UnconnectedState:
                self._clients.remove(socket)
                socket.deleteLater()

    def send(self, line: str) -> bool:
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        socket.write(f"{line}\n".encode())
        socket.flush()
        socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
        return True

    def close(self) -> None:
        for socket in self._clients:
            socket.readyRead.disconnect(self._drain)
            socket.disconnected.disconnect(self._drain)
            socket.abort()
        self._clients.clear()
        if self._server is not None:
            self._server.close()
            self._server = None
