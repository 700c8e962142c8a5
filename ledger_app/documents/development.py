"""The 发展党员 documents: the 公示 notice, the per-person 全程纪实表 and the year's 工作台账 register.

Each has one context builder (plain strings) shared by the Word template and the PDF layout.

- The 公示 (domain-rules §3, at least 5 working days) is of three kinds: before someone becomes
  a 发展对象 (``target``), before a 发展对象 is accepted as a 预备党员 (``admission``), before a
  预备党员 is converted (``conversion``). Its period is the one recorded for the person, else it
  starts on the printing day and ends on the 5th working day (holidays from the settings).
- The 全程纪实表 lists every step of ``rules.development.STEPS`` with its date and what goes with
  it (the deciding meeting, 培养联系人, 入党介绍人, the review's conclusion, the training's hours,
  the assessments); a step not yet reached prints blank, a date that should be there but is not
  prints 【待补充】.
- The 工作台账 lists everyone whose development had a step in the year.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import vocab
from ..errors import LedgerError, ValidationError
from ..rules import development as rules
from . import MISSING, atomic_output, cn_date
from .table_document import render_table_document

NOTICE_TEMPLATE = "development_notice.docx"
RECORD_TEMPLATE = "development_record.docx"
REGISTER_TEMPLATE = "development_register.docx"
SUFFIXES = (".pdf", ".docx")


@dataclass(frozen=True)
class NoticeKind:
    label: str
    title: str  # 关于…的公示, with {name}
    lead: str  # the opening sentence, with {name}
    stages: tuple[str, ...]  # the person categories it may be printed for
    start_field: str
    end_field: str


NOTICE_KINDS = {
    "target": NoticeKind("发展对象公示", "关于拟确定{name}同志为发展对象的公示",
                         "经党支部委员会研究，拟确定{name}同志为发展对象。为广泛听取党员和群众意见，现将有关情况公示如下：",
                         ("activist", "target"), "notice_start_on", "notice_end_on"),
    "admission": NoticeKind("拟接收预备党员公示", "关于拟接收{name}同志为中共预备党员的公示",
                            "经党支部委员会审查、上级党委预审，拟接收{name}同志为中共预备党员。现将有关情况公示如下：",
                            ("target",), "admission_notice_start_on", "admission_notice_end_on"),
    "conversion": NoticeKind("预备党员转正公示", "关于{name}同志预备党员转正的公示",
                             "{name}同志预备期即将期满，本人已提出转正申请，党支部拟讨论其转为中共正式党员。"
                             "现将有关情况公示如下：", ("probationary",), "conversion_notice_start_on",
                             "conversion_notice_end_on"),
}


def _text(value) -> str:
    text = "" if value is None else str(value).strip()
    return text or MISSING


def _day(value: date | None) -> str:
    return cn_date(value) if value else MISSING


def _branch():
    from ..services.branch import get_profile

    return get_profile()


def _suffix(out: Path, what: str) -> str:
    suffix = Path(out).suffix.lower()
    if suffix not in SUFFIXES:
        raise LedgerError(f"{what}只能保存为 PDF（.pdf）或 Word（.docx）文件，“{Path(out).name}”的扩展名不对。")
    return suffix


# --- 公示 -----------------------------------------------------------------------------------------

def notice_context(person_id: int, kind: str, today: date | None = None) -> dict:
    """The 公示 of one person; refuses a kind that does not fit the person's stage, naming both."""
    from ..services.development import card
    from ..services.members import get_member
    from ..services.settings import work_calendar

    today = today or date.today()
    if kind not in NOTICE_KINDS:
        raise ValidationError(f"公示类别“{kind}”无效，应为 target（发展对象）、admission（拟接收预备党员）或 "
                              "conversion（预备党员转正）。", "kind")
    spec = NOTICE_KINDS[kind]
    member = get_member(person_id)
    if member.stage not in spec.stages:
        need = "、".join(vocab.STAGES[s] for s in spec.stages)
        raise ValidationError(f"{member.name}现为{member.stage_label}，{spec.label}只适用于{need}，请选择相应的公示类别。",
                              "kind")
    pipeline = card(person_id, today)
    dates = pipeline.dates
    start = getattr(dates, spec.start_field) or today
    end = getattr(dates, spec.end_field) or work_calendar().notice_end(start)
    calendar = work_calendar()
    profile = _branch()
    branch_name = profile.name if profile else MISSING
    facts = [("姓名", member.name), ("性别", member.sex_label), ("民族", member.ethnicity),
             ("出生年月", f"{member.birth_date.year}年{member.birth_date.month}月" if member.birth_date else ""),
             ("学历", member.education), ("工作单位及职务", member.post or member.occupation),
             ("申请入党时间", _day(dates.applied_on)), ("确定为入党积极分子时间", _day(dates.activist_on))]
    if kind in ("admission", "conversion"):
        facts += [("确定为发展对象时间", _day(dates.target_on)), ("入党介绍人", dates.introducers)]
    if kind == "target":
        facts += [("培养联系人", dates.contacts)]
    if kind == "conversion":
        facts += [("入党时间", _day(member.joined_on)), ("预备期满时间", _day(pipeline.probation_ends))]
    return {
        "title": spec.title.format(name=member.name),
        "branch_name": branch_name,
        "name": member.name,
        "lead": spec.lead.format(name=member.name),
        "facts": [{"label": label, "value": _text(value)} for label, value in facts],
        "period": f"{cn_date(start)}至{cn_date(end)}（{calendar.working_days(start, end)}个工作日）",
        "start": cn_date(start),
        "end": cn_date(end),
        "invite": "公示期间，党员和群众可通过来电、来信、来访等方式，向党支部反映公示对象在政治思想、工作学习、"
                  "道德品质等方面的情况和问题。反映情况要实事求是，以个人名义反映的请署真实姓名。",
        "contact": f"联系电话：{_text(profile.phone if profile else '')}",
        "date": cn_date(today),
    }


def make_notice(person_id: int, kind: str, out: Path, today: date | None = None) -> Path:
    """Write the 公示 as .pdf or .docx."""
    suffix = _suffix(out, "公示")
    context = notice_context(person_id, kind, today)
    if suffix == ".docx":
        from .word import render_docx

        return render_docx(NOTICE_TEMPLATE, context, Path(out),
                           must_contain=[context["branch_name"], context["name"], context["start"]])
    with atomic_output(Path(out)) as partial:
        _notice_pdf(context, partial)
    return Path(out)


def _notice_pdf(c: dict, out: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer

    from .pdf import TextBlock, fonts, text_table

    f = fonts()
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=30 * mm,
                            bottomMargin=25 * mm, title=c["title"], author=c["branch_name"])
    label_width = 45 * mm
    table = text_table([[item["label"], item["value"]] for item in c["facts"]],
                       [label_width, doc.width - label_width], f.body, 13, header_rows=0,
                       align=["center", "left"])
    story = [TextBlock(c["title"], f.heading, 20, align="center"), Spacer(1, 8 * mm),
             TextBlock("\u3000\u3000" + c["lead"], f.body, 15, leading=27), Spacer(1, 3 * mm), table,
             Spacer(1, 4 * mm), TextBlock(f"\u3000\u3000公示时间：{c['period']}。", f.body, 15, leading=27),
             TextBlock("\u3000\u3000" + c["invite"], f.body, 15, leading=27),
             TextBlock("\u3000\u3000" + c["contact"], f.body, 15, leading=27), Spacer(1, 12 * mm),
             TextBlock(c["branch_name"], f.body, 15, align="right"), TextBlock(c["date"], f.body, 15, align="right")]
    doc.build(story)


# --- 全程纪实表 -------------------------------------------------------------------------------------

def record_context(person_id: int, today: date | None = None) -> dict:
    """Every step of one person's development with its date and particulars."""
    from ..services.development import card
    from ..services.members import get_member

    today = today or date.today()
    member = get_member(person_id)
    pipeline = card(person_id, today)
    dates = pipeline.dates
    reached = {s.field for s in pipeline.steps if s.on}
    last_index = max((i for i, s in enumerate(pipeline.steps) if s.on), default=-1)
    notes = {
        "activist_on": f"培养联系人：{_text(dates.contacts)}",
        "target_on": f"入党介绍人：{_text(dates.introducers)}",
        "political_review_on": f"结论：{_text(dates.political_review_conclusion)}",
        "training_start_on": f"学时：{dates.training_hours if dates.training_hours is not None else MISSING}",
        "joined_on": "通过之日为入党时间",
        "extension_decided_on": f"延长 {dates.extension_months or MISSING} 个月；原因：{_text(dates.extension_reason)}",
    }
    rows, previous_stage = [], None
    for index, step in enumerate(pipeline.steps):
        if step.on:
            when = cn_date(step.on) + (f"至{cn_date(step.end_on)}" if step.end_on else "")
        else:
            when = "" if index > last_index or step.optional else MISSING
        note = [step.meeting] if step.meeting else []
        if step.field in notes and (step.field in reached or index <= last_index):
            note.append(notes[step.field])
        rows.append({"stage": step.stage_label if step.stage_label != previous_stage else "",
                     "step": step.label, "date": when, "note": "；".join(note)})
        previous_stage = step.stage_label
        if step.field == "activist_filed_on" and pipeline.assessments:
            for on, conclusion in pipeline.assessments:
                rows.append({"stage": "", "step": "半年考察", "date": cn_date(on), "note": conclusion})
    if member.converted_on:
        rows.append({"stage": "", "step": "转正时间", "date": cn_date(member.converted_on), "note": "预备期满之日"})
    profile = _branch()
    return {
        "title": "发展党员全程纪实表",
        "branch_name": profile.name if profile else MISSING,
        "name": member.name,
        "sex": _text(member.sex_label),
        "birth": _day(member.birth_date),
        "ethnicity": _text(member.ethnicity),
        "education": _text(member.education),
        "post": _text(member.post or member.occupation),
        "category": member.stage_label + (f"（{member.state_label}）" if member.membership_state != "active" else ""),
        "next": (f"{pipeline.row.next_step}" + (f"，最迟 {cn_date(pipeline.row.latest)}" if pipeline.row.latest else "")
                 if pipeline.row.next_step else "—"),
        "rows": rows,
        "problems": [p.message for p in pipeline.row.problems],
        "made_on": cn_date(today),
    }


def make_record(person_id: int, out: Path, today: date | None = None) -> Path:
    """Write one person's 全程纪实表 as .pdf or .docx."""
    suffix = _suffix(out, "全程纪实表")
    context = record_context(person_id, today)
    if suffix == ".docx":
        from .word import render_docx

        return render_docx(RECORD_TEMPLATE, context, Path(out), must_contain=[context["branch_name"], context["name"]])
    with atomic_output(Path(out)) as partial:
        _record_pdf(context, partial)
    return Path(out)


def _record_pdf(c: dict, out: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer

    from .pdf import TextBlock, fonts, page_number_footer, text_table

    f = fonts()
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=f"{c['name']} {c['title']}", author=c["branch_name"])
    quarter = doc.width / 4
    head = text_table([["姓名", c["name"], "性别", c["sex"]], ["出生日期", c["birth"], "民族", c["ethnicity"]],
                       ["学历", c["education"], "工作单位及职务", c["post"]], ["现在类别", c["category"], "下一步", c["next"]]],
                      [quarter * 0.7, quarter * 1.3, quarter * 0.8, quarter * 1.2], f.body, 10.5, header_rows=0,
                      align=["center", "left", "center", "left"])
    widths = [30 * mm, 46 * mm, 42 * mm]
    widths.append(doc.width - sum(widths))
    steps = text_table([["阶段", "环节", "时间", "情况说明"]] + [[r["stage"], r["step"], r["date"], r["note"]]
                                                          for r in c["rows"]],
                       widths, f.body, 9.5, header_font=f.heading, align=["center", "left", "center", "left"])
    story = [TextBlock(c["title"], f.heading, 18, align="center"), Spacer(1, 2 * mm),
             TextBlock(f"党支部：{c['branch_name']}", f.body, 11, align="center"), Spacer(1, 4 * mm), head,
             Spacer(1, 3 * mm), steps]
    if c["problems"]:
        story += [Spacer(1, 3 * mm), TextBlock("需要核对：", f.heading, 10.5)]
        story += [TextBlock(f"· {message}", f.body, 9.5) for message in c["problems"]]
    story += [Spacer(1, 4 * mm), TextBlock(f"填表日期：{c['made_on']}", f.body, 10.5, align="right")]
    doc.build(story, onFirstPage=page_number_footer(f.song, 10), onLaterPages=page_number_footer(f.song, 10))


# --- 工作台账 ----------------------------------------------------------------------------------------

REGISTER_COLUMNS = (
    ("序号", "seq", "text", 9, "center"),
    ("姓名", "name", "text", 17, "center"),
    ("性别", "sex", "text", 9, "center"),
    ("出生日期", "birth", "text", 21, "center"),
    ("学历", "education", "text", 17, "center"),
    ("申请入党", "applied", "text", 21, "center"),
    ("确定积极分子", "activist", "text", 21, "center"),
    ("确定发展对象", "target", "text", 21, "center"),
    ("接收预备党员", "joined", "text", 21, "center"),
    ("转为正式党员", "converted", "text", 21, "center"),
    ("入党介绍人", "introducers", "text", 30, "center"),
    ("现状及下一步", "status", "text", 0, "left"),
)


def _developed_in(year: int) -> list:
    """(person, development row) of everyone with a development step dated in ``year``, by id."""
    from ..models import Development, Person

    start, end = date(year, 1, 1), date(year, 12, 31)
    date_fields = [s.field for s in (*rules.STEPS, rules.EXTENSION) if s.field != "joined_on"]
    chosen = []
    for dev in Development.select(Development, Person).join(Person).order_by(Person.id):
        person = dev.person
        days = [getattr(dev, name) for name in date_fields] + [person.joined_on, person.converted_on]
        if any(isinstance(d, date) and start <= d <= end for d in days):
            chosen.append((person, dev))
    return chosen


def developed_in(year: int) -> list[tuple[int, str]]:
    """(id, name) of everyone the year's 工作台账 lists, for their 全程纪实表 in the year archive."""
    return [(person.id, person.name) for person, _ in _developed_in(year)]


def register_context(year: int, today: date | None = None) -> dict:
    """Everyone whose development had a step in ``year`` (or who is in the pipeline at its end)."""
    from ..services.development import pipeline_rows

    if not 1900 <= year <= 9999:
        raise ValidationError(f"年份 {year} 无效，应为四位数字，如 2026。", "year")
    today = today or date.today()
    start, end = date(year, 1, 1), date(year, 12, 31)

    chosen = _developed_in(year)
    rows_by_id = {r.person_id: r for r in pipeline_rows(today, [p.id for p, _ in chosen])}

    def short(value):
        return value.strftime("%Y.%m.%d") if isinstance(value, date) else ""

    profile = _branch()
    rows = []
    for seq, (person, dev) in enumerate(chosen, 1):
        row = rows_by_id.get(person.id)
        state = vocab.MEMBERSHIP_STATES.get(person.membership_state, "")
        status = vocab.STAGES.get(person.stage, "") + ("" if person.membership_state == "active" else f"（{state}）")
        if row and row.next_step and person.membership_state == "active":
            status += f"；下一步：{row.next_step}" + (f"（最迟 {short(row.latest)}）" if row.latest else "")
        rows.append({"seq": str(seq), "name": person.name, "sex": vocab.SEXES.get(person.sex, ""),
                     "birth": short(person.birth_date), "education": person.education, "applied": short(dev.applied_on),
                     "activist": short(dev.activist_on), "target": short(dev.target_on),
                     "joined": short(person.joined_on), "converted": short(person.converted_on),
                     "introducers": dev.introducers, "status": status})
    counts = {key: sum(1 for p, d in chosen if isinstance(value(p, d), date) and start <= value(p, d) <= end)
              for key, value in (("applied", lambda p, d: d.applied_on), ("activist", lambda p, d: d.activist_on),
                                 ("target", lambda p, d: d.target_on), ("joined", lambda p, d: p.joined_on),
                                 ("converted", lambda p, d: p.converted_on))}
    return {
        "title": "发展党员工作台账",
        "branch_name": profile.name if profile else MISSING,
        "period": f"{year}年度",
        "made_on": cn_date(today),
        "headers": [c[0] for c in REGISTER_COLUMNS],
        "keys": [c[1] for c in REGISTER_COLUMNS],
        "rows": rows,
        "totals": {},
        "summary": (f"{year}年，收到入党申请 {counts['applied']} 人，确定入党积极分子 {counts['activist']} 人，"
                    f"确定发展对象 {counts['target']} 人，接收预备党员 {counts['joined']} 人，"
                    f"预备党员转正 {counts['converted']} 人。"),
        "counts": counts,
    }


def make_register(year: int, out: Path, today: date | None = None) -> Path:
    """Write the year's 发展党员工作台账 as .pdf or .docx (landscape A4)."""
    suffix = _suffix(out, "发展党员工作台账")
    return render_table_document(register_context(year, today), REGISTER_COLUMNS, REGISTER_TEMPLATE, Path(out),
                                 suffix, landscape=True)
