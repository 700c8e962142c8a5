"""组织关系: the register of transfers out and in, and the work on them.

A transfer out goes through three steps the page offers one after the other: 转出登记 (the letter
is issued and printed), 确认转出 (the member has left: state 转出) and 回执已回 (the receiving
organisation returned the receipt). A receipt not back within a month is marked 未回 in red, the
same list the 工作台 counts. The register comes from ``services.transfers.list_transfers``; the
page holds it in a small table model and never queries the ledger itself.
"""

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ledger_app.rules import transfers as transfer_rules
from ledger_app.services import transfers
from ledger_app.services.transfer_choices import transfer_years

from .common import show_error
from .documents import save_document
from .forms import DateDialog
from .tables import RowsModel, read_only_table, size_columns
from .transfer_dialogs import TransferInDialog, TransferOutDialog

HEADERS = ("方向", "姓名", "日期", "转出/转入单位", "类别", "介绍信编号", "有效期", "党费交至", "回执")
# The widest text each column usually holds, for its width (the 单位 column takes the room left).
SAMPLES = ("转出（待确认）", "欧阳某某某", "2026-12-31", "", "省（区、市）内", "2026-0001", "365 天", "2026年12月", "2026-12-31")
RECEIPT_COLUMN = HEADERS.index("回执")
ORG_COLUMN = HEADERS.index("转出/转入单位")
OVERDUE_COLOUR = QColor("#b3261e")
PENDING_COLOUR = QColor("#5f5f5a")
ALL_YEARS = "全部"


def month_text(day: date | None) -> str:
    return f"{day.year}年{day.month}月" if day else ""


def describe(row: transfers.TransferRow) -> str:
    """The selected transfer in one or two sentences, with the whole organisation name (cut in the table)."""
    letter = f"介绍信 {row.letter_number}，" if row.letter_number else ""
    if row.direction == "in":
        return (f"{row.person_name} {row.transferred_on.isoformat()} 由{row.from_org}转入（{row.scope_label}），"
                f"{letter}有效期 {row.valid_days} 天。")
    text = f"{row.person_name} {row.transferred_on.isoformat()} 转至{row.to_org}（{row.scope_label}），{letter}有效期 " \
           f"{row.valid_days} 天。"
    text += "已确认转出。" if row.confirmed else "尚未确认转出，仍在册。"
    if row.receipt_returned_on is not None:
        return text + f"回执 {row.receipt_returned_on.isoformat()} 寄回。"
    return text + f"回执应于 {row.receipt_due.isoformat()} 前寄回，尚未寄回。"


class TransferModel(RowsModel):
    """The register as a read-only table; ``Qt.UserRole`` gives a row's ``TransferRow``."""

    HEADERS = HEADERS

    def __init__(self, parent=None):
        super().__init__(parent)
        self.today = date.today()

    def load(self, rows: list[transfers.TransferRow], today: date) -> None:
        self.today = today
        super().load(rows)

    def overdue(self, row: transfers.TransferRow) -> bool:
        return row.direction == "out" and transfer_rules.receipt_overdue(row.transferred_on, row.receipt_returned_on,
                                                                         self.today)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == RECEIPT_COLUMN and row.direction == "out" \
                and row.receipt_returned_on is None:
            return QBrush(OVERDUE_COLOUR if self.overdue(row) else PENDING_COLOUR)
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def _text(self, row: transfers.TransferRow, column: int) -> str:
        out = row.direction == "out"
        if column == 0:
            return row.direction_label + ("（待确认）" if out and not row.confirmed else "")
        if column == 1:
            return row.person_name
        if column == 2:
            return row.transferred_on.isoformat()
        if column == 3:
            return row.to_org if out else row.from_org
        if column == 4:
            return row.scope_label
        if column == 5:
            return row.letter_number
        if column == 6:
            return f"{row.valid_days} 天" if row.valid_days else ""
        if column == 7:
            return month_text(row.dues_paid_until)
        if not out:
            return ""
        if row.receipt_returned_on is not None:
            return row.receipt_returned_on.isoformat()
        return "未回" if self.overdue(row) else "待回"

    def _tooltip(self, row: transfers.TransferRow, column: int) -> str | None:
        out = row.direction == "out"
        if column == 0 and out and not row.confirmed:
            return "介绍信已开出，党员仍在册；办好手续后点“确认转出”。"
        if column == 3:
            return f"转至{row.to_org}" if out else f"由{row.from_org}转入"
        if column == RECEIPT_COLUMN and out and row.receipt_returned_on is None:
            late = "，已逾期" if self.overdue(row) else ""
            return f"回执应于 {row.receipt_due.isoformat()} 前寄回{late}；寄回后点“回执已回”。"
        return None


class TransfersPage(QWidget):
    """The register with its year filter and the buttons for each step of a transfer."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.today: date | None = None  # fixed by tests; None means the real day
        title = QLabel("组织关系")
        title.setObjectName("pageTitle")
        note = QLabel("转出：先“转出登记”并打印介绍信，党员办好手续后“确认转出”，接收方寄回回执后“回执已回”。"
                      "回执超过一个月未寄回的显示为红色“未回”。转入：按介绍信“转入登记”，即建立党员档案。")
        note.setObjectName("muted")
        note.setWordWrap(True)

        self.year = QComboBox()
        self.year.setMinimumWidth(100)
        self.year.currentIndexChanged.connect(self._load)
        year_label = QLabel("年份(&Y)：")
        year_label.setBuddy(self.year)
        self.summary = QLabel()
        self.summary.setObjectName("muted")

        self.model = TransferModel(self)
        self.table = read_only_table(self.model)
        # a long 单位 name is cut with …; its tooltip shows it whole
        size_columns(self.table, SAMPLES, stretch=ORG_COLUMN)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.out_button = QPushButton("转出登记(&O)…")
        self.in_button = QPushButton("转入登记(&I)…")
        self.confirm_button = QPushButton("确认转出(&C)…")
        self.print_button = QPushButton("打印介绍信(&P)…")
        self.receipt_button = QPushButton("回执已回(&R)…")
        self.out_button.clicked.connect(lambda: self.register_out())
        self.in_button.clicked.connect(lambda: self.register_in())
        self.confirm_button.clicked.connect(self.confirm_out)
        self.print_button.clicked.connect(lambda: self.print_letter())
        self.receipt_button.clicked.connect(self.receipt_returned)
        self.table.doubleClicked.connect(lambda _: self.print_letter() if self.print_button.isEnabled() else None)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.summary)
        top.addSpacing(16)
        top.addWidget(year_label)
        top.addWidget(self.year)
        buttons = QHBoxLayout()
        for button in (self.out_button, self.in_button):
            buttons.addWidget(button)
        buttons.addSpacing(24)
        for button in (self.confirm_button, self.print_button, self.receipt_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addLayout(top)
        layout.addWidget(note)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        self._update_buttons()

    def current_day(self) -> date:
        return self.today or date.today()

    # --- the list -------------------------------------------------------------------------------

    def refresh(self, select_id: int | None = None) -> None:
        """Read the years and the register again (on showing the page and after each change)."""
        chosen = self.year.currentData()
        years = transfer_years()
        this_year = self.current_day().year
        if this_year not in years:
            years = sorted([*years, this_year], reverse=True)
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem(ALL_YEARS, None)
        for year in years:
            self.year.addItem(f"{year} 年", year)
        self.year.setCurrentIndex(max(self.year.findData(chosen), 0))
        self.year.blockSignals(False)
        self._load(select_id=select_id)

    def _load(self, _index: int | None = None, select_id: int | None = None) -> None:
        if select_id is None and self.selected() is not None:
            select_id = self.selected().id
        today = self.current_day()
        rows = transfers.list_transfers(self.year.currentData())
        self.model.load(rows, today)
        overdue = len(transfers.overdue_receipts(today))
        self.summary.setText(f"共 {len(rows)} 条" + (f"；回执逾期未回 {overdue} 条（各年合计）" if overdue else ""))
        for number, row in enumerate(rows):
            if row.id == select_id:
                self.table.selectRow(number)
                break
        self._update_buttons()

    def selected(self) -> transfers.TransferRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def select_transfer(self, transfer_id: int) -> None:
        for number, row in enumerate(self.model.rows):
            if row.id == transfer_id:
                self.table.selectRow(number)
                return

    def _update_buttons(self, *_args) -> None:
        row = self.selected()
        out = row is not None and row.direction == "out"
        self.confirm_button.setEnabled(out and not row.confirmed)
        self.print_button.setEnabled(out)
        self.receipt_button.setEnabled(out and row.receipt_returned_on is None)
        self.detail.setText(describe(row) if row is not None else "选中一条记录，这里显示它的全部内容。")

    # --- the work ---------------------------------------------------------------------------------

    def register_out(self, person_id: int | None = None) -> int | None:
        """转出登记; the new transfer is selected so its letter can be printed at once."""
        dialog = TransferOutDialog(self, person_id=person_id, today=self.current_day())
        if dialog.exec() != TransferOutDialog.DialogCode.Accepted:
            return None
        self.refresh(select_id=dialog.transfer_id)
        return dialog.transfer_id

    def register_in(self) -> int | None:
        dialog = TransferInDialog(self, today=self.current_day())
        if dialog.exec() != TransferInDialog.DialogCode.Accepted:
            return None
        self.refresh()
        return dialog.person_id

    def confirm_out(self) -> bool:
        row = self.selected()
        if row is None or row.direction != "out":
            return False
        today = self.current_day()
        dialog = DateDialog(
            "确认转出", f"{row.person_name}已办好组织关系转接手续、转至{row.to_org}？确认后其党籍状态改为“转出”，"
                        f"不再列入在册党员名单，并记入本人经历。", "转出日期(&D)：", "确认转出(&C)",
            lambda on: transfers.confirm_transfer_out(row.id, on, today=today), max(row.transferred_on, today), self)
        if dialog.exec() != DateDialog.DialogCode.Accepted:
            return False
        self.refresh(select_id=row.id)
        return True

    def receipt_returned(self) -> bool:
        row = self.selected()
        if row is None or row.direction != "out":
            return False
        today = self.current_day()
        dialog = DateDialog(
            "回执已回", f"{row.person_name}的介绍信回执（{row.to_org}）已经寄回？", "寄回日期(&D)：", "登记(&S)",
            lambda on: transfers.mark_receipt_returned(row.id, on, today=today), max(row.transferred_on, today), self)
        if dialog.exec() != DateDialog.DialogCode.Accepted:
            return False
        self.refresh(select_id=row.id)
        return True

    def print_letter(self, path=None):
        """The introduction letter of the selected transfer out, as PDF or Word."""
        row = self.selected()
        if row is None or row.direction != "out":
            show_error(self, "请先在列表中选中一条转出记录，再打印它的介绍信。")
            return None
        from ledger_app.documents.transfer_letter import make_transfer_letter

        return save_document(self, "打印介绍信", f"介绍信-{row.person_name}",
                             lambda out: make_transfer_letter(row.id, out), path=path)
