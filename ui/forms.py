"""Form fields (dates that may be empty, the red line naming a field's problem) and dialogs of
labelled fields whose problems show under the field they name.

A dialog builds its values from its fields and hands them to a service; it never checks a rule
itself. A ``ValidationError`` is shown in red under the field it names and the dialog stays open, so
the clerk corrects that field and presses the button again. Used by the transfers, dues and
meetings pages.
"""

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ledger_app.errors import LedgerError, ValidationError

from .common import show_error

DATE_FORMAT = "yyyy-MM-dd"


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


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


def add_field_row(form: QFormLayout, label: str, widget: QWidget) -> FieldError:
    """Add ``label`` beside ``widget`` to ``form``, with a hidden red line under the widget for its
    problems; return that line. The label's mnemonic goes to the widget."""
    error = FieldError()
    cell = QWidget()
    column = QVBoxLayout(cell)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(widget)
    column.addWidget(error)
    form.addRow(label, cell)
    form.labelForField(cell).setBuddy(widget)
    return error


def date_edit(day: date) -> QDateEdit:
    """A required date field with a calendar, showing 2026-11-22."""
    edit = QDateEdit(to_qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setMinimumDate(QDate(1900, 1, 1))
    edit.setMinimumWidth(160)
    return edit


class FormDialog(QDialog):
    """A dialog of labelled fields with an error line under each, and 确定/取消 buttons.

    Subclasses add their fields with ``add_row`` and implement ``save()``, which calls a service and
    raises ``ValidationError`` for a field the clerk must correct.
    """

    def __init__(self, title: str, accept_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.errors: dict[str, tuple[FieldError, QWidget]] = {}
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(accept_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    @staticmethod
    def new_form() -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return form

    def add_row(self, form: QFormLayout, field: str, label: str, widget: QWidget) -> None:
        """``label`` beside ``widget``, and a hidden red line under it for the problems of ``field``."""
        self.errors[field] = (add_field_row(form, label, widget), widget)

    def arrange(self, width: int, *parts: QWidget | QLayout) -> None:
        """Stack ``parts`` (widgets and layouts, top to bottom) above the buttons, ``width`` wide."""
        layout = QVBoxLayout(self)
        for part in parts:
            if isinstance(part, QLayout):
                layout.addLayout(part)
            else:
                layout.addWidget(part)
        layout.addWidget(self.buttons)
        self.resize(width, self.sizeHint().height())

    def show_field_error(self, field: str | None, message: str) -> bool:
        """Show ``message`` under ``field`` and put the cursor there; False when there is no such field."""
        if field not in self.errors:
            return False
        error, widget = self.errors[field]
        error.show_message(message)
        self.layout().activate()  # the dialog grows to fit the message rather than squeeze the fields
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))
        widget.setFocus()
        return True

    def clear_errors(self) -> None:
        for error, _ in self.errors.values():
            error.clear_message()

    def save(self) -> None:
        raise NotImplementedError

    def submit(self) -> bool:
        """Save; close on success, else show the problem (beside its field when it names one)."""
        self.clear_errors()
        try:
            self.save()
        except ValidationError as exc:
            if not self.show_field_error(exc.field, str(exc)):
                show_error(self, exc)
            return False
        except LedgerError as exc:
            show_error(self, exc)
            return False
        self.accept()
        return True



class DateDialog(FormDialog):
    """One date and a sentence saying what it records: 确认转出 and 回执已回 use it.

    ``apply(day)`` calls the service; its ``ValidationError`` for the field ``on`` appears under
    the date.
    """

    def __init__(self, title: str, sentence: str, label: str, accept_text: str, apply: Callable[[date], None],
                 day: date, parent: QWidget | None = None):
        super().__init__(title, accept_text, parent)
        self.apply = apply
        self.on = date_edit(day)
        text = QLabel(sentence)
        text.setWordWrap(True)
        form = self.new_form()
        self.add_row(form, "on", label, self.on)
        self.arrange(460, text, form)

    def save(self) -> None:
        self.apply(from_qdate(self.on.date()))
