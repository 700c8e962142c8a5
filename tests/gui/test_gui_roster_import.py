"""The Excel roster import dialog, end to end on a small workbook built here with openpyxl.

The steps are driven through the dialog's own methods and widgets (the file dialog is bypassed by
``open_file``); the core does the reading, checking and writing, so the people the tests look for
are in the ledger only when the dialog really committed.
"""

from datetime import date

import openpyxl
import pytest

from ledger_app.models import Person
from ledger_app.rules.id_number import check_character
from ui import roster_import_dialog as module
from ui.roster_import_dialog import DONE, FILE, MAPPING, PREVIEW, RosterImportDialog, column_letter

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]

TODAY = date(2026, 6, 30)
HEADERS = ["序号", "姓 名", "性别", "民族", "身份证号码", "入党时间", "转正时间", "人员类别", "党小组", "岗位", "手机"]


def an_id(birth: date, serial: int) -> str:
    """A generated ID number with a valid check character (odd serial: male)."""
    first17 = f"110105{birth:%Y%m%d}{serial:03d}"
    return first17 + check_character(first17)


def wrong_check(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


PEOPLE = [
    [1, "周明", "男", "汉族", an_id(date(1985, 3, 12), 121), "2010.07", "2011.07", "正式党员", "第一党小组",
     "车间主任", "13800000001"],
    [2, "吴芳", "女", "汉族", an_id(date(1990, 5, 6), 122), "2015-06-01", "2016-06-01", "正式党员", "第二党小组",
     "会计", "13800000002"],
    [3, "郑伟", "男", "回族", an_id(date(1992, 8, 9), 123), "2019年7月", "2020年7月", "正式党员", "第一党小组",
     "技术员", "13800000003"],
]


def build(path, people=PEOPLE, footer=True):
    """A 花名册 as clerks keep it: a title row, the header on Excel row 2, the people, a note."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "党员名册"
    sheet.append(["测试第一党支部党员花名册"])
    sheet.append(HEADERS)
    for person in people:
        sheet.append(person)
    if footer:
        sheet.append([])
        sheet.append(["填表人：赵一"])
    book.save(path)
    return path


@pytest.fixture
def dialog(qtbot, set_up_ledger):
    widget = RosterImportDialog()
    widget.today = TODAY
    qtbot.addWidget(widget)
    widget.show()
    return widget


def names() -> set[str]:
    return {name for (name,) in Person.select(Person.name).tuples()}


def preview_cells(dialog, column: int) -> list[str]:
    model = dialog.preview_model
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def test_good_rows_are_imported_after_a_backup(dialog, tmp_path, qtmodeltester, data_home):
    path = build(tmp_path / "花名册.xlsx")
    assert not dialog.next_button.isEnabled()  # no file yet
    assert dialog.open_file(path)
    assert dialog.step() == MAPPING
    assert dialog.header_spin.value() == 2  # found below the title row
    assert dialog.combo_for(1).currentData() == "name"
    assert dialog.combo_for(4).currentData() == "id_number"
    assert dialog.combo_for(9).currentData() == ""  # 岗位 is no header the import knows
    assert dialog.combo_for(0).currentData() == ""  # 序号 is not imported
    assert dialog.next_button.isEnabled()

    dialog.next()
    assert dialog.step() == PREVIEW
    qtmodeltester.check(dialog.preview_model)
    assert preview_cells(dialog, 0) == ["3", "4", "5", "7"]  # Excel row numbers
    assert preview_cells(dialog, 1)[:3] == ["周明", "吴芳", "郑伟"]
    assert preview_cells(dialog, 2) == ["新建", "新建", "新建", "说明行"]
    assert "填表人：赵一" in preview_cells(dialog, 4)[3]
    assert "新建 3 人" in dialog.summary.text()
    assert dialog.problem_note.isHidden()
    assert dialog.import_button.isEnabled()

    assert dialog.do_import()
    assert dialog.step() == DONE
    assert {"周明", "吴芳", "郑伟"} <= names()
    zheng = Person.get(Person.name == "郑伟")
    assert (zheng.ethnicity, zheng.joined_on, zheng.phone) == ("回族", date(2019, 7, 1), "13800000003")
    assert "新建 3 人" in dialog.result_text.text()
    assert dialog.import_result.backup.exists()
    assert str(dialog.import_result.backup) in dialog.result_text.text()
    dialog.close_button.click()
    assert dialog.result() == RosterImportDialog.DialogCode.Accepted


def test_a_bad_row_blocks_the_import_and_names_its_excel_row(dialog, tmp_path, messages):
    people = [list(row) for row in PEOPLE]
    people[1][4] = wrong_check(people[1][4])  # 吴芳, Excel row 4
    path = build(tmp_path / "花名册.xlsx", people)
    dialog.open_file(path)
    dialog.next()
    assert dialog.step() == PREVIEW
    assert not dialog.import_button.isEnabled()
    assert not dialog.problem_note.isHidden()
    assert "有 1 行有问题" in dialog.problem_note.text() and "重新读取" in dialog.problem_note.text()
    # the row with the problem comes first, with its Excel row number and the field in red
    assert preview_cells(dialog, 0)[0] == "4"
    assert preview_cells(dialog, 3)[0].startswith("身份证号：")
    model = dialog.preview_model
    assert model.data(model.index(0, model.PROBLEMS), module.Qt.ItemDataRole.ForegroundRole).color() \
        == module.PROBLEM_COLOUR
    dialog.only_problems.setChecked(True)
    assert preview_cells(dialog, 0) == ["4"]
    assert not dialog.do_import()
    assert "吴芳" not in names() and "周明" not in names()  # all or nothing

    build(path)  # the clerk fixes the file in Excel and saves it
    assert dialog.reread()
    assert dialog.import_button.isEnabled()
    assert dialog.problem_note.isHidden()
    assert dialog.do_import()
    assert {"周明", "吴芳", "郑伟"} <= names()


def test_changed_mapping_is_used_and_remembered(dialog, tmp_path, qtbot, set_up_ledger):
    path = build(tmp_path / "花名册.xlsx")
    dialog.open_file(path)
    phone = dialog.combo_for(10)
    assert phone.currentData() == "phone"
    phone.setCurrentIndex(phone.findData(""))  # 手机 not imported
    post = dialog.combo_for(9)
    post.setCurrentIndex(post.findData("post"))  # 岗位 is the 工作单位及职务
    dialog.next()
    assert dialog.do_import()
    zhou = Person.get(Person.name == "周明")
    assert (zhou.phone, zhou.post) == ("", "车间主任")

    again = RosterImportDialog()
    qtbot.addWidget(again)
    again.open_file(build(tmp_path / "另一个.xlsx", people=[]))
    assert again.combo_for(10).currentData() == ""
    assert again.combo_for(9).currentData() == "post"


def test_a_mapping_without_a_name_column_cannot_go_on(dialog, tmp_path):
    dialog.open_file(build(tmp_path / "花名册.xlsx"))
    name = dialog.combo_for(1)
    name.setCurrentIndex(name.findData(""))
    assert not dialog.mapping_error.isHidden()
    assert "姓名" in dialog.mapping_error.text()
    assert not dialog.next_button.isEnabled()
    dialog.next()
    assert dialog.step() == MAPPING
    name.setCurrentIndex(name.findData("name"))
    assert dialog.next_button.isEnabled()


def test_header_row_can_be_changed(dialog, tmp_path):
    dialog.open_file(build(tmp_path / "花名册.xlsx"))
    dialog.header_spin.setValue(1)  # the title row: no column is recognised there
    assert dialog.mapping_table.item(0, 1).text() == "测试第一党支部党员花名册"
    assert dialog.combo_for(1).currentData() == ""
    assert not dialog.next_button.isEnabled()
    dialog.header_spin.setValue(2)
    assert dialog.combo_for(1).currentData() == "name"


def test_undo_restores_the_ledger(dialog, tmp_path, monkeypatch, messages):
    before = names()
    dialog.open_file(build(tmp_path / "花名册.xlsx"))
    dialog.next()
    dialog.do_import()
    assert names() > before
    monkeypatch.setattr(module, "confirm", lambda *args: True)
    assert dialog.undo_last()
    assert names() == before
    assert messages[-1][1] == "已撤销导入"
    assert "删除新建的 3 人" in messages[-1][2]
    assert "删除新建的 3 人" in dialog.result_text.text()

    assert not dialog.undo_last()  # nothing left to undo: said, not raised
    assert "没有可以撤销的花名册导入" in messages.texts("warning")[-1]


def test_undo_not_confirmed_changes_nothing(dialog, tmp_path, monkeypatch):
    dialog.open_file(build(tmp_path / "花名册.xlsx"))
    dialog.next()
    dialog.do_import()
    monkeypatch.setattr(module, "confirm", lambda *args: False)
    assert not dialog.undo_last()
    assert "周明" in names()


def test_a_file_that_is_not_excel_is_a_message(dialog, tmp_path, messages):
    broken = tmp_path / "花名册.xlsx"
    broken.write_text("这不是 Excel 文件", encoding="utf-8")
    assert not dialog.open_file(broken)
    assert dialog.step() == FILE
    assert "不是有效的 Excel 文件" in messages.texts("warning")[-1]
    text = tmp_path / "名单.txt"
    text.write_text("x", encoding="utf-8")
    assert not dialog.open_file(text)
    assert "只能导入 Excel 文件" in messages.texts("warning")[-1]


def test_closing_without_importing_is_rejected(dialog, tmp_path):
    dialog.open_file(build(tmp_path / "花名册.xlsx"))
    dialog.back()
    assert dialog.step() == FILE
    dialog.reject()
    assert dialog.result() == RosterImportDialog.DialogCode.Rejected


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 51, 52)] == ["A", "Z", "AA", "AB", "AZ", "BA"]


def test_enter_moves_one_step_at_a_time(dialog, tmp_path, qtbot):
    dialog.path_edit.setText(str(build(tmp_path / "花名册.xlsx")))
    qtbot.keyClick(dialog.path_edit, module.Qt.Key.Key_Return)
    assert dialog.step() == MAPPING  # read once, not read and previewed
    qtbot.keyClick(dialog.mapping_table, module.Qt.Key.Key_Return)
    assert dialog.step() == PREVIEW
    assert dialog.import_button.isDefault()


def test_browse_reads_the_chosen_file_and_remembers_its_folder(dialog, tmp_path, monkeypatch):
    path = build(tmp_path / "花名册.xlsx")
    asked = []

    def choose(parent, title, folder, filters):
        asked.append(filters)
        return str(path), filters

    monkeypatch.setattr(module.QFileDialog, "getOpenFileName", choose)
    dialog.browse_button.click()
    assert "*.xlsx" in asked[0] and "*.xls" in asked[0]
    assert dialog.step() == MAPPING
    assert module.settings().value(module.LAST_FOLDER_KEY) == str(tmp_path)
