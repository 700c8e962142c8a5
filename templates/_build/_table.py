"""Shared builder of the table templates (the three dues documents, the 发展党员工作台账): a title, the branch and period, one table whose
header row repeats on every page and whose body row docxtpl repeats per member
(``{%tr for r in rows %}``), a totals row, and closing lines.

The columns (headers, context keys, widths) come from ``ledger_app.documents.dues`` so the Word
and PDF layouts cannot drift apart. Fonts name the Windows faces (仿宋_GB2312 body, 黑体 headings).
"""

from pathlib import Path

from templates._build.roster import (
    BODY_FONT,
    HEADING_FONT,
    _cell_text,
    _page_number_footer,
    _paragraph,
    _row_flag,
)


def build_table_document(path: Path, title: str, columns, landscape: bool, size: float,
                         before: list[str], after: list[tuple[str, str]], totals_row: bool = True) -> None:
    """``before``: paragraphs between the subtitle and the table; ``after``: (text, "left"|"right") lines;
    ``totals_row``: a last row filled from ``totals``."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    margin = 10 if landscape else 15
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(margin)
    section.top_margin, section.bottom_margin = Mm(15), Mm(15)
    section.footer_distance = Mm(7)
    _page_number_footer(section)

    align = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}
    _paragraph(document, title, HEADING_FONT, 20, align["center"], 6)
    _paragraph(document, "党支部：{{ branch_name }}　　　期间：{{ period }}", BODY_FONT, 12, align["center"], 6)
    for text in before:
        _paragraph(document, text, BODY_FONT, 12, align["left"], 6)

    table = document.add_table(rows=5 if totals_row else 4, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")  # 0.5 mm each side: the register has 18 columns
    for side in ("left", "right"):
        cell_margin = OxmlElement(f"w:{side}")
        cell_margin.set(qn("w:w"), "28")
        cell_margin.set(qn("w:type"), "dxa")
        margins.append(cell_margin)
    table._tbl.tblPr.find(qn("w:tblLook")).addprevious(margins)
    widths = [w for *_, w, _ in columns]
    widths[widths.index(0)] = (297 if landscape else 210) - 2 * margin - sum(widths)
    for index, width in enumerate(widths):
        table.columns[index].width = Mm(width)
        for cell in table.columns[index].cells:
            cell.width = Mm(width)

    header, loop, data, end, *last = table.rows
    _row_flag(header, "w:tblHeader")
    _row_flag(data, "w:cantSplit")
    for index, (text, key, _, _, where) in enumerate(columns):
        _cell_text(header.cells[index], text, HEADING_FONT, size, align["center"])
        _cell_text(data.cells[index], "{{ r." + key + " }}", BODY_FONT, size, align[where])
        if totals_row:
            _cell_text(last[0].cells[index], "{{ totals." + key + " }}", BODY_FONT, size, align[where])
    _cell_text(loop.cells[0], "{%tr for r in rows %}", BODY_FONT, size, align["left"])
    _cell_text(end.cells[0], "{%tr endfor %}", BODY_FONT, size, align["left"])

    _paragraph(document, "", BODY_FONT, 6, align["left"])
    for text, where in after:
        _paragraph(document, text, BODY_FONT, 12, align[where], 3)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
