"""Compliance: for a year, each kind of meeting (each 党小组 for 党小组会) against the periods the
branch's rhythm requires — held, missed, due now — and the workbench's red / amber / green list.

The periods and their status come from ``rules.meetings``; only meetings with the status 已召开
count as held, each for the period its date falls in (planned ones are shown as planned). The
command ``party-ledger meetings check --year YYYY [--json]`` prints ``compliance_report``.
"""

from dataclasses import dataclass, field
from datetime import date

from peewee import fn

from .. import vocab
from ..errors import ValidationError
from ..models import Appraisal, Meeting, PartyGroup
from ..rules import meetings as rules
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
class ComplianceReport:
    """The year's check, kind by kind."""

    year: int
    as_of: date
    branch_name: str
    items: list[KindCompliance] = field(default_factory=list)

    @property
    def missing_total(self) -> int:
        return sum(len(item.labels("missed")) for item in self.items)

    def lines(self) -> list[str]:
        head = f"{self.year}年度会议核对：{self.branch_name or '（未设置支部）'}（截至 {_cn(self.as_of)}）"
        tail = f"合计缺 {self.missing_total} 次。" if self.missing_total else "没有缺开的会议。"
        return [head, *(item.line() for item in self.items), tail]

    def to_json(self) -> dict:
        return {"year": self.year, "as_of": self.as_of.isoformat(), "branch": self.branch_name,
                "missing_total": self.missing_total, "items": [item.to_json() for item in self.items]}


def _hosts(kind: str) -> list[tuple[int | None, str]]:
    if kind not in rules.PER_GROUP_KINDS:
        return [(None, "")]
    return list(PartyGroup.select(PartyGroup.id, PartyGroup.name)
                .order_by(PartyGroup.sort_order, PartyGroup.name, PartyGroup.id).tuples())


def _meetings_between(start: date, end: date) -> dict[tuple[str, int | None, str], list[date]]:
    """(kind, group, status) → the days meetings count on, between two dates (one query each)."""
    graded = dict(Appraisal.select(Appraisal.meeting, fn.MIN(Appraisal.year))
                  .where(Appraisal.meeting.is_null(False)).group_by(Appraisal.meeting).tuples())
    found: dict[tuple[str, int | None, str], list[date]] = {}
    query = (Meeting.select(Meeting.id, Meeting.kind, Meeting.group, Meeting.status, Meeting.held_on)
             .where(Meeting.held_on.between(start, end)).tuples())
    for mid, kind, group, status, held_on in query:
        group = group if kind in rules.PER_GROUP_KINDS else None
        found.setdefault((kind, group, status), []).append(rules.counts_for(kind, held_on, graded.get(mid)))
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
    return ComplianceReport(year, today, profile.name if profile else "", items)


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
