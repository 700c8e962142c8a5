"""党龄: how many whole years someone has been a full member.

Source: 《中国共产党章程》第七条 ("预备党员的预备期，从支部大会通过他为预备党员之日算起。党员的党龄，从
预备期满转为正式党员之日算起。") and domain-rules §3: 党龄 runs from the day probation ends, the 转正时间,
not from the 入党时间 nor from the upper committee's approval of the conversion. It is counted in
whole years completed on the day, like an age (a 29 February conversion completes its years on
1 March in common years).
"""

from datetime import date

from .dates import age_on


def standing_years(converted_on: date | None, today: date) -> int | None:
    """Whole years of 党龄 on ``today``; ``None`` for someone not (yet) converted to a full member.

    A 转正时间 after ``today`` (a date entered ahead) counts as 0, never negative.
    """
    if converted_on is None:
        return None
    return max(0, age_on(converted_on, today))
