"""The dialogs of the 党费 page: mark paid, voluntary extra, hardship relief, an override of the
standard, and the dues settings.

Each dialog reads its fields, parses money with ``money.parse_yuan`` and hands plain values to
``services.dues`` (or ``services.settings``); it never checks a rule itself. A ``ValidationError``
appears in red under the field it names and the dialog stays open (``FormDialog``).
"""

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ledger_app import vocab
from ledger_app.errors import LedgerError
from ledger_app.money import format_yuan, parse_yuan
from ledger_app.rules.dues import PROBATION_STARTS, ROUNDING_MODES, DuesSettings
from ledger_app.services import dues
from ledger_app.services.dues import BaseRow, BulkResult
from ledger_app.services.settings import dues_settings, put_dues_settings

from .common import confirm, muted_label, show_error
from .forms import FormDialog, OptionalDateEdit, date_edit, from_qdate

NAMES_SHOWN = 8


def names_text(names: list[str]) -> str:
    shown = "、".join(names[:NAMES_SHOWN])
    return f"{shown} 等 {len(names)} 人" if len(names) > NAMES_SHOWN else shown


def method_combo() -> QComboBox:
    combo = QComboBox()
    for code, label in vocab.PAYMENT_METHODS.items():
        combo.addItem(label, code)
    return combo


def month_spin(value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(1, 12)
    spin.setSuffix(" 月")
    spin.setValue(value)
    return spin


class MarkPaidDialog(FormDialog):
    """标记已交: the chosen members × the ticked months, paid on a date by cash or transfer.

    The amounts are each member's standard (the service takes them from the year's bases); cells
    that cannot be paid are skipped by the service and listed afterwards. ``result`` holds the
    ``BulkResult`` once saved.
    """

    def __init__(self, year: int, people: list[tuple[int, str]], months: list[int], parent: QWidget | None = None,
                 today: date | None = None):
        super().__init__(f"登记 {year} 年党费", "登记(&S)", parent)
        self.year = year
        self.today = today or date.today()
        self.person_ids = [pid for pid, _ in people]
        self.result: BulkResult | None = None

        who = QLabel(f"党员：{names_text([name for _, name in people])}")
        who.setWordWrap(True)
        self.month_boxes: list[QCheckBox] = []
        months_widget = QWidget()
        grid = QGridLayout(months_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        for number in range(1, 13):
            box = QCheckBox(f"{number}月")
            box.setChecked(number in months)
            self.month_boxes.append(box)
            grid.addWidget(box, (number - 1) // 6, (number - 1) % 6)
        months_widget.setFocusProxy(self.month_boxes[0])
        self.paid_on = date_edit(self.today)
        self.method = method_combo()
        self.note = QLineEdit()
        self.note.setMaxLength(200)
        form = self.new_form()
        self.add_row(form, "months", "月份(&M)：", months_widget)
        self.add_row(form, "paid_on", "交费日期(&D)：", self.paid_on)
        self.add_row(form, "method", "方式(&W)：", self.method)
        self.add_row(form, "note", "备注(&R)：", self.note)
        hint = QLabel("金额按每人本年的月交标准登记，收据号自动编排。已交、免交、未录入基数或不在本支部的月份会跳过并列出。"
                      "补交一般不超过 6 个月。")
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        self.arrange(560, who, form, hint)

    def months(self) -> list[int]:
        return [number for number, box in enumerate(self.month_boxes, start=1) if box.isChecked()]

    def save(self) -> None:
        self.result = dues.mark_paid(self.person_ids, self.year, self.months(), from_qdate(self.paid_on.date()),
                                     self.method.currentData(), self.note.text(), today=self.today)


class VoluntaryDialog(FormDialog):
    """自愿多交 for one paid month, kept apart from the standard; 0 clears it. ``result`` once saved."""

    def __init__(self, person_id: int, name: str, year: int, month: int, current_fen: int,
                 parent: QWidget | None = None):
        super().__init__("自愿多交党费", "保存(&S)", parent)
        self.person_id, self.year, self.month = person_id, year, month
        self.result: dues.VoluntaryResult | None = None
        self.amount = QLineEdit(format_yuan(current_fen) if current_fen else "")
        self.amount.setPlaceholderText("如 100 或 100.50；填 0 取消")
        form = self.new_form()
        self.add_row(form, "extra_fen", "自愿多交（元）(&A)：", self.amount)
        text = QLabel(f"{name} {year}年{month}月在应交党费之外自愿多交的金额，单独登记，不计入月交标准。")
        text.setWordWrap(True)
        self.arrange(460, text, form)

    def save(self) -> None:
        extra = parse_yuan(self.amount.text(), "extra_fen", "自愿多交金额")
        self.result = dues.record_voluntary(self.person_id, self.year, self.month, extra)


class ReliefDialog(FormDialog):
    """减免: a hardship reduction or exemption for some months, with both approvals; the member's
    reliefs of the year are listed above and can be deleted."""

    def __init__(self, person_id: int, name: str, year: int, month: int = 1, parent: QWidget | None = None,
                 today: date | None = None):
        super().__init__(f"{name} {year} 年党费减免", "登记(&S)", parent)
        self.person_id, self.year = person_id, year
        self.relief_id: int | None = None
        self.existing = QListWidget()
        self.existing.setMaximumHeight(90)
        self.delete_button = QPushButton("删除所选减免(&X)")
        self.delete_button.clicked.connect(self.delete_selected)
        self.start_month = month_spin(month)
        self.end_month = month_spin(12)
        self.kind = QComboBox()
        for code, label in vocab.RELIEF_KINDS.items():
            self.kind.addItem(label, code)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("减交后每月应交，如 5.00")
        self.branch_approved_on = OptionalDateEdit()
        self.upper_approved_on = OptionalDateEdit()
        self.note = QLineEdit()
        self.note.setMaxLength(200)
        months = QWidget()
        row = QHBoxLayout(months)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.start_month)
        row.addWidget(QLabel("至"))
        row.addWidget(self.end_month)
        row.addStretch(1)
        months.setFocusProxy(self.start_month)
        form = self.new_form()
        self.add_row(form, "start_month", "起止月份(&M)：", months)
        self.errors["end_month"] = (self.errors["start_month"][0], self.end_month)
        self.add_row(form, "kind", "减免方式(&K)：", self.kind)
        self.add_row(form, "amount_fen", "减交后每月（元）(&A)：", self.amount)
        self.add_row(form, "branch_approved_on", "支部同意日期(&B)：", self.branch_approved_on)
        self.add_row(form, "upper_approved_on", "上级党委批准日期(&U)：", self.upper_approved_on)
        self.add_row(form, "note", "备注(&R)：", self.note)
        hint = muted_label("生活困难党员减交或免交党费，须经支部委员会研究同意并报上一级党委批准，两个日期都要填写。")
        existing_row = QHBoxLayout()
        existing_row.addWidget(self.existing, 1)
        existing_row.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{year} 年已登记的减免："))
        layout.addLayout(existing_row)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self._load_existing()
        self.resize(560, self.sizeHint().height())

    def _kind_changed(self) -> None:
        self.amount.setEnabled(self.kind.currentData() == "reduce")

    def _load_existing(self) -> None:
        self.existing.clear()
        for relief in dues.reliefs(self.year):
            if relief.person_id != self.person_id:
                continue
            kind = vocab.RELIEF_KINDS.get(relief.kind, relief.kind)
            amount = f" 每月 {format_yuan(relief.amount_fen)} 元" if relief.kind == "reduce" else ""
            item = QListWidgetItem(f"{relief.start_month}–{relief.end_month}月 {kind}{amount}（支部 "
                                   f"{relief.branch_approved_on.isoformat()} 同意，上级 "
                                   f"{relief.upper_approved_on.isoformat()} 批准）")
            item.setData(Qt.ItemDataRole.UserRole, relief.id)
            self.existing.addItem(item)
        if not self.existing.count():
            self.existing.addItem("（无）")
        self.delete_button.setEnabled(any(self.existing.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.existing.count())))

    def delete_selected(self) -> None:
        item = self.existing.currentItem()
        relief_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        if not relief_id:
            show_error(self, "请先在列表中选中要删除的减免记录。")
            return
        if not confirm(self, "删除减免记录", f"删除“{item.text()}”？", "删除(&D)"):
            return
        try:
            dues.delete_relief(relief_id)
        except LedgerError as exc:
            show_error(self, exc)
        self._load_existing()

    def save(self) -> None:
        amount = 0
        if self.kind.currentData() == "reduce":
            amount = parse_yuan(self.amount.text(), "amount_fen", "减交后每月应交金额")
        self.relief_id = dues.set_relief(
            self.person_id, self.year, self.start_month.value(), self.end_month.value(), self.kind.currentData(),
            self.branch_approved_on.value(), self.upper_approved_on.value(), amount, self.note.text())


class OverrideDialog(FormDialog):
    """调整标准: a monthly amount that replaces the computed standard for the year, with its reason.

    Leaving the amount empty removes an override. ``saved`` holds the new ``BaseRow``.
    """

    def __init__(self, row: BaseRow, year: int, parent: QWidget | None = None, today: date | None = None):
        super().__init__(f"调整 {row.name} {year} 年党费标准", "保存(&S)", parent)
        self.row, self.year, self.today = row, year, today
        self.saved: BaseRow | None = None
        standard = "未录入基数" if row.standard_fen is None else f"{format_yuan(row.standard_fen)} 元（{row.band}）"
        text = QLabel(f"按基数计算的月交标准：{standard}。\n只有经支部研究同意等确有原因时才调整，原因必须填写。")
        text.setWordWrap(True)
        self.amount = QLineEdit(format_yuan(row.override_fen) if row.override_fen is not None else "")
        self.amount.setPlaceholderText("调整后的每月金额；留空表示不调整")
        self.reason = QLineEdit(row.override_reason)
        self.reason.setMaxLength(200)
        form = self.new_form()
        self.add_row(form, "override_fen", "调整后标准（元）(&A)：", self.amount)
        self.add_row(form, "override_reason", "原因(&R)：", self.reason)
        self.arrange(500, text, form)

    def save(self) -> None:
        row = self.row
        if row.base_fen is None:
            raise LedgerError(f"请先在表中填写{row.name} {self.year}年的党费基数，再调整标准。")
        text = self.amount.text().strip()
        override = parse_yuan(text, "override_fen", "调整后标准") if text else None
        self.saved = dues.set_base(row.person_id, self.year, row.base_fen, row.category, override, self.reason.text(),
                                   today=self.today)


class DuesSettingsDialog(FormDialog):
    """党费设置: the local-practice parts of the dues rule, kept in the ledger (domain-rules §1)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("党费设置", "保存(&S)", parent)
        current = dues_settings()
        self.rounding = QComboBox()
        for code, label in ROUNDING_MODES.items():
            self.rounding.addItem(label, code)
        self.rounding.setCurrentIndex(max(self.rounding.findData(current.rounding), 0))
        self.farmer = QLineEdit(format_yuan(current.farmer_fen))
        self.farmer.setToolTip("农民党员每月交纳 0.2 元到 1 元，由各省（区、市）党委组织部确定。")
        self.probation_start = QComboBox()
        for code, label in PROBATION_STARTS.items():
            self.probation_start.addItem(label, code)
        self.probation_start.setCurrentIndex(max(self.probation_start.findData(current.probation_start), 0))
        form = self.new_form()
        self.add_row(form, "rounding", "取整方式(&R)：", self.rounding)
        self.add_row(form, "farmer_fen", "农民党员每月标准（元）(&F)：", self.farmer)
        self.add_row(form, "probation_start", "预备党员起交月份(&P)：", self.probation_start)
        hint = muted_label("这些是各地做法不一的规定，按本单位或上级党委的要求设置；修改后月交标准按新设置重新计算。")
        self.arrange(520, form, hint)

    def settings(self) -> DuesSettings:
        return DuesSettings(rounding=self.rounding.currentData(),
                            farmer_fen=parse_yuan(self.farmer.text(), "farmer_fen", "农民党员每月标准"),
                            probation_start=self.probation_start.currentData())

    def save(self) -> None:
        put_dues_settings(self.settings())
