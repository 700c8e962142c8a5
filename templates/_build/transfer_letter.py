"""Build ``transfer_letter.docx``: the 党员组织关系介绍信 (stub, letter, receipt) as a docxtpl template.

The placeholders are the keys of ``ledger_app.documents.transfer_letter.letter_context``. Each
filled-in value is its own underlined run, as written on the printed form's lines; the parts are
separated by dashed cut lines with a label saying who keeps which part.
"""

from pathlib import Path

TEMPLATE = "transfer_letter.docx"
TITLE = "中国共产党党员组织关系介绍信"
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "黑体"
FULL_SPACE = "\u3000"
_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                 "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                 "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                 "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
                 "w:rPr", "w:sectPr", "w:pPrChange")


def _font(run, name: str, size: float, bold: bool = False, underline: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.underline = underline
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _paragraph(document, pieces, size: float = 12, align: str = "left", indent: bool = False,
               before: float = 0, after: float = 0, line: float | None = None):
    """One paragraph of (text, underlined) pieces in the body font."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.alignment = {"left": WD_ALIGN_PARAGRAPH.JUSTIFY, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                           "center": WD_ALIGN_PARAGRAPH.CENTER}[align]
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = Pt(line or size * 1.8)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    for text, underlined in pieces:
        _font(paragraph.add_run(text), BODY_FONT, size, underline=underlined)
    return paragraph


def _title(document, text: str, size: float, before: float = 0):
    paragraph = _paragraph(document, [], size, "center", before=before, after=2, line=size * 1.6)
    _font(paragraph.add_run(text), TITLE_FONT, size)
    return paragraph


def _number(document):
    return _paragraph(document, [("第 ", False), ("{{ letter_number }}", True), (" 号", False)], 10.5, "right")


def _cut_line(document, label: str):
    """A paragraph with a dashed top border: the line to cut along, the label under it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = _paragraph(document, [(label, False)], 9, "center", before=10, after=6, line=14)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("val", "dashed"), ("sz", "6"), ("space", "4"), ("color", "555555")):
        top.set(qn(f"w:{key}"), value)
    borders.append(top)
    # Word wants pPr's children in schema order: the border goes before shading, spacing, alignment …
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_BORDER)


def _particulars() -> list[tuple[str, bool]]:
    return [("{{ name }}", True), ("同志（", False), ("{{ sex }}", True), ("，", False), ("{{ age }}", True),
            ("岁，", False), ("{{ ethnicity }}", True), ("），系中共", False), ("{{ category }}", True),
            ("党员，身份证号码", False), ("{{ id_number }}", True), ("，由", False), ("{{ from_org }}", True),
            ("去", False), ("{{ to_org }}", True)]


def build(path: Path) -> None:
    from docx import Document
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(15), Mm(12)
    section.left_margin = section.right_margin = Mm(22)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    from docx.oxml.ns import qn

    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    blank = (FULL_SPACE * 5, True)
    # 存根
    _title(document, f"{TITLE}（存根）", 15)
    _number(document)
    _paragraph(document, [*_particulars(), ("。党费已交到", False), ("{{ dues_paid_until }}", True), ("。", False)],
               indent=True)
    _paragraph(document, [("有效期", False), ("{{ valid_days }}", True), ("天", False)], indent=True)
    _paragraph(document, [("经办党支部：", False), ("{{ branch_name }}", True)], indent=True)
    _paragraph(document, [("{{ date }}", True)], align="right")
    _cut_line(document, "（存根由转出党组织留存，沿此线撕下，介绍信交党员本人）")
    # 介绍信
    _title(document, TITLE, 20)
    _number(document)
    _paragraph(document, [("{{ to_org }}", True), ("：", False)], 14, before=4)
    _paragraph(document, [*_particulars(), ("，请转接组织关系。", False)], 14, indent=True)
    _paragraph(document, [("该同志党费已交到", False), ("{{ dues_paid_until }}", True), ("。", False)], 14, indent=True)
    _paragraph(document, [("（有效期", False), ("{{ valid_days }}", True), ("天）", False)], 14, indent=True)
    _paragraph(document, [("（盖章）" + FULL_SPACE * 2, False)], 14, "right", before=10)
    _paragraph(document, [("{{ date }}", True)], 14, "right")
    _paragraph(document, [("党员联系电话或其他联系方式：", False), ("{{ phone }}", True)], 10.5, before=10)
    _paragraph(document, [("党员原所在基层党委通讯地址：", False), ("{{ branch_address }}", True)], 10.5)
    _paragraph(document, [("联系电话：", False), ("{{ branch_phone }}", True)], 10.5)
    _cut_line(document, "（回执由接收党组织填写盖章后，沿此线撕下寄回转出党组织）")
    # 回执
    _title(document, f"{TITLE}回执", 15)
    _number(document)
    _paragraph(document, [("{{ from_org }}", True), ("：", False)])
    _paragraph(document, [("{{ name }}", True), ("同志的党员组织关系已转达我处，特此回执。", False)], indent=True)
    _paragraph(document, [("经办人：", False), blank, (FULL_SPACE * 2 + "联系电话：", False), blank], indent=True)
    _paragraph(document, [("（盖章）" + FULL_SPACE * 2, False)], align="right")
    _paragraph(document, [(f"{FULL_SPACE * 4}年{FULL_SPACE * 2}月{FULL_SPACE * 2}日", False)], align="right")

    document.core_properties.title = TITLE
    document.save(str(path))
