"""The sections of the year archive (domain-rules §7), each a function yielding its documents.

A section function takes an ``archive.ArchiveYear`` and yields ``ArchiveDocument``s: a path inside
the section's folder (no suffix), a title for the contents, and ``write(out)`` writing .docx or
.pdf. Where the ledger has a real document (minutes, sign-in sheet, roster, dues register, transfer
letter) that is what is written; where it has none yet the records are listed plainly with
``documents.listing`` (``_listing`` below), and where another module's document belongs a page says
so (``_pending``). Replacing one of those is one ``yield`` with that module's ``make_*``.
"""

import functools
from collections.abc import Callable, Iterator
from datetime import date

from peewee import JOIN

from . import vocab
from .archive import ArchiveDocument, ArchiveYear, section

MISSING = "【待补充】"


def _cn(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _dot(day: date | None) -> str:
    return day.strftime("%Y.%m.%d") if day else ""


def _in_year(day: date | None, year: int) -> bool:
    return day is not None and day.year == year


def _listing(info: ArchiveYear, path: str, title: str, blocks: Callable[[], list[dict]],
             landscape: bool = False) -> ArchiveDocument:
    """A document listing records plainly (``documents.listing``); ``blocks`` is read once, when written."""
    from .documents.listing import listing_context, make_listing

    @functools.cache
    def context() -> dict:
        return listing_context(title, info.branch_name, f"{info.year}年度", blocks(), _cn(info.today), landscape)

    return ArchiveDocument(path, title, lambda out: make_listing(context(), out))


def _pending(info: ArchiveYear, path: str, title: str, what: str) -> ArchiveDocument:
    """A clearly marked page where a document another module makes belongs."""
    from .documents.listing import block

    text = (f"【待接入】本栏目的“{title}”由{what}生成，这一版本的归档尚未接入该文书。"
            "请在程序中生成后打印，附在本页之后。")
    return _listing(info, path, title, lambda: [block("", [text])])


def nothing_recorded(info: ArchiveYear, section_title: str) -> ArchiveDocument:
    """The one page of a section with no record in the year, so that every section is in the book."""
    from .documents.listing import block

    return _listing(info, "本年度无记录", f"{section_title}（本年度无记录）",
                    lambda: [block("", [f"台账中没有{info.year}年度的{section_title}记录。"])])


# ---- 01 branch profile and committee -----------------------------------------------------------------

@section(1, "支部基本情况")
def branch_profile(info: ArchiveYear) -> Iterator[ArchiveDocument]:
    yield _listing(info, "支部基本情况和支部委员会", "支部基本情况和支部委员会", lambda: _profile_blocks(info.year))


def _profile_blocks(year: int) -> list[dict]:
    from peewee import fn

    from .documents.listing import block
    from .models import Branch, CommitteeMember, CommitteeTerm, PartyGroup, Person

    branch = Branch.get()
    start, end = date(year, 1, 1), date(year, 12, 31)
    members = (Person.select(fn.COUNT(Person.id)).where(Person.stage.in_(vocab.MEMBER_STAGES),
                                                        Person.membership_state == "active").scalar())
    facts = [["支部名称", branch.name], ["支部类型", vocab.BRANCH_TYPES.get(branch.branch_type, branch.branch_type)],
             ["上级党组织", branch.upper_committee or MISSING], ["成立日期", _cn(branch.founded_on) or MISSING],
             ["地址", branch.address or MISSING], ["联系电话", branch.phone or MISSING],
             ["在册党员（归档时）", f"{members} 名"]]
    blocks = [block("一、基本情况", [], [("项目", 40, "center"), ("内容", 0, "left")], facts)]
    seats = []
    query = (CommitteeMember.select(CommitteeMember, CommitteeTerm, Person).join(CommitteeTerm)
             .switch(CommitteeMember).join(Person)
             .where((CommitteeMember.started_on.is_null() | (CommitteeMember.started_on <= end))
                    & (CommitteeMember.ended_on.is_null() | (CommitteeMember.ended_on >= start))
                    & (CommitteeTerm.started_on <= end))
             .order_by(CommitteeTerm.started_on, CommitteeMember.sort_order, CommitteeMember.id))
    for seat in query:
        term = seat.term
        ends = date(term.started_on.year + term.length_years, term.started_on.month, 1)
        if ends < start:
            continue
        seats.append([seat.post, seat.person.name, _dot(seat.started_on or term.started_on), _dot(seat.ended_on),
                      f"{_dot(term.started_on)} 起，任期 {term.length_years} 年"])
    blocks.append(block(f"二、支部委员会（{year}年度在任）", [],
                        [("职务", 28, "center"), ("姓名", 26, "center"), ("任职日期", 28, "center"),
                         ("离任日期", 28, "center"), ("届次", 0, "left")], seats))
    groups = []
    counts = dict(Person.select(Person.group, fn.COUNT(Person.id))
                  .where(Person.stage.in_(vocab.MEMBER_STAGES), Person.membership_state == "active")
                  .group_by(Person.group).tuples())
    leader = Person.alias()
    for g in (PartyGroup.select(PartyGroup, leader.name.alias("leader_name"))
              .join(leader, JOIN.LEFT_OUTER, on=(PartyGroup.leader == leader.id))
              .order_by(PartyGroup.sort_order, PartyGroup.name).objects()):
        groups.append([g.name, g.leader_name or MISSING, f"{counts.get(g.id, 0)} 名", g.note])
    blocks.append(block("三、党小组", [], [("党小组", 40, "center"), ("组长", 30, "center"), ("党员", 22, "center"),
                                       ("备注", 0, "left")], groups))
    return blocks


# ---- 02 roster ---------------------------------------------------------------------------------------

@section(2, "党员花名册")
def roster(info: ArchiveYear) -> Iterator[ArchiveDocument]:
    from .documents.roster import make_roster

    yield ArchiveDocument("党员花名册", "党员花名册", lambda out: make_roster(out, today=info.today))


# ---- 03 plan and quarterly checks ----------------------------------------------------------------------

@section(3, "年度计划和落实情况")
def plan(info: ArchiveYear) -> Iterator[ArchiveDocument]:
    yield _listing(info, "年度工作计划", "年度工作计划", lambda: _plan_blocks(info.year))
    yield _listing(info, "组织生活落实情况", "组织生活落实情况（应开与已开）", lambda: _compliance_blocks(info))


def _plan_blocks(year: int) -> list[dict]:
    from .documents.listing import block
    from .models import AnnualText

    row = AnnualText.get_or_none(AnnualText.year == year, AnnualText.section == "plan")
    paragraphs = [line.strip() for line in (row.text if row else "").splitlines() if line.strip()]
    return [block("", paragraphs or [f"{MISSING}（台账中没有{year}年度工作计划的文字，请在“年度总结与归档”中填写。）"])]


def _compliance_blocks(info: ArchiveYear) -> list[dict]:
    from .documents.listing import block
    from .services.compliance import compliance_report

    as_of = min(info.today, date(info.year, 12, 31))
    report = compliance_report(info.year, as_of)
    rows = [[item.name, str(item.required or "—"), str(item.held if item.required else item.meetings_held),
             "、".join(item.labels("missed")) or "无"] for item in report.items]
    return [block("", [f"截至{_cn(report.as_of)}，按支部工作条例和本支部的会议频次设置核对各类组织生活。"],
                  [("会议类别", 0, "left"), ("应开（期）", 24, "center"), ("已开（期）", 24, "center"),
                   ("缺开的期间", 0, "left")], rows),
            block("", [report.lines()[-1]])]


# ---- 04–09 meetings: minutes and sign-in, by month ----------------------------------------------------

def _meeting_documents(info: ArchiveYear, kinds: tuple[str, ...]) -> Iterator[ArchiveDocument]:
    from .documents.minutes import make_minutes, make_signin
    from .services.meetings import list_meetings

    rows = [m for kind in kinds for m in list_meetings(info.year, kind, "held")]
    for m in sorted(rows, key=lambda m: (m.held_on, m.id)):
        folder = f"{m.held_on.month:02d}月"
        name = f"{m.held_on.isoformat()} {m.group_name + ' ' if m.group_name else ''}"
        label = m.kind_label + (f"（{m.group_name}）" if m.group_name else "")
        yield ArchiveDocument(f"{folder}/{name}会议记录", f"{_cn(m.held_on)} {label}记录",
                              functools.partial(make_minutes, m.id, today=info.today))
        yield ArchiveDocument(f"{folder}/{name}签到表", f"{_cn(m.held_on)} {label}签到表",
                              functools.partial(make_signin, m.id, today=info.today))


def _meeting_section(number: int, title: str, *kinds: str) -> None:
    section(number, title)(lambda info: _meeting_documents(info, kinds))


_meeting_section(4, "支部党员大会", "general_assembly")
_meeting_section(5, "支部委员会", "committee")
_meeting_section(6, "党小组会", "group")
_meeting_section(7, "党课", "lecture")
_meeting_section(8, "主题党日", "theme_day")
_meeting_section(9, "其他会议", "other")


# ---- 10 组织生活会 and 民主评议 ------------------------------------------------------------------------

@section(10, "组织生活会和民主评议")
def life_and_appraisal(info: ArchiveYear) -> Iterator[ArchiveDocument]:
    yield from _meeting_documents(info, ("life_meeting", "appraisal"))
    # To be replaced by the 民主评议 module's own document when it is merged.
    yield _listing(info, "民主评议党员结果", "民主评议党员结果", lambda: _appraisal_blocks(info.year))


def _appraisal_blocks(year: int) -> list[dict]:
    from .documents.listing import block
    from .models import Appraisal, AppraisalRound, Meeting, PartyGroup, Person

    held = AppraisalRound.get_or_none(AppraisalRound.year == year)
    intro = []
    if held:
        meeting = Meeting.get_or_none(Meeting.id == held.meeting_id) if held.meeting_id else None
        intro.append(f"{year}年度民主评议党员于{_cn(held.held_on)}进行"
                     + (f"，在{vocab.MEETING_KINDS.get(meeting.kind, '')}（{_cn(meeting.held_on)}）上评定。" if meeting
                        else "。") + (held.note or ""))
    query = (Appraisal.select(Appraisal, Person, PartyGroup).join(Person)
             .join(PartyGroup, JOIN.LEFT_OUTER, on=(Person.group == PartyGroup.id))
             .where(Appraisal.year == year).order_by(PartyGroup.sort_order, Person.name_initials, Person.id))
    rows, counts = [], dict.fromkeys(vocab.APPRAISAL_GRADES, 0)
    for seq, a in enumerate(query, 1):
        counts[a.grade] = counts.get(a.grade, 0) + 1
        rows.append([str(seq), a.person.name, a.person.group.name if a.person.group_id else "",
                     vocab.APPRAISAL_GRADES.get(a.grade, a.grade)])
    if rows:
        intro.append("评定结果：" + "，".join(f"{vocab.APPRAISAL_GRADES[g]} {n} 名" for g, n in counts.items()) + "。")
    elif not held:
        intro.append(f"台账中没有{year}年度民主评议党员的记录。")
    return [block("", intro, [("序号", 14, "center"), ("姓名", 0, "center"), ("党小组", 0, "center"),
                              ("评定等次", 0, "center")], rows)]


# ---- 11 谈心谈话 -----------------------------------------------------------------------------------------

@section(11, "谈心谈话")
def talks(info: ArchiveYear) -> Iterator[ArchiveDocument]:
    # To be replaced by the 谈心谈话 module's own log document when it is merged.
    yield _listing(info, "谈心谈话记录", "谈心谈话记录", lambda: _talk_blocks(info.year), landscape=True)


def _talk_blocks(year: int) -> list[dict]:
    from .documents.listing import block
    from .models import Person, Talk

    first, second = Person.alias(), Person.alias()
    query = (Talk.select(Talk, first.name.alias("first_name"), second.name.alias("second_name"))
             .join(first, JOIN.LEFT_OUTER, on=(Talk.first_person == first.id))
             .switch(Talk).join(second, JOIN.LEFT_OUTER, on=(Talk.second_person == second.id))
             .where(Talk.held_on.between(date(year, 1, 1), date(year, 12, 31))).order_by(Talk.held_on, Talk.id))
    rows = []
    for seq, t in enumerate(query.objects(), 1):
        people = "、".join(n for n in (t.first_name, t.second_name) if n) or t.participants
        rows.append([str(seq), _dot(t.held_on), vocab.TALK_KINDS.get(t.kind, "") if t.kind else "", people,
                     t.topic, t.gist or t.note or MISSING])
    return [block("", [f"{year}年度共记录谈心谈话 {len(rows)} 次。"],
                  [("序号", 12, "center"), ("日期", 24, "center"), ("类别", 26, "center"), ("谈话双方", 40, "center"),
                   ("主题", 50, "left"), ("谈话要点", 0, "left")], rows)]


# ---- 12 development ---------------------------------------------------------------------------------------

@section(12, "发展党员")
def development(info: ArchiveYear) -> Iterator[ArchiveDocument]:
    from .documents.development import developed_in, make_record, make_register

    yield ArchiveDocument("发展党员工作台账", "发展党员工作台账",
                          functools.partial(make_register, info.year, today=info.today))
    for person_id, name in developed_in(info.year):
        yield ArchiveDocument(f"全程纪实表/{name}-{person_id}", f"发展党员全程纪实表：{name}",
                              functools.partial(make_record, person_id, today=info.today))


# ---- 13 dues ---------------------------------------------------------------------------------------------

@section(13, "党费收缴")
def dues(info: ArchiveYear) -> Iterator[ArchiveDocument]:
    from .documents.dues import make_month_form, make_posting, make_year_register

    yield ArchiveDocument("党费收缴登记册", "党费收缴登记册（全年）",
                          functools.partial(make_year_register, info.year, today=info.today))
    yield ArchiveDocument("党费收缴公示（全年）", "党费收缴公示（全年）",
                          functools.partial(make_posting, str(info.year), today=info.today))
    last = 12 if info.year < info.today.year else info.today.month
    for month in range(1, last + 1):
        yield ArchiveDocument(f"月度登记表/{month:02d}月 党费收缴登记表", f"{month}月党费收缴登记表",
                              functools.partial(make_month_form, (info.year, month), today=info.today))


# ---- 14 transfers ----------------------------------------------------------------------------------------

@section(14, "组织关系转接")
def transfers(info: ArchiveYear) -> Iterator[ArchiveDocument]:
    from .documents.transfer_letter import make_transfer_letter
    from .services.transfers import list_transfers

    rows = sorted(list_transfers(info.year), key=lambda t: (t.transferred_on, t.id))
    yield _listing(info, "组织关系转接登记", "组织关系转接登记", lambda: _transfer_blocks(info.year, rows),
                   landscape=True)
    for t in rows:
        if t.direction == "out":
            yield ArchiveDocument(f"介绍信/{t.transferred_on.isoformat()} {t.person_name} 介绍信",
                                  f"{t.person_name}组织关系介绍信（{_cn(t.transferred_on)}）",
                                  functools.partial(make_transfer_letter, t.id, today=info.today))


def _transfer_blocks(year: int, rows) -> list[dict]:
    from .documents.listing import block

    table = [[str(i), _dot(t.transferred_on), t.direction_label, t.person_name, t.scope_label, t.from_org, t.to_org,
              t.letter_number, _dot(t.receipt_returned_on) if t.direction == "out" else "—"]
             for i, t in enumerate(rows, 1)]
    return [block("", [f"{year}年度转出 {sum(t.direction == 'out' for t in rows)} 人，"
                       f"转入 {sum(t.direction == 'in' for t in rows)} 人。"],
                  [("序号", 11, "center"), ("日期", 22, "center"), ("转接", 14, "center"), ("姓名", 20, "center"),
                   ("范围", 30, "center"), ("转出单位", 0, "left"), ("转入单位", 0, "left"), ("介绍信编号", 26, "center"),
                   ("回执退回", 22, "center")], table)]


# ---- 15 流动党员 -----------------------------------------------------------------------------------------

@section(15, "流动党员")
def mobile_members(info: ArchiveYear) -> Iterator[ArchiveDocument]:
    yield _listing(info, "流动党员登记", "流动党员登记", _mobile_blocks)


def _mobile_blocks() -> list[dict]:
    from .documents.listing import block
    from .models import PartyGroup, Person

    query = (Person.select(Person, PartyGroup).join(PartyGroup, JOIN.LEFT_OUTER, on=(Person.group == PartyGroup.id))
             .where(Person.is_mobile, Person.membership_state == "active").order_by(Person.name_initials, Person.id))
    rows = [[str(i), p.name, p.group.name if p.group_id else "", p.phone or MISSING, p.mobile_note or MISSING]
            for i, p in enumerate(query, 1)]
    return [block("", ["归档时登记为流动党员的党员（台账记载其当前状态，不含本年度中已结束的流动）。"],
                  [("序号", 12, "center"), ("姓名", 24, "center"), ("党小组", 30, "center"), ("联系电话", 32, "center"),
                   ("流动去向和说明", 0, "left")], rows)]


# ---- 16 commendations and discipline ------------------------------------------------------------------------

@section(16, "表彰和处分")
def commendations(info: ArchiveYear) -> Iterator[ArchiveDocument]:
    yield _listing(info, "表彰和处分登记", "表彰和处分登记", lambda: _history_blocks(info.year))


def _history_blocks(year: int) -> list[dict]:
    from .documents.listing import block
    from .models import HistoryEvent, Person

    blocks = []
    for kind in ("commendation", "discipline"):
        query = (HistoryEvent.select(HistoryEvent, Person).join(Person)
                 .where(HistoryEvent.kind == kind, HistoryEvent.occurred_on.between(date(year, 1, 1), date(year, 12, 31)))
                 .order_by(HistoryEvent.occurred_on, HistoryEvent.id))
        rows = [[str(i), _dot(e.occurred_on), e.person.name, e.description or MISSING] for i, e in enumerate(query, 1)]
        blocks.append(block(vocab.HISTORY_KINDS[kind], [], [("序号", 12, "center"), ("日期", 24, "center"),
                                                            ("姓名", 24, "center"), ("内容", 0, "left")], rows))
    return blocks


# ---- 17 statistics, 18 summary --------------------------------------------------------------------------------

@section(17, "党内统计")
def statistics(info: ArchiveYear) -> Iterator[ArchiveDocument]:
    from .documents.statistics import write_statistics

    yield ArchiveDocument("年度党内统计表", f"{info.year}年度党内统计表",
                          lambda out: write_statistics(info.year, out, info.today))


@section(18, "年度工作总结")
def summary(info: ArchiveYear) -> Iterator[ArchiveDocument]:
    from .documents.summary import write_summary

    yield ArchiveDocument("年度工作总结", f"{info.year}年度工作总结", lambda out: write_summary(info.year, out, info.today))
