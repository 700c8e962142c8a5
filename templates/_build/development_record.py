"""Builds ``templates/development_record.docx``: one person's 发展党员全程纪实表, A4 portrait.

Context (``documents.development.record_context``): title, branch_name, name, sex, birth,
ethnicity, education, post, category, next, rows (each with stage, step, date, note), problems (a
list of messages), made_on.
"""

from pathlib import Path

from templates._build.roster import BODY_FONT, HEADING_FONT, _cell_text, _page_number_footer, _paragraph, _row_flag

TEMPLATE = "development_record.docx"


def _table(document, widths):
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm

    table = document.add_table(rows=0, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    return table, [Mm(w) for w in widths]


def _row(table, widths, texts, font, size, aligns):
    row = table.add_row()
    for cell, width, text, align in zip(row.cells, widths, texts, aligns, strict=True):
        cell.width = width
        _cell_text(cell, text, font, size, align)
    return row


def build(path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(18)
    section.top_margin, section.bottom_margin = Mm(15), Mm(15)
    section.footer_distance = Mm(7)
    _page_number_footer(section)
    center, left, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT

    _paragraph(document, "{{ title }}", HEADING_FONT, 18, center, 4)
    _paragraph(document, "党支部：{{ branch_name }}", BODY_FONT, 11, center, 6)
    head, widths = _table(document, (30, 57, 35, 52))
    for texts in (("姓名", "{{ name }}", "性别", "{{ sex }}"), ("出生日期", "{{ birth }}", "民族", "{{ ethnicity }}"),
                  ("学历", "{{ education }}", "工作单位及职务", "{{ post }}"),
                  ("现在类别", "{{ category }}", "下一步", "{{ next }}")):
        _row(head, widths, texts, BODY_FONT, 10.5, (center, left, center, left))
    _paragraph(document, "", BODY_FONT, 6, left)
    steps, widths = _table(document, (30, 46, 42, 56))
    header = _row(steps, widths, ("阶段", "环节", "时间", "情况说明"), HEADING_FONT, 10, (center,) * 4)
    _row_flag(header, "w:tblHeader")
    _row(steps, widths, ("{%tr for r in rows %}", "", "", ""), BODY_FONT, 9.5, (left,) * 4)
    data = _row(steps, widths, ("{{ r.stage }}", "{{ r.step }}", "{{ r.date }}", "{{ r.note }}"), BODY_FONT, 9.5,
                (center, left, center, left))
    _row_flag(data, "w:cantSplit")
    _row(steps, widths, ("{%tr endfor %}", "", "", ""), BODY_FONT, 9.5, (left,) * 4)
    _paragraph(document, "{%p if problems %}", BODY_FONT, 10.5, left)
    _paragraph(document, "需要核对：", HEADING_FONT, 10.5, left)
    _paragraph(document, "{%p for message in problems %}", BODY_FONT, 9.5, left)
    _paragraph(document, "· {{ message }}", BODY_FONT, 9.5, left)
    _paragraph(document, "{%p endfor %}", BODY_FONT, 9.5, left)
    _paragraph(document, "{%p endif %}", BODY_FONT, 10.5, left)
    _paragraph(document, "填表日期：{{ made_on }}", BODY_FONT, 10.5, right)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
