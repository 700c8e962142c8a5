"""The dues standard of domain-rules §1: official examples, every band boundary, each category."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger_app.errors import ValidationError
from ledger_app.rules.dues import DuesSettings, monthly_standard
from ledger_app.vocab import DUES_CATEGORIES


@pytest.mark.parametrize(("category", "base_fen", "expected_fen"), [
    ("in_service", 510000, 7650),  # 12371 党务问答: 5100 → 1.5 % → 76.50
    ("in_service", 490000, 4900),  # 4900 → 1 % → 49.00
    ("retired", 480000, 2400),  # retiree 4800 → 0.5 % → 24.00
])
def test_official_worked_examples(category, base_fen, expected_fen):
    assert monthly_standard(category, base_fen).amount_fen == expected_fen


@pytest.mark.parametrize(("base_fen", "expected_fen", "band_rate"), [
    (300000, 1500, "0.5%"),  # a boundary belongs to the lower band
    (300001, 3000, "1%"),
    (500000, 5000, "1%"),
    (500001, 7500, "1.5%"),
    (1000000, 15000, "1.5%"),
    (1000001, 20000, "2%"),
    (0, 0, "0.5%"),
])
def test_in_service_band_boundaries(base_fen, expected_fen, band_rate):
    standard = monthly_standard("in_service", base_fen)
    assert standard.amount_fen == expected_fen
    assert standard.band.endswith(band_rate)


def test_retired_boundary_and_above():
    assert monthly_standard("retired", 500000).amount_fen == 2500
    assert monthly_standard("retired", 500001).amount_fen == 5000
    assert monthly_standard("retired", 500001).band == "5000 元以上，1%"


def test_fixed_amounts_per_category_and_farmer_setting():
    assert monthly_standard("farmer", 123456).amount_fen == 50
    assert monthly_standard("farmer", 0, DuesSettings(farmer_fen=100)).amount_fen == 100
    assert monthly_standard("student", 999999).amount_fen == 20
    assert monthly_standard("unemployed", 0).amount_fen == 20


def test_rounding_half_up_to_fen_and_up_to_yuan():
    # 3333.33 yuan × 1 % = 33.3333 → 33.33; 3333.50 × 1 % = 33.335 → 33.34
    assert monthly_standard("in_service", 333333).amount_fen == 3333
    assert monthly_standard("in_service", 333350).amount_fen == 3334
    up = DuesSettings(rounding="yuan_up")
    assert monthly_standard("in_service", 333333, up).amount_fen == 3400
    assert monthly_standard("in_service", 490000, up).amount_fen == 4900  # exact yuan stays


@pytest.mark.parametrize("bad", [-1, 1.5, "5100", True])
def test_bad_base_refused(bad):
    with pytest.raises(ValidationError) as info:
        monthly_standard("in_service", bad)
    assert info.value.field == "base"


def test_unknown_category_and_rounding_refused():
    with pytest.raises(ValidationError, match="未知的党费类别"):
        monthly_standard("soldier", 100)
    with pytest.raises(ValidationError, match="未知的取整方式"):
        monthly_standard("in_service", 100, DuesSettings(rounding="bankers"))


@given(st.sampled_from(list(DUES_CATEGORIES)), st.integers(0, 10**9), st.integers(0, 10**7),
       st.sampled_from(["fen_half_up", "yuan_up"]))
def test_standard_never_decreases_and_is_never_negative(category, base, rise, rounding):
    settings = DuesSettings(rounding=rounding)
    low = monthly_standard(category, base, settings).amount_fen
    high = monthly_standard(category, base + rise, settings).amount_fen
    assert 0 <= low <= high


def test_settings_checked_before_they_are_stored(ledger):
    from ledger_app.rules.dues import check_settings
    from ledger_app.services.settings import dues_settings, put_dues_settings

    assert check_settings(DuesSettings()) == []
    assert [p.field for p in check_settings(DuesSettings(farmer_fen=19))] == ["farmer_fen"]
    assert check_settings(DuesSettings(farmer_fen=100)) == []  # 1 yuan is the top of the range
    with pytest.raises(ValidationError) as info:
        put_dues_settings(DuesSettings(farmer_fen=150))
    assert info.value.field == "farmer_fen" and "0.20–1.00" in str(info.value)
    assert dues_settings() == DuesSettings()  # nothing written
