"""Calendar rules the areas share."""

from datetime import date

from ledger_app.rules.dates import add_months, year_being_closed


def test_months_are_added_calendar_wise_with_month_end_clamping():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 8, 31), -6) == date(2025, 2, 28)


def test_the_year_being_closed_is_last_year_until_the_end_of_march():
    assert year_being_closed(date(2026, 3, 31)) == 2025
    assert year_being_closed(date(2026, 4, 1)) == 2026
