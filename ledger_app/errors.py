"""Errors the user's environment or input causes, as opposed to bugs.

A ``LedgerError`` carries a message meant for the clerk (Chinese, saying what to fix); the GUI shows
it in a message box and the command line prints it and exits non-zero. Anything else that escapes
is a bug and goes to the crash handler.
"""


class LedgerError(Exception):
    """A problem the clerk can fix: bad input, a locked or damaged file, a newer ledger."""

    exit_code = 2


class ValidationError(LedgerError):
    """Input that breaks a rule; ``field`` names the field or path at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class LedgerLockedError(LedgerError):
    """Another program holds the ledger file open for writing."""

    exit_code = 3


class NewerLedgerError(LedgerError):
    """The ledger was written by a newer program than this one."""


class DamagedLedgerError(LedgerError):
    """The file is not a ledger, or fails SQLite's integrity check."""


_FULL = {"SQLITE_FULL"}
_READONLY = {"SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH"}
_DAMAGED = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
_OS_FULL = {"ENOSPC", "EDQUOT", "EFBIG"}
_OS_READONLY = {"EROFS", "EACCES", "EPERM"}


def environment_message(exc: BaseException) -> str | None:
    """A message for the clerk when ``exc`` (or what it was raised from) is the machine's fault:
    a full disk, a read-only folder or stick, a failing disk, a damaged file. None for a bug.

    SQLite and the file system report these from deep inside any write, so the command line (and
    anything else that must never show a traceback for them) asks here instead of catching each.
    """
    import errno
    import sqlite3

    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        name = None
        if isinstance(exc, sqlite3.Error):
            name = getattr(exc, "sqlite_errorname", None) or ""
            if name in _FULL or "disk is full" in str(exc):
                return f"磁盘空间不足，写入失败（{exc}）。请腾出磁盘空间后重试；这次没有完成的修改不会写入。"
            if name in _READONLY or "readonly" in str(exc):
                return f"无法写入文件（{exc}）：文件夹或文件是只读的，或 U 盘有写保护。请换一个可以写入的位置再试。"
            if name in _DAMAGED or "malformed" in str(exc):
                return f"台账文件已损坏（{exc}）。可以用 restore 从备份恢复。"
            if name.startswith("SQLITE_IOERR"):
                return f"读写文件时出错（{exc}）。请检查磁盘或 U 盘是否正常连接，然后重试。"
        elif isinstance(exc, OSError) and exc.errno is not None:
            name = errno.errorcode.get(exc.errno, "")
            where = f"“{exc.filename}”" if exc.filename else "文件"
            if name in _OS_FULL:
                return f"磁盘空间不足，无法写入{where}。请腾出磁盘空间后重试。"
            if name in _OS_READONLY:
                return f"无法写入{where}：没有写入权限，或文件夹、U 盘是只读的。请换一个可以写入的位置再试。"
            if name == "EIO":
                return f"读写{where}时出错。请检查磁盘或 U 盘是否正常连接，然后重试。"
        exc = exc.__cause__ or exc.__context__
    return None
