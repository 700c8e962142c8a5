"""Verified backups and restores of a ledger file.

A backup is taken with SQLite's online-backup API (never by copying a live WAL file), checked with
``PRAGMA quick_check`` (the copy; the ledger as well only when the copy fails, to say which is damaged), and listed with its SHA-256 in ``manifest.json`` in the backup folder; only
the newest ``keep`` backups of a ledger stay. A restore checks the file first (checksum where the
manifest knows it, integrity, schema version) and backs up what it replaces.

A backup of a ledger with a password is encrypted with the ledger's key (SQLCipher's backup API
copies it page by page) and has a copy of the ledger's ``.key`` file beside it, so the password
of the day, or the recovery key, opens it; a restore or a check asks for it.
"""

import json
import os
import re
import shutil
import sqlite3
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from glob import escape as glob_escape
from pathlib import Path

from . import crypto, migrations, private
from .db import data_dir, readonly_uri
from .errors import DamagedLedgerError, LedgerError, NewerLedgerError

MANIFEST = "manifest.json"
DEFAULT_KEEP = 10
SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds, to show before a restore replaces anything."""

    path: Path
    schema_version: int
    branch_name: str
    people: int
    members: int
    meetings: int
    dues_payments: int
    last_change: str


def default_backup_dir(ledger_path: Path) -> Path:
    """``backups/<ledger name>`` in the data folder."""
    return data_dir() / "backups" / Path(ledger_path).stem


def sha256_of(path: Path) -> str:
    import hashlib  # its OpenSSL binding is slow to load; the GUI reads backup dates at start

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read_manifest(folder: Path) -> list[dict]:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["backups"]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def _write_manifest(folder: Path, entries: list[dict]) -> None:
    tmp = folder / (MANIFEST + ".tmp")
    private.write_text(tmp, json.dumps({"backups": entries}, ensure_ascii=False, indent=1))
    os.replace(tmp, folder / MANIFEST)


def _is_backup_of(entry: dict, ledger_path: Path) -> bool:
    """Whether a manifest entry is a backup of this very ledger.

    By the exact file name pattern and the source path, not by a name prefix: a USB folder often
    holds the backups of ``ledger.sqlite3`` from several branches, or of ``club`` and ``club-old``,
    and pruning one ledger's backups must never delete another's.
    """
    pattern = re.escape(ledger_path.stem) + r"-\d{8}-\d{6}(-\d+)?\.sqlite3"
    if not re.fullmatch(pattern, entry.get("file", "")):
        return False
    source = entry.get("source")
    return source is None or Path(source).absolute() == ledger_path.absolute()


def _has_sqlite_header(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(16) == SQLITE_HEADER


def _quick_check(conn: sqlite3.Connection, what: str, error: type[LedgerError] = DamagedLedgerError) -> None:
    result = conn.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise error(f"{what}未通过完整性检查：{result}")


def _check_copy(source: sqlite3.Connection, dest: sqlite3.Connection) -> None:
    """Check the new copy; only when it fails, check the ledger too, to say which one is damaged.

    The online-backup API copies the ledger's pages as they are, so damage in the ledger shows up in
    the copy and is caught by this one check: checking the ledger first as well doubled the cost of
    every backup (0.4 s on the 160 MB demo ledger) without catching anything more.
    """
    try:
        _quick_check(dest, "备份文件", LedgerError)
    except LedgerError:
        _quick_check(source, "台账文件")  # the ledger is damaged: DamagedLedgerError
        raise  # the ledger is sound: the copy, not the ledger, is at fault


def make_backup(ledger_path: str | os.PathLike, dest_dir: str | os.PathLike | None = None,
                reason: str = "manual", keep: int = DEFAULT_KEEP) -> Path:
    """Back up the ledger into ``dest_dir`` (default: the data folder) and return the new file."""
    ledger_path = Path(ledger_path).absolute()
    if not ledger_path.is_file():
        raise LedgerError(f"台账文件不存在：{ledger_path}")
    key = crypto.key_for(ledger_path) if crypto.is_encrypted(ledger_path) else None
    if key is None and not _has_sqlite_header(ledger_path):
        raise DamagedLedgerError(f"“{ledger_path}”不是党务台账文件（或已损坏），无法备份。")
    folder = Path(dest_dir) if dest_dir else default_backup_dir(ledger_path)
    try:
        private.make_dirs(folder)
    except OSError as exc:
        raise LedgerError(f"无法创建备份文件夹“{folder}”：{exc.strerror}") from exc
    _sweep_partials(folder, ledger_path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{ledger_path.stem}-{stamp}.sqlite3"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{ledger_path.stem}-{stamp}-{counter}.sqlite3"

    partial = target.with_suffix(".partial")
    source = dest = None
    try:
        source = _connect_readonly(ledger_path, key)
        if source.execute("PRAGMA user_version").fetchone()[0] == 0:  # restore would refuse the copy
            raise DamagedLedgerError(f"“{ledger_path}”不是党务台账文件（没有数据版本号），无法备份。")
        private.create_file(partial)
        dest = crypto.connect(partial, key) if key else sqlite3.connect(partial)
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
        _check_copy(source, dest)
        version = dest.execute("PRAGMA user_version").fetchone()[0]
        dest.close()
        if key:
            shutil.copyfile(crypto.key_file_for(ledger_path), crypto.key_file_for(target))
            private.restrict(crypto.key_file_for(target))
        os.replace(partial, target)
    except crypto.sql_errors() as exc:
        if exc.sqlite_errorname in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
            raise DamagedLedgerError(f"台账文件已损坏，无法备份：{exc}") from exc
        if dest is None and source is not None:  # the backup file could not even be created
            raise LedgerError(f"备份失败，无法在“{folder}”中写入备份文件（{exc}）。"
                              "请检查文件夹能否写入、U 盘是否有写保护。") from exc
        raise LedgerError(f"备份失败：{exc}") from exc
    except OSError as exc:
        raise LedgerError(f"备份失败，无法写入“{folder}”：{exc.strerror}") from exc
    finally:
        for conn in (source, dest):
            if conn is not None:
                conn.close()
        with suppress(OSError):  # left behind only by a failure; on a read-only folder there is none
            partial.unlink()

    entries = [e for e in _read_manifest(folder) if (folder / e.get("file", "")).exists()]
    entries.append({
        "file": target.name,
        "sha256": sha256_of(target),
        "created_at": datetime.now().isoformat(timespec="seconds"),
        "reason": reason,
        "schema_version": version,
        "source": str(ledger_path),
        **({"encrypted": True} if key else {}),
    })
    entries = _prune(folder, entries, ledger_path, keep)
    _write_manifest(folder, entries)
    return target


STALE_PARTIAL = timedelta(hours=1)  # no backup, not even to a slow stick, writes for that long


def _sweep_partials(folder: Path, ledger_path: Path) -> None:
    """Delete the half-written copies (``<ledger>-<stamp>.partial`` and its journal) that a backup
    killed mid-way left behind: they would pile up, and they hold personal data. One younger than
    ``STALE_PARTIAL`` may belong to a backup running right now in another process, so it stays."""
    cutoff = (datetime.now() - STALE_PARTIAL).timestamp()
    for path in folder.glob(f"{glob_escape(ledger_path.stem)}-*.partial*"):
        with suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


def _prune(folder: Path, entries: list[dict], ledger_path: Path, keep: int) -> list[dict]:
    """Keep the newest ``keep`` backups of this ledger; other ledgers' entries are left alone."""
    mine = [e for e in entries if _is_backup_of(e, ledger_path)]
    for old in mine[:-keep] if keep > 0 else []:
        (folder / old["file"]).unlink(missing_ok=True)
        crypto.key_file_for(folder / old["file"]).unlink(missing_ok=True)
        entries.remove(old)
    return entries


def last_backup_time(ledger_path: Path, dest_dir: Path | None = None) -> datetime | None:
    """When the newest backup of this ledger in the folder was taken, or None."""
    folder = Path(dest_dir) if dest_dir else default_backup_dir(ledger_path)
    times = [e["created_at"] for e in _read_manifest(folder) if _is_backup_of(e, Path(ledger_path))]
    return datetime.fromisoformat(max(times)) if times else None


def backup_if_due(ledger_path: Path, every: timedelta = timedelta(days=1)) -> Path | None:
    """The automatic backup when the GUI closes: at most one per ``every``."""
    last = last_backup_time(ledger_path)
    if last is not None and datetime.now() - last < every:
        return None
    return make_backup(ledger_path, reason="auto")


def inspect_backup(path: str | os.PathLike) -> BackupInfo:
    """Verify a backup file and say what it holds; raise ``LedgerError`` when it is unusable."""
    path = Path(path)
    if not path.is_file():
        raise LedgerError(f"备份文件不存在：{path}")
    for entry in _read_manifest(path.parent):
        if entry.get("file") == path.name and entry.get("sha256") != sha256_of(path):
            raise DamagedLedgerError(f"备份文件“{path.name}”与备份清单中的校验值不符，文件已被改动或损坏。")
    key = crypto.key_for(path) if crypto.is_encrypted(path) else None
    if key is None and not _has_sqlite_header(path):
        raise DamagedLedgerError(f"“{path}”不是党务台账备份文件。")
    conn = _connect_readonly(path, key)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise DamagedLedgerError(f"备份文件“{path.name}”已损坏：{result}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > migrations.schema_version():
            raise NewerLedgerError(
                f"备份文件由较新版本的程序写入（数据版本 {version}），本程序只支持到数据版本 "
                f"{migrations.schema_version()}。请先升级党务台账程序。"
            )
        if version == 0:
            raise DamagedLedgerError(f"“{path.name}”不是党务台账备份文件。")

        def scalar(sql: str):
            return conn.execute(sql).fetchone()[0]

        return BackupInfo(
            path=path,
            schema_version=version,
            branch_name=scalar("SELECT coalesce(max(name), '') FROM branch"),
            people=scalar("SELECT count(*) FROM person"),
            members=scalar("SELECT count(*) FROM person WHERE stage IN ('full', 'probationary') AND membership_state = 'active'"),
            meetings=scalar("SELECT count(*) FROM meeting"),
            dues_payments=scalar("SELECT count(*) FROM dues_payment"),
            last_change=scalar("SELECT coalesce(max(at), '') FROM audit_entry"),
        )
    except crypto.sql_errors() as exc:
        raise DamagedLedgerError(f"无法读取备份文件“{path.name}”：{exc}") from exc
    finally:
        conn.close()


def restore_backup(backup_file: str | os.PathLike, ledger_path: str | os.PathLike) -> Path | None:
    """Replace the ledger's contents with a verified backup; return the backup of what was replaced.

    The caller must not have the ledger open: the restore takes the ledger's lock itself, so a
    running program on the same file makes it refuse. A ledger too damaged to back up is moved
    aside byte for byte instead (its copy is returned), so damage never blocks the restore.
    """
    from .db import open_ledger
    from .lock import LedgerLock

    backup_file = Path(backup_file)
    ledger_path = Path(ledger_path).absolute()
    inspect_backup(backup_file)
    try:
        private.make_dirs(ledger_path.parent)
    except OSError as exc:
        raise LedgerError(f"无法创建台账所在的文件夹“{ledger_path.parent}”：{exc.strerror}") from exc
    lock = LedgerLock(ledger_path, "party-ledger restore")
    lock.acquire()
    try:
        previous = None
        if ledger_path.exists() and ledger_path.stat().st_size > 0:
            try:
                previous = make_backup(ledger_path, reason="before-restore")
            except (DamagedLedgerError, crypto.PasswordRequiredError, crypto.WrongPasswordError):
                previous = _set_aside_damaged(ledger_path)  # damaged, or its password not known here
        if crypto.is_encrypted(backup_file) or crypto.is_encrypted(ledger_path):
            _restore_encrypted(backup_file, ledger_path)
        else:
            _restore_plain(backup_file, ledger_path)
    except BaseException:
        lock.release()
        raise
    # Opening upgrades an older backup; the lock passes to it, and closing it releases the lock.
    open_ledger(ledger_path, held_lock=lock).close()
    return previous


def _restore_plain(backup_file: Path, ledger_path: Path) -> None:
    source = sqlite3.connect(readonly_uri(backup_file), uri=True)
    dest = sqlite3.connect(private.create_file(ledger_path))
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as exc:
        raise LedgerError(f"恢复失败，台账未改动：{exc}") from exc
    finally:
        dest.close()
        source.close()


def _connect_readonly(path: Path, key: bytes | None):
    return crypto.connect(readonly_uri(path), key, uri=True) if key else sqlite3.connect(readonly_uri(path), uri=True)


def _restore_encrypted(backup_file: Path, ledger_path: Path) -> None:
    """Restore where the backup or the ledger has a password: a new file, then an atomic replace.

    The ledger takes the backup's key and ``.key`` file. While the file is replaced, the key file
    holds the keys of both, so that whichever file is there after a crash, its password opens it.
    """
    key = crypto.key_for(backup_file) if crypto.is_encrypted(backup_file) else None
    tmp = ledger_path.with_name(ledger_path.name + ".restoring")
    for suffix in ("", "-wal", "-shm"):
        tmp.with_name(tmp.name + suffix).unlink(missing_ok=True)
    source = _connect_readonly(backup_file, key)
    private.create_file(tmp)
    dest = crypto.connect(tmp, key) if key else sqlite3.connect(tmp)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = WAL")
        _quick_check(dest, "恢复出的台账", LedgerError)
    except crypto.sql_errors() as exc:
        dest.close()
        tmp.unlink(missing_ok=True)
        raise LedgerError(f"恢复失败，台账未改动：{exc}") from exc
    finally:
        dest.close()
        source.close()
    if key:
        current = crypto._read_key_file(ledger_path) if crypto.is_encrypted(ledger_path) else []
        backup_keys = crypto._read_key_file(backup_file)
        crypto._write_key_file(ledger_path, backup_keys + current)
        crypto._replace(tmp, ledger_path)
        crypto._write_key_file(ledger_path, backup_keys)
        crypto.remember(ledger_path, key)
    else:
        crypto._replace(tmp, ledger_path)
        crypto.key_file_for(ledger_path).unlink(missing_ok=True)
        crypto.forget(ledger_path)


def _set_aside_damaged(ledger_path: Path) -> Path:
    """Move a damaged ledger (and its WAL) into the backup folder so a restore can replace it.

    Restoring is what a clerk does when the ledger is damaged, so a ledger that cannot be backed up
    must not block it; its bytes are kept as they were, for an expert to look at. The caller holds
    the lock, so no program is writing the file.
    """
    folder = default_backup_dir(ledger_path)
    private.make_dirs(folder)
    kept = folder / f"{ledger_path.stem}-damaged-{datetime.now().strftime('%Y%m%d-%H%M%S')}{ledger_path.suffix}"
    try:
        shutil.copy2(ledger_path, kept)
        private.restrict(kept)
        for suffix in ("-wal", crypto.KEY_SUFFIX):
            extra = ledger_path.with_name(ledger_path.name + suffix)
            if extra.exists():
                shutil.copy2(extra, kept.with_name(kept.name + suffix))
                private.restrict(kept.with_name(kept.name + suffix))
        for suffix in ("-wal", "-shm", ""):  # a stale WAL must never be replayed into the restored file
            ledger_path.with_name(ledger_path.name + suffix).unlink(missing_ok=True)
    except OSError as exc:
        raise LedgerError(f"无法把损坏的台账移到“{folder}”：{exc.strerror}") from exc
    return kept


def backup_to_stick(ledger_path: str | os.PathLike, folder: str | os.PathLike, keep: int = DEFAULT_KEEP) -> Path:
    """One-click backup to a USB stick: a verified backup in ``folder``, read back from the stick and
    checked against its checksum and SQLite's integrity check.

    The folder must exist: it is never created, since a missing stick would otherwise get a folder
    of the same name on the local disk (a mount point, a drive letter reused).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise LedgerError(f"找不到备份文件夹“{folder}”。U 盘可能没有插好：请插入 U 盘后再试，"
                          "或在“设置”中重新选择 U 盘上的文件夹。")
    target = make_backup(ledger_path, folder, reason="usb", keep=keep)
    inspect_backup(target)  # read back from the stick: the manifest's SHA-256, then integrity_check
    return target
