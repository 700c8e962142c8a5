"""A plain listing document: a title, the branch and period, then blocks of paragraphs and tables.

The year archive uses it for the records that have no document of their own yet (the talk log,
the 民主评议 grades, the branch profile …) and for a clearly marked page where another module's
document belongs. It is a context (plain dict) and two renderers, PDF with reportlab and Word with
python-docx. There is no clerk-editable template: the columns differ from listing to listing, and a
real document with its own template replaces a listing when one exists.

Context::

    {"title": str, "branch_name": str, "period": str, "landscape": bool,
     "blocks": [{"heading": str, "paragraphs": [str],
                 "columns": [(header, width in mm, or 0 for the rest, "left"|"center"|"right")],
                 "rows": [[str, …]]}],
     "made_on": str}

A block without ``columns`` is paragraphs only; a table with no rows prints one row saying
``EMPTY_ROW``.
"""

from pathlib import Path

from ..errors import LedgerError
from . import atomic_output

EMPTY_ROW = "本年度无记录"
SUFFIXES = (".pdf", ".docx")
BODY_SIZE = 11
TABLE_SIZE = 10


def block(heading: str = "", paragraphs: list[str] | None = None, columns=None, rows=None) -> dict:
    """One block of a listing: a heading, paragraphs, and optionally a table."""
    return {"heading": heading, "paragraphs": list(paragraphs or []), "columns": list(columns or []),
            "rows": [[str(value) for value in row] for row in (rows or [])]}


def listing_context(title: str, branch_name: str, period: str, blocks: list[dict], made_on: str,
                    landscape: bool = False) -> dict:
    return {"title": title, "branch_name": branch_name, "period": period, "blocks": blocks, "made_on": made_on,
            "landscape": landscape}


def make_listing(context: dict, out: Path) -> Path:
    """Write the listing as .pdf or .docx (by the suffix); written whole or not at all."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise LedgerError(f"“{out.name}”的扩展名不对：只能保存为 PDF（.pdf）或 Word（.docx）文件。")
    with atomic_output(out) as partial:
        (render_pdf if suffix == ".pdf" else render_docx)(context, partial)
    return out


def _widths(columns, total: float, unit: float) -> list[float]:
    widths = [width * unit for _, width, _ in columns]
    rest = [i for i, w in enumerate(widths) if not w]
    share = (total - sum(widths)) / len(rest) if rest else 0
    return [w or share for w in widths]


def _table_rows(b: dict) -> list[list[str]]:
    return b["rows"] or [[EMPTY_ROW] + [""] * (len(b["columns"]) - 1)]


def render_pdf(c: dict, out: Path) -> None:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer

    from .pdf import TextBlock, fonts, page_number_footer, text_table

    f = fonts()
    page = landscape(A4) if c["landscape"] else A4
    doc = SimpleDocTemplate(str(out), pagesize=page, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=f"{c['branch_name']} {c['period']}{c['title']}",
                            author=c["branch_name"])
    story = [TextBlock(c["title"], f.heading, 20, align="center"), Spacer(0, 2 * mm),
             TextBlock(f"党支部：{c['branch_name']}　　　期间：{c['period']}", f.body, BODY_SIZE, align="center"),
             Spacer(0, 4 * mm)]
    for b in c["blocks"]:
        head = [TextBlock(b["heading"], f.heading, 13, 13 * 1.8)] if b["heading"] else []
        paragraphs = [TextBlock("\u3000\u3000" + p, f.body, BODY_SIZE, BODY_SIZE * 1.7) for p in b["paragraphs"]]
        parts = head + paragraphs
        if b["columns"]:
            rows = [[header for header, _, _ in b["columns"]], *_table_rows(b)]
            table = text_table(rows, _widths(b["columns"], doc.width, mm), f.body, TABLE_SIZE, header_font=f.heading,
                               align=[a for _, _, a in b["columns"]])
            if not b["rows"]:
                table.setStyle([("SPAN", (0, 1), (-1, 1))])
            parts.append(table)
        if parts:
            story += [KeepTogether(parts[:2]), *parts[2:], Spacer(0, 4 * mm)]
    story.append(TextBlock(f"{c['branch_name']}　　{c['made_on']}", f.body, BODY_SIZE - 1, align="right"))
    footer = page_number_footer(f.song, 10)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)


BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"


def _run(paragraph, text: str, font: str, size: float, bold: bool = False):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    return run


def render_docx(c: dict, out: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    align = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}
    document = Document()
    section = document.sections[0]
    width, height = (297, 210) if c["landscape"] else (210, 297)
    if c["landscape"]:
        section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(width), Mm(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))

    def paragraph(text: str, font: str, size: float, where: str = "left", after: float = 4, indent: bool = False):
        p = document.add_paragraph()
        p.alignment = align[where]
        p.paragraph_format.space_after = Pt(after)
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        _run(p, text, font, size)
        return p

    paragraph(c["title"], HEADING_FONT, 20, "center", 6)
    paragraph(f"党支部：{c['branch_name']}　　　期间：{c['period']}", BODY_FONT, BODY_SIZE, "center", 10)
    for b in c["blocks"]:
        if b["heading"]:
            paragraph(b["heading"], HEADING_FONT, 13, after=4)
        for text in b["paragraphs"]:
            paragraph(text, BODY_FONT, BODY_SIZE, indent=True)
        if not b["columns"]:
            continue
        rows = _table_rows(b)
        table = document.add_table(rows=1 + len(rows), cols=len(b["columns"]))
        table.style = "Table Grid"
        table.autofit = False
        widths = _widths(b["columns"], width - 36, 1)
        header = table.rows[0]
        flag = OxmlElement("w:tblHeader")  # the header row repeats on every page
        header._tr.get_or_add_trPr().append(flag)
        flag.set(qn("w:val"), "true")
        for r, row in enumerate(table.rows):
            values = [h for h, _, _ in b["columns"]] if r == 0 else rows[r - 1]
            for i, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                cell.width = Mm(widths[i])
                p = cell.paragraphs[0]
                p.alignment = align["center" if r == 0 else b["columns"][i][2]]
                _run(p, value, HEADING_FONT if r == 0 else BODY_FONT, TABLE_SIZE)
        if not b["rows"]:
            first, last = table.rows[1].cells[0], table.rows[1].cells[-1]
            if first is not last:
                first.merge(last)
                for extra in first.paragraphs[1:]:
                    extra._element.getparent().remove(extra._element)
        paragraph("", BODY_FONT, 6)
    paragraph(f"{c['branch_name']}　　{c['made_on']}", BODY_FONT, BODY_SIZE - 1, "right")
    document.core_properties.title = f"{c['branch_name']} {c['period']}{c['title']}"
    document.save(str(out))
