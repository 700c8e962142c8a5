"""The printed 党员花名册: one context, rendered as a landscape PDF or from the Word template.

ID numbers are masked (the first 6 and last 4 digits kept: ``110105********2429``) unless the
clerk asks for them in full: a roster is handed round and pinned up, and design.md's safety rules
ask that personal data not be printed whole where it is not needed. The area code and the last
four are what a clerk uses to tell two members apart. An empty field prints 【待补充】, never a
guess. ``.xlsx`` is the re-importable Excel roster of ``roster_export`` (IDs in full, as an import
needs them).
"""

from datetime import date
from pathlib import Path

from ..errors import LedgerError
from . import MISSING, atomic_output, cn_date

TITLE = "党员花名册"
TEMPLATE = "roster.docx"
EMPTY_TEXT = "暂无党员"
SUFFIXES = (".pdf", ".docx", ".xlsx")

# (header, key in a row of the context, a sample of the widest content the column grows to before
# its text wraps, or None for the column that takes the rest of the page), left to right.
COLUMNS = (
    ("序号", "seq", "序号"),
    ("姓名", "name", "欧阳建国"),
    ("性别", "sex", "性别"),
    ("民族", "ethnicity", "哈萨克族"),
    ("出生日期", "birth_date", "0000.00.00"),
    ("身份证号", "id_number", "000000000000000000"),
    ("学历", "education", "初中及以下"),
    ("入党时间", "joined_on", "0000.00.00"),
    ("转正时间", "converted_on", "0000.00.00"),
    ("类别", "stage", "正式"),
    ("党小组", "group", "第十党小组"),
    ("工作单位及职务", "post", None),
    ("联系电话", "phone", "0000-00000000"),
)


def mask_id(id_number: str | None) -> str:
    """The ID number with all but the first 6 and the last 4 characters starred; "" when none.

    An 18-character number keeps its area code and last four (``110105********2429``); anything
    of 10 characters or fewer would be shown whole that way, so it is starred entirely.
    """
    text = "".join((id_number or "").split()).upper()
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def _day(value: date | None) -> str:
    return value.strftime("%Y.%m.%d") if value else ""


def _summary(counts: dict) -> str:
    if not counts["total"]:
        return f"{EMPTY_TEXT}。"
    text = (f"合计 {counts['total']} 名党员，其中正式党员 {counts['full']} 名、预备党员 {counts['probationary']} 名；"
            f"男 {counts['male']} 名、女 {counts['female']} 名")
    if counts["sex_unknown"]:
        text += f"、性别未填 {counts['sex_unknown']} 名"
    return text + "。"


def roster_context(full_id: bool = False, today: date | None = None) -> dict:
    """The roster as plain values, shared by the PDF and the Word renderer (and by tests)."""
    from ..services.branch import get_profile
    from ..services.members import roster_rows

    today = today or date.today()
    profile = get_profile()
    members = []
    counts = {"total": 0, "full": 0, "probationary": 0, "male": 0, "female": 0, "sex_unknown": 0}
    for seq, row in enumerate(roster_rows(), 1):
        counts["total"] += 1
        counts["full" if row.stage == "正式" else "probationary"] += 1
        counts[{"男": "male", "女": "female"}.get(row.sex, "sex_unknown")] += 1
        id_text = (row.id_number if full_id else mask_id(row.id_number)) or MISSING
        members.append({
            "seq": str(seq),
            "name": row.name,
            "sex": row.sex or MISSING,
            "ethnicity": row.ethnicity or MISSING,
            "birth_date": _day(row.birth_date) or MISSING,
            "id_number": id_text,
            "education": row.education or MISSING,
            "joined_on": _day(row.joined_on) or MISSING,
            # a probationary member has no 转正时间 yet: blank, not missing
            "converted_on": _day(row.converted_on) or ("" if row.stage == "预备" else MISSING),
            "stage": row.stage,
            "group": row.group,
            "post": row.post or MISSING,
            "phone": row.phone or MISSING,
        })
    return {
        "title": TITLE,
        "branch_name": profile.name if profile else MISSING,
        "as_of": cn_date(today),
        "members": members,
        "counts": counts,
        "summary": _summary(counts),
        "id_note": "身份证号为完整号码，请妥善保管。" if full_id else "身份证号已隐去中间数字。",
    }


def make_roster(out: Path, full_id: bool = False, today: date | None = None) -> Path:
    """Write the roster to ``out``; the suffix picks the format (.pdf, .docx or .xlsx).

    The file appears whole or not at all: it is written under a temporary name and then renamed.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise LedgerError(f"不支持的花名册文件类型“{out.suffix or '（无扩展名）'}”：请用 .pdf、.docx 或 .xlsx 结尾的文件名。")
    if suffix == ".xlsx":
        from ..roster_export import export_roster_xlsx

        export_roster_xlsx(out)
        return out
    context = roster_context(full_id, today)
    if suffix == ".docx":
        from .word import render_docx

        return render_docx(TEMPLATE, context, out, must_contain=[context["branch_name"]])
    with atomic_output(out) as partial:
        render_pdf(context, partial)
    return out


def render_pdf(context: dict, out: Path) -> None:
    """Lay the roster out on landscape A4: title, a table whose header repeats, counts, page numbers."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import SimpleDocTemplate, Spacer

    from .pdf import TextBlock, fonts, text_table

    font = fonts()
    size = 10
    margin = 10 * mm
    page = landscape(A4)
    doc = SimpleDocTemplate(str(out), pagesize=page, leftMargin=margin, rightMargin=margin,
                            topMargin=15 * mm, bottomMargin=15 * mm, title=f"{context['branch_name']} {TITLE}",
                            author=context["branch_name"])
    padding = 3 * mm + 1  # the cell padding of text_table, and a point of slack against rounding

    def width(header: str, key: str, sample: str | None) -> float:
        """As wide as the widest value (up to the sample, or 【待补充】 when one is printed), never
        narrower than the header: a column with nothing missing gives its room to the last one."""
        if sample is None:
            return 0.0
        widest = max((stringWidth(m[key], font.body, size) for m in context["members"]), default=0.0)
        cap = max(stringWidth(sample, font.body, size), stringWidth(MISSING, font.body, size))
        return max(stringWidth(header, font.heading, size), min(widest, cap)) + padding

    widths = [width(*column) for column in COLUMNS]
    rest = widths.index(0.0)
    widths[rest] = doc.width - sum(widths)

    rows = [[header for header, _, _ in COLUMNS]]
    rows += [[m[key] for _, key, _ in COLUMNS] for m in context["members"]]
    if not context["members"]:
        rows.append([EMPTY_TEXT] + [""] * (len(COLUMNS) - 1))
    align = ["left" if key == "post" else "center" for _, key, _ in COLUMNS]
    table = text_table(rows, widths, font.body, size, header_font=font.heading, header_rows=1, align=align)
    if not context["members"]:
        table.setStyle([("SPAN", (0, 1), (-1, 1))])

    story = [
        TextBlock(context["title"], font.heading, 20, align="center"),
        Spacer(1, 2 * mm),
        TextBlock(f"党支部：{context['branch_name']}　　　截至 {context['as_of']}", font.body, 11, align="center"),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 4 * mm),
        TextBlock(f"{context['summary']}{context['id_note']}", font.body, 10.5),
        TextBlock(f"制表日期：{context['as_of']}", font.body, 10.5, align="right"),
    ]

    def running_head(canvas, doc_):
        canvas.saveState()
        canvas.setFont(font.body, 9)
        canvas.drawString(margin, page[1] - 9 * mm, f"{context['branch_name']}　{TITLE}（续）")
        canvas.restoreState()

    doc.build(story, onLaterPages=running_head,
              canvasmaker=_numbered_canvas(font.song, 10.5, "第 {n} 页　共 {total} 页"))


def _numbered_canvas(font: str, size: float, style: str):
    """A reportlab canvas class that writes "第 N 页 共 M 页" at the foot of every page.

    The total is known only at the end, so pages are held back and drawn on ``save`` (the usual
    reportlab recipe); ``documents.pdf.page_number_footer`` cannot say "共 M 页".
    """
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self):
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._held)
            for number, state in enumerate(self._held, 1):
                self.__dict__.update(state)
                self.saveState()
                self.setFont(font, size)
                self.drawCentredString(self._pagesize[0] / 2, 7 * mm, style.format(n=number, total=total))
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas
