"""Small pieces every page shares: resources, settings, messages, dates, field errors, background work.

Messages to the clerk go through the functions here so that every page words and shows them the
same way (and tests can capture them instead of blocking on a modal box).
"""

import threading
from datetime import date
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QDate, QEventLoop, QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QTableView,
    QToolButton,
    QWidget,
)

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
ORGANISATION = "PartyLedger"
APPLICATION = "党务台账"
DATE_FORMAT = "yyyy-MM-dd"


def settings() -> QSettings:
    """Window geometry and small preferences (never ledger data): an INI file in the user's scope.

    The INI format everywhere keeps tests simple: they point ``QSettings.setPath`` at a temporary
    folder and never touch the real settings.
    """
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


# --- messages ---------------------------------------------------------------------------------

def show_error(parent: QWidget | None, message: object, title: str = "无法完成") -> None:
    """A problem the clerk can fix (a ``LedgerError``'s message, or a sentence saying what to do)."""
    QMessageBox.warning(parent, title, str(message))


def show_info(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.information(parent, title, message)


def confirm(parent: QWidget | None, title: str, message: str, accept_text: str) -> bool:
    """Ask before something that replaces data; the safe answer (取消) is the default."""
    box = QMessageBox(QMessageBox.Icon.Question, title, message, parent=parent)
    accept = box.addButton(accept_text, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is accept


# --- dates ------------------------------------------------------------------------------------

def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def format_date(day: date | None, empty: str = "未填写") -> str:
    """A date the way a Chinese clerk writes it: 2024年5月1日."""
    return f"{day.year}年{day.month}月{day.day}日" if day else empty


class OptionalDateEdit(QWidget):
    """A date field that may be left empty (a date edit plus a 清空 button).

    QDateEdit cannot hold "no date", so its minimum date stands for empty and shows 未填写.
    """

    EMPTY = QDate(1900, 1, 1)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = _ClickToFillDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat(DATE_FORMAT)
        self.edit.setMinimumDate(self.EMPTY)
        self.edit.setSpecialValueText("未填写")
        self.clear_button = QToolButton(self)
        self.clear_button.setText("清空")
        self.clear_button.setToolTip("不填这个日期")
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.clear_button.clicked.connect(lambda: self.set_value(None))
        self.edit.setMinimumWidth(160)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.clear_button)
        layout.addStretch(1)
        self.setFocusProxy(self.edit)
        self.set_value(None)

    def value(self) -> date | None:
        current = self.edit.date()
        return None if current == self.EMPTY else from_qdate(current)

    def set_value(self, day: date | None) -> None:
        self.edit.setDate(to_qdate(day) if day else self.EMPTY)


class _ClickToFillDateEdit(QDateEdit):
    """An empty date edit jumps to today when clicked, so the calendar does not open in 1900."""

    def mousePressEvent(self, event) -> None:
        if self.date() == self.minimumDate():
            self.setDate(QDate.currentDate())
        super().mousePressEvent(event)


class FieldError(QLabel):
    """A red sentence under a form field naming what is wrong with it; hidden while all is well."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.hide()

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.show()

    def clear_message(self) -> None:
        self.clear()
        self.hide()


# --- work off the GUI thread ------------------------------------------------------------------

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
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
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
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        thread.start()
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        thread.join()
    finally:
        QApplication.restoreOverrideCursor()
        dialog.reset()
        dialog.close()
        dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


class RowsModel(QAbstractTableModel):
    """A flat read-only table of plain ``rows`` under ``HEADERS``; subclasses write ``data``."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []

    def load(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None


def muted_label(text: str = "") -> QLabel:
    """A grey explanatory line that wraps: the hints under forms and page titles."""
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


def read_only_table(model) -> QTableView:
    """A list view over ``model``: whole rows selected one at a time, nothing edited in place."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    return view
