"""Person rules: order of the key dates, age at application, development time limits."""

from dataclasses import asdict, replace
from datetime import date

import pytest

from ledger_app.rules import development
from ledger_app.rules.id_number import check_character
from ledger_app.rules.person import (
    Limits,
    PersonFacts,
    check_application_age,
    check_dates,
    check_person,
)

TODAY = date(2024, 6, 1)


def check_development(facts: PersonFacts, today: date):
    """The development rules over the dates a ``PersonFacts`` carries (``rules.development.check``)."""
    return development.check(asdict(facts), today)


def make_id(birth: date, sequence: int) -> str:
    first17 = f"110105{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def fields(problems) -> list[str]:
    return [problem.field for problem in problems]


# A member whose file is in order: applied at 20, activist, target a year later, joined, converted.
CLEAN = PersonFacts(
    name="测试甲", sex="male", birth_date=date(1990, 3, 15), id_number=make_id(date(1990, 3, 15), 11),
    applied_on=date(2010, 4, 1), talked_on=date(2010, 4, 20), activist_on=date(2010, 10, 1),
    target_on=date(2011, 10, 1), joined_on=date(2012, 1, 10), approved_on=date(2012, 2, 20),
    converted_on=date(2013, 1, 10),
)


def test_a_file_in_order_has_no_problem():
    assert check_person(CLEAN, TODAY) == []


def test_a_person_with_no_dates_has_no_problem():
    assert check_person(PersonFacts(name="测试乙"), TODAY) == []


# --- age at application --------------------------------------------------------------------------

def test_turning_18_on_the_application_day_is_enough():
    assert check_application_age(date(2000, 6, 1), date(2018, 6, 1)) == []


def test_one_day_short_of_18_is_a_problem_naming_both_dates():
    problems = check_application_age(date(2000, 6, 1), date(2018, 5, 31))
    assert fields(problems) == ["applied_on"]
    message = problems[0].message
    assert "2018-05-31" in message and "2000-06-01" in message and "17 周岁" in message
    assert "请核对申请入党时间和出生日期" in message


def test_someone_born_on_29_february_turns_18_on_1_march():
    assert fields(check_application_age(date(2004, 2, 29), date(2022, 2, 28))) == ["applied_on"]
    assert check_application_age(date(2004, 2, 29), date(2022, 3, 1)) == []


def test_the_age_rule_uses_the_id_number_when_no_birth_date_is_entered():
    facts = PersonFacts(id_number=make_id(date(2000, 6, 1), 11), applied_on=date(2018, 5, 31))
    assert fields(check_person(facts, TODAY)) == ["applied_on"]


def test_the_limits_table_is_the_one_place_for_the_age(monkeypatch):
    monkeypatch.setattr(development, "LIMITS", Limits(min_age_to_apply=16))
    assert check_application_age(date(2000, 6, 1), date(2016, 6, 1)) == []
    assert "未满 16 周岁" in check_application_age(date(2000, 6, 1), date(2016, 5, 31))[0].message


# --- order of birth, application, joining, conversion --------------------------------------------

def test_application_and_joining_on_the_same_day_is_a_problem():
    problems = check_dates(None, date(2020, 1, 1), date(2020, 1, 1), None, TODAY)
    assert fields(problems) == ["joined_on"]
    assert problems[0].message == ("入党时间与申请入党时间是同一天（2020-01-01），入党时间应晚于申请入党时间，"
                                   "请核对这两个日期。")


def test_application_before_birth_is_a_problem():
    problems = check_dates(date(2000, 1, 1), date(1999, 12, 31), None, None, TODAY)
    assert fields(problems) == ["applied_on"]
    assert "1999-12-31 早于出生日期 2000-01-01" in problems[0].message


def test_conversion_before_joining_is_a_problem_on_the_conversion():
    problems = check_dates(None, None, date(2020, 7, 1), date(2020, 6, 30), TODAY)
    assert fields(problems) == ["converted_on"]
    assert "转正时间 2020-06-30 早于入党时间 2020-07-01" in problems[0].message


def test_missing_dates_are_skipped_and_the_next_present_one_compared():
    assert fields(check_dates(date(2000, 1, 1), None, date(1999, 1, 1), None, TODAY)) == ["joined_on"]
    assert check_dates(None, None, date(2019, 7, 1), None, TODAY) == []


def test_conversion_exactly_one_year_after_joining_is_allowed():
    assert check_dates(None, None, date(2020, 2, 29), date(2021, 2, 28), TODAY) == []


def test_conversion_a_day_before_the_year_is_up_is_a_problem():
    problems = check_dates(None, None, date(2020, 7, 1), date(2021, 6, 30), TODAY)
    assert fields(problems) == ["converted_on"]
    assert "早于预备期满之日 2021-07-01" in problems[0].message


def test_an_extension_moves_the_earliest_conversion():
    assert fields(check_dates(None, None, date(2020, 7, 1), date(2021, 7, 1), TODAY, 6)) == ["converted_on"]
    assert check_dates(None, None, date(2020, 7, 1), date(2022, 1, 1), TODAY, 6) == []


@pytest.mark.parametrize("field", ["birth_date", "applied_on", "joined_on", "converted_on"])
def test_a_date_after_today_is_a_problem(field):
    facts = replace(PersonFacts(), **{field: date(2024, 6, 2)})
    problems = check_dates(facts.birth_date, facts.applied_on, facts.joined_on, facts.converted_on, TODAY)
    assert fields(problems) == [field]
    assert "2024-06-02 晚于今天（2024-06-01）" in problems[0].message


def test_today_itself_is_not_in_the_future():
    assert check_dates(None, None, None, TODAY, TODAY) == []


# --- development dates ---------------------------------------------------------------------------

def test_talk_within_a_calendar_month_of_the_application():
    on_time = PersonFacts(applied_on=date(2020, 1, 31), talked_on=date(2020, 2, 29))
    late = replace(on_time, talked_on=date(2020, 3, 1))
    assert check_development(on_time, TODAY) == []
    problems = check_development(late, TODAY)
    assert fields(problems) == ["talked_on"]
    assert "2020-03-01" in problems[0].message and "2020-01-31" in problems[0].message


def test_talk_before_the_application_is_a_problem_and_the_same_day_is_not():
    assert fields(check_development(PersonFacts(applied_on=date(2020, 5, 2), talked_on=date(2020, 5, 1)),
                                    TODAY)) == ["talked_on"]
    assert check_development(PersonFacts(applied_on=date(2020, 5, 2), talked_on=date(2020, 5, 2)), TODAY) == []


def test_activist_before_application_is_a_problem():
    facts = PersonFacts(applied_on=date(2020, 5, 2), activist_on=date(2020, 5, 1))
    assert fields(check_development(facts, TODAY)) == ["activist_on"]


def test_an_activist_becomes_a_target_after_one_full_year():
    facts = PersonFacts(activist_on=date(2019, 3, 1), target_on=date(2020, 3, 1))
    assert check_development(facts, TODAY) == []
    problems = check_development(replace(facts, target_on=date(2020, 2, 29)), TODAY)
    assert fields(problems) == ["target_on"]
    assert "距确定为入党积极分子不足一年（2019-03-01 至 2020-02-29，最早 2020-03-01）" in problems[0].message


def test_a_target_before_the_activist_decision_is_an_order_problem():
    problems = check_development(PersonFacts(activist_on=date(2019, 3, 1), target_on=date(2019, 2, 1)), TODAY)
    assert fields(problems) == ["target_on"]
    assert "早于确定为入党积极分子时间" in problems[0].message


def test_joining_before_becoming_a_target_and_approval_before_joining_are_problems():
    facts = PersonFacts(target_on=date(2020, 3, 1), joined_on=date(2020, 2, 1), approved_on=date(2020, 1, 1))
    assert fields(check_development(facts, TODAY)) == ["joined_on", "approved_on"]


def test_an_extension_is_six_to_twelve_months():
    assert check_development(PersonFacts(extension_months=6), TODAY) == []
    assert check_development(PersonFacts(extension_months=12), TODAY) == []
    assert check_development(PersonFacts(extension_months=0), TODAY) == []
    assert fields(check_development(PersonFacts(extension_months=3), TODAY)) == ["extension_months"]
    assert fields(check_development(PersonFacts(extension_months=13), TODAY)) == ["extension_months"]


def test_development_dates_in_the_future_are_problems():
    assert fields(check_development(PersonFacts(target_on=date(2025, 1, 1)), TODAY)) == ["target_on"]


# --- check_person --------------------------------------------------------------------------------

def test_check_person_takes_plain_mappings_and_ignores_other_keys():
    row = {"id": 3, "name": "测试丙", "birth_date": date(1990, 3, 15), "group": None, "stage": "full",
           "joined_on": date(2012, 1, 10), "converted_on": date(2012, 1, 9)}
    assert fields(check_person(row, TODAY)) == ["converted_on"]


def test_a_date_column_holding_text_is_taken_as_missing():
    facts = PersonFacts.from_mapping({"birth_date": "1990-02-30", "applied_on": date(2000, 1, 1)})
    assert facts.birth_date is None
    assert check_person(facts, TODAY) == []


def test_check_person_combines_id_order_and_age():
    facts = replace(CLEAN, birth_date=date(1995, 3, 15), converted_on=date(2012, 1, 10))
    problems = check_person(facts, TODAY)
    assert fields(problems) == ["birth_date", "converted_on", "applied_on"]
    assert "当时 15 周岁" in problems[2].message


def test_values_of_the_wrong_type_are_taken_as_missing():
    facts = PersonFacts.from_mapping({"extension_months": "six", "joined_on": date(2020, 7, 1),
                                      "converted_on": date(2021, 7, 1), "id_number": 110105})
    assert facts.extension_months is None and facts.id_number == "110105"
    assert fields(check_person(facts, TODAY)) == ["id_number"]


def test_check_stage_against_the_dates():
    from ledger_app.rules.person import check_stage

    today = date(2026, 6, 1)
    assert check_stage("full", date(2020, 7, 1), date(2021, 7, 1), today) == []
    assert [p.field for p in check_stage("full", None, None, today)] == ["joined_on"]
    assert check_stage("full", None, None, today, require_joined=False) == []  # a 介绍信 has no 入党时间
    assert [p.field for p in check_stage("probationary", date(2025, 9, 1), date(2026, 9, 1), today)] == ["converted_on"]
    assert [p.field for p in check_stage("full", date(2025, 9, 1), None, today)] == ["stage"]  # probation not over
    assert [p.field for p in check_stage("activist", date(2025, 9, 1), None, today)] == ["joined_on"]
    assert check_stage("probationary", date(2025, 9, 1), None, today) == []
