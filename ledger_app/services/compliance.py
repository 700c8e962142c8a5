"""Compliance: for a year, each kind of meeting (each 党小组 for 党小组会) against the periods the
branch's rhythm requires — held, missed, due now — and the workbench's red / amber / green list;
then the year's 民主评议 round (recorded, graded in full) and 谈心谈话 coverage (who on the roll has
had no talk).

The periods and their status come from ``rules.meetings``; only meetings with the status 已召开
count as held, each for the period its date falls in (planned ones are shown as planned). A
recorded 民主评议 round counts as the year's 民主评议党员 even when its meeting is a 支部党员大会 or
the 组织生活会. The command ``party-ledger meetings check --year YYYY [--json]`` prints
``compliance_report``.
"""

from dataclasses import dataclass, field
from datetime import date

from peewee import fn

from .. import vocab
from ..errors import ValidationError
from ..models import Appraisal, AppraisalRound, Meeting, PartyGroup
from ..rules import meetings as rules
from . import appraisal as appraisal_service
from . import talks as talk_service
from .branch import get_profile
from .meetings import meeting_frequencies


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class PeriodLine:
    """One period of one kind: its status and the meetings held or planned in it."""

    label: str  # 2026年第一季度
    short_label: str  # 第一季度
    status: str  # done | missed | due | future (rules.PERIOD_STATUSES)
    held_on: tuple[date, ...]
    planned_on: tuple[date, ...]


@dataclass(frozen=True)
class KindCompliance:
    """Required against held for one kind (and one 党小组 for 党小组会) over a year."""

    kind: str
    kind_label: str
    group_id: int | None
    group_name: str
    frequency: str
    periods: list[PeriodLine]
    meetings_held: int  # all held meetings of the year, however many in one period

    @property
    def name(self) -> str:
        return f"{self.kind_label}·{self.group_name}" if self.group_name else self.kind_label

    @property
    def required(self) -> int:
        return len(self.periods)

    @property
    def held(self) -> int:
        """Periods with a meeting held."""
        return sum(p.status == "done" for p in self.periods)

    def labels(self, status: str) -> list[str]:
        return [p.short_label for p in self.periods if p.status == status]

    def line(self) -> str:
        """支部党员大会（每季度）：应开 4 次，已开 3 次；缺：第二季度"""
        frequency = rules.FREQUENCIES[self.frequency]
        if not self.periods:
            return f"{self.name}（{frequency}）：已开 {self.meetings_held} 次"
        text = f"{self.name}（{frequency}）：应开 {self.required} 次，已开 {self.held} 次"
        for status, word in (("missed", "缺"), ("due", "本期待开"), ("future", "未到")):
            labels = self.labels(status)
            if labels:
                text += f"；{word}：{'、'.join(labels)}"
        return text

    def to_json(self) -> dict:
        return {
            "kind": self.kind, "kind_label": self.kind_label, "group": self.group_name or None,
            "frequency": self.frequency, "required": self.required, "held": self.held,
            "meetings_held": self.meetings_held, "missing": self.labels("missed"), "due": self.labels("due"),
            "periods": [{"label": p.label, "status": p.status, "held_on": [d.isoformat() for d in p.held_on],
                         "planned_on": [d.isoformat() for d in p.planned_on]} for p in self.periods],
        }


@dataclass(frozen=True)
class AppraisalStatus:
    """The year's 民主评议 round as the check sees it: recorded or not, graded in full or not."""

    year: int
    held_on: date | None
    meeting_label: str
    required: int  # members who must be graded
    graded: int  # grades given
    missing: list[str]  # names of those who must be graded and are not yet
    counts: dict[str, int]
    warning: str | None

    @property
    def complete(self) -> bool:
        return self.held_on is not None and not self.missing

    def line(self) -> str:
        """民主评议：2025年12月20日进行，应评定 27 人，已评定 27 人（优秀 6、合格 21）"""
        if self.held_on is None:
            return f"民主评议：{self.year}年度尚未登记评议。"
        text = f"民主评议：{_cn(self.held_on)}进行，应评定 {self.required} 人，已评定 {self.graded} 人"
        given = "、".join(f"{vocab.APPRAISAL_GRADES[g]} {n}" for g, n in self.counts.items() if n)
        if given:
            text += f"（{given}）"
        if self.missing:
            text += f"；未评定：{'、'.join(self.missing[:20])}{f'等 {len(self.missing)} 人' if len(self.missing) > 20 else ''}"
        if self.warning:
            text += "；优秀超过三分之一"
        return text

    def to_json(self) -> dict:
        return {"year": self.year, "held_on": self.held_on.isoformat() if self.held_on else None,
                "meeting": self.meeting_label or None, "required": self.required, "graded": self.graded,
                "complete": self.complete, "missing": self.missing, "counts": self.counts,
                "excellent_over_a_third": self.warning is not None}


def appraisal_status(year: int, today: date | None = None) -> AppraisalStatus:
    """The year's 民主评议 round for the compliance report."""
    sheet = appraisal_service.sheet(year, today)
    info = sheet.round
    return AppraisalStatus(year, info.held_on if info else None, info.meeting_label if info else "",
                           sum(p.must_grade for p in sheet.participants()), sum(bool(r.grade) for r in sheet.rows),
                           [p.name for p in sheet.missing] if info else [], sheet.counts(), sheet.warning)


@dataclass(frozen=True)
class ComplianceReport:
    """The year's check, kind by kind, then the 民主评议 round and 谈心谈话 coverage."""

    year: int
    as_of: date
    branch_name: str
    items: list[KindCompliance] = field(default_factory=list)
    appraisal: AppraisalStatus | None = None
    talks: talk_service.TalkCoverage | None = None

    @property
    def missing_total(self) -> int:
        return sum(len(item.labels("missed")) for item in self.items)

    def lines(self) -> list[str]:
        head = f"{self.year}年度会议核对：{self.branch_name or '（未设置支部）'}（截至 {_cn(self.as_of)}）"
        tail = f"合计缺 {self.missing_total} 次。" if self.missing_total else "没有缺开的会议。"
        extra = [part.line() for part in (self.appraisal, self.talks) if part is not None]
        return [head, *(item.line() for item in self.items), *extra, tail]

    def to_json(self) -> dict:
        return {"year": self.year, "as_of": self.as_of.isoformat(), "branch": self.branch_name,
                "missing_total": self.missing_total, "items": [item.to_json() for item in self.items],
                "appraisal": self.appraisal.to_json() if self.appraisal else None,
                "talks": self.talks.to_json() if self.talks else None}


def _hosts(kind: str) -> list[tuple[int | None, str]]:
    if kind not in rules.PER_GROUP_KINDS:
        return [(None, "")]
    return list(PartyGroup.select(PartyGroup.id, PartyGroup.name)
                .order_by(PartyGroup.sort_order, PartyGroup.name, PartyGroup.id).tuples())


def _meetings_between(start: date, end: date) -> dict[tuple[str, int | None, str], list[date]]:
    """(kind, group, status) → the days meetings count on, between two dates (one query each)."""
    graded = dict(Appraisal.select(Appraisal.meeting, fn.MIN(Appraisal.year))
                  .where(Appraisal.meeting.is_null(False)).group_by(Appraisal.meeting).tuples())
    rounds = list(AppraisalRound.select(AppraisalRound.year, AppraisalRound.held_on, AppraisalRound.meeting).tuples())
    graded.update({mid: year for year, _, mid in rounds if mid is not None})
    found: dict[tuple[str, int | None, str], list[date]] = {}
    query = (Meeting.select(Meeting.id, Meeting.kind, Meeting.group, Meeting.status, Meeting.held_on)
             .where(Meeting.held_on.between(start, end)).tuples())
    counted = set()  # held 民主评议党员 meetings: a round recorded at one is not counted twice
    for mid, kind, group, status, held_on in query:
        group = group if kind in rules.PER_GROUP_KINDS else None
        found.setdefault((kind, group, status), []).append(rules.counts_for(kind, held_on, graded.get(mid)))
        if kind == "appraisal" and status == "held":
            counted.add(mid)
    for year, held_on, mid in rounds:
        day = rules.counts_for("appraisal", held_on, year)
        if start <= day <= end and mid not in counted:
            found.setdefault(("appraisal", None, "held"), []).append(day)
    return found


def compliance_report(year: int, today: date | None = None) -> ComplianceReport:
    """Required against held, kind by kind and period by period, for ``year`` as of ``today``."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999:
        raise ValidationError(f"年份“{year}”无效，应为四位数字，如 2026。", "year")
    today = today or date.today()
    profile = get_profile()
    # A 民主评议 held next January may count for this year: look one year ahead.
    found = _meetings_between(date(year, 1, 1), date(year + 1, 12, 31))
    items = []
    for kind, frequency in meeting_frequencies().items():
        for group_id, group_name in _hosts(kind):
            held = found.get((kind, group_id, "held"), [])
            planned = found.get((kind, group_id, "planned"), [])
            periods = [PeriodLine(c.period.label, c.period.short_label, c.status, c.held_on,
                                  tuple(sorted(d for d in planned if c.period.contains(d))))
                       for c in rules.year_schedule(frequency, year, today, held)]
            count = sum(1 for d in held if d.year == year)
            if frequency == "none" and not count:
                continue
            items.append(KindCompliance(kind, vocab.MEETING_KINDS[kind], group_id, group_name, frequency, periods,
                                        count))
    return ComplianceReport(year, today, profile.name if profile else "", items, appraisal_status(year, today),
                            talk_service.coverage(year, today))


# ---- the workbench ---------------------------------------------------------------------------------------

STATUS_ORDER = {"red": 0, "amber": 1, "green": 2}


@dataclass(frozen=True)
class DueItem:
    """One line of the workbench: red (the last period was missed), amber (due this period, not
    held yet) or green (held this period)."""

    kind: str
    kind_label: str
    group_id: int | None
    group_name: str
    period_label: str
    status: str  # red | amber | green
    text: str


def due_now(today: date | None = None) -> list[DueItem]:
    """What is due in the current period of every kind, and what the period before missed; red
    first. Across a year's end: in January, an unheld fourth quarter of last year is red."""
    today = today or date.today()
    found = _meetings_between(date(today.year - 1, 1, 1), date(today.year + 1, 12, 31))
    items = []
    for kind, frequency in meeting_frequencies().items():
        unit = rules.UNITS.get(frequency)
        if unit is None:
            continue
        label = vocab.MEETING_KINDS[kind]
        current = rules.period_of(unit, today)
        last = rules.previous_period(current)
        for group_id, group_name in _hosts(kind):
            name = f"{label}·{group_name}" if group_name else label
            held = found.get((kind, group_id, "held"), [])
            planned = found.get((kind, group_id, "planned"), [])
            if not any(last.contains(d) for d in held):
                items.append(DueItem(kind, label, group_id, group_name, last.label, "red",
                                     f"{name}：{last.label}未召开"))
            done = sorted(d for d in held if current.contains(d))
            if done:
                items.append(DueItem(kind, label, group_id, group_name, current.label, "green",
                                     f"{name}：{current.label}已召开（{_cn(done[-1])}）"))
                continue
            text = f"{name}：{current.label}尚未召开"
            upcoming = sorted(d for d in planned if current.contains(d) and d >= today)
            if upcoming:
                text += f"，已计划于 {_cn(upcoming[0])}"
            elif kind in rules.USUAL_MONTH:
                text += "（一般在第四季度召开）"
            items.append(DueItem(kind, label, group_id, group_name, current.label, "amber", text))
    items.sort(key=lambda item: STATUS_ORDER[item.status])
    return items
