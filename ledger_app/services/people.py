"""Writing a person's file: the member card's fields, the membership state, the history.

The card edits a ``PersonForm`` (every editable field of domain-rules §5). ``check_form`` is the one
check of it: the card runs it as the clerk types, to show each problem beside its field, and
``create_person`` / ``save_person`` run it again before writing, so what the card accepts is
exactly what the ledger accepts. Reading a file is ``services.members.get_member``.

Nobody is ever deleted: a person leaves the roster through ``change_state`` (转出, 停止党籍, 出党,
去世 …) with a date and a reason, and the change is written to their history. There is no delete
function here on purpose.
"""

from dataclasses import dataclass, fields
from datetime import date

from .. import vocab
from ..errors import ValidationError
from ..models import Development, HistoryEvent, PartyGroup, Person
from ..pinyin import initials
from ..rules import Problem, contact
from ..rules import id_number as id_rules
from ..rules import person as person_rules
from ..rules.person import PersonFacts, check_person
from . import audit, branch, write
from .members import get_member


@dataclass
class PersonForm:
    """The editable fields of a person's file (domain-rules §5), as the card holds them.

    Codes are those of ``vocab``: ``sex`` male/female or None, ``stage`` one of ``vocab.STAGES``,
    ``dues_category`` one of ``vocab.DUES_CATEGORIES``; ``group_id`` a 党小组 id or None.
    """

    name: str = ""
    sex: str | None = None
    ethnicity: str = ""
    native_place: str = ""
    birth_date: date | None = None
    id_number: str = ""
    work_started_on: date | None = None
    education: str = ""
    school_major: str = ""
    degree: str = ""
    occupation: str = ""
    occupation_category: str | None = None  # the 党内统计 category (vocab.OCCUPATION_CATEGORIES); None: not confirmed
    post: str = ""
    phone: str = ""
    address: str = ""
    stage: str = "full"
    joined_on: date | None = None
    converted_on: date | None = None
    is_mobile: bool = False
    mobile_note: str = ""
    group_id: int | None = None
    dues_category: str = "in_service"
    note: str = ""


FORM_FIELDS = tuple(f.name for f in fields(PersonForm))
TEXT_FIELDS = tuple(f.name for f in fields(PersonForm) if f.type is str)

# The Chinese name of each field, for messages and the card's labels.
FIELD_LABELS = {
    "name": "姓名", "sex": "性别", "ethnicity": "民族", "native_place": "籍贯", "birth_date": "出生日期",
    "id_number": "身份证号", "work_started_on": "参加工作时间", "education": "学历", "school_major": "毕业院校及专业",
    "degree": "学位", "occupation": "职业（岗位）类别", "post": "工作单位及职务", "phone": "联系电话",
    "address": "家庭住址", "stage": "人员类别", "joined_on": "入党时间", "converted_on": "转正时间",
    "is_mobile": "流动党员", "mobile_note": "流动情况说明", "group_id": "所在党小组", "dues_category": "党费类别",
    "note": "备注",
}
MAX_NAME = 30  # characters; a Chinese name is 2–4, a minority name written in full may be longer

# States a person can be put in, and for whom: leaving the Party is for members, 终止培养 for applicants.
MEMBER_ONLY_STATES = ("suspended", "expelled")
PIPELINE_ONLY_STATES = ("withdrawn",)
PROBATION_ONLY_STATES = ("disqualified",)  # 取消预备党员资格 (党章 第七条)
# History kinds that say nothing by their name alone: they need a description.
DESCRIBED_KINDS = ("commendation", "discipline", "other", "post", "appraisal")
JOINED_TEXT = "经支部大会讨论通过，被接收为中共预备党员"
CONVERTED_TEXT = "预备期满，转为中共正式党员"


@dataclass(frozen=True)
class GroupChoice:
    """A 党小组 the card offers."""

    id: int
    name: str


def group_choices() -> list[GroupChoice]:
    """The 党小组 in their display order."""
    return [GroupChoice(g.id, g.name)
            for g in PartyGroup.select().order_by(PartyGroup.sort_order, PartyGroup.name, PartyGroup.id)]


def form_for(person_id: int) -> PersonForm:
    """The card's fields of one person as the ledger holds them."""
    detail = get_member(person_id)
    values = {name: getattr(detail, name) for name in FORM_FIELDS}
    values["id_number"] = values["id_number"] or ""
    return PersonForm(**values)


# ---- checking --------------------------------------------------------------------------------


def _check_choices(form: PersonForm) -> list[Problem]:
    problems = []
    if not form.name.strip():
        problems.append(Problem("name", "请填写姓名。"))
    elif len(form.name.strip()) > MAX_NAME:
        problems.append(Problem("name", f"姓名太长（{len(form.name.strip())} 个字），最多 {MAX_NAME} 个字，请核对。"))
    if form.sex is not None and form.sex not in vocab.SEXES:
        problems.append(Problem("sex", f"性别“{form.sex}”无效，应为男或女。"))
    ethnicity = form.ethnicity.strip()
    if ethnicity and ethnicity not in vocab.ETHNICITIES:
        if f"{ethnicity}族" in vocab.ETHNICITIES:
            message = f"民族请写规范名称“{ethnicity}族”（现为“{ethnicity}”）。"
        else:
            message = f"民族“{ethnicity}”不是 56 个民族的规范名称（如“汉族”“蒙古族”），请从列表中选择。"
        problems.append(Problem("ethnicity", message))
    education = form.education.strip()
    if education and education not in vocab.EDUCATIONS:
        problems.append(Problem("education", f"学历“{education}”无效，应为 {'、'.join(vocab.EDUCATIONS)} 之一。"))
    if form.stage not in vocab.STAGES:
        problems.append(Problem("stage", f"人员类别“{form.stage}”无效，应为 {'、'.join(vocab.STAGES.values())} 之一。"))
    if form.occupation_category is not None and form.occupation_category not in vocab.OCCUPATION_CATEGORIES:
        problems.append(Problem("occupation_category", f"职业类别“{form.occupation_category}”无效，应为 "
                                                       f"{'、'.join(vocab.OCCUPATION_CATEGORIES.values())} 之一。"))
    if form.dues_category not in vocab.DUES_CATEGORIES:
        problems.append(Problem("dues_category", f"党费类别“{form.dues_category}”无效，应为 "
                                                 f"{'、'.join(vocab.DUES_CATEGORIES.values())} 之一。"))
    if form.group_id is not None and not PartyGroup.select().where(PartyGroup.id == form.group_id).exists():
        problems.append(Problem("group_id", "所选的党小组已不存在，请重新选择。"))
    message = contact.check_phone(form.phone)
    if message:
        problems.append(Problem("phone", message))
    return problems


def _check_stage(form: PersonForm, today: date) -> list[Problem]:
    return person_rules.check_stage(form.stage, form.joined_on, form.converted_on, today)


def _check_other_dates(form: PersonForm, today: date) -> list[Problem]:
    work = form.work_started_on
    if work is None:
        return []
    if work > today:
        return [Problem("work_started_on", f"参加工作时间 {work.isoformat()} 晚于今天（{today.isoformat()}），请改正。")]
    if form.birth_date and work <= form.birth_date:
        return [Problem("work_started_on", f"参加工作时间 {work.isoformat()} 不晚于出生日期 "
                                           f"{form.birth_date.isoformat()}，请核对这两个日期。")]
    return []


def _check_unique_id(number: str, person_id: int | None) -> list[Problem]:
    query = Person.select(Person.id, Person.name).where(Person.id_number == number)
    if person_id is not None:
        query = query.where(Person.id != person_id)
    other = query.first()
    if other is None:
        return []
    return [Problem("id_number", f"身份证号 {number} 在台账中已属于“{other.name}”（编号 {other.id}），"
                                 f"同一个人只建一份档案，请核对号码。")]


def check_form(form: PersonForm, today: date, person_id: int | None = None) -> list[Problem]:
    """Every problem with the form, in the order of its fields; an empty list when it may be saved.

    The rules are those of ``rules.person`` (ID number and its agreement with birth date and sex,
    the order of the dates, probation), ``rules.contact`` (phone), the 56 ethnic names, the stage
    against the dates, and an ID number held by nobody else. The development dates already on
    file take part (an 入党时间 before the application is wrong); a problem the card cannot fix
    (between two development dates) is left to ``verify``, and one between the birth date and the
    application is shown on the birth date. At most one problem is given per field.
    """
    development = (Development.get_or_none(Development.person == person_id) if person_id is not None else None)
    dev_dates = {f: getattr(development, f) for f in ("applied_on", "talked_on", "activist_on", "target_on",
                                                      "approved_on", "extension_months")} if development else {}
    number = id_rules.normalise(form.id_number or "")
    facts = PersonFacts(name=form.name.strip(), sex=form.sex, birth_date=form.birth_date, id_number=number or None,
                        joined_on=form.joined_on, converted_on=form.converted_on, **dev_dates)
    problems = _check_choices(form) + check_person(facts, today) + _check_stage(form, today)
    problems += _check_other_dates(form, today)
    if number and not any(p.field == "id_number" for p in problems):
        problems += _check_unique_id(number, person_id)
    first: dict[str, Problem] = {}
    for problem in problems:
        field = "birth_date" if problem.field == "applied_on" else problem.field
        if field in FORM_FIELDS and field not in first:
            first[field] = Problem(field, problem.message)
    return [first[f] for f in FORM_FIELDS if f in first]


def _values(form: PersonForm) -> dict:
    """The columns to write: text stripped, the ID number and phone in their normal form, and the
    birth date and sex taken from the ID number where they were left empty."""
    values = {name: getattr(form, name) for name in FORM_FIELDS}
    for name in TEXT_FIELDS:
        values[name] = values[name].strip()
    values["id_number"] = id_rules.normalise(form.id_number or "") or None
    facts = id_rules.parse(values["id_number"])[0] if values["id_number"] else None
    if facts is not None:
        values["birth_date"] = values["birth_date"] or facts.birth_date
        values["sex"] = values["sex"] or facts.sex
    values["phone"] = contact.normalise(form.phone) or ""
    values["group"] = values.pop("group_id")
    values["name_initials"] = initials(values["name"])
    return values


def _raise_first(problems: list[Problem]) -> None:
    if problems:
        raise ValidationError(problems[0].message, problems[0].field)


def get_person(person_id: int) -> Person:
    """The person's row; a clear error naming the id when there is none."""
    person = Person.get_or_none(Person.id == person_id)
    if person is None:
        raise ValidationError(f"找不到编号为 {person_id} 的人员，请检查编号或先在花名册中查找。", "person_id")
    return person


def sync_event(person: Person, kind: str, text: str, old: date | None, new: date | None) -> None:
    """Keep the 入党 / 转正 entry of the history on the date the file gives.

    A date set for the first time adds the entry (unless the history already has one); a
    corrected date moves the entries dated on the old one; a date cleared removes them, audited.
    """
    if old == new:
        return
    events = list(HistoryEvent.select().where(HistoryEvent.person == person.id, HistoryEvent.kind == kind))
    on_old = [e for e in events if old is not None and e.occurred_on == old]
    label = vocab.HISTORY_KINDS[kind]
    for event in on_old:
        if new is None:
            audit.delete(event, f"{person.name}履历：{label}时间已清空")
        else:
            audit.update(event, f"{person.name}履历：{label}时间改为 {new.isoformat()}", occurred_on=new)
    if new is not None and not events:
        audit.create(HistoryEvent, f"{person.name}履历：{label}", person=person, occurred_on=new, kind=kind,
                     description=text)


@write
def create_person(form: PersonForm, today: date | None = None) -> int:
    """A new file from the card; its id. Nothing is written when the form has a problem."""
    today = today or date.today()
    _raise_first(check_form(form, today))
    values = _values(form)
    label = vocab.STAGES.get(form.stage, form.stage)
    person = audit.create(Person, f"新增{label} {values['name']}", membership_state="active", **values)
    sync_event(person, "joined", JOINED_TEXT, None, person.joined_on)
    sync_event(person, "converted", CONVERTED_TEXT, None, person.converted_on)
    return person.id


@write
def save_person(person_id: int, form: PersonForm, today: date | None = None) -> None:
    """Write the card's fields over the file, audited before and after; nothing is written on a problem.

    Setting 入党时间 or 转正时间 for the first time writes the matching history entry; correcting
    one moves it.
    """
    today = today or date.today()
    person = get_person(person_id)
    _raise_first(check_form(form, today, person_id))
    old_joined, old_converted = person.joined_on, person.converted_on
    values = _values(form)
    audit.update(person, f"修改{values['name']}的档案", **values)
    sync_event(person, "joined", JOINED_TEXT, old_joined, person.joined_on)
    sync_event(person, "converted", CONVERTED_TEXT, old_converted, person.converted_on)


# ---- membership state and history ------------------------------------------------------------


def check_state_change(stage: str, current: str, state: str, on: date | None, reason: str,
                       today: date) -> list[Problem]:
    """What is wrong with moving someone in ``stage`` from state ``current`` to ``state`` on ``on``.

    Leaving the roster (转出, 停止党籍, 出党, 去世, 终止培养) and coming back to 在册 both need the
    date and the reason: the file must say when and why (domain-rules §4–5).
    """
    problems = []
    if state not in vocab.MEMBERSHIP_STATES:
        problems.append(Problem("state", f"党籍状态“{state}”无效，应为 {'、'.join(vocab.MEMBERSHIP_STATES.values())} 之一。"))
    elif state == current:
        problems.append(Problem("state", f"现在已是“{vocab.MEMBERSHIP_STATES[state]}”，请选择另一个状态。"))
    elif state in MEMBER_ONLY_STATES and stage not in vocab.MEMBER_STAGES:
        problems.append(Problem("state", f"“{vocab.MEMBERSHIP_STATES[state]}”只适用于党员，"
                                         f"{vocab.STAGES.get(stage, stage)}请选“终止培养”。"))
    elif state in PIPELINE_ONLY_STATES and stage in vocab.MEMBER_STAGES:
        problems.append(Problem("state", "“终止培养”只适用于入党申请人、积极分子和发展对象，党员请选择其他状态。"))
    elif state in PROBATION_ONLY_STATES and stage != "probationary":
        problems.append(Problem("state", "“取消预备党员资格”只适用于预备党员。"))
    if on is None:
        problems.append(Problem("on", "请填写变动日期。"))
    elif on > today:
        problems.append(Problem("on", f"变动日期 {on.isoformat()} 晚于今天（{today.isoformat()}），请改正。"))
    if not reason.strip():
        problems.append(Problem("reason", "请填写变动原因（如：病故、组织关系转至某单位、经支部大会讨论决定）。"))
    return problems


@write
def change_state(person_id: int, state: str, on: date | None, reason: str, today: date | None = None) -> None:
    """Put someone in ``state`` from ``on`` for ``reason``, and write it to their history.

    This is how a person leaves the roster (and comes back to it): the file stays.
    """
    today = today or date.today()
    person = get_person(person_id)
    problems = check_state_change(person.stage, person.membership_state, state, on, reason, today)
    if problems:
        raise ValidationError(problems[0].message, problems[0].field)
    old = vocab.MEMBERSHIP_STATES.get(person.membership_state, person.membership_state)
    new = vocab.MEMBERSHIP_STATES[state]
    reason = reason.strip()
    audit.update(person, f"{person.name}党籍状态：{old} → {new}", membership_state=state, state_changed_on=on,
                 state_reason=reason)
    if state != "active":
        branch.end_posts(person, on)
    audit.create(HistoryEvent, f"{person.name}履历：{new}", person=person, occurred_on=on, kind="state",
                 description=f"{old} → {new}：{reason}")


def check_history_event(kind: str, on: date | None, description: str, today: date) -> list[Problem]:
    """What is wrong with a history entry the clerk adds by hand."""
    problems = []
    if kind == "state":
        problems.append(Problem("kind", "党籍变动请用“变更党籍状态”登记，那里会同时改变党籍状态。"))
    elif kind not in vocab.HISTORY_KINDS:
        problems.append(Problem("kind", f"类别“{kind}”无效，应为 {'、'.join(vocab.HISTORY_KINDS.values())} 之一。"))
    if on is None:
        problems.append(Problem("on", "请填写日期。"))
    elif on > today:
        problems.append(Problem("on", f"日期 {on.isoformat()} 晚于今天（{today.isoformat()}），请改正。"))
    if kind in DESCRIBED_KINDS and not description.strip():
        label = vocab.HISTORY_KINDS[kind]
        problems.append(Problem("description", f"“{label}”需要写明内容（如：授予单位和称号、处分机关和种类、所任职务）。"))
    return problems


@write
def add_history_event(person_id: int, kind: str, on: date | None, description: str,
                      today: date | None = None) -> int:
    """Add an entry to someone's history; its id."""
    today = today or date.today()
    person = get_person(person_id)
    problems = check_history_event(kind, on, description, today)
    if problems:
        raise ValidationError(problems[0].message, problems[0].field)
    event = audit.create(HistoryEvent, f"{person.name}履历：{vocab.HISTORY_KINDS[kind]}", person=person,
                         occurred_on=on, kind=kind, description=description.strip())
    return event.id
