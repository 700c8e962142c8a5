"""谈心谈话: the talk log (add, edit, delete, each audited) and who on the roll has had no talk in a year.

What a record needs, its kind and coverage come from ``rules.talks``. A talk names its two people
from the roster (``first_person`` 谈话人, ``second_person`` 谈话对象); ``participants`` keeps their
names as written. Talks logged before the two people were recorded name them in ``participants``
only: such a talk counts for the members whose names it holds, when the name is unique.
"""

import re
from dataclasses import dataclass
from datetime import date

from peewee import JOIN

from .. import vocab
from ..errors import ValidationError
from ..models import Person, Talk
from ..rules import meetings as meeting_rules
from ..rules import talks as rules
from . import audit, write
from .meetings import _committee_posts, _group_names, member_facts

_NAME_SEPARATORS = re.compile(r"[、，,；;\s]+")


@dataclass
class TalkDraft:
    """A talk as the dialog sends it."""

    held_on: date | None
    first_person_id: int | None
    second_person_id: int | None
    kind: str | None
    gist: str = ""
    note: str = ""


@dataclass(frozen=True)
class TalkRow:
    """One talk of the log, names and labels resolved."""

    id: int
    held_on: date
    kind: str | None
    kind_label: str
    first_person_id: int | None
    first_name: str
    second_person_id: int | None
    second_name: str
    participants: str
    gist: str
    note: str

    def draft(self) -> TalkDraft:
        return TalkDraft(self.held_on, self.first_person_id, self.second_person_id, self.kind, self.gist, self.note)


@dataclass(frozen=True)
class MemberRef:
    """A member on the roll (for the list of those without a talk)."""

    person_id: int
    name: str
    group_name: str
    stage_label: str


def _year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999:
        raise ValidationError(f"年份“{year}”无效，应为四位数字，如 2026。", "year")
    return year


def talks_in(year: int) -> list[TalkRow]:
    """The talks of ``year`` in date order."""
    first = Person.alias()
    second = Person.alias()
    query = (Talk.select(Talk.id, Talk.held_on, Talk.kind, Talk.first_person, first.name, Talk.second_person,
                         second.name, Talk.participants, Talk.gist, Talk.topic, Talk.note)
             .join(first, JOIN.LEFT_OUTER, on=(Talk.first_person == first.id))
             .switch(Talk).join(second, JOIN.LEFT_OUTER, on=(Talk.second_person == second.id))
             .where(Talk.held_on.between(date(_year(year), 1, 1), date(year, 12, 31)))
             .order_by(Talk.held_on, Talk.id).tuples())
    return [TalkRow(tid, day, kind, vocab.TALK_KINDS.get(kind, "") if kind else "", a, a_name or "", b, b_name or "",
                    participants, gist or topic or "", note)
            for tid, day, kind, a, a_name, b, b_name, participants, gist, topic, note in query]


def get_talk(talk_id: int) -> TalkRow:
    talk = Talk.get_or_none(Talk.id == talk_id)
    if talk is None:
        raise ValidationError(f"找不到编号为 {talk_id} 的谈话记录，可能已被删除。", "talk_id")
    return next(t for t in talks_in(talk.held_on.year) if t.id == talk_id)


def _as_of(year: int, today: date) -> date:
    """The roll a year's coverage is counted on: 31 December, or today while the year runs."""
    return min(date(year, 12, 31), max(today, date(year, 1, 1)))


def talked_with(year: int, rows: list[TalkRow] | None = None) -> set[int]:
    """The people who took part in a talk in ``year`` (either side); ``rows`` when already read."""
    talked: set[int] = set()
    unnamed: list[str] = []
    for row in talks_in(year) if rows is None else rows:
        ids = {row.first_person_id, row.second_person_id} - {None}
        talked |= ids
        if not ids:
            unnamed.append(row.participants)
    if unnamed:
        by_name: dict[str, list[int]] = {}
        for pid, name in Person.select(Person.id, Person.name).where(Person.stage.in_(vocab.MEMBER_STAGES)).tuples():
            by_name.setdefault(name, []).append(pid)
        for text in unnamed:
            for name in _NAME_SEPARATORS.split(text):
                if len(by_name.get(name, ())) == 1:
                    talked.add(by_name[name][0])
    return talked


def members_without_talk(year: int, today: date | None = None) -> list[MemberRef]:
    """The members on the roll (31 December, or today in the current year) who had no talk in
    ``year``, in roster order."""
    day = _as_of(_year(year), today or date.today())
    return _without(year, [m for m in member_facts() if meeting_rules.in_branch_on(m, day)])


def _without(year: int, members: list[meeting_rules.MemberFacts], rows: list[TalkRow] | None = None) -> list[MemberRef]:
    missing = set(rules.without_talk([m.person_id for m in members], talked_with(year, rows)))
    groups = _group_names()
    return [MemberRef(m.person_id, m.name, groups.get(m.group_id, ""), vocab.STAGES.get(m.stage, m.stage))
            for m in members if m.person_id in missing]


@dataclass(frozen=True)
class TalkCoverage:
    """A year's talks against the roll: how many members, how many talked, who did not."""

    year: int
    as_of: date
    on_roll: int
    talks: int
    by_kind: dict[str, int]
    without: list[MemberRef]

    @property
    def covered(self) -> int:
        return self.on_roll - len(self.without)

    def line(self) -> str:
        """谈心谈话：本年谈话 12 次；在册党员 30 人，已谈 28 人；未谈：张三、李四"""
        text = f"谈心谈话：本年谈话 {self.talks} 次；在册党员 {self.on_roll} 人，已谈 {self.covered} 人"
        if self.without:
            names = "、".join(m.name for m in self.without[:20])
            more = f"等 {len(self.without)} 人" if len(self.without) > 20 else ""
            return f"{text}；未谈：{names}{more}"
        return f"{text}，每人都已谈过"

    def to_json(self) -> dict:
        return {"year": self.year, "as_of": self.as_of.isoformat(), "on_roll": self.on_roll, "talks": self.talks,
                "covered": self.covered, "by_kind": self.by_kind,
                "without_talk": [{"person_id": m.person_id, "name": m.name, "group": m.group_name or None}
                                 for m in self.without]}


def coverage(year: int, today: date | None = None) -> TalkCoverage:
    """谈心谈话 coverage of ``year`` for the compliance report."""
    today = today or date.today()
    day = _as_of(_year(year), today)
    rows = talks_in(year)
    by_kind = dict.fromkeys(vocab.TALK_KINDS, 0)
    for row in rows:
        if row.kind in by_kind:
            by_kind[row.kind] += 1
    members = [m for m in member_facts() if meeting_rules.in_branch_on(m, day)]
    return TalkCoverage(year, day, len(members), len(rows), by_kind, _without(year, members, rows))


def suggest_kind(first_person_id: int | None, second_person_id: int | None, day: date) -> str:
    """The kind a talk between two people on ``day`` is, by who sits on the committee then."""
    committee = meeting_rules.committee_on(day, _committee_posts())
    return rules.kind_for(first_person_id in committee, second_person_id in committee)


# ---- writing ---------------------------------------------------------------------------------------------


def _fields(draft: TalkDraft, today: date) -> dict:
    problems = rules.check_talk(draft.held_on, draft.first_person_id, draft.second_person_id, draft.kind,
                                draft.gist or "", today)
    if problems:
        raise ValidationError(problems[0].message, problems[0].field)
    names = dict(Person.select(Person.id, Person.name)
                 .where(Person.id.in_([draft.first_person_id, draft.second_person_id])).tuples())
    for field_name, pid, label in (("first_person_id", draft.first_person_id, "谈话人"),
                                   ("second_person_id", draft.second_person_id, "谈话对象")):
        if pid not in names:
            raise ValidationError(f"找不到编号为 {pid} 的{label}，请从花名册中重新选择。", field_name)
    return {"held_on": draft.held_on, "first_person": draft.first_person_id, "second_person": draft.second_person_id,
            "kind": draft.kind, "gist": draft.gist.strip(), "note": (draft.note or "").strip(),
            "participants": f"{names[draft.first_person_id]}、{names[draft.second_person_id]}"}


def _summary(values: dict) -> str:
    return f"谈心谈话 {values['held_on'].isoformat()} {values['participants']}"


@write
def add_talk(draft: TalkDraft, today: date | None = None) -> int:
    """Log a talk; its id. Nothing is written when a field is wrong (the error names it)."""
    values = _fields(draft, today or date.today())
    return audit.create(Talk, f"登记{_summary(values)}", **values).id


@write
def update_talk(talk_id: int, draft: TalkDraft, today: date | None = None) -> None:
    """Correct a logged talk, audited before and after."""
    talk = Talk.get_or_none(Talk.id == talk_id)
    if talk is None:
        raise ValidationError(f"找不到编号为 {talk_id} 的谈话记录，可能已被删除。", "talk_id")
    values = _fields(draft, today or date.today())
    audit.update(talk, f"修改{_summary(values)}", **values)


@write
def delete_talk(talk_id: int) -> None:
    """Delete a logged talk (what it held stays in the audit log)."""
    talk = Talk.get_or_none(Talk.id == talk_id)
    if talk is None:
        raise ValidationError(f"找不到编号为 {talk_id} 的谈话记录，可能已被删除。", "talk_id")
    audit.delete(talk, f"删除谈心谈话 {talk.held_on.isoformat()} {talk.participants}")
