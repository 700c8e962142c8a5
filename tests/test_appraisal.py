"""民主评议党员: the rules at their boundaries, the probationary setting, and the services' writes."""

from datetime import date

import pytest

from ledger_app.errors import ValidationError
from ledger_app.models import Appraisal, AppraisalRound, AuditEntry, HistoryEvent, Person
from ledger_app.rules import appraisal as rules
from ledger_app.rules.meetings import MemberFacts
from ledger_app.services import appraisal, audit, write
from ledger_app.services import meetings as meeting_service
from ledger_app.services.meetings import MeetingDraft

TODAY = date(2026, 2, 1)


def facts(pid, stage="full", joined=date(2010, 1, 1), converted=date(2011, 1, 1), **kw):
    return MemberFacts(pid, f"党员{pid}", stage, joined, converted, **kw)


# ---- rules ------------------------------------------------------------------------------------------------


def test_exactly_a_third_excellent_is_within_the_rule_one_more_is_not():
    nine = {i: "qualified" for i in range(9)}
    assert rules.excellent_warning(nine) is None
    three = {**nine, 0: "excellent", 1: "excellent", 2: "excellent"}  # 3 of 9
    assert not rules.excellent_exceeds(3, 9) and rules.excellent_warning(three) is None
    four = {**three, 3: "excellent"}  # 4 of 9
    assert rules.excellent_exceeds(4, 9)
    assert "4 人" in rules.excellent_warning(four) and "至多 3 人" in rules.excellent_warning(four)
    # not yet graded does not count in the denominator
    assert rules.excellent_warning({0: "excellent", 1: None, 2: None}) is not None
    assert rules.excellent_warning({}) is None


def test_who_is_graded_on_the_rounds_date_and_the_probationary_setting():
    day = date(2025, 12, 20)
    members = [
        facts(1),
        facts(2, stage="probationary", joined=date(2025, 6, 1), converted=None),
        facts(3, converted=date(2025, 12, 20)),  # full on the day itself: graded
        facts(4, joined=date(2025, 12, 20), stage="probationary", converted=None),  # accepted that day: not yet
        facts(5, left_on=date(2025, 11, 1)),  # left before
        facts(6, exclusions=((date(2025, 1, 1), None),)),  # excluded from 应到: may be graded, not required
    ]
    people = rules.participants(members, day)
    assert [(p.person_id, p.role) for p in people] == [(1, "graded"), (2, "probationary"), (3, "graded"),
                                                       (6, "excluded")]
    on = rules.participants(members, day, rules.AppraisalSettings(grade_probationary=True))
    assert [p.role for p in on][1] == "graded"
    assert [p.person_id for p in rules.missing_grades(people, {1: "qualified"})] == [3]
    problems = rules.check_grades(people, {2: "qualified", 5: "qualified", 1: "bad", 6: "excellent", 3: None})
    assert [p.field for p in problems] == ["grades.2", "grades.5", "grades.1"]
    assert rules.check_grades(on, {2: "qualified"}) == []


def test_round_date_window():
    assert rules.check_round_date(2025, date(2026, 1, 15), TODAY) == []
    assert rules.check_round_date(2025, None, TODAY)[0].field == "held_on"
    assert rules.check_round_date(2025, date(2026, 4, 1), date(2026, 5, 1))  # too late for 2025
    assert rules.check_round_date(2025, date(2024, 12, 31), TODAY)
    assert "晚于今天" in rules.check_round_date(2026, date(2026, 3, 1), TODAY)[0].message


# ---- services ------------------------------------------------------------------------------------------


@write
def people() -> dict[str, int]:
    made = {}
    for name, stage, joined, converted in (("甲", "full", date(2010, 1, 1), date(2011, 1, 1)),
                                           ("乙", "full", date(2012, 1, 1), date(2013, 1, 1)),
                                           ("丙", "full", date(2014, 1, 1), date(2015, 1, 1)),
                                           ("丁", "probationary", date(2025, 5, 1), None)):
        made[name] = audit.create(Person, "", name=name, stage=stage, joined_on=joined, converted_on=converted,
                                  membership_state="active").id
    return made


def assembly(day: date) -> int:
    return meeting_service.create_meeting(MeetingDraft("general_assembly", day, title="年度支部党员大会"), TODAY)


def test_round_and_grades_written_audited_and_in_the_history(ledger):
    ids = people()
    meeting = assembly(date(2025, 12, 20))
    before = AuditEntry.select().count()
    appraisal.save_appraisal(2025, None, meeting, "", {ids["甲"]: "excellent", ids["乙"]: "qualified"}, TODAY)
    info = appraisal.round_for(2025)
    assert (info.held_on, info.meeting_id) == (date(2025, 12, 20), meeting)  # the date came from the meeting
    assert "年度支部党员大会" in info.meeting_label
    assert {g.name: g.grade for g in appraisal.grades_for(2025)} == {"甲": "excellent", "乙": "qualified"}
    assert appraisal.grade_counts(2025) == {"excellent": 1, "qualified": 1, "basically": 0, "unqualified": 0}
    assert {a.meeting_id for a in Appraisal.select()} == {meeting}
    events = {e.person_id: (e.occurred_on, e.description) for e in HistoryEvent.select().where(HistoryEvent.kind == "appraisal")}
    assert events[ids["甲"]] == (date(2025, 12, 20), "2025年度民主评议党员评定为优秀")
    tables = [e.table_name for e in AuditEntry.select().where(AuditEntry.id > before)]
    assert tables.count("appraisal_round") == 1 and tables.count("appraisal") == 2 and tables.count("history_event") == 2

    sheet = appraisal.sheet(2025, TODAY)
    assert {r.name: r.role for r in sheet.rows}["丁"] == "probationary"
    assert [p.name for p in sheet.missing] == ["丙"] and not sheet.complete

    # change a grade, clear one, move the round: history follows
    appraisal.save_appraisal(2025, date(2026, 1, 10), None, "改期", {ids["甲"]: "qualified", ids["乙"]: None,
                                                                    ids["丙"]: "qualified"}, TODAY)
    events = {e.person_id: (e.occurred_on, e.description) for e in HistoryEvent.select().where(HistoryEvent.kind == "appraisal")}
    assert events == {ids["甲"]: (date(2026, 1, 10), "2025年度民主评议党员评定为合格"),
                      ids["丙"]: (date(2026, 1, 10), "2025年度民主评议党员评定为合格")}
    assert {a.meeting_id for a in Appraisal.select()} == {None}
    assert AppraisalRound.get().note == "改期"
    assert not appraisal.sheet(2025, TODAY).complete  # 乙 cleared
    assert {r.name: r.grade for r in appraisal.sheet(2025, TODAY).rows}["乙"] is None


def test_bad_input_writes_nothing(ledger):
    ids = people()
    count = AuditEntry.select().count()
    with pytest.raises(ValidationError) as error:  # grades before a round
        appraisal.set_grades(2025, {ids["甲"]: "qualified"})
    assert error.value.field == "held_on"
    with pytest.raises(ValidationError) as error:  # a probationary member while the setting is off
        appraisal.save_appraisal(2025, date(2025, 12, 1), None, "", {ids["甲"]: "qualified", ids["丁"]: "qualified"},
                                 TODAY)
    assert error.value.field == f"grades.{ids['丁']}"
    assert AppraisalRound.select().count() == 0 and Appraisal.select().count() == 0
    assert AuditEntry.select().count() == count
    meeting = assembly(date(2025, 12, 20))
    with pytest.raises(ValidationError) as error:
        appraisal.save_round(2025, date(2025, 12, 1), meeting, today=TODAY)
    assert error.value.field == "held_on" and "不一致" in str(error.value)
    committee = meeting_service.create_meeting(MeetingDraft("committee", date(2025, 12, 2)), TODAY)
    with pytest.raises(ValidationError) as error:
        appraisal.save_round(2025, None, committee, today=TODAY)
    assert error.value.field == "meeting_id"
    assert [m.id for m in appraisal.round_meetings(2025)] == [meeting]


def test_probationary_members_graded_when_the_setting_says_so(ledger):
    ids = people()
    appraisal.put_grade_probationary(True)
    appraisal.save_appraisal(2025, date(2025, 12, 1), None, "", {ids["丁"]: "qualified"}, TODAY)
    sheet = appraisal.sheet(2025, TODAY)
    assert sheet.grade_probationary and [r.role for r in sheet.rows if r.name == "丁"] == ["graded"]
    appraisal.put_grade_probationary(False)
    row = next(r for r in appraisal.sheet(2025, TODAY).rows if r.name == "丁")
    assert (row.role, row.grade) == ("probationary", "qualified")  # kept, shown, not counted as required


def test_cli_appraisal_show_and_talks_list(ledger_path, capsys):
    import json

    from ledger_app.cli import main
    from ledger_app.db import open_ledger

    with open_ledger(ledger_path):
        ids = people()
        appraisal.save_appraisal(2025, date(2025, 12, 1), None, "", {ids["甲"]: "excellent"}, TODAY)
    assert main(["appraisal", "show", "2025", "--db", str(ledger_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["held_on"] == "2025-12-01" and not data["complete"]
    assert {m["name"]: m["grade"] for m in data["members"]}["甲"] == "excellent"
    assert main(["appraisal", "show", "2025", "--db", str(ledger_path)]) == 0
    out = capsys.readouterr().out
    assert "2025年度民主评议党员：2025-12-01" in out and "未评定 2 人" in out
    assert main(["talks", "list", "2025", "--db", str(ledger_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["log"] == [] and len(data["without_talk"]) == 4
    assert main(["talks", "list", "2025", "--db", str(ledger_path)]) == 0
    assert "在册党员 4 人，已谈 0 人" in capsys.readouterr().out
