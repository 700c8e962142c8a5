"""Verified backups and restores of a ledger file.

A backup is taken with SQLite's online-backup API (never by copying a live WAL file), checked with
``PRAGMA quick_check``, and listed with its SHA-256 in ``manifest.json`` in the backup folder; only
the newest ``keep`` backups of a ledger stay. A restore checks the file first (checksum where the
manifest knows it, integrity, schema version) and backs up what it replaces.
"""

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from . import migrations
from .db import data_dir
from .errors import DamagedLedgerError, LedgerError, NewerLedgerError

MANIFEST = "manifest.json"
DEFAULT_KEEP = 10


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
    tmp.write_text(json.dumps({"backups": entries}, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)


def _quick_check(conn: sqlite3.Connection, what: str) -> None:
    result = conn.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise DamagedLedgerError(f"{what}未通过完整性检查：{result}")


def make_backup(ledger_path: str | os.PathLike, dest_dir: str | os.PathLike | None = None,
                reason: str = "manual", keep: int = DEFAULT_KEEP) -> Path:
    """Back up the ledger into ``dest_dir`` (default: the data folder) and return the new file."""
    ledger_path = Path(ledger_path)
    folder = Path(dest_dir) if dest_dir else default_backup_dir(ledger_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LedgerError(f"无法创建备份文件夹“{folder}”：{exc.strerror}") from exc
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{ledger_path.stem}-{stamp}.sqlite3"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{ledger_path.stem}-{stamp}-{counter}.sqlite3"

    source = sqlite3.connect(f"file:{ledger_path}?mode=ro", uri=True)
    try:
        _quick_check(source, "台账文件")
        partial = target.with_suffix(".partial")
        dest = sqlite3.connect(partial)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
            _quick_check(dest, "备份文件")
            version = dest.execute("PRAGMA user_version").fetchone()[0]
        finally:
            dest.close()
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise LedgerError(f"备份失败：{exc}") from exc
    except OSError as exc:
        raise LedgerError(f"备份失败，无法写入“{folder}”：{exc.strerror}") from exc
    finally:
        source.close()

    entries = [e for e in _read_manifest(folder) if (folder / e.get("file", "")).exists()]
    entries.append({
        "file": target.name,
        "sha256": sha256_of(target),
        "created_at": datetime.now().isoformat(timespec="seconds"),
        "reason": reason,
        "schema_version": version,
        "source": str(ledger_path),
    })
    entries = _prune(folder, entries, ledger_path.stem, keep)
    _write_manifest(folder, entries)
    return target


def _prune(folder: Path, entries: list[dict], stem: str, keep: int) -> list[dict]:
    """Keep the newest ``keep`` backups of this ledger; other ledgers' entries are left alone."""
    mine = [e for e in entries if e["file"].startswith(stem + "-")]
    for old in mine[:-keep] if keep > 0 else []:
        (folder / old["file"]).unlink(missing_ok=True)
        entries.remove(old)
    return entries


def last_backup_time(ledger_path: Path, dest_dir: Path | None = None) -> datetime | None:
    """When the newest backup of this ledger in the folder was taken, or None."""
    folder = Path(dest_dir) if dest_dir else default_backup_dir(ledger_path)
    times = [e["created_at"] for e in _read_manifest(folder) if e.get("file", "").startswith(Path(ledger_path).stem + "-")]
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
    with open(path, "rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise DamagedLedgerError(f"“{path}”不是党务台账备份文件。")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
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
    except sqlite3.Error as exc:
        raise DamagedLedgerError(f"无法读取备份文件“{path.name}”：{exc}") from exc
    finally:
        conn.close()


def restore_backup(backup_file: str | os.PathLike, ledger_path: str | os.PathLike) -> Path | None:
    """Replace the ledger's contents with a verified backup; return the backup of what was replaced.

    The caller must not have the ledger open: the restore takes the ledger's lock itself, so a
    running program on the same file makes it refuse.
    """
    from .db import open_ledger
    from .lock import LedgerLock

    backup_file = Path(backup_file)
    ledger_path = Path(ledger_path)
    inspect_backup(backup_file)
    lock = LedgerLock(ledger_path, "party-ledger restore")
    lock.acquire()
    try:
        previous = None
        if ledger_path.exists() and ledger_path.stat().st_size > 0:
            previous = make_backup(ledger_path, reason="before-restore")
        source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
        dest = sqlite3.connect(ledger_path)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = WAL")
        finally:
            dest.close()
            source.close()
    finally:
        lock.release()
    open_ledger(ledger_path, program="party-ledger restore").close()  # upgrades an older backup
    return previous
