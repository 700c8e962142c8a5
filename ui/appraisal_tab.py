"""民主评议 tab of the 会议 page: a year's round (date, meeting, note) and each member's grade.

The sheet (who takes part, in which role, with which grade) comes from ``services.appraisal.sheet``;
the one-third warning and what is still missing come from ``rules.appraisal`` as the clerk grades.
Grades are chosen with the keyboard (1 优秀, 2 合格, 3 基本合格, 4 不合格, 0 清除; the cursor moves
down) or from a list in the cell; 保存 writes the round and the changed grades in one transaction.
"""

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ledger_app import vocab
from ledger_app.errors import LedgerError, ValidationError
from ledger_app.rules import appraisal as rules
from ledger_app.services import appraisal

from .common import confirm, muted_label, show_error
from .forms import OptionalDateEdit, add_field_row
from .tables import RowsModel

NOT_GRADED_COLOUR = QColor("#8c8c88")
PROBLEM_COLOUR = QColor("#b3261e")
GRADE_KEYS = {Qt.Key.Key_1: "excellent", Qt.Key.Key_2: "qualified", Qt.Key.Key_3: "basically",
              Qt.Key.Key_4: "unqualified"}
CLEAR_KEYS = (Qt.Key.Key_0, Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
NO_MEETING = "（不关联会议）"


class GradesModel(RowsModel):
    """The grading sheet: 姓名, 党小组, 身份, 评定等次 (editable where the member is graded).

    ``rows`` are the service's ``SheetRow``; the grades as the clerk sets them are kept in
    ``grades`` (person id → code or None) beside the stored ones, so ``changes()`` is what to save.
    """

    HEADERS = ("姓名", "党小组", "身份", "评定等次")
    GRADE = 3
    edited = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.grades: dict[int, str | None] = {}

    def load(self, rows, keep: dict[int, str | None] | None = None) -> None:
        """New rows; ``keep`` holds unsaved grades to carry over for the people still listed."""
        self.grades = {r.person_id: r.grade for r in rows}
        for person_id, grade in (keep or {}).items():
            if person_id in self.grades:
                self.grades[person_id] = grade
        super().load(rows)

    def changes(self) -> dict[int, str | None]:
        return {r.person_id: self.grades[r.person_id] for r in self.rows if self.grades[r.person_id] != r.grade}

    def editable(self, row) -> bool:
        return row.may_grade or bool(self.grades.get(row.person_id))  # someone not graded: only to clear

    def flags(self, index):
        flags = super().flags(index)
        if index.isValid() and index.column() == self.GRADE and self.editable(self.rows[index.row()]):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        grade = self.grades.get(row.person_id)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.GRADE:
                if grade:
                    return vocab.APPRAISAL_GRADES[grade]
                return "未评定" if row.may_grade else ("不评定等次" if row.role == "probationary" else "")
            return (row.name, row.group_name, row.stage_label)[column]
        if role == Qt.ItemDataRole.EditRole and column == self.GRADE:
            return grade
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.role == appraisal.EXTRA_ROLE:
                return QBrush(PROBLEM_COLOUR)
            if not row.may_grade or (column == self.GRADE and not grade):
                return QBrush(NOT_GRADED_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.role_label
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.EditRole or index.column() != self.GRADE:
            return False
        row = self.rows[index.row()]
        if not self.editable(row) or (value is not None and value not in vocab.APPRAISAL_GRADES):
            return False
        if self.grades.get(row.person_id) != value:
            self.grades[row.person_id] = value
            self.dataChanged.emit(index, index)
            self.edited.emit()
        return True

    def fill_unset(self, grade: str) -> int:
        """Give ``grade`` to everyone graded who has none yet; how many."""
        count = 0
        for number, row in enumerate(self.rows):
            if row.may_grade and not self.grades.get(row.person_id):
                count += self.setData(self.index(number, self.GRADE), grade)
        return count

    def row_of(self, person_id: int) -> int:
        return next((n for n, r in enumerate(self.rows) if r.person_id == person_id), -1)


class GradeDelegate(QStyledItemDelegate):
    """评定等次 chosen from a list in the cell."""

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.addItem("（未评定）", None)
        for code, label in vocab.APPRAISAL_GRADES.items():
            combo.addItem(label, code)
        combo.activated.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor, index):
        editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.EditRole)), 0))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class GradeTable(QTableView):
    """The sheet's view: a digit grades the current row and moves to the next one."""

    def keyPressEvent(self, event) -> None:
        key = event.key()
        model: GradesModel = self.model()
        current = self.currentIndex()
        if current.isValid() and (key in GRADE_KEYS or key in CLEAR_KEYS) and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            index = model.index(current.row(), GradesModel.GRADE)
            model.setData(index, GRADE_KEYS.get(key))
            following = next((n for n in range(current.row() + 1, model.rowCount())
                              if model.editable(model.rows[n])), current.row())
            self.setCurrentIndex(model.index(following, GradesModel.GRADE))
            return
        super().keyPressEvent(event)


class AppraisalTab(QWidget):
    """The year's 民主评议党员: its date and meeting, and a grade for every member graded."""

    saved = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.year: int | None = None
        self.today: date | None = None
        self.sheet: appraisal.AppraisalSheet | None = None
        self.heading = QLabel()
        self.heading.setObjectName("cardHeading")
        self.status = QLabel()
        self.held_on = OptionalDateEdit()
        self.meeting = QComboBox()
        self.meeting.setMinimumWidth(360)
        self.note = QLineEdit()
        self.note.setPlaceholderText("如：结合组织生活会进行；个别同志因公未参加，会后补评")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.errors = {"held_on": add_field_row(form, "评议日期(&T)：", self.held_on),
                       "meeting_id": add_field_row(form, "评议会议(&G)：", self.meeting),
                       "note": add_field_row(form, "备注(&O)：", self.note)}
        self.probationary = QCheckBox("预备党员也评定等次(&B)")
        self.probationary.setToolTip("本地做法：预备党员参加评议，默认不评定等次。改动记入操作记录。")
        self.warning = QLabel()
        self.warning.setObjectName("fieldError")
        self.warning.setWordWrap(True)
        self.counts = QLabel()
        self.counts.setWordWrap(True)

        self.model = GradesModel(self)
        self.table = GradeTable()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(GradesModel.GRADE, GradeDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.SelectedClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.fill_button = QPushButton("未评定的都设为合格(&Q)")
        self.save_button = QPushButton("保存(&S)")
        self.revert_button = QPushButton("撤销修改(&R)")
        self.fill_button.clicked.connect(lambda: self.model.fill_unset("qualified"))
        self.save_button.clicked.connect(lambda: self.save())
        self.revert_button.clicked.connect(lambda: self.reload(keep=False))
        hint = muted_label("选中一行后按 1 优秀、2 合格、3 基本合格、4 不合格、0 清除，光标自动移到下一行；"
                           "也可双击“评定等次”从列表中选择。灰色的是不评定等次的同志。")

        head = QHBoxLayout()
        head.addWidget(self.heading)
        head.addStretch(1)
        head.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addWidget(self.fill_button)
        buttons.addWidget(self.probationary)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(form)
        layout.addWidget(self.counts)
        layout.addWidget(self.warning)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addLayout(buttons)

        self.model.edited.connect(self._update_verdicts)
        self.note.textEdited.connect(lambda _t: self._update_verdicts())
        self.meeting.activated.connect(self._meeting_chosen)
        self.held_on.edit.dateChanged.connect(lambda _d: self._date_changed())
        self.probationary.toggled.connect(self._probationary_toggled)

    def current_day(self) -> date:
        return self.today or date.today()

    # ---- loading ----------------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        if self.sheet is None:
            return False
        info = self.sheet.round
        stored = (info.held_on, info.meeting_id, info.note) if info else (None, None, "")
        return bool(self.model.changes()) or stored != (self.held_on.value(), self.meeting.currentData(),
                                                         self.note.text().strip())

    def load(self, year: int, today: date | None = None) -> bool:
        """Show ``year``'s round; unsaved changes of another year are kept only if the clerk says so."""
        if year != self.year and self.is_dirty() and not confirm(
                self, "未保存的民主评议", f"{self.year}年度民主评议有未保存的修改，切换年份将放弃这些修改。", "放弃修改(&D)"):
            return False
        self.today = today
        keep = year == self.year
        self.year = year
        self.reload(keep=keep)
        return True

    def reload(self, keep: bool = True) -> None:
        """Read the round again; with ``keep``, the unsaved fields and grades stay as typed."""
        typed = (self.held_on.value(), self.meeting.currentData(), self.note.text()) if keep and self.sheet else None
        grades = self.model.grades if keep else None
        self.sheet = appraisal.sheet(self.year, self.current_day())
        info = self.sheet.round
        self.heading.setText(f"{self.year}年度民主评议党员")
        self.meeting.blockSignals(True)
        self.meeting.clear()
        self.meeting.addItem(NO_MEETING, None)
        for choice in appraisal.round_meetings(self.year):
            self.meeting.addItem(choice.label, choice.id)
            self.meeting.setItemData(self.meeting.count() - 1, choice.held_on, Qt.ItemDataRole.UserRole + 1)
        if info and info.meeting_id is not None and self.meeting.findData(info.meeting_id) < 0:
            self.meeting.addItem(info.meeting_label or f"会议 {info.meeting_id}", info.meeting_id)
        held_on, meeting_id, note = typed or ((info.held_on, info.meeting_id, info.note) if info else (None, None, ""))
        self.meeting.setCurrentIndex(max(self.meeting.findData(meeting_id), 0))
        self.meeting.blockSignals(False)
        self.held_on.edit.blockSignals(True)
        self.held_on.set_value(held_on)
        self.held_on.edit.blockSignals(False)
        self.note.setText(note)
        self.probationary.blockSignals(True)
        self.probationary.setChecked(self.sheet.grade_probationary)
        self.probationary.blockSignals(False)
        if held_on is not None and (info is None or held_on != info.held_on):
            self.sheet = appraisal.sheet(self.year, self.current_day(), held_on)
        self.model.load(self.sheet.rows, grades)
        for error in self.errors.values():
            error.clear_message()
        self._update_verdicts()

    # ---- the clerk's changes ----------------------------------------------------------------------

    def _meeting_chosen(self, _index: int) -> None:
        day = self.meeting.currentData(Qt.ItemDataRole.UserRole + 1)
        if day is not None:
            self.held_on.set_value(day)

    def _date_changed(self) -> None:
        """A new date may change who is on the roll: list the members of that day, grades kept."""
        day = self.held_on.value()
        if self.year is None or day is None:
            return
        self.sheet = appraisal.sheet(self.year, self.current_day(), day)
        self.model.load(self.sheet.rows, self.model.grades)
        self._update_verdicts()

    def _probationary_toggled(self, checked: bool) -> None:
        try:
            appraisal.put_grade_probationary(checked)
        except LedgerError as exc:
            show_error(self, exc)
        self.reload(keep=True)

    def grades(self) -> dict[int, str | None]:
        return dict(self.model.grades)

    def _update_verdicts(self) -> None:
        rows = self.model.rows
        graded = {r.person_id: self.model.grades.get(r.person_id) for r in rows if r.may_grade}
        participants = [rules.Participant(r.person_id, r.name, r.role) for r in rows if r.role in rules.ROLES]
        missing = rules.missing_grades(participants, graded)
        required = sum(p.must_grade for p in participants)
        given = [g for g in graded.values() if g]
        parts = [f"{label} {sum(g == code for g in given)} 人" for code, label in vocab.APPRAISAL_GRADES.items()]
        not_graded = sum(not r.may_grade for r in rows)
        text = f"应评定 {required} 人，已评定 {len(given)} 人：{'，'.join(parts)}"
        if not_graded:
            text += f"；不评定等次 {not_graded} 人"
        self.counts.setText(text)
        warning = rules.excellent_warning(graded)
        extra = [r.name for r in rows if r.role == appraisal.EXTRA_ROLE and self.model.grades.get(r.person_id)]
        if extra:
            warning = (warning + "\n" if warning else "") + \
                f"{'、'.join(extra)}在评议日期不是在册党员，请清除其等次或核对评议日期。"
        self.warning.setText(warning or "")
        self.warning.setVisible(bool(warning))
        unsaved = "（未保存）" if self.is_dirty() else ""
        recorded = self.held_on.value() is not None
        if not recorded:
            self.status.setText("尚未登记评议")
        elif missing:
            self.status.setText(f"未完成：还有 {len(missing)} 人未评定等次{unsaved}")
        else:
            self.status.setText(f"已完成评定{unsaved}")
        self.status.setObjectName("fieldError" if missing or not recorded else "muted")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def save(self) -> bool:
        """Write the round and the changed grades; a problem is shown beside its field or row."""
        for error in self.errors.values():
            error.clear_message()
        try:
            appraisal.save_appraisal(self.year, self.held_on.value(), self.meeting.currentData(), self.note.text(),
                                     self.model.changes(), self.current_day())
        except ValidationError as exc:
            self._show_problem(exc)
            return False
        except LedgerError as exc:
            show_error(self, exc)
            return False
        self.reload(keep=False)
        self.saved.emit()
        return True

    def _show_problem(self, exc: ValidationError) -> None:
        if exc.field in self.errors:
            self.errors[exc.field].show_message(str(exc))
            (self.held_on if exc.field == "held_on" else self.meeting).setFocus()
            return
        if exc.field and exc.field.startswith("grades."):
            row = self.model.row_of(int(exc.field.split(".", 1)[1]))
            if row >= 0:
                self.table.setCurrentIndex(self.model.index(row, GradesModel.GRADE))
        show_error(self, exc)
