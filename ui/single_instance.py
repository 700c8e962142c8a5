"""One window per ledger: a second launch on the same ledger raises the first window and exits.

The first instance listens on a ``QLocalServer`` whose name is derived from the ledger's absolute
path (and the user), so two different ledgers can be open side by side. A second launch connects
as a ``QLocalSocket`` client and sends ``raise``. Not ``QSharedMemory``: it leaks after a crash on
Linux. A stale socket left by a crashed instance answers nobody and is removed before listening.
"""

import getpass
import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

RAISE = b"raise"


def server_name(ledger_path: str | os.PathLike) -> str:
    """The local server name for a ledger: a hash of the user and the absolute, case-normalised path."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment: the path alone still separates ledgers
        user = ""
    key = f"{user}|{os.path.normcase(str(Path(ledger_path).absolute()))}"
    return "party-ledger-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def send_raise(name: str, timeout_ms: int = 500) -> bool:
    """Ask a running instance to raise its window; True when one answered."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(RAISE + b"\n")
    socket.flush()
    socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(timeout_ms)
    return True


class InstanceServer(QObject):
    """Listens for a second launch; emits ``raise_requested`` when one asks."""

    raise_requested = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._sockets: set[QLocalSocket] = set()

    @property
    def name(self) -> str:
        return self._server.serverName()

    def listen(self, name: str) -> bool:
        """Listen under ``name`` (after a ledger switch, under the new ledger's name)."""
        if self._server.isListening():
            if self._server.serverName() == name:
                return True
            self._server.close()
        if self._server.listen(name):
            return True
        QLocalServer.removeServer(name)  # a crashed instance's socket file
        return self._server.listen(name)

    def close(self) -> None:
        """Stop listening and drop open connections (their signals first: a socket being destroyed
        still emits ``disconnected``)."""
        for socket in list(self._sockets):
            socket.readyRead.disconnect()
            socket.disconnected.disconnect()
            socket.abort()
            socket.deleteLater()
        self._sockets.clear()
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._sockets.add(socket)
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._finish(s))
            self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            if bytes(socket.readLine().data()).strip() == RAISE:
                self.raise_requested.emit()

    def _finish(self, socket: QLocalSocket) -> None:
        if socket in self._sockets:
            self._sockets.discard(socket)
            self._read(socket)
            socket.readyRead.disconnect()
            socket.disconnected.disconnect()
            socket.deleteLater()
