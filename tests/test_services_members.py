"""Read-only member queries: roster order and membership, one person's full file, and 党龄."""

from dataclasses import fields, is_dataclass
from datetime import date

import pytest

from ledger_app.errors import ValidationError
from ledger_app.models import (
    Appraisal,
    CommitteeMember,
    CommitteeTerm,
    Development,
    HistoryEvent,
    PartyGroup,
    Person,
    Transfer,
)
from ledger_app.rules.id_number import check_character
from ledger_app.rules.standing import standing_years
from ledger_app.services.members import MemberDetail, MemberRow, get_member, roster_rows


def an_id(first17: str) -> str:
    return first17 + check_character(first17)


@pytest.fixture
def people(ledger):
    """Two groups in sort order 乙 then 甲, members in both, one in none, and people who are not on the roster."""
    second = PartyGroup.create(name="甲组", sort_order=2)
    first = PartyGroup.create(name="乙组", sort_order=1)
    made = {}
    for name, group, stage, state in [
        ("张三", second, "full", "active"),
        ("李四", first, "full", "active"),
        ("王五", first, "probationary", "active"),
        ("艾一", second, "full", "active"),
        ("赵无组", None, "full", "active"),
        ("钱转出", first, "full", "transferred_out"),
        ("孙申请", first, "applicant", "active"),
        ("周积极", None, "activist", "active"),
    ]:
        made[name] = Person.create(name=name, group=group, stage=stage, membership_state=state, sex="male",
                                   joined_on=date(2010, 1, 1) if stage in ("full", "probationary") else None)
    return made


def test_roster_lists_active_members_by_group_order_then_pinyin(people):
    rows = roster_rows()
    assert [r.name for r in rows] == ["李四", "王五", "艾一", "张三", "赵无组"]
    assert [r.group for r in rows] == ["乙组", "乙组", "甲组", "甲组", ""]
    assert rows[1].stage == "预备" and rows[0].stage == "正式"
    assert rows[0].sex == "男" and rows[0].state == "在册"
    assert all(isinstance(r, MemberRow) for r in rows)


def test_include_left_adds_members_who_left_but_never_applicants(people):
    names = [r.name for r in roster_rows(include_left=True)]
    assert "钱转出" in names
    assert "孙申请" not in names and "周积极" not in names
    assert next(r for r in roster_rows(include_left=True) if r.name == "钱转出").state == "转出"


def test_post_falls_back_to_occupation(ledger):
    Person.create(name="退休者", stage="full", occupation="离退休人员")
    Person.create(name="科长", stage="full", occupation="党政机关工作人员", post="科长")
    assert {r.name: r.post for r in roster_rows()} == {"退休者": "离退休人员", "科长": "科长"}


def test_get_member_returns_the_whole_file_as_plain_data(ledger):
    group = PartyGroup.create(name="第一党小组")
    id_number = an_id("11010519800101123")
    person = Person.create(name="测试甲", sex="female", ethnicity="回族", birth_date=date(1980, 1, 1),
                           id_number=id_number, stage="full", joined_on=date(2005, 7, 1),
                           converted_on=date(2006, 7, 1), group=group, dues_category="retired", phone="13800000000")
    Development.create(person=person, applied_on=date(2003, 3, 1), introducers="甲、乙")
    term = CommitteeTerm.create(started_on=date(2022, 5, 1))
    CommitteeMember.create(term=term, person=person, post="组织委员", started_on=date(2022, 5, 1))
    HistoryEvent.create(person=person, occurred_on=date(2005, 7, 1), kind="joined", description="入党")
    HistoryEvent.create(person=person, occurred_on=date(2023, 1, 5), kind="commendation", description="优秀党员")
    HistoryEvent.create(person=person, occurred_on=date(2006, 7, 1), kind="converted", description="转正")
    Appraisal.create(person=person, year=2022, grade="qualified")
    Appraisal.create(person=person, year=2023, grade="excellent")
    Transfer.create(person=person, direction="in", scope="within_province", from_org="某单位党委",
                    to_org="本支部", transferred_on=date(2015, 3, 2), letter_number="001")

    detail = get_member(person.id)
    assert isinstance(detail, MemberDetail)
    assert (detail.name, detail.sex_label, detail.stage_label, detail.state_label) == ("测试甲", "女", "正式党员", "在册")
    assert detail.id_number == id_number and detail.group_name == "第一党小组"
    assert detail.dues_category_label == "离退休"
    assert detail.development.applied_on == date(2003, 3, 1) and detail.development.introducers == "甲、乙"
    assert [(p.post, p.ended_on) for p in detail.committee_posts] == [("组织委员", None)]
    assert [h.description for h in detail.history] == ["优秀党员", "转正", "入党"]  # newest first
    assert detail.history[0].kind_label == "表彰"
    assert [(a.year, a.grade_label) for a in detail.appraisals] == [(2023, "优秀"), (2022, "合格")]
    assert detail.transfers[0].direction_label == "转入" and detail.transfers[0].from_org == "某单位党委"
    # Plain data all the way down: no peewee object reaches the GUI.
    for item in (detail, detail.development, *detail.committee_posts, *detail.history, *detail.transfers):
        assert is_dataclass(item)
        for f in fields(item):
            assert not hasattr(getattr(item, f.name), "_meta")


def test_a_person_without_development_row_has_empty_dates(ledger):
    person = Person.create(name="新党员", stage="probationary")
    detail = get_member(person.id)
    assert all(getattr(detail.development, f.name) in (None, "") for f in fields(detail.development))
    assert detail.history == [] and detail.group_name == ""


def test_get_member_on_a_missing_id_says_so(ledger):
    with pytest.raises(ValidationError, match="找不到编号为 999 的人员") as caught:
        get_member(999)
    assert caught.value.field == "person_id"


@pytest.mark.parametrize(("today", "years"), [
    (date(2016, 6, 30), 9),  # the day before the tenth anniversary
    (date(2016, 7, 1), 10),  # the anniversary itself
    (date(2016, 7, 2), 10),  # the day after
    (date(2006, 7, 1), 0),  # converted today
    (date(2006, 6, 1), 0),  # a conversion date ahead of today never gives a negative 党龄
])
def test_standing_years_counts_whole_years_from_conversion(today, years):
    assert standing_years(date(2006, 7, 1), today) == years


def test_standing_years_leap_day_conversion_and_not_converted():
    assert standing_years(date(2004, 2, 29), date(2005, 2, 28)) == 0
    assert standing_years(date(2004, 2, 29), date(2005, 3, 1)) == 1
    assert standing_years(None, date(2024, 1, 1)) is None
