"""The optional start-up password: the ledger file encrypted at rest with SQLCipher.

- A ledger with a password is a SQLCipher 4 file (AES-256 pages, each with an HMAC), opened with a
  random 256-bit *file key* passed raw (``PRAGMA key = "x'…'"``), so SQLCipher's own PBKDF2 is
  skipped. WAL, ``synchronous=FULL``, the online-backup API and the migrations work on it as on a
  plain file (the connection comes from the ``sqlcipher3`` wheel instead of ``sqlite3``).
- The file key is kept beside the ledger in ``<ledger>.key`` (JSON), wrapped by a key derived from
  the password with scrypt (salt and cost in that file): a wrong password fails the wrap's HMAC and
  the ledger is never touched.
- The **recovery key** shown once when the password is set is the file key itself, written in
  base32. It opens the ledger (and its backups) even when ``.key`` is lost or the password forgotten.
- Changing the password re-wraps the file key; the file is not rewritten and the printed recovery
  key stays valid. A new recovery key re-keys the file (``PRAGMA rekey``), so the old one (and any
  old copy of ``.key``) no longer opens it.
- Setting and removing the password rewrite the file with ``sqlcipher_export`` into a new file
  that atomically replaces the old one; a crash at any point leaves one whole ledger.

Keys known in this process are remembered by path, so that the automatic backups (on close, before
an import or an upgrade) need no second prompt. Commands and the GUI install a *provider* that asks
the clerk when a key is not known.
"""

import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from . import private
from .errors import DamagedLedgerError, LedgerError, ValidationError

SQLITE_HEADER = b"SQLite format 3\x00"
KEY_SUFFIX = ".key"
KEY_FORMAT = "party-ledger-key"
KEY_BYTES = 32
MIN_PASSWORD = 6
# scrypt cost: 64 MiB of memory per try; stored in the key file, so it can be raised later.
SCRYPT_N = 1 << 16
SCRYPT_R = 8
SCRYPT_P = 1
_CHECK_LABEL = b"party-ledger file key check"


class WrongPasswordError(LedgerError):
    """The password (or recovery key) does not open this ledger; nothing was changed."""

    exit_code = 4


class PasswordRequiredError(LedgerError):
    """The ledger is encrypted and no password was given (or the clerk cancelled)."""

    exit_code = 4


WRONG_PASSWORD = "密码不正确。台账没有被改动，请重新输入密码（或恢复密钥）。"


# --- the driver ---------------------------------------------------------------------------------

def driver():
    """The ``sqlcipher3`` module, with SQLCipher's own logging to stderr switched off."""
    try:
        import sqlcipher3
    except ImportError as exc:
        raise LedgerError("本程序缺少加密组件 sqlcipher3，无法打开或设置有密码的台账。"
                          "请重新安装党务台账程序。") from exc
    if not getattr(sqlcipher3, "_party_ledger_quiet", False):
        probe = sqlcipher3.connect(":memory:")
        probe.execute("PRAGMA cipher_log_level = NONE")  # process-wide: a wrong key is not an error to log
        probe.close()
        sqlcipher3._party_ledger_quiet = True
    return sqlcipher3


def sql_errors() -> tuple[type[Exception], ...]:
    """The exception classes of both drivers, for ``except sql_errors():``."""
    cipher = sys.modules.get("sqlcipher3.dbapi2")
    return (sqlite3.Error, cipher.Error) if cipher is not None else (sqlite3.Error,)


def _key_literal(key: bytes) -> str:
    return f"\"x'{key.hex()}'\""


def connect(target: str | os.PathLike, key: bytes, **kwargs):
    """A SQLCipher connection to ``target`` (a path or, with ``uri=True``, a URI) keyed with ``key``."""
    conn = driver().connect(str(target), **kwargs)
    conn.execute(f"PRAGMA key = {_key_literal(key)}")
    return conn


def opens(path: Path, key: bytes) -> bool:
    """Whether ``key`` opens the file at ``path`` (read-only; nothing is written)."""
    from .db import readonly_uri

    conn = connect(readonly_uri(path), key, uri=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sql_errors() as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
            return False
        raise DamagedLedgerError(f"无法读取台账文件“{path}”：{exc}") from exc
    finally:
        conn.close()


# --- the key file ---------------------------------------------------------------------------------

def key_file_for(path: str | os.PathLike) -> Path:
    path = Path(path)
    return path.with_name(path.name + KEY_SUFFIX)


def has_plain_header(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(16) == SQLITE_HEADER


def is_encrypted(path: str | os.PathLike) -> bool:
    """A ledger with a password: not a plain SQLite file, with its ``.key`` beside it."""
    path = Path(path)
    try:
        return path.stat().st_size > 0 and not has_plain_header(path) and key_file_for(path).is_file()
    except OSError:
        return False


def _read_key_file(path: Path) -> list[dict]:
    file = key_file_for(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if data.get("format") != KEY_FORMAT or not isinstance(data.get("keys"), list):
            raise ValueError
        return data["keys"]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, AttributeError) as exc:
        raise LedgerError(f"密钥文件“{file}”无法读取或已损坏。可以用恢复密钥打开台账，再重新设置密码。") from exc


def _write_key_file(path: Path, entries: list[dict]) -> None:
    file = key_file_for(path)
    tmp = file.with_name(file.name + ".tmp")
    text = json.dumps({"format": KEY_FORMAT, "version": 1, "keys": entries}, indent=1)
    try:
        with open(tmp, "w", encoding="utf-8", opener=private.opener) as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, file)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise LedgerError(f"无法写入密钥文件“{file}”：{exc.strerror}") from exc
    _fsync_folder(file.parent)


def _check_value(key: bytes) -> str:
    import hashlib  # hashlib and hmac load OpenSSL (slow): only when a password is in play
    import hmac

    return hmac.new(key, _CHECK_LABEL, hashlib.sha256).hexdigest()


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    import hashlib
    import unicodedata

    secret = unicodedata.normalize("NFC", password).encode("utf-8")
    return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, dklen=64, maxmem=256 * n * r + (1 << 20))


def _entry(key: bytes, password: str) -> dict:
    """The file key wrapped by the password: XOR with a fresh scrypt pad (one salt per wrap), plus an HMAC."""
    import hashlib
    import hmac

    salt = os.urandom(16)
    derived = _derive(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    wrapped = bytes(a ^ b for a, b in zip(key, derived[:KEY_BYTES], strict=True))
    return {"check": _check_value(key), "password": {
        "kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": salt.hex(), "wrapped": wrapped.hex(),
        "tag": hmac.new(derived[KEY_BYTES:], wrapped, hashlib.sha256).hexdigest()}}


def _unwrap(entry: dict, password: str) -> bytes | None:
    import hashlib
    import hmac

    try:
        slot = entry["password"]
        derived = _derive(password, bytes.fromhex(slot["salt"]), int(slot["n"]), int(slot["r"]), int(slot["p"]))
        wrapped = bytes.fromhex(slot["wrapped"])
        tag = hmac.new(derived[KEY_BYTES:], wrapped, hashlib.sha256).hexdigest()
    except (KeyError, TypeError, ValueError):
        return None
    if not hmac.compare_digest(tag, str(slot.get("tag", ""))):
        return None
    return bytes(a ^ b for a, b in zip(wrapped, derived[:KEY_BYTES], strict=True))


# --- the recovery key -----------------------------------------------------------------------------

def format_recovery_key(key: bytes) -> str:
    """The file key as 52 base32 characters in groups of four, easy to copy by hand."""
    import base64

    text = base64.b32encode(key).decode("ascii").rstrip("=")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def parse_recovery_key(text: str) -> bytes | None:
    """The key a recovery key stands for, or None when ``text`` is not one (then it is a password)."""
    import base64

    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(cleaned) != 52:
        return None
    try:
        key = base64.b32decode(cleaned + "====")
    except ValueError:
        return None
    return key if len(key) == KEY_BYTES else None


# --- unlocking ------------------------------------------------------------------------------------

def unlock(path: str | os.PathLike, secret: str) -> bytes:
    """The file key of the ledger (or backup) at ``path`` from its password or recovery key.

    Raises ``WrongPasswordError`` when neither opens it; the file is only ever read.
    """
    import hmac

    path = Path(path).absolute()
    candidates = []
    recovery = parse_recovery_key(secret)
    if recovery is not None:
        candidates.append(recovery)
    for entry in _read_key_file(path):
        key = _unwrap(entry, secret)
        if key is not None and hmac.compare_digest(_check_value(key), str(entry.get("check"))):
            candidates.append(key)
    for key in candidates:
        if opens(path, key):
            return key
    raise WrongPasswordError(WRONG_PASSWORD)


_known: dict[str, bytes] = {}
Provider = Callable[[Path], bytes | None]
_provider: Provider | None = None


def remember(path: str | os.PathLike, key: bytes) -> None:
    _known[str(Path(path).absolute())] = key


def forget(path: str | os.PathLike) -> None:
    _known.pop(str(Path(path).absolute()), None)


def set_provider(provider: Provider | None) -> None:
    """Who is asked for a key this process does not know: ``provider(path)`` returns the key
    (checked with ``unlock``) or None when the clerk cancels."""
    global _provider
    _provider = provider


def key_for(path: str | os.PathLike) -> bytes:
    """The key of an encrypted ledger or backup: one already known that opens it, else the provider's."""
    path = Path(path).absolute()
    known = _known.get(str(path))
    if known is not None and opens(path, known):
        return known
    checks = {str(e.get("check")) for e in _read_key_file(path)}
    for key in dict.fromkeys(_known.values()):  # a backup of a ledger opened here has the same key
        if _check_value(key) in checks and opens(path, key):
            remember(path, key)
            return key
    key = _provider(path) if _provider is not None else None
    if key is None:
        raise PasswordRequiredError(f"台账“{path.name}”设置了密码，需要输入密码才能打开。")
    remember(path, key)
    return key


# --- a lost key file ------------------------------------------------------------------------------

def lost_key_file(path: str | os.PathLike) -> bool:
    """A ledger that looks encrypted (not empty, not a plain SQLite file) with no ``.key`` beside it:
    copied to another PC without its key file, say. Only the recovery key can open it then."""
    path = Path(path)
    try:
        return path.stat().st_size > 0 and not has_plain_header(path) and not key_file_for(path).exists()
    except OSError:
        return False


def restore_key_file(path: str | os.PathLike, recovery: str, new_password: str) -> bytes:
    """Open ``path`` with its recovery key and write a new key file wrapping the key with
    ``new_password``; the file key, returned, is unchanged, so the recovery key stays valid.
    Nothing is written when the recovery key does not open the file."""
    check_password(new_password)
    path = Path(path).absolute()
    key = parse_recovery_key(recovery)
    if key is None or not opens(path, key):
        raise WrongPasswordError("恢复密钥不正确（52 个字母和数字，分 13 组，见设置密码时打印的那一页）。"
                                 "台账没有被改动。")
    _write_key_file(path, [_entry(key, new_password)])
    return key


# --- setting, changing and removing the password --------------------------------------------------

def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"密码至少要有 {MIN_PASSWORD} 个字符。", "password")
    if parse_recovery_key(password) is not None:
        raise ValidationError("这个密码的形式与恢复密钥相同，请换一个。", "password")


@contextmanager
def _exclusive(path: Path, held_lock) -> Iterator[None]:
    from .lock import LedgerLock

    if held_lock is not None:
        yield
        return
    lock = LedgerLock(path, "party-ledger 密码")
    lock.acquire()
    try:
        yield
    finally:
        lock.release()


def encrypt_ledger(path: str | os.PathLike, password: str, held_lock=None) -> str:
    """Set a password: rewrite the (closed) ledger encrypted; return the recovery key, to show once."""
    path = Path(path).absolute()
    check_password(password)
    with _exclusive(path, held_lock):
        if not has_plain_header(path):
            raise LedgerError("这个台账已经设置了密码。")
        key = os.urandom(KEY_BYTES)
        tmp = path.with_name(path.name + ".encrypting")
        _export(path, None, tmp, key)
        # Until the replace below, the plain header says the ledger is plain and the key file is unused.
        _write_key_file(path, [_entry(key, password)])
        _replace(tmp, path)
    remember(path, key)
    return format_recovery_key(key)


def change_password(path: str | os.PathLike, key: bytes, new_password: str) -> None:
    """A new password for an encrypted ledger (the recovery key stays valid)."""
    path = Path(path).absolute()
    check_password(new_password)
    if not opens(path, key):
        raise WrongPasswordError(WRONG_PASSWORD)
    _write_key_file(path, [_entry(key, new_password)])


def renew_recovery_key(path: str | os.PathLike, key: bytes, password: str, held_lock=None) -> tuple[bytes, str]:
    """Re-key the (closed) ledger with a new file key; the old recovery key no longer opens it.

    The key file holds the new key and the old one while ``PRAGMA rekey`` runs (one transaction), so
    whichever key the file has after a crash, the password opens it.
    """
    path = Path(path).absolute()
    new = os.urandom(KEY_BYTES)
    with _exclusive(path, held_lock):
        if not opens(path, key):
            raise WrongPasswordError(WRONG_PASSWORD)
        _write_key_file(path, [_entry(new, password), _entry(key, password)])
        conn = connect(path, key, isolation_level=None)
        try:
            conn.execute(f"PRAGMA rekey = {_key_literal(new)}")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sql_errors() as exc:
            raise LedgerError(f"更换恢复密钥失败，台账未改动：{exc}") from exc
        finally:
            conn.close()
        _write_key_file(path, [_entry(new, password)])
    remember(path, new)
    return new, format_recovery_key(new)


def decrypt_ledger(path: str | os.PathLike, key: bytes, held_lock=None) -> None:
    """Remove the password: rewrite the (closed) ledger as a plain SQLite file."""
    path = Path(path).absolute()
    with _exclusive(path, held_lock):
        if not opens(path, key):
            raise WrongPasswordError(WRONG_PASSWORD)
        tmp = path.with_name(path.name + ".decrypting")
        _export(path, key, tmp, None)
        _replace(tmp, path)
        key_file_for(path).unlink(missing_ok=True)
    forget(path)


def _export(source: Path, source_key: bytes | None, target: Path, target_key: bytes | None) -> None:
    """Copy every table, index and the schema version into a new file with another key (or none)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    private.create_file(target)  # SQLite gives the WAL files the same mode
    conn = (connect(source, source_key, isolation_level=None) if source_key
            else driver().connect(str(source), isolation_level=None))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        literal = _key_literal(target_key) if target_key else "''"
        conn.execute(f"ATTACH DATABASE ? AS target KEY {literal}", (str(target),))
        conn.execute("SELECT sqlcipher_export('target')")
        conn.execute(f"PRAGMA target.user_version = {int(version)}")  # sqlcipher_export leaves it at 0
        conn.execute("DETACH DATABASE target")
    except sql_errors() as exc:
        target.unlink(missing_ok=True)
        raise LedgerError(f"改写台账失败，台账未改动：{exc}") from exc
    finally:
        conn.close()
    out = connect(target, target_key, isolation_level=None) if target_key else sqlite3.connect(target, isolation_level=None)
    try:
        out.execute("PRAGMA journal_mode = WAL")
        result = out.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        out.close()
    if result != "ok":
        target.unlink(missing_ok=True)
        raise LedgerError(f"改写后的台账未通过完整性检查（{result}），台账未改动。")
    with open(target, "rb+") as handle:
        os.fsync(handle.fileno())


def _replace(new: Path, path: Path) -> None:
    """Put ``new`` in place of ``path``: the old WAL was checkpointed, and must not meet the new file."""
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    os.replace(new, path)
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
