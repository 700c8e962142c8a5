"""The document machinery: Chinese line breaking, the PDF text flowable, and template checking."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger_app.documents.linebreak import CANNOT_END, CANNOT_START, break_lines
from ledger_app.errors import LedgerError


def by_chars(text: str) -> float:
    return float(len(text))


def test_closing_punctuation_never_begins_a_line():
    lines = break_lines("一二三四五，六七八九十。一二三四五六七八九，十", by_chars, 5)
    assert lines == ["一二三四", "五，六七八", "九十。一二", "三四五六七", "八九，十"]


def test_opening_punctuation_never_ends_a_line_and_latin_words_stay_whole():
    lines = break_lines("学习《党章》和 Python 3.11 的内容", by_chars, 8)
    assert all(line[-1] not in CANNOT_END for line in lines if line)
    assert any("Python" in line for line in lines) and any("3.11" in line for line in lines)


def test_hard_line_breaks_are_kept():
    assert break_lines("第一行\n第二行", by_chars, 10) == ["第一行", "第二行"]


@given(st.text(alphabet="党支部会议，。、；：？！（）《》“”ab 12", max_size=80), st.integers(3, 20))
def test_rules_hold_for_any_text(text, width):
    lines = break_lines(text, by_chars, width)
    joined = "".join(lines).replace(" ", "")
    assert joined == text.replace(" ", "")  # nothing lost, nothing invented
    for line in lines[1:]:
        if line and len(line) > 0:
            assert line[0] not in CANNOT_START or all(ch in CANNOT_START for ch in line)


def test_pdf_text_block_embeds_cjk_font_and_splits_pages(tmp_path):
    from pypdf import PdfReader
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    from ledger_app.documents.pdf import TextBlock, fonts, page_number_footer, text_table

    font = fonts().body
    out = tmp_path / "t.pdf"
    long_text = "支部党员大会审议通过了关于发展预备党员的决议，与会党员一致同意。" * 120
    doc = SimpleDocTemplate(str(out), pagesize=A4)
    footer = page_number_footer(fonts().song)
    doc.build([TextBlock(long_text, font, 16),
               text_table([["姓名", "缺席原因"], ["张建国", "病假"]], [80, 200], font, 12, fonts().heading)],
              onFirstPage=footer, onLaterPages=footer)
    reader = PdfReader(str(out))
    assert len(reader.pages) >= 2
    text = "".join(page.extract_text() for page in reader.pages)
    assert "张建国" in text and "— 1 —" in text
    for page in reader.pages:
        for line in page.extract_text().splitlines():
            assert not line or line[0] not in "，。、；：？！）》"
    embedded = str(reader.pages[0]["/Resources"]["/Font"])
    assert "/F" in embedded


def _template(path, body_lines):
    from docx import Document

    document = Document()
    for line in body_lines:
        document.add_paragraph(line)
    document.save(str(path))


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    folder = tmp_path / "shipped"
    folder.mkdir()
    monkeypatch.setattr("ledger_app.documents.word.shipped_templates_dir", lambda: folder)
    return folder


def test_render_escapes_values_and_checks_content(shipped, tmp_path):
    from ledger_app.documents.word import document_text, render_docx

    _template(shipped / "t.docx", ["{{ branch_name }}", "备注：{{ remark }}"])
    out = render_docx("t.docx", {"branch_name": "第一党支部", "remark": "a < b & c"}, tmp_path / "o.docx", ["第一党支部"])
    text = document_text(out)
    assert "a < b & c" in text and "第一党支部" in text


def test_unknown_placeholder_refused_with_its_name(shipped, tmp_path):
    from ledger_app.documents.word import render_docx

    _template(shipped / "t.docx", ["{{ branch_name }} {{ secretary_phone }}"])
    with pytest.raises(LedgerError, match="secretary_phone"):
        render_docx("t.docx", {"branch_name": "x"}, tmp_path / "o.docx", [])
    assert not (tmp_path / "o.docx").exists()


def test_unknown_attribute_refused(shipped, tmp_path):
    from ledger_app.documents.word import render_docx

    _template(shipped / "t.docx", ["{{ meeting.nonexistent }}"])
    with pytest.raises(LedgerError, match="nonexistent"):
        render_docx("t.docx", {"meeting": {"title": "x"}}, tmp_path / "o.docx", [])


def test_broken_tag_syntax_refused(shipped, tmp_path):
    from ledger_app.documents.word import render_docx

    _template(shipped / "t.docx", ["{{ branch_name }", "{% for x in items %}"])
    with pytest.raises(LedgerError, match="语法错误"):
        render_docx("t.docx", {"branch_name": "x", "items": []}, tmp_path / "o.docx", [])
    assert not (tmp_path / "o.docx").exists()


def test_missing_required_content_refused(shipped, tmp_path):
    from ledger_app.documents.word import render_docx

    _template(shipped / "t.docx", ["会议记录"])
    with pytest.raises(LedgerError, match="第一党支部"):
        render_docx("t.docx", {}, tmp_path / "o.docx", ["第一党支部"])


def test_clerk_copy_wins_and_restore_default(shipped, tmp_path):
    from ledger_app.documents.word import (
        copy_template_for_editing,
        document_text,
        render_docx,
        restore_default_template,
    )

    _template(shipped / "t.docx", ["默认 {{ branch_name }}"])
    copy = copy_template_for_editing("t.docx")
    _template(copy, ["自定义 {{ branch_name }}"])
    assert "自定义" in document_text(render_docx("t.docx", {"branch_name": "支部"}, tmp_path / "a.docx", []))
    restore_default_template("t.docx")
    assert "默认" in document_text(render_docx("t.docx", {"branch_name": "支部"}, tmp_path / "b.docx", []))
