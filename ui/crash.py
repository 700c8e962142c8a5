"""Crash handling: a bug writes a log in the data folder, and the next start shows it.

Nothing is sent anywhere (the program never uses the network). A Python exception that escapes a
slot goes to ``sys.excepthook``: it is logged and the clerk gets a short message, and the program
keeps running. A hard crash (segfault) is caught by ``faulthandler`` in a per-process file that the
next start turns into a crash log. A ``LedgerError`` is not a bug: its message is simply shown.

The log holds the traceback and the program, Python and Qt versions; no ledger data beyond what a
traceback line may show.
"""

import contextlib
import faulthandler
import os
import sys
import threading
import traceback
from datetime import datetime
from pathlib import Path

from PySide6 import QtWidgets
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QApplication, QWidget

from ledger_app import __version__, private
from ledger_app.db import data_dir
from ledger_app.errors import LedgerError, environment_message

LOG_PREFIX = "crash-"
LOG_SUFFIX = ".log"
SEEN_FILE = "crash-seen.txt"
FAULT_PREFIX = "faulthandler-"
STALE_FAULT_FILE_SECONDS = 7 * 24 * 3600


def logs_dir() -> Path:
    """``logs`` in the data folder."""
    return private.make_dirs(data_dir() / "logs")


def _header(kind: str, when: datetime) -> str:
    import platform  # only when a crash is written: it is slow to import

    import PySide6

    return (
        f"党务台账 崩溃日志（{kind}）\n"
        f"时间：{when.isoformat(timespec='seconds')}\n"
        f"程序版本：{__version__}\n"
        f"Python：{sys.version.split()[0]}  Qt：{qVersion()}  PySide6：{PySide6.__version__}\n"
        f"系统：{platform.platform()}\n\n"
    )


def _new_log_path(folder: Path, when: datetime) -> Path:
    stamp = when.strftime("%Y%m%d-%H%M%S")
    path = folder / f"{LOG_PREFIX}{stamp}{LOG_SUFFIX}"
    counter = 1
    while path.exists():
        counter += 1
        path = folder / f"{LOG_PREFIX}{stamp}-{counter}{LOG_SUFFIX}"
    return path


def write_crash_log(exc_type, exc, tb, folder: Path | None = None) -> Path:
    """Write ``crash-YYYYmmdd-HHMMSS.log`` with the traceback and versions; return its path."""
    folder = folder or logs_dir()
    when = datetime.now()
    path = _new_log_path(folder, when)
    text = _header("程序内部错误", when) + "".join(traceback.format_exception(exc_type, exc, tb))
    private.write_text(path, text)  # a traceback may quote a member's data
    return path


def adopt_fault_logs(folder: Path | None = None) -> list[Path]:
    """Turn what ``faulthandler`` wrote before a hard crash into crash logs; drop stale empty files.

    A running instance's file is empty (it only fills when that process crashes), so a non-empty
    one belongs to a dead process. An empty one is left by a process that was killed (which
    faulthandler cannot report); it is removed once it is a week old.
    """
    folder = folder or logs_dir()
    adopted = []
    week_ago = datetime.now().timestamp() - STALE_FAULT_FILE_SECONDS
    for fault in sorted(folder.glob(f"{FAULT_PREFIX}*.log")):
        try:
            content = fault.read_text(encoding="utf-8", errors="replace")
            if not content.strip():
                if fault.stat().st_mtime < week_ago:
                    fault.unlink()
                continue
        except OSError:
            continue
        when = datetime.fromtimestamp(fault.stat().st_mtime)
        path = _new_log_path(folder, when)
        private.write_text(path, _header("程序异常终止", when) + content)
        fault.unlink(missing_ok=True)
        adopted.append(path)
    return adopted


def unseen_log(folder: Path | None = None) -> Path | None:
    """The newest crash log not yet shown to the clerk, or None.

    Log names sort by time, so "seen" is simply the name of the newest log already shown.
    """
    folder = folder or logs_dir()
    logs = sorted(folder.glob(f"{LOG_PREFIX}*{LOG_SUFFIX}"))
    if not logs:
        return None
    seen_file = folder / SEEN_FILE
    seen = seen_file.read_text(encoding="utf-8").strip() if seen_file.exists() else ""
    newest = logs[-1]
    return newest if newest.name > seen else None


def mark_seen(path: Path) -> None:
    (path.parent / SEEN_FILE).write_text(path.name, encoding="utf-8")


class CrashHandler:
    """Installs the excepthooks and faulthandler; ``uninstall`` restores what was there."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder or logs_dir()
        self._previous_hook = None
        self._previous_thread_hook = None
        self._fault_file = None
        self._fault_path: Path | None = None
        self._showing = False
        self.last_log: Path | None = None

    def install(self) -> "CrashHandler":
        try:
            adopt_fault_logs(self.folder)
            self._fault_path = self.folder / f"{FAULT_PREFIX}{os.getpid()}.log"
            self._fault_file = open(self._fault_path, "w", encoding="utf-8",  # noqa: SIM115 - open while running
                                    opener=private.opener)
        except OSError:  # an unwritable data folder must not stop the program; Python errors still show
            self._fault_file = None
        else:
            faulthandler.enable(file=self._fault_file, all_threads=True)
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self.excepthook
        threading.excepthook = self._thread_hook
        return self

    def uninstall(self) -> None:
        """On a clean exit: restore the hooks and remove this process's (empty) fault file."""
        if self._previous_hook is not None:
            sys.excepthook = self._previous_hook
            threading.excepthook = self._previous_thread_hook
            self._previous_hook = None
        if self._fault_file is not None:
            faulthandler.disable()
            self._fault_file.close()
            self._fault_file = None
            if self._fault_path is not None and self._fault_path.stat().st_size == 0:
                self._fault_path.unlink(missing_ok=True)
            if sys.__stderr__ is not None:
                faulthandler.enable(file=sys.__stderr__)

    def excepthook(self, exc_type, exc, tb) -> None:
        """Log a bug and tell the clerk briefly; a ``LedgerError`` and a fault of the machine
        (``errors.environment_message``) are only shown, not logged."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if issubclass(exc_type, LedgerError):
            self._tell(str(exc), "Warning")
            return
        machine = environment_message(exc)  # a full disk, a read-only stick …: the machine's fault, not a bug
        if machine:
            self._tell(machine, "Warning")
            return
        try:
            self.last_log = write_crash_log(exc_type, exc, tb, self.folder)
        except OSError:
            self.last_log = None
        traceback.print_exception(exc_type, exc, tb, file=sys.stderr)
        where = str(self.last_log) if self.last_log else "（日志无法写入）"
        self._tell(f"程序出现内部错误，已记录日志：{where}\n\n"
                   "可以继续使用。如果问题反复出现，请把这个日志文件交给技术人员。", "Critical")

    def _thread_hook(self, args) -> None:
        if args.exc_type is SystemExit:
            return
        with contextlib.suppress(OSError):
            self.last_log = write_crash_log(args.exc_type, args.exc_value, args.exc_traceback, self.folder)
        traceback.print_exception(args.exc_type, args.exc_value, args.exc_traceback, file=sys.stderr)

    def _tell(self, message: str, icon: str) -> None:
        """Show ``message`` with the ``QMessageBox.Icon`` named ``icon`` (looked up only now: see ui.common)."""
        if self._showing or QApplication.instance() is None or threading.current_thread() is not threading.main_thread():
            return
        self._showing = True
        try:
            box = QtWidgets.QMessageBox(getattr(QtWidgets.QMessageBox.Icon, icon), "党务台账", message,
                                        parent=QApplication.activeWindow())
            box.exec()
        finally:
            self._showing = False


def install(folder: Path | None = None) -> CrashHandler:
    """Install the crash handler for this process (``ui.app.run`` calls it first thing)."""
    return CrashHandler(folder).install()


def show_unseen(parent: QWidget | None = None, folder: Path | None = None) -> Path | None:
    """At start: show the newest crash log not yet seen, mark it seen, and return its path."""
    path = unseen_log(folder)
    if path is None:
        return None
    mark_seen(path)  # first, so a log that cannot be shown is not shown again at every start
    from .crash_dialog import CrashLogDialog  # built only when there is a log to show

    dialog = CrashLogDialog(path, parent)
    dialog.exec()
    dialog.deleteLater()
    return path
