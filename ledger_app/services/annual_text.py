"""What only the clerk knows of a year — the problems, next year's plans, the unit's central tasks …
— kept per year and section (``vocab.ANNUAL_TEXT_SECTIONS``) in the ledger, so regenerating the
annual summary never loses it. An empty text removes the section's row: the summary then prints
【待补充】 there again.
"""

from ..errors import ValidationError
from ..models import AnnualText
from ..vocab import ANNUAL_TEXT_SECTIONS
from . import audit, write

MAX_LENGTH = 20000  # characters: several pages of a summary


def _check(year: int, section: str) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not 1921 <= year <= 9999:
        raise ValidationError(f"年份“{year}”无效，应为四位数字，如 2026。", "year")
    if section not in ANNUAL_TEXT_SECTIONS:
        raise ValidationError(f"年度总结中没有“{section}”这一部分，应为：{'、'.join(ANNUAL_TEXT_SECTIONS.values())}。",
                              "section")


def annual_texts(year: int) -> dict[str, str]:
    """The clerk's texts of ``year``, section → text; a section never written is absent."""
    return dict(AnnualText.select(AnnualText.section, AnnualText.text).where(AnnualText.year == year).tuples())


@write
def save_annual_text(year: int, section: str, text: str) -> None:
    """Keep ``text`` as the section of ``year`` (blank lines at either end trimmed); empty removes it."""
    _check(year, section)
    text = (text or "").strip()
    label = ANNUAL_TEXT_SECTIONS[section]
    if len(text) > MAX_LENGTH:
        raise ValidationError(f"“{label}”有 {len(text)} 字，超过了 {MAX_LENGTH} 字，请精简后再保存。", "text")
    row = AnnualText.get_or_none(AnnualText.year == year, AnnualText.section == section)
    if row is None:
        if text:
            audit.create(AnnualText, f"{year}年度总结：{label}", year=year, section=section, text=text)
    elif not text:
        audit.delete(row, f"{year}年度总结：清空{label}")
    elif row.text != text:
        audit.update(row, f"{year}年度总结：修改{label}", text=text)
