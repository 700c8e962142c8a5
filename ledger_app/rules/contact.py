"""Telephone numbers as a member's file keeps them: a mobile number or a landline with its area code.

Source: 工业和信息化部《电信网编号计划（2017年版）》 and the way numbers are written in China:
- a mobile number has 11 digits and begins 13–19 (the 1 of the mobile network, then 3–9);
- a landline is written with its long-distance area code, which begins with the trunk prefix 0:
  010 and 020–029 have three digits, every other area code four (0755, 0371 …); the local number
  after it has 7 or 8 digits and never begins with 0 (that would be another trunk prefix);
- an extension follows the number after a dash or 转 (020-83520000-123, 0755-1234567转8);
- the country code +86 (or 0086) before a mobile number is dropped: the ledger is for China.
Convention of this ledger: the area code is kept separated by a dash (020-83520000), a mobile
number without separators, several numbers joined by 、. Spaces, full-width digits and the
Chinese dashes a clerk may type are accepted and tidied.
"""

import re

_FULL_WIDTH = str.maketrans("０１２３４５６７８９－—–（）", "0123456789---()")
_SEPARATORS = re.compile(r"[、,，;；/]+")
_MOBILE = re.compile(r"1[3-9]\d{9}")
# area code (0 + 2 digits for 010/02x, else 0 + 3 digits), local number, optional extension
_LANDLINE = re.compile(r"(0(?:10|2\d|[3-9]\d{2}))-?([1-9]\d{6,7})(?:(?:-|转)(\d{1,6}))?")
EXAMPLE = "11 位手机号（如 13812345678），或带区号的固定电话（如 020-83520000、0755-1234567）"


def _tidy(part: str) -> str:
    """One number without spaces, full-width characters or brackets round the area code."""
    text = "".join(part.split()).translate(_FULL_WIDTH)
    bracketed = re.fullmatch(r"\((0\d{2,3})\)(.+)", text)
    return f"{bracketed.group(1)}-{bracketed.group(2)}" if bracketed else text


def normalise_one(part: str) -> str | None:
    """One number in the ledger's form, or None when it is not a mobile or landline number."""
    text = _tidy(part)
    mobile = re.sub(r"^(?:\+86|0086)-?", "", text).replace("-", "")
    if _MOBILE.fullmatch(mobile):
        return mobile
    match = _LANDLINE.fullmatch(text)
    if match is None:
        return None
    area, local, extension = match.groups()
    return f"{area}-{local}" + (f"-{extension}" if extension else "")


def normalise(text: str) -> str | None:
    """Every number in ``text`` in the ledger's form joined by 、; "" for no number; None when one is bad."""
    parts = [p for p in _SEPARATORS.split(text or "") if p.strip()]
    numbers = [normalise_one(p) for p in parts]
    if any(n is None for n in numbers):
        return None
    return "、".join(numbers)


def check_phone(text: str) -> str | None:
    """None when ``text`` is empty or holds only valid numbers; else a message naming the bad number."""
    for part in _SEPARATORS.split(text or ""):
        if part.strip() and normalise_one(part) is None:
            shown = part.strip()
            digits = re.sub(r"\D", "", _tidy(part))
            if digits.startswith("1") and len(digits) != 11:
                return f"联系电话“{shown}”不是有效的号码：手机号应为 11 位，现为 {len(digits)} 位。"
            if digits.startswith("1"):
                return f"联系电话“{shown}”不是有效的手机号：手机号以 13–19 开头。"
            if digits and not digits.startswith("0"):
                return f"联系电话“{shown}”缺少区号：固定电话请写上区号，如 020-83520000。"
            return f"联系电话“{shown}”不是有效的号码：应为 {EXAMPLE}。"
    return None
