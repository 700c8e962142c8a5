"""Writing a person's file: the card's check, create and save, state changes, history, phone rules.

Every refused write leaves every table as it was, the audit log included.
"""

from dataclasses import replace
from datetime import date

import pytest

from ledger_app.errors import ValidationError
from ledger_app.models import ALL_MODELS, AuditEntry, Development, HistoryEvent, PartyGroup, Person
from ledger_app.rules import contact
from ledger_app.rules.id_number import check_character
from ledger_app.services import people
from ledger_app.services.members import get_member, roster_rows
from ledger_app.services.people import PersonForm, check_form

TODAY = date(2024, 6, 1)


def make_id(birth: date, sequence: int = 11) -> str:
    """A valid ID number (GB 11643-1999) for ``birth``; an odd sequence is a man, even a woman."""
    first17 = f"440106{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def good_form(**changes) -> PersonForm:
    """A full member whose file is in order."""
    form = PersonForm(
        name="林晓明", sex="male", ethnicity="汉族", native_place="广东广州", birth_date=date(1985, 3, 15),
        id_number=make_id(date(1985, 3, 15)), work_started_on=date(2007, 7, 1), education="大学本科",
        school_major="华南理工大学 机械工程", degree="学士", occupation="专业技术人员", post="工程师",
        phone="13812345678", address="广州市天河区某路 1 号", stage="full", joined_on=date(2010, 7, 1),
        converted_on=date(2011, 7, 1), dues_category="in_service",
    )
    return replace(form, **changes)


def dump() -> dict:
    """Every row of every table, to show that a refused write changed nothing."""
    return {model.__name__: list(model.select().order_by(model._meta.primary_key).dicts()) for model in ALL_MODELS}


def fields_of(problems) -> list[str]:
    return [p.field for p in problems]


# ---- check_form ------------------------------------------------------------------------------


def test_a_good_form_has_no_problem(ledger):
    assert check_form(good_form(), TODAY) == []


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"name": "  "}, "name", "请填写姓名"),
    ({"name": "名" * 31}, "name", "太长"),
    ({"ethnicity": "汉"}, "ethnicity", "汉族"),
    ({"ethnicity": "火星族"}, "ethnicity", "56 个民族"),
    ({"education": "本科"}, "education", "学历"),
    ({"phone": "1381234567"}, "phone", "11 位"),
    ({"phone": "83520000"}, "phone", "区号"),
    ({"stage": "boss"}, "stage", "人员类别"),
    ({"dues_category": "rich"}, "dues_category", "党费类别"),
    ({"group_id": 999}, "group_id", "党小组"),
    ({"id_number": make_id(date(1985, 3, 15))[:17] + "0"}, "id_number", "校验位"),
    ({"id_number": "44010619850315001"}, "id_number", "18 位"),
    ({"birth_date": date(1985, 3, 16)}, "birth_date", "不一致"),
    ({"sex": "female"}, "sex", "不一致"),
    ({"converted_on": date(2010, 6, 1)}, "converted_on", "早于入党时间"),
    ({"converted_on": date(2011, 1, 1)}, "converted_on", "预备期"),
    ({"joined_on": date(1984, 1, 1), "converted_on": None, "stage": "probationary"}, "joined_on", "早于出生日期"),
    ({"converted_on": date(2025, 1, 1)}, "converted_on", "晚于今天"),
    ({"stage": "probationary"}, "converted_on", "预备党员还没有转正时间"),
    ({"joined_on": None, "converted_on": None}, "joined_on", "应填写入党时间"),
    ({"stage": "activist", "converted_on": None}, "joined_on", "尚未入党"),
    ({"joined_on": date(2024, 1, 1), "converted_on": None}, "stage", "应为预备党员"),
    ({"work_started_on": date(1980, 1, 1)}, "work_started_on", "出生日期"),
    ({"work_started_on": date(2025, 1, 1)}, "work_started_on", "晚于今天"),
])
def test_each_rule_names_its_field(ledger, changes, field, words):
    problems = check_form(good_form(**changes), TODAY)
    assert field in fields_of(problems)
    message = next(p.message for p in problems if p.field == field)
    assert words in message


def test_problems_come_one_per_field_in_the_order_of_the_card(ledger):
    form = good_form(name="", phone="123", birth_date=date(1985, 3, 16), converted_on=date(2010, 1, 1))
    assert fields_of(check_form(form, TODAY)) == ["name", "birth_date", "phone", "converted_on"]


def test_id_number_is_normalised_and_may_be_left_empty(ledger):
    number = make_id(date(1990, 1, 2), 12).replace("X", "x")
    spaced = f" {number[:6]} {number[6:14]} {number[14:]} "
    assert check_form(good_form(id_number=spaced, birth_date=None, sex=None), TODAY) == []
    assert check_form(good_form(id_number="", birth_date=None), TODAY) == []


def test_an_id_number_already_on_file_for_someone_else_is_refused(ledger):
    other = Person.create(name="另一人", stage="full", id_number=make_id(date(1985, 3, 15)))
    problems = check_form(good_form(), TODAY)
    assert fields_of(problems) == ["id_number"] and "另一人" in problems[0].message
    assert check_form(good_form(), TODAY, person_id=other.id) == []  # their own number


def test_development_dates_on_file_take_part(ledger):
    person = Person.create(name="林晓明", stage="full")
    Development.create(person=person, applied_on=date(2010, 9, 1))
    problems = check_form(good_form(), TODAY, person_id=person.id)
    assert fields_of(problems) == ["joined_on"] and "申请入党时间" in problems[0].message
    # an application at 16 is shown on the birth date, the one field of the card it involves
    Development.update(applied_on=date(2001, 3, 1)).execute()
    problems = check_form(good_form(), TODAY, person_id=person.id)
    assert fields_of(problems) == ["birth_date"] and "18 周岁" in problems[0].message


# ---- create and save -------------------------------------------------------------------------


def test_create_writes_the_file_its_history_and_audit(ledger):
    group = PartyGroup.create(name="第一党小组")
    form = good_form(phone="138 1234 5678", id_number=make_id(date(1985, 3, 15)).lower(), birth_date=None, sex=None,
                     group_id=group.id, name=" 林晓明 ")
    person_id = people.create_person(form, TODAY)
    detail = get_member(person_id)
    assert detail.name == "林晓明" and detail.phone == "13812345678"
    assert detail.birth_date == date(1985, 3, 15) and detail.sex == "male"  # from the ID number
    assert detail.group_name == "第一党小组" and detail.membership_state == "active"
    assert Person.get_by_id(person_id).name_initials == "lxm"
    assert [(h.kind, h.occurred_on) for h in detail.history] == [("converted", date(2011, 7, 1)),
                                                                  ("joined", date(2010, 7, 1))]
    audited = [(a.action, a.table_name) for a in AuditEntry.select().order_by(AuditEntry.id)]
    assert audited == [("insert", "person"), ("insert", "history_event"), ("insert", "history_event")]
    assert people.form_for(person_id) == replace(form, name="林晓明", phone="13812345678", sex="male",
                                                 birth_date=date(1985, 3, 15), id_number=make_id(date(1985, 3, 15)))


def test_a_refused_create_writes_nothing(ledger):
    before = dump()
    with pytest.raises(ValidationError) as caught:
        people.create_person(good_form(phone="12345"), TODAY)
    assert caught.value.field == "phone" and "12345" in str(caught.value)
    assert dump() == before


def test_save_is_one_audited_update_with_before_and_after(ledger):
    person_id = people.create_person(good_form(), TODAY)
    entries = AuditEntry.select().count()
    people.save_person(person_id, good_form(post="高级工程师", phone="020-83520000"), TODAY)
    assert get_member(person_id).post == "高级工程师"
    new = list(AuditEntry.select().where(AuditEntry.id > entries))
    assert len(new) == 1 and new[0].action == "update" and new[0].row_id == person_id
    assert '"post": "工程师"' in new[0].before and '"post": "高级工程师"' in new[0].after
    assert '"phone": "020-83520000"' in new[0].after
    people.save_person(person_id, good_form(post="高级工程师", phone="020-83520000"), TODAY)
    assert AuditEntry.select().count() == entries + 1  # nothing changed: no entry


def test_a_refused_save_writes_nothing(ledger):
    person_id = people.create_person(good_form(), TODAY)
    before = dump()
    with pytest.raises(ValidationError) as caught:
        people.save_person(person_id, good_form(post="书记", converted_on=date(2010, 1, 1)), TODAY)
    assert caught.value.field == "converted_on"
    assert dump() == before
    with pytest.raises(ValidationError) as caught:
        people.save_person(person_id + 100, good_form(), TODAY)
    assert caught.value.field == "person_id"
    assert dump() == before


def test_joining_and_conversion_dates_keep_their_history_entries(ledger):
    person_id = people.create_person(good_form(stage="activist", joined_on=None, converted_on=None), TODAY)
    assert get_member(person_id).history == []
    people.save_person(person_id, good_form(stage="probationary", converted_on=None), TODAY)
    assert [(h.kind, h.occurred_on) for h in get_member(person_id).history] == [("joined", date(2010, 7, 1))]
    people.save_person(person_id, good_form(joined_on=date(2010, 7, 2), converted_on=date(2011, 7, 2)), TODAY)
    assert [(h.kind, h.occurred_on) for h in get_member(person_id).history] == [
        ("converted", date(2011, 7, 2)), ("joined", date(2010, 7, 2))]
    people.save_person(person_id, good_form(joined_on=date(2010, 7, 2), converted_on=None, stage="probationary"),
                       date(2011, 1, 1))
    assert [h.kind for h in get_member(person_id).history] == ["joined"]
    assert AuditEntry.select().where(AuditEntry.table_name == "history_event", AuditEntry.action == "delete").count() == 1


# ---- leaving the roster: state, never delete -------------------------------------------------


def test_nothing_here_deletes_a_person():
    public = [name for name in dir(people) if not name.startswith("_")]
    assert not [name for name in public if any(word in name.lower() for word in ("delete", "remove", "purge"))]


@pytest.mark.parametrize(("state", "on", "reason", "field"), [
    ("deceased", None, "病故", "on"),
    ("deceased", date(2024, 6, 2), "病故", "on"),
    ("deceased", date(2024, 5, 1), "  ", "reason"),
    ("active", date(2024, 5, 1), "核对", "state"),
    ("withdrawn", date(2024, 5, 1), "不再培养", "state"),
    ("nowhere", date(2024, 5, 1), "核对", "state"),
])
def test_a_state_change_needs_a_new_state_a_date_and_a_reason(ledger, state, on, reason, field):
    person_id = people.create_person(good_form(), TODAY)
    before = dump()
    with pytest.raises(ValidationError) as caught:
        people.change_state(person_id, state, on, reason, TODAY)
    assert caught.value.field == field
    assert dump() == before


def test_leaving_takes_the_member_off_the_roster_and_into_history(ledger):
    person_id = people.create_person(good_form(), TODAY)
    assert person_id in [r.id for r in roster_rows()]
    people.change_state(person_id, "deceased", date(2024, 5, 20), " 病故 ", TODAY)
    detail = get_member(person_id)
    assert (detail.membership_state, detail.state_changed_on, detail.state_reason) == (
        "deceased", date(2024, 5, 20), "病故")
    assert person_id not in [r.id for r in roster_rows()]
    assert person_id in [r.id for r in roster_rows(include_left=True)]
    event = detail.history[0]
    assert (event.kind, event.occurred_on, event.description) == ("state", date(2024, 5, 20), "在册 → 去世：病故")
    assert Person.select().where(Person.id == person_id).exists()


def test_back_to_the_roster_with_a_reason(ledger):
    person_id = people.create_person(good_form(), TODAY)
    people.change_state(person_id, "suspended", date(2023, 1, 5), "失去联系满六个月", TODAY)
    people.change_state(person_id, "active", date(2024, 2, 1), "经上级党委批准恢复党籍", TODAY)
    assert get_member(person_id).membership_state == "active"
    assert [h.description for h in get_member(person_id).history if h.kind == "state"] == [
        "停止党籍 → 在册：经上级党委批准恢复党籍", "在册 → 停止党籍：失去联系满六个月"]


def test_member_only_states_are_refused_for_an_applicant(ledger):
    person_id = people.create_person(good_form(stage="applicant", joined_on=None, converted_on=None), TODAY)
    with pytest.raises(ValidationError, match="只适用于党员"):
        people.change_state(person_id, "expelled", date(2024, 5, 1), "核对", TODAY)
    people.change_state(person_id, "withdrawn", date(2024, 5, 1), "本人撤回申请", TODAY)
    assert get_member(person_id).membership_state == "withdrawn"


# ---- history ---------------------------------------------------------------------------------


def test_adding_a_history_event(ledger):
    person_id = people.create_person(good_form(), TODAY)
    event_id = people.add_history_event(person_id, "commendation", date(2023, 7, 1), " 被评为优秀共产党员 ", TODAY)
    event = HistoryEvent.get_by_id(event_id)
    assert (event.kind, event.occurred_on, event.description) == ("commendation", date(2023, 7, 1), "被评为优秀共产党员")
    assert get_member(person_id).history[0].description == "被评为优秀共产党员"
    assert AuditEntry.select().where(AuditEntry.table_name == "history_event", AuditEntry.row_id == event_id).exists()


@pytest.mark.parametrize(("kind", "on", "description", "field"), [
    ("commendation", date(2023, 1, 1), "", "description"),
    ("discipline", date(2023, 1, 1), " ", "description"),
    ("other", date(2023, 1, 1), "", "description"),
    ("transfer_in", None, "", "on"),
    ("transfer_in", date(2024, 6, 2), "", "on"),
    ("state", date(2023, 1, 1), "去世", "kind"),
    ("party", date(2023, 1, 1), "x", "kind"),
])
def test_a_bad_history_event_writes_nothing(ledger, kind, on, description, field):
    person_id = people.create_person(good_form(), TODAY)
    before = dump()
    with pytest.raises(ValidationError) as caught:
        people.add_history_event(person_id, kind, on, description, TODAY)
    assert caught.value.field == field
    assert dump() == before


# ---- phone numbers (rules.contact) -----------------------------------------------------------


@pytest.mark.parametrize(("typed", "kept"), [
    ("13812345678", "13812345678"),
    ("138 1234 5678", "13812345678"),
    ("+86 138-1234-5678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"),
    ("020-83520000", "020-83520000"),
    ("02083520000", "020-83520000"),
    ("0755-1234567", "0755-1234567"),
    ("(0755)12345678", "0755-12345678"),
    ("020—83520000", "020-83520000"),
    ("020-83520000-123", "020-83520000-123"),
    ("0755-1234567转8", "0755-1234567-8"),
    ("13812345678、020-83520000", "13812345678、020-83520000"),
    ("13812345678 / 020-83520000", "13812345678、020-83520000"),
    ("", ""),
])
def test_valid_phone_numbers_and_their_kept_form(typed, kept):
    assert contact.check_phone(typed) is None
    assert contact.normalise(typed) == kept


@pytest.mark.parametrize(("typed", "words"), [
    ("1381234567", "11 位"),
    ("138123456789", "11 位"),
    ("12812345678", "13–19"),
    ("83520000", "区号"),
    ("020-0352000", "不是有效"),
    ("电话", "不是有效"),
    ("13812345678、123", "“123”"),
])
def test_invalid_phone_numbers_say_what_is_wrong(typed, words):
    message = contact.check_phone(typed)
    assert message is not None and words in message
    assert contact.normalise(typed) is None


def test_the_card_keeps_the_confirmed_occupation_category_for_the_statistics(ledger):
    assert fields_of(check_form(good_form(occupation_category="astronaut"), TODAY)) == ["occupation_category"]
    person_id = people.create_person(good_form(occupation_category="professional"), TODAY)
    assert Person.get_by_id(person_id).occupation_category == "professional"
    assert people.form_for(person_id).occupation_category == "professional"
    people.save_person(person_id, good_form(occupation_category=None), TODAY)
    assert Person.get_by_id(person_id).occupation_category is None
