"""The roster query of the 党员 page: search, filters and sort run in SQL; rows come back as plain values."""

import dataclasses
from datetime import date

import pytest

from ledger_app.models import PartyGroup, Person
from ledger_app.rules.id_number import check_character
from ledger_app.services import roster
from ledger_app.services.roster import RosterQuery, RosterRow, group_choices, matching_ids, rows_for

TODAY = date(2026, 6, 30)


def an_id(first17: str) -> str:
    return first17 + check_character(first17)


def names(query: RosterQuery) -> list[str]:
    return [row.name for row in rows_for(matching_ids(query), TODAY)]


@pytest.fixture
def people(ledger):
    """Members in two groups (乙组 first by sort order) and in none, in every state, plus applicants."""
    second = PartyGroup.create(name="甲组", sort_order=2)
    first = PartyGroup.create(name="乙组", sort_order=1)
    made = {}
    for name, group, stage, state, mobile, birth, number, converted in [
        ("张建国", first, "full", "active", False, date(1970, 3, 1), an_id("11010519700301001"), date(1995, 7, 1)),
        ("张建", second, "probationary", "active", False, date(1990, 5, 2), an_id("31010119900502002"), None),
        ("赵杰", second, "full", "active", True, date(1985, 1, 9), an_id("11010819850109003"), date(2010, 7, 1)),
        ("李建国", None, "full", "active", False, date(1960, 12, 31), None, date(1985, 7, 1)),
        ("王转出", first, "full", "transferred_out", False, None, None, date(2000, 7, 1)),
        ("钱停止", first, "full", "suspended", False, None, None, date(2001, 7, 1)),
        ("孙出党", first, "full", "expelled", False, None, None, date(2002, 7, 1)),
        ("周去世", first, "full", "deceased", False, None, None, date(1980, 7, 1)),
        ("张申请", first, "applicant", "active", False, None, None, None),
        ("张积极", first, "activist", "active", False, None, None, None),
    ]:
        made[name] = Person.create(name=name, group=group, stage=stage, membership_state=state, is_mobile=mobile,
                                   birth_date=birth, id_number=number, converted_on=converted,
                                   joined_on=converted and date(converted.year - 1, 7, 1), sex="male",
                                   phone="13800000000" if name == "张建国" else "")
    return made


def test_the_default_roster_is_the_members_on_the_roll_in_pinyin_order(people):
    assert names(RosterQuery()) == ["李建国", "张建", "赵杰", "张建国"]  # ljg, zj, zj, zjg


def test_search_by_name_initials_and_id_number(people):
    assert names(RosterQuery(text="张建")) == ["张建", "张建国"]
    assert names(RosterQuery(text="zjg")) == ["张建国"]
    assert names(RosterQuery(text="ZJG")) == ["张建国"]
    assert names(RosterQuery(text="jg")) == ["李建国", "张建国"]  # two letters: anywhere in the initials
    assert names(RosterQuery(text="j")) == []  # one letter: the surname's initial only
    assert names(RosterQuery(text="z")) == ["张建", "赵杰", "张建国"]
    assert names(RosterQuery(text="110105")) == ["张建国"]
    assert names(RosterQuery(text="1101")) == ["赵杰", "张建国"]
    assert names(RosterQuery(text="0502")) == ["张建"]  # digits from the middle too
    assert names(RosterQuery(text="nobody")) == []


def test_search_text_is_normalised(people):
    assert names(RosterQuery(text="１１０１０５")) == ["张建国"]  # full-width digits
    assert names(RosterQuery(text=" 1101 05 ")) == ["张建国"]  # spaces
    assert names(RosterQuery(text="ｚｊｇ")) == ["张建国"]  # full-width letters
    assert names(RosterQuery(text=" 张 建国")) == ["张建国"]
    last = people["张建国"].id_number[-4:]
    assert names(RosterQuery(text=last.lower())) == ["张建国"]
    first17 = next(f"1101051970030{n:04d}" for n in range(1000, 2000)
                   if check_character(f"1101051970030{n:04d}") == "X")
    Person.create(name="冯一", stage="full", id_number=first17 + "X")
    assert names(RosterQuery(text=first17[-4:] + "x")) == ["冯一"]
    assert names(RosterQuery(text=first17[-4:] + "ｘ")) == ["冯一"]


def test_search_treats_like_wildcards_as_text(people):
    assert names(RosterQuery(text="%")) == []
    assert names(RosterQuery(text="_")) == []


def test_filters(people):
    first, second = PartyGroup.get(name="乙组").id, PartyGroup.get(name="甲组").id
    assert names(RosterQuery(group_id=first)) == ["张建国"]
    assert names(RosterQuery(group_id=second)) == ["张建", "赵杰"]
    assert names(RosterQuery(group_id=roster.UNGROUPED)) == ["李建国"]
    assert names(RosterQuery(stage="probationary")) == ["张建"]
    assert names(RosterQuery(stage="full")) == ["李建国", "赵杰", "张建国"]
    assert names(RosterQuery(mobile=True)) == ["赵杰"]
    assert names(RosterQuery(mobile=False)) == ["李建国", "张建", "张建国"]
    assert names(RosterQuery(state="transferred_out")) == ["王转出"]
    assert names(RosterQuery(state="suspended")) == ["钱停止"]
    assert names(RosterQuery(state="expelled")) == ["孙出党"]
    assert names(RosterQuery(state="deceased")) == ["周去世"]
    assert len(names(RosterQuery(state=None))) == 8  # every state, members only: never the applicants
    assert names(RosterQuery(text="z", group_id=second, stage="full")) == ["赵杰"]


@pytest.mark.parametrize("key", sorted(roster.SORT_KEYS))
def test_every_sort_key_reverses_and_keeps_a_total_order(people, key):
    up = matching_ids(RosterQuery(state=None, sort_key=key))
    down = matching_ids(RosterQuery(state=None, sort_key=key, descending=True))
    assert sorted(up) == sorted(down) and len(up) == 8
    assert matching_ids(RosterQuery(state=None, sort_key=key)) == up  # stable from one call to the next
    if key not in ("birth_date", "age", "id_number", "converted_on", "standing", "joined_on", "phone"):
        assert down == up[::-1]


def test_sorting_by_dates_keeps_the_empty_ones_last_both_ways(people):
    up = names(RosterQuery(sort_key="birth_date"))
    assert up == ["李建国", "张建国", "赵杰", "张建"]
    assert names(RosterQuery(sort_key="birth_date", descending=True)) == ["张建", "赵杰", "张建国", "李建国"]
    assert names(RosterQuery(sort_key="age")) == ["张建", "赵杰", "张建国", "李建国"]  # youngest first
    assert names(RosterQuery(sort_key="standing")) == ["赵杰", "张建国", "李建国", "张建"]  # 预备: no 党龄, last
    assert names(RosterQuery(sort_key="standing", descending=True)) == ["李建国", "张建国", "赵杰", "张建"]
    assert names(RosterQuery(sort_key="id_number"))[-1] == "李建国"  # no ID number
    assert names(RosterQuery(sort_key="id_number", descending=True))[-1] == "李建国"
    assert names(RosterQuery(sort_key="phone"))[0] == "张建国"  # the only one with a phone
    assert names(RosterQuery(sort_key="phone", descending=True))[0] == "张建国"


def test_sorting_by_group_follows_the_group_order_with_the_ungrouped_last(people):
    assert names(RosterQuery(sort_key="group")) == ["张建国", "张建", "赵杰", "李建国"]
    assert names(RosterQuery(sort_key="group", descending=True)) == ["李建国", "赵杰", "张建", "张建国"]


def test_an_unknown_sort_key_is_refused(people):
    with pytest.raises(ValueError):
        matching_ids(RosterQuery(sort_key="id; DROP TABLE person"))


def test_rows_for_keeps_the_order_asked_and_gives_display_values(people):
    ids = [people["赵杰"].id, people["张建国"].id, 999_999, people["张建"].id]
    rows = rows_for(ids, TODAY)
    assert [row.name for row in rows] == ["赵杰", "张建国", "张建"]
    zjg = rows[1]
    assert zjg == RosterRow(
        id=people["张建国"].id, name="张建国", sex="男", birth_date=date(1970, 3, 1), age=56,
        id_number=an_id("11010519700301001"), group="乙组", stage="正式", state="在册", joined_on=date(1994, 7, 1),
        converted_on=date(1995, 7, 1), standing_years=30, phone="13800000000", is_mobile=False)
    probationary = rows[2]
    assert (probationary.stage, probationary.standing_years, probationary.group) == ("预备", None, "甲组")
    assert rows[0].is_mobile is True
    assert rows_for([], TODAY) == []


def test_rows_for_reads_long_lists_in_slices(ledger):
    Person.insert_many([{"name": f"人{n}", "name_initials": "r", "stage": "full", "membership_state": "active",
                         "state_reason": "", "ethnicity": "", "native_place": "", "education": "", "school_major": "",
                         "degree": "", "occupation": "", "post": "", "phone": "", "address": "", "is_mobile": False,
                         "mobile_note": "", "dues_category": "in_service", "note": ""} for n in range(1200)]).execute()
    ids = matching_ids(RosterQuery(descending=True))
    assert len(ids) == 1200
    assert [row.id for row in rows_for(ids, TODAY)] == ids


def test_no_peewee_object_leaves_the_service(people):
    ids = matching_ids(RosterQuery(state=None))
    assert all(type(pid) is int for pid in ids)
    for row in rows_for(ids, TODAY):
        for field in dataclasses.fields(row):
            value = getattr(row, field.name)
            assert value is None or type(value) in (int, str, bool, date), (field.name, type(value))
    assert all(type(gid) is int and type(name) is str for gid, name in group_choices())


def test_group_choices_follow_the_clerks_order(people):
    assert [name for _, name in group_choices()] == ["乙组", "甲组"]
