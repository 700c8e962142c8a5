"""谈心谈话: the record's checks, the log's writes and audit, and who has had no talk in a year."""

from datetime import date

import pytest

from ledger_app.errors import ValidationError
from ledger_app.models import AuditEntry, Person, Talk
from ledger_app.rules import talks as rules
from ledger_app.services import audit, talks, write
from ledger_app.services.branch import BranchProfile, BranchSetup, CommitteeSeat, set_up_branch
from ledger_app.services.talks import TalkDraft

TODAY = date(2025, 12, 1)


def test_kind_and_checks():
    assert rules.kind_for(True, True) == "committee"
    assert rules.kind_for(True, False) == rules.kind_for(False, True) == "committee_member"
    assert rules.kind_for(False, False) == "members"
    fields = [p.field for p in rules.check_talk(None, None, None, None, " ", TODAY)]
    assert fields == ["held_on", "first_person_id", "second_person_id", "kind", "gist"]
    assert [p.field for p in rules.check_talk(date(2025, 12, 2), 1, 1, "members", "要点", TODAY)] == \
        ["held_on", "second_person_id"]
    assert rules.check_talk(TODAY, 1, 2, "members", "要点", TODAY) == []
    assert rules.without_talk([3, 1, 2], {1}) == [3, 2]


@write
def branch() -> dict[str, int]:
    set_up_branch(BranchSetup(profile=BranchProfile(name="测试支部", branch_type="enterprise"),
                              term_started_on=date(2024, 1, 1), term_years=3,
                              committee=[CommitteeSeat("书记甲", "书记"), CommitteeSeat("委员乙", "组织委员")]))
    for name in ("党员丙", "党员丁"):
        audit.create(Person, "", name=name, stage="full", joined_on=date(2010, 1, 1), converted_on=date(2011, 1, 1),
                     membership_state="active")
    audit.create(Person, "", name="已转出", stage="full", joined_on=date(2010, 1, 1), membership_state="transferred_out",
                 state_changed_on=date(2025, 6, 1))
    return dict(Person.select(Person.name, Person.id).tuples())


def test_log_write_edit_delete_audited_and_coverage(ledger):
    ids = branch()
    assert {m.name for m in talks.members_without_talk(2025, TODAY)} >= {"书记甲", "委员乙", "党员丙", "党员丁"}
    assert talks.suggest_kind(ids["书记甲"], ids["委员乙"], TODAY) == "committee"
    assert talks.suggest_kind(ids["书记甲"], ids["党员丙"], TODAY) == "committee_member"
    before = AuditEntry.select().count()
    first = talks.add_talk(TalkDraft(date(2025, 3, 1), ids["书记甲"], ids["委员乙"], "committee", " 交流分工 "), TODAY)
    second = talks.add_talk(TalkDraft(date(2025, 4, 1), ids["书记甲"], ids["党员丙"], "committee_member", "了解思想"), TODAY)
    rows = talks.talks_in(2025)
    assert [(r.first_name, r.second_name, r.kind_label, r.gist) for r in rows] == [
        ("书记甲", "委员乙", "支委之间", "交流分工"), ("书记甲", "党员丙", "支委与党员", "了解思想")]
    assert Talk.get_by_id(first).participants == "书记甲、委员乙"
    without = talks.members_without_talk(2025, TODAY)
    assert [m.name for m in without] == ["党员丁"]  # the one transferred out is not on the roll
    talks.update_talk(second, TalkDraft(date(2025, 4, 2), ids["委员乙"], ids["党员丁"], "committee_member", "了解思想"),
                      TODAY)
    assert [m.name for m in talks.members_without_talk(2025, TODAY)] == ["党员丙"]
    talks.delete_talk(first)
    assert [r.id for r in talks.talks_in(2025)] == [second]
    assert talks.talks_in(2024) == []
    actions = [(e.action, e.table_name) for e in AuditEntry.select().where(AuditEntry.id > before)]
    assert actions == [("insert", "talk"), ("insert", "talk"), ("update", "talk"), ("delete", "talk")]
    coverage = talks.coverage(2025, TODAY)
    assert (coverage.on_roll, coverage.covered, coverage.talks) == (4, 2, 1)
    assert coverage.by_kind["committee_member"] == 1
    assert coverage.line() == "谈心谈话：本年谈话 1 次；在册党员 4 人，已谈 2 人；未谈：党员丙、书记甲"  # roster order (pinyin)
    assert coverage.to_json()["without_talk"][0]["name"] == "党员丙"


def test_bad_talks_write_nothing_and_old_talks_count_by_name(ledger):
    ids = branch()
    count = AuditEntry.select().count()
    for draft, field in ((TalkDraft(None, ids["书记甲"], ids["党员丙"], "members", "x"), "held_on"),
                         (TalkDraft(TODAY, ids["书记甲"], ids["书记甲"], "members", "x"), "second_person_id"),
                         (TalkDraft(TODAY, ids["书记甲"], 9999, "members", "x"), "second_person_id"),
                         (TalkDraft(TODAY, ids["书记甲"], ids["党员丙"], None, "x"), "kind"),
                         (TalkDraft(TODAY, ids["书记甲"], ids["党员丙"], "members", ""), "gist")):
        with pytest.raises(ValidationError) as error:
            talks.add_talk(draft, TODAY)
        assert error.value.field == field
    assert AuditEntry.select().count() == count and Talk.select().count() == 0
    # a talk logged by names only (before the two people were recorded) still counts
    write(lambda: audit.create(Talk, "", held_on=date(2025, 5, 1), participants="书记甲、党员丁"))()
    assert {m.name for m in talks.members_without_talk(2025, TODAY)} == {"委员乙", "党员丙"}
