"""Builds ``templates/roster.docx``: the 党员花名册 on landscape A4.

One table: a header row that Word repeats on every page (``w:tblHeader``), and a row that docxtpl
repeats per member (``{%tr for m in members %}``). The context is ``documents.roster.roster_context``:
``branch_name``, ``as_of``, ``members`` (each with seq, name, sex, ethnicity, birth_date, id_number,
education, joined_on, converted_on, stage, group, post, phone), ``summary`` and ``id_note``.
Fonts name the Windows faces (仿宋_GB2312 body, 黑体 headings) so it prints right on a clerk's PC.
"""

from pathlib import Path

TEMPLATE = "roster.docx"

# (header, context key, width in mm): 267 mm, the landscape A4 width between 15 mm margins.
COLUMNS = (
    ("序号", "seq", 10), ("姓名", "name", 17), ("性别", "sex", 10), ("民族", "ethnicity", 16),
    ("出生日期", "birth_date", 21), ("身份证号", "id_number", 35), ("学历", "education", 20),
    ("入党时间", "joined_on", 21), ("转正时间", "converted_on", 21), ("类别", "stage", 10),
    ("党小组", "group", 20), ("工作单位及职务", "post", 39), ("联系电话", "phone", 27),
)
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"


def _font(run, name: str, size_pt: float, bold: bool = False) -> None:
    """Set a run's Latin and East Asian font (python-docx sets only the Latin one by itself)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(document, text: str, font: str, size: float, align, space_after: float = 0):
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    _font(paragraph.add_run(text), font, size)
    return paragraph


def _cell_text(cell, text: str, font: str, size: float, align) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    _font(paragraph.add_run(text), font, size)


def _row_flag(row, tag: str) -> None:
    """Add an on/off property to a table row (w:tblHeader: repeat on each page; w:cantSplit)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _page_number_footer(section) -> None:
    """"第 N 页 共 M 页" with Word's PAGE and NUMPAGES fields, centred in the footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in ("第 ", "PAGE", " 页　共 ", "NUMPAGES", " 页"):
        if piece in ("PAGE", "NUMPAGES"):
            field = OxmlElement("w:fldSimple")
            field.set(qn("w:instr"), f" {piece} ")
            run = paragraph.add_run("1")
            _font(run, "宋体", 10.5)
            field.append(run._r)
            paragraph._p.append(field)
        else:
            _font(paragraph.add_run(piece), "宋体", 10.5)


def build(path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin, section.bottom_margin = Mm(18), Mm(15)
    section.footer_distance = Mm(7)
    _page_number_footer(section)

    center, left, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT
    _paragraph(document, "党员花名册", HEADING_FONT, 22, center, 6)
    _paragraph(document, "党支部：{{ branch_name }}　　　截至 {{ as_of }}", BODY_FONT, 12, center, 6)

    table = document.add_table(rows=4, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")  # 1 mm each side, so an 18-digit ID fits on one line
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "57")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.find(qn("w:tblLook")).addprevious(margins)  # the schema's element order
    for index, (_, _, width) in enumerate(COLUMNS):
        table.columns[index].width = Mm(width)  # the grid, which a fixed layout follows
        for cell in table.columns[index].cells:
            cell.width = Mm(width)

    header, loop, data, end = table.rows
    _row_flag(header, "w:tblHeader")
    _row_flag(data, "w:cantSplit")
    for index, (title, key, _) in enumerate(COLUMNS):
        _cell_text(header.cells[index], title, HEADING_FONT, 10, center)
        _cell_text(data.cells[index], "{{ m." + key + " }}", BODY_FONT, 10, left if key == "post" else center)
    _cell_text(loop.cells[0], "{%tr for m in members %}", BODY_FONT, 10, left)
    _cell_text(end.cells[0], "{%tr endfor %}", BODY_FONT, 10, left)

    _paragraph(document, "", BODY_FONT, 6, left)
    _paragraph(document, "{{ summary }}{{ id_note }}", BODY_FONT, 12, left, 3)
    _paragraph(document, "制表日期：{{ as_of }}", BODY_FONT, 12, right)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
