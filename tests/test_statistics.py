"""Year-end statistics: the counting rules alone, then every table on a small hand-built ledger with
known answers, the command line's JSON, Excel and PDF."""

import json
import subprocess
from datetime import date

import pytest
from fixtures.year_ledger import BRANCH, LATER, YEAR, build_year_ledger

from ledger_app.cli import main
from ledger_app.errors import ValidationError
from ledger_app.models import Person
from ledger_app.rules import statistics as rules
from ledger_app.rules.meetings import MemberFacts
from ledger_app.services import statistics as svc


def facts(**kw) -> MemberFacts:
    values = {"person_id": 1, "name": "甲", "stage": "full", "joined_on": date(2000, 1, 1)}
    values.update(kw)
    return MemberFacts(**values)


# ---- the rules --------------------------------------------------------------------------------------------


def test_age_bands_on_31_december():
    end = date(2025, 12, 31)
    assert rules.age_band(date(1994, 12, 31), end) == "31至35岁"  # turns 31 on 31 December
    assert rules.age_band(date(1995, 1, 1), end) == "30岁及以下"
    assert rules.age_band(date(1989, 12, 31), end) == "36至40岁"  # turns 36 that day
    assert rules.age_band(date(1964, 12, 31), end) == "61岁及以上"
    assert rules.age_band(date(1965, 1, 1), end) == "56至60岁"
    assert rules.age_band(None, end) == rules.UNKNOWN


def test_joined_bands_edges():
    assert rules.joined_band(date(1949, 9, 30)) == "1949年10月以前"
    assert rules.joined_band(date(1949, 10, 1)) == "1949年10月至1978年12月"
    assert rules.joined_band(date(1978, 12, 1)) == "1949年10月至1978年12月"
    assert rules.joined_band(date(1979, 1, 1)) == "1979年1月至2012年10月"
    assert rules.joined_band(date(2012, 10, 31)) == "1979年1月至2012年10月"
    assert rules.joined_band(date(2012, 11, 1)) == "2012年11月以后"
    assert rules.joined_band(None) == rules.UNKNOWN


def test_on_roll_at_the_end_of_the_year():
    end = date(2025, 12, 31)
    assert rules.on_roll_at_end(facts(joined_on=end), end)  # accepted on 31 December
    assert not rules.on_roll_at_end(facts(left_on=end), end)  # died on 31 December
    assert rules.on_roll_at_end(facts(left_on=date(2026, 1, 1)), end)  # left the next morning
    assert rules.on_roll_at_end(facts(transfers=((end, "in"),)), end)
    assert not rules.on_roll_at_end(facts(transfers=((end, "out"),)), end)
    assert rules.on_roll_at_end(facts(transfers=((date(2026, 1, 1), "out"),)), end)
    assert not rules.on_roll_at_end(facts(transfers=((date(2026, 2, 1), "in"),)), end)  # arrived later
    assert rules.on_roll_at_end(facts(transfers=((date(2025, 3, 1), "out"), (date(2025, 9, 1), "in"))), end)
    assert not rules.on_roll_at_end(facts(stage="target"), end)


def test_new_members_are_those_this_branch_accepted():
    assert rules.developed_in(facts(joined_on=date(2025, 6, 1)), 2025)
    assert not rules.developed_in(facts(joined_on=date(2025, 6, 1), transfers=((date(2025, 8, 1), "in"),)), 2025)
    here_then_away = facts(joined_on=date(2025, 6, 1), transfers=((date(2025, 7, 1), "out"), (date(2025, 9, 1), "in")))
    assert rules.developed_in(here_then_away, 2025)
    assert not rules.developed_in(facts(joined_on=date(2024, 6, 1)), 2025)


def test_education_and_ethnicity_groups():
    assert rules.college_or_above("大学专科") and not rules.college_or_above("中专")
    assert rules.education_group("") == rules.UNKNOWN and rules.education_group("研究生") == "研究生"
    assert rules.ethnicity_group("回族") == "少数民族" and rules.ethnicity_group("汉族") == "汉族"
    assert rules.ethnicity_group(" ") == rules.UNKNOWN


@pytest.mark.parametrize(("occupation", "post", "dues", "expected"), [
    ("离退休人员", "", "retired", "retired"),
    ("工人", "快递员", "in_service", "worker"),
    ("其他职业人员", "社区工作者", "in_service", "other"),
    ("", "四级主任科员", "in_service", "official"),
    ("", "部门经理", "in_service", "manager"),
    ("", "高级教师", "in_service", "professional"),
    ("", "", "student", "student"),
    ("", "", "in_service", None),
])
def test_occupation_suggestion(occupation, post, dues, expected):
    assert rules.suggest_occupation(occupation, post, dues) == expected


# ---- a hand-built ledger (tests/fixtures/year_ledger.py) ------------------------------------------------


@pytest.fixture
def hand_ledger(ledger):
    return build_year_ledger()


def figures(table) -> dict[str, int]:
    return {row[0].text: row[1].value for row in table.rows}


def test_every_table_on_the_hand_built_ledger(hand_ledger):
    ids = hand_ledger
    stats = svc.year_statistics(YEAR, LATER)
    assert stats.branch_name == BRANCH and stats.as_of == date(2025, 12, 31)
    roster = {ids[k] for k in ("turns31", "joined1978", "new", "away_and_back", "converted", "joined_31dec",
                               "arrived_31dec")}
    overview = stats.table("overview")
    assert set(overview.cell("党员总数").ids) == roster and overview.value("党员总数") == 7
    assert overview.value("预备党员") == 2 and overview.value("正式党员") == 5
    assert set(overview.cell("预备党员").ids) == {ids["new"], ids["joined_31dec"]}
    assert figures(stats.table("sex")) == {"男": 4, "女": 3, "未填写": 0}  # 子十一 is a woman by her ID number
    assert set(stats.table("ethnicity").cell("少数民族").ids) == {ids["joined1978"]}
    education = figures(stats.table("education"))
    assert education["其中大专及以上"] == 5 and education["高中"] == 1 and education["研究生"] == 1
    age = stats.table("age")
    assert ids["turns31"] in age.cell("31至35岁").ids
    assert age.cell("30岁及以下").ids == (ids["new"],)
    assert age.cell("61岁及以上").ids == (ids["joined1978"],)
    assert age.cell(rules.UNKNOWN).ids == (ids["joined_31dec"],)
    joined = stats.table("joined")
    assert joined.cell("1949年10月至1978年12月").ids == (ids["joined1978"],)
    assert set(joined.cell("2012年11月以后").ids) == {ids["new"], ids["converted"], ids["joined_31dec"],
                                                    ids["arrived_31dec"]}
    occupation = stats.table("occupation")
    assert occupation.cell("专业技术人员").ids == (ids["turns31"],)
    assert occupation.value(svc.UNCONFIRMED) == 5  # never guessed into a category


def test_changes_in_the_year(hand_ledger):
    ids = hand_ledger
    changes = svc.year_statistics(YEAR, LATER).table("changes")
    assert set(changes.cell("发展党员（接收预备党员）").ids) == {ids["new"], ids["joined_31dec"]}
    assert changes.cell("预备党员转正").ids == (ids["converted"],)
    # Out and back in the same year: in both flows, once in the roster (above).
    assert changes.cell("组织关系转出").ids == (ids["away_and_back"],)
    assert set(changes.cell("组织关系转入").ids) == {ids["away_and_back"], ids["arrived_31dec"]}
    assert set(changes.cell("去世").ids) == {ids["died"], ids["died_31dec"]}
    assert changes.cell("停止党籍").ids == (ids["suspended"],)
    assert changes.value("出党") == 0 and changes.value("取消预备党员资格") == 0


def test_appraisal_meetings_and_dues(hand_ledger):
    ids = hand_ledger
    stats = svc.year_statistics(YEAR, LATER)
    appraisal = stats.table("appraisal")
    assert figures(appraisal)["参加评议并评定等次"] == 4
    assert appraisal.cell("优秀").ids == (ids["turns31"],) and appraisal.value("合格") == 2
    assert set(appraisal.cell("未评定（年末在册）").ids) == {ids["new"], ids["joined_31dec"], ids["arrived_31dec"]}
    meetings = stats.table("meetings")
    assembly = meetings.row("支部党员大会")
    assert [c.text for c in assembly[:5]] == ["支部党员大会", "每季度", "4", "2", "2"]
    assert len(assembly[4].ids) == 2 and assembly[4].kind == "meeting"
    assert assembly[6].text == "第二季度、第四季度"
    dues = stats.table("dues")
    assert set(dues.cell("交纳党费人数").ids) == {ids["turns31"], ids["joined1978"]}
    assert dues.cell("按标准交纳（元）").value == 2 * 3 * 5000  # 5000 yuan → 1 % → 50.00 a month
    assert dues.cell("合计（元）").text == "300.00"


def test_people_behind_a_cell(hand_ledger):
    ids = hand_ledger
    cell = svc.year_statistics(YEAR, LATER).table("age").cell("31至35岁")
    lines = svc.people_counted(cell.ids)
    assert {p.name for p in lines} == {"甲一", "子十一"}  # 子十一 was born in February 1990
    first = next(p for p in lines if p.id == ids["turns31"])
    assert (first.group, first.sex, first.stage) == ("第一党小组", "男", "正式党员")
    assert svc.people_counted([]) == []


def test_a_bad_year_is_refused(ledger):
    with pytest.raises(ValidationError, match="年份"):
        svc.year_statistics(12)


def test_confirming_occupations(hand_ledger):
    ids = hand_ledger
    pending = {s.person_id: s for s in svc.unconfirmed_occupations()}
    assert pending[ids["joined1978"]].suggested == "retired"
    assert ids["turns31"] not in pending and ids["died"] not in pending
    with pytest.raises(ValidationError, match="职业类别"):
        svc.set_occupation_categories({ids["joined1978"]: "astronaut"})
    assert Person.get_by_id(ids["joined1978"]).occupation_category is None
    assert svc.set_occupation_categories({ids["joined1978"]: "retired", ids["turns31"]: "professional"}) == 1
    stats = svc.year_statistics(YEAR, LATER)
    assert stats.table("occupation").cell("离退休人员").ids == (ids["joined1978"],)


# ---- the command line ----------------------------------------------------------------------------------


def test_stats_json(hand_ledger, ledger_path, capsys):
    ids = hand_ledger
    assert main(["stats", str(YEAR), "--json", "--db", str(ledger_path), "--today", LATER.isoformat()]) == 0
    data = json.loads(capsys.readouterr().out)
    tables = {t["key"]: t for t in data["tables"]}
    assert data["year"] == YEAR and data["branch"] == BRANCH
    first = tables["overview"]["rows"][0]
    assert first[0]["text"] == "党员总数" and first[1]["value"] == 7 and len(first[1]["person_ids"]) == 7
    age = {row[0]["text"]: row[1] for row in tables["age"]["rows"]}
    assert age["31至35岁"]["person_ids"] == sorted([ids["turns31"], ids["arrived_31dec"]])


def test_stats_text(hand_ledger, ledger_path, capsys):
    assert main(["stats", str(YEAR), "--db", str(ledger_path), "--today", LATER.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "党员基本情况" in out and "党员总数：7" in out


def test_stats_excel(hand_ledger, ledger_path, tmp_path, capsys):
    from openpyxl import load_workbook

    out = tmp_path / "统计.xlsx"
    assert main(["stats", str(YEAR), "--db", str(ledger_path), "--out", str(out)]) == 0
    book = load_workbook(out)
    stats = svc.year_statistics(YEAR)
    assert len(book.sheetnames) == len(stats.tables)
    sheet = book[book.sheetnames[0]]
    assert BRANCH in sheet["A1"].value
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["党员总数", 7, "100.0%"] in values
    age = book["年龄（截至12月31日）"]
    assert ["31至35岁", 2, "28.6%"] in [[c.value for c in row] for row in age.iter_rows()]


def test_stats_pdf(hand_ledger, ledger_path, tmp_path):
    out = tmp_path / "统计.pdf"
    assert main(["stats", str(YEAR), "--db", str(ledger_path), "--out", str(out)]) == 0
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for needed in (BRANCH, "2025年度党内统计", "党员基本情况", "31至35岁", "1949年10月至1978年12月", "民主评议",
                   "支部党员大会", "党费"):
        assert needed in text
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "yes" in fonts  # the CJK font is embedded


def test_stats_bad_suffix(hand_ledger, ledger_path, tmp_path, capsys):
    assert main(["stats", str(YEAR), "--db", str(ledger_path), "--out", str(tmp_path / "x.txt")]) == 2
    assert ".xlsx" in capsys.readouterr().err


def test_meetings_total_row(hand_ledger):
    table = svc.year_statistics(YEAR, LATER).table("meetings")
    total = table.row(svc.TOTAL)
    body = [row for row in table.rows if row[0].text != svc.TOTAL]
    assert total[2].value == sum(row[2].value for row in body)
    assert total[4].value == 2 and set(total[4].ids) == set(table.cell("支部党员大会", 4).ids)


def test_stats_word(hand_ledger, ledger_path, tmp_path):
    from ledger_app.documents.word import document_text

    out = tmp_path / "统计.docx"
    assert main(["stats", str(YEAR), "--db", str(ledger_path), "--out", str(out)]) == 0
    text = document_text(out)
    for needed in (BRANCH, "2025年度党内统计表", "党员基本情况", "31至35岁", "2025年党员变动情况", "合计"):
        assert needed in text


def test_the_archive_holds_the_statistics_and_the_summary(hand_ledger, tmp_path):
    from ledger_app.archive import ArchiveYear, sections
    from ledger_app.documents.word import document_text

    info = ArchiveYear(YEAR, LATER, BRANCH)
    by_title = {s.title: s for s in sections()}
    for title, needed in (("党内统计", "党员基本情况"), ("年度工作总结", "一、主要工作和成效")):
        documents = list(by_title[title].documents(info))
        assert len(documents) == 1
        for suffix in (".docx", ".pdf"):
            out = tmp_path / f"{title}{suffix}"
            documents[0].write(out)
            assert out.stat().st_size > 0
        assert needed in document_text(tmp_path / f"{title}.docx")
        assert "待接入" not in document_text(tmp_path / f"{title}.docx")
