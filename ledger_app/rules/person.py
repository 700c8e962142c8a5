"""Rules over one person's file: ID number, the order of the key dates, age at application, and
the time limits of the development pipeline.

Sources:
- 《中国共产党章程》第一条 and 《中国共产党发展党员工作细则》(2014) 第五条: only someone who has
  reached 18 may apply to join.
- 细则 第七条: the Party organisation talks with the applicant within one month of receiving the
  application.
- 细则 第十三条: an activist becomes a development target only after at least one year of
  training and assessment.
- 党章 第七条: probation is one year from the 支部大会 that accepted the person (the 入党时间);
  it may be extended, by no more than one year; 党龄 runs from conversion. domain-rules §3 (from
  the 细则) sets the extension at 6 months to 1 year.
- The order birth < application < joining < conversion, and no date in the future, follow from
  the above and are what the issue for this module asks.
- GB 11643-1999 for the ID number: see ``rules.id_number``.

Every time limit is in ``LIMITS`` so that a revision of the 细则 is a change in one place.
"""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date

from . import Problem, id_number
from .dates import add_months, age_on


@dataclass(frozen=True)
class Limits:
    """The time limits of member development, each with its source."""

    min_age_to_apply: int = 18  # years; 党章 第一条, 细则 第五条
    talk_within_months: int = 1  # after the application; 细则 第七条
    activist_min_months: int = 12  # activist → development target; 细则 第十三条
    probation_months: int = 12  # from 入党时间 to 转正; 党章 第七条
    extension_min_months: int = 6  # extension of probation; domain-rules §3
    extension_max_months: int = 12  # 党章 第七条: "不能超过一年"


LIMITS = Limits()

# The Chinese names of the fields these rules speak about, for the messages.
FIELD_LABELS = {
    "name": "姓名",
    "sex": "性别",
    "birth_date": "出生日期",
    "id_number": "身份证号",
    "applied_on": "申请入党时间",
    "talked_on": "谈话时间",
    "activist_on": "确定为入党积极分子时间",
    "target_on": "确定为发展对象时间",
    "joined_on": "入党时间",
    "approved_on": "上级党委审批时间",
    "extension_months": "延长预备期",
    "converted_on": "转正时间",
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


def check_probation(joined_on: date, converted_on: date, extension_months: int | None) -> list[Problem]:
    """Conversion no earlier than probation's end: one year from 入党时间 plus any extension.

    Source: 党章 第七条 (probation one year from the 支部大会; may be extended, never shortened).
    """
    months = LIMITS.probation_months + (extension_months or 0)
    ends = add_months(joined_on, months)
    if converted_on >= ends:
        return []
    extended = f"，延长预备期 {extension_months} 个月" if extension_months else ""
    return [Problem("converted_on", f"转正时间 {converted_on.isoformat()} 早于预备期满之日 {ends.isoformat()}"
                                    f"（入党时间 {joined_on.isoformat()} 起预备期一年{extended}）。"
                                    f"预备期可以延长，不能缩短，请核对转正时间和入党时间。")]


def check_application_age(birth_date: date | None, applied_on: date | None) -> list[Problem]:
    """At least 18 on the day of application (党章 第一条; 细则 第五条). Turning 18 that day is enough."""
    if birth_date is None or applied_on is None or applied_on < birth_date:
        return []  # the order rule reports an application before birth
    age = age_on(birth_date, applied_on)
    if age >= LIMITS.min_age_to_apply:
        return []
    return [Problem("applied_on", f"申请入党时间 {applied_on.isoformat()} 时未满 {LIMITS.min_age_to_apply} 周岁"
                                  f"（出生日期 {birth_date.isoformat()}，当时 {age} 周岁）。年满 "
                                  f"{LIMITS.min_age_to_apply} 周岁方可申请入党，请核对申请入党时间和出生日期。")]


def check_development(facts: PersonFacts, today: date) -> list[Problem]:
    """The development dates against each other where the order is unambiguous (细则; domain-rules §3).

    Application ≤ talk ≤ application + 1 month (第七条); application ≤ activist; activist + 1 year
    ≤ development target (第十三条); target ≤ 入党时间 ≤ upper approval; an extension of probation
    of 6–12 months (党章 第七条) and a conversion no earlier than probation plus the extension.
    """
    problems = _future([("talked_on", facts.talked_on), ("activist_on", facts.activist_on),
                        ("target_on", facts.target_on), ("approved_on", facts.approved_on)], today)
    applied = facts.applied_on
    pairs = [("applied_on", applied, "talked_on", facts.talked_on),
             ("applied_on", applied, "activist_on", facts.activist_on),
             ("target_on", facts.target_on, "joined_on", facts.joined_on),
             ("joined_on", facts.joined_on, "approved_on", facts.approved_on)]
    for earlier, first, later, second in pairs:
        if first and second:
            problem = _order(earlier, first, later, second, strict=False)
            if problem:
                problems.append(problem)
    if applied and facts.talked_on and facts.talked_on > add_months(applied, LIMITS.talk_within_months):
        problems.append(Problem("talked_on", f"谈话时间 {facts.talked_on.isoformat()} 晚于申请入党时间 "
                                             f"{applied.isoformat()} 后 {LIMITS.talk_within_months} 个月"
                                             f"（{add_months(applied, LIMITS.talk_within_months).isoformat()}）。"
                                             f"党组织应在收到入党申请书后一个月内派人谈话，请核对谈话时间。"))
    if facts.activist_on and facts.target_on:
        earliest = add_months(facts.activist_on, LIMITS.activist_min_months)
        if facts.target_on < facts.activist_on:
            problems.append(_order("activist_on", facts.activist_on, "target_on", facts.target_on, strict=False))
        elif facts.target_on < earliest:
            problems.append(Problem("target_on", f"确定为发展对象时间 {facts.target_on.isoformat()} 距确定为入党积极分子"
                                                 f"时间 {facts.activist_on.isoformat()} 不满一年（最早 "
                                                 f"{earliest.isoformat()}）。入党积极分子须经一年以上培养考察方可列为"
                                                 f"发展对象，请核对这两个日期。"))
    extension = facts.extension_months
    if extension and not LIMITS.extension_min_months <= extension <= LIMITS.extension_max_months:
        problems.append(Problem("extension_months", f"延长预备期 {extension} 个月不在 {LIMITS.extension_min_months}–"
                                                    f"{LIMITS.extension_max_months} 个月之间，请改正。"))
    return problems


def check_person(facts: PersonFacts | Mapping, today: date) -> list[Problem]:
    """Every rule of this module over one person: ID number, date order, age, development dates.

    Where no birth date is entered, the one in a valid ID number is used for the age rule.
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
    problems += check_development(facts, today)
    return problems


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
