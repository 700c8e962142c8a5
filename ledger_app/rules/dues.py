"""The monthly party-dues standard.

Sources: 中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》(中组发〔2008〕3号) and the
notice 组电明字〔2017〕5号 (see domain-rules §1). One rate applies to the whole base (it is not
tiered like income tax); a boundary value belongs to the lower band (3000 → 0.5 %, 5000 → 1 %,
10000 → 1.5 %). Retirees pay on the basic pension: ≤ 5000 → 0.5 %, above → 1 %. Farmers pay a fixed
0.2–1 yuan set by the province (a setting, default 0.5); students, the laid-off or unemployed and
those on relief or 低保 pay 0.2 yuan. Rounding has no national rule: half up to the fen by default,
some units round up to the whole yuan (a setting).

When a probationary member starts paying: from the month of the 支部大会 that accepted them
(2008 art. 8, the default); one explainer says from the month the upper committee approves (a
setting). Back payment is normally at most 6 months; a voluntary extra (自愿多交) above 1000 yuan a
month is a large voluntary payment (2017 notice), recorded apart from the standard.

All amounts are integer fen; rates are per-mille integers, so no float ever touches money.
"""

from dataclasses import dataclass
from datetime import date

from ..errors import ValidationError
from ..money import format_yuan
from ..vocab import DUES_CATEGORIES

# (upper bound of the base in fen, inclusive — None for no bound, rate in per mille)
RATE_BANDS: dict[str, tuple[tuple[int | None, int], ...]] = {
    "in_service": ((300000, 5), (500000, 10), (1000000, 15), (None, 20)),
    "retired": ((500000, 5), (None, 10)),
}
STUDENT_OR_UNEMPLOYED_FEN = 20
ROUNDING_MODES = {"fen_half_up": "四舍五入到分", "yuan_up": "向上取整到元"}
LARGE_VOLUNTARY_FEN = 100000  # a monthly voluntary extra above 1000 yuan is a large payment (2017 notice)
PROBATION_STARTS = {"accepted": "自支部大会接收之月起", "approved": "自上级党委批准之月起"}
BACK_PAYMENT_MONTHS = 6  # back payment normally at most 6 months (domain-rules §1)


@dataclass(frozen=True)
class DuesSettings:
    """The local-practice parts of the dues rule, kept per ledger."""

    rounding: str = "fen_half_up"
    farmer_fen: int = 50
    probation_start: str = "accepted"  # a key of PROBATION_STARTS


FARMER_RANGE_FEN = (20, 100)  # 0.2–1 yuan a month, the province decides within it (2008 规定)


def check_settings(settings: DuesSettings) -> list:
    """Problems with the dues settings: a known rounding and probation start, a farmers' amount within
    the 0.2–1 yuan range of the 2008 rules."""
    from . import Problem

    problems = []
    if settings.rounding not in ROUNDING_MODES:
        problems.append(Problem("rounding", f"未知的取整方式“{settings.rounding}”。"))
    if settings.probation_start not in PROBATION_STARTS:
        problems.append(Problem("probation_start", f"未知的预备党员起交方式“{settings.probation_start}”。"))
    low, high = FARMER_RANGE_FEN
    if isinstance(settings.farmer_fen, bool) or not isinstance(settings.farmer_fen, int) \
            or not low <= settings.farmer_fen <= high:
        problems.append(Problem("farmer_fen", f"农民党员每月党费应在 {format_yuan(low)}–{format_yuan(high)} 元之间"
                                              f"（由省级党委确定），现为 {settings.farmer_fen} 分。"))
    return problems


@dataclass(frozen=True)
class Standard:
    """A monthly standard and the band it came from, in words for the clerk."""

    amount_fen: int
    band: str


def _yuan(fen: int) -> str:
    return str(fen // 100) if fen % 100 == 0 else format_yuan(fen)


def _round(numerator: int, denominator: int, mode: str) -> int:
    """numerator / denominator in fen, rounded per the setting (integers only)."""
    whole, remainder = divmod(numerator, denominator)
    if mode == "fen_half_up":
        return whole + (1 if 2 * remainder >= denominator else 0)
    if mode == "yuan_up":
        exact_up = whole + (1 if remainder else 0)
        return -(-exact_up // 100) * 100
    raise ValidationError(f"未知的取整方式“{mode}”，应为：{'、'.join(ROUNDING_MODES)}。", "rounding")


def _band_label(lower: int, upper: int | None, per_mille: int) -> str:
    rate = f"{per_mille // 10}.{per_mille % 10}%".replace(".0%", "%")
    if upper is None:
        return f"{_yuan(lower)} 元以上，{rate}"
    if lower == 0:
        return f"{_yuan(upper)} 元及以下，{rate}"
    return f"{_yuan(lower)} 元以上至 {_yuan(upper)} 元，{rate}"


def monthly_standard(category: str, base_fen: int, settings: DuesSettings = DuesSettings()) -> Standard:
    """The monthly dues for a member of ``category`` with a monthly base of ``base_fen``."""
    if category not in DUES_CATEGORIES:
        raise ValidationError(f"未知的党费类别“{category}”，应为：{'、'.join(DUES_CATEGORIES)}。", "category")
    if isinstance(base_fen, bool) or not isinstance(base_fen, int):
        raise ValidationError("党费基数应为整数（分）。", "base")
    if base_fen < 0:
        raise ValidationError("党费基数不能为负数。", "base")
    if category == "farmer":
        return Standard(settings.farmer_fen, f"农民党员，每月 {format_yuan(settings.farmer_fen)} 元")
    if category in ("student", "unemployed"):
        return Standard(STUDENT_OR_UNEMPLOYED_FEN, f"{DUES_CATEGORIES[category]}，每月 0.20 元")
    lower = 0
    for upper, per_mille in RATE_BANDS[category]:
        if upper is None or base_fen <= upper:
            return Standard(_round(base_fen * per_mille, 1000, settings.rounding), _band_label(lower, upper, per_mille))
        lower = upper
    raise AssertionError("the last band has no upper bound")


def paying_from(joined_on: date | None, approved_on: date | None, settings: DuesSettings = DuesSettings()) -> date | None:
    """The first day of the month from which a member pays, per the probationary setting.

    ``joined_on`` is the 支部大会 acceptance (入党时间); ``approved_on`` the upper committee's
    approval. With the "approved" setting and no approval on file, the acceptance month is used.
    """
    if settings.probation_start not in PROBATION_STARTS:
        raise ValidationError(f"未知的预备党员起交设置“{settings.probation_start}”，应为：{'、'.join(PROBATION_STARTS)}。",
                              "probation_start")
    day = approved_on if settings.probation_start == "approved" and approved_on else joined_on
    return day.replace(day=1) if day else None


def back_payment_months(year: int, month: int, paid_on: date) -> int:
    """How many months before the month of ``paid_on`` the dues month (year, month) lies (0 or less: none)."""
    return (paid_on.year * 12 + paid_on.month) - (year * 12 + month)


def check_back_payment(year: int, month: int, paid_on: date) -> str | None:
    """A message when paying (year, month) on ``paid_on`` is a back payment beyond the 6-month limit."""
    behind = back_payment_months(year, month, paid_on)
    if behind > BACK_PAYMENT_MONTHS:
        return (f"{year}年{month}月的党费在 {paid_on.isoformat()} 补交，已超过 {BACK_PAYMENT_MONTHS} 个月"
                f"（相差 {behind} 个月）：补交党费一般不超过 {BACK_PAYMENT_MONTHS} 个月，请核对月份或交费日期。")
    return None


def is_large_voluntary(extra_fen: int) -> bool:
    """A monthly voluntary extra above 1000 yuan counts as a large voluntary payment (2017 notice)."""
    return extra_fen > LARGE_VOLUNTARY_FEN
