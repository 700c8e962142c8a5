"""One writer per ledger file: an OS-level lock on ``<ledger>.lock`` beside it.

The lock is released by the operating system when the process dies, so a crash never leaves a
stale lock behind. The lock file also holds who took it (program, process, host, time) so that a
second program can say who is in the way. The file itself is left in place on release: deleting it
would let two processes lock two different files of the same name.
"""

import json
import os
import sys
from datetime import datetime
from pathlib import Path

from . import private
from .errors import LedgerError, LedgerLockedError

_LOCK_OFFSET = 1 << 20  # Windows locks are mandatory: lock a byte far from the readable info


def _host_name() -> str:
    """This computer's name, for the message naming who holds the lock (socket is slow to import)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    return os.environ.get("COMPUTERNAME", "")


def lock_path_for(ledger_path: Path) -> Path:
    return ledger_path.with_name(ledger_path.name + ".lock")


class LedgerLock:
    """An exclusive, non-blocking lock on a ledger file, held until ``release`` or process exit."""

    def __init__(self, ledger_path: Path, program: str = "party-ledger"):
        self.path = lock_path_for(Path(ledger_path))
        self.program = program
        self._file = None

    @property
    def held(self) -> bool:
        return self._file is not None

    def acquire(self) -> None:
        """Take the lock or raise ``LedgerLockedError`` naming who holds it."""
        try:
            handle = open(self.path, "a+b", opener=private.opener)  # noqa: SIM115 - kept open while the lock is held
            private.restrict(self.path)  # a lock file left by an older version may be wider
        except OSError as exc:
            raise LedgerError(f"无法创建锁文件“{self.path}”：{exc.strerror}。请检查台账所在文件夹能否写入。") from exc
        try:
            _lock(handle)
        except OSError:
            handle.close()
            raise LedgerLockedError(
                f"台账文件“{self.path.name[: -len('.lock')]}”正被另一个程序使用（{describe_holder(self.path)}），"
                "现在不能写入。请先关闭那个程序再试。"
            ) from None
        info = {
            "program": self.program,
            "pid": os.getpid(),
            "host": _host_name(),
            "since": datetime.now().isoformat(timespec="seconds"),
        }
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(info, ensure_ascii=False).encode("utf-8"))
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is None:
            return
        try:
            self._file.seek(0)
            self._file.truncate()
            _unlock(self._file)
        finally:
            self._file.close()
            self._file = None


def describe_holder(lock_file: Path) -> str:
    """Who holds the lock, in words, from the info the holder wrote."""
    try:
        info = json.loads(lock_file.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    if not info:
        return "未知程序"
    return f"{info.get('program', '未知程序')}，进程 {info.get('pid', '?')}，主机 {info.get('host', '?')}，自 {info.get('since', '?')} 起"


if sys.platform == "win32":
    import msvcrt

    def _lock(handle) -> None:
        handle.seek(_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle) -> None:
        handle.seek(_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
