"""The 党费 page, driven as a clerk would: bases, marking a month paid and undoing it, the dialogs.

The hand-made ledger is ``set_up_ledger``'s three members (赵一, 钱二, 孙三, paying in every month:
they have no 入党 date on file) with this year's bases entered through the service: in service
5100 → 76.50, in service 4900 → 49.00, retired 4800 → 24.00 (domain-rules §1's worked examples).
A dialog's ``exec()`` is replaced by a function that fills its fields and presses its button.
"""

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QLineEdit

from ledger_app.db import open_ledger
from ledger_app.models import DuesBase, DuesPayment
from ledger_app.services import dues
from ledger_app.services.members import roster_rows
from ledger_app.services.settings import dues_settings
from ui import dues_page as page_module
from ui.dues_dialogs import DuesSettingsDialog, MarkPaidDialog, OverrideDialog, ReliefDialog, VoluntaryDialog
from ui.dues_model import BASE_COLUMN, FIRST_MONTH_COLUMN, OVERDUE, STANDARD_COLUMN, YEAR_COLUMN
from ui.dues_page import BASES_TAB, GRID_TAB, DuesPage

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]

TODAY = date.today()
YEAR = TODAY.year
MONTH = TODAY.month
COLUMN = FIRST_MONTH_COLUMN + MONTH - 1  # this month's column
BASES = {"赵一": (510000, "in_service", 7650), "钱二": (490000, "in_service", 4900), "孙三": (480000, "retired", 2400)}


@pytest.fixture
def members(set_up_ledger):
    """The three members by name, with this year's bases."""
    people = {m.name: m.id for m in roster_rows()}
    for name, (base, category, _) in BASES.items():
        dues.set_base(people[name], YEAR, base, category)
    return people


def make_page(qtbot) -> DuesPage:
    page = DuesPage()
    qtbot.addWidget(page)
    page.resize(1400, 700)
    page.show()
    qtbot.waitExposed(page)
    page.refresh()
    return page


@pytest.fixture
def page(qtbot, members):
    return make_page(qtbot)


def grid_text(page: DuesPage, name: str, column: int, role=Qt.ItemDataRole.DisplayRole):
    row = next(n for n, r in enumerate(page.grid_model.rows) if r.name == name)
    return page.grid_model.data(page.grid_model.index(row, column), role)


def click_month_header(qtbot, page: DuesPage, column: int) -> None:
    header = page.grid_view.horizontalHeader()
    page.grid_view.scrollTo(page.grid_model.index(0, column))
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def payments() -> dict[tuple[int, int], DuesPayment]:
    return {(p.person_id, p.month): p for p in DuesPayment.select().where(DuesPayment.year == YEAR)}


def test_mark_a_month_paid_then_undo_it(qtbot, page, members, monkeypatch, messages, drive):
    assert page.tabs.currentIndex() == GRID_TAB
    assert grid_text(page, "赵一", STANDARD_COLUMN) == "76.50"  # the standard, computed by the service
    for name in BASES:
        assert grid_text(page, name, COLUMN) == "未交"

    click_month_header(qtbot, page, COLUMN)  # the whole month
    people, months = page.selected_targets()
    assert {name for _, name in people} == set(BASES) and months == [MONTH]

    def fill(dialog: MarkPaidDialog):
        assert dialog.months() == [MONTH]
        dialog.method.setCurrentIndex(dialog.method.findData("transfer"))
        dialog.note.setText("支部集中收缴")

    drive(MarkPaidDialog, fill)
    result = page.mark_paid()
    assert result.created == 3 and not result.skipped
    assert result.total_fen == 7650 + 4900 + 2400
    saved = payments()
    for name, (_, _, standard) in BASES.items():
        payment = saved[(members[name], MONTH)]
        assert payment.amount_fen == standard and payment.extra_fen == 0
        assert payment.method == "transfer" and payment.paid_on == TODAY and payment.note == "支部集中收缴"
        assert payment.receipt_no.startswith(f"DF{YEAR}-")
        assert grid_text(page, name, COLUMN) == f"{standard // 100}.{standard % 100:02d}"
    assert sorted(p.receipt_no for p in saved.values()) == [f"DF{YEAR}-0000{n}" for n in (1, 2, 3)]
    assert grid_text(page, "赵一", YEAR_COLUMN) == "76.50"
    totals = page.totals_model
    assert totals.data(totals.index(0, COLUMN)) == "149.50"
    assert messages[-1][1] == "党费已登记"
    assert "已登记 3 笔，合计 149.50 元" in messages[-1][2]
    assert page.undo_button.isEnabled()
    assert "149.50" in page.undo_button.toolTip()

    asked = []
    monkeypatch.setattr(page_module, "confirm", lambda parent, title, text, accept: asked.append(text) or True)
    page.grid_view.setFocus()
    qtbot.keyClick(page.grid_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Z
    assert asked and "3 条记录将被删除" in asked[0]
    assert payments() == {}
    for name in BASES:
        assert grid_text(page, name, COLUMN) == "未交"
    assert messages[-1][1] == "已撤销"
    assert not page.undo_button.isEnabled()  # only the last bulk action, and only once


def test_undo_not_confirmed_keeps_the_payments(qtbot, page, members, monkeypatch):
    dues.mark_paid([members["赵一"]], YEAR, [MONTH], TODAY, "cash")
    page.refresh()
    monkeypatch.setattr(page_module, "confirm", lambda *args: False)
    assert not page.undo_last()
    assert len(payments()) == 1


def test_a_skipped_cell_is_reported(qtbot, page, members, monkeypatch, messages, drive):
    dues.mark_paid([members["钱二"]], YEAR, [MONTH], TODAY, "cash")
    page.refresh()
    click_month_header(qtbot, page, COLUMN)
    drive(MarkPaidDialog, lambda dialog: None)
    result = page.mark_paid()
    assert result.created == 2
    assert [(s.name, s.month, s.reason) for s in result.skipped] == [("钱二", MONTH, "该月已交")]
    assert "跳过 1 项" in messages[-1][2]
    assert f"钱二 {MONTH}月：该月已交" in messages[-1][2]


def test_marking_with_nothing_selected_says_what_to_do(page, messages):
    page.grid_view.clearSelection()
    assert page.mark_paid() is None
    assert "请先在表中选中" in messages[-1][2]


def test_a_back_payment_beyond_six_months_is_shown_under_the_months(qtbot, page, monkeypatch):
    page.set_year(YEAR - 1)
    page.grid_view.selectColumn(FIRST_MONTH_COLUMN)  # January last year: at least 10 months back
    for row in range(page.grid_model.rowCount()):
        page.grid_view.selectionModel().select(page.grid_model.index(row, FIRST_MONTH_COLUMN),
                                               page.grid_view.selectionModel().SelectionFlag.Select)
    seen = []

    def exec_(self):
        seen.append(self)
        return QDialog.DialogCode.Accepted if self.submit() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(MarkPaidDialog, "exec", exec_)
    assert page.mark_paid() is None
    error, _ = seen[0].errors["months"]
    assert not error.isHidden() and "补交党费一般不超过 6 个月" in error.text()
    assert payments() == {} and DuesPayment.select().count() == 0


def test_a_bad_base_shows_the_row_and_writes_nothing(qtbot, page, members):
    page.tabs.setCurrentIndex(BASES_TAB)
    model = page.base_model
    row = next(n for n, r in enumerate(model.rows) if r.name == "钱二")
    index = model.index(row, BASE_COLUMN)
    page.base_view.setCurrentIndex(index)
    page.base_view.edit(index)
    editor = page.base_view.viewport().findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "49OO")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits in a queued call
    qtbot.waitUntil(lambda: not page.base_problem.isHidden())
    assert f"第 {row + 1} 行（钱二）" in page.base_problem.text()
    assert "不是有效的金额" in page.base_problem.text()
    assert DuesBase.get(DuesBase.person == members["钱二"], DuesBase.year == YEAR).base_fen == 490000
    assert model.data(index) == "4900.00"

    assert model.setData(index, "5,100")  # a good entry: saved, standard and band from the service
    assert page.base_problem.isHidden()
    assert DuesBase.get(DuesBase.person == members["钱二"], DuesBase.year == YEAR).base_fen == 510000
    assert model.data(model.index(row, 5)) == "76.50"
    assert "1.5%" in model.data(model.index(row, 6))
    assert not model.setData(index, "-3")
    assert "不能为负数" in page.base_problem.text()


def test_category_before_base_is_held_until_the_base_is_entered(qtbot, set_up_ledger):
    page = make_page(qtbot)
    page.tabs.setCurrentIndex(BASES_TAB)
    model = page.base_model
    assert all(r.base_fen is None for r in model.rows)
    index = model.index(0, 3)
    assert model.setData(index, "farmer")
    assert model.data(index) == "农民"
    assert DuesBase.select().count() == 0
    assert model.setData(model.index(0, BASE_COLUMN), "0")
    saved = DuesBase.get(DuesBase.person == model.rows[0].person_id)
    assert (saved.category, saved.base_fen) == ("farmer", 0)
    assert model.data(model.index(0, 5)) == "0.50"  # the farmer's amount, a setting


def test_copy_last_year_asks_and_can_be_undone(qtbot, members, monkeypatch, messages):
    for name, pid in members.items():
        dues.set_base(pid, YEAR - 1, BASES[name][0] - 10000, BASES[name][1])
    DuesBase.delete().where(DuesBase.year == YEAR, DuesBase.person != members["赵一"]).execute()
    page = make_page(qtbot)
    page.set_year(YEAR)
    page.tabs.setCurrentIndex(BASES_TAB)
    monkeypatch.setattr(page_module, "confirm", lambda *args: True)
    result = page.copy_last_year()
    assert result.created == 2
    assert "已为 2 人沿用" in messages[-1][2]
    assert DuesBase.get(DuesBase.person == members["钱二"], DuesBase.year == YEAR).base_fen == 480000
    assert DuesBase.get(DuesBase.person == members["赵一"], DuesBase.year == YEAR).base_fen == 510000  # kept
    assert page.undo_last()
    assert DuesBase.select().where(DuesBase.year == YEAR).count() == 1


def test_override_needs_a_reason(qtbot, page, members, monkeypatch, drive):
    page.tabs.setCurrentIndex(BASES_TAB)
    row = next(n for n, r in enumerate(page.base_model.rows) if r.name == "赵一")
    page.base_view.setCurrentIndex(page.base_model.index(row, 0))
    seen = drive(OverrideDialog, lambda dialog: dialog.amount.setText("60"))
    assert not page.edit_override()
    error, _ = seen[0].errors["override_reason"]
    assert not error.isHidden() and "请填写原因" in error.text()
    assert DuesBase.get(DuesBase.person == members["赵一"]).override_fen is None

    def with_reason(dialog: OverrideDialog):
        dialog.amount.setText("60")
        dialog.reason.setText("经支部委员会研究同意")

    drive(OverrideDialog, with_reason)
    assert page.edit_override()
    saved = DuesBase.get(DuesBase.person == members["赵一"])
    assert (saved.override_fen, saved.override_reason) == (6000, "经支部委员会研究同意")
    assert page.base_model.data(page.base_model.index(row, 8)) == "60.00"
    page.tabs.setCurrentIndex(GRID_TAB)
    assert grid_text(page, "赵一", STANDARD_COLUMN) == "60.00"  # the grid was read again with the override


def test_settings_are_saved(qtbot, page, monkeypatch, drive):
    seen = drive(DuesSettingsDialog, lambda dialog: dialog.farmer.setText("五角"))
    assert not page.edit_settings()
    error, _ = seen[0].errors["farmer_fen"]
    assert not error.isHidden() and "农民党员每月标准" in error.text()
    assert dues_settings().farmer_fen == 50

    def fill(dialog: DuesSettingsDialog):
        dialog.rounding.setCurrentIndex(dialog.rounding.findData("yuan_up"))
        dialog.farmer.setText("0.80")
        dialog.probation_start.setCurrentIndex(dialog.probation_start.findData("approved"))

    drive(DuesSettingsDialog, fill)
    assert page.edit_settings()
    saved = dues_settings()
    assert (saved.rounding, saved.farmer_fen, saved.probation_start) == ("yuan_up", 80, "approved")
    assert grid_text(page, "赵一", STANDARD_COLUMN) == "77.00"  # 76.50 rounded up to the yuan


def test_voluntary_extra_on_a_paid_month(qtbot, page, members, monkeypatch, messages, drive):
    dues.mark_paid([members["孙三"]], YEAR, [MONTH], TODAY, "cash")
    page.refresh()
    row = next(n for n, r in enumerate(page.grid_model.rows) if r.name == "孙三")
    page.grid_view.setCurrentIndex(page.grid_model.index(row, COLUMN))
    drive(VoluntaryDialog, lambda dialog: dialog.amount.setText("100"))
    assert page.record_voluntary()
    assert payments()[(members["孙三"], MONTH)].extra_fen == 10000
    assert grid_text(page, "孙三", COLUMN) == "24.00+"
    assert "自愿多交 100.00" in grid_text(page, "孙三", COLUMN, Qt.ItemDataRole.ToolTipRole)
    assert grid_text(page, "孙三", YEAR_COLUMN) == "124.00"
    page.grid_view.setCurrentIndex(page.grid_model.index(0, 0))
    assert not page.record_voluntary()
    assert "已交的月份" in messages[-1][2]


def test_relief_needs_both_approvals(qtbot, page, members, monkeypatch, messages, drive):
    row = next(n for n, r in enumerate(page.grid_model.rows) if r.name == "钱二")
    page.grid_view.setCurrentIndex(page.grid_model.index(row, FIRST_MONTH_COLUMN))

    def branch_only(dialog: ReliefDialog):
        dialog.kind.setCurrentIndex(dialog.kind.findData("exempt"))
        dialog.end_month.setValue(2)
        dialog.branch_approved_on.set_value(date(YEAR - 1, 12, 10))

    seen = drive(ReliefDialog, branch_only)
    assert not page.edit_relief()
    error, _ = seen[0].errors["upper_approved_on"]
    assert not error.isHidden() and "上级党委批准" in error.text()
    assert dues.reliefs(YEAR) == []

    def both(dialog: ReliefDialog):
        branch_only(dialog)
        dialog.upper_approved_on.set_value(date(YEAR - 1, 12, 20))

    drive(ReliefDialog, both)
    assert page.edit_relief()
    assert [(r.name, r.start_month, r.end_month, r.kind) for r in dues.reliefs(YEAR)] == [("钱二", 1, 2, "exempt")]
    assert grid_text(page, "钱二", FIRST_MONTH_COLUMN) == "免交"


def test_unpaid_past_months_are_red(qtbot, page):
    if MONTH == 1:
        pytest.skip("no past month in January")
    assert grid_text(page, "赵一", FIRST_MONTH_COLUMN, Qt.ItemDataRole.ForegroundRole) is OVERDUE
    assert grid_text(page, "赵一", COLUMN, Qt.ItemDataRole.ForegroundRole) is not OVERDUE
    if MONTH < 12:
        assert grid_text(page, "赵一", COLUMN + 1) == ""  # the future: blank


@pytest.fixture
def demo(tmp_path, demo_ledgers):
    path = tmp_path / "演示台账.sqlite3"
    demo_ledgers.copy(path, members=40, years=2, seed=5)
    ledger = open_ledger(path)
    yield ledger
    ledger.close()


def test_models_pass_the_model_tester_on_a_demo_ledger(qtbot, qtmodeltester, demo):
    page = make_page(qtbot)
    assert page.grid_model.rowCount() >= 40
    qtmodeltester.check(page.grid_model)
    qtmodeltester.check(page.totals_model)
    page.tabs.setCurrentIndex(BASES_TAB)
    assert page.base_model.rowCount() >= 40
    qtmodeltester.check(page.base_model)
    page.set_year(YEAR - 1)  # both read again for another year
    qtmodeltester.check(page.base_model)


def test_documents_are_made_from_the_page(qtbot, demo, tmp_path, messages):
    page = make_page(qtbot)
    out = page.print_register(path=tmp_path / "登记册.xlsx")
    assert out.exists() and messages[-1][1] == "文件已生成"
    out = page.print_month_form(month=MONTH, path=tmp_path / "登记表.pdf")
    assert out.exists()
    out = page.print_posting(period=f"{YEAR}-{MONTH:02d}", path=tmp_path / "公示.docx")
    assert out.exists()
