"""Time rules of a transfer of organisational relation (组织关系转接).

Sources (restated in domain-rules §4):
- 《中国共产党党员教育管理工作条例》(2019): a member whose work unit or residence changes, or who
  is away six months or more at a fixed place, transfers the relation.
- The 党员组织关系介绍信 form in use since 2007 and its filling notes: the letter states a validity
  in days, set case by case (commonly 10 days within a city, 30 beyond it) and **at most three
  months**; the month dues are paid up to; the receiving organisation returns the receipt (回执)
  to the sending one, which keeps it with the stub. domain-rules §4: the receipt should come back
  **within one month**, and the ledger tracks it.

Three months is taken as 90 days because the form counts validity in days. Every limit is in
``LIMITS`` so that a change is a change in one place.
"""

from dataclasses import dataclass
from datetime import date

from . import Problem
from .dates import add_months


@dataclass(frozen=True)
class TransferLimits:
    """The limits on an introduction letter, each with its source above."""

    min_valid_days: int = 1
    max_valid_days: int = 90  # "最长不超过 3 个月", counted in days on the form
    receipt_within_months: int = 1  # domain-rules §4


LIMITS = TransferLimits()


def receipt_due(transferred_on: date) -> date:
    """The last day the receipt of a letter issued on ``transferred_on`` is on time (one calendar month)."""
    return add_months(transferred_on, LIMITS.receipt_within_months)


def receipt_overdue(transferred_on: date, returned_on: date | None, today: date) -> bool:
    """Whether the receipt is still missing after its due day; on the due day itself it is not late."""
    return returned_on is None and today > receipt_due(transferred_on)


def first_of_month(day: date) -> date:
    """Dues are paid by the month: the month is kept as its first day."""
    return day.replace(day=1)


def check_letter(transferred_on: date | None, valid_days: int | None, dues_paid_until: date | None,
                 today: date) -> list[Problem]:
    """Problems with the dates and figures of an introduction letter.

    The letter's date is not in the future; its validity is 1 to 90 days; dues cannot be paid up to
    a month after the month of the transfer (dues are then paid to the receiving branch).
    """
    problems = []
    if transferred_on is None:
        problems.append(Problem("transferred_on", "请填写转接日期。"))
    elif transferred_on > today:
        problems.append(Problem("transferred_on", f"转接日期 {transferred_on.isoformat()} 晚于今天"
                                                  f"（{today.isoformat()}），请改正。"))
    if valid_days is None or isinstance(valid_days, bool) or not isinstance(valid_days, int):
        problems.append(Problem("valid_days", "请填写介绍信有效期（天数）。"))
    elif not LIMITS.min_valid_days <= valid_days <= LIMITS.max_valid_days:
        problems.append(Problem("valid_days", f"介绍信有效期 {valid_days} 天不在 {LIMITS.min_valid_days}–"
                                              f"{LIMITS.max_valid_days} 天之间：有效期最长不超过 3 个月，请改正。"))
    if dues_paid_until is not None and transferred_on is not None \
            and first_of_month(dues_paid_until) > first_of_month(transferred_on):
        problems.append(Problem("dues_paid_until", f"党费交至 {dues_paid_until.year} 年 {dues_paid_until.month} 月"
                                                   f"晚于转接月份（{transferred_on.year} 年 {transferred_on.month} 月）。"
                                                   f"转出后党费向接收党组织交纳，请核对党费交至月份。"))
    return problems
