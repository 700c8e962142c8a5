"""Rules over one person's file: ID number, the order of the key dates and, through
``rules.development``, age at application and the time limits of the development pipeline.

Sources:
- The order birth < application < joining < conversion, and no date in the future, follow from
  党章 第一条、第七条 and 《中国共产党发展党员工作细则》(2014); every development time limit, with
  its article, is in ``rules.development`` (``LIMITS`` and ``STEPS``), re-exported here.
- 党章 第七条: probation is one year from the 支部大会 that accepted the person (the 入党时间).
- GB 11643-1999 for the ID number: see ``rules.id_number``.
"""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date

from . import Problem, development, id_number
from .development import (  # noqa: F401  (re-exported: the person rules' callers use them)
    LIMITS,
    Limits,
    WorkCalendar,
    check_application_age,
    check_probation,
)

# The Chinese names of the fields these rules speak about, for the messages.
FIELD_LABELS = development.DATE_LABELS | {
    "name": "姓名",
    "sex": "性别",
    "id_number": "身份证号",
    "extension_months": "延长预备期",
}


@dataclass(frozen=True)
class PersonFacts:
    """The values of one person the rules look at: ``Person`` columns and ``Development`` dates."""

    name: str = ""
    sex: str | None = None
    birth_date: date | None = None
    id_number: str | None = None
    joined_on: date | None = None
    converted_on: date | None = None
    applied_on: date | None = None
    talked_on: date | None = None
    activist_on: date | None = None
    target_on: date | None = None
    approved_on: date | None = None
    extension_months: int | None = None

    @classmethod
    def from_mapping(cls, *rows: Mapping | None) -> "PersonFacts":
        """The facts from one or more mappings (a person row, its development row), by field name.

        A value of the wrong type (a date column holding text in a file edited by hand) is taken
        as missing here; ``verify`` reports it on its own.
        """
        values = {}
        for row in rows:
            if row is None:
                continue
            for spec in fields(cls):
                if spec.name in row:
                    values[spec.name] = row[spec.name]
        for key, value in values.items():
            if key.endswith("_on") or key == "birth_date":
                values[key] = value if isinstance(value, date) else None
            elif key == "extension_months":
                values[key] = value if isinstance(value, int) and not isinstance(value, bool) else None
            elif key == "id_number" and value is not None:
                values[key] = str(value)
        return cls(**values)


def _label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def _order(earlier: str, first: date, later: str, second: date, strict: bool) -> Problem | None:
    """A problem on ``later`` when it is before ``earlier`` (or the same day, when ``strict``)."""
    if second > first or (second == first and not strict):
        return None
    need = "应晚于" if strict else "不应早于"
    if second < first:
        found = f"{_label(later)} {second.isoformat()} 早于{_label(earlier)} {first.isoformat()}"
    else:
        found = f"{_label(later)}与{_label(earlier)}是同一天（{second.isoformat()}）"
    return Problem(later, f"{found}，{_label(later)}{need}{_label(earlier)}，请核对这两个日期。")


def check_dates(birth_date: date | None, applied_on: date | None, joined_on: date | None,
                converted_on: date | None, today: date, extension_months: int | None = None) -> list[Problem]:
    """Birth < application < joining < conversion (where present), none in the future, and
    conversion no earlier than the end of probation, one year plus any extension (党章 第七条)."""
    chain = [("birth_date", birth_date), ("applied_on", applied_on), ("joined_on", joined_on),
             ("converted_on", converted_on)]
    problems = _future(chain, today)
    previous = None
    for field, value in chain:
        if value is None:
            continue
        if previous is not None:
            problem = _order(previous[0], previous[1], field, value, strict=True)
            if problem:
                problems.append(problem)
        previous = (field, value)
    if joined_on and converted_on and converted_on > joined_on:
        problems += check_probation(joined_on, converted_on, extension_months)
    return problems


def check_person(facts: PersonFacts | Mapping, today: date, development_row: Mapping | None = None,
                 calendar: WorkCalendar | None = None, assessments=None) -> list[Problem]:
    """Every rule of this module over one person: ID number, date order, age, development dates.

    ``development_row`` (the whole ``Development`` row) and ``assessments`` widen the development
    check beyond the dates ``PersonFacts`` carries; ``verify`` passes them. Where no birth date is
    entered, the one in a valid ID number is used for the age rule. One problem per field: the
    first rule a field breaks is the one to fix first.
    """
    if not isinstance(facts, PersonFacts):
        facts = PersonFacts.from_mapping(facts)
    problems = []
    birth = facts.birth_date
    if facts.id_number and facts.id_number.strip():
        problems += id_number.check(facts.id_number, facts.birth_date, facts.sex, today)
        if birth is None:
            parsed, _ = id_number.parse(id_number.normalise(facts.id_number))
            birth = parsed.birth_date if parsed else None
    problems += check_dates(facts.birth_date, facts.applied_on, facts.joined_on, facts.converted_on, today,
                            facts.extension_months)
    problems += check_application_age(birth, facts.applied_on)
    values = {f.name: getattr(facts, f.name) for f in fields(facts)}
    if development_row:
        values = {**development_row, "joined_on": facts.joined_on, "converted_on": facts.converted_on}
    problems += development.check(values, today, calendar, assessments)
    seen, unique = set(), []
    for problem in problems:
        if problem.field not in seen:
            seen.add(problem.field)
            unique.append(problem)
    return unique


def _future(dated: list[tuple[str, date | None]], today: date) -> list[Problem]:
    return [Problem(field, f"{_label(field)} {value.isoformat()} 晚于今天（{today.isoformat()}），请改正。")
            for field, value in dated if value is not None and value > today]


def check_stage(stage: str, joined_on: date | None, converted_on: date | None, today: date,
                require_joined: bool = True) -> list[Problem]:
    """人员类别 against 入党时间 and 转正时间 (党章 第七条: probation is one year from acceptance).

    A member has an 入党时间; a probationary member has no 转正时间 yet; someone still in the
    development pipeline has neither; a full member's probation (a year from 入党时间) is over.
    The card, the roster import and the transfer-in all check a person's category with this;
    a transfer-in may leave 入党时间 open (``require_joined=False``): the 介绍信 does not carry it.
    """
    from .. import vocab
    from .dates import add_months

    label = vocab.STAGES.get(stage, stage)
    if stage in vocab.MEMBER_STAGES and joined_on is None and require_joined:
        return [Problem("joined_on", f"{label}应填写入党时间（支部大会接收为预备党员的日期）。")]
    if stage == "probationary" and converted_on is not None:
        return [Problem("converted_on", f"预备党员还没有转正时间（现填 {converted_on.isoformat()}）："
                                        "请清空转正时间，或把人员类别改为正式党员。")]
    if stage not in vocab.MEMBER_STAGES and stage in vocab.STAGES:
        if joined_on is not None:
            return [Problem("joined_on", f"{label}尚未入党，不应有入党时间：请清空，或把人员类别改为预备党员。")]
        if converted_on is not None:
            return [Problem("converted_on", f"{label}尚未入党，不应有转正时间，请清空。")]
    if (stage == "full" and converted_on is None and joined_on
            and add_months(joined_on, LIMITS.probation_months) > today):
        return [Problem("stage", f"入党时间 {joined_on.isoformat()} 距今不满一年，预备期未满，应为预备党员；"
                                 "请核对人员类别或入党时间。")]
    return []
