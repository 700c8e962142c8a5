"""The peewee database of an open ledger, over the sqlite3 connection ``db.open_ledger`` made.

``open_ledger`` opens the file with the sqlite3 module alone, so that a screen can read it before
peewee is imported. This class hands that same connection to peewee, which runs the transactions
on it; a thread other than the one that opened the ledger gets a connection of its own, with the
same pragmas, as peewee does for any thread.
"""

import sqlite3
from pathlib import Path

from peewee import SqliteDatabase


class LedgerDatabase(SqliteDatabase):
    """A ``SqliteDatabase`` whose first connection is the ledger's own (``Ledger.conn``)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, pragmas: dict):
        self._adopted: sqlite3.Connection | None = conn
        super().__init__(str(path), pragmas=pragmas, timeout=pragmas["busy_timeout"] / 1000,
                         check_same_thread=False)

    def _connect(self) -> sqlite3.Connection:
        conn, self._adopted = self._adopted, None
        if conn is None:
            return super()._connect()
        self._add_conn_hooks(conn)  # the pragmas again (no-ops now) and peewee's SQL functions
        return conn
