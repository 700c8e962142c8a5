"""The development pipeline as the clerk works it: who is where, what is next, recording a step.

The rules (order, time limits, 公示 working days) are in ``rules.development``; this module reads
the ledger, asks the rules, and writes a step with what goes with it: the stage change and its
history entry, the deciding meeting (its date is the step's date, and its resolutions name the
person), 入党时间 on acceptance, 转正时间 on conversion.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, timedelta

from .. import vocab
from ..errors import ValidationError
from ..models import (
    ActivistAssessment,
    Development,
    DevelopmentDecision,
    HistoryEvent,
    Meeting,
    Person,
    Resolution,
)
from ..rules import Problem
from ..rules import development as rules
from . import audit, people, write
from .members import DevelopmentDates
from .settings import work_calendar


def _development_fields() -> tuple[str, ...]:
    return tuple(name for name in Development._meta.sorted_field_names if name not in ("id", "person"))


# What each step's dialog asks beside the date, and the development column it fills.
STEP_TEXT = {"activist_on": "contacts", "target_on": "introducers",
             "political_review_on": "political_review_conclusion"}
TEXT_LABELS = {"contacts": "培养联系人", "introducers": "入党介绍人", "political_review_conclusion": "政治审查结论"}

# A step that moves the person to another category (vocab.STAGES).
STAGE_AFTER = {"activist_on": "activist", "target_on": "target", "joined_on": "probationary",
               "conversion_approved_on": "full"}

LEFT_STATES = ("withdrawn", "disqualified")


@dataclass(frozen=True)
class PipelineRow:
    """One person on the 发展党员 page."""

    person_id: int
    name: str
    category: str  # vocab.STAGES code
    category_label: str
    stage_label: str  # rules.STAGES label
    last_step: str
    last_on: date | None
    next_step: str
    next_field: str  # rules.STEPS field of the next step, "assessments" for a six-monthly assessment, "" for none
    earliest: date | None
    latest: date | None
    attention: str  # "overdue", "soon" or ""
    problems: list[Problem] = field(default_factory=list)
    probation_ends: date | None = None

    @property
    def needs_attention(self) -> bool:
        return bool(self.attention or self.problems)


def _values(person: Person, dev: Development | None) -> dict:
    values = {name: getattr(dev, name) for name in _development_fields()} if dev else {}
    values.update(joined_on=person.joined_on, converted_on=person.converted_on)
    return values


def _assessments(person_ids: Iterable[int] | None = None) -> dict[int, list[date]]:
    query = ActivistAssessment.select(ActivistAssessment.person, ActivistAssessment.assessed_on)
    if person_ids is not None:
        query = query.where(ActivistAssessment.person.in_(list(person_ids)))
    found = defaultdict(list)
    for person_id, day in query.tuples():
        found[person_id].append(day)
    return found


def _row(person: Person, dev: Development | None, assessed: list[date], today: date,
         calendar: rules.WorkCalendar) -> PipelineRow:
    values = _values(person, dev)
    status = rules.pipeline(values, person.stage, today, calendar, assessed, person.birth_date,
                            left=person.membership_state in LEFT_STATES)
    ends = rules.probation_end(values) if person.stage == "probationary" else None
    return PipelineRow(
        person_id=person.id, name=person.name, category=person.stage,
        category_label=vocab.STAGES.get(person.stage, person.stage), stage_label=rules.STAGES[status.stage],
        last_step=status.last_step.label if status.last_step else "", last_on=status.last_on,
        next_step=status.next_label, next_field=status.next_step.field if status.next_step else "",
        earliest=status.earliest, latest=status.latest,
        attention=rules.attention(status, today), problems=status.problems, probation_ends=ends)


def pipeline_rows(today: date | None = None, person_ids: Iterable[int] | None = None) -> list[PipelineRow]:
    """Everyone on the roll in the pipeline (申请人, 积极分子, 发展对象, 预备党员), soonest deadline first."""
    today = today or date.today()
    # Named tuples of the columns a row needs, not model instances: the workbench reads this at
    # start-up, and building 1,300 instances was most of its time on the 5,000-member demo.
    query = Person.select(Person.id, Person.name, Person.stage, Person.birth_date, Person.membership_state,
                          Person.joined_on, Person.converted_on)
    if person_ids is None:
        query = query.where(Person.stage.in_(rules.PIPELINE_CATEGORIES), Person.membership_state == "active")
    else:
        query = query.where(Person.id.in_(list(person_ids)))
    found = list(query.namedtuples())
    ids = [p.id for p in found]
    devs = {d.person: d for d in Development.select().where(Development.person.in_(ids)).namedtuples()}
    assessed = _assessments(ids)
    calendar = work_calendar()
    rows = [_row(p, devs.get(p.id), assessed.get(p.id, []), today, calendar) for p in found]
    rows.sort(key=lambda r: (r.latest or date.max, r.earliest or date.max, r.name))
    return rows


@dataclass(frozen=True)
class StepLine:
    """One step on a person's pipeline card."""

    field: str
    label: str
    stage_label: str
    on: date | None
    end_on: date | None = None  # 公示 / training: its last day
    meeting: str = ""  # the deciding meeting, "2025-03-01 支部委员会"
    optional: bool = False


@dataclass(frozen=True)
class PipelineCard:
    """Everything on one person's development: steps, people involved, assessments, where they stand."""

    person_id: int
    name: str
    category: str
    category_label: str
    state: str
    birth_date: date | None
    dates: DevelopmentDates
    steps: list[StepLine]
    assessments: list[tuple[date, str]]
    row: PipelineRow
    probation_ends: date | None


def _meeting_label(meeting: Meeting) -> str:
    return f"{meeting.held_on.isoformat()} {vocab.MEETING_KINDS.get(meeting.kind, meeting.kind)}" + (
        f"（{meeting.title}）" if meeting.title else "")


def card(person_id: int, today: date | None = None) -> PipelineCard:
    """One person's whole development record; a clear error for an unknown person."""
    today = today or date.today()
    person = people.get_person(person_id)
    dev = Development.get_or_none(Development.person == person.id)
    values = _values(person, dev)
    decisions = {d.step: _meeting_label(d.meeting) for d in
                 DevelopmentDecision.select(DevelopmentDecision, Meeting).join(Meeting)
                 .where(DevelopmentDecision.person == person.id)}
    shown = list(rules.STEPS)
    if values.get(rules.EXTENSION.field):  # an extension sits before the conversion meeting it delays
        shown.insert(shown.index(rules.STEP_BY_FIELD["conversion_meeting_on"]), rules.EXTENSION)
    steps = [StepLine(s.field, s.label, rules.STAGES[s.stage], values.get(s.field),
                      values.get(s.end_field) if s.end_field else None, decisions.get(s.field, ""), s.optional)
             for s in shown]
    assessments = [(a.assessed_on, a.conclusion) for a in
                   ActivistAssessment.select().where(ActivistAssessment.person == person.id)
                   .order_by(ActivistAssessment.assessed_on)]
    row = _row(person, dev, [a for a, _ in assessments], today, work_calendar())
    dates = DevelopmentDates(**{f.name: getattr(dev, f.name) for f in fields(DevelopmentDates)}) if dev \
        else DevelopmentDates()
    return PipelineCard(person.id, person.name, person.stage, vocab.STAGES.get(person.stage, person.stage),
                        person.membership_state, person.birth_date, dates, steps, assessments, row,
                        rules.probation_end(values))


# --- recording a step ---------------------------------------------------------------------------

@dataclass(frozen=True)
class MeetingChoice:
    id: int
    held_on: date
    label: str


def decision_meetings(step_field: str, today: date | None = None) -> list[MeetingChoice]:
    """The held meetings that can decide ``step_field`` (支委会 or 支部大会), newest first."""
    today = today or date.today()
    step = _step(step_field)
    if not step.decided_by:
        return []
    query = (Meeting.select().where(Meeting.kind == step.decided_by, Meeting.status == "held",
                                    Meeting.held_on <= today)
             .order_by(Meeting.held_on.desc(), Meeting.id.desc()).limit(200))
    return [MeetingChoice(m.id, m.held_on, _meeting_label(m)) for m in query]


@dataclass(frozen=True)
class StepEntry:
    """What the clerk types for one step: its date or the meeting that decided it, and what goes with it."""

    field: str
    on: date | None = None
    meeting_id: int | None = None
    end_on: date | None = None  # the last day of a 公示 or a training
    hours: int | None = None  # training 学时
    text: str = ""  # 培养联系人 / 入党介绍人 / 政治审查结论 (STEP_TEXT)


def _step(step_field: str) -> rules.Step:
    if step_field == rules.EXTENSION.field:
        return rules.EXTENSION
    step = rules.STEP_BY_FIELD.get(step_field)
    if step is None:
        raise ValidationError(f"“{step_field}”不是发展党员的环节。", "field")
    return step


def _entry_date(entry: StepEntry, step: rules.Step) -> tuple[date | None, list[Problem]]:
    """The step's date: the meeting's when a meeting is picked."""
    if entry.meeting_id is None:
        return entry.on, []
    meeting = Meeting.get_or_none(Meeting.id == entry.meeting_id)
    if meeting is None:
        return None, [Problem("meeting_id", f"找不到编号为 {entry.meeting_id} 的会议，请重新选择。")]
    if step.decided_by and meeting.kind != step.decided_by:
        need = vocab.MEETING_KINDS[step.decided_by]
        return None, [Problem("meeting_id", f"“{step.label}”应由{need}决定，所选会议是"
                                            f"{vocab.MEETING_KINDS.get(meeting.kind, meeting.kind)}，请另选。")]
    return meeting.held_on, []


def check_step(person_id: int, entry: StepEntry, today: date | None = None) -> list[Problem]:
    """What is wrong with recording ``entry`` for the person, before anything is written.

    Only the rules this entry breaks are returned (a problem the file had before is not the
    clerk's to fix in this dialog).
    """
    today = today or date.today()
    person = people.get_person(person_id)
    step = _step(entry.field)
    on, problems = _entry_date(entry, step)
    if problems:
        return problems
    if on is None:
        return [Problem(entry.field, f"请填写{rules.DATE_LABELS.get(entry.field, step.label)}。")]
    if person.membership_state in LEFT_STATES:
        return [Problem("field", f"{person.name}已{vocab.MEMBERSHIP_STATES[person.membership_state]}，"
                                 "不能再登记发展环节。")]
    if step.field == "conversion_approved_on" and person.joined_on is None:
        return [Problem("field", "还没有入党时间（支部大会接收为预备党员），不能登记转正。")]
    dev = Development.get_or_none(Development.person == person.id)
    before = _values(person, dev)
    after = {**before, **_changes(entry, step, on)}
    if step.field == "joined_on":
        after["joined_on"] = on
    calendar = work_calendar()
    known = {p.message for p in rules.check(before, today, calendar)}
    found = [p for p in rules.check(after, today, calendar) if p.message not in known]
    if step.field == "applied_on":
        found += rules.check_application_age(person.birth_date, on)
    if step.field == "training_start_on" and entry.hours is not None and entry.hours < 0:
        found.append(Problem("hours", "培训学时不能为负数。"))
    if step.field in STEP_TEXT and len(entry.text) > 200:
        found.append(Problem("text", f"{TEXT_LABELS[STEP_TEXT[step.field]]}太长（最多 200 字）。"))
    return found


def _changes(entry: StepEntry, step: rules.Step, on: date) -> dict:
    changes = {step.field: on} if step.field != "joined_on" else {}
    if step.end_field:
        changes[step.end_field] = entry.end_on
    if step.field == "training_start_on":
        changes["training_hours"] = entry.hours
    if step.field in STEP_TEXT and entry.text.strip():
        changes[STEP_TEXT[step.field]] = entry.text.strip()
    return changes


@write
def record_step(person_id: int, entry: StepEntry, today: date | None = None) -> None:
    """Write one step with everything that goes with it; nothing is written when a rule is broken."""
    today = today or date.today()
    problems = check_step(person_id, entry, today)
    if problems:
        raise ValidationError(problems[0].message, problems[0].field)
    person = people.get_person(person_id)
    step = _step(entry.field)
    on, _ = _entry_date(entry, step)
    dev = Development.get_or_none(Development.person == person.id)
    if dev is None:
        dev = audit.create(Development, f"{person.name}的发展记录", person=person)
    changes = _changes(entry, step, on)
    if changes:
        audit.update(dev, f"{person.name}：{step.label} {on.isoformat()}", **changes)
    if entry.meeting_id is not None:
        _record_decision(person, step, entry.meeting_id)
    _move_stage(person, step, on, dev)


def _record_decision(person: Person, step: rules.Step, meeting_id: int) -> None:
    decision = DevelopmentDecision.get_or_none(DevelopmentDecision.person == person.id,
                                               DevelopmentDecision.step == step.field)
    if decision is None:
        audit.create(DevelopmentDecision, f"{person.name}：{step.label}的会议", person=person, step=step.field,
                     meeting=meeting_id)
    elif decision.meeting_id != meeting_id:
        audit.update(decision, f"{person.name}：{step.label}的会议", meeting=meeting_id)
    resolutions = list(Resolution.select().where(Resolution.meeting == meeting_id))
    if not any(person.name in r.text for r in resolutions):
        text = RESOLUTION_TEXT.get(step.field, "同意{name}" + step.label).format(name=person.name)
        audit.create(Resolution, f"会议决议：{text}", meeting=meeting_id,
                     seq=max((r.seq for r in resolutions), default=0) + 1, text=text)


RESOLUTION_TEXT = {
    "activist_on": "同意确定{name}为入党积极分子。",
    "target_on": "同意确定{name}为发展对象。",
    "committee_review_on": "经审查，同意将{name}的入党材料报上级党委预审。",
    "joined_on": "同意接收{name}为中共预备党员，报上级党委审批。",
    "extension_decided_on": "同意延长{name}的预备期。",
    "conversion_meeting_on": "同意{name}按期转为中共正式党员，报上级党委审批。",
}


def _move_stage(person: Person, step: rules.Step, on: date, dev: Development) -> None:
    stage = STAGE_AFTER.get(step.field)
    if step.field == "joined_on":
        old = person.joined_on
        audit.update(person, f"{person.name}：接收为预备党员", stage="probationary", joined_on=on)
        people.sync_event(person, "joined", people.JOINED_TEXT, old, on)
        return
    if step.field == "conversion_approved_on":
        ends = rules.probation_end({"joined_on": person.joined_on, "extension_months": dev.extension_months})
        old = person.converted_on
        audit.update(person, f"{person.name}：转为正式党员", stage="full", converted_on=ends)
        people.sync_event(person, "converted", people.CONVERTED_TEXT, old, ends)
        return
    order = list(vocab.STAGES)
    if stage and order.index(stage) > order.index(person.stage):
        audit.update(person, f"{person.name}：{vocab.STAGES[person.stage]} → {vocab.STAGES[stage]}", stage=stage)
        audit.create(HistoryEvent, f"{person.name}履历：{step.label}", person=person, occurred_on=on,
                     kind="development", description=f"{step.label}（{vocab.STAGES[stage]}）")


@write
def add_assessment(person_id: int, on: date | None, conclusion: str, today: date | None = None) -> None:
    """A six-monthly assessment of an activist or development target."""
    today = today or date.today()
    person = people.get_person(person_id)
    dev = Development.get_or_none(Development.person == person.id)
    activist_on = dev.activist_on if dev else None
    if on is None:
        raise ValidationError("请填写考察日期。", "assessed_on")
    if on > today:
        raise ValidationError(f"考察日期 {on.isoformat()} 晚于今天（{today.isoformat()}），请改正。", "assessed_on")
    if activist_on is None or on < activist_on:
        raise ValidationError("考察日期应在确定为入党积极分子之后"
                              f"{'（' + activist_on.isoformat() + '）' if activist_on else '：请先登记确定为入党积极分子'}。",
                              "assessed_on")
    if not conclusion.strip():
        raise ValidationError("请填写考察意见（如：表现良好，继续培养）。", "conclusion")
    audit.create(ActivistAssessment, f"{person.name}：半年考察 {on.isoformat()}", person=person, assessed_on=on,
                 conclusion=conclusion.strip())


@write
def extend_probation(person_id: int, months: int, reason: str, on: date | None = None,
                     meeting_id: int | None = None, today: date | None = None) -> None:
    """The 支部大会's decision to extend probation, once, by 6 to 12 months (党章 第七条)."""
    today = today or date.today()
    person = people.get_person(person_id)
    if person.stage != "probationary" or person.joined_on is None:
        raise ValidationError(f"{person.name}不是预备党员，不能延长预备期。", "person_id")
    dev = Development.get_or_none(Development.person == person.id)
    if dev is not None and dev.extension_months:
        raise ValidationError(f"{person.name}的预备期已延长过一次（{dev.extension_months} 个月），只能延长一次。",
                              "extension_months")
    if not reason.strip():
        raise ValidationError("请填写延长预备期的原因。", "extension_reason")
    entry = StepEntry(rules.EXTENSION.field, on, meeting_id)
    problems = check_step(person_id, entry, today)
    values = {"joined_on": person.joined_on, "extension_months": months}
    problems += [p for p in rules.check(values, today) if p.field == "extension_months"]
    if problems:
        raise ValidationError(problems[0].message, problems[0].field)
    decided_on, _ = _entry_date(entry, rules.EXTENSION)
    if dev is None:
        dev = audit.create(Development, f"{person.name}的发展记录", person=person)
    audit.update(dev, f"{person.name}：延长预备期 {months} 个月", extension_decided_on=decided_on,
                 extension_months=months, extension_reason=reason.strip())
    if meeting_id is not None:
        _record_decision(person, rules.EXTENSION, meeting_id)
    audit.create(HistoryEvent, f"{person.name}履历：延长预备期", person=person, occurred_on=decided_on,
                 kind="development", description=f"支部大会决定延长预备期 {months} 个月：{reason.strip()}")


def leave_pipeline(person_id: int, on: date | None, reason: str, today: date | None = None) -> None:
    """终止培养 (an applicant, activist or target) or 取消预备党员资格 (a probationary member),
    with the date and the reason, written to the history as a state change."""
    person = people.get_person(person_id)
    state = "disqualified" if person.stage == "probationary" else "withdrawn"
    people.change_state(person_id, state, on, reason, today)


# --- reminders ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class DevelopmentReminders:
    overdue: list[PipelineRow]
    due_soon: list[PipelineRow]  # within 30 days
    probation_ending: list[PipelineRow]  # within 60 days


def reminders(today: date | None = None) -> DevelopmentReminders:
    """For the workbench: steps overdue, steps due in 30 days, probation ending in 60 days."""
    today = today or date.today()
    rows = pipeline_rows(today)
    ending = [r for r in rows if r.probation_ends and today <= r.probation_ends <= today + timedelta(60)]
    ending.sort(key=lambda r: r.probation_ends)
    return DevelopmentReminders([r for r in rows if r.attention == "overdue"],
                                [r for r in rows if r.attention == "soon"], ending)


def all_problems(today: date | None = None) -> list[tuple[int, str, Problem]]:
    """Every development rule broken in the ledger: (person id, name, problem), for ``development check``.

    People in the pipeline are judged with their assessments; full members' old files by their dates.
    """
    today = today or date.today()
    rows = pipeline_rows(today)
    found = [(r.person_id, r.name, p) for r in rows for p in r.problems]
    in_pipeline = {r.person_id for r in rows}
    devs = {d.person_id: d for d in Development.select()}
    calendar = work_calendar()
    for person in Person.select().where(Person.stage == "full", Person.id.in_(list(devs))):
        if person.id not in in_pipeline:
            for problem in rules.check(_values(person, devs[person.id]), today, calendar):
                found.append((person.id, person.name, problem))
    return found



@dataclass(frozen=True)
class PipelineReport:
    """``development list``: everyone in the pipeline with stage, next step, deadline and problems."""

    today: date
    rows: list[PipelineRow]

    def to_json(self) -> dict:
        return {"as_of": self.today.isoformat(), "people": [{
            "person_id": r.person_id, "name": r.name, "category": r.category, "stage": r.stage_label,
            "last_step": r.last_step, "last_on": r.last_on.isoformat() if r.last_on else None,
            "next_step": r.next_step, "earliest": r.earliest.isoformat() if r.earliest else None,
            "deadline": r.latest.isoformat() if r.latest else None, "attention": r.attention,
            "problems": [{"field": p.field, "message": p.message} for p in r.problems],
        } for r in self.rows]}

    def lines(self) -> list[str]:
        if not self.rows:
            return ["发展党员：目前没有在培养的申请人、积极分子、发展对象或预备党员。"]
        marks = {"overdue": "【已超期】", "soon": "【30天内到期】", "": ""}
        out = [f"发展党员（截至 {self.today.isoformat()}，共 {len(self.rows)} 人）："]
        for r in self.rows:
            deadline = f"，最迟 {r.latest.isoformat()}" if r.latest else ""
            earliest = f"，最早 {r.earliest.isoformat()}" if r.earliest and not r.latest else ""
            nxt = f"下一步：{r.next_step}{earliest}{deadline}" if r.next_step else "没有待办环节"
            out.append(f"  #{r.person_id} {r.name}（{r.category_label}）{marks[r.attention]} {nxt}")
            out += [f"      ！{p.message}" for p in r.problems]
        return out


def pipeline_report(today: date | None = None) -> PipelineReport:
    today = today or date.today()
    return PipelineReport(today, pipeline_rows(today))
