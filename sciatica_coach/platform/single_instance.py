"""One running app per data folder: a lock file first, then a local socket to wake the running one.

The lock (held by the kernel, dropped when the process dies) decides who is first; the first then listens on a
local socket named after the data folder, removing any stale socket left by a crash. A second launch finds the
lock taken and asks the first, over the socket, to bring its window to the front.

The first starts listening just after its window appears (QtNetwork costs start-up time), so a second launch in
that moment keeps trying for a few seconds before it gives up."""

from __future__ import annotations

import getpass
import logging
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal

from sciatica_coach.storage.atomic import ensure_private_dir
from sciatica_coach.storage.lock import FolderLock

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

RAISE = "raise"
START_SESSION = "start-session"
MESSAGES = (RAISE, START_SESSION)
CONNECT_TIMEOUT_MS = 1500
PATIENCE_MS = 5000  # how long a second launch keeps trying while the first is still starting
RETRY_PAUSE_MS = 50


def server_name(data_dir: Path) -> str:
    """A socket name unique to this user and data folder. Two CRC-32s make a 64-bit tag; hashlib would do
    too, but it loads OpenSSL (about 3.5 MB) just for this."""
    key = f"{getpass.getuser()}:{data_dir.resolve()}".encode()
    return f"sciatica-coach-{zlib.crc32(key):08x}{zlib.crc32(key[::-1]):08x}"


class SingleInstance(QObject):
    """`acquire()` returns True for the first instance; `activated(message)` fires when a later launch asks
    the first to come to the front ("raise") or to start a session ("start-session")."""

    activated = Signal(str)

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        ensure_private_dir(data_dir)
        self._lock = FolderLock(data_dir)
        self._name = server_name(data_dir)
        self._server: QLocalServer | None = None
        self._clients: list[QLocalSocket] = []

    def acquire(self) -> bool:
        """Take the data folder's lock: True for the first instance. Call `listen()` soon after."""
        return self._lock.acquire()

    def listen(self) -> None:
        """Start answering later launches (the first instance, once its window is up)."""
        from PySide6.QtNetwork import QLocalServer

        QLocalServer.removeServer(self._name)  # a stale socket from a crash must not block us
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self._name):
            log.warning("Could not listen on %s: %s", self._name, server.errorString())
        server.newConnection.connect(self._on_connection)
        self._server = server

    def notify_running(
        self,
        message: str = RAISE,
        patience_ms: int = PATIENCE_MS,
        pause: Callable[[int], None] = QThread.msleep,
    ) -> bool:
        """Ask the running instance to show itself (or start a session). It may be starting and not listening
        yet, so keep trying for `patience_ms`. False if it could not be reached."""
        from PySide6.QtNetwork import QLocalSocket

        deadline = time.monotonic() + patience_ms / 1000
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        while not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            if time.monotonic() >= deadline:
                return False
            pause(RETRY_PAUSE_MS)
            socket.connectToServer(self._name)
        socket.write(f"{message}\n".encode())
        socket.flush()
        socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
        return True

    def _on_connection(self) -> None:
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
                    if line.strip() in MESSAGES:
                        self.activated.emit(line.strip())
            if socket.state() == socket.LocalSocketState.UnconnectedState:
                self._clients.remove(socket)
                socket.deleteLater()

    def release(self) -> None:
        for socket in self._clients:
            socket.readyRead.disconnect(self._drain)
            socket.disconnected.disconnect(self._drain)
            socket.abort()
        self._clients.clear()
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.release()
