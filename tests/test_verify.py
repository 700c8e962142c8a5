"""``party-ledger verify``: a clean ledger passes; each kind of bad record is found and named."""

import shutil
import sqlite3
from datetime import date, timedelta

import pytest

from ledger_app.cli import main
from ledger_app.models import (
    Attendance,
    Branch,
    Development,
    DuesBase,
    DuesPayment,
    DuesRelief,
    Meeting,
    PartyGroup,
    Person,
)
from ledger_app.rules.id_number import check_character
from ledger_app.verify import Finding, verify_ledger

TODAY = date.today()  # the command line checks against the real today


def make_id(birth: date, sequence: int) -> str:
    first17 = f"110105{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def add_member(name: str, birth: date, sequence: int, **values) -> Person:
    """A full member whose dates are in order: applied at 20, joined at 23, converted at 24."""
    development = {key: values.pop(key) for key in list(values) if key in Development._meta.fields}
    person = Person.create(**{
        "name": name, "sex": "male" if sequence % 2 else "female", "birth_date": birth,
        "id_number": make_id(birth, sequence), "stage": "full",
        "joined_on": date(birth.year + 23, 7, 1), "converted_on": date(birth.year + 24, 7, 1), **values,
    })
    Development.create(person=person, **{
        "applied_on": date(birth.year + 20, 3, 1), "talked_on": date(birth.year + 20, 3, 20),
        "activist_on": date(birth.year + 20, 9, 1), "target_on": date(birth.year + 22, 3, 1),
        "approved_on": date(birth.year + 23, 8, 1), **development,
    })
    return person


@pytest.fixture
def clean(ledger):
    """A small ledger in order: a branch, a group, three members, a group meeting, dues."""
    with ledger.db.atomic():
        Branch.create(name="测试第一党支部", branch_type="enterprise", founded_on=date(2000, 1, 1))
        group = PartyGroup.create(name="第一党小组")
        people = [add_member("测试甲", date(1970, 1, 2), 11, group=group),
                  add_member("测试乙", date(1985, 6, 30), 22, group=group),
                  add_member("测试丙", date(1992, 2, 29), 33)]
        meeting = Meeting.create(kind="group", held_on=date(2023, 3, 5), group=group, title="三月党小组会")
        for person in people:
            Attendance.create(meeting=meeting, person=person, status="present")
            DuesBase.create(person=person, year=2023, base_fen=500_000, category="in_service")
            DuesPayment.create(person=person, year=2023, month=3, amount_fen=5_000, paid_on=date(2023, 3, 5))
        DuesRelief.create(person=people[2], year=2023, start_month=4, end_month=6, kind="exempt",
                          branch_approved_on=date(2023, 3, 1), upper_approved_on=date(2023, 3, 10))
    return ledger


def found(findings: list[Finding], where: str, field: str) -> Finding:
    matches = [f for f in findings if f.where == where and f.field == field]
    assert matches, f"no finding for {where} / {field} in {[str(f) for f in findings]}"
    return matches[0]


def test_a_clean_ledger_has_no_findings(clean):
    assert verify_ledger() == []


def test_the_command_line_passes_a_clean_ledger(clean, ledger_path, capsys):
    clean.close()
    assert main(["verify", "--db", str(ledger_path)]) == 0
    assert "检查通过" in capsys.readouterr().out


def test_a_finding_reads_as_one_line():
    finding = Finding("人员 #12 测试甲", "birth_date", "出生日期 1990-01-01 与身份证号中的 1990-01-02 不一致。")
    assert str(finding) == "人员 #12 测试甲：出生日期 1990-01-01 与身份证号中的 1990-01-02 不一致。"


@pytest.fixture
def seeded(clean, ledger_path):
    """The clean ledger plus one bad record of each kind; returns the ids of the people."""
    future = TODAY + timedelta(days=30)
    with clean.db.atomic():
        wrong_check = add_member("错校验", date(1980, 1, 1), 41)
        Person.update(id_number=wrong_check.id_number[:17] + ("0" if wrong_check.id_number[17] != "0" else "1")
                      ).where(Person.id == wrong_check.id).execute()
        mismatch = add_member("生日错", date(1981, 5, 5), 43)
        Person.update(birth_date=date(1981, 5, 6)).where(Person.id == mismatch.id).execute()
        young = add_member("未成年", date(1990, 8, 1), 45, applied_on=date(2008, 7, 31),
                           talked_on=date(2008, 8, 15), activist_on=date(2009, 1, 1))
        early = add_member("早转正", date(1975, 4, 4), 47, converted_on=date(1998, 6, 30))
        ahead = add_member("未来日", date(1988, 9, 9), 49, joined_on=future, converted_on=None, approved_on=None)
        enum = add_member("类别错", date(1979, 12, 12), 51)
        number = enum.id_number  # the same number again, written with spaces
        twin = Person.create(name="重复号", stage="applicant", id_number=f"{number[:6]} {number[6:14]} {number[14:]}")
        Meeting.create(kind="group", held_on=date(2023, 4, 2), title="没有小组的党小组会")
        DuesPayment.create(person=enum, year=2023, month=13, amount_fen=-100, paid_on=date(2023, 3, 5))
    clean.db.execute_sql("UPDATE person SET stage = 'member' WHERE id = ?", (enum.id,))
    clean.db.execute_sql("UPDATE person SET work_started_on = '2001-02-30' WHERE id = ?", (enum.id,))

    # A dangling reference, written the way a careless tool would: foreign keys off, own connection.
    conn = sqlite3.connect(ledger_path)
    conn.execute("PRAGMA foreign_keys = OFF")
    meeting_id = conn.execute("SELECT min(id) FROM meeting").fetchone()[0]
    cursor = conn.execute("INSERT INTO attendance (meeting_id, person_id, status, reason_note) VALUES (?, 9999, 'present', '')",
                          (meeting_id,))
    attendance_id = cursor.lastrowid
    conn.commit()
    conn.close()
    return {"wrong_check": wrong_check.id, "mismatch": mismatch.id, "young": young.id, "early": early.id,
            "ahead": ahead.id, "enum": enum.id, "twin": twin.id, "attendance": attendance_id}


def test_each_bad_record_is_found_with_its_person_and_field(seeded):
    findings = verify_ledger()
    assert "校验位错误" in found(findings, f"人员 #{seeded['wrong_check']} 错校验", "id_number").message
    message = found(findings, f"人员 #{seeded['mismatch']} 生日错", "birth_date").message
    assert "1981-05-06" in message and "1981-05-05" in message
    assert "未满 18 周岁" in found(findings, f"人员 #{seeded['young']} 未成年", "applied_on").message
    assert "早于入党时间 1998-07-01" in found(findings, f"人员 #{seeded['early']} 早转正", "converted_on").message
    assert "晚于今天" in found(findings, f"人员 #{seeded['ahead']} 未来日", "joined_on").message
    assert "“member”无效" in found(findings, f"人员 #{seeded['enum']} 类别错", "stage").message
    assert "2001-02-30" in found(findings, f"人员 #{seeded['enum']} 类别错", "work_started_on").message
    assert f"人员 #{seeded['enum']} 类别错" in found(findings, f"人员 #{seeded['twin']} 重复号", "id_number").message
    assert "#9999 不存在" in found(findings, f"出勤记录 #{seeded['attendance']}", "person_id").message
    wheres = {(f.where.split(" #")[0], f.field) for f in findings}
    assert {("党费缴纳记录", "month"), ("党费缴纳记录", "amount_fen"), ("会议", "group_id")} <= wheres


def test_nothing_else_is_reported(seeded):
    """Each seeded fault gives its own findings and no others: the clean records stay clean."""
    names = {"测试甲", "测试乙", "测试丙"}
    assert not [f for f in verify_ledger() if any(name in f.where for name in names)]


def test_the_command_line_prints_each_finding_and_exits_1(seeded, clean, ledger_path, capsys):
    expected = [str(f) for f in verify_ledger()]
    clean.close()
    assert main(["verify", "--db", str(ledger_path)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == expected
    assert f"共发现 {len(expected)} 个问题" in captured.err


def test_a_missing_branch_profile_is_reported(ledger):
    assert verify_ledger() == [Finding("支部信息", "name", "还没有填写支部基本信息，请在“支部设置”中填写支部名称和类型。")]


def test_a_relief_period_must_be_in_order(clean):
    clean.db.execute_sql("UPDATE dues_relief SET start_month = 9")
    (finding,) = verify_ledger()
    assert finding.field == "end_month" and finding.where.endswith("（测试丙）")


def test_a_damaged_file_exits_non_zero_with_a_clear_message(ledger, ledger_path, tmp_path, capsys):
    with ledger.db.atomic():
        Branch.create(name="测试支部", branch_type="other")
        for number in range(1500):
            Person.create(name=f"测试{number}", stage="applicant", note="备注" * 200)
    ledger.close()
    damaged = tmp_path / "damaged.sqlite3"
    shutil.copyfile(ledger_path, damaged)
    size = damaged.stat().st_size
    assert size > 100 * 4096
    with open(damaged, "r+b") as handle:
        handle.seek(size // 2)
        handle.write(b"\xa5" * 8192)

    code = main(["verify", "--db", str(damaged)])
    captured = capsys.readouterr()
    assert code != 0
    assert "Traceback" not in captured.out + captured.err
    assert "损坏" in captured.out + captured.err


def test_integrity_check_failures_are_listed_and_the_rules_skipped(clean, ledger_path, capsys):
    """An index out of step with its table (made here by rewriting the index's definition)."""
    clean.close()
    conn = sqlite3.connect(ledger_path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("""UPDATE sqlite_master SET sql = 'CREATE INDEX "person_name" ON "person" ("note")'
                    WHERE name = 'person_name'""")
    conn.commit()
    conn.close()

    assert main(["verify", "--db", str(ledger_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "台账文件：完整性检查未通过：row 1 missing from index person_name" in lines
    assert lines[-1].startswith("台账文件：文件已损坏，未再检查各条记录")
