"""The 党员组织关系介绍信 (introduction letter) of a transfer out: stub, letter and receipt.

The layout and wording follow the form in use since 2007 (domain-rules §4): three parts on one
sheet, cut apart along dashed lines. The stub (存根) stays with the sending organisation, the
member carries the letter to the receiving one, and the receiving organisation returns the
receipt (回执). "Dues paid up to" and the validity are written in capital numerals
(``rules.numerals``) so they cannot be altered. The age is the age on the letter's date. Anything
the ledger does not know is printed as 【待补充】, never invented; the stamp, the receiving
clerk's name and the receipt's date are left blank for whoever fills them by hand.
"""

import re
from datetime import date
from pathlib import Path

from .. import vocab
from ..errors import LedgerError, ValidationError
from ..models import Transfer
from ..rules import id_number as id_rules
from ..rules.dates import age_on
from ..rules.numerals import capital_number, capital_year_month
from ..services.branch import get_profile
from . import MISSING, atomic_output, cn_date

TEMPLATE = "transfer_letter.docx"
TITLE = "中国共产党党员组织关系介绍信"


def _text(value) -> str:
    text = "" if value is None else str(value).strip()
    return text or MISSING


chinese_date = cn_date  # the letter's dates, 2026年11月22日


def letter_context(transfer_id: int, today: date | None = None) -> dict:
    """Everything the letter prints, as plain strings; shared by the PDF and the Word renderer.

    ``today`` is only the printing date (``printed_on``), for a clerk's own template that wants it.
    """
    transfer = Transfer.get_or_none(Transfer.id == transfer_id)
    if transfer is None:
        raise ValidationError(f"找不到编号为 {transfer_id} 的组织关系转接记录，请检查编号。", "transfer_id")
    if transfer.direction != "out":
        raise ValidationError(f"编号 {transfer_id} 是一条转入记录：介绍信由转出的党组织开具，本支部不需要打印。",
                              "transfer_id")
    person = transfer.person
    profile = get_profile()
    id_facts = None
    if person.id_number:
        id_facts, _ = id_rules.parse(id_rules.normalise(person.id_number))
    birth = person.birth_date or (id_facts.birth_date if id_facts else None)
    sex = person.sex or (id_facts.sex if id_facts else None)
    branch_name = profile.name if profile else ""
    return {
        "branch_name": _text(branch_name),
        # The form prints 第 … 号 around the number; a number typed with them would print them twice.
        "letter_number": _text(transfer.letter_number.strip().removeprefix("第").removesuffix("号").strip()),
        "name": _text(person.name),
        "sex": _text(vocab.SEXES.get(sex, "")),
        "age": _text(age_on(birth, transfer.transferred_on) if birth else None),
        "ethnicity": _text(person.ethnicity),
        # 正式 / 预备: the form's words, the labels 正式党员 / 预备党员 without 党员.
        "category": _text(vocab.STAGES.get(person.stage, "").removesuffix("党员")
                          if person.stage in vocab.MEMBER_STAGES else ""),
        "id_number": _text(person.id_number),
        "from_org": _text(transfer.from_org or branch_name),
        "to_org": _text(transfer.to_org),
        "dues_paid_until": _text(capital_year_month(transfer.dues_paid_until) if transfer.dues_paid_until else None),
        "valid_days": _text(capital_number(transfer.valid_days) if 0 < (transfer.valid_days or 0) < 1000 else None),
        "phone": _text(person.phone),
        "branch_address": _text(profile.address if profile else ""),
        "branch_phone": _text(profile.phone if profile else ""),
        "date": chinese_date(transfer.transferred_on),
        "scope": vocab.TRANSFER_SCOPES.get(transfer.scope, transfer.scope),
        "printed_on": chinese_date(today or date.today()),
    }


def particulars(c: dict) -> list[tuple[str, bool]]:
    """The sentence the stub and the letter share, as (text, filled in) pieces: who, what kind of
    member, from where to where. The PDF underlines the filled-in pieces as on the printed form."""
    return [(c["name"], True), ("同志（", False), (c["sex"], True), ("，", False), (c["age"], True),
            ("岁，", False), (c["ethnicity"], True), ("），系中共", False), (c["category"], True),
            ("党员，身份证号码", False), (c["id_number"], True), ("，由", False), (c["from_org"], True),
            ("去", False), (c["to_org"], True)]


def make_transfer_letter(transfer_id: int, out: Path, today: date | None = None) -> Path:
    """Write the letter of a transfer out as .pdf or .docx (chosen by the suffix); nothing half-written."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".docx"):
        raise LedgerError(f"介绍信只能保存为 PDF（.pdf）或 Word（.docx）文件，“{out.name}”的扩展名不对，请改为 .pdf 或 .docx。")
    context = letter_context(transfer_id, today)
    if suffix == ".docx":
        from .word import render_docx

        return render_docx(TEMPLATE, context, out,
                           must_contain=[context["branch_name"], context["name"], context["dues_paid_until"]])
    with atomic_output(out) as partial:
        render_pdf(context, partial)
    return out


# One full-width cell drawn empty: an indent, or a gap the receiving organisation fills by hand. A
# private-use character, because line breaking drops spaces at the start and end of a line.
_EMPTY = "\ue000"
BLANK = (_EMPTY * 5, True)  # an underlined gap to write on


def render_pdf(c: dict, out: Path) -> None:
    """Lay the three parts out top to bottom on one A4 page, cut lines between them.

    Filled-in values are underlined, as written on the printed form's lines, so a reader sees at
    once what the branch wrote and what is standard wording.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer

    from .linebreak import break_lines
    from .pdf import TextBlock, fonts

    f = fonts()
    grey = colors.HexColor("#555555")

    class FormText(Flowable):
        """Wrapped text (Chinese line breaking) whose filled-in pieces are underlined."""

        def __init__(self, pieces: list[tuple[str, bool]], size: float, indent: int = 2, align: str = "left"):
            super().__init__()
            self.text = _EMPTY * indent + "".join(text for text, _ in pieces)
            self.filled = set()
            at = indent
            for text, filled in pieces:
                if filled:
                    self.filled.update(range(at, at + len(text)))
                at += len(text)
            self.size, self.leading, self.align = size, size * 1.75, align
            self.lines: list[list[tuple[int, str]]] = []

        def _measure(self, text: str) -> float:
            return pdfmetrics.stringWidth(text.replace(_EMPTY, "\u4e00"), f.body, self.size)

        def wrap(self, available_width, available_height):
            self.width = available_width
            self.lines, at = [], 0
            for line in break_lines(self.text, self._measure, available_width):
                placed = []
                for ch in line:  # find each character in the text: spaces at a break were dropped
                    while self.text[at] != ch:
                        at += 1
                    placed.append((at, ch))
                    at += 1
                self.lines.append(placed)
            return available_width, self.leading * len(self.lines)

        def draw(self):
            canvas = self.canv
            canvas.setFont(f.body, self.size)
            canvas.setLineWidth(0.5)
            y = self.leading * len(self.lines) - self.size - (self.leading - self.size) / 2
            for placed in self.lines:
                line = "".join(ch for _, ch in placed)
                start = {"left": 0.0, "right": self.width - self._measure(line),
                         "center": (self.width - self._measure(line)) / 2}[self.align]
                # Whole runs of text (one string each, so the PDF's text copies and searches as
                # words), then one underline per run of filled-in characters.
                for run in re.finditer(f"[^{_EMPTY}]+", line):
                    canvas.drawString(start + self._measure(line[:run.start()]), y, run.group())
                flags = "".join("1" if at in self.filled else "0" for at, _ in placed)
                for run in re.finditer("1+", flags):
                    x0 = start + self._measure(line[:run.start()])
                    canvas.line(x0, y - 2.5, start + self._measure(line[:run.end()]), y - 2.5)
                y -= self.leading

    class CutLine(Flowable):
        """A dashed line across the sheet with a label in a gap at its middle."""

        def __init__(self, label: str):
            super().__init__()
            self.label = label

        def wrap(self, available_width, available_height):
            self.width = available_width
            return available_width, 10 * mm

        def draw(self):
            canvas, y, size = self.canv, 5 * mm, 9
            label_width = pdfmetrics.stringWidth(self.label, f.body, size) + 4 * mm
            gap_left = (self.width - label_width) / 2
            canvas.saveState()
            canvas.setDash(4, 3)
            canvas.setLineWidth(0.6)
            canvas.setStrokeColor(grey)
            canvas.line(-12 * mm, y, gap_left, y)
            canvas.line(gap_left + label_width, y, self.width + 12 * mm, y)
            canvas.setFont(f.body, size)
            canvas.setFillColor(grey)
            canvas.drawCentredString(self.width / 2, y - size * 0.35, self.label)
            canvas.restoreState()

    def story(k: float) -> list:
        """The three parts with every size scaled by ``k``."""

        def title(text: str, points: float) -> TextBlock:
            return TextBlock(text, f.heading, points * k, points * k * 1.6, align="center")

        def number() -> FormText:
            return FormText([("第 ", False), (c["letter_number"], True), (" 号", False)], 10.5 * k, 0, "right")

        def text(*pieces: tuple[str, bool], size: float = 14, indent: int = 2, align: str = "left") -> FormText:
            return FormText(list(pieces), size * k, indent, align)

        def gap(height_mm: float) -> Spacer:
            return Spacer(0, height_mm * k * mm)

        filled = lambda key: (c[key], True)  # noqa: E731
        stub = [
            title(f"{TITLE}（存根）", 15), number(), gap(1),
            text(*particulars(c), ("。党费已交到", False), filled("dues_paid_until"), ("。", False), size=12),
            text(("有效期", False), filled("valid_days"), ("天", False), size=12),
            text(("经办党支部：", False), filled("branch_name"), size=12),
            text((c["date"], True), size=12, indent=0, align="right"),
        ]
        letter = [
            gap(2), title(TITLE, 20), number(), gap(2),
            text(filled("to_org"), ("：", False), indent=0),
            text(*particulars(c), ("，请转接组织关系。", False)),
            text(("该同志党费已交到", False), filled("dues_paid_until"), ("。", False)),
            text(("（有效期", False), filled("valid_days"), ("天）", False)),
            gap(4),
            text(("（盖章）" + _EMPTY * 2, False), indent=0, align="right"),
            text((c["date"], True), indent=0, align="right"),
            gap(4),
            text(("党员联系电话或其他联系方式：", False), filled("phone"), size=10.5, indent=0),
            text(("党员原所在基层党委通讯地址：", False), filled("branch_address"), size=10.5, indent=0),
            text(("联系电话：", False), filled("branch_phone"), size=10.5, indent=0),
        ]
        receipt = [
            gap(2), title(f"{TITLE}回执", 15), number(), gap(1),
            text(filled("from_org"), ("：", False), size=12, indent=0),
            text(filled("name"), ("同志的党员组织关系已转达我处，特此回执。", False), size=12),
            text(("经办人：", False), BLANK, ("\u3000\u3000联系电话：", False), BLANK, size=12),
            text(("（盖章）" + _EMPTY * 2, False), size=12, indent=0, align="right"),
            text((f"{_EMPTY * 4}年{_EMPTY * 2}月{_EMPTY * 2}日", False), size=12, indent=0, align="right"),
        ]
        return [*stub, CutLine("（存根由转出党组织留存，沿此线撕下，介绍信交党员本人）"), *letter,
                CutLine("（回执由接收党组织填写盖章后，沿此线撕下寄回转出党组织）"), *receipt]

    # The three parts belong on one sheet: long names or addresses shrink the type a little.
    for k in (1.0, 0.9, 0.8, 0.7):
        doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=14 * mm,
                                bottomMargin=12 * mm, title=f"{TITLE}（{c['name']}）", author=c["branch_name"],
                                subject=f"第 {c['letter_number']} 号")
        doc.build(story(k))
        if doc.page == 1:
            break
