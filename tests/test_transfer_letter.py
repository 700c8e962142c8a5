"""The introduction letter of a transfer out: its context, the PDF, the Word file and the command line."""

from datetime import date

import pytest

from ledger_app.documents import MISSING
from ledger_app.documents.transfer_letter import letter_context, make_transfer_letter
from ledger_app.errors import LedgerError, ValidationError
from ledger_app.models import Person, Transfer
from ledger_app.rules.id_number import check_character
from ledger_app.services import audit, write
from ledger_app.services.branch import BranchProfile, save_profile
from ledger_app.services.transfers import (
    TransferInDraft,
    TransferOutDraft,
    register_transfer_in,
    register_transfer_out,
)

TODAY = date(2026, 11, 22)
BRANCH = "测试有限公司第一党支部"
ID_NUMBER = "11010519901121124" + check_character("11010519901121124")  # generated; born 1990-11-21, female


@write
def add_person(**fields) -> int:
    values = {"name": "李红梅", "sex": "female", "ethnicity": "回族", "birth_date": date(1990, 11, 21),
              "id_number": ID_NUMBER, "phone": "13900000000", "stage": "probationary"}
    values.update(fields)
    return audit.create(Person, "新增", **values).id


def set_up(address: str = "北京市某区某路 18 号", **person) -> int:
    save_profile(BranchProfile(BRANCH, "enterprise", "测试有限公司党委", None, address, "010-12345678"), TODAY)
    pid = add_person(**person)
    return register_transfer_out(TransferOutDraft(
        person_id=pid, to_org="中共某市某区委组织部", transferred_on=date(2026, 11, 20), valid_days=45,
        dues_paid_until=date(2026, 11, 1)), TODAY)


def test_context_fills_every_field_of_the_form(ledger):
    c = letter_context(set_up(), TODAY)
    assert c["branch_name"] == BRANCH and c["from_org"] == BRANCH and c["to_org"] == "中共某市某区委组织部"
    assert (c["name"], c["sex"], c["ethnicity"], c["category"]) == ("李红梅", "女", "回族", "预备")
    assert c["age"] == "35"  # on the letter's date, the day before the 36th birthday
    assert c["id_number"] == ID_NUMBER  # in full: the receiving organisation needs it
    assert c["dues_paid_until"] == "贰零贰陆年壹拾壹月" and c["valid_days"] == "肆拾伍"
    assert c["date"] == "2026年11月20日" and c["letter_number"] == "2026-001"
    assert (c["phone"], c["branch_address"], c["branch_phone"]) == ("13900000000", "北京市某区某路 18 号", "010-12345678")
    assert MISSING not in c.values()


def test_context_marks_gaps_and_uses_the_id_number(ledger):
    tid = set_up(address="", ethnicity="", phone="", birth_date=None, sex=None, stage="full")
    c = letter_context(tid, TODAY)
    assert c["branch_address"] == MISSING and c["ethnicity"] == MISSING and c["phone"] == MISSING
    assert c["age"] == "35" and c["sex"] == "女" and c["category"] == "正式"  # birth date and sex from the ID number
    assert c["branch_phone"] == "010-12345678"


def test_no_letter_for_a_transfer_in_or_an_unknown_id(ledger):
    pid = register_transfer_in(TransferInDraft(name="赵六", from_org="别的支部", transferred_on=TODAY), TODAY)
    tid = Person.get_by_id(pid).transfers.get().id
    with pytest.raises(ValidationError, match="转入"):
        letter_context(tid, TODAY)
    with pytest.raises(ValidationError, match="99"):
        letter_context(99, TODAY)


def pdf_text(path) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return len(reader.pages), "".join(page.extract_text() for page in reader.pages)


def test_pdf_holds_the_three_parts_on_one_page(ledger, tmp_path):
    out = make_transfer_letter(set_up(), tmp_path / "letter.pdf")
    pages, text = pdf_text(out)
    assert pages == 1
    for needed in ("存根", "回执", "中国共产党党员组织关系介绍信", "李红梅", ID_NUMBER, "贰零贰陆年壹拾壹月", "肆拾伍",
                   "请转接组织关系", "特此回执", "2026-001", "中共某市某区委组织部"):
        assert needed in text
    assert MISSING not in text
    assert not list(tmp_path.glob("*.partial"))


def test_pdf_marks_a_missing_branch_address(ledger, tmp_path):
    out = make_transfer_letter(set_up(address=""), tmp_path / "letter.pdf")
    pages, text = pdf_text(out)
    assert pages == 1
    assert f"通讯地址：{MISSING}" in text


def test_long_names_still_fit_one_sheet(ledger, tmp_path):
    long_org = "中共某某省某某市某某区某某街道某某社区某某有限责任公司某某分公司第三党支部委员会"
    tid = set_up(address="某某省某某市某某区某某街道某某路某某号某某大厦某某层某某室" * 2)
    Transfer.update(to_org=long_org, from_org=long_org).where(Transfer.id == tid).execute()
    pages, text = pdf_text(make_transfer_letter(tid, tmp_path / "long.pdf"))
    assert pages == 1 and "回执" in text


def test_word_letter(ledger, tmp_path):
    from ledger_app.documents.word import document_text

    out = make_transfer_letter(set_up(), tmp_path / "letter.docx")
    text = document_text(out)
    for needed in (BRANCH, "李红梅", ID_NUMBER, "贰零贰陆年壹拾壹月", "有效期肆拾伍天", "存根", "回执", "2026年11月20日",
                   "李红梅同志（女，35岁，回族），系中共预备党员"):
        assert needed in text
    assert MISSING not in text and "{{" not in text


def test_word_letter_marks_gaps(ledger, tmp_path):
    from ledger_app.documents.word import document_text

    text = document_text(make_transfer_letter(set_up(address=""), tmp_path / "letter.docx"))
    assert f"通讯地址：{MISSING}" in text


def test_other_suffix_refused(ledger, tmp_path):
    tid = set_up()
    with pytest.raises(LedgerError, match=r"\.pdf 或 \.docx"):
        make_transfer_letter(tid, tmp_path / "letter.txt")
    assert not (tmp_path / "letter.txt").exists()


def test_command_line(ledger_path, tmp_path, capsys):
    from ledger_app.cli import main
    from ledger_app.db import open_ledger

    with open_ledger(ledger_path):
        tid = set_up()
    out = tmp_path / "out" / "介绍信.pdf"
    assert main(["doc", "letter", str(tid), "--out", str(out), "--db", str(ledger_path)]) == 0
    assert out.exists() and "李红梅" in pdf_text(out)[1]
    assert str(out) in capsys.readouterr().out

    docx = tmp_path / "介绍信.docx"
    assert main(["doc", "letter", str(tid), "--out", str(docx), "--db", str(ledger_path)]) == 0
    assert docx.exists()

    missing = tmp_path / "none.pdf"
    assert main(["doc", "letter", "77", "--out", str(missing), "--db", str(ledger_path)]) == 2
    assert "找不到编号为 77 的组织关系转接记录" in capsys.readouterr().err
    assert not missing.exists()
