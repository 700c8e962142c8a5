"""Citizen ID numbers (公民身份号码).

Source: GB 11643-1999 《公民身份号码》: 17 digits and a check character. The first six digits are
the address code, digits 7–14 the birth date (YYYYMMDD), digits 15–17 a sequence number whose last
digit is odd for men and even for women, and the 18th the check character: the digits weighted by
7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, summed, taken mod 11, and 0..10 mapped to 1 0 X 9 8 7 6 5 4 3 2.
"""

from dataclasses import dataclass
from datetime import date

from . import Problem

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
_FULL_WIDTH = str.maketrans("０１２３４５６７８９ｘＸx", "0123456789XXX")
_DIGITS = frozenset("0123456789")


@dataclass(frozen=True)
class IdFacts:
    """What a valid ID number says about its holder."""

    birth_date: date
    sex: str  # "male" or "female"


def normalise(text: str) -> str:
    """Strip spaces, turn full-width digits half-width and a lower-case or full-width x into X.

    Only x is upper-cased: ``str.upper`` would change the length of some text (ß → SS) and so
    the length reported back to the clerk.
    """
    return "".join(text.split()).translate(_FULL_WIDTH)


def check_character(first17: str) -> str:
    """The check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def parse(text: str) -> tuple[IdFacts | None, str | None]:
    """The facts of a normalised ID number, or None and a message saying what is wrong."""
    if len(text) != 18:
        return None, f"身份证号应为 18 位，现为 {len(text)} 位，请核对号码。"
    # ASCII digits only: str.isdigit also accepts "²" and other scripts' digits, which int() refuses.
    if not _DIGITS.issuperset(text[:17]) or text[17] not in _DIGITS | {"X"}:
        return None, "身份证号前 17 位应为数字，最后一位为数字或 X。"
    try:
        birth = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return None, f"身份证号第 7–14 位的出生日期 {text[6:14]} 不是有效日期，请核对号码。"
    expected = check_character(text[:17])
    if text[17] != expected:
        return None, f"身份证号校验位错误：最后一位应为 {expected}，请核对号码。"
    return IdFacts(birth, "male" if int(text[16]) % 2 else "female"), None


def check(id_number: str, birth_date: date | None, sex: str | None, today: date) -> list[Problem]:
    """Problems with an ID number and its agreement with the stated birth date and sex."""
    facts, message = parse(normalise(id_number))
    if facts is None:
        return [Problem("id_number", message)]
    problems = []
    if facts.birth_date > today:
        problems.append(Problem("id_number", f"身份证号中的出生日期 {facts.birth_date.isoformat()} 晚于今天，请核对号码。"))
    if birth_date is not None and birth_date != facts.birth_date:
        problems.append(Problem("birth_date", f"出生日期 {birth_date.isoformat()} 与身份证号中的 "
                                              f"{facts.birth_date.isoformat()} 不一致，请核对出生日期或身份证号。"))
    if sex in ("male", "female") and sex != facts.sex:  # an unknown code is the enumeration check's
        stated, derived = ("男", "女") if sex == "male" else ("女", "男")
        problems.append(Problem("sex", f"性别“{stated}”与身份证号（第 17 位表示{derived}）不一致，请核对性别或身份证号。"))
    return problems
