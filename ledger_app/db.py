"""Opening a ledger file: where it lives, the pragmas, the schema version, the lock.

A ledger is one SQLite file. It is opened in WAL mode with ``synchronous=FULL`` and foreign keys
on, so that killing the program at any moment loses at most the transaction in progress. A ledger
written by a newer program is refused; an older one is upgraded after a verified backup.

Opening uses the sqlite3 module alone. The peewee models are bound to the open ledger when they are
first imported (or at once, if they already are): the GUI's first screen reads its figures over
``Ledger.conn`` with plain SQL and shows up without waiting for the ORM to load (design.md's
start-up target; ``ledger_app.overview``).

A ledger with a password is a SQLCipher file (``ledger_app.crypto``): its connection comes from the
``sqlcipher3`` wheel, keyed once the write lock is held, so that a second start is told who holds
the ledger before anyone is asked for a password.
"""

import os
import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from . import crypto, migrations, private
from .errors import DamagedLedgerError, LedgerError, NewerLedgerError
from .lock import LedgerLock, lock_path_for

if TYPE_CHECKING:
    from .orm import LedgerDatabase

APP_NAME = "PartyLedger"
LEDGER_SUFFIX = ".sqlite3"
PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "busy_timeout": 5000,
}


def data_dir() -> Path:
    """The user data folder: ``$PARTY_LEDGER_HOME`` if set, else the platform's (platformdirs)."""
    home = os.environ.get("PARTY_LEDGER_HOME")
    if home:
        path = Path(home)
    else:
        import platformdirs

        path = platformdirs.user_data_path(APP_NAME, appauthor=False)
    return private.make_dirs(path)


def default_ledger_path() -> Path:
    """``$PARTY_LEDGER_DB`` if set, else ``ledger.sqlite3`` in the data folder."""
    env = os.environ.get("PARTY_LEDGER_DB")
    return Path(env) if env else data_dir() / f"ledger{LEDGER_SUFFIX}"


def resolve_ledger_path(arg: str | os.PathLike | None) -> Path:
    """The ledger a command works on: ``--db`` when given, else the default."""
    return Path(arg).expanduser().absolute() if arg else default_ledger_path().absolute()


class Ledger:
    """An open ledger file: its sqlite3 connection, the peewee database over it, and the write lock."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock: LedgerLock | None, key: bytes | None = None):
        self.path = path
        self.key = key  # the SQLCipher file key of an encrypted ledger, else None
        self.conn = conn  # autocommit (peewee runs the transactions); this thread's, see orm.py
        self.lock = lock
        self._thread = threading.get_ident()
        self._db: LedgerDatabase | None = None
        self._db_lock = threading.Lock()

    @property
    def readonly(self) -> bool:
        return self.lock is None

    @property
    def db(self) -> "LedgerDatabase":
        """The peewee database over ``conn``, made (and peewee imported) the first time it is asked for."""
        with self._db_lock:  # the workbench's start-up reminders may ask first, from a worker thread
            if self._db is None:
                from .orm import LedgerDatabase

                self._db = LedgerDatabase(self.path, self.conn, PRAGMAS, self._thread, self.key)
                self._db.connect()
        return self._db

    def data_generation(self) -> tuple[int, int]:
        """A value that changes whenever the ledger's data may have changed: what a cached page compares.

        SQLite counts both kinds of write for us: ``total_changes`` every row this connection (the
        GUI thread's, which the services write through) changed, ``data_version`` every commit by
        any other connection (a worker thread's import, another program). Reads change neither.
        """
        return self.conn.total_changes, self.conn.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        """Checkpoint the WAL into the file (a writer only), close, and release the lock."""
        global _current
        if _current is self:
            _current = None
        if not self.readonly:
            # A failed checkpoint loses nothing: the WAL stays and is checkpointed at the next open.
            with suppress(*crypto.sql_errors()):
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if self._db is not None and not self._db.is_closed():
            self._db.close()
        self.conn.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def readonly_uri(path: str | os.PathLike) -> str:
    """A read-only SQLite URI for ``path``, percent-encoded.

    A bare ``file:{path}`` breaks on a folder name holding ``#``, ``?`` or ``%``: SQLite then opens
    (and creates) another, empty file, and a backup of it would pass every check.
    """
    return Path(path).absolute().as_uri() + "?mode=ro"


def read_user_version(path: Path) -> int:
    """The schema version of a ledger file, read without opening it as a ledger."""
    conn = sqlite3.connect(readonly_uri(path), uri=True)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def open_ledger(path: str | os.PathLike, *, readonly: bool = False, create: bool = True,
                program: str = "party-ledger", held_lock: LedgerLock | None = None,
                key: bytes | None = None) -> Ledger:
    """Open (and when needed create or upgrade) the ledger at ``path`` and bind the models to it.

    ``readonly`` skips the write lock, for commands that only read (export, verify); such a ledger
    must not be written. ``held_lock`` is this file's write lock already taken by the caller (a
    restore hands it over, so nobody gets in between); the ledger releases it when closed. Raises
    ``LedgerError`` subclasses with a message for the clerk. An encrypted ledger is opened with
    ``key`` when given, else with ``crypto.key_for`` (a key known here, or the provider asks).
    """
    path = Path(path).absolute()
    exists = path.exists() and path.stat().st_size > 0
    if not exists and (readonly or not create):
        raise LedgerError(f"台账文件不存在：{path}")
    if not exists:
        try:
            private.make_dirs(path.parent)
        except OSError as exc:
            raise LedgerError(f"无法创建台账所在的文件夹“{path.parent}”：{exc.strerror}") from exc

    encrypted = exists and (key is not None or crypto.is_encrypted(path))
    if exists and not encrypted:
        # Refuse a file that is not ours before taking the lock or setting any pragma:
        # ``journal_mode=wal`` rewrites the file header, and a refused file must stay as it was.
        _check_is_sqlite(path)
        _check_file_version(path)

    lock = None
    if not readonly:
        lock = held_lock or LedgerLock(path, program)
        if held_lock is None:
            lock.acquire()
    ledger = None
    try:
        if not readonly:
            restrict_ledger_files(path)
        if encrypted:
            key = key or crypto.key_for(path)
            _check_file_version(path, key)
            crypto.remember(path, key)  # for the automatic backups
        ledger = Ledger(path, _connect(path, key if encrypted else None), lock, key if encrypted else None)
        if not readonly:
            _upgrade(ledger, exists)
        else:
            _check_version(ledger.conn, path)
    except BaseException:
        if ledger is not None:
            ledger.close()
        elif lock is not None:
            lock.release()
        raise
    make_current(ledger)
    return ledger


@contextmanager
def new_ledger(target: str | os.PathLike, program: str = "party-ledger") -> Iterator[Ledger]:
    """A new ledger that appears at ``target`` only once it is whole: for the demo and the JSON import.

    Creating a ledger commits the schema (the migrations) before the caller's rows go in, so a
    ledger built in place and interrupted there (killed, disk full) would leave an empty but valid
    ledger at ``target``, which the next attempt refuses as an existing file. Instead it is built as
    ``.<name>.partial`` beside ``target``, under ``target``'s write lock, and renamed onto it once
    closed. A partial file left by a killed attempt is removed by the next one. On failure nothing
    is left: not the partial file, and not the lock file when there was none before.
    """
    target = Path(target).absolute()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LedgerError(f"无法创建台账所在的文件夹“{target.parent}”：{exc.strerror}") from exc
    partial = target.with_name(f".{target.name}.partial")
    lock_existed = lock_path_for(target).exists()
    lock = LedgerLock(target, program)
    lock.acquire()
    done = False
    try:
        _remove_ledger_files(partial, lock_file=True)  # a killed attempt's; we hold the lock, so nobody is writing it
        ledger = open_ledger(partial, program=program)
        try:
            yield ledger
        finally:
            ledger.close()
        if target.exists() and (target.is_dir() or target.stat().st_size > 0):
            raise LedgerError(f"“{target}”已存在，新台账没有写入。请换一个新的文件名。")
        _remove_ledger_files(target)  # an empty file and a stale -wal that would be replayed into ours
        try:
            os.replace(partial, target)
        except OSError as exc:
            raise LedgerError(f"无法写入新台账“{target}”：{exc.strerror}") from exc
        done = True
    finally:
        _remove_ledger_files(partial, lock_file=True)
        lock.release()
        if not done and not lock_existed:
            with suppress(OSError):
                lock_path_for(target).unlink()


def _remove_ledger_files(path: Path, lock_file: bool = False) -> None:
    """Remove a ledger file that holds nothing of value, with its WAL, shared memory and journal."""
    for suffix in ("", "-wal", "-shm", "-journal") + ((".lock",) if lock_file else ()):
        with suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()


def current_ledger() -> Ledger | None:
    """The ledger opened last and not closed since: the one the models are bound to."""
    return _current


_current: Ledger | None = None


def close_thread_connection() -> None:
    """Close the connection peewee opened for the calling worker thread, if any (the ledger's own
    connection, on the thread that opened it, stays open)."""
    ledger = _current
    database = ledger._db if ledger is not None else None
    if database is not None and threading.get_ident() != database._owner_thread and not database.is_closed():
        database.close()


def make_current(ledger: Ledger) -> None:
    """Bind the models to ``ledger`` now if they are loaded, else when they are (``models`` asks)."""
    global _current
    _current = ledger
    models = sys.modules.get(f"{__package__}.models")
    if models is not None and hasattr(models, "bind"):
        models.bind(ledger)


def restrict_ledger_files(path: Path) -> None:
    """The ledger file (created empty if new) and its WAL files, the owner's only (``private``).

    SQLite creates ``-wal`` and ``-shm`` with the ledger file's mode, so a new ledger is made here,
    0o600, before SQLite opens it; an older ledger made with a wider mode is narrowed when opened
    for writing.
    """
    try:
        private.create_file(path)
    except OSError as exc:
        raise LedgerError(f"无法创建台账文件“{path}”：{exc.strerror}。请检查文件夹能否写入。") from exc
    for suffix in ("-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            private.restrict(companion)


def _connect(path: Path, key: bytes | None = None) -> sqlite3.Connection:
    """An autocommit connection with the ledger's pragmas, as peewee would make it (SQLCipher's
    when the ledger has a key)."""
    options = {"timeout": PRAGMAS["busy_timeout"] / 1000, "isolation_level": None, "check_same_thread": False}
    try:
        conn = crypto.connect(path, key, **options) if key else sqlite3.connect(str(path), **options)
    except crypto.sql_errors() as exc:
        raise DamagedLedgerError(f"无法打开台账文件“{path}”：{exc}") from exc
    try:
        for name, value in PRAGMAS.items():
            conn.execute(f"PRAGMA {name} = {value}")
    except crypto.sql_errors() as exc:
        conn.close()
        raise DamagedLedgerError(f"无法打开台账文件“{path}”：{exc}") from exc
    return conn


def _check_is_sqlite(path: Path) -> None:
    try:
        with open(path, "rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise LedgerError(f"无法读取台账文件“{path}”：{exc.strerror}") from exc
    if header != b"SQLite format 3\x00":
        hint = ""
        if not crypto.key_file_for(path).exists():
            hint = (f"如果它是设置了密码的台账，它旁边的密钥文件“{crypto.key_file_for(path).name}”不见了："
                    "把密钥文件放回原处，或在图形界面中打开它、输入恢复密钥。")
        raise DamagedLedgerError(f"“{path}”不是党务台账文件（或已损坏）。{hint}")


def _check_file_version(path: Path, key: bytes | None = None) -> None:
    """The version checks of ``_check_version``, on a read-only connection that changes nothing."""
    try:
        conn = (crypto.connect(readonly_uri(path), key, uri=True) if key
                else sqlite3.connect(readonly_uri(path), uri=True))
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        finally:
            conn.close()
    except crypto.sql_errors() as exc:
        if key and getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise crypto.WrongPasswordError(crypto.WRONG_PASSWORD) from exc
        raise DamagedLedgerError(f"无法打开台账文件“{path}”：{exc}") from exc
    _refuse_unusable(version, tables, path)


def _check_version(conn: sqlite3.Connection, path: Path) -> int:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    _refuse_unusable(version, tables, path)
    return version


def _refuse_unusable(version: int, tables: int, path: Path) -> None:
    """Refuse a ledger from a newer program, and a SQLite file that is not a ledger."""
    current = migrations.schema_version()
    if version > current:
        raise NewerLedgerError(
            f"台账“{path.name}”由较新版本的程序写入（数据版本 {version}），"
            f"本程序只支持到数据版本 {current}。请先升级党务台账程序。"
        )
    if version == 0 and tables:
        raise DamagedLedgerError(f"“{path}”是一个 SQLite 文件，但不是党务台账（没有数据版本号）。")


def _upgrade(ledger: Ledger, existed: bool) -> None:
    version = _check_version(ledger.conn, ledger.path)
    if version == migrations.schema_version():
        return
    if existed and version > 0:
        from .backup import make_backup  # a verified backup before touching an older ledger

        make_backup(ledger.path, reason=f"upgrade-from-v{version}")
    migrations.migrate(ledger.db, version)
