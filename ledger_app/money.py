"""Money is integer fen (分). Parsing and formatting yuan text without ever touching a float."""

import re

from .errors import ValidationError

_YUAN = re.compile(r"^(\d+)(?:\.(\d{1,2}))?$")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


def parse_yuan(text: str, field: str = "amount", label: str = "金额") -> int:
    """Yuan as typed ("5100", "76.5", "1,234.50", full-width digits) → fen; refuses anything else."""
    cleaned = "".join(str(text).split()).translate(_FULL_WIDTH).replace(",", "").removesuffix("元")
    if not cleaned:
        raise ValidationError(f"{label}不能为空。", field)
    if cleaned.startswith("-"):
        raise ValidationError(f"{label}不能为负数：{text}", field)
    match = _YUAN.match(cleaned)
    if match is None:
        raise ValidationError(f"{label}“{text}”不是有效的金额（应为数字，最多两位小数，如 5100 或 76.50）。", field)
    whole, cents = match.groups()
    return int(whole) * 100 + int((cents or "0").ljust(2, "0"))


def format_yuan(fen: int) -> str:
    """Fen → "76.50" (with a minus sign when negative)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"
