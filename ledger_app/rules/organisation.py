"""Branch organisation rules.

Source: 中办《关于党的基层组织任期的意见》(2018): a branch committee serves 3 years; branches of
村 and 社区 serve 5 years; the election is prepared before the term ends, and the ledger reminds
six months ahead (domain-rules §2). 《中国共产党支部工作条例（试行）》(2018) art. 9: a branch with 7 or more
full members forms a committee of 3–5 (at most 7); under 7, a secretary (and a deputy if needed).
"""

from datetime import date

from . import Problem
from .dates import add_months

FIVE_YEAR_TERM_TYPES = frozenset({"village", "community"})


def term_years(branch_type: str) -> int:
    """The committee's term in years for a branch of this type."""
    return 5 if branch_type in FIVE_YEAR_TERM_TYPES else 3


TERM_REMINDER_MONTHS = 6


def term_reminder(term_ends_on: date | None, today: date) -> str | None:
    """The reminder the workbench shows about the committee's term, or None while it is far off."""
    if term_ends_on is None:
        return None
    ends = f"{term_ends_on.year}年{term_ends_on.month}月{term_ends_on.day}日"
    if term_ends_on <= today:
        return f"任期已于 {ends} 届满，请尽快向上级党委报告，按期换届。"
    if add_months(today, TERM_REMINDER_MONTHS) >= term_ends_on:
        return f"距任期届满（{ends}）已不足 {TERM_REMINDER_MONTHS} 个月，请着手准备换届选举。"
    return None


def check_profile(name: str, branch_type: str, founded_on: date | None, today: date) -> list[Problem]:
    """Problems with a branch profile: a name is required, the type must be known, no future date."""
    from ..vocab import BRANCH_TYPES

    problems = []
    if not name.strip():
        problems.append(Problem("name", "请填写支部名称。"))
    if branch_type not in BRANCH_TYPES:
        problems.append(Problem("branch_type", f"支部类型“{branch_type}”无效，应为：{'、'.join(BRANCH_TYPES.values())}。"))
    if founded_on is not None and founded_on > today:
        problems.append(Problem("founded_on", f"成立日期 {founded_on.isoformat()} 晚于今天，请改正。"))
    return problems
