"""The 党员信息卡 PDF: every field, 党龄, the history, and 【待补充】 where the file is empty."""

from datetime import date

import pytest

from ledger_app.cli import main
from ledger_app.documents import MISSING
from ledger_app.documents.member_card import card_context, make_member_card
from ledger_app.errors import LedgerError
from ledger_app.models import Branch, Development, HistoryEvent, PartyGroup, Person

TODAY = date(2025, 6, 30)
ID_NUMBER = "110105194912312429"


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


@pytest.fixture
def member(ledger):
    Branch.create(name="测试第一党支部", branch_type="enterprise")
    group = PartyGroup.create(name="第一党小组")
    person = Person.create(name="张建国", sex="male", ethnicity="汉族", birth_date=date(1949, 12, 31),
                           id_number=ID_NUMBER, education="大学本科", stage="full", group=group,
                           joined_on=date(1985, 7, 1), converted_on=date(1986, 7, 1), phone="13800000000",
                           native_place="")  # 籍贯 left empty on purpose
    Development.create(person=person, applied_on=date(1984, 3, 1), introducers="李明、王芳")
    HistoryEvent.create(person=person, occurred_on=date(1985, 7, 1), kind="joined", description="经支部大会讨论通过")
    HistoryEvent.create(person=person, occurred_on=date(2020, 6, 28), kind="commendation", description="评为优秀共产党员")
    return person


def test_card_prints_fields_standing_history_and_missing_marks(member, tmp_path):
    out = make_member_card(member.id, tmp_path / "card.pdf", today=TODAY)
    text = pdf_text(out)
    assert "党员信息卡" in text and "测试第一党支部" in text
    assert "张建国" in text and ID_NUMBER in text  # the member's own file: the ID in full
    assert "党龄" in text and "38 年" in text  # converted 1986-07-01, printed 2025-06-30: 38 whole years
    assert "评为优秀共产党员" in text and "经支部大会讨论通过" in text
    assert text.index("评为优秀共产党员") < text.index("经支部大会讨论通过")  # newest first
    assert "入党介绍人" in text and "李明、王芳" in text and "1984年3月1日" in text
    assert "培养联系人" not in text  # only development fields on record are listed
    assert MISSING in text  # 籍贯, 学位, address … are empty and say so
    assert not list(tmp_path.glob("*.partial"))


def test_missing_marks_only_where_the_file_is_empty(member):
    context = card_context(member.id, TODAY)
    basic = dict(pair for row in context["basic"] for pair in row)
    assert basic["籍贯"] == MISSING and basic["家庭住址"] == MISSING
    assert basic["姓名"] == "张建国" and basic["出生日期"] == "1949年12月31日"


def test_probationary_member_has_no_standing_yet(ledger):
    person = Person.create(name="李预备", stage="probationary", joined_on=date(2025, 1, 10))
    party = dict(pair for row in card_context(person.id, TODAY)["party"] for pair in row)
    assert party["党龄"] == "预备党员，尚未转正" and party["转正时间"] == "（预备期内）"
    assert party["入党时间"] == "2025年1月10日"


def test_full_member_without_conversion_date_shows_missing_standing(ledger):
    person = Person.create(name="王缺", stage="full", joined_on=date(2000, 1, 1))
    party = dict(pair for row in card_context(person.id, TODAY)["party"] for pair in row)
    assert party["党龄"] == MISSING and party["转正时间"] == MISSING


def test_missing_person_and_wrong_suffix_are_clear_errors(member, tmp_path):
    with pytest.raises(LedgerError, match="找不到编号为 999 的人员"):
        make_member_card(999, tmp_path / "x.pdf")
    with pytest.raises(LedgerError, match="只能生成 PDF"):
        make_member_card(member.id, tmp_path / "x.docx")
    assert list(tmp_path.glob("x*")) == []


def test_cli_card(member, ledger, ledger_path, tmp_path, capsys):
    ledger.close()  # the command opens the ledger itself
    out = tmp_path / "card.pdf"
    assert main(["doc", "card", str(member.id), "--out", str(out), "--db", str(ledger_path)]) == 0
    assert "张建国" in pdf_text(out)
    assert main(["doc", "card", "999", "--out", str(out), "--db", str(ledger_path)]) == 2
    assert "找不到编号为 999 的人员" in capsys.readouterr().err
