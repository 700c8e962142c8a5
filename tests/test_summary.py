"""The annual summary: its figures agree with the statistics, the clerk's text is kept per year and
survives regeneration, what is missing prints 【待补充】; Word and PDF from the command line."""

import subprocess
from datetime import date

import pytest
from fixtures.year_ledger import BRANCH, LATER, YEAR, build_year_ledger

from ledger_app.cli import main
from ledger_app.documents import MISSING
from ledger_app.documents.summary import CLERK_SECTIONS, summary_context, write_summary
from ledger_app.documents.word import document_text
from ledger_app.errors import LedgerError, ValidationError
from ledger_app.services.annual_text import annual_texts, save_annual_text
from ledger_app.services.statistics import TOTAL, year_statistics


@pytest.fixture
def hand_ledger(ledger):
    return build_year_ledger()


def all_text(context) -> str:
    parts = [context["title"]]
    for key in ("overview", "organisation", "members", "dues", *CLERK_SECTIONS):
        parts += context[key]
    return "\n".join(parts)


def test_figures_agree_with_the_statistics(hand_ledger):
    stats = year_statistics(YEAR, LATER)
    context = summary_context(YEAR, LATER)
    figures = context["figures"]
    overview, changes = stats.table("overview"), stats.table("changes")
    assert figures["members"] == overview.value("党员总数") == 7
    assert figures["new_members"] == changes.value("发展党员（接收预备党员）") == 2
    assert figures["conversions"] == changes.value("预备党员转正") == 1
    assert (figures["transfers_in"], figures["transfers_out"]) == (2, 1)
    assert figures["meetings"] == stats.table("meetings").row(TOTAL)[4].value == 2
    assert figures["dues_total"] == stats.table("dues").cell("合计（元）").text == "300.00"
    text = all_text(context)
    for sentence in ("支部共有党员7名，其中正式党员5名、预备党员2名", "全年发展党员2名，1名预备党员转正",
                     "组织关系转入2名、转出1名", "去世2名、停止党籍1名", "召开支部党员大会2次",
                     "全年收缴党费300.00元", "4名党员评定了等次，其中优秀1名、合格2名、基本合格1名、不合格0名",
                     "未按期召开的有：支部党员大会（第二季度、第四季度）"):
        assert sentence in text
    assert context["title"] == f"{BRANCH}{YEAR}年度工作总结"


def test_missing_text_prints_the_mark(hand_ledger):
    context = summary_context(YEAR, LATER)
    for section in CLERK_SECTIONS:
        assert context[section] == [MISSING]
    assert "台账中没有本年度组织生活会的记录。" in context["organisation"]
    assert "台账中没有本年度谈心谈话的记录。" in context["organisation"]


def test_talks_are_counted(hand_ledger):
    from ledger_app.models import Talk
    from ledger_app.services import audit, write

    @write
    def log():
        for day in (date(2025, 4, 1), date(2025, 10, 9), date(2024, 12, 30)):
            audit.create(Talk, "", held_on=day, participants="甲一、乙二")

    log()
    assert "开展谈心谈话2次。" in summary_context(YEAR, LATER)["organisation"]


def test_saved_text_survives_regeneration(hand_ledger, tmp_path):
    save_annual_text(YEAR, "problems", "  一是学习形式单一。\n\n二是发展党员偏少。  ")
    save_annual_text(YEAR, "plans", "继续抓好“三会一课”。")
    save_annual_text(YEAR + 1, "plans", "另一年的打算")
    assert annual_texts(YEAR)["problems"] == "一是学习形式单一。\n\n二是发展党员偏少。"
    for suffix in ("docx", "pdf"):
        write_summary(YEAR, tmp_path / f"first.{suffix}", LATER)
    context = summary_context(YEAR, LATER)
    assert context["problems"] == ["一是学习形式单一。", "二是发展党员偏少。"]
    assert context["plans"] == ["继续抓好“三会一课”。"] and context["conduct"] == [MISSING]
    out = write_summary(YEAR, tmp_path / "again.docx", LATER)
    text = document_text(out)
    assert "二是发展党员偏少。" in text and "另一年的打算" not in text and MISSING in text
    save_annual_text(YEAR, "plans", "   ")  # cleared: the mark comes back
    assert "plans" not in annual_texts(YEAR)
    assert summary_context(YEAR, LATER)["plans"] == [MISSING]


def test_bad_annual_text_is_refused(ledger):
    with pytest.raises(ValidationError, match="没有“nonsense”"):
        save_annual_text(2025, "nonsense", "x")
    with pytest.raises(ValidationError, match="超过"):
        save_annual_text(2025, "plans", "字" * 20001)
    assert annual_texts(2025) == {}


def test_word_has_the_gb9704_page(hand_ledger, tmp_path):
    from docx import Document
    from docx.shared import Mm

    out = write_summary(YEAR, tmp_path / "总结.docx", LATER)
    document = Document(str(out))
    section = document.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    assert round((section.page_width - section.left_margin - section.right_margin) / Mm(1)) == 156
    assert round((section.page_height - section.top_margin - section.bottom_margin) / Mm(1)) == 225
    styles = {p.style.name for p in document.paragraphs}
    assert {"公文标题", "公文正文", "公文一级标题", "公文二级标题"} <= styles
    xml = document.styles["公文正文"].element.xml
    assert "仿宋_GB2312" in xml and 'w:val="32"' in xml  # 16 pt
    assert "黑体" in document.styles["公文一级标题"].element.xml
    assert "楷体_GB2312" in document.styles["公文二级标题"].element.xml
    assert 'w:linePitch="579"' in section._sectPr.xml
    assert "PAGE" in section.footer._element.xml and "PAGE" in section.even_page_footer._element.xml


def test_pdf_text_and_layout(hand_ledger, ledger_path, tmp_path):
    out = tmp_path / "总结.pdf"
    assert main(["doc", "summary", str(YEAR), "--db", str(ledger_path), "--out", str(out)]) == 0
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    for needed in (f"{BRANCH}{YEAR}年度工作总结", "一、主要工作和成效", "（二）严格落实组织生活制度", "二、存在的问题和不足",
                   "三、下一年度工作打算", MISSING, "—1—"):
        assert needed in flat
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "yes" in fonts


def test_pdf_lines_hold_28_characters(hand_ledger, tmp_path):
    save_annual_text(YEAR, "problems", "问" * 100)
    out = write_summary(YEAR, tmp_path / "总结.pdf", LATER)
    lines = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    full = [line.strip() for line in lines if line.strip().startswith("问")]
    assert full[0] == "问" * 26 and full[1] == "问" * 28  # the first line is indented two characters


def test_summary_bad_suffix(hand_ledger, ledger_path, tmp_path, capsys):
    assert main(["doc", "summary", str(YEAR), "--db", str(ledger_path), "--out", str(tmp_path / "x.xlsx")]) == 2
    assert ".docx" in capsys.readouterr().err
    with pytest.raises(LedgerError):
        write_summary(YEAR, tmp_path / "x.txt", date(2026, 1, 1))


def test_the_template_guide_lists_every_placeholder(hand_ledger):
    from pathlib import Path

    guide = (Path(__file__).parent.parent / "docs" / "templates.md").read_text(encoding="utf-8")
    section = guide[guide.index("`summary.docx`"):]
    for key in summary_context(YEAR, LATER):
        if key != "figures":  # for the tests, not printed
            assert f"`{key}`" in section, key
