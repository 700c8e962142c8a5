"""The pinyin search key kept with every person."""

import pytest

from ledger_app.pinyin import initials


@pytest.mark.parametrize(("name", "expected"), [
    ("张建国", "zjg"), ("王  强", "wq"), ("单田芳", "stf"), ("曾国藩", "zgf"), ("欧阳修", "oyx"),
    ("尉迟恭", "ycg"), ("李Anna", "lanna"), ("", ""),
])
def test_initials(name, expected):
    assert initials(name) == expected


def test_saved_person_carries_the_key_and_follows_renames(ledger):
    from ledger_app.models import Person

    person = Person.create(name="张建国", stage="full")
    assert Person.get_by_id(person.id).name_initials == "zjg"
    person.name = "单田芳"
    person.save()
    assert Person.get_by_id(person.id).name_initials == "stf"
