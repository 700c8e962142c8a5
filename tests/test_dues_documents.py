"""The dues documents: the monthly collection form, the annual register and the public posting as PDF
(landscape where wide, header on every page, page numbers), Word and Excel (exact numbers, 0.00)."""

from datetime import date
from decimal import Decimal

import pytest

from ledger_app.cli import main
from ledger_app.db import open_ledger
from ledger_app.documents import dues as documents
from ledger_app.documents.word import document_text
from ledger_app.errors import LedgerError, ValidationError
from ledger_app.models import Branch, DuesPayment, PartyGroup, Person, database
from ledger_app.services import dues

TODAY = date(2026, 3, 20)


@pytest.fixture(scope="module")
def demo_path(demo_ledgers):
    """A demo ledger of 80 members over two years (several pages of register), made once."""
    return demo_ledgers.original(members=80, years=2, seed=3, today=TODAY)


@pytest.fixture
def demo(demo_path):
    ledger = open_ledger(demo_path, readonly=True)
    yield ledger
    ledger.close()


@pytest.fixture
def small(ledger):
    """Two members: 张三 paid February with a voluntary extra, 李四 did not pay."""
    Branch.create(name="测试第一党支部", branch_type="enterprise")
    group = PartyGroup.create(name="第一党小组", sort_order=1)
    zhang = Person.create(name="张三", stage="full", group=group, joined_on=date(2000, 1, 1),
                          id_number="110105194912312429")
    li = Person.create(name="李四", stage="full", group=group, joined_on=date(2000, 1, 1))
    dues.set_base(zhang.id, 2026, 510000, "in_service")
    dues.set_base(li.id, 2026, 490000, "in_service")
    dues.mark_paid([zhang.id], 2026, [1, 2], date(2026, 2, 10), "cash", today=TODAY)
    dues.mark_paid([li.id], 2026, [1], date(2026, 1, 12), "transfer", today=TODAY)
    dues.record_voluntary(zhang.id, 2026, 2, 10000)
    return ledger


def pdf_pages(path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(str(path)).pages]


def pdf_size(path) -> tuple[float, float]:
    from pypdf import PdfReader

    box = PdfReader(str(path)).pages[0].mediabox
    return float(box.width), float(box.height)


# ---- contexts ------------------------------------------------------------------------------------------

def test_month_form_context(small):
    context = documents.month_form_context((2026, 2), today=TODAY)
    assert context["branch_name"] == "测试第一党支部" and context["period"] == "2026年2月"
    li, zhang = context["rows"]  # roster order: pinyin initials
    assert (zhang["name"], zhang["base"], zhang["due"], zhang["paid"], zhang["extra"]) == \
        ("张三", "5100.00", "76.50", "76.50", "100.00")
    assert zhang["receipt"] == "DF2026-00002" and zhang["paid_on"] == "2026.02.10" and zhang["method"] == "现金"
    assert (li["paid"], li["due"], li["receipt"]) == ("未交", "49.00", "")
    assert context["totals"]["paid"] == "76.50" and context["totals"]["extra"] == "100.00"
    assert context["total_fen"] == 7650 + 10000
    assert "已交 1 人，未交 1 人" in context["summary"]


def test_register_context(small):
    context = documents.register_context(2026, today=TODAY)
    li, zhang = context["rows"]
    assert [zhang[f"m{m}"] for m in (1, 2, 3, 4)] == ["76.50", "76.50", "未交", ""]
    assert li["m1"] == "49.00" and li["m2"] == "未交" and li["paid"] == "49.00"
    assert zhang["_fen"]["paid"] == 15300 and zhang["_fen"]["extra"] == 10000
    assert context["totals"]["m1"] == "125.50" and context["totals"]["paid"] == "202.00"


def test_posting_shows_names_and_amounts_only(small):
    for period in ("2026-02", "2026"):
        context = documents.posting_context(period, today=TODAY)
        text = repr(context)
        assert "110105" not in text and "5100.00" not in text  # no ID number, no base (income)
        assert [r["name"] for r in context["rows"]] == ["李四", "张三"]
    month = documents.posting_context("2026-02", today=TODAY)
    assert [r["state"] for r in month["rows"]] == ["未交", "已交"]
    year = documents.posting_context("2026", today=TODAY)
    assert year["rows"][1]["months"] == "2/12" and year["totals"]["total"] == "302.00"


@pytest.mark.parametrize("bad", ["2026-13", "26", "2026/03", "二〇二六", "2026-03-01", ""])
def test_bad_posting_period(small, tmp_path, bad):
    with pytest.raises(ValidationError) as info:
        documents.make_posting(bad, tmp_path / "p.pdf")
    assert info.value.field == "period"
    assert not (tmp_path / "p.pdf").exists()


def test_unsupported_suffix(small, tmp_path):
    with pytest.raises(LedgerError, match=".txt"):
        documents.make_month_form((2026, 2), tmp_path / "x.txt")


# ---- PDF, Word and Excel ---------------------------------------------------------------------------------

def test_register_pdf_landscape_repeated_header_page_numbers(demo, tmp_path):
    out = documents.make_year_register(2025, tmp_path / "register.pdf", today=TODAY)
    pages = pdf_pages(out)
    width, height = pdf_size(out)
    assert width > height and len(pages) >= 2
    for number, text in enumerate(pages, 1):
        assert "序号" in text and "12月" in text and f"— {number} —" in text
    whole = "".join(pages)
    grid = dues.year_grid(2025, today=TODAY)
    assert grid.rows[0].name in whole and grid.rows[-1].name in whole
    total = database.execute_sql("SELECT SUM(amount_fen) FROM dues_payment WHERE year = 2025").fetchone()[0]
    assert f"{total // 100}.{total % 100:02d}" in whole


def test_month_form_pdf_and_word(demo, tmp_path):
    branch = Branch.get().name
    pdf = documents.make_month_form((2026, 2), tmp_path / "month.pdf", today=TODAY)
    text = "".join(pdf_pages(pdf))
    assert branch in text and "2026年2月" in text and "本人签名" in text and "收缴人" in text
    paid = DuesPayment.select().where(DuesPayment.year == 2026, DuesPayment.month == 2).count()
    assert f"已交 {paid} 人" in text
    word = documents.make_month_form((2026, 2), tmp_path / "month.docx", today=TODAY)
    words = document_text(word)
    assert branch in words and "2026年2月" in words and f"已交 {paid} 人" in words and "{{" not in words


def test_posting_pdf_portrait_and_word(demo, tmp_path):
    pdf = documents.make_posting("2025", tmp_path / "posting.pdf", today=TODAY)
    width, height = pdf_size(pdf)
    assert width < height
    text = "".join(pdf_pages(pdf))
    assert "党费收缴公示" in text and "2025年度" in text and "已交月数" in text
    word = documents.make_posting("2026-02", tmp_path / "posting.docx", today=TODAY)
    words = document_text(word)
    assert "2026年2月" in words and Branch.get().name in words and "公示" in words


def test_register_excel_numbers_are_exact(small, tmp_path):
    from openpyxl import load_workbook

    out = documents.make_year_register(2026, tmp_path / "register.xlsx", today=TODAY)
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[3]]
    assert header[:5] == ["序号", "姓名", "基数", "月标准", "1月"]
    zhang = sheet[5]
    assert zhang[1].value == "张三" and zhang[0].value == 2
    assert Decimal(str(zhang[2].value)) == Decimal("5100") and zhang[2].number_format == "0.00"
    assert Decimal(str(zhang[4].value)) == Decimal("76.5") and zhang[6].value == "未交"
    totals = sheet[6]
    assert totals[0].value == "合计"
    assert Decimal(str(totals[16].value)) == Decimal("202") and totals[16].data_type == "n"
    assert Decimal(str(totals[17].value)) == Decimal("100")


def test_month_and_posting_excel(small, tmp_path):
    from openpyxl import load_workbook

    sheet = load_workbook(documents.make_month_form((2026, 2), tmp_path / "m.xlsx", today=TODAY)).active
    assert sheet["A1"].value == "党费收缴登记表" and "2026年2月" in sheet["A2"].value
    assert Decimal(str(sheet["F5"].value)) == Decimal("76.5") and sheet["F4"].value == "未交"
    sheet = load_workbook(documents.make_posting("2026", tmp_path / "p.xlsx", today=TODAY)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "110105194912312429" not in values


# ---- the command line ------------------------------------------------------------------------------------

def test_cli_documents(small, ledger_path, tmp_path, capsys):
    small.close()
    for command, period, name in (("dues-month", "2026-02", "m.pdf"), ("dues-register", "2026", "r.docx"),
                                  ("dues-posting", "2026-02", "p.xlsx")):
        assert main(["doc", command, period, "--out", str(tmp_path / name), "--db", str(ledger_path)]) == 0
        assert (tmp_path / name).exists()
    assert main(["doc", "dues-posting", "2026-13", "--out", str(tmp_path / "bad.pdf"), "--db", str(ledger_path)]) == 2
    assert "2026-13" in capsys.readouterr().err
    assert not (tmp_path / "bad.pdf").exists()
