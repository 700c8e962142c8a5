"""Transfers of organisational relation: the register, confirmation, transfers in, receipts."""

from dataclasses import replace
from datetime import date

import pytest

from ledger_app.errors import ValidationError
from ledger_app.models import ALL_MODELS, AuditEntry, HistoryEvent, Person, Transfer
from ledger_app.records import row_to_dict
from ledger_app.rules import transfers as rules
from ledger_app.rules.dates import add_months
from ledger_app.rules.id_number import check_character
from ledger_app.services import audit, write
from ledger_app.services.branch import BranchProfile, save_profile
from ledger_app.services.transfers import (
    TransferInDraft,
    TransferOutDraft,
    confirm_transfer_out,
    get_transfer,
    list_transfers,
    mark_receipt_returned,
    next_letter_number,
    overdue_receipts,
    register_transfer_in,
    register_transfer_out,
)

TODAY = date(2026, 11, 22)
BRANCH = "测试有限公司第一党支部"


def an_id(birth: date, serial: int = 123) -> str:
    """A generated ID number with a valid check character (odd serial: male)."""
    first17 = f"110105{birth:%Y%m%d}{serial:03d}"
    return first17 + check_character(first17)


@write
def add_person(name: str = "王建国", stage: str = "full", state: str = "active", **fields) -> int:
    values = {"sex": "male", "ethnicity": "汉族", "birth_date": date(1990, 11, 7), "phone": "13800000000"}
    values.update(fields)
    return audit.create(Person, f"新增 {name}", name=name, stage=stage, membership_state=state, **values).id


@pytest.fixture
def branch(ledger):
    save_profile(BranchProfile(BRANCH, "enterprise", "测试有限公司党委", None, "某路 18 号", "010-12345678"), TODAY)
    return ledger


def draft_out(person_id: int, **changes) -> TransferOutDraft:
    draft = TransferOutDraft(person_id=person_id, to_org="中共某区委组织部", transferred_on=date(2026, 11, 20),
                             valid_days=30, dues_paid_until=date(2026, 11, 15))
    return replace(draft, **changes)


def draft_in(**changes) -> TransferInDraft:
    draft = TransferInDraft(name="李红梅", from_org="某某大学第三党支部", transferred_on=date(2026, 10, 9),
                            stage="probationary", sex="female", id_number=an_id(date(1998, 3, 4), 122),
                            ethnicity="回族", joined_on=date(2026, 1, 10), phone="13900000000",
                            letter_number="某组转〔2026〕12号", valid_days=30, dues_paid_until=date(2026, 10, 1))
    return replace(draft, **changes)


def snapshot() -> dict[str, list[dict]]:
    return {model._meta.table_name: [row_to_dict(r) for r in model.select().order_by(*model._meta.get_primary_keys())]
            for model in ALL_MODELS}


def test_register_out_numbers_letters_and_keeps_member_active(branch):
    pid = add_person()
    tid = register_transfer_out(draft_out(pid), TODAY)
    row = get_transfer(tid)
    assert row.letter_number == "2026-001" and row.person_name == "王建国"
    assert row.from_org == BRANCH and row.direction == "out" and not row.confirmed
    assert row.dues_paid_until == date(2026, 11, 1)  # kept as the month's first day
    assert row.receipt_due == date(2026, 12, 20)
    assert Person.get_by_id(pid).membership_state == "active"
    entry = AuditEntry.get(AuditEntry.table_name == "transfer", AuditEntry.row_id == tid)
    assert entry.action == "insert" and "王建国" in entry.summary

    # Numbers run per year and continue after the highest, whatever its format.
    other = add_person("赵六", id_number=an_id(date(1985, 2, 2), 155))
    with pytest.raises(ValidationError) as caught:
        register_transfer_out(draft_out(other, letter_number="2026-001"), TODAY)
    assert caught.value.field == "letter_number"
    Transfer.update(letter_number="组转字〔2026〕009号").where(Transfer.id == tid).execute()
    assert next_letter_number(2026) == "2026-010"
    assert next_letter_number(2025) == "2025-001"


@pytest.mark.parametrize(("changes", "field"), [
    ({"valid_days": 0}, "valid_days"),
    ({"valid_days": 91}, "valid_days"),
    ({"dues_paid_until": date(2026, 12, 1)}, "dues_paid_until"),
    ({"to_org": "  "}, "to_org"),
    ({"transferred_on": date(2026, 11, 23)}, "transferred_on"),
    ({"scope": "abroad"}, "scope"),
    ({"person_id": 999}, "person_id"),
])
def test_register_out_refuses_bad_input_and_writes_nothing(branch, changes, field):
    pid = add_person()
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        register_transfer_out(replace(draft_out(pid), **changes), TODAY)
    assert caught.value.field == field
    assert str(caught.value)
    assert snapshot() == before


def test_limits_are_the_rules_ones(branch):
    pid = add_person()
    assert register_transfer_out(draft_out(pid, valid_days=rules.LIMITS.max_valid_days), TODAY)


@pytest.mark.parametrize(("stage", "state"), [("activist", "active"), ("full", "deceased"), ("full", "transferred_out")])
def test_only_active_members_transfer_out(branch, stage, state):
    pid = add_person(stage=stage, state=state)
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        register_transfer_out(draft_out(pid), TODAY)
    assert caught.value.field == "person_id" and "王建国" in str(caught.value)
    assert snapshot() == before


def test_confirm_sets_state_history_and_audit(branch):
    pid = add_person()
    tid = register_transfer_out(draft_out(pid), TODAY)
    with pytest.raises(ValidationError) as caught:  # a second letter while the first is pending
        register_transfer_out(draft_out(pid, to_org="别处"), TODAY)
    assert caught.value.field == "person_id"
    with pytest.raises(ValidationError) as caught:
        confirm_transfer_out(tid, date(2026, 11, 19), TODAY)
    assert caught.value.field == "on"

    audits = AuditEntry.select().count()
    confirm_transfer_out(tid, date(2026, 11, 21), TODAY)
    person = Person.get_by_id(pid)
    assert person.membership_state == "transferred_out"
    assert person.state_changed_on == date(2026, 11, 21)
    assert person.state_reason == "组织关系转出至中共某区委组织部"
    event = HistoryEvent.get(HistoryEvent.person == pid)
    assert (event.kind, event.occurred_on) == ("transfer_out", date(2026, 11, 21))
    assert "中共某区委组织部" in event.description and "2026-001" in event.description
    new = list(AuditEntry.select().where(AuditEntry.id > audits))
    assert {(e.action, e.table_name) for e in new} == {("update", "person"), ("insert", "history_event")}
    assert get_transfer(tid).confirmed

    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        confirm_transfer_out(tid, date(2026, 11, 22), TODAY)
    assert caught.value.field == "transfer_id" and "已经确认" in str(caught.value)
    assert snapshot() == before


def test_transfer_in_reactivates_someone_who_left(branch):
    idn = an_id(date(1990, 11, 7))
    pid = add_person(id_number=idn, stage="probationary")
    out = register_transfer_out(draft_out(pid, transferred_on=date(2025, 3, 1), dues_paid_until=date(2025, 2, 1)),
                                TODAY)
    confirm_transfer_out(out, date(2025, 3, 2), TODAY)

    back = register_transfer_in(draft_in(name="王建国", id_number=idn, sex=None, stage="full", ethnicity="",
                                         converted_on=date(2025, 6, 1), joined_on=None), TODAY)
    assert back == pid
    person = Person.get_by_id(pid)
    assert person.membership_state == "active" and person.stage == "full"
    assert person.state_changed_on == date(2026, 10, 9)
    assert person.state_reason == "组织关系由某某大学第三党支部转入"
    assert person.converted_on == date(2025, 6, 1) and person.ethnicity == "汉族"  # gaps filled, nothing overwritten
    assert Person.select().count() == 1
    kinds = [e.kind for e in HistoryEvent.select().where(HistoryEvent.person == pid).order_by(HistoryEvent.id)]
    assert kinds == ["transfer_out", "transfer_in"]
    assert get_transfer(out).confirmed  # the old transfer out stays confirmed after the return
    row = list_transfers(2026)[0]
    assert (row.direction, row.to_org, row.person_id) == ("in", BRANCH, pid)


def test_transfer_in_creates_a_member_file(branch):
    pid = register_transfer_in(draft_in(), TODAY)
    person = Person.get_by_id(pid)
    assert (person.name, person.sex, person.ethnicity, person.stage) == ("李红梅", "female", "回族", "probationary")
    assert person.birth_date == date(1998, 3, 4)  # from the ID number
    assert person.joined_on == date(2026, 1, 10) and person.membership_state == "active"
    assert person.name_initials == "lhm"
    event = HistoryEvent.get(HistoryEvent.person == pid)
    assert event.kind == "transfer_in" and "某某大学第三党支部" in event.description
    tables = {e.table_name for e in AuditEntry.select()}
    assert {"person", "transfer", "history_event"} <= tables


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": ""}, "name"),
    ({"stage": "activist"}, "stage"),
    ({"from_org": ""}, "from_org"),
    ({"id_number": "110105199803041220"}, "id_number"),  # wrong check character
    ({"sex": "male"}, "sex"),  # the ID number says female
    ({"converted_on": date(2026, 5, 1)}, "converted_on"),  # probationary
    ({"ethnicity": "火星族"}, "ethnicity"),
    ({"valid_days": 120}, "valid_days"),
])
def test_transfer_in_refuses_bad_input_and_writes_nothing(branch, changes, field):
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        register_transfer_in(draft_in(**changes), TODAY)
    assert caught.value.field == field
    assert snapshot() == before


def test_transfer_in_of_someone_on_the_roll_or_with_another_name_refused(branch):
    idn = an_id(date(1990, 11, 7))
    add_person(id_number=idn)
    with pytest.raises(ValidationError) as caught:
        register_transfer_in(draft_in(name="王建国", id_number=idn, sex="male"), TODAY)
    assert caught.value.field == "id_number" and "在册" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        register_transfer_in(draft_in(name="王建设", id_number=idn, sex="male"), TODAY)
    assert caught.value.field == "name"


def test_overdue_receipts_at_the_one_month_boundary(branch):
    pid = add_person()
    issued = date(2026, 1, 31)
    tid = register_transfer_out(draft_out(pid, transferred_on=issued, dues_paid_until=issued), TODAY)
    due = add_months(issued, 1)
    assert due == date(2026, 2, 28)
    assert overdue_receipts(due) == []
    assert [r.id for r in overdue_receipts(date(2026, 3, 1))] == [tid]

    with pytest.raises(ValidationError) as caught:
        mark_receipt_returned(tid, date(2026, 1, 30), TODAY)
    assert caught.value.field == "on"
    mark_receipt_returned(tid, date(2026, 3, 2), TODAY)
    assert overdue_receipts(TODAY) == []
    assert get_transfer(tid).receipt_returned_on == date(2026, 3, 2)


def test_overdue_across_a_year_boundary(branch):
    pid = add_person()
    tid = register_transfer_out(draft_out(pid, transferred_on=date(2025, 12, 15), dues_paid_until=date(2025, 12, 1)),
                                TODAY)
    assert overdue_receipts(date(2026, 1, 15)) == []
    assert [r.id for r in overdue_receipts(date(2026, 1, 16))] == [tid]
    assert get_transfer(tid).receipt_due == date(2026, 1, 15)


def test_transfers_in_have_no_receipt_to_chase(branch):
    tid_person = register_transfer_in(draft_in(), TODAY)
    assert overdue_receipts(date(2027, 1, 1)) == []
    tid = Transfer.get(Transfer.person == tid_person).id
    with pytest.raises(ValidationError) as caught:
        mark_receipt_returned(tid, TODAY, TODAY)
    assert caught.value.field == "transfer_id"


def test_list_newest_first_and_by_year(branch):
    a = add_person("甲", id_number=an_id(date(1980, 1, 1), 111))
    b = add_person("乙", id_number=an_id(date(1981, 1, 1), 113))
    first = register_transfer_out(draft_out(a, transferred_on=date(2025, 5, 5), dues_paid_until=None), TODAY)
    second = register_transfer_out(draft_out(b, transferred_on=date(2026, 2, 2), dues_paid_until=None), TODAY)
    third = register_transfer_in(draft_in(), TODAY)
    assert [r.id for r in list_transfers()] == [Transfer.get(Transfer.person == third).id, second, first]
    assert [r.person_name for r in list_transfers(2025)] == ["甲"]
    assert get_transfer(first).letter_number == "2025-001" and get_transfer(second).letter_number == "2026-001"


def test_unknown_transfer_id(branch):
    with pytest.raises(ValidationError) as caught:
        get_transfer(42)
    assert caught.value.field == "transfer_id" and "42" in str(caught.value)


def test_leaving_the_roll_ends_committee_posts_and_group_leadership(branch):
    """A secretary who transfers out, or a leader who dies, leaves the post the same day; another
    person's post and an already ended post stay as they were."""
    from ledger_app.models import CommitteeMember, CommitteeTerm, PartyGroup
    from ledger_app.services.people import change_state

    secretary, member, leader = add_person("王书记"), add_person("李委员"), add_person("赵组长")

    @write
    def organise():
        term = audit.create(CommitteeTerm, "任期", started_on=date(2024, 1, 10), length_years=3)
        audit.create(CommitteeMember, "书记", term=term, person=secretary, post="书记", started_on=date(2024, 1, 10))
        audit.create(CommitteeMember, "委员", term=term, person=member, post="组织委员", started_on=date(2024, 1, 10))
        audit.create(CommitteeMember, "旧职", term=term, person=secretary, post="宣传委员",
                     started_on=date(2024, 1, 10), ended_on=date(2024, 6, 1))
        audit.create(PartyGroup, "小组", name="第一党小组", leader=leader)

    organise()
    confirm_transfer_out(register_transfer_out(draft_out(secretary), TODAY), date(2026, 11, 21), TODAY)
    posts = {(p.person_id, p.post): p.ended_on for p in CommitteeMember.select()}
    assert posts == {(secretary, "书记"): date(2026, 11, 21), (member, "组织委员"): None,
                     (secretary, "宣传委员"): date(2024, 6, 1)}
    assert AuditEntry.select().where(AuditEntry.summary == "王书记不再担任书记").count() == 1

    change_state(leader, "deceased", date(2026, 11, 20), "病故", TODAY)
    assert PartyGroup.get().leader_id is None
    assert AuditEntry.select().where(AuditEntry.summary == "第一党小组组长赵组长离开，组长空缺").count() == 1
