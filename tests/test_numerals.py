"""Capital numerals as written on the introduction letter: examples, and a round trip for 1–999."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger_app.rules.numerals import capital_number, capital_year, capital_year_month

DIGIT_VALUES = {ch: value for value, ch in enumerate("零壹贰叁肆伍陆柒捌玖")}


def parse_amount(text: str) -> int:
    """Read a capital amount back (壹佰零伍 → 105): an independent reading, not the writer reversed."""
    total, digit = 0, None
    for ch in text:
        if ch == "零":  # stands for the zero tens between 佰 and the units
            assert digit is None and total % 100 == 0, f"misplaced 零 in {text}"
        elif ch == "佰":
            total += digit * 100
            digit = None
        elif ch == "拾":
            total += digit * 10
            digit = None
        else:
            assert digit is None, f"two digits in a row in {text}"
            digit = DIGIT_VALUES[ch]
    return total + (digit or 0)


@pytest.mark.parametrize(("n", "text"), [
    (1, "壹"), (9, "玖"), (10, "壹拾"), (11, "壹拾壹"), (12, "壹拾贰"), (20, "贰拾"), (30, "叁拾"), (45, "肆拾伍"),
    (60, "陆拾"), (90, "玖拾"), (100, "壹佰"), (101, "壹佰零壹"), (110, "壹佰壹拾"), (999, "玖佰玖拾玖"),
])
def test_amounts_as_on_the_form(n, text):
    assert capital_number(n) == text


def test_years_digit_by_digit_and_year_month():
    assert capital_year(2026) == "贰零贰陆"
    assert capital_year(2000) == "贰零零零"
    assert capital_year_month(date(2026, 11, 1)) == "贰零贰陆年壹拾壹月"
    assert capital_year_month(date(2025, 1, 31)) == "贰零贰伍年壹月"
    assert capital_year_month(date(2030, 10, 15)) == "贰零叁零年壹拾月"


@pytest.mark.parametrize("n", [0, -1, 1000])
def test_out_of_range_refused(n):
    with pytest.raises(ValueError):
        capital_number(n)


def test_every_value_round_trips_and_is_distinct():
    written = {n: capital_number(n) for n in range(1, 1000)}
    assert all(parse_amount(text) == n for n, text in written.items())
    assert len(set(written.values())) == 999


@given(st.integers(1, 999))
def test_round_trip_and_no_ordinary_digits(n):
    text = capital_number(n)
    assert parse_amount(text) == n
    assert set(text) <= set(DIGIT_VALUES) | {"拾", "佰"}
    assert not text.startswith("零") and not text.endswith("零") and "零零" not in text
    assert text.count("零") <= 1


@given(st.integers(1000, 9999), st.integers(1, 12))
def test_year_month_round_trip(year, month):
    text = capital_year_month(date(year, month, 1))
    year_text, month_text = text.removesuffix("月").split("年")
    assert int("".join(str(DIGIT_VALUES[ch]) for ch in year_text)) == year
    assert parse_amount(month_text) == month
