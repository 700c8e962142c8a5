"""Shared pieces of the meeting templates (minutes, 党课 minutes, sign-in sheet): page set-up,
paragraphs in the Windows 公文 faces, label/value grids and docxtpl loop rows.

The placeholders are the keys of ``ledger_app.documents.minutes.minutes_context`` and
``signin_context``; ``docs/templates.md`` lists them with examples.
"""

BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PAGE_FONT = "宋体"
BODY_SIZE = 12  # 小四
TEXT_WIDTH_MM = 166  # A4 between 22 mm margins
LABEL_MM = 31


def font(run, name: str, size: float, bold: bool = False) -> None:
    """Set a run's Latin and East Asian font (python-docx sets only the Latin one by itself)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def new_document():
    """A4 portrait, 22 mm side margins, body in 仿宋 小四, "— N —" page numbers in the footer."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(22)
    section.top_margin = section.bottom_margin = Mm(20)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_SIZE)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(footer.add_run("— "), PAGE_FONT, 10.5)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = footer.add_run("1")
    font(run, PAGE_FONT, 10.5)
    field.append(run._r)
    footer._p.append(field)
    font(footer.add_run(" —"), PAGE_FONT, 10.5)
    return document


def paragraph(document, pieces, align: str = "left", indent: bool = False, before: float = 0, after: float = 0,
              size: float = BODY_SIZE, line: float | None = None):
    """One paragraph of (text, font, bold) pieces, or of a plain string in the body font."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    if isinstance(pieces, str):
        pieces = [(pieces, BODY_FONT, False)]
    p = document.add_paragraph()
    p.alignment = {"left": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = Pt(line or size * 1.6)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    for text, face, bold in pieces:
        font(p.add_run(text), face, size, bold)
    return p


def tag(document, text: str):
    """A paragraph holding only a docxtpl paragraph tag ({%p … %}); docxtpl removes the paragraph."""
    return paragraph(document, text, size=BODY_SIZE)


def title(document, text: str, size: float, after: float = 2):
    return paragraph(document, [(text, HEADING_FONT, False)], "center", size=size, after=after, line=size * 1.5)


def heading(document, text: str):
    """A section heading: 一、会议议题."""
    return paragraph(document, [(text, HEADING_FONT, False)], before=8, after=2, size=14, line=14 * 1.6)


def loop(document, open_tag: str, pieces, close_tag: str = "{%p endfor %}", indent: bool = True):
    """A paragraph repeated by docxtpl: ``{%p for … %}`` / the paragraph / ``{%p endfor %}``."""
    tag(document, open_tag)
    paragraph(document, pieces, indent=indent)
    tag(document, close_tag)


def _cell(cell, text: str, face: str = BODY_FONT, size: float = BODY_SIZE - 1.5, align: str = "left",
          shade: str | None = None) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p = cell.paragraphs[0]
    p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER}[align]
    font(p.add_run(text), face, size)
    if shade:  # before vAlign: Word wants tcPr's children in schema order (tcW, gridSpan, shd, vAlign)
        fill = OxmlElement("w:shd")
        fill.set(qn("w:val"), "clear")
        fill.set(qn("w:fill"), shade)
        cell._tc.get_or_add_tcPr().append(fill)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def row_flag(row, name: str, value: str = "true", rule: str | None = None) -> None:
    """A row property: w:tblHeader (repeat on each page), w:cantSplit, or w:trHeight with a rule."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(name)
    element.set(qn("w:val"), value)
    if rule:
        element.set(qn("w:hRule"), rule)
    row._tr.get_or_add_trPr().append(element)


def grid(document, widths_mm: list[float]):
    """An empty bordered table with fixed column widths (rows are added by the caller)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm

    table = document.add_table(rows=0, cols=len(widths_mm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for index, width in enumerate(widths_mm):
        table.columns[index].width = Mm(width)
    return table


def add_row(table, texts: list[str], widths_mm: list[float], faces=None, align=None, shade=None):
    from docx.shared import Mm

    row = table.add_row()
    for index, text in enumerate(texts):
        cell = row.cells[index]
        cell.width = Mm(widths_mm[index])
        _cell(cell, text, (faces or [BODY_FONT] * len(texts))[index], align=(align or ["left"] * len(texts))[index],
              shade=(shade or [None] * len(texts))[index])
    return row


def info_grid(document, rows) -> None:
    """The particulars: ("pair", label, value, label, value), ("wide", label, value) across the page,
    or ("tag", "{%tr … %}") — a row docxtpl replaces by the tag (a conditional row)."""
    value = (TEXT_WIDTH_MM - 2 * LABEL_MM) / 2
    widths = [LABEL_MM, value, LABEL_MM, value]
    table = grid(document, widths)
    grey = "F2F2F2"
    for spec in rows:
        if spec[0] == "tag":
            add_row(table, [spec[1], "", "", ""], widths)
            continue
        if spec[0] == "pair":
            _, l1, v1, l2, v2 = spec
            add_row(table, [l1, v1, l2, v2], widths, [HEADING_FONT, BODY_FONT, HEADING_FONT, BODY_FONT],
                    shade=[grey, None, grey, None])
            continue
        _, label, text = spec
        row = add_row(table, [label, text, "", ""], widths, [HEADING_FONT, BODY_FONT, BODY_FONT, BODY_FONT],
                      shade=[grey, None, None, None])
        merged = row.cells[1].merge(row.cells[3])
        # merging keeps the empty paragraphs of the merged cells: drop them
        for extra in merged.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)


def loop_table(document, headers: list[str], cells: list[str], widths_mm: list[float], loop_tag: str,
               align: list[str], body_height_mm: float | None = None):
    """A table whose header row repeats on each page and whose one body row docxtpl repeats."""
    from docx.shared import Mm

    table = grid(document, widths_mm)
    header = add_row(table, headers, widths_mm, [HEADING_FONT] * len(headers), ["center"] * len(headers),
                     ["EEEEEE"] * len(headers))
    row_flag(header, "w:tblHeader")
    add_row(table, [loop_tag] + [""] * (len(headers) - 1), widths_mm)
    body = add_row(table, cells, widths_mm, align=align)
    row_flag(body, "w:cantSplit")
    if body_height_mm:
        row_flag(body, "w:trHeight", str(int(Mm(body_height_mm).twips)), "atLeast")
    add_row(table, ["{%tr endfor %}"] + [""] * (len(headers) - 1), widths_mm)
    return table


def signatures(document) -> None:
    paragraph(document, "主持人（签字）：" + "\u3000" * 8 + "记录人（签字）：" + "\u3000" * 6, "right", before=24)
