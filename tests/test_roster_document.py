"""The printed 党员花名册: ID masking, the context, the PDF (landscape, repeated header, page numbers,
embedded font), the Word file and the command line."""

from datetime import date

import pytest

from ledger_app.cli import main
from ledger_app.db import open_ledger
from ledger_app.documents import MISSING
from ledger_app.documents.roster import make_roster, mask_id, roster_context
from ledger_app.errors import LedgerError
from ledger_app.models import Branch, PartyGroup, Person
from ledger_app.services.members import roster_rows

TODAY = date(2025, 6, 30)


@pytest.mark.parametrize(("given", "masked"), [
    ("110105194912312429", "110105********2429"),
    ("11010519491231242x", "110105********242X"),  # the check character printed upper-case
    (" 110105 19491231 2429 ", "110105********2429"),  # spaces typed in do not shift the mask
    ("110105491231242", "110105*****1242"),  # an old 15-digit number
    ("12345", "*****"),  # too short to keep 6 + 4: all starred
    ("1234567890", "**********"),
    ("", ""),
    (None, ""),
])
def test_mask_keeps_first_six_and_last_four(given, masked):
    assert mask_id(given) == masked


@pytest.fixture(scope="module")
def demo_path(demo_ledgers):
    """A demo ledger of 80 members (enough for several roster pages), made once for this module."""
    return demo_ledgers.original(members=80, years=1, seed=3, today=TODAY)


@pytest.fixture
def demo(demo_path):
    ledger = open_ledger(demo_path, readonly=True)
    yield ledger
    ledger.close()


def pdf_pages(path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(str(path)).pages]


def test_context_counts_and_order(ledger):
    Branch.create(name="测试第一党支部", branch_type="enterprise")
    first = PartyGroup.create(name="一组", sort_order=1)
    Person.create(name="张三", sex="male", stage="full", group=first, id_number="110105194912312429",
                  joined_on=date(2000, 1, 1), converted_on=date(2001, 1, 1))
    Person.create(name="李四", sex="female", stage="probationary", group=first, joined_on=date(2025, 1, 1))
    Person.create(name="王五", stage="full", joined_on=date(1990, 1, 1))  # no sex, no group, no 转正时间
    Person.create(name="申请人", sex="male", stage="applicant")
    context = roster_context(full_id=False, today=TODAY)
    assert context["title"] == "党员花名册" and context["branch_name"] == "测试第一党支部"
    assert context["as_of"] == "2025年6月30日"
    assert context["counts"] == {"total": 3, "full": 2, "probationary": 1, "male": 1, "female": 1, "sex_unknown": 1}
    assert [m["name"] for m in context["members"]] == ["李四", "张三", "王五"]
    assert [m["seq"] for m in context["members"]] == ["1", "2", "3"]
    li, zhang, wang = context["members"]
    assert zhang["id_number"] == "110105********2429"
    assert li["id_number"] == MISSING and li["converted_on"] == ""  # probationary: no 转正时间 yet, not missing
    assert wang["converted_on"] == MISSING and wang["sex"] == MISSING
    assert "合计 3 名党员" in context["summary"] and "性别未填 1 名" in context["summary"]
    assert roster_context(full_id=True, today=TODAY)["members"][1]["id_number"] == "110105194912312429"


def test_pdf_is_landscape_with_header_on_every_page_and_masked_ids(demo, tmp_path):
    from pypdf import PdfReader

    out = make_roster(tmp_path / "roster.pdf", full_id=False, today=TODAY)
    reader = PdfReader(str(out))
    pages = pdf_pages(out)
    assert len(pages) >= 2
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    for number, text in enumerate(pages, 1):
        assert "身份证号" in text and "工作单位及职务" in text  # the header row repeats
        assert f"第 {number} 页" in text and f"共 {len(pages)} 页" in text
    everything = "".join(pages)
    rows = roster_rows()
    assert len(rows) == 80
    for row in rows:
        assert row.name in everything
        assert mask_id(row.id_number) in everything
        assert row.id_number not in everything
    assert "合计 80 名党员" in pages[-1] and "合计" not in pages[0]
    font = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                   if "/DescendantFonts" in f.get_object() else f.get_object().get("/FontDescriptor")
                   for f in font.values()]
    assert any(d is not None and "/FontFile2" in d.get_object() for d in descriptors)  # the CJK font is embedded


def test_pdf_with_full_ids_prints_them_whole(demo, tmp_path):
    out = make_roster(tmp_path / "full.pdf", full_id=True, today=TODAY)
    everything = "".join(pdf_pages(out))
    row = roster_rows()[0]
    assert row.id_number in everything and "完整号码" in everything


def test_word_roster_has_names_masked_ids_and_branch(demo, tmp_path):
    from docx import Document

    from ledger_app.documents.word import document_text
    from ledger_app.services.branch import get_profile

    out = make_roster(tmp_path / "roster.docx", full_id=False, today=TODAY)
    text = document_text(out)
    assert get_profile().name in text and "党员花名册" in text
    for row in roster_rows():
        assert row.name in text and mask_id(row.id_number) in text and row.id_number not in text
    table = Document(str(out)).tables[0]
    assert len(table.rows) == 81  # header + one row per member
    assert table.rows[0]._tr.trPr.xml.count("tblHeader") == 1  # Word repeats the header on each page


def test_empty_roster_still_prints_a_document(ledger, tmp_path):
    from ledger_app.documents.word import document_text

    Branch.create(name="新成立党支部", branch_type="community")
    pdf = make_roster(tmp_path / "empty.pdf", today=TODAY)
    assert "暂无党员" in "".join(pdf_pages(pdf))
    docx = make_roster(tmp_path / "empty.docx", today=TODAY)
    assert "暂无党员" in document_text(docx) and "新成立党支部" in document_text(docx)


def test_unknown_suffix_is_refused_and_nothing_is_left_behind(ledger, tmp_path):
    with pytest.raises(LedgerError, match=r"\.pdf、\.docx 或 \.xlsx"):
        make_roster(tmp_path / "roster.txt")
    assert list(tmp_path.glob("roster*")) == []


def test_cli_writes_the_roster_and_refuses_a_bad_suffix(demo_path, tmp_path, capsys):
    out = tmp_path / "cli.pdf"
    assert main(["doc", "roster", "--out", str(out), "--db", str(demo_path)]) == 0
    assert out.exists() and not list(tmp_path.glob("*.partial"))
    assert main(["doc", "roster", "--out", str(tmp_path / "cli.doc"), "--db", str(demo_path)]) == 2
    assert "不支持的花名册文件类型" in capsys.readouterr().err


def test_cli_xlsx_is_the_excel_export(demo_path, tmp_path):
    pytest.importorskip("ledger_app.roster_export")
    out = tmp_path / "roster.xlsx"
    assert main(["doc", "roster", "--out", str(out), "--db", str(demo_path)]) == 0
    assert out.exists()
