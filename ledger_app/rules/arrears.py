"""Arrears of party dues: which months a person owes as a member here, and when that is a warning or a flag.

Sources: domain-rules §1 and 《中国共产党章程》第九条: a member who, without good reason, has not
paid dues for six consecutive months is regarded as having left the Party of their own accord
(自行脱党); the branch must then handle it. The ledger warns after 3 consecutive unpaid months and
flags for that handling after 6.

Decisions made here (one place, so a change of practice is a change of this module):
- Months are counted across year boundaries (Oct 2025 – Mar 2026 is six consecutive months); the
  month the report is "as of" counts when it is still unpaid.
- A month covered by an approved hardship exemption (DuesRelief "exempt", both approvals on file)
  is not unpaid; it ends a run like a paid month does.
- A month in which the person was not a member of this branch (before paying starts — see
  ``rules.dues.paying_from`` — or before a transfer in, or after leaving) is not counted.
- Months before the ledger's dues records begin are not counted either: a clerk who starts
  keeping dues in 2026 must not see every member 200 months behind.
- "Good reason" is a recorded one: an exclusion from 应到 with upper approval (the five
  categories of domain-rules §2: detained, bedridden, abroad …) covering the month. With such a
  reason six months stay a warning and are not flagged; a free-text note is not a reason.

Months are handled as indexes ``year * 12 + month - 1`` so that arithmetic crosses years plainly.
"""

from dataclasses import dataclass
from datetime import date

WARN_MONTHS = 3
FLAG_MONTHS = 6
LEVELS = {"warned": "提醒", "flagged": "按自行脱党处理（待支部研究）"}
LEAVING_STATES = frozenset({"transferred_out", "suspended", "expelled", "deceased"})


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def index_of(day: date) -> int:
    return day.year * 12 + day.month - 1


def year_month(index: int) -> tuple[int, int]:
    year, month = divmod(index, 12)
    return year, month + 1


@dataclass(frozen=True)
class Span:
    """The months (indexes, inclusive) a person is a paying member of this branch; None = unbounded."""

    first: int | None
    last: int | None

    def covers(self, index: int) -> bool:
        return (self.first is None or index >= self.first) and (self.last is None or index <= self.last)

    def overlaps(self, first: int, last: int) -> bool:
        return (self.first is None or self.first <= last) and (self.last is None or self.last >= first)


def member_span(paying_from: date | None, transferred_in_on: date | None, dues_paid_until: date | None,
                membership_state: str, state_changed_on: date | None) -> Span:
    """The months a person pays dues here.

    From the month paying starts (``rules.dues.paying_from``; unknown = unbounded), or, when the
    person transferred in later, from the month after the letter's "dues paid up to" month (the
    old branch collected up to it), or from the transfer's month when the letter says nothing.
    To the month of leaving (转出, 停止党籍, 出党), inclusive; for a member who died, to the month
    before the death (no dues are asked for the month a member died; the demo ledger does the same).
    """
    first = index_of(paying_from) if paying_from else None
    if transferred_in_on is not None:
        arrived = index_of(dues_paid_until) + 1 if dues_paid_until else index_of(transferred_in_on)
        first = arrived if first is None else max(first, arrived)
    last = index_of(state_changed_on) if membership_state in LEAVING_STATES and state_changed_on else None
    if last is not None and membership_state == "deceased":
        last -= 1
    return Span(first, last)


@dataclass(frozen=True)
class Run:
    """The unpaid months ending at the as-of month: how many, and the first of them."""

    months: int
    since: int | None  # month index of the first unpaid month, None when months == 0


def unpaid_run(as_of: int, span: Span, last_paid: int | None, last_exempt: int | None,
               records_start: int) -> Run:
    """Consecutive unpaid member months ending at ``as_of`` (inclusive).

    ``last_paid`` and ``last_exempt`` are the latest paid and exempt month at or before
    ``as_of``; ``records_start`` the first month of the ledger's dues records. A person who is
    not a member in ``as_of`` owes nothing as of then.
    """
    if not span.covers(as_of):
        return Run(0, None)
    bounds = [records_start] + [i for i in (span.first,) if i is not None]
    bounds += [i + 1 for i in (last_paid, last_exempt) if i is not None]
    start = max(bounds)
    months = as_of - start + 1
    return Run(months, start) if months > 0 else Run(0, None)


def level(months: int, has_reason: bool) -> str | None:
    """"warned" from 3 consecutive unpaid months, "flagged" from 6 unless a recorded reason covers them."""
    if months >= FLAG_MONTHS and not has_reason:
        return "flagged"
    if months >= WARN_MONTHS:
        return "warned"
    return None
