"""操作记录: the audit log, newest first, read-only, with the selected entry's before and after.

The list is ``services.audit.recent`` (the newest entries, a bounded number), held in a small
table model; the page never queries the audit table itself, and ``services.audit.describe`` puts
an entry into words (Chinese field names, labels for codes, yuan for fen).
"""

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ledger_app import vocab
from ledger_app.services import audit

from .common import muted_label
from .tables import RowsModel, read_only_table

LIMIT = 200
HEADERS = ("时间", "操作", "表", "记录号", "说明")
# Display names of the tables an entry may name (labels only; the codes are the table names).
TABLE_LABELS = {
    "branch": "支部信息", "setting": "设置", "party_group": "党小组", "person": "人员",
    "development": "发展党员", "activist_assessment": "积极分子考察", "committee_term": "委员会任期",
    "committee_member": "支部委员", "history_event": "党员经历", "transfer": "组织关系转接",
    "exclusion": "不计入应到人数", "meeting": "会议", "meeting_topic": "会议议题", "attendance": "出席",
    "observer": "列席", "speech": "发言", "vote": "表决", "resolution": "决议", "make_up_study": "补学",
    "appraisal": "民主评议", "talk": "谈心谈话",
    "*": "多个表", "dues_base": "党费基数", "dues_payment": "党费", "dues_relief": "党费减免", "audit_entry": "操作记录",
}


class AuditModel(RowsModel):
    """The audit rows as a read-only table: time, action, table, row id, summary."""

    HEADERS = HEADERS

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if column == 0:
            return row.at.replace("T", " ")
        if column == 1:
            return vocab.AUDIT_ACTIONS.get(row.action, row.action)
        if column == 2:
            return TABLE_LABELS.get(row.table_name, row.table_name)
        if column == 3:
            return "" if row.row_id is None else str(row.row_id)
        return row.summary


class AuditPage(QWidget):
    """The newest audit entries; selecting one shows what it changed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        title = QLabel("操作记录")
        title.setObjectName("pageTitle")
        note = muted_label(f"每一次修改都记录在这里（时间、操作、内容），只能查看，不能修改。显示最近 {LIMIT} 条。")
        self.model = AuditModel(self)
        self.table = read_only_table(self.model)
        header = self.table.horizontalHeader()
        for column in range(len(HEADERS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("选中一条记录，这里显示修改前后的内容。")
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self.refresh_button = QPushButton("刷新(&R)")
        self.refresh_button.clicked.connect(self.refresh)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addLayout(top)
        layout.addWidget(note)
        layout.addWidget(splitter, 1)

    def refresh(self) -> None:
        self.model.load(audit.recent(LIMIT))
        self.detail.clear()

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.detail.clear()
            return
        self.detail.setPlainText(audit.describe(self.model.rows[current.row()]))
