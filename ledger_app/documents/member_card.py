"""A member's 党员信息卡 as a PDF (A4 portrait): every field of the file, 党龄, the development
dates on record, committee posts, 民主评议 grades, transfers and the history.

The ID number is printed in full: the card is the member's own file, kept in the branch's records
(unlike the roster, which is handed round and masks it). An empty field prints 【待补充】 so the
clerk sees what to complete; nothing is guessed. Development dates are listed only where recorded
(a member who joined before the ledger has none on file, and that is not an omission).
"""

from dataclasses import fields
from datetime import date
from pathlib import Path

from ..errors import LedgerError
from . import MISSING, atomic_output

TITLE = "党员信息卡"


def _day(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _dot(value: date | None) -> str:
    """A compact date for the list tables: 2026.04.30."""
    return value.strftime("%Y.%m.%d") if value else ""


def _standing(detail, today: date) -> str:
    """党龄 as printed: whole years from the 转正时间 (rules.standing)."""
    from ..rules.standing import standing_years

    years = standing_years(detail.converted_on, today)
    if years is not None:
        return f"{years} 年"
    if detail.stage == "probationary":
        return "预备党员，尚未转正"
    if detail.stage == "full":
        return MISSING  # a full member without 转正时间: the date is missing, not the 党龄
    return "（非党员）"


def card_context(person_id: int, today: date | None = None) -> dict:
    """The card as plain values: (label, value) pairs per section, ready for any renderer."""
    from ..services.branch import get_profile
    from ..services.members import DEVELOPMENT_LABELS, get_member

    today = today or date.today()
    m = get_member(person_id)
    profile = get_profile()

    def v(value) -> str:
        text = _day(value) if isinstance(value, date) else str(value or "").strip()
        return text or MISSING

    # 转正时间 is missing only for a full member; a probationary member has none yet.
    converted = v(m.converted_on) if m.stage == "full" else "（预备期内）" if m.stage == "probationary" else "—"
    mobile = "是" + (f"（{m.mobile_note}）" if m.mobile_note else "") if m.is_mobile else "否"
    # Rows of the grid: two label/value pairs a row, or one pair across the whole row.
    basic = [
        [("姓名", v(m.name)), ("性别", v(m.sex_label))],
        [("民族", v(m.ethnicity)), ("出生日期", v(m.birth_date))],
        [("身份证号", v(m.id_number)), ("籍贯", v(m.native_place))],
        [("学历", v(m.education)), ("学位", v(m.degree))],
        [("毕业院校及专业", v(m.school_major))],
        [("参加工作时间", v(m.work_started_on)), ("职业", v(m.occupation))],
        [("工作单位及职务", v(m.post)), ("联系电话", v(m.phone))],
        [("家庭住址", v(m.address))],
    ]
    party = [
        [("人员类别", m.stage_label), ("党籍状态", m.state_label)],
        [("入党时间", v(m.joined_on) if m.is_member else "—"), ("转正时间", converted)],
        [("党龄", _standing(m, today)),
         ("党小组", v(m.group_name) if m.membership_state == "active" else m.group_name or "—")],
        [("党费类别", m.dues_category_label), ("流动党员", mobile)],
    ]
    if m.membership_state != "active":
        party += [[("状态变动日期", v(m.state_changed_on))], [("变动原因", v(m.state_reason))]]
    recorded = [(DEVELOPMENT_LABELS[f.name], _day(value) if isinstance(value, date) else str(value))
                for f in fields(m.development) if (value := getattr(m.development, f.name)) not in (None, "")]
    development = [recorded[i:i + 2] for i in range(0, len(recorded), 2)]
    return {
        "title": TITLE,
        "branch_name": profile.name if profile else MISSING,
        "printed_on": _day(today),
        "name": m.name,
        "basic": basic,
        "party": party,
        "note": m.note.strip(),
        "development": development,
        "posts": [[p.post, _dot(p.term_started_on), _dot(p.started_on) or MISSING, _dot(p.ended_on) or "至今"]
                  for p in m.committee_posts],
        "appraisals": [[f"{a.year} 年", a.grade_label] for a in m.appraisals],
        "transfers": [[_dot(t.transferred_on), t.direction_label, t.from_org or MISSING, t.to_org or MISSING,
                       t.letter_number or MISSING, _dot(t.receipt_returned_on) or "未寄回"] for t in m.transfers],
        "history": [[_dot(h.occurred_on), h.kind_label, h.description or MISSING] for h in m.history],
    }


def make_member_card(person_id: int, out: Path, today: date | None = None) -> Path:
    """Write the card of person ``person_id`` to ``out`` (.pdf), whole or not at all."""
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise LedgerError(f"党员信息卡只能生成 PDF：请用 .pdf 结尾的文件名，而不是“{out.name}”。")
    context = card_context(person_id, today)
    with atomic_output(out) as partial:
        render_pdf(context, partial)
    return out


def render_pdf(context: dict, out: Path) -> None:
    """Lay the card out: title, a four-column label/value grid, then one table per list."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer

    from .pdf import TextBlock, fonts, page_number_footer, text_table

    font = fonts()
    size = 10.5
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm,
                            bottomMargin=20 * mm, title=f"{TITLE}：{context['name']}", author=context["branch_name"])
    shade = colors.HexColor("#eeeeee")

    def grid(rows: list[list[tuple[str, str]]], label_w: float = 30 * mm):
        """Label/value rows: two pairs side by side, or one pair across the whole width."""
        value_w = doc.width / 2 - label_w
        cells = [[row[0][0], row[0][1], row[1][0], row[1][1]] if len(row) == 2 else [row[0][0], row[0][1], "", ""]
                 for row in rows]
        table = text_table(cells, [label_w, value_w, label_w, value_w], font.body, size, header_rows=0)
        style = [("BACKGROUND", (0, 0), (0, -1), shade), ("BACKGROUND", (2, 0), (2, -1), shade)]
        style += [("SPAN", (1, r), (3, r)) for r, row in enumerate(rows) if len(row) == 1]
        table.setStyle(style)
        return table

    def heading(title: str):
        block = TextBlock(title, font.heading, 12, leading=20)
        block.keepWithNext = True  # never alone at the foot of a page
        return block

    def section(title: str, header: list[str], rows: list[list[str]], widths: list[float]):
        if not rows:
            return [heading(title), TextBlock("暂无记录。", font.body, size), Spacer(1, 3 * mm)]
        table = text_table([header, *rows], [w * doc.width for w in widths], font.body, size,
                           header_font=font.heading, header_rows=1)
        return [heading(title), table, Spacer(1, 3 * mm)]

    story = [
        TextBlock(TITLE, font.heading, 20, align="center"),
        Spacer(1, 1 * mm),
        TextBlock(f"{context['branch_name']}　　打印日期：{context['printed_on']}", font.body, 10.5, align="center"),
        Spacer(1, 4 * mm),
        heading("基本信息"),
        grid(context["basic"]),
        Spacer(1, 3 * mm),
        heading("党员信息"),
        grid(context["party"]),
        Spacer(1, 3 * mm),
    ]
    if context["note"]:
        story += [TextBlock(f"备注：{context['note']}", font.body, size), Spacer(1, 3 * mm)]
    if context["development"]:
        story += [heading("发展过程"), grid(context["development"], 44 * mm), Spacer(1, 3 * mm)]
    story += section("支部委员会任职", ["职务", "任期开始", "任职日期", "离任日期"], context["posts"],
                     [0.25, 0.25, 0.25, 0.25])
    story += section("民主评议", ["年度", "评议等次"], context["appraisals"], [0.5, 0.5])
    story += section("组织关系转接", ["日期", "类别", "转出单位", "转入单位", "介绍信编号", "回执"], context["transfers"],
                     [0.14, 0.08, 0.24, 0.24, 0.18, 0.12])
    story += section("个人历程", ["日期", "类别", "内容"], context["history"], [0.15, 0.12, 0.73])
    footer = page_number_footer(font.song, 10.5)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
