"""The peewee database of an open ledger, over the sqlite3 connection ``db.open_ledger`` made.

``open_ledger`` opens the file with the sqlite3 module alone, so that a screen can read it before
peewee is imported. This class hands that same connection to peewee, which runs the transactions
on it. Only the thread that opened the ledger uses that connection; any other thread gets one of its
own, with the same pragmas, as peewee gives any thread — even when it is the first to ask for the
database — so two threads never share a transaction. An encrypted ledger's connections, the
first and the others, are SQLCipher's, keyed with the ledger's key.
"""

import sqlite3
import threading
from pathlib import Path

from peewee import SqliteDatabase


class LedgerDatabase(SqliteDatabase):
    """A ``SqliteDatabase`` whose first connection is the ledger's own (``Ledger.conn``)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, pragmas: dict, owner_thread: int,
                 key: bytes | None = None):
        self._adopted: sqlite3.Connection | None = conn
        self._owner_thread = owner_thread
        self._key = key
        super().__init__(str(path), pragmas=pragmas, timeout=pragmas["busy_timeout"] / 1000,
                         check_same_thread=False)

    def _connect(self) -> sqlite3.Connection:
        if self._adopted is None or threading.get_ident() != self._owner_thread:
            if self._key is None:
                return super()._connect()
            from .crypto import connect

            conn = connect(self.database, self._key, timeout=self._timeout, isolation_level=None,
                           **self.connect_params)
            self._add_conn_hooks(conn)
            return conn
        conn, self._adopted = self._adopted, None
        self._add_conn_hooks(conn)  # the pragmas again (no-ops now) and peewee's SQL functions
        return conn
