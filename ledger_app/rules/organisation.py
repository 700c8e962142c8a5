"""Branch organisation rules.

Source: 中办《关于党的基层组织任期的意见》(2018): a branch committee serves 3 years; branches of
村 and 社区 serve 5 years. 《中国共产党支部工作条例（试行）》(2018) art. 9: a branch with 7 or more
full members forms a committee of 3–5 (at most 7); under 7, a secretary (and a deputy if needed).
"""

from datetime import date

from . import Problem

FIVE_YEAR_TERM_TYPES = frozenset({"village", "community"})


def term_years(branch_type: str) -> int:
    """The committee's term in years for a branch of this type."""
    return 5 if branch_type in FIVE_YEAR_TERM_TYPES else 3


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
