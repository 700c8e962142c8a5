"""The counting rules of the year-end statistics (党内统计), as of 31 December of a year.

Sources: the categories of the 党内统计 annual report as listed in domain-rules §5 (sex, minority
ethnicity, education with 大专及以上, age bands, the period a member joined in, occupation,
正式/预备, 流动; the year's changes; 民主评议 results).

- **Who is counted**: the members of this branch at the END of 31 December (``on_roll_at_end``):
  someone accepted, converted or transferred in on 31 December counts; someone who died, left or
  moved out on 31 December does not. Whether a person was in the branch on a day is the rule of
  ``rules.meetings.in_branch_on``, reused here, so the statistics and the meetings' 应到 agree.
- **Age** is whole years completed on 31 December: someone turning 31 that day is 31 (band 31–35).
- **Year joined**: the 党内统计 periods, by 入党时间. The edges are the founding of the People's
  Republic (1 October 1949), the end of 1978 (the Third Plenum, December 1978, closes the second
  period: someone who joined on 1 December 1978 is in “1949年10月至1978年12月”) and the 18th Party
  Congress (November 2012 opens the last period). domain-rules §5 writes the middle period as
  “Dec 1978 to Nov 2012”; the report's own wording puts December 1978 in the earlier period and
  November 2012 in the later, which is what ``JOINED_BANDS`` encodes. A one-table change if a
  committee counts otherwise.
- **Education**: 大专及以上 are 研究生, 大学本科 and 大学专科.
- **Occupation**: the person's ``occupation_category`` (vocab.OCCUPATION_CATEGORIES). The ledger's
  older free-text fields are only a *suggestion* (``suggest_occupation``) the clerk confirms; an
  unconfirmed person is counted as 未确认, never guessed into a category.
- **New members** (发展党员) are those the branch accepted in the year: 入党时间 in the year and not
  someone whose first move was a transfer in on or after that date (they joined elsewhere).
- **Conversions** are 转正时间 in the year while in the branch.

Every function here is pure; the service ``services.statistics`` loads the facts and counts.
"""

from datetime import date, timedelta

from ..vocab import EDUCATIONS, OCCUPATION_CATEGORIES
from .dates import age_on
from .meetings import MemberFacts, in_branch_on, is_full_on

UNKNOWN = "未填写"

# (label, the last age in the band); the last band has no upper end.
AGE_BANDS: tuple[tuple[str, int | None], ...] = (
    ("30岁及以下", 30), ("31至35岁", 35), ("36至40岁", 40), ("41至45岁", 45), ("46至50岁", 50),
    ("51至55岁", 55), ("56至60岁", 60), ("61岁及以上", None),
)

# (label, the first day AFTER the band); the last band has no end.
JOINED_BANDS: tuple[tuple[str, date | None], ...] = (
    ("1949年10月以前", date(1949, 10, 1)),
    ("1949年10月至1978年12月", date(1979, 1, 1)),
    ("1979年1月至2012年10月", date(2012, 11, 1)),
    ("2012年11月以后", None),
)

COLLEGE_OR_ABOVE = frozenset({"研究生", "大学本科", "大学专科"})
COLLEGE_LABEL = "其中大专及以上"
HAN = "汉族"


def year_end(year: int) -> date:
    return date(year, 12, 31)


def on_roll_at_end(member: MemberFacts, day: date) -> bool:
    """Whether the person is a member of this branch at the end of ``day`` (31 December).

    That is ``in_branch_on`` for the next morning, except that a departure dated the next day
    itself (1 January) has not happened yet at the end of ``day``.
    """
    after = day + timedelta(days=1)
    later = after + timedelta(days=1)
    left_on = later if member.left_on == after else member.left_on
    transfers = tuple((later if on == after and way == "out" else on, way) for on, way in member.transfers)
    if left_on != member.left_on or transfers != member.transfers:
        member = MemberFacts(member.person_id, member.name, member.stage, member.joined_on, member.converted_on,
                             left_on, transfers, member.group_id, member.exclusions, member.is_mobile)
    return in_branch_on(member, after)


def full_at_end(member: MemberFacts, day: date) -> bool:
    """正式党员 at the end of ``day`` (else 预备党员)."""
    return is_full_on(member, day)


def age_band(birth: date | None, day: date) -> str:
    """The age band of someone born on ``birth`` on ``day``; 未填写 without a birth date."""
    if birth is None:
        return UNKNOWN
    age = age_on(birth, day)
    for label, last in AGE_BANDS:
        if last is None or age <= last:
            return label
    raise AssertionError("the last band is open")


def joined_band(joined_on: date | None) -> str:
    """The 党内统计 period of a 入党时间; 未填写 without one."""
    if joined_on is None:
        return UNKNOWN
    for label, end in JOINED_BANDS:
        if end is None or joined_on < end:
            return label
    raise AssertionError("the last band is open")


def education_group(education: str) -> str:
    """The education row: one of vocab.EDUCATIONS, else 未填写."""
    text = (education or "").strip()
    return text if text in EDUCATIONS else UNKNOWN


def college_or_above(education: str) -> bool:
    return (education or "").strip() in COLLEGE_OR_ABOVE


def ethnicity_group(ethnicity: str) -> str:
    """汉族, 少数民族 or 未填写."""
    text = (ethnicity or "").strip()
    if not text:
        return UNKNOWN
    return HAN if text == HAN else "少数民族"


def developed_in(member: MemberFacts, year: int) -> bool:
    """Accepted as a probationary member by this branch in ``year`` (not joined elsewhere and moved in)."""
    joined = member.joined_on
    if joined is None or joined.year != year:
        return False
    moves = sorted(member.transfers)
    return not (moves and moves[0][1] == "in" and moves[0][0] >= joined)


def converted_in(member: MemberFacts, year: int) -> bool:
    """Converted to full membership in ``year`` while a member of this branch."""
    converted = member.converted_on
    return converted is not None and converted.year == year and on_roll_at_end(member, converted)


# ---- occupation: the suggestion the clerk confirms ------------------------------------------------------

# Words in the free-text occupation or post, checked in this order (the first match wins).
OCCUPATION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("retired", ("离退休", "退休", "离休")),
    ("student", ("学生", "研究生在读", "在校")),
    ("farmer", ("农牧渔", "农民", "牧民", "渔民", "种植", "养殖", "农户")),
    ("official", ("党政机关", "公务员", "科员", "调研员", "科长", "机关")),
    ("worker", ("工人", "工勤", "操作工", "技工", "技师", "电工", "维修工", "快递员", "司机", "班组长")),
    ("professional", ("专业技术", "工程师", "教师", "医生", "护士", "会计", "技术员", "律师", "研究员")),
    ("manager", ("管理人员", "经理", "主管", "店长", "厂长", "主任", "董事")),
    ("other", ("其他职业", "个体", "社区工作者", "网格员", "自由职业")),
)
DUES_CATEGORY_OCCUPATIONS = {"retired": "retired", "student": "student", "farmer": "farmer"}


def suggest_occupation(occupation: str, post: str = "", dues_category: str = "") -> str | None:
    """A category code for the free-text fields, or None when nothing points to one.

    The occupation field first (an exact 党内统计 label, then words), then the post, then the dues
    category (离退休, 学生, 农民 pay by their own rates). Only a suggestion: the clerk confirms it.
    """
    labels = {label: code for code, label in OCCUPATION_CATEGORIES.items()}
    text = (occupation or "").strip()
    if text in labels:
        return labels[text]
    for source in (text, (post or "").strip()):
        if not source:
            continue
        for code, words in OCCUPATION_WORDS:
            if any(word in source for word in words):
                return code
    return DUES_CATEGORY_OCCUPATIONS.get(dues_category)
