"""The dialogs of the 组织关系 page: register a transfer out or in, and enter a date (confirm, receipt).

Each dialog builds a draft from its fields and hands it to ``services.transfers``; it never checks a
rule itself. A ``ValidationError`` is shown in red under the field it names and the dialog stays
open, so the clerk corrects that field and presses the button again.
"""

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from ledger_app import vocab
from ledger_app.errors import ValidationError
from ledger_app.rules.transfers import LIMITS
from ledger_app.services import transfers
from ledger_app.services.members import roster_rows

from .common import muted_label
from .forms import FormDialog, OptionalDateEdit, date_edit, from_qdate

MONTH_FORMAT = "yyyy年M月"
DEFAULT_VALID_DAYS = 30


def month_edit() -> OptionalDateEdit:
    """党费交至: a month that may be left empty (the letter then prints 【待补充】)."""
    edit = OptionalDateEdit()
    edit.edit.setDisplayFormat(MONTH_FORMAT)
    return edit


def valid_days_edit() -> QSpinBox:
    """介绍信有效期 in days, within the limits of ``rules.transfers``."""
    spin = QSpinBox()
    spin.setRange(LIMITS.min_valid_days, LIMITS.max_valid_days)
    spin.setValue(DEFAULT_VALID_DAYS)
    spin.setSuffix(" 天")
    spin.setToolTip(f"介绍信有效期，最长不超过 3 个月（{LIMITS.max_valid_days} 天）；市内一般 10 天，市外一般 30 天。")
    return spin


def scope_combo() -> QComboBox:
    combo = QComboBox()
    for code, label in vocab.TRANSFER_SCOPES.items():
        combo.addItem(label, code)
    return combo


class TransferOutDialog(FormDialog):
    """转出登记: who leaves, for which organisation, and the letter's number, validity and dues month.

    The member stays 在册 until the clerk confirms the move on the page (确认转出). ``transfer_id``
    holds the new transfer once saved.
    """

    def __init__(self, parent: QWidget | None = None, person_id: int | None = None, today: date | None = None):
        super().__init__("组织关系转出登记", "登记(&S)", parent)
        self.today = today or date.today()
        self.transfer_id: int | None = None

        self.person = QComboBox()
        self.person.setEditable(True)
        self.person.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.person.lineEdit().setPlaceholderText("输入姓名查找，或从列表中选择")
        for member in roster_rows():
            self.person.addItem(f"{member.name}（{member.group}）" if member.group else member.name, member.id)
        completer = self.person.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.person.setCurrentIndex(self.person.findData(person_id) if person_id is not None else -1)
        self.scope = scope_combo()
        self.to_org = QLineEdit()
        self.to_org.setPlaceholderText("介绍信上“去……”的党组织，例如：中共XX区委组织部")
        self.to_org.setMaxLength(100)
        self.transferred_on = date_edit(self.today)
        self.letter_number = QLineEdit(transfers.next_letter_number(self.today.year))
        self.letter_number.setToolTip("已按本年已开介绍信的编号自动填写下一个编号，可以修改。")
        self.letter_number.setMaxLength(40)
        self._number_typed = False
        self.letter_number.textEdited.connect(self._number_edited)
        self.transferred_on.dateChanged.connect(self._date_changed)
        self.valid_days = valid_days_edit()
        self.dues_paid_until = month_edit()
        self.note = QLineEdit()
        self.note.setMaxLength(200)

        form = self.new_form()
        for field, label, widget in (
                ("person_id", "转出党员(&N)：", self.person), ("scope", "转接类型(&K)：", self.scope),
                ("to_org", "转往党组织(&T)：", self.to_org), ("transferred_on", "转出日期(&D)：", self.transferred_on),
                ("letter_number", "介绍信编号(&L)：", self.letter_number),
                ("valid_days", "有效期(&V)：", self.valid_days), ("dues_paid_until", "党费交至(&F)：", self.dues_paid_until),
                ("note", "备注(&R)：", self.note)):
            self.add_row(form, field, label, widget)
        hint = muted_label("登记后请打印介绍信；党员办好转接手续后，在列表中选中这一条点“确认转出”，他才离开在册名单。")
        self.arrange(560, form, hint)

    def _number_edited(self, _text: str) -> None:
        self._number_typed = True

    def _date_changed(self, day: QDate) -> None:
        """A date in another year takes that year's next number, unless the clerk typed one."""
        if not self._number_typed:
            self.letter_number.setText(transfers.next_letter_number(day.year()))

    def chosen_person(self) -> int | None:
        """The member picked: the list item shown in the box, or the only one whose text holds what
        was typed; ``ValidationError`` when the typing fits several (or nobody is chosen)."""
        text = self.person.currentText().strip()
        index = self.person.findText(text) if text else -1
        if index < 0 and text:
            model = self.person.model()
            found = model.match(model.index(0, 0), Qt.ItemDataRole.DisplayRole, text, -1, Qt.MatchFlag.MatchContains)
            if len(found) > 1:
                raise ValidationError(f"有 {len(found)} 位党员与“{text}”相符，请从列表中选择一位。", "person_id")
            index = found[0].row() if found else -1
        if index < 0:
            raise ValidationError("请从花名册中选择要转出的党员（输入姓名可以查找）。" if not text else
                                  f"在册党员中没有“{text}”，请从列表中选择（输入姓名可以查找）。", "person_id")
        return self.person.itemData(index)

    def draft(self) -> transfers.TransferOutDraft:
        return transfers.TransferOutDraft(
            person_id=self.chosen_person(), to_org=self.to_org.text(), transferred_on=from_qdate(self.transferred_on.date()),
            scope=self.scope.currentData(), valid_days=self.valid_days.value(),
            dues_paid_until=self.dues_paid_until.value(), letter_number=self.letter_number.text(),
            note=self.note.text())

    def save(self) -> None:
        self.transfer_id = transfers.register_transfer_out(self.draft(), today=self.today)


class TransferInDialog(FormDialog):
    """转入登记: the member's particulars and the letter, as the introduction letter states them.

    The service creates the member's file, or puts back on the roster someone with the same ID
    number who once transferred out. ``person_id`` holds that person once saved.
    """

    def __init__(self, parent: QWidget | None = None, today: date | None = None):
        super().__init__("组织关系转入登记", "登记(&S)", parent)
        self.today = today or date.today()
        self.person_id: int | None = None

        self.name = QLineEdit()
        self.name.setMaxLength(20)
        self.sex = QComboBox()
        self.sex.addItem("按身份证号", None)
        for code, label in vocab.SEXES.items():
            self.sex.addItem(label, code)
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(20)
        self.id_number.setPlaceholderText("18 位；填写后性别和出生日期可以不填")
        self.ethnicity = QComboBox()
        self.ethnicity.setEditable(True)
        self.ethnicity.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.ethnicity.addItems(vocab.ETHNICITIES)
        self.ethnicity.setCurrentIndex(-1)
        self.birth_date = OptionalDateEdit()
        self.stage = QComboBox()
        for code in ("full", "probationary"):
            self.stage.addItem(vocab.STAGES[code], code)
        self.joined_on = OptionalDateEdit()
        self.converted_on = OptionalDateEdit()
        self.stage.currentIndexChanged.connect(self._stage_changed)
        self.phone = QLineEdit()
        self.phone.setMaxLength(20)

        self.from_org = QLineEdit()
        self.from_org.setPlaceholderText("介绍信上“由……”的党组织")
        self.from_org.setMaxLength(100)
        self.scope = scope_combo()
        self.transferred_on = date_edit(self.today)
        self.letter_number = QLineEdit()
        self.letter_number.setMaxLength(40)
        self.letter_number.setPlaceholderText("介绍信上的编号")
        self.valid_days = valid_days_edit()
        self.dues_paid_until = month_edit()
        self.note = QLineEdit()
        self.note.setMaxLength(200)

        person_form = self.new_form()
        for field, label, widget in (
                ("name", "姓名(&N)：", self.name), ("sex", "性别(&X)：", self.sex),
                ("id_number", "身份证号(&C)：", self.id_number), ("ethnicity", "民族(&E)：", self.ethnicity),
                ("birth_date", "出生日期(&B)：", self.birth_date), ("stage", "正式/预备(&G)：", self.stage),
                ("joined_on", "入党时间(&J)：", self.joined_on), ("converted_on", "转正时间(&Z)：", self.converted_on),
                ("phone", "联系电话(&P)：", self.phone)):
            self.add_row(person_form, field, label, widget)
        letter_form = self.new_form()
        for field, label, widget in (
                ("from_org", "转出党组织(&O)：", self.from_org), ("scope", "转接类型(&K)：", self.scope),
                ("transferred_on", "转入日期(&D)：", self.transferred_on),
                ("letter_number", "介绍信编号(&L)：", self.letter_number), ("valid_days", "有效期(&V)：", self.valid_days),
                ("dues_paid_until", "党费交至(&F)：", self.dues_paid_until), ("note", "备注(&R)：", self.note)):
            self.add_row(letter_form, field, label, widget)
        person_box = QGroupBox("党员信息（按介绍信填写）")
        person_box.setLayout(person_form)
        letter_box = QGroupBox("介绍信")
        letter_box.setLayout(letter_form)
        boxes = QHBoxLayout()
        boxes.addWidget(person_box, 1)
        boxes.addWidget(letter_box, 1)
        hint = muted_label("曾从本支部转出、身份证号相同的党员会恢复在册，原有档案保留；其他情况新建党员档案。")
        self.arrange(940, boxes, hint)

    def _stage_changed(self) -> None:
        """A probationary member has no 转正时间: the field is off (and emptied) for one."""
        probationary = self.stage.currentData() == "probationary"
        if probationary:
            self.converted_on.set_value(None)
        self.converted_on.setEnabled(not probationary)

    def draft(self) -> transfers.TransferInDraft:
        return transfers.TransferInDraft(
            name=self.name.text(), from_org=self.from_org.text(),
            transferred_on=from_qdate(self.transferred_on.date()), scope=self.scope.currentData(),
            stage=self.stage.currentData(), sex=self.sex.currentData(), id_number=self.id_number.text(),
            ethnicity=self.ethnicity.currentText(), birth_date=self.birth_date.value(),
            joined_on=self.joined_on.value(), converted_on=self.converted_on.value(), phone=self.phone.text(),
            letter_number=self.letter_number.text(), valid_days=self.valid_days.value(),
            dues_paid_until=self.dues_paid_until.value(), note=self.note.text())

    def save(self) -> None:
        self.person_id = transfers.register_transfer_in(self.draft(), today=self.today)
