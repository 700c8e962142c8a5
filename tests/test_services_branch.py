"""The branch set-up and profile services: what they write, their audit entries, and all-or-nothing."""

import json
from datetime import date

import pytest

from ledger_app.errors import ValidationError
from ledger_app.models import (
    ALL_MODELS,
    AuditEntry,
    Branch,
    CommitteeMember,
    CommitteeTerm,
    PartyGroup,
    Person,
    Talk,
)
from ledger_app.records import row_to_dict
from ledger_app.rules import organisation
from ledger_app.services import audit, write
from ledger_app.services.branch import (
    BranchProfile,
    BranchSetup,
    CommitteeSeat,
    GroupDraft,
    get_profile,
    is_set_up,
    save_profile,
    set_up_branch,
)

TODAY = date(2024, 6, 1)


def a_setup(branch_type: str = "enterprise", **changes) -> BranchSetup:
    setup = BranchSetup(
        profile=BranchProfile("测试公司第一党支部", branch_type, "测试公司党委", date(2010, 7, 1), "某路 1 号", "010-00000000"),
        term_started_on=date(2023, 3, 15),
        committee=[CommitteeSeat("甲一", "书记"), CommitteeSeat("乙二", "组织委员"), CommitteeSeat("丙三", "宣传委员")],
        groups=[GroupDraft("第一党小组", "乙二"), GroupDraft("第二党小组", "丁四"), GroupDraft("第三党小组")],
    )
    for name, value in changes.items():
        setattr(setup, name, value)
    return setup


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table, to prove a failed call left the ledger exactly as it was."""
    return {model._meta.table_name: [row_to_dict(r) for r in model.select().order_by(*model._meta.get_primary_keys())]
            for model in ALL_MODELS}


def audits_for(table: str) -> dict[int, AuditEntry]:
    return {e.row_id: e for e in AuditEntry.select().where(AuditEntry.table_name == table)}


def test_set_up_branch_writes_everything(ledger):
    assert not is_set_up()
    set_up_branch(a_setup(), TODAY)

    assert is_set_up()
    profile = get_profile()
    assert profile.name == "测试公司第一党支部" and profile.founded_on == date(2010, 7, 1)
    term = CommitteeTerm.get()
    assert term.started_on == date(2023, 3, 15)
    assert term.length_years == 3
    posts = [(m.person.name, m.post, m.started_on) for m in CommitteeMember.select().order_by(CommitteeMember.sort_order)]
    assert posts == [("甲一", "书记", date(2023, 3, 15)), ("乙二", "组织委员", date(2023, 3, 15)),
                     ("丙三", "宣传委员", date(2023, 3, 15))]
    groups = {g.name: g for g in PartyGroup.select()}
    assert set(groups) == {"第一党小组", "第二党小组", "第三党小组"}
    assert groups["第一党小组"].leader.name == "乙二"
    assert groups["第二党小组"].leader.name == "丁四"
    assert groups["第三党小组"].leader is None
    # A committee member who also leads a group is one person, placed in that group.
    assert Person.select().where(Person.name == "乙二").count() == 1
    assert Person.get(Person.name == "乙二").group.name == "第一党小组"
    assert Person.get(Person.name == "丁四").group.name == "第二党小组"
    assert sorted(p.name for p in Person.select()) == ["丁四", "丙三", "乙二", "甲一"]
    assert all(p.stage == "full" and p.membership_state == "active" for p in Person.select())


@pytest.mark.parametrize(("branch_type", "years"), [
    ("village", 5), ("community", 5), ("enterprise", 3), ("government", 3), ("school", 3), ("other", 3)])
def test_term_length_follows_the_branch_type(ledger, branch_type, years):
    set_up_branch(a_setup(branch_type), TODAY)
    assert CommitteeTerm.get().length_years == years == organisation.term_years(branch_type)


def test_term_without_start_starts_today_and_years_may_be_given(ledger):
    set_up_branch(a_setup(term_started_on=None, term_years=4), TODAY)
    term = CommitteeTerm.get()
    assert term.started_on == TODAY and term.length_years == 4


def test_every_row_written_has_an_audit_entry(ledger):
    set_up_branch(a_setup(), TODAY)
    for model in (Branch, CommitteeTerm, CommitteeMember, PartyGroup, Person):
        table = model._meta.table_name
        entries = audits_for(table)
        for row in model.select():
            inserts = AuditEntry.select().where(AuditEntry.table_name == table, AuditEntry.row_id == row.id,
                                                AuditEntry.action == "insert")
            assert inserts.count() == 1, f"{table} {row.id}"
            entry = inserts.get()
            assert entry.before is None
            after = json.loads(entry.after)
            assert after["id"] == row.id
            assert entry.at and entry.summary
            # The latest entry for the row holds the row as it is now.
            latest = AuditEntry.select().where(AuditEntry.table_name == table, AuditEntry.row_id == row.id) \
                .order_by(AuditEntry.id.desc()).get()
            assert json.loads(latest.after) == row_to_dict(row)
        assert set(entries) == {row.id for row in model.select()}
    # Group leaders were placed in their group: an update with before and after.
    moved = AuditEntry.select().where(AuditEntry.table_name == "person", AuditEntry.action == "update")
    assert moved.count() == 2
    for entry in moved:
        assert json.loads(entry.before)["group_id"] is None
        assert json.loads(entry.after)["group_id"] is not None
    assert not {e.table_name for e in AuditEntry.select()} - {"branch", "committee_term", "committee_member",
                                                              "party_group", "person"}


@pytest.mark.parametrize(("setup", "field"), [
    (a_setup(profile=BranchProfile("   ", "enterprise")), "name"),
    (a_setup(profile=BranchProfile("某支部", "no-such-type")), "branch_type"),
    (a_setup(profile=BranchProfile("某支部", "enterprise", founded_on=date(2030, 1, 1))), "founded_on"),
    (a_setup(groups=[GroupDraft("第一党小组"), GroupDraft(" 第一党小组 ")]), "groups[1].name"),
    (a_setup(groups=[GroupDraft("第一党小组"), GroupDraft("  ")]), "groups[1].name"),
    (a_setup(committee=[CommitteeSeat("甲一", "书记"), CommitteeSeat(" ", "委员")]), "committee[1].name"),
    (a_setup(committee=[CommitteeSeat("甲一", "")]), "committee[0].post"),
    (a_setup(term_started_on=date(2025, 1, 1)), "term_started_on"),
], ids=["empty-name", "bad-type", "future-founding", "duplicate-group", "unnamed-group",
        "committee-without-name", "committee-without-post", "future-term"])
def test_bad_setup_leaves_the_ledger_exactly_as_it_was(ledger, setup, field):
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        set_up_branch(setup, TODAY)
    assert caught.value.field == field
    assert str(caught.value)  # a message for the clerk
    assert snapshot() == before
    assert all(not rows for rows in before.values())
    assert AuditEntry.select().count() == 0


def test_existing_group_name_is_refused_with_a_message(ledger):
    set_up_branch(a_setup(), TODAY)
    before = snapshot()
    second = a_setup(groups=[GroupDraft("新的党小组", "新人"), GroupDraft("第一党小组")],
                     profile=BranchProfile("改名后的支部", "enterprise"))
    with pytest.raises(ValidationError) as caught:
        set_up_branch(second, TODAY)
    assert caught.value.field == "groups[1].name" and "第一党小组" in str(caught.value)
    assert snapshot() == before


def test_failure_after_writes_began_rolls_everything_back(ledger, monkeypatch):
    """A failure after the profile, term and people were written still leaves nothing behind."""
    real_create = audit.create

    def create_failing_on_groups(model, *args, **kwargs):
        if model is PartyGroup:
            raise OSError("disk full")
        return real_create(model, *args, **kwargs)

    monkeypatch.setattr(audit, "create", create_failing_on_groups)
    with pytest.raises(OSError):
        set_up_branch(a_setup(), TODAY)
    assert all(not rows for rows in snapshot().values())


def test_save_profile_updates_with_before_and_after(ledger):
    save_profile(BranchProfile("旧名称支部", "government", address="旧地址"), TODAY)
    [created] = AuditEntry.select()
    assert created.action == "insert" and created.table_name == "branch"
    branch_id = Branch.get().id

    save_profile(BranchProfile("  新名称支部 ", "government", address="新地址"), TODAY)
    assert Branch.select().count() == 1
    assert get_profile().name == "新名称支部"
    update = AuditEntry.select().order_by(AuditEntry.id.desc()).get()
    assert (update.action, update.table_name, update.row_id) == ("update", "branch", branch_id)
    before, after = json.loads(update.before), json.loads(update.after)
    assert (before["name"], before["address"]) == ("旧名称支部", "旧地址")
    assert (after["name"], after["address"]) == ("新名称支部", "新地址")
    assert set(before) == set(after) == {f.column_name for f in Branch._meta.sorted_fields}


def test_update_that_changes_nothing_writes_no_audit_entry(ledger):
    profile = BranchProfile("某支部", "village", "某镇党委", date(2001, 1, 1))
    save_profile(profile, TODAY)
    count = AuditEntry.select().count()
    save_profile(BranchProfile("某支部", "village", "某镇党委", date(2001, 1, 1)), TODAY)
    assert AuditEntry.select().count() == count


def test_bad_profile_update_leaves_the_profile(ledger):
    save_profile(BranchProfile("某支部", "village"), TODAY)
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        save_profile(BranchProfile("", "village"), TODAY)
    assert caught.value.field == "name"
    assert snapshot() == before


def test_write_is_one_transaction(ledger):
    @write
    def two_rows_then_fail():
        audit.create(Talk, "一", held_on=date(2024, 1, 1), participants="甲")
        audit.create(Talk, "二", held_on=date(2024, 1, 2), participants="乙")
        raise RuntimeError("fails after two writes")

    with pytest.raises(RuntimeError):
        two_rows_then_fail()
    assert Talk.select().count() == 0
    assert AuditEntry.select().count() == 0


def test_nested_write_joins_the_outer_transaction(ledger):
    @write
    def inner():
        audit.create(Talk, "内层", held_on=date(2024, 1, 1), participants="甲")

    @write
    def outer():
        inner()
        raise RuntimeError("outer fails after inner returned")

    with pytest.raises(RuntimeError):
        outer()
    assert Talk.select().count() == 0 and AuditEntry.select().count() == 0


def test_audit_outside_a_transaction_is_a_bug(ledger):
    with pytest.raises(AssertionError):
        audit.create(Talk, "", held_on=date(2024, 1, 1), participants="甲")


def test_delete_is_audited_with_what_the_row_held(ledger):
    @write
    def add():
        return audit.create(Talk, "加", held_on=date(2024, 1, 1), participants="甲")

    @write
    def remove(talk):
        audit.delete(talk, "删")

    talk = add()
    remove(talk)
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).get()
    assert entry.action == "delete" and entry.after is None
    assert json.loads(entry.before)["participants"] == "甲"
    assert Talk.select().count() == 0


# --- the committee term reminder (domain-rules §2: six months before the term ends) -----------

@pytest.mark.parametrize(("ends", "today", "expected"), [
    (None, date(2026, 11, 22), None),
    (date(2027, 5, 23), date(2026, 11, 22), None),  # six months and a day away
    (date(2027, 5, 22), date(2026, 11, 22), "距任期届满（2027年5月22日）已不足 6 个月，请着手准备换届选举。"),
    (date(2026, 11, 23), date(2026, 11, 22), "距任期届满（2026年11月23日）已不足 6 个月，请着手准备换届选举。"),
    (date(2026, 11, 22), date(2026, 11, 22), "任期已于 2026年11月22日 届满，请尽快向上级党委报告，按期换届。"),
    (date(2026, 3, 1), date(2026, 11, 22), "任期已于 2026年3月1日 届满，请尽快向上级党委报告，按期换届。"),
])
def test_term_reminder_six_months_ahead_and_after_the_end(ends, today, expected):
    assert organisation.term_reminder(ends, today) == expected


def test_audit_detail_is_in_words(ledger):
    """The 操作记录 page's detail: Chinese field names, Chinese labels for codes, yuan for fen."""
    row = audit.AuditRow(1, "2026-11-22T09:00:00", "update", "person", 7, "张三 转为正式党员",
                         json.dumps({"name": "张三", "stage": "probationary", "membership_state": "active"}),
                         json.dumps({"name": "张三", "stage": "full", "membership_state": "active"}))
    assert audit.describe(row) == "张三 转为正式党员\n\n修改的内容：\n  身份：预备党员 → 正式党员"
    paid = audit.AuditRow(2, "2026-11-22T09:00:00", "insert", "dues_payment", 3, "收缴党费", None,
                          json.dumps({"amount_fen": 7650, "method": "cash", "receipt_no": ""}))
    assert audit.describe(paid).splitlines()[-3:] == ["  按标准交纳的金额：76.50 元", "  交纳方式：现金",
                                                      "  收据编号：（空）"]
    assert audit.field_label("person", "not_a_column") == "not_a_column"
