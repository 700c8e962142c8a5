"""Builds ``templates/development_notice.docx``: the 公示 of a 发展对象, of someone to be accepted as
a 预备党员, or of a 预备党员's conversion (the title and opening sentence say which), A4 portrait.

Context (``documents.development.notice_context``): title, branch_name, name, lead, facts (a list
of {label, value}, one table row each), period, start, end, invite, contact, date.
"""

from pathlib import Path

from templates._build.roster import BODY_FONT, HEADING_FONT, _cell_text, _paragraph

TEMPLATE = "development_notice.docx"


def build(path: Path) -> None:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(30), Mm(25)
    center, left, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.RIGHT

    def body(text: str, align=left, indent: bool = True):
        paragraph = _paragraph(document, text, BODY_FONT, 15, align, 4)
        paragraph.paragraph_format.line_spacing = Pt(27)
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(30)
        return paragraph

    _paragraph(document, "{{ title }}", HEADING_FONT, 20, center, 18)
    body("{{ lead }}")
    table = document.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for index, width in enumerate((45, 115)):
        table.columns[index].width = Mm(width)
        for cell in table.columns[index].cells:
            cell.width = Mm(width)
    loop, data, end = table.rows
    _cell_text(loop.cells[0], "{%tr for item in facts %}", BODY_FONT, 13, left)
    _cell_text(data.cells[0], "{{ item.label }}", BODY_FONT, 13, center)
    _cell_text(data.cells[1], "{{ item.value }}", BODY_FONT, 13, WD_ALIGN_PARAGRAPH.LEFT)
    _cell_text(end.cells[0], "{%tr endfor %}", BODY_FONT, 13, left)
    body("公示时间：{{ period }}。")
    body("{{ invite }}")
    body("{{ contact }}")
    _paragraph(document, "", BODY_FONT, 15, left, 24)
    body("{{ branch_name }}", right, indent=False)
    body("{{ date }}", right, indent=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
