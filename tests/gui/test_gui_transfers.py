"""The 组织关系 page and its dialogs, driven as a clerk would on a small demo ledger.

A dialog's ``exec()`` is replaced by a function that fills its fields and presses its button
(``submit``), so the real dialog code runs without a modal loop.
"""

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from ledger_app.models import Transfer
from ledger_app.rules.id_number import check_character
from ledger_app.services import transfers
from ledger_app.services.members import get_member, roster_rows
from ui import transfers_page as page_module
from ui.forms import DateDialog
from ui.transfer_dialogs import TransferInDialog, TransferOutDialog
from ui.transfers_page import OVERDUE_COLOUR, RECEIPT_COLUMN, TransfersPage

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]

TODAY = date.today()


def an_id(birth: date, serial: int) -> str:
    """A generated ID number with a valid check character (odd serial: male)."""
    first17 = f"110105{birth:%Y%m%d}{serial:03d}"
    return first17 + check_character(first17)


@pytest.fixture
def page(qtbot, demo):
    widget = TransfersPage()
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    widget.refresh()
    return widget


def row_of(page: TransfersPage, transfer_id: int) -> int:
    return next(number for number, row in enumerate(page.model.rows) if row.id == transfer_id)


def cell(page: TransfersPage, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    return page.model.data(page.model.index(row, column), role)


def test_register_print_and_confirm_a_transfer_out(qtbot, page, monkeypatch, messages, tmp_path, drive):
    member = roster_rows()[0]
    on_roster = len(roster_rows())

    def fill(dialog: TransferOutDialog):
        assert dialog.letter_number.text() == transfers.next_letter_number(TODAY.year)
        dialog.person.setEditText(member.name)  # the name typed (without the group) finds the member
        dialog.scope.setCurrentIndex(dialog.scope.findData("across_province"))
        dialog.to_org.setText("中共某某市某某区委组织部")
        dialog.valid_days.setValue(60)
        dialog.dues_paid_until.set_value(TODAY)

    drive(TransferOutDialog, fill)
    transfer_id = page.register_out()
    assert transfer_id is not None
    saved = transfers.get_transfer(transfer_id)
    assert (saved.person_id, saved.to_org, saved.scope, saved.valid_days) == (
        member.id, "中共某某市某某区委组织部", "across_province", 60)
    assert saved.dues_paid_until == TODAY.replace(day=1)
    assert page.selected().id == transfer_id  # selected, ready to print
    row = row_of(page, transfer_id)
    assert cell(page, row, 0) == "转出（待确认）"
    assert cell(page, row, 1) == member.name
    assert cell(page, row, 7) == f"{TODAY.year}年{TODAY.month}月"
    assert len(roster_rows()) == on_roster  # still 在册 until confirmed
    assert page.confirm_button.isEnabled() and page.print_button.isEnabled()

    out = tmp_path / "介绍信.pdf"
    assert page.print_letter(path=out) == out
    assert messages[-1][1] == "文件已生成"
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert member.name in text
    assert "中共某某市某某区委组织部" in text
    assert "介绍信" in text

    def confirm(dialog: DateDialog):
        assert dialog.on.date() == QDate(TODAY.year, TODAY.month, TODAY.day)

    drive(DateDialog, confirm)
    assert page.confirm_out()
    assert member.id not in {m.id for m in roster_rows()}
    assert get_member(member.id).membership_state == "transferred_out"
    row = row_of(page, transfer_id)
    assert cell(page, row, 0) == "转出"
    assert not page.confirm_button.isEnabled()  # confirmed once only


def test_a_problem_is_shown_beside_its_field_and_nothing_is_saved(qtbot, page, monkeypatch, drive):
    before = Transfer.select().count()

    def fill(dialog: TransferOutDialog):
        dialog.person.setEditText(roster_rows()[0].name)
        dialog.dues_paid_until.set_value(TODAY + timedelta(days=40))  # a month after the transfer

    seen = drive(TransferOutDialog, fill)
    assert page.register_out() is None
    dialog = seen[0]
    assert not dialog.errors["to_org"][0].isHidden()
    assert "转入的党组织" in dialog.errors["to_org"][0].text()
    dialog.to_org.setText("中共某区委组织部")
    assert not dialog.submit()
    assert dialog.errors["to_org"][0].isHidden()
    assert "党费交至" in dialog.errors["dues_paid_until"][0].text()
    assert Transfer.select().count() == before


def test_typing_nobody_on_the_roster_is_refused_beside_the_member_field(qtbot, page, monkeypatch, drive):
    def fill(dialog: TransferOutDialog):
        dialog.person.setEditText("查无此人")
        dialog.to_org.setText("中共某区委组织部")

    seen = drive(TransferOutDialog, fill)
    assert page.register_out() is None
    assert "没有“查无此人”" in seen[0].errors["person_id"][0].text()


def test_validity_cannot_exceed_three_months(qtbot, demo):
    dialog = TransferOutDialog()
    qtbot.addWidget(dialog)
    dialog.valid_days.setValue(365)
    assert dialog.valid_days.value() == 90
    assert dialog.valid_days.value() == dialog.valid_days.maximum()


def test_overdue_receipt_is_red_until_it_comes_back(qtbot, page, monkeypatch, drive):
    member = roster_rows()[1]
    transfer_id = transfers.register_transfer_out(transfers.TransferOutDraft(
        person_id=member.id, to_org="中共某县委组织部", transferred_on=TODAY - timedelta(days=45)))
    page.refresh(select_id=transfer_id)
    row = row_of(page, transfer_id)
    assert cell(page, row, RECEIPT_COLUMN) == "未回"
    assert cell(page, row, RECEIPT_COLUMN, Qt.ItemDataRole.ForegroundRole).color() == OVERDUE_COLOUR
    assert "已逾期" in cell(page, row, RECEIPT_COLUMN, Qt.ItemDataRole.ToolTipRole)
    assert "回执逾期未回" in page.summary.text()
    assert "中共某县委组织部" in page.detail.text() and "尚未寄回" in page.detail.text()

    drive(DateDialog, lambda dialog: dialog.on.setDate(QDate(TODAY.year, TODAY.month, TODAY.day)))
    assert page.receipt_returned()
    row = row_of(page, transfer_id)
    assert cell(page, row, RECEIPT_COLUMN) == TODAY.isoformat()
    assert cell(page, row, RECEIPT_COLUMN, Qt.ItemDataRole.ForegroundRole) is None
    assert not page.receipt_button.isEnabled()
    assert all(r.id != transfer_id for r in transfers.overdue_receipts(TODAY))


def test_receipt_date_before_the_transfer_is_shown_beside_the_date(qtbot, page, monkeypatch, drive):
    member = roster_rows()[1]
    day = TODAY - timedelta(days=10)
    transfer_id = transfers.register_transfer_out(transfers.TransferOutDraft(
        person_id=member.id, to_org="中共某县委组织部", transferred_on=day))
    page.refresh(select_id=transfer_id)
    earlier = day - timedelta(days=3)
    seen = drive(DateDialog, lambda dialog: dialog.on.setDate(QDate(earlier.year, earlier.month,
                                                                                   earlier.day)))
    assert not page.receipt_returned()
    assert "早于转出日期" in seen[0].errors["on"][0].text()
    assert transfers.get_transfer(transfer_id).receipt_returned_on is None


def test_transfer_in_creates_the_member(qtbot, page, monkeypatch, drive):
    number = an_id(date(1996, 5, 4), 122)  # even serial: female

    def fill(dialog: TransferInDialog):
        dialog.name.setText("韩晓雪")
        dialog.id_number.setText(number)
        dialog.ethnicity.setCurrentText("汉族")
        dialog.stage.setCurrentIndex(dialog.stage.findData("probationary"))
        dialog.joined_on.set_value(TODAY - timedelta(days=100))
        dialog.from_org.setText("某某大学第三党支部")
        dialog.letter_number.setText("组转字〔2026〕015号")

    seen = drive(TransferInDialog, fill)
    person_id = page.register_in()
    assert person_id is not None
    assert not seen[0].converted_on.isEnabled()  # a probationary member has no 转正时间
    detail = get_member(person_id)
    assert (detail.name, detail.sex, detail.birth_date, detail.stage, detail.membership_state) == (
        "韩晓雪", "female", date(1996, 5, 4), "probationary", "active")
    assert person_id in {m.id for m in roster_rows()}
    row = next(r for r in page.model.rows if r.person_id == person_id)
    assert (row.direction, row.from_org, row.letter_number) == ("in", "某某大学第三党支部", "组转字〔2026〕015号")


def test_transfer_in_with_a_bad_id_number_says_so_beside_it(qtbot, page, monkeypatch, drive):
    def fill(dialog: TransferInDialog):
        dialog.name.setText("韩晓雪")
        dialog.id_number.setText(an_id(date(1996, 5, 4), 122)[:-1] + "0")
        dialog.from_org.setText("某某大学第三党支部")

    seen = drive(TransferInDialog, fill)
    assert page.register_in() is None
    assert not seen[0].errors["id_number"][0].isHidden()


def test_year_filter_and_model(qtbot, qtmodeltester, page):
    qtmodeltester.check(page.model)
    everything = len(page.model.rows)
    years = [page.year.itemData(i) for i in range(page.year.count())]
    assert years[0] is None
    assert years[1:] == sorted({r.transferred_on.year for r in transfers.list_transfers()} | {TODAY.year}, reverse=True)
    page.year.setCurrentIndex(page.year.findData(TODAY.year))
    assert all(r.transferred_on.year == TODAY.year for r in page.model.rows)
    assert len(page.model.rows) == len(transfers.list_transfers(TODAY.year)) <= everything
    qtmodeltester.check(page.model)


def test_printing_needs_a_transfer_out_selected(page, messages):
    page.table.clearSelection()
    assert page.print_letter() is None
    assert "选中一条转出记录" in messages.texts("warning")[-1]


def test_page_is_wired_in_the_main_window(window):
    window.show_page("transfers")
    assert isinstance(window.current_page(), page_module.TransfersPage)


def test_enter_in_the_transfer_out_dialog_registers(qtbot, demo):
    dialog = TransferOutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.person.setCurrentIndex(0)
    dialog.to_org.setText("中共某区委组织部")
    qtbot.keyClick(dialog.to_org, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert transfers.get_transfer(dialog.transfer_id).person_id == dialog.person.itemData(0)
