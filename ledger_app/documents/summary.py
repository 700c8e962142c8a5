"""The annual work summary (年度工作总结): Word from ``templates/summary.docx`` and PDF laid out to
GB/T 9704-2012 (domain-rules §6).

The context builder drafts the sentences around every figure the ledger knows — the roster at 31
December, meetings per kind and attendance, 民主评议, new members, conversions, transfers, dues —
taking them from ``services.statistics.year_statistics`` so the summary and the statistics always
agree. What only the clerk knows (political work, conduct, the unit's central tasks, problems,
next year's plans) comes from ``services.annual_text``; a section the clerk has not written prints
【待补充】, never invented text.

PDF layout (GB/T 9704-2012): A4; top margin 37 mm, left 28 mm, a text block of 156 × 225 mm holding
22 lines of 28 characters (16 pt 仿宋, characters set 15.79 pt apart, lines 28.95 pt apart); the
title 22 pt in the heading face (小标宋 is not bundled: the bold heading face stands in), "一、"
headings 黑体, "（一）" headings 楷体; page numbers "— 1 —" in 14 pt 宋体 7 mm below the block, at the
outside corner (right on odd pages, left on even ones) one character in.
"""

from datetime import date
from pathlib import Path

from ..errors import LedgerError
from . import MISSING, atomic_output, cn_date

TEMPLATE = "summary.docx"
SUFFIXES = (".docx", ".pdf")

# The outline of domain-rules §6: (context key, heading); a key of vocab.ANNUAL_TEXT_SECTIONS is the
# clerk's text, the others the ledger drafts. The Word template is built from this list too.
MAIN_WORK = "一、主要工作和成效"
SUBSECTIONS = (
    ("political", "（一）加强政治建设和思想建设"),
    ("organisation", "（二）严格落实组织生活制度"),
    ("members", "（三）抓好党员教育管理和发展党员工作"),
    ("dues", "（四）规范党费收缴管理"),
    ("conduct", "（五）加强作风建设和纪律建设"),
    ("central_tasks", "（六）围绕中心工作发挥作用"),
)
CLOSING_SECTIONS = (("problems", "二、存在的问题和不足"), ("plans", "三、下一年度工作打算"))
CLERK_SECTIONS = ("political", "conduct", "central_tasks", "problems", "plans")


def _paragraphs(text: str | None) -> list[str]:
    """The clerk's text, a paragraph per non-empty line; 【待补充】 when there is none."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines or [MISSING]


def _n(value: int) -> str:
    return f"{value}名"


def _meeting_kinds(table) -> list[dict]:
    """The meeting table by kind (党小组会 summed over its groups): name, required, held, meetings,
    the groups, and the periods missed as "党小组会·第一党小组（8月）"."""
    from ..services.statistics import TOTAL

    kinds: dict[str, dict] = {}
    for row in table.rows:
        if row[0].text == TOTAL:
            continue
        name, _, group = row[0].text.partition("·")
        entry = kinds.setdefault(name, {"name": name, "required": 0, "held": 0, "meetings": 0, "groups": 0,
                                        "missed": []})
        entry["required"] += row[2].value or 0
        entry["held"] += row[3].value or 0
        entry["meetings"] += row[4].value or 0
        entry["groups"] += 1 if group else 0
        if row[6].text != "无":
            entry["missed"].append(f"{row[0].text}（{row[6].text}）")
    return list(kinds.values())


def _organisation(stats) -> list[str]:
    from ..services.statistics import talks_held

    table = stats.table("meetings")
    kinds = {k["name"]: k for k in _meeting_kinds(table)}
    total = table.row(_total())
    parts = []
    for name in ("支部党员大会", "支部委员会", "党小组会", "党课"):
        kind = kinds.get(name)
        if kind is None:
            continue
        groups = f"（{kind['groups']}个党小组）" if kind["groups"] else ""
        parts.append(f"{'讲' if name == '党课' else '召开'}{name}{kind['meetings']}次{groups}")
    first = f"坚持“三会一课”制度。全年{'、'.join(parts)}，" if parts else "坚持“三会一课”制度。"
    first += f"全年各类会议共{total[4].value}次，党员出勤率{total[5].text}（实到人次占应到人次）。"
    missed = [m for k in kinds.values() for m in k["missed"]]
    if missed:
        first += f"对照规定的期次，应开{total[2].value}期，已开{total[3].value}期，未按期召开的有：{'、'.join(missed)}。"
    else:
        first += f"对照规定的期次，应开{total[2].value}期，均已按期召开。"
    paragraphs = [first]
    theme = kinds.get("主题党日")
    paragraphs.append(f"开展主题党日活动{theme['meetings']}次。" if theme and theme["meetings"]
                      else "台账中没有本年度主题党日的记录。")
    life = kinds.get("组织生活会")
    paragraphs.append(f"召开组织生活会{life['meetings']}次。" if life and life["meetings"]
                      else "台账中没有本年度组织生活会的记录。")
    talks = talks_held(stats.year)
    paragraphs.append(f"开展谈心谈话{talks}次。" if talks else "台账中没有本年度谈心谈话的记录。")
    appraisal = stats.table("appraisal")
    graded = appraisal.value("参加评议并评定等次")
    if graded:
        grades = "、".join(f"{label}{_n(appraisal.value(label))}" for label in ("优秀", "合格", "基本合格", "不合格"))
        paragraphs.append(f"开展民主评议党员，{_n(graded)}党员评定了等次，其中{grades}。")
    else:
        paragraphs.append("台账中没有本年度民主评议党员的等次记录。")
    return paragraphs


def _total() -> str:
    from ..services.statistics import TOTAL

    return TOTAL


def _members(stats) -> list[str]:
    from ..services.statistics import LEAVING_STATES
    from ..vocab import MEMBERSHIP_STATES

    overview, changes = stats.table("overview"), stats.table("changes")
    first = (f"截至{stats.year}年12月31日，支部共有党员{_n(overview.value('党员总数'))}，其中正式党员"
             f"{_n(overview.value('正式党员'))}、预备党员{_n(overview.value('预备党员'))}。")
    new, converted = changes.value("发展党员（接收预备党员）"), changes.value("预备党员转正")
    moves = (f"全年发展党员{_n(new)}，{_n(converted)}预备党员转正；组织关系转入{_n(changes.value('组织关系转入'))}、"
             f"转出{_n(changes.value('组织关系转出'))}。")
    labels = [MEMBERSHIP_STATES[state] for state in LEAVING_STATES]
    left = [f"{label}{_n(changes.value(label))}" for label in labels if changes.value(label)]
    moves += f"党员中{'、'.join(left)}。" if left else ""
    return [first, moves]


def _dues(stats) -> list[str]:
    dues = stats.table("dues")
    text = (f"按月收缴党费，全年收缴党费{dues.cell('合计（元）').text}元，其中按标准交纳{dues.cell('按标准交纳（元）').text}元、"
            f"自愿多交{dues.cell('自愿多交（元）').text}元，交纳党费的党员{_n(dues.value('交纳党费人数'))}。")
    behind = dues.value("有未交月份的人数")
    if behind:
        text += f"截至统计日，尚有{_n(behind)}党员有未交月份。"
    return [text]


def _overview(stats, upper: str) -> list[str]:
    overview = stats.table("overview")
    lead = f"{stats.year}年，{stats.branch_name or MISSING}在{upper or '上级党组织'}的领导下开展工作。"
    lead += (f"截至12月31日，支部有党员{_n(overview.value('党员总数'))}，其中女党员{_n(overview.value('女党员'))}、"
             f"少数民族党员{_n(overview.value('少数民族党员'))}、大专及以上学历{_n(overview.value('大专及以上学历'))}。")
    return [lead + "现将一年来的工作总结如下。"]


def summary_figures(stats) -> dict:
    """The figures the summary prints, by name (the tests check them against the statistics)."""
    overview, changes, dues = stats.table("overview"), stats.table("changes"), stats.table("dues")
    meetings = stats.table("meetings").row(_total())
    return {
        "members": overview.value("党员总数"), "full": overview.value("正式党员"),
        "probationary": overview.value("预备党员"), "new_members": changes.value("发展党员（接收预备党员）"),
        "conversions": changes.value("预备党员转正"), "transfers_in": changes.value("组织关系转入"),
        "transfers_out": changes.value("组织关系转出"), "meetings": meetings[4].value, "attendance": meetings[5].text,
        "dues_total": dues.cell("合计（元）").text,
        "meetings_by_kind": {k["name"]: k["meetings"] for k in _meeting_kinds(stats.table("meetings"))},
    }


def summary_context(year: int, today: date | None = None, stats=None) -> dict:
    """Every paragraph of the summary as text, shared by both renderers."""
    from ..services.annual_text import annual_texts
    from ..services.branch import get_profile
    from ..services.statistics import year_statistics

    today = today or date.today()
    stats = stats or year_statistics(year, today)
    profile = get_profile()
    texts = annual_texts(year)
    branch = stats.branch_name or MISSING
    context = {
        "year": str(year), "branch_name": branch, "title": f"{branch}{year}年度工作总结",
        "overview": _overview(stats, profile.upper_committee if profile else ""),
        "organisation": _organisation(stats), "members": _members(stats), "dues": _dues(stats),
        "signature_name": branch, "signature_date": cn_date(today), "figures": summary_figures(stats),
    }
    for section in CLERK_SECTIONS:
        context[section] = _paragraphs(texts.get(section))
    return context


def _check_suffix(out: Path) -> str:
    suffix = Path(out).suffix.lower()
    if suffix not in SUFFIXES:
        raise LedgerError(f"年度工作总结只能保存为 Word（.docx）或 PDF（.pdf）文件，“{Path(out).name}”的扩展名不对，"
                          "请改为 .docx 或 .pdf。")
    return suffix


def write_summary(year: int, out: Path, today: date | None = None, stats=None) -> Path:
    """Write the summary as .docx or .pdf (by the suffix); written whole or not at all."""
    out = Path(out)
    suffix = _check_suffix(out)
    context = summary_context(year, today, stats)
    if suffix == ".docx":
        from .word import render_docx

        return render_docx(TEMPLATE, context, out, must_contain=[context["title"]])
    with atomic_output(out) as partial:
        render_pdf(context, partial)
    return out


# ---- PDF (GB/T 9704-2012) ---------------------------------------------------------------------------------

LINES, CHARS = 22, 28
BLOCK_W_MM, BLOCK_H_MM = 156, 225
TOP_MM, LEFT_MM = 37, 28
BODY_PT, TITLE_PT, PAGE_PT = 16, 22, 14
# The first line of a paragraph is indented two characters. The line breaker drops leading spaces,
# so the indent is written as two private-use marks: measured as a character, drawn as a space.
INDENT_MARK = "\ue000"
INDENT = INDENT_MARK * 2


def _grid():
    from reportlab.lib.units import mm

    return BLOCK_W_MM * mm / CHARS, BLOCK_H_MM * mm / LINES  # character pitch, line pitch (pt)


def _grid_text(text: str, font: str, size: float, align: str = "left"):
    """A TextBlock on the 公文 grid: characters ``pitch`` apart (16 pt glyphs a little closer), lines
    one grid line apart, so 28 characters fill a line and 22 lines a page."""
    from .pdf import TextBlock

    pitch, line = _grid()
    space = pitch - size if size == BODY_PT else 0.0

    class GridText(TextBlock):
        def _measure(self, value: str) -> float:
            return super()._measure(value.replace(INDENT_MARK, "\u3000")) + space * len(value)

        def split(self, available_width, available_height):
            parts = super().split(available_width, available_height)
            for part in parts:
                part.__class__ = GridText
            return parts

        def draw(self):
            canvas = self.canv
            canvas.setFont(self.font, self.size)
            baseline = self.leading * len(self.lines) - self.size - (self.leading - self.size) / 2
            for text in self.lines:
                if self.align == "center":
                    x = (self._width - self._measure(text) + space) / 2
                elif self.align == "right":
                    x = self._width - self._measure(text) + space
                else:
                    x = 0
                marks = len(text) - len(text.lstrip(INDENT_MARK))
                canvas.drawString(x + marks * pitch, baseline, text[marks:], charSpace=space)
                baseline -= self.leading

    return GridText(text, font, size, line, align)


def _page_number(font: str):
    from reportlab.lib.units import mm

    def draw(canvas, doc):
        pitch, _ = _grid()
        text = f"— {doc.page} —"
        y = doc.bottomMargin - 7 * mm - PAGE_PT * 0.8
        canvas.saveState()
        canvas.setFont(font, PAGE_PT)
        if doc.page % 2:  # odd pages: right, one character in
            canvas.drawRightString(doc.leftMargin + doc.width - pitch, y, text)
        else:
            canvas.drawString(doc.leftMargin + pitch, y, text)
        canvas.restoreState()

    return draw


def render_pdf(c: dict, out: Path) -> None:
    """The summary on the 公文 grid: title, overview, the outline's headings and paragraphs, signature."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Frame, KeepTogether, PageTemplate, Spacer

    from .pdf import fonts

    f = fonts()
    _, line = _grid()
    page_h = A4[1]
    doc = BaseDocTemplate(str(out), pagesize=A4, leftMargin=LEFT_MM * mm, rightMargin=A4[0] - (LEFT_MM + BLOCK_W_MM) * mm,
                          topMargin=TOP_MM * mm, bottomMargin=page_h - (TOP_MM + BLOCK_H_MM) * mm, title=c["title"],
                          author=c["branch_name"])
    # The text block itself, without the frame's usual padding; half a point of slack so that 22
    # lines of 225/22 mm are not refused by rounding.
    block = Frame(doc.leftMargin, doc.bottomMargin - 0.5, doc.width, doc.height + 0.5, id="block",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[block], onPage=_page_number(f.song))])

    def body(paragraphs: list[str]) -> list:
        return [_grid_text(INDENT + p, f.body, BODY_PT) for p in paragraphs]

    story = [_grid_text(c["title"], f.heading, TITLE_PT, "center"), Spacer(0, line), *body(c["overview"]),
             _grid_text(INDENT + MAIN_WORK, f.heading, BODY_PT)]
    for key, heading in SUBSECTIONS:
        paragraphs = body(c[key])
        story += [KeepTogether([_grid_text(INDENT + heading, f.kai, BODY_PT), paragraphs[0]]), *paragraphs[1:]]
    four = "\u3000" * 4  # 右空四字
    signature = [Spacer(0, line), _grid_text(c["signature_name"] + four, f.body, BODY_PT, "right"),
                 _grid_text(c["signature_date"] + four, f.body, BODY_PT, "right")]
    for index, (key, heading) in enumerate(CLOSING_SECTIONS, 1):
        parts = [_grid_text(INDENT + heading, f.heading, BODY_PT), *body(c[key])]
        if index < len(CLOSING_SECTIONS):
            story += [KeepTogether(parts[:2]), *parts[2:]]
        else:  # the signature never stands alone on a page: it keeps the last paragraph (and a lone
            # paragraph's heading) with it
            head, tail = (parts[:-1], parts[-1:]) if len(parts) > 2 else ([], parts)
            story += [*head, KeepTogether(tail + signature)]
    doc.build(story)
