"""民主评议党员: a year's round (its date and the meeting it was held at) and each member's grade.

Who takes part, the one-third warning and completeness come from ``rules.appraisal``; this module
loads the facts and writes what the clerk decided, every change audited in one transaction. Each
grade also stands in the member's history (kind 民主评议, on the round's date), kept in step when the
grade or the date changes. The statistics, the annual summary and the archive read ``round_for``,
``grades_for`` and ``grade_counts``.
"""

from dataclasses import dataclass, field
from datetime import date

from peewee import JOIN

from .. import vocab
from ..errors import ValidationError
from ..models import Appraisal, AppraisalRound, HistoryEvent, Meeting, PartyGroup, Person
from ..rules import appraisal as rules
from . import audit, settings, write
from .meetings import _group_names, member_facts

EXTRA_ROLE = "not_on_roll"  # a stored grade of someone not on the roll on the round's date
ROLE_LABELS = {**rules.ROLES, EXTRA_ROLE: "评议日期不是在册党员"}


def _check_year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999:
        raise ValidationError(f"年份“{year}”无效，应为四位数字，如 2026。", "year")
    return year


def _raise_first(problems) -> None:
    if problems:
        raise ValidationError(problems[0].message, problems[0].field)


# ---- what the screens and other areas read ------------------------------------------------------------


@dataclass(frozen=True)
class MeetingChoice:
    """A held meeting a round may be recorded at."""

    id: int
    held_on: date
    kind: str
    kind_label: str
    title: str

    @property
    def label(self) -> str:
        return f"{self.held_on.isoformat()} {self.kind_label}：{self.title or self.kind_label}"


@dataclass(frozen=True)
class RoundInfo:
    """A year's round: when, at which meeting (None when not linked), and the clerk's note."""

    year: int
    held_on: date
    meeting_id: int | None
    meeting_label: str
    note: str


@dataclass(frozen=True)
class GradeRow:
    """One member's grade in a year."""

    person_id: int
    name: str
    grade: str
    grade_label: str


@dataclass(frozen=True)
class SheetRow:
    """One line of the grading sheet: a member taking part, their role and their grade so far."""

    person_id: int
    name: str
    group_name: str
    stage_label: str
    role: str  # rules.ROLES or EXTRA_ROLE
    grade: str | None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def may_grade(self) -> bool:
        return self.role in ("graded", "excluded")

    @property
    def grade_label(self) -> str:
        return vocab.APPRAISAL_GRADES.get(self.grade, "") if self.grade else ""


@dataclass(frozen=True)
class AppraisalSheet:
    """A year's round as the screen shows it: the round (None until recorded), the day that fixes who
    takes part, the members with their roles and grades, and the rules' verdicts."""

    year: int
    as_of: date
    round: RoundInfo | None
    rows: list[SheetRow] = field(default_factory=list)
    grade_probationary: bool = False

    def grades(self) -> dict[int, str | None]:
        return {r.person_id: r.grade for r in self.rows}

    def participants(self) -> list[rules.Participant]:
        return [rules.Participant(r.person_id, r.name, r.role) for r in self.rows if r.role in rules.ROLES]

    @property
    def missing(self) -> list[rules.Participant]:
        return rules.missing_grades(self.participants(), self.grades())

    @property
    def complete(self) -> bool:
        return self.round is not None and not self.missing

    @property
    def warning(self) -> str | None:
        return rules.excellent_warning({r.person_id: r.grade for r in self.rows if r.may_grade})

    def counts(self) -> dict[str, int]:
        """Each grade code → how many have it."""
        counts = dict.fromkeys(vocab.APPRAISAL_GRADES, 0)
        for r in self.rows:
            if r.grade in counts:
                counts[r.grade] += 1
        return counts


def _meeting_label(meeting_id: int | None) -> str:
    if meeting_id is None:
        return ""
    m = Meeting.get_or_none(Meeting.id == meeting_id)
    if m is None:
        return ""
    return MeetingChoice(m.id, m.held_on, m.kind, vocab.MEETING_KINDS.get(m.kind, m.kind), m.title).label


def round_for(year: int) -> RoundInfo | None:
    """The year's round, or None when none is recorded."""
    row = AppraisalRound.get_or_none(AppraisalRound.year == _check_year(year))
    if row is None:
        return None
    return RoundInfo(row.year, row.held_on, row.meeting_id, _meeting_label(row.meeting_id), row.note)


def grades_for(year: int) -> list[GradeRow]:
    """The grades given in ``year``, by name."""
    query = (Appraisal.select(Appraisal.person, Person.name, Appraisal.grade).join(Person)
             .where(Appraisal.year == _check_year(year)).order_by(Person.name_initials, Person.id).tuples())
    return [GradeRow(pid, name, grade, vocab.APPRAISAL_GRADES.get(grade, grade)) for pid, name, grade in query]


def grade_counts(year: int) -> dict[str, int]:
    """Each grade code of ``vocab.APPRAISAL_GRADES`` → how many members got it in ``year``."""
    counts = dict.fromkeys(vocab.APPRAISAL_GRADES, 0)
    for row in grades_for(year):
        counts[row.grade] = counts.get(row.grade, 0) + 1
    return counts


def round_meetings(year: int) -> list[MeetingChoice]:
    """Held meetings a round of ``year`` may be recorded at: 民主评议党员, 支部党员大会 and 组织生活会
    from 1 January of the year to 31 March of the next, in date order."""
    query = (Meeting.select(Meeting.id, Meeting.held_on, Meeting.kind, Meeting.title)
             .where(Meeting.kind.in_(rules.ROUND_MEETING_KINDS), Meeting.status == "held",
                    Meeting.held_on.between(date(year, 1, 1), date(year + 1, 3, 31)))
             .order_by(Meeting.held_on, Meeting.id).tuples())
    return [MeetingChoice(mid, day, kind, vocab.MEETING_KINDS[kind], title) for mid, day, kind, title in query]


def _default_day(year: int, today: date) -> date:
    """Who takes part before a round is recorded: the roll on 31 December (or today, in the year)."""
    return min(date(year, 12, 31), max(today, date(year, 1, 1)))


def _participants(day: date) -> list[rules.Participant]:
    return rules.participants(member_facts(), day, settings.appraisal_settings())


def sheet(year: int, today: date | None = None, day: date | None = None) -> AppraisalSheet:
    """The grading sheet of ``year``: the members on the roll on the round's date (31 December, or
    today, while no round is recorded; ``day`` when the clerk is changing the date) with their roles
    and grades, then anyone graded who was not."""
    today = today or date.today()
    info = round_for(year)
    day = day or (info.held_on if info else _default_day(year, today))
    facts = member_facts()
    people = rules.participants(facts, day, settings.appraisal_settings())
    grades = dict(Appraisal.select(Appraisal.person, Appraisal.grade).where(Appraisal.year == year).tuples())
    groups = _group_names()
    group_of = {m.person_id: groups.get(m.group_id, "") for m in facts}
    rows = [SheetRow(p.person_id, p.name, group_of[p.person_id], vocab.STAGES["full" if p.full else "probationary"],
                     p.role, grades.get(p.person_id)) for p in people]
    taking_part = {p.person_id for p in people}
    extra = [pid for pid in grades if pid not in taking_part]
    if extra:
        query = (Person.select(Person.id, Person.name, Person.stage, PartyGroup.name)
                 .join(PartyGroup, JOIN.LEFT_OUTER, on=(Person.group == PartyGroup.id))
                 .where(Person.id.in_(extra)).order_by(Person.name_initials, Person.id).tuples())
        rows += [SheetRow(pid, name, group or "", vocab.STAGES.get(stage, stage), EXTRA_ROLE, grades[pid])
                 for pid, name, stage, group in query]
    return AppraisalSheet(year, day, info, rows, settings.appraisal_settings().grade_probationary)


# ---- writing ---------------------------------------------------------------------------------------------


def _history_text(year: int, grade: str) -> str:
    return f"{year}年度民主评议党员评定为{vocab.APPRAISAL_GRADES[grade]}"


def _history_events(year: int, person_id: int | None = None):
    query = HistoryEvent.select().where(HistoryEvent.kind == "appraisal",
                                        HistoryEvent.description.startswith(f"{year}年度民主评议"))
    return query.where(HistoryEvent.person == person_id) if person_id is not None else query


@write
def save_round(year: int, held_on: date | None, meeting_id: int | None = None, note: str = "",
               today: date | None = None) -> None:
    """Record or correct the year's round. With a meeting picked, the date is the meeting's (given
    or not); the meeting must be a held 民主评议党员, 支部党员大会 or 组织生活会. A changed date or
    meeting moves the year's grades and their history entries with it."""
    today = today or date.today()
    _check_year(year)
    if meeting_id is not None:
        meeting = Meeting.get_or_none(Meeting.id == meeting_id)
        if meeting is None:
            raise ValidationError(f"找不到编号为 {meeting_id} 的会议，请重新选择评议会议。", "meeting_id")
        if meeting.kind not in rules.ROUND_MEETING_KINDS or meeting.status != "held":
            kinds = "、".join(vocab.MEETING_KINDS[k] for k in rules.ROUND_MEETING_KINDS)
            raise ValidationError(f"评议会议应是已召开的{kinds}，“{meeting.title or vocab.MEETING_KINDS.get(meeting.kind)}”"
                                  "不是，请另选一次会议或不关联会议。", "meeting_id")
        if held_on is None:
            held_on = meeting.held_on
        elif held_on != meeting.held_on:
            raise ValidationError(f"评议日期 {held_on.isoformat()} 与所选会议的日期 {meeting.held_on.isoformat()} 不一致，"
                                  "请改为会议的日期，或另选会议。", "held_on")
    _raise_first(rules.check_round_date(year, held_on, today))
    note = (note or "").strip()
    row = AppraisalRound.get_or_none(AppraisalRound.year == year)
    if row is None:
        audit.create(AppraisalRound, f"登记{year}年度民主评议", year=year, held_on=held_on, meeting=meeting_id,
                     note=note)
    else:
        audit.update(row, f"修改{year}年度民主评议", held_on=held_on, meeting=meeting_id, note=note)
    moved = Appraisal.meeting.is_null(True) | (Appraisal.meeting != meeting_id) if meeting_id is not None \
        else Appraisal.meeting.is_null(False)
    for grade in Appraisal.select().where(Appraisal.year == year, moved):
        audit.update(grade, f"{year}年度民主评议等次随评议会议更改", meeting=meeting_id)
    for event in _history_events(year).where(HistoryEvent.occurred_on != held_on):
        audit.update(event, f"{year}年度民主评议履历日期改为 {held_on.isoformat()}", occurred_on=held_on)


@write
def set_grades(year: int, grades: dict[int, str | None]) -> None:
    """Give, change or clear (None) the grades of the people in ``grades``; others stay as they are.

    The year's round must be recorded first (it fixes who takes part). Nothing is written when one
    grade is wrong: the ``ValidationError`` names ``grades.<person id>``.
    """
    info = round_for(year)
    if info is None:
        raise ValidationError(f"请先填写{year}年度民主评议的日期（和召开的会议），再评定等次。", "held_on")
    _raise_first(rules.check_grades(_participants(info.held_on), grades))
    stored = {a.person_id: a for a in Appraisal.select().where(Appraisal.year == year,
                                                               Appraisal.person.in_(list(grades)))}
    names = dict(Person.select(Person.id, Person.name).where(Person.id.in_(list(grades))).tuples())
    for person_id, grade in grades.items():
        name = names.get(person_id)
        if name is None:
            raise ValidationError(f"找不到编号为 {person_id} 的人员。", f"grades.{person_id}")
        old = stored.get(person_id)
        events = list(_history_events(year, person_id))
        if grade is None:
            if old is not None:
                audit.delete(old, f"清除{name}的{year}年度民主评议等次")
            for event in events:
                audit.delete(event, f"{name}履历：清除{year}年度民主评议等次")
            continue
        label = vocab.APPRAISAL_GRADES[grade]
        if old is None:
            audit.create(Appraisal, f"{name}{year}年度民主评议：{label}", person=person_id, year=year, grade=grade,
                         meeting=info.meeting_id)
        else:
            audit.update(old, f"{name}{year}年度民主评议：{label}", grade=grade, meeting=info.meeting_id)
        text = _history_text(year, grade)
        if events:
            for event in events:
                audit.update(event, f"{name}履历：{text}", description=text, occurred_on=info.held_on)
        else:
            audit.create(HistoryEvent, f"{name}履历：{text}", person=person_id, occurred_on=info.held_on,
                         kind="appraisal", description=text)


@write
def save_appraisal(year: int, held_on: date | None, meeting_id: int | None, note: str,
                   grades: dict[int, str | None], today: date | None = None) -> None:
    """The 民主评议 screen's 保存: the round and the grades in one transaction (all or nothing)."""
    save_round(year, held_on, meeting_id, note, today)
    set_grades(year, grades)


def put_grade_probationary(grade: bool) -> None:
    """The local-practice setting: whether probationary members are graded too (audited)."""
    settings.put_appraisal_settings(rules.AppraisalSettings(grade_probationary=bool(grade)))
