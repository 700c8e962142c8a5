"""Yuan text ↔ integer fen, exactly."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger_app.errors import ValidationError
from ledger_app.money import format_yuan, parse_yuan


@pytest.mark.parametrize(("text", "fen"), [
    ("5100", 510000), ("76.5", 7650), ("76.50", 7650), ("0.2", 20), ("1,234.05", 123405),
    ("５１００", 510000), (" 12.30 ", 1230), ("12元", 1200),
])
def test_parse_yuan(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text", ["", "-5", "abc", "1.234", "1e3", "12.3.4"])
def test_parse_yuan_refuses(text):
    with pytest.raises(ValidationError):
        parse_yuan(text, "base")


@given(st.integers(0, 10**12))
def test_round_trip(fen):
    assert parse_yuan(format_yuan(fen)) == fen


def test_format_negative():
    assert format_yuan(-5) == "-0.05"
