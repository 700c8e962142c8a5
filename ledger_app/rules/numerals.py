"""Capital Chinese numerals (大写数字) as written on the 党员组织关系介绍信.

Source: the 介绍信 form in use since 2007 (domain-rules §4) asks for the month dues are paid up to
and the validity in days in capital numerals. Its filling convention is the one of financial
capitals (财务大写: 壹贰叁肆伍陆柒捌玖, 拾佰, 零), used so that a figure cannot be altered by adding
a stroke. As on a cheque:
- a year is written digit by digit: 2026 → 贰零贰陆;
- a month, a day or a count is written as an amount, every 拾 with its digit: 1 → 壹, 10 → 壹拾,
  11 → 壹拾壹, 30 → 叁拾, 100 → 壹佰, 105 → 壹佰零伍 (one 零 stands for the zeros inside).
"""

from datetime import date

DIGITS = "零壹贰叁肆伍陆柒捌玖"


def capital_year(year: int) -> str:
    """A year digit by digit: 2026 → 贰零贰陆."""
    if year <= 0:
        raise ValueError(f"year must be positive, got {year}")
    return "".join(DIGITS[int(digit)] for digit in str(year))


def capital_number(n: int) -> str:
    """A count from 1 to 999 as an amount: 10 → 壹拾, 45 → 肆拾伍, 101 → 壹佰零壹, 110 → 壹佰壹拾."""
    if not 0 < n < 1000:
        raise ValueError(f"capital numerals are written here for 1–999, got {n}")
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    text = f"{DIGITS[hundreds]}佰" if hundreds else ""
    if tens:
        text += f"{DIGITS[tens]}拾"
    elif hundreds and units:
        text += "零"
    if units:
        text += DIGITS[units]
    return text


def capital_year_month(day: date) -> str:
    """The year and month of ``day``: 2026-11-01 → 贰零贰陆年壹拾壹月."""
    return f"{capital_year(day.year)}年{capital_number(day.month)}月"
