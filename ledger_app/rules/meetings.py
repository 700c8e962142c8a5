"""The rules of organisational life: how often each kind of meeting is due, who counts as 应到, who
votes, when a vote is valid and passes, and which periods of a year are done, missed or due.

Sources:
- 中共中央《中国共产党支部工作条例（试行）》(2018), art. 16–18 (domain-rules §2): the 支部党员大会
  normally meets once a quarter, the 支部委员会 and the 党小组会 normally once a month, a 主题党日
  once a month, the 组织生活会 at least once a year (normally in the fourth quarter), 民主评议党员
  normally once a year. The 条例 sets no frequency for the 党课: once a quarter is LOCAL PRACTICE,
  so every frequency here is only a default a branch may change (setting ``meeting_frequencies``).
- Same 条例 and 《中国共产党党员权利保障条例》: 应到 are the branch's full and probationary members
  (for a 党小组会 the group's, for a 支委会 the committee's); members excluded with upper approval and
  a 大会 vote (five categories, ``vocab.EXCLUSION_CATEGORIES``) do not count while excluded. Only
  full members vote. A 大会 may vote when more than half of those entitled to vote are present; a
  motion passes when the yes votes exceed half of those ENTITLED to vote (应到会有表决权的党员),
  not half of those present.
- 《中国共产党基层组织选举工作条例》(2020): an election is valid only when MORE than 4/5 of those
  entitled to vote attend (exactly 4/5 is not enough); a candidate is elected with yes votes
  exceeding half of those entitled to vote who are PRESENT (实到会有选举权的人数).
- domain-rules §4: a 流动党员 takes part in organisational life where they are, without a vote
  THERE. In this ledger a mobile member belongs to this branch and keeps their vote here; a mobile
  member of another branch who joins a meeting here is recorded as 列席 and does not count.

Everything here is a pure function of plain values: the services load the facts and ask.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from ..errors import ValidationError
from ..vocab import MEETING_KINDS

# ---- frequencies ----------------------------------------------------------------------------------

FREQUENCIES = {"monthly": "每月", "quarterly": "每季度", "yearly": "每年", "none": "不作要求"}

DEFAULT_FREQUENCIES = {
    "general_assembly": "quarterly",
    "committee": "monthly",
    "group": "monthly",  # per 党小组
    "lecture": "quarterly",  # local practice: the 条例 sets none
    "theme_day": "monthly",
    "life_meeting": "yearly",
    "appraisal": "yearly",
    "other": "none",
}

PER_GROUP_KINDS = frozenset({"group"})  # counted once per 党小组
GROUP_ALLOWED_KINDS = frozenset({"group", "life_meeting", "other"})  # a 组织生活会 may be held as a 党小组会
USUAL_MONTH = {"life_meeting": 12, "appraisal": 12}  # normally held in the fourth quarter


# The 组织生活会 is held at least once a year and the 民主评议党员 normally once a year (domain-rules
# §2): a branch may ask for more, never for less than yearly.
AT_LEAST_YEARLY = frozenset({"life_meeting", "appraisal"})


def frequencies(overrides: dict | None = None, strict: bool = True) -> dict[str, str]:
    """The required frequency of every kind: the defaults with a branch's own settings on top.

    A bad setting is refused naming the kind, so a hand-edited value cannot silently drop a check.
    A kind of ``AT_LEAST_YEARLY`` set to 不作要求 is refused too; with ``strict=False`` (reading a
    setting stored by an older version) it is taken as yearly instead.
    """
    result = dict(DEFAULT_FREQUENCIES)
    for kind, value in (overrides or {}).items():
        if kind not in MEETING_KINDS:
            raise ValidationError(f"会议频次设置中有未知的会议类别“{kind}”。", f"meeting_frequencies.{kind}")
        if value not in FREQUENCIES:
            raise ValidationError(
                f"{MEETING_KINDS[kind]}的频次“{value}”无效，应为：{'、'.join(FREQUENCIES.values())}。",
                f"meeting_frequencies.{kind}")
        if kind in AT_LEAST_YEARLY and value == "none":
            if strict:
                raise ValidationError(f"{MEETING_KINDS[kind]}每年至少应开展一次，频次不能设为“不作要求”。",
                                      f"meeting_frequencies.{kind}")
            value = "yearly"
        result[kind] = value
    return result


# ---- who counts as 应到 ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberFacts:
    """What the rules need to know about one member to place them at a meeting date."""

    person_id: int
    name: str
    stage: str  # the current stage: probationary or full
    joined_on: date | None = None  # 入党时间; None when not recorded
    converted_on: date | None = None  # 转正时间
    left_on: date | None = None  # left the roster (transferred out, died, 停止党籍 …); None while active
    transfers: tuple[tuple[date, str], ...] = ()  # (date, "in" | "out") of this branch's transfers
    group_id: int | None = None  # the current 党小组 (the ledger keeps no group history)
    exclusions: tuple[tuple[date, date | None], ...] = ()  # (start_on, end_on) of standing exclusions
    is_mobile: bool = False


def in_branch_on(member: MemberFacts, day: date) -> bool:
    """Whether the person was a member of this branch on ``day``.

    Someone accepted on ``day`` was not yet: the 支部大会 that accepts them is the meeting they
    attend as 发展对象 (列席). Someone who moved in on ``day`` starts the next day, and someone who
    left or moved out on ``day`` no longer counts; this keeps a transfer's day in one branch only.
    """
    if member.stage not in ("probationary", "full"):
        return False
    if member.joined_on is not None and member.joined_on >= day:
        return False
    if member.left_on is not None and member.left_on <= day:
        return False
    moves = sorted(member.transfers)
    before = [direction for on, direction in moves if (on < day if direction == "in" else on <= day)]
    if before:
        return before[-1] == "in"
    # No move yet by that day: a first move inwards means the person arrived later.
    return not moves or moves[0][1] != "in"


def is_full_on(member: MemberFacts, day: date) -> bool:
    """Whether the person was a full member on ``day`` (and so had a vote).

    A full member without a recorded 转正时间 (say, entered by name only) counts as full.
    """
    return full_on(member.stage, member.converted_on, day)


def full_on(stage: str, converted_on: date | None, day: date) -> bool:
    """``is_full_on`` from the two facts it reads, for a caller with thousands of rows (the
    attendance of a large meeting) that need not build a ``MemberFacts`` for each."""
    if converted_on is not None:
        return converted_on <= day
    return stage == "full"


def excluded_on(member: MemberFacts, day: date) -> bool:
    """Whether a standing exclusion from 应到 is in force on ``day`` (``end_on`` is its last day)."""
    return any(start <= day and (end is None or day <= end) for start, end in member.exclusions)


@dataclass(frozen=True)
class CommitteePost:
    """A post on the committee: who, the start of its term, and the post's own dates."""

    person_id: int
    term_started_on: date
    started_on: date | None = None
    ended_on: date | None = None


def committee_on(day: date, posts: list[CommitteePost]) -> set[int]:
    """The people in office on the committee on ``day``: the latest term begun by then, posts begun
    and not ended (``ended_on`` is the first day out of office). An expired term stays in office
    until the next one is elected. Before the first recorded term the ledger knows no other
    committee, so that term's first members stand for it (record the earlier term to correct it)."""
    if not posts:
        return set()
    terms = [p.term_started_on for p in posts if p.term_started_on <= day]
    if not terms:
        first = min(p.term_started_on for p in posts)
        return {p.person_id for p in posts if p.term_started_on == first and (p.started_on or first) == first}
    term = max(terms)
    return {p.person_id for p in posts
            if p.term_started_on == term and (p.started_on or term) <= day
            and (p.ended_on is None or p.ended_on > day)}


def expected_attendees(kind: str, day: date, members: list[MemberFacts], group_id: int | None = None,
                       committee: set[int] | None = None) -> list[MemberFacts]:
    """应到: the members who should attend a meeting of ``kind`` on ``day``, in the given order.

    All members of the branch then; the group's members for a meeting held by a 党小组 (a 党小组会,
    or a 组织生活会 held as one); the committee in office for a 支委会; never anyone under a standing
    exclusion on that day.
    """
    if kind == "committee":
        pool = [m for m in members if m.person_id in (committee or set())]
    elif group_id is not None and kind in GROUP_ALLOWED_KINDS:
        pool = [m for m in members if m.group_id == group_id]
    else:
        pool = members
    return [m for m in pool if in_branch_on(m, day) and not excluded_on(m, day)]


def may_vote(member: MemberFacts, day: date) -> bool:
    """Only full members vote (probationary members speak but do not vote)."""
    return is_full_on(member, day)


# ---- votes ------------------------------------------------------------------------------------------


def _number(value: Fraction) -> str:
    """12.5, 20, 18.4: a threshold as a clerk writes it."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def has_quorum(entitled: int, present: int) -> bool:
    """A 大会 (or 支委会) may decide when more than half of those entitled to vote are present."""
    return 2 * present > entitled > 0


def motion_passes(entitled: int, yes: int) -> bool:
    """Yes votes must exceed half of those ENTITLED to vote, not of those present."""
    return 2 * yes > entitled > 0


def election_valid(entitled: int, present: int) -> bool:
    """An election is valid only when MORE than 4/5 of those entitled attend; exactly 4/5 is not."""
    return 5 * present > 4 * entitled > 0


def elected(present: int, yes: int) -> bool:
    """A candidate is elected with yes votes exceeding half of the voters present."""
    return 2 * yes > present > 0


@dataclass(frozen=True)
class Verdict:
    """The rule applied to one vote: valid (quorum met), passed (or elected), and why in words."""

    valid: bool
    passed: bool
    text: str


def vote_verdict(kind: str, entitled: int, present: int, yes: int, no: int = 0, abstain: int = 0) -> Verdict:
    """Whether a vote counts and carries, with the sentence the minutes print.

    ``entitled`` are the 应到 with a vote, ``present`` those of them present. For example
    "表决有效：应到会有表决权党员 25 人，实到 20 人；赞成 18 票，超过应到会有表决权党员半数 12.5，通过。"
    """
    if kind == "election":
        if entitled <= 0:
            return Verdict(False, False, "选举无效：没有应到会有选举权的党员（只有正式党员有选举权）。")
        line = f"应到会有选举权党员 {entitled} 人，实到 {present} 人"
        four_fifths = _number(Fraction(4 * entitled, 5))
        if not election_valid(entitled, present):
            return Verdict(False, False, f"选举无效：{line}，未超过应到人数的五分之四 {four_fifths}。")
        half = _number(Fraction(present, 2))
        if elected(present, yes):
            return Verdict(True, True, f"选举有效：{line}，超过应到人数的五分之四 {four_fifths}；"
                                       f"赞成 {yes} 票，超过实到会有选举权党员半数 {half}，当选。")
        return Verdict(True, False, f"选举有效：{line}，超过应到人数的五分之四 {four_fifths}；"
                                    f"赞成 {yes} 票，未超过实到会有选举权党员半数 {half}，未当选。")
    if entitled <= 0:
        return Verdict(False, False, "表决无效：没有应到会有表决权的党员（只有正式党员有表决权）。")
    line = f"应到会有表决权党员 {entitled} 人，实到 {present} 人"
    half = _number(Fraction(entitled, 2))
    if not has_quorum(entitled, present):
        return Verdict(False, False, f"表决无效：{line}，未超过应到会有表决权党员半数 {half}，不能作出决定。")
    if motion_passes(entitled, yes):
        return Verdict(True, True, f"表决有效：{line}；赞成 {yes} 票，超过应到会有表决权党员半数 {half}，通过。")
    return Verdict(True, False, f"表决有效：{line}；赞成 {yes} 票，未超过应到会有表决权党员半数 {half}，未通过。")


def check_vote_counts(yes, no, abstain, present_voters: int, where: str = "votes") -> None:
    """Vote counts are whole numbers ≥ 0 and together no more than the voters present."""
    for name, value in (("yes", yes), ("no", no), ("abstain", abstain)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            label = {"yes": "赞成", "no": "反对", "abstain": "弃权"}[name]
            raise ValidationError(f"{label}票数应为不小于 0 的整数。", f"{where}.{name}")
    if yes + no + abstain > present_voters:
        raise ValidationError(
            f"赞成、反对、弃权合计 {yes + no + abstain} 票，多于实到会有表决权的党员 {present_voters} 人。"
            "请核对票数，或先登记出席情况（只有正式党员有表决权）。", f"{where}.yes")


# ---- periods ----------------------------------------------------------------------------------------

QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")
UNITS = {"monthly": "month", "quarterly": "quarter", "yearly": "year"}


@dataclass(frozen=True, order=True)
class Period:
    """A month, quarter or year in which a meeting is due."""

    year: int
    unit: str  # month | quarter | year
    index: int  # 1–12, 1–4, or 1

    @property
    def start(self) -> date:
        month = {"month": self.index, "quarter": 3 * self.index - 2, "year": 1}[self.unit]
        return date(self.year, month, 1)

    @property
    def end(self) -> date:
        """The last day of the period."""
        month = {"month": self.index, "quarter": 3 * self.index, "year": 12}[self.unit]
        following = date(self.year + 1, 1, 1) if month == 12 else date(self.year, month + 1, 1)
        return following - timedelta(days=1)

    @property
    def short_label(self) -> str:
        if self.unit == "month":
            return f"{self.index}月"
        return QUARTER_NAMES[self.index - 1] if self.unit == "quarter" else "全年"

    @property
    def label(self) -> str:
        return f"{self.year}年度" if self.unit == "year" else f"{self.year}年{self.short_label}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def period_of(unit: str, day: date) -> Period:
    """The period of ``unit`` a day belongs to: by its date alone (31 Dec 2025 is in Q4 2025)."""
    index = {"month": day.month, "quarter": (day.month - 1) // 3 + 1, "year": 1}[unit]
    return Period(day.year, unit, index)


def periods_in_year(unit: str, year: int) -> list[Period]:
    return [Period(year, unit, i) for i in range(1, {"month": 13, "quarter": 5, "year": 2}[unit])]


def previous_period(period: Period) -> Period:
    if period.index > 1:
        return Period(period.year, period.unit, period.index - 1)
    return Period(period.year - 1, period.unit, {"month": 12, "quarter": 4, "year": 1}[period.unit])


PERIOD_STATUSES = {"done": "已开", "missed": "缺", "due": "本期待开", "future": "未到"}


def period_status(period: Period, today: date, held: bool) -> str:
    """done (a meeting was held in it), missed (it ended without one), due (it is the current
    period and none is held yet) or future (it has not begun)."""
    if held:
        return "done"
    if period.end < today:
        return "missed"
    if period.start <= today:
        return "due"
    return "future"


@dataclass(frozen=True)
class PeriodCheck:
    period: Period
    status: str
    held_on: tuple[date, ...]  # the meetings held in it


def year_schedule(frequency: str, year: int, today: date, held_on: list[date]) -> list[PeriodCheck]:
    """For each period of ``year``: its status given the dates meetings were held on (any year's
    dates may be passed; each counts only for the period its date is in)."""
    unit = UNITS.get(frequency)
    if unit is None:
        return []
    checks = []
    for period in periods_in_year(unit, year):
        days = tuple(sorted(d for d in held_on if period.contains(d)))
        checks.append(PeriodCheck(period, period_status(period, today, bool(days)), days))
    return checks


def counts_for(kind: str, held_on: date, graded_year: int | None = None) -> date:
    """The day a held meeting counts on for its period: its own date, except that a 民主评议党员
    whose grades are for an earlier year (held in January for the year just ended, as is common
    practice) counts for that year."""
    if kind == "appraisal" and graded_year is not None and graded_year < held_on.year:
        return date(graded_year, 12, 31)
    return held_on


def planned_date(kind: str, period: Period, today: date) -> date | None:
    """A date to plan a meeting for in ``period``: the 15th of the month (the middle month of a
    quarter, the usual month of a yearly kind), or the next day when that has passed; None when the
    period is over."""
    if period.end < today:
        return None
    month = {"month": period.index, "quarter": 3 * period.index - 1,
             "year": USUAL_MONTH.get(kind, 6)}[period.unit]
    day = date(period.year, month, 15)
    return day if day > today else min(today + timedelta(days=1), period.end)


def plan_title(kind: str, period: Period, group_name: str = "") -> str:
    """The title a planned meeting gets, in the wording of the demo ledger and common practice."""
    label = period.label
    return {
        "general_assembly": f"{label}支部党员大会",
        "committee": f"{label}支部委员会会议",
        "group": f"{group_name}{label}党小组会",
        "lecture": f"{label}党课",
        "theme_day": f"{label}主题党日",
        "life_meeting": f"{label}组织生活会",
        "appraisal": f"{label}民主评议党员",
    }.get(kind, f"{label}{MEETING_KINDS.get(kind, '')}")
