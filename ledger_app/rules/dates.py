"""Calendar arithmetic the rules share.

Source: domain-rules §3 (《中国共产党发展党员工作细则》, 2014): months are added calendar-wise; a
day that does not exist in the target month becomes that month's last day (31 Jan + 1 month =
28/29 Feb). Ages are whole years completed on the day.
"""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(birth: date, day: date) -> int:
    """Whole years completed on ``day`` by someone born on ``birth``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def year_being_closed(today: date) -> int:
    """The year a clerk is most likely closing (statistics, summary, archive): last year until the
    end of March, when the year-end work for the upper committee is done, then this one."""
    return today.year - 1 if today.month <= 3 else today.year
