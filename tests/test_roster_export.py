"""The roster export to Excel: who is on it, the cell types, and that the import reads it back unchanged."""

from datetime import date, datetime

import pytest
from fixtures.ugly_roster import ID, TODAY, build_ugly_roster
from openpyxl import load_workbook

from ledger_app import roster_columns as rc
from ledger_app import roster_import as ri
from ledger_app.cli import main
from ledger_app.db import open_ledger
from ledger_app.demo import generate_demo
from ledger_app.errors import LedgerError
from ledger_app.models import Person
from ledger_app.roster_export import PERSONAL_DATA_NOTE, export_roster_xlsx
from ledger_app.services import audit, write
from ledger_app.services.branch import BranchProfile, BranchSetup, CommitteeSeat, GroupDraft, set_up_branch

GOOD_ROWS = {4, 5, 6, 8, 9, 10, 18, 19, 23}
HEADER = [rc.SERIAL_HEADER, *(column.header for column in rc.COLUMNS)]


def set_up() -> None:
    set_up_branch(BranchSetup(
        profile=BranchProfile("XX社区党支部", "community"),
        term_started_on=date(2024, 3, 1),
        committee=[CommitteeSeat("王建国", "书记"), CommitteeSeat("李秀英", "组织委员")],
        groups=[GroupDraft("第一党小组", "王建国")],
    ), TODAY)


def import_file(path, today=TODAY) -> ri.Preview:
    sheet = ri.read_workbook(path)
    header_row = ri.find_header(sheet)
    preview = ri.preview(sheet, ri.offered_mapping(ri.header_texts(sheet, header_row)), today, header_row)
    assert preview.problems == []
    ri.commit(preview, path.name)
    return preview


def read_back(path) -> list[list]:
    """The rows below the personal-data note (row 1), the header first."""
    book = load_workbook(path)
    try:
        note, *rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
    assert note[0] == PERSONAL_DATA_NOTE and not any(note[1:])
    return rows


@pytest.fixture
def imported(ledger, tmp_path):
    """The branch with the good rows of the ugly roster imported."""
    set_up()
    import_file(build_ugly_roster(tmp_path / "good.xlsx", only_rows=GOOD_ROWS))
    return ledger


def test_export_writes_one_row_a_member_with_typed_cells(imported, tmp_path):
    out = tmp_path / "out" / "花名册.xlsx"
    assert export_roster_xlsx(out) == 10  # the 9 rows imported and 李秀英, a committee member known by name only
    rows = read_back(out)
    assert rows[0] == HEADER
    by_name = {row[1]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}
    assert [row[0] for row in rows[1:]] == list(range(1, 11))
    wang = by_name["王建国"]
    assert wang == {"序号": 1, "姓名": "王建国", "性别": "男", "民族": "汉族", "出生日期": datetime(1970, 4, 8),
                    "身份证号": ID["王建国"], "籍贯": "北京市", "学历": "大学本科", "参加工作时间": None,
                    "入党时间": datetime(1995, 7, 1), "转正时间": datetime(1996, 7, 1), "人员类别": "正式党员",
                    "党小组": "第一党小组", "工作单位及职务": "社区居委会 主任", "联系电话": "13800138000", "家庭住址": None,
                    "备注": "支部书记"}
    assert by_name["陈静"]["人员类别"] == "预备党员" and by_name["陈静"]["转正时间"] is None
    assert by_name["李秀英"]["身份证号"] is None and by_name["李秀英"]["党小组"] is None
    # 党小组 in the branch's order, members without one last
    assert [row[12] for row in rows[1:]] == ["第一党小组"] * 5 + ["第二党小组"] * 3 + [None] * 2

    book = load_workbook(out)
    sheet = book.worksheets[0]
    id_cell, birth_cell, phone_cell = sheet["F3"], sheet["E3"], sheet["O3"]
    assert isinstance(id_cell.value, str) and id_cell.number_format == "@"
    assert isinstance(birth_cell.value, datetime) and birth_cell.number_format == "yyyy-mm-dd"
    assert phone_cell.number_format == "@"
    assert sheet.freeze_panes == "C3" and sheet["A2"].font.b
    assert "个人信息" in sheet["A1"].value and "个人信息" in sheet.oddHeader.center.text
    assert sheet.column_dimensions["F"].width == 21
    book.close()
    assert not list(out.parent.glob(".*partial"))


def test_people_off_the_roster_are_not_exported(imported, tmp_path):
    write(audit.update)(Person.get(Person.name == "张丽"), "转出", membership_state="transferred_out",
                        state_changed_on=date(2026, 6, 1))
    write(audit.create)(Person, "申请人", name="钱多多", stage="applicant")
    out = tmp_path / "r.xlsx"
    assert export_roster_xlsx(out) == 9
    names = [row[1] for row in read_back(out)[1:]]
    assert "张丽" not in names and "钱多多" not in names


def test_export_then_import_then_export_gives_the_same_rows(imported, tmp_path):
    first = tmp_path / "first.xlsx"
    export_roster_xlsx(first)
    imported.close()
    with open_ledger(tmp_path / "fresh.sqlite3"):
        set_up()
        preview = import_file(first)
        assert (preview.count("new"), preview.count("update"), preview.count("same")) == (8, 1, 1)
        second = tmp_path / "second.xlsx"
        export_roster_xlsx(second)
    assert read_back(second) == read_back(first)


def test_demo_roster_round_trip_into_an_empty_ledger(tmp_path):
    """A realistic roster (addresses, posts, phones, many groups) survives export → import → export."""
    today = date(2026, 6, 30)
    generate_demo(tmp_path / "demo.sqlite3", members=40, years=1, seed=3, today=today)
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    with open_ledger(tmp_path / "demo.sqlite3", readonly=True):
        count = export_roster_xlsx(first)
    with open_ledger(tmp_path / "empty.sqlite3"):
        preview = import_file(first, today)
        assert preview.count("new") == count
        assert export_roster_xlsx(second) == count
    assert read_back(second) == read_back(first)


def test_only_xlsx_is_written(ledger, tmp_path):
    with pytest.raises(LedgerError, match=r"只能导出为 \.xlsx"):
        export_roster_xlsx(tmp_path / "roster.xls")


def test_an_unwritable_target_is_refused_clearly(ledger, tmp_path):
    folder = tmp_path / "is-a-folder.xlsx"
    folder.mkdir()
    with pytest.raises(LedgerError, match="无法写入"):
        export_roster_xlsx(folder)


def test_cli_export(imported, tmp_path, capsys):
    imported.close()
    out = tmp_path / "cli.xlsx"
    assert main(["members", "export", str(out), "--db", str(imported.path)]) == 0
    assert f"已导出 10 名党员到 {out}" in capsys.readouterr().out
    assert len(read_back(out)) == 11
