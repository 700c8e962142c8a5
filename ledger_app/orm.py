"""The peewee database of an open ledger, over the sqlite3 connection ``db.open_ledger`` made.

``open_ledger`` opens the file with the sqlite3 module alone, so that a screen can read it before
peewee is imported. This class hands that same connection to peewee, which runs the transactions
on it. Only the thread that opened the ledger uses that connection; any other thread gets one of its
own, with the same pragmas, as peewee gives any thread — even when it is the first to ask for the
database — so two threads never share a transaction.
"""

import sqlite3
import threading
from pathlib import Path

from peewee import SqliteDatabase


class LedgerDatabase(SqliteDatabase):
    """A ``SqliteDatabase`` whose first connection is the ledger's own (``Ledger.conn``)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, pragmas: dict, owner_thread: int):
        self._adopted: sqlite3.Connection | None = conn
        self._owner_thread = owner_thread
        super().__init__(str(path), pragmas=pragmas, timeout=pragmas["busy_timeout"] / 1000,
                         check_same_thread=False)

    def _connect(self) -> sqlite3.Connection:
        if self._adopted is None or threading.get_ident() != self._owner_thread:
            return super()._connect()
        conn, self._adopted = self._adopted, None
        self._add_conn_hooks(conn)  # the pragmas again (no-ops now) and peewee's SQL functions
        return conn
