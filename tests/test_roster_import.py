"""The Excel roster import on an ugly, real-looking 花名册 (tests/fixtures/ugly_roster.py).

It asserts exactly which rows are refused and why, exactly what the good rows become, and that the
import is all or nothing, backed up first, undoable to the exact previous state, and remembered.
"""

import functools
import json
from datetime import date

import pytest
from fixtures.ugly_roster import ID, NOTE_ROWS, REFUSED, TODAY, build_ugly_roster
from hypothesis import given
from hypothesis import strategies as st

from ledger_app import roster_columns as rc
from ledger_app import roster_import as ri
from ledger_app.cli import main
from ledger_app.errors import LedgerError, ValidationError
from ledger_app.models import (
    ALL_MODELS,
    Attendance,
    AuditEntry,
    ImportBatch,
    Meeting,
    PartyGroup,
    Person,
)
from ledger_app.records import row_to_dict
from ledger_app.services.branch import BranchProfile, BranchSetup, CommitteeSeat, GroupDraft, set_up_branch

GOOD_ROWS = (4, 5, 6, 8, 9, 10, 18, 19, 23)
IGNORED_TABLES = {"audit_entry", "setting", "import_batch"}  # bookkeeping an import and an undo add to


def set_up(today: date = TODAY) -> None:
    """The first-run wizard's branch: committee members with only a name, one 党小组."""
    set_up_branch(BranchSetup(
        profile=BranchProfile("XX社区党支部", "community", "XX街道党工委"),
        term_started_on=date(2024, 3, 1),
        committee=[CommitteeSeat("王建国", "书记"), CommitteeSeat("李秀英", "组织委员")],
        groups=[GroupDraft("第一党小组", "王建国")],
    ), today)


def snapshot(skip: set[str] = frozenset()) -> dict[str, list[dict]]:
    return {model._meta.table_name: [row_to_dict(r) for r in model.select().order_by(model.id)]
            for model in ALL_MODELS if model._meta.table_name not in skip and model._meta.primary_key.name == "id"}


@pytest.fixture
def ugly(tmp_path):
    return build_ugly_roster(tmp_path / "花名册.xlsx")


@pytest.fixture
def branch(ledger):
    set_up()
    return ledger


def previewed(path):
    sheet = ri.read_workbook(path)
    header_row = ri.find_header(sheet)
    mapping = ri.offered_mapping(ri.header_texts(sheet, header_row))
    return ri.preview(sheet, mapping, TODAY, header_row)


def good_only(tmp_path):
    return build_ugly_roster(tmp_path / "good.xlsx", only_rows=set(GOOD_ROWS))


# ---- reading and mapping ---------------------------------------------------------------------


def test_reads_first_visible_sheet_with_merged_group_carried_down(ugly):
    sheet = ri.read_workbook(ugly)
    assert sheet.name == "党员名册"
    assert ri.find_header(sheet) == 2  # Excel row 3, below the title and the note row
    group_column = 10
    assert [sheet.rows[r][group_column] for r in range(3, 8)] == ["第一党小组"] * 5
    assert {(r, group_column) for r in range(4, 8)} == sheet.filled


def test_suggested_mapping_from_aliases_with_stray_spaces(ugly):
    sheet = ri.read_workbook(ugly)
    headers = ri.header_texts(sheet, ri.find_header(sheet))
    assert ri.suggest_mapping(headers) == {
        1: "name", 2: "sex", 3: "ethnicity", 4: "birth_date", 5: "id_number", 6: "education", 7: "joined_on",
        8: "converted_on", 9: "stage", 10: "group", 11: "post", 12: "phone", 13: "native_place", 14: "note"}


@pytest.mark.parametrize("name, message", [
    ("roster.csv", "只能导入 Excel 文件"),
    ("missing.xlsx", "找不到文件"),
])
def test_unreadable_files_are_refused_clearly(tmp_path, name, message):
    with pytest.raises(LedgerError, match=message):
        ri.read_workbook(tmp_path / name)


def test_a_file_that_is_not_excel_is_refused(tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("姓名,性别\n张三,男\n", encoding="utf-8")
    with pytest.raises(LedgerError, match="不是有效的 Excel 文件"):
        ri.read_workbook(fake)


def test_a_password_protected_workbook_is_refused_clearly(tmp_path):
    locked = tmp_path / "locked.xlsx"  # Excel wraps an encrypted .xlsx in an OLE container
    locked.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))
    with pytest.raises(LedgerError, match="设有打开密码"):
        ri.read_workbook(locked)


def test_no_header_row_is_refused(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["名单"])
    book.active.append(["张三", "男"])
    book.save(tmp_path / "x.xlsx")
    with pytest.raises(LedgerError, match="没有找到表头"):
        ri.find_header(ri.read_workbook(tmp_path / "x.xlsx"))


def test_mapping_needs_a_name_column_and_each_field_once():
    with pytest.raises(ValidationError, match="姓名"):
        ri.check_mapping({0: "sex"})
    with pytest.raises(ValidationError, match="第 2 列和第 4 列"):
        ri.check_mapping({0: "name", 1: "birth_date", 3: "birth_date"})


# ---- the preview: exactly which rows are refused, and what the good rows become ----------------


def test_preview_refuses_exactly_the_bad_rows(branch, ugly):
    preview = previewed(ugly)
    refused = {}
    for problem in preview.problems:
        refused.setdefault(problem.row, []).append(problem)
    assert set(refused) == set(REFUSED)
    for row, (field, fragment) in REFUSED.items():
        assert [(p.field, fragment in p.message) for p in refused[row]] == [(field, True)], refused[row]
    assert str(refused[12][0]) == f"第 12 行 身份证号：校验位错误：最后一位应为 {rc.id_rules.check_character(ID['吴磊'][:17])}，请核对号码。"
    assert str(refused[11][0]) == ("第 11 行 身份证号：被 Excel 存成了数字，后几位已丢失；"
                                   "请把该列设为文本后重新填写。")
    assert [row.row for row in preview.note_rows] == list(NOTE_ROWS)
    assert preview.note_rows[0].values["text"].startswith("填表人")
    assert [row.row for row in preview.people] == sorted(set(GOOD_ROWS) | set(REFUSED))  # blank rows 7, 22, 25 skipped
    assert preview.new_groups == ["第二党小组"]
    assert preview.summary() == ("共 19 行：可导入 9 行（新建 8 人，补充 1 人），新建党小组 1 个（第二党小组），有问题 10 行。"
                                 "另有第 26、27 行是说明文字，未作为人员导入。")


def test_preview_writes_nothing(branch, ugly):
    before = snapshot()
    previewed(ugly)
    assert snapshot() == before


NOT_IN_FILE = dict(address="", work_started_on=None)  # roster columns this file does not have
EXPECTED = {  # what each good row becomes: every roster field (None/"" where the file has nothing)
    5: dict(**NOT_IN_FILE, name="王强", sex="male", ethnicity="汉族", birth_date=date(1985, 3, 12), id_number=ID["王强"],
            education="大学专科", joined_on=date(2008, 7, 1), converted_on=date(2009, 7, 1), stage="full",
            group="第一党小组", post="某物业公司 经理", phone="13800138001", native_place="河北保定", note=""),
    6: dict(**NOT_IN_FILE, name="张丽", sex="female", ethnicity="汉族", birth_date=date(1990, 5, 6), id_number=ID["张丽"],
            education="大学本科", joined_on=date(2012, 7, 1), converted_on=date(2013, 7, 1), stage="full",
            group="第一党小组", post="", phone="010-62345678", native_place="", note=""),
    8: dict(**NOT_IN_FILE, name="刘洋", sex="male", ethnicity="汉族", birth_date=date(1990, 5, 7), id_number=ID["刘洋"],
            education="研究生", joined_on=date(2015, 7, 1), converted_on=date(2016, 7, 1), stage="full",
            group="第一党小组", post="", phone="13800138002", native_place="", note=""),
    9: dict(**NOT_IN_FILE, name="陈静", sex="female", ethnicity="回族", birth_date=date(1995, 9, 20), id_number=ID["陈静"],
            education="大学本科", joined_on=date(2025, 11, 1), converted_on=None, stage="probationary",
            group="第二党小组", post="", phone="", native_place="", note=""),
    10: dict(**NOT_IN_FILE, name="赵敏", sex="female", ethnicity="汉族", birth_date=date(1998, 1, 2), id_number=ID["赵敏"],
             education="", joined_on=date(2025, 9, 1), converted_on=None, stage="probationary",
             group="第二党小组", post="", phone="", native_place="", note=""),
    18: dict(**NOT_IN_FILE, name="欧阳明", sex="male", ethnicity="土家族", birth_date=date(1978, 10, 1), id_number=ID["欧阳明"],
             education="大学专科", joined_on=date(2003, 6, 18), converted_on=date(2004, 6, 18), stage="full",
             group="第二党小组", post="", phone="13800138003", native_place="湖北武汉", note=""),
    19: dict(**NOT_IN_FILE, name="郭敏", sex="female", ethnicity="", birth_date=date(1993, 11, 30), id_number=ID["郭敏"],
             education="", joined_on=date(2019, 6, 1), converted_on=date(2020, 6, 1), stage="full",
             group=None, post="", phone="", native_place="", note=""),
    23: dict(**NOT_IN_FILE, name="梁雪", sex="female", ethnicity="汉族", birth_date=date(1992, 3, 15), id_number=ID["梁雪"],
             education="", joined_on=date(2025, 12, 1), converted_on=None, stage="probationary",
             group="第一党小组", post="", phone="", native_place="", note=""),
}
WANG_JIANGUO = dict(**NOT_IN_FILE, name="王建国", sex="male", ethnicity="汉族", birth_date=date(1970, 4, 8), id_number=ID["王建国"],
                    education="大学本科", joined_on=date(1995, 7, 1), converted_on=date(1996, 7, 1), stage="full",
                    group="第一党小组", post="社区居委会 主任", phone="13800138000", native_place="北京市", note="支部书记")


def person_fields(person: Person) -> dict:
    values = {column.field: getattr(person, column.field) for column in rc.COLUMNS if column.field != "group"}
    values["group"] = person.group.name if person.group_id else None
    return values


def test_preview_notes_explain_what_was_assumed(branch, ugly):
    rows = {row.row: row for row in previewed(ugly).rows}
    assert rows[5].notes == ["入党时间只有年月，按当月 1 日记录。", "转正时间只有年月，按当月 1 日记录。"]
    assert "人员类别未填，入党不满一年，按预备党员记录。" in rows[10].notes
    assert rows[23].notes == []  # 1992年3月 and the ID number's 1992-03-15 agree: the ID gives the day
    assert rows[4].action == "update" and rows[4].person_id == Person.get(Person.name == "王建国").id


def test_commit_of_the_good_rows(branch, tmp_path):
    preview = previewed(good_only(tmp_path))
    assert preview.problems == []
    wang = Person.get(Person.name == "王建国")
    result = ri.commit(preview, "good.xlsx")
    assert (result.created, result.updated, result.new_groups) == (8, 1, ["第二党小组"])
    batch = ImportBatch.get_by_id(result.batch_id)
    assert (batch.source, batch.created, batch.updated, batch.undone_at) == ("good.xlsx", 8, 1, None)
    assert [row["name"] for row in json.loads(batch.before)] == ["王建国"]

    created = {p.name: p for p in Person.select().where(Person.import_batch == batch.id)}
    assert set(created) == {values["name"] for values in EXPECTED.values()}
    for values in EXPECTED.values():
        person = created[values["name"]]
        assert person_fields(person) == values
        assert (person.membership_state, person.dues_category, person.is_mobile) == ("active", "in_service", False)
        events = sorted((e.kind, e.occurred_on) for e in person.history)
        expected = [("joined", values["joined_on"])] + ([("converted", values["converted_on"])]
                                                        if values["converted_on"] else [])
        assert events == sorted(expected)
    assert created["欧阳明"].name_initials == "oym"

    wang = Person.get_by_id(wang.id)
    assert person_fields(wang) == WANG_JIANGUO
    assert wang.import_batch_id is None  # filled in, not created
    assert [g.name for g in PartyGroup.select().order_by(PartyGroup.sort_order)] == ["第一党小组", "第二党小组"]

    summary = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert (summary.action, summary.table_name, summary.row_id) == ("bulk", "import_batch", batch.id)
    assert "新建 8 人，补充 1 人" in summary.summary
    updates = AuditEntry.select().where(AuditEntry.table_name == "person", AuditEntry.action == "update",
                                        AuditEntry.row_id == wang.id)
    assert json.loads(updates.order_by(AuditEntry.id.desc()).first().after)["id_number"] == ID["王建国"]


def test_backup_is_taken_before_commit(branch, tmp_path, data_home):
    from ledger_app.backup import default_backup_dir

    ri.commit(previewed(good_only(tmp_path)), "good.xlsx")
    backups = sorted(default_backup_dir(branch.path).glob("*.sqlite3"))
    assert len(backups) == 1
    import sqlite3

    conn = sqlite3.connect(backups[0])
    try:  # the backup holds the ledger as it was: the two committee members only
        assert conn.execute("SELECT count(*) FROM person").fetchone()[0] == 2
    finally:
        conn.close()


def test_all_or_nothing_with_one_bad_row(branch, tmp_path, data_home):
    path = build_ugly_roster(tmp_path / "one-bad.xlsx", only_rows=set(GOOD_ROWS) | {12})
    preview = previewed(path)
    assert [p.row for p in preview.problems] == [12]
    before = snapshot()
    with pytest.raises(ValidationError, match="第 12 行 身份证号"):
        ri.commit(preview, "one-bad.xlsx")
    assert snapshot() == before
    assert not (data_home / "backups").exists()


def test_a_stale_preview_is_refused(branch, tmp_path):
    preview = previewed(good_only(tmp_path))
    from ledger_app.services import settings

    settings.put("something", 1)  # any change to the ledger after the preview
    before = snapshot()
    with pytest.raises(LedgerError, match="重新预览"):
        ri.commit(preview, "good.xlsx")
    assert snapshot() == before


def test_undo_restores_the_exact_previous_state(branch, tmp_path):
    before = snapshot(IGNORED_TABLES)
    result = ri.commit(previewed(good_only(tmp_path)), "good.xlsx")
    assert snapshot(IGNORED_TABLES) != before
    message = ri.undo_last_import()
    assert "删除新建的 8 人，恢复 1 人导入前的信息，删除导入时新建的党小组 第二党小组" in message
    assert snapshot(IGNORED_TABLES) == before
    assert ImportBatch.get_by_id(result.batch_id).undone_at is not None
    with pytest.raises(LedgerError, match="没有可以撤销"):
        ri.undo_last_import()


def test_undo_is_refused_when_an_imported_person_is_used(branch, tmp_path):
    ri.commit(previewed(good_only(tmp_path)), "good.xlsx")
    zhang = Person.get(Person.name == "张丽")
    from ledger_app.services import write

    @write
    def record_meeting():
        meeting = Meeting.create(kind="general_assembly", held_on=date(2026, 6, 20))
        Attendance.create(meeting=meeting, person=zhang, status="present")

    record_meeting()
    before = snapshot()
    with pytest.raises(LedgerError, match="张丽"):
        ri.undo_last_import()
    assert snapshot() == before


def test_undo_is_refused_when_a_filled_in_person_was_edited_since(branch, tmp_path):
    from ledger_app.services import audit, write

    ri.commit(previewed(good_only(tmp_path)), "good.xlsx")
    write(audit.update)(Person.get(Person.name == "王建国"), "改电话", phone="13900139000")
    with pytest.raises(LedgerError, match="王建国 的信息已被修改过"):
        ri.undo_last_import()


def test_reimporting_the_same_file_changes_nothing(branch, tmp_path):
    path = good_only(tmp_path)
    ri.commit(previewed(path), "good.xlsx")
    again = previewed(path)
    assert {row.action for row in again.people} == {"same"}
    assert ri.commit(again, "good.xlsx").batch_id is None


def test_existing_values_are_kept_and_said(branch, tmp_path):
    from ledger_app.services import audit, write

    write(audit.update)(Person.get(Person.name == "王建国"), "电话", phone="13900139000")
    row = next(r for r in previewed(good_only(tmp_path)).rows if r.row == 4)
    assert "phone" not in row.changes
    assert "联系电话：台账中已有“13900139000”，与表中不同，保留台账中的值。" in row.notes


def test_remembered_mapping_is_offered_next_time(branch, tmp_path):
    sheet = ri.read_workbook(good_only(tmp_path))
    header_row = ri.find_header(sheet)
    headers = ri.header_texts(sheet, header_row)
    mapping = ri.offered_mapping(headers)
    mapping[11] = "address"  # the clerk says 工作单位及职务 is really the address here
    del mapping[14]  # and leaves 备注 out
    ri.commit(ri.preview(sheet, mapping, TODAY, header_row), "good.xlsx")
    offered = ri.offered_mapping(headers)
    assert offered[11] == "address" and 14 not in offered
    assert Person.get(Person.name == "王强").address == "某物业公司 经理"


def tiny_roster(path, *rows, header=("姓名", "身份证号", "人员类别", "入党时间")):
    """A plain roster: ``header`` in row 1, then ``rows``."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    book.save(path)
    return path


def test_an_id_number_the_ledger_knows_under_another_name(branch, tmp_path):
    ri.commit(previewed(good_only(tmp_path)), "good.xlsx")
    path = tiny_roster(tmp_path / "t.xlsx", ("马丽", ID["张丽"], "正式党员", "2012.07"))
    [problem] = previewed(path).problems
    assert str(problem) == "第 2 行 身份证号：台账中此身份证号属于“张丽”，与本行姓名“马丽”不符，请核对。"


def test_a_name_shared_by_two_people_without_id_number_is_not_guessed(branch, tmp_path):
    from ledger_app.services import audit, write

    write(audit.create)(Person, "同名", name="李秀英", stage="full")
    path = tiny_roster(tmp_path / "t.xlsx", ("李秀英", ID["张丽"], "正式党员", "2012.07"))
    [problem] = previewed(path).problems
    assert (problem.row, problem.field) == (2, "name")
    assert "台账中有 2 位名叫“李秀英”且没有身份证号的人员" in problem.message


def test_a_new_person_needs_a_category_or_a_joining_date(branch, tmp_path):
    path = tiny_roster(tmp_path / "t.xlsx", ("钱多多", ID["张丽"], None, None), ("李秀英", None, None, None))
    preview = previewed(path)
    assert [(p.row, p.field) for p in preview.problems] == [(2, "stage")]
    assert [row.action for row in preview.people] == ["new", "same"]  # 李秀英 is the committee member


def test_two_imports_undone_newest_first(branch, tmp_path):
    start = snapshot(IGNORED_TABLES)
    ri.commit(previewed(good_only(tmp_path)), "good.xlsx")
    after_first = snapshot(IGNORED_TABLES)
    second = tiny_roster(tmp_path / "second.xlsx", ("郭敏", ID["郭敏"], "汉族", "13800138009"),
                         header=("姓名", "身份证号", "民族", "联系电话"))
    preview = previewed(second)
    assert [(row.action, row.changes) for row in preview.people] == [
        ("update", {"ethnicity": "汉族", "phone": "13800138009"})]
    ri.commit(preview, "second.xlsx")
    assert Person.get(Person.name == "郭敏").phone == "13800138009"
    assert "恢复 1 人导入前的信息" in ri.undo_last_import()
    assert snapshot(IGNORED_TABLES) == after_first
    assert "删除新建的 8 人" in ri.undo_last_import()  # the later import's fill-in was undone: no refusal
    assert snapshot(IGNORED_TABLES) == start


# ---- the command line ------------------------------------------------------------------------------


@pytest.fixture
def on_fixture_day(monkeypatch):
    """The command line judges the file as of the fixture's day (June 2026), not the real today."""
    monkeypatch.setattr(ri, "import_roster_file", functools.partial(ri.import_roster_file, today=TODAY))


def reopen(path):
    from ledger_app.db import open_ledger

    return open_ledger(path)


def test_cli_refuses_a_file_with_problems(branch, ugly, capsys, on_fixture_day):
    branch.close()  # the command line opens the ledger itself
    code = main(["members", "import", str(ugly), "--db", str(branch.path)])
    out, err = capsys.readouterr()
    assert code == 1
    lines = out.splitlines()
    assert [int(line.split()[1]) for line in lines] == sorted(REFUSED)
    assert "第 11 行 身份证号：被 Excel 存成了数字，后几位已丢失；请把该列设为文本后重新填写。" in lines
    assert err.strip() == ("共 19 行：可导入 9 行（新建 8 人，补充 1 人），新建党小组 1 个（第二党小组），有问题 10 行，"
                           "未写入任何数据。另有第 26、27 行是说明文字，未作为人员导入。")
    with reopen(branch.path):
        assert Person.select().count() == 2
        assert not ImportBatch.select().exists()


def test_cli_dry_run_writes_nothing_then_import(branch, tmp_path, capsys, on_fixture_day):
    path = good_only(tmp_path)
    before = snapshot()
    branch.close()
    assert main(["members", "import", str(path), "--dry-run", "--db", str(branch.path)]) == 0
    out = capsys.readouterr().out
    assert out.strip() == ("共 9 行：可导入 9 行（新建 8 人，补充 1 人），新建党小组 1 个（第二党小组），没有发现问题，"
                           "试运行，未写入任何数据。另有第 26、27 行是说明文字，未作为人员导入。")
    with reopen(branch.path):
        assert snapshot() == before
    assert main(["members", "import", str(path), "--db", str(branch.path)]) == 0
    assert "，已全部导入；导入前的台账已备份到" in capsys.readouterr().out
    with reopen(branch.path):
        assert Person.select().count() == 10


def test_cli_unreadable_file(branch, tmp_path, capsys):
    branch.close()
    assert main(["members", "import", str(tmp_path / "nope.xlsx"), "--db", str(branch.path)]) == 2
    assert "找不到文件" in capsys.readouterr().err


# ---- the cell parsers (roster_columns) ---------------------------------------------------------------


@pytest.mark.parametrize("cell, expected", [
    (date(2001, 7, 1), (date(2001, 7, 1), False)),
    (36708.0, (date(2000, 7, 1), False)),  # an Excel serial number
    (2001.07, (date(2001, 7, 1), True)),  # 2001.07 typed into a number cell
    (2001.12, (date(2001, 12, 1), True)),
    (200107, (date(2001, 7, 1), True)),
    (20010715.0, (date(2001, 7, 15), False)),
    ("2001.07", (date(2001, 7, 1), True)),
    ("2001.7", (date(2001, 7, 1), True)),
    ("2001.10", (date(2001, 10, 1), True)),
    ("2001年7月", (date(2001, 7, 1), True)),
    (" 2001 年 7 月 1 日 ", (date(2001, 7, 1), False)),
    ("2001-7-1", (date(2001, 7, 1), False)),
    ("2001/07/01", (date(2001, 7, 1), False)),
    ("２００１．０７", (date(2001, 7, 1), True)),
    ("20010701", (date(2001, 7, 1), False)),
    ("", (None, False)),
    (None, (None, False)),
])
def test_date_spellings(cell, expected):
    assert rc.parse_date(cell) == expected


@pytest.mark.parametrize("cell, fragment", [
    (2001.1, "分不清是 1 月还是 10 月"),
    (2001, "只写了年份"),
    ("2001", "不是可识别的日期"),
    ("2001.13", "月份 13 不对"),
    ("2001-02-30", "没有这一天"),
    ("去年", "不是可识别的日期"),
])
def test_bad_dates_say_what_to_fix(cell, fragment):
    with pytest.raises(rc.CellError, match=fragment):
        rc.parse_date(cell)


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31)),
       st.sampled_from(["{y}-{m}-{d}", "{y}/{m:02d}/{d:02d}", "{y}年{m}月{d}日", "{y}.{m:02d}.{d:02d}", "{y}{m:02d}{d:02d}"]))
def test_every_full_date_spelling_parses_back(day, spelling):
    text = spelling.format(y=day.year, m=day.month, d=day.day)
    assert rc.parse_date(text) == (day, False)
    assert rc.parse_date(text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))) == (day, False)


@pytest.mark.parametrize("cell", [110105197004080015, 1.10105197004080e17, "1.10105E+17", "1.10105e17"])
def test_an_id_number_excel_turned_into_a_number_is_refused(cell):
    with pytest.raises(rc.CellError, match="被 Excel 存成了数字"):
        rc.parse_id_number(cell)


def test_an_id_number_that_lost_its_last_digits_is_refused_not_guessed():
    lost = ID["王建国"][:15] + "000"
    assert rc.id_rules.check_character(lost[:17]) != lost[17]
    with pytest.raises(rc.CellError, match="丢失了后几位"):
        rc.parse_id_number(lost)
    assert rc.parse_id_number(" " + ID["王强"].lower() + " ") == ID["王强"]


@pytest.mark.parametrize("parser, cell, expected", [
    (rc.parse_name, "王  强", "王强"),
    (rc.parse_name, "阿依古丽•买买提", "阿依古丽·买买提"),
    (rc.parse_sex, "女性", "female"),
    (rc.parse_ethnicity, "维吾尔", "维吾尔族"),
    (rc.parse_education, "硕士", "研究生"),
    (rc.parse_education, "研究生(硕士)", "研究生"),
    (rc.parse_stage, "预备", "probationary"),
    (rc.parse_group, " 第一 党小组 ", "第一党小组"),
    (rc.parse_phone, 13800138000.0, "13800138000"),
    (rc.parse_phone, "138 0013 8000", "13800138000"),
    (rc.parse_phone, "0571-87654321", "0571-87654321"),
    (rc.parse_compact, "  河北 保定 ", "河北保定"),
    (rc.parse_text, "社区居委会　 主任", "社区居委会 主任"),
])
def test_cell_parsers(parser, cell, expected):
    assert parser(cell) == expected


@pytest.mark.parametrize("parser, cell", [
    (rc.parse_name, "张三1"), (rc.parse_name, "填表人：张三"), (rc.parse_sex, "M"), (rc.parse_education, "博士后在读"),
    (rc.parse_stage, "党员"), (rc.parse_phone, "8888"), (rc.parse_ethnicity, "汉人"),
])
def test_cell_parsers_refuse(parser, cell):
    with pytest.raises(rc.CellError):
        parser(cell)


def test_cli_undo_import_reverts_the_last_import(tmp_path, capsys):
    """`party-ledger members undo-import` undoes the newest import; a second call says there is none."""
    from ledger_app.cli import main
    from ledger_app.db import open_ledger
    from ledger_app.models import Person
    from ledger_app.roster_export import export_roster_xlsx

    source = tmp_path / "source.sqlite3"
    from ledger_app.demo import generate_demo

    generate_demo(source, members=8, years=1, seed=5, progress=None)
    with open_ledger(source, readonly=True):
        export_roster_xlsx(tmp_path / "roster.xlsx")
    target = tmp_path / "target.sqlite3"
    open_ledger(target).close()
    assert main(["members", "import", str(tmp_path / "roster.xlsx"), "--db", str(target)]) == 0
    with open_ledger(target, readonly=True):
        assert Person.select().count() == 8
    assert main(["members", "undo-import", "--db", str(target)]) == 0
    with open_ledger(target, readonly=True):
        assert Person.select().count() == 0
    assert main(["members", "undo-import", "--db", str(target)]) == 2
    assert "撤销" in capsys.readouterr().err
