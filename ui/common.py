"""Small pieces every page shares: settings, messages, dates, work after the first paint or
in the background. Form fields live in ``forms``, list tables in ``tables``.

Messages to the clerk go through the functions here so that every page words and shows them the
same way (and tests can capture them instead of blocking on a modal box).

Modules on the way to the first window (this one, ``app``, ``crash``, ``session``, ``main_window``,
``workbench``) write ``QtCore.Qt.…`` inside functions instead of importing ``Qt``: the first lookup
of that namespace builds its hundred-odd Python enums (about 12 ms, a tenth of the start-up
budget), and the first window does not need it. Likewise they write ``QtWidgets.QMessageBox``
where a message is shown: PySide6 sets a class up on its first lookup, and QMessageBox's two dozen
enums cost 2–3 ms. ``tests/gui/test_gui_startup.py`` checks both.
"""

import gc
import threading
from datetime import date

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QProgressDialog, QWidget

ORGANISATION = "PartyLedger"
APPLICATION = "党务台账"


def settings() -> QSettings:
    """Window geometry and small preferences (never ledger data): an INI file in the user's scope.

    The INI format everywhere keeps tests simple: they point ``QSettings.setPath`` at a temporary
    folder and never touch the real settings.
    """
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


# --- messages ---------------------------------------------------------------------------------

def show_error(parent: QWidget | None, message: object, title: str = "无法完成") -> None:
    """A problem the clerk can fix (a ``LedgerError``'s message, or a sentence saying what to do)."""
    QtWidgets.QMessageBox.warning(parent, title, str(message))


def show_info(parent: QWidget | None, title: str, message: str) -> None:
    QtWidgets.QMessageBox.information(parent, title, message)


def confirm(parent: QWidget | None, title: str, message: str, accept_text: str) -> bool:
    """Ask before something that replaces data; the safe answer (取消) is the default."""
    message_box = QtWidgets.QMessageBox
    box = message_box(message_box.Icon.Question, title, message, parent=parent)
    accept = box.addButton(accept_text, message_box.ButtonRole.AcceptRole)
    cancel = box.addButton(message_box.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is accept


# --- dates ------------------------------------------------------------------------------------

def format_date(day: date | None, empty: str = "未填写") -> str:
    """A date the way a Chinese clerk writes it: 2024年5月1日."""
    return f"{day.year}年{day.month}月{day.day}日" if day else empty


# --- work off the GUI thread, or after the window is up ---------------------------------------

class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, callback):
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)  # runs once this paint (children included) is done
            self.deleteLater()
        return False


def after_first_paint(widget: QWidget, callback) -> None:
    """Call ``callback`` once, from the event loop, just after ``widget`` is first painted.

    A zero timer started next to ``show()`` is not enough: the window system's expose and Qt's
    paint come later, so work queued that way (the workbench's reminders) would delay the picture.
    """
    _FirstPaint(widget, callback)


_gc_pauses = 0
_gc_was_enabled = False


def pause_gc() -> None:
    """Stop the cyclic garbage collector while a worker thread runs Python code (``resume_gc`` ends it).

    A collection runs on whichever thread happens to allocate; on a worker it can free a cycle that
    holds a Qt object (a dialog, a page), and deleting that off the GUI thread crashes Qt (seen as
    segfaults in the annual page's and the workbench's background reads). Pauses nest.
    """
    global _gc_pauses, _gc_was_enabled
    if _gc_pauses == 0:
        _gc_was_enabled = gc.isenabled()
        gc.disable()
    _gc_pauses += 1


def resume_gc() -> None:
    global _gc_pauses
    _gc_pauses = max(0, _gc_pauses - 1)
    if _gc_pauses == 0 and _gc_was_enabled:
        gc.enable()


class _Relay(QObject):
    """Carries a worker thread's progress and its end to the GUI thread (queued signals)."""

    progress = Signal(str)
    finished = Signal()


def run_in_background(parent: QWidget | None, label: str, work):
    """Run ``work(report)`` on a worker thread behind a progress dialog; return its result.

    ``report(text)`` may be called from the worker to change the dialog's text. The dialog appears
    only when the work takes longer than 0.4 s, and user input waits until the work is done, so
    nothing else can touch the ledger meanwhile. An exception in the work is raised here.
    """
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setCancelButton(None)
    dialog.setWindowTitle(APPLICATION)
    dialog.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    relay = _Relay()
    relay.progress.connect(dialog.setLabelText)
    loop = QEventLoop()
    relay.finished.connect(loop.quit)
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = work(relay.progress.emit)
        except BaseException as exc:  # handed back to the GUI thread and raised there
            outcome["error"] = exc
        finally:
            relay.finished.emit()

    thread = threading.Thread(target=target, name="party-ledger-work", daemon=True)
    QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
    pause_gc()
    try:
        thread.start()
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        thread.join()
    finally:
        resume_gc()
        QApplication.restoreOverrideCursor()
        dialog.reset()
        dialog.close()
        dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def muted_label(text: str = "") -> QLabel:
    """A grey explanatory line that wraps: the hints under forms and page titles."""
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


class _CountRelay(QObject):
    """Carries a cancellable worker's progress (done, total, text) and its end to the GUI thread."""

    progress = Signal(int, int, str)
    finished = Signal()


def run_cancellable(parent: QWidget | None, label: str, work):
    """Run ``work(report, cancelled)`` on a worker thread behind a progress dialog with 取消.

    ``report(done, total, text)`` moves the bar; ``cancelled()`` tells the worker the clerk pressed
    取消 (the work stops at its next check and cleans up after itself). Returns the work's result;
    an exception in the work is raised here. The worker gets its own ledger connection (peewee's
    per-thread connection), closed when it ends; the dialog is modal, so nothing else touches the
    ledger meanwhile.
    """
    dialog = QProgressDialog(label, "取消", 0, 0, parent)
    dialog.setWindowTitle(APPLICATION)
    dialog.setWindowModality(QtCore.Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(460)
    stop = threading.Event()
    dialog.canceled.connect(stop.set)
    dialog.canceled.connect(lambda: dialog.setLabelText("正在取消，请稍候…"))

    def show(done: int, total: int, text: str) -> None:
        if stop.is_set():
            return
        dialog.setMaximum(total)
        dialog.setValue(done)
        dialog.setLabelText(f"{label}\n{text}")

    relay = _CountRelay()
    relay.progress.connect(show)
    loop = QEventLoop()
    relay.finished.connect(loop.quit)
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = work(relay.progress.emit, stop.is_set)
        except BaseException as exc:  # handed back to the GUI thread and raised there
            outcome["error"] = exc
        finally:
            from ledger_app.db import close_thread_connection

            close_thread_connection()
            relay.finished.emit()

    thread = threading.Thread(target=target, name="party-ledger-work", daemon=True)
    dialog.show()
    pause_gc()
    try:
        thread.start()
        loop.exec()
        thread.join()
    finally:
        resume_gc()
        dialog.canceled.disconnect()  # closing the dialog emits it too
        dialog.reset()
        dialog.close()
        dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
