"""The table models of the 会议 page and its editor: the year's meetings, the attendance grid, and
the year's compliance kind by kind.

They only hold what the services return (``services.meetings`` rows, ``services.compliance``
items) and what the clerk types into the grid; counting 应到 or judging a period is done by the
services and rules before the rows get here.
"""

from PySide6.QtCore import QAbstractTableModel, Qt
from PySide6.QtGui import QBrush, QColor

from ledger_app import vocab
from ledger_app.rules.meetings import FREQUENCIES
from ledger_app.services import compliance, meetings

from .tables import RowsModel

MISSED_COLOUR = QColor("#b3261e")  # a missed period, an absentee without a reason
DUE_COLOUR = QColor("#8a5a00")  # due in the current period, not held yet
PLANNED_COLOUR = QColor("#5f5f5a")

DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole
CHECK = Qt.ItemDataRole.CheckStateRole


class MeetingListModel(RowsModel):
    """The meetings of a year: 日期, 类别, 标题, 状态, 应到/实到, 主持人."""

    HEADERS = ("日期", "类别", "标题", "状态", "应到/实到", "主持人")
    TITLE_COLUMN = 2
    CHAIR_COLUMN = 5

    def data(self, index, role=DISPLAY):
        if not index.isValid():
            return None
        row: meetings.MeetingRow = self.rows[index.row()]
        column = index.column()
        if role == DISPLAY:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == 3 and row.status == "planned":
            return QBrush(PLANNED_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and column == 4:
            if not row.expected:
                return "尚未登记出席情况"
            text = f"应到 {row.expected} 人，实到 {row.present} 人，缺席 {row.absent} 人"
            return text + (f"；{row.makeups_open} 人补学未完成" if row.makeups_open else "")
        if role == Qt.ItemDataRole.ToolTipRole and column == self.TITLE_COLUMN:
            return row.title or None
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    @staticmethod
    def _text(row: meetings.MeetingRow, column: int) -> str:
        if column == 0:
            return row.held_on.isoformat()
        if column == 1:
            return f"{row.kind_label}·{row.group_name}" if row.group_name else row.kind_label
        if column == 2:
            return row.title
        if column == 3:
            return row.status_label
        if column == 4:
            return f"{row.expected}/{row.present}" if row.expected else "—"
        return getattr(row, "chair_name", "") or ""  # the page hides the column until the rows carry it


class AttendanceModel(QAbstractTableModel):
    """The attendance grid of the editor: one row per 应到 person.

    Columns 姓名, 出席/缺席 (a check box: ticked is present), 缺席原因 (a code of
    ``vocab.ABSENCE_REASONS``, edited with a list; only for an absentee) and 说明. ``people`` are the
    应到 (``PersonRef``), ``marks`` their entries; the editor reads ``entries()`` into its draft.
    """

    HEADERS = ("姓名", "出席/缺席", "缺席原因", "说明")
    NAME, PRESENT, REASON, NOTE = range(4)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.people: list[meetings.PersonRef] = []
        self.marks: list[meetings.AttendanceEntry] = []

    def load(self, people: list[meetings.PersonRef], entries: list[meetings.AttendanceEntry]) -> None:
        """Show ``people`` as 应到, each with their entry from ``entries`` (matched by person) or present."""
        by_person = {e.person_id: e for e in entries}
        self.beginResetModel()
        self.people = list(people)
        self.marks = [meetings.AttendanceEntry(p.id, by_person[p.id].present, by_person[p.id].absence_reason,
                                               by_person[p.id].reason_note)
                      if p.id in by_person else meetings.AttendanceEntry(p.id) for p in people]
        self.endResetModel()

    def entries(self) -> list[meetings.AttendanceEntry]:
        return [meetings.AttendanceEntry(e.person_id, e.present, e.absence_reason, e.reason_note) for e in self.marks]

    def counts(self) -> tuple[int, int, int]:
        """(应到, 实到, 缺席) of the grid as marked."""
        present = sum(e.present for e in self.marks)
        return len(self.marks), present, len(self.marks) - present

    def rowCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.people)

    def columnCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=DISPLAY):
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = index.column()
        if column == self.PRESENT:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        elif column in (self.REASON, self.NOTE) and not self.marks[index.row()].present:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index, role=DISPLAY):
        if not index.isValid():
            return None
        person, mark = self.people[index.row()], self.marks[index.row()]
        column = index.column()
        if role == DISPLAY:
            if column == self.NAME:
                return person.name + ("" if person.may_vote else "（预备）")
            if column == self.PRESENT:
                return vocab.ATTENDANCE_STATUSES["present" if mark.present else "absent"]
            if column == self.REASON:
                return vocab.ABSENCE_REASONS.get(mark.absence_reason, "") if not mark.present else ""
            return mark.reason_note
        if role == EDIT:
            if column == self.REASON:
                return mark.absence_reason or ""
            if column == self.NOTE:
                return mark.reason_note
            return None
        if role == CHECK and column == self.PRESENT:
            return Qt.CheckState.Checked if mark.present else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and column == self.REASON and not mark.present \
                and mark.absence_reason is None:
            return QBrush(MISSED_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NAME:
            parts = [person.group_name] if person.group_name else []
            parts.append("正式党员，有表决权" if person.may_vote else "预备党员，无表决权")
            if person.is_mobile:
                parts.append("流动党员")
            return "，".join(parts)
        return None

    def setData(self, index, value, role=EDIT) -> bool:
        if not index.isValid():
            return False
        mark = self.marks[index.row()]
        column = index.column()
        if column == self.PRESENT and role == CHECK:
            present = Qt.CheckState(value) == Qt.CheckState.Checked
            if present == mark.present:
                return True
            mark.present = present
            if present:
                mark.absence_reason, mark.reason_note = None, ""
            left, right = self.index(index.row(), self.PRESENT), self.index(index.row(), self.NOTE)
            self.dataChanged.emit(left, right)
            return True
        if mark.present or role != EDIT:
            return False
        if column == self.REASON:
            code = value if value in vocab.ABSENCE_REASONS else None
            mark.absence_reason = code
        elif column == self.NOTE:
            mark.reason_note = str(value or "")
        else:
            return False
        self.dataChanged.emit(index, index)
        return True

    def set_present(self, row: int, present: bool, reason: str | None = None, note: str = "") -> None:
        """Mark one row (the editor's 出席/缺席 buttons and the tests use it)."""
        state = Qt.CheckState.Checked if present else Qt.CheckState.Unchecked
        self.setData(self.index(row, self.PRESENT), state.value, CHECK)
        if not present:
            self.setData(self.index(row, self.REASON), reason, EDIT)
            self.setData(self.index(row, self.NOTE), note, EDIT)


class ComplianceModel(RowsModel):
    """One row per kind (per 党小组 for 党小组会): required against held, the missed periods in red."""

    HEADERS = ("会议", "要求", "应开", "已开", "缺开", "本期待开", "已计划")
    MISSED_COLUMN = 4

    def data(self, index, role=DISPLAY):
        if not index.isValid():
            return None
        item: compliance.KindCompliance = self.rows[index.row()]
        column = index.column()
        if role == DISPLAY:
            return self._text(item, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in (0, self.MISSED_COLUMN) and item.labels("missed"):
                return QBrush(MISSED_COLOUR)
            if column == 5 and item.labels("due"):
                return QBrush(DUE_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.line()
        if role == Qt.ItemDataRole.UserRole:
            return item
        return None

    @staticmethod
    def _text(item: compliance.KindCompliance, column: int) -> str:
        if column == 0:
            return item.name
        if column == 1:
            return FREQUENCIES.get(item.frequency, item.frequency)
        if column == 2:
            return str(item.required) if item.periods else "—"
        if column == 3:
            return str(item.held) if item.periods else str(item.meetings_held)
        if column == 4:
            return "、".join(item.labels("missed"))
        if column == 5:
            return "、".join(item.labels("due"))
        planned = [p.planned_on[0] for p in item.periods if p.planned_on and p.status in ("due", "future")]
        return "、".join(f"{d.month}月{d.day}日" for d in planned)
