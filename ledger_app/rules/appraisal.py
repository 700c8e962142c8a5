"""民主评议党员: who is graded in a year's round, the share of 优秀, and when a round is complete.

Sources (domain-rules §2):
- 中共中央《中国共产党支部工作条例（试行）》(2018): the branch holds the 民主评议党员 normally once a
  year, usually with the 组织生活会. Grades: 优秀 / 合格 / 基本合格 / 不合格 (``vocab.APPRAISAL_GRADES``).
- 优秀 are normally no more than one third of the members graded (domain-rules §2; the figure is
  common practice, the 条例 itself names none). "Normally" makes it a warning, never a refusal:
  exactly one third is within the rule, one more is not.
- Probationary members take part in the 评议 (they speak and are spoken of) but are not graded:
  LOCAL PRACTICE, so it is a setting (``AppraisalSettings.grade_probationary``, default off).

Who takes part is fixed by the round's date: the branch's full and probationary members on the roll
that day (``rules.meetings.in_branch_on``); a member who became full on or before it is graded. A
member under a standing exclusion from 应到 that day (abroad, detained … ``vocab.EXCLUSION_CATEGORIES``)
is listed and may be graded, but the round is complete without them.

Pure functions of plain values; ``services.appraisal`` loads the facts.
"""

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from ..vocab import APPRAISAL_GRADES
from . import Problem
from .meetings import MemberFacts, excluded_on, in_branch_on, is_full_on

EXCELLENT_SHARE = Fraction(1, 3)  # 优秀 normally no more than a third of those graded

# The role of someone in a round: graded (a grade is required), excluded (may be graded, not
# required), probationary (listed, not graded unless the setting says so).
ROLES = {"graded": "评定等次", "excluded": "不计入应评（已批准不计入应到）", "probationary": "预备党员，不评定等次"}


@dataclass(frozen=True)
class AppraisalSettings:
    """The local-practice part of the rule: whether probationary members are graded too."""

    grade_probationary: bool = False


@dataclass(frozen=True)
class Participant:
    """One member taking part in a round, and whether a grade is required, allowed or not given."""

    person_id: int
    name: str
    role: str  # graded | excluded | probationary (ROLES)
    full: bool = True  # a full member on the round's date (else probationary)

    @property
    def may_grade(self) -> bool:
        return self.role != "probationary"

    @property
    def must_grade(self) -> bool:
        return self.role == "graded"


def participants(members: list[MemberFacts], day: date,
                 settings: AppraisalSettings = AppraisalSettings()) -> list[Participant]:
    """The members of the branch on ``day`` (the round's date), in the given order, each with a role."""
    result = []
    for m in members:
        if not in_branch_on(m, day):
            continue
        if not is_full_on(m, day) and not settings.grade_probationary:
            role = "probationary"
        elif excluded_on(m, day):
            role = "excluded"
        else:
            role = "graded"
        result.append(Participant(m.person_id, m.name, role, is_full_on(m, day)))
    return result


def excellent_exceeds(excellent: int, graded: int) -> bool:
    """Whether 优秀 exceed one third of those graded (exactly a third does not)."""
    return excellent > EXCELLENT_SHARE * graded


def excellent_warning(grades: dict[int, str | None]) -> str | None:
    """The warning to show while grading, or None: ``grades`` maps each member graded so far to a
    grade code (None for not yet graded, which does not count)."""
    given = [g for g in grades.values() if g]
    excellent = sum(g == "excellent" for g in given)
    if not given or not excellent_exceeds(excellent, len(given)):
        return None
    limit = int(EXCELLENT_SHARE * len(given))
    return (f"评定为优秀的 {excellent} 人，超过已评定等次的 {len(given)} 人的三分之一（至多 {limit} 人）。"
            "优秀党员一般不超过参评党员的三分之一，请再斟酌，或在备注中说明情况。")


def check_grades(people: list[Participant], grades: dict[int, str | None]) -> list[Problem]:
    """What is wrong with a set of grades: an unknown grade, or a grade for someone not graded in this
    round (a probationary member while the setting is off, someone not on the roll that day)."""
    by_id = {p.person_id: p for p in people}
    problems = []
    for person_id, grade in grades.items():
        if grade is None:
            continue
        if grade not in APPRAISAL_GRADES:
            problems.append(Problem(f"grades.{person_id}", f"等次“{grade}”无效，应为 {'、'.join(APPRAISAL_GRADES.values())} 之一。"))
            continue
        person = by_id.get(person_id)
        if person is None:
            problems.append(Problem(f"grades.{person_id}", "这位同志在评议日期不是本支部在册党员，不能评定等次；"
                                                            "请清除其等次，或核对评议日期。"))
        elif not person.may_grade:
            problems.append(Problem(f"grades.{person_id}", f"{person.name}是预备党员，按本支部的设置不评定等次，"
                                                            "请清除其等次（或在设置中改为预备党员也评定等次）。"))
    return problems


def missing_grades(people: list[Participant], grades: dict[int, str | None]) -> list[Participant]:
    """Those who must be graded and have no grade yet: the round is complete when this is empty."""
    return [p for p in people if p.must_grade and not grades.get(p.person_id)]


def check_round_date(year: int, held_on: date | None, today: date) -> list[Problem]:
    """A year's round is held in that year or early in the next (often in January for the year just
    ended): from 1 January of ``year`` to 31 March of the next, and not after today."""
    if held_on is None:
        return [Problem("held_on", "请填写民主评议的日期（召开评议会议的日期）。")]
    if not date(year, 1, 1) <= held_on <= date(year + 1, 3, 31):
        return [Problem("held_on", f"{year}年度的民主评议应在 {year} 年内或次年第一季度进行，"
                                   f"{held_on.isoformat()} 不在其间，请核对日期或年度。")]
    if held_on > today:
        return [Problem("held_on", f"评议日期 {held_on.isoformat()} 晚于今天（{today.isoformat()}）："
                                   "评议开过之后再登记等次。")]
    return []


# The kinds of meeting a round is held at: a 支部党员大会, the 组织生活会, or a meeting recorded as
# 民主评议党员 itself.
ROUND_MEETING_KINDS = ("appraisal", "general_assembly", "life_meeting")
