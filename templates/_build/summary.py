"""Build ``summary.docx``: the 年度工作总结 on the GB/T 9704-2012 grid as a docxtpl template.

The page: A4, top 37 mm, left 28 mm, a 156 × 225 mm text block with a document grid of 22 lines ×
28 characters; body 16 pt 仿宋_GB2312, the title 22 pt 方正小标宋简体 (Word substitutes a song face
where it is missing), "一、" headings 黑体, "（一）" headings 楷体_GB2312, page numbers "— 1 —" in 14 pt
宋体 at the outside corner (odd pages right, even pages left, one character in). The headings are
plain text a clerk may reword; each section's paragraphs are a ``{%p for p in … %}`` loop over the
keys of ``ledger_app.documents.summary.summary_context``.
"""

from pathlib import Path

TEMPLATE = "summary.docx"
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
LINE_TWIPS = 579  # 225 mm / 22 lines = 28.95 pt
CHAR_SPACE = -842  # 156 mm / 28 characters = 15.79 pt: 16 pt less 0.21 pt, in 1/4096 pt


def _fonts(element, name: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(key), name)
    size_el = rpr.get_or_add_sz()
    size_el.set(qn("w:val"), str(int(size * 2)))
    if bold:
        rpr.get_or_add_b()


def _style(document, name: str, font: str, size: float, align: str = "justify", indent: bool = True,
           bold: bool = False):
    """A paragraph style on the grid: exact line spacing of one grid line, first line in two characters."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    _fonts(style.element, font, size, bold)
    fmt = style.paragraph_format
    fmt.alignment = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
                     "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_TWIPS / 20 * (2 if size > 16 else 1))
    if indent:
        ind = OxmlElement("w:ind")
        ind.set(qn("w:firstLineChars"), "200")
        style.element.get_or_add_pPr().append(ind)
    return style


def _page_setup(document) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.left_margin = Mm(37), Mm(28)
    section.right_margin, section.bottom_margin = Mm(210 - 28 - 156), Mm(297 - 37 - 225)
    section.footer_distance = Mm(297 - 37 - 225 - 7 - 5)  # the number 7 mm below the block
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))


def _page_number(paragraph, align: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if align == "right" else WD_ALIGN_PARAGRAPH.LEFT
    if align == "right":
        paragraph.paragraph_format.right_indent = Pt(14)
    else:
        paragraph.paragraph_format.left_indent = Pt(14)

    def run(text: str):
        r = paragraph.add_run(text)
        _fonts(r._element, PAGE_FONT, 14)
        return r

    run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    number = run("1")
    field.append(number._r)
    paragraph._p.append(field)
    run(" —")


def build(path: Path) -> None:
    from docx import Document
    from docx.shared import Pt

    from ledger_app.documents.summary import CLOSING_SECTIONS, MAIN_WORK, SUBSECTIONS

    document = Document()
    normal = document.styles["Normal"]
    _fonts(normal.element, BODY_FONT, 16)
    _page_setup(document)
    title = _style(document, "公文标题", TITLE_FONT, 22, align="center", indent=False)
    body = _style(document, "公文正文", BODY_FONT, 16)
    first = _style(document, "公文一级标题", HEADING_FONT, 16)
    second = _style(document, "公文二级标题", KAI_FONT, 16)
    signature = _style(document, "公文落款", BODY_FONT, 16, align="right", indent=False)
    signature.paragraph_format.right_indent = Pt(16 * 4)  # 右空四字

    def para(text: str, style) -> None:
        document.add_paragraph(text, style=style)

    def loop(key: str) -> None:
        para(f"{{%p for p in {key} %}}", body)
        para("{{ p }}", body)
        para("{%p endfor %}", body)

    para("{{ title }}", title)
    loop("overview")
    para(MAIN_WORK, first)
    for key, heading in SUBSECTIONS:
        para(heading, second)
        loop(key)
    for key, heading in CLOSING_SECTIONS:
        para(heading, first)
        loop(key)
    para("", body)
    para("{{ signature_name }}", signature)
    para("{{ signature_date }}", signature)

    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    _page_number(section.footer.paragraphs[0], "right")
    _page_number(section.even_page_footer.paragraphs[0], "left")
    document.core_properties.title = "年度工作总结"
    document.save(str(path))
