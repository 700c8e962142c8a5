"""Recording development steps: what is written with a step, what a broken rule leaves untouched."""

from datetime import date

import pytest

from ledger_app.errors import ValidationError
from ledger_app.models import (
    ALL_MODELS,
    ActivistAssessment,
    AuditEntry,
    Development,
    DevelopmentDecision,
    HistoryEvent,
    Meeting,
    Person,
    Resolution,
)
from ledger_app.services import development, settings
from ledger_app.services.development import StepEntry

TODAY = date(2026, 12, 4)


def dump() -> dict:
    return {model.__name__: list(model.select().order_by(model._meta.primary_key).dicts()) for model in ALL_MODELS}


def applicant(name="林晓明", applied=date(2025, 1, 10), **dev) -> int:
    person = Person.create(name=name, sex="male", birth_date=date(1995, 3, 15), stage="applicant")
    Development.create(person=person, applied_on=applied, **dev)
    return person.id


def meeting(kind="committee", on=date(2025, 3, 1)) -> int:
    return Meeting.create(kind=kind, held_on=on, title="").id


def test_a_talk_is_recorded_and_audited(ledger):
    pid = applicant()
    development.record_step(pid, StepEntry("talked_on", date(2025, 1, 20)), TODAY)
    assert Development.get(Development.person == pid).talked_on == date(2025, 1, 20)
    assert AuditEntry.select().where(AuditEntry.table_name == "development").count() == 1


def test_a_date_that_breaks_a_rule_is_refused_naming_the_rule_and_writes_nothing(ledger):
    pid = applicant()
    before = dump()
    problems = development.check_step(pid, StepEntry("talked_on", date(2025, 2, 11)), TODAY)
    assert [p.field for p in problems] == ["talked_on"] and "超过一个月" in problems[0].message
    with pytest.raises(ValidationError, match="超过一个月") as caught:
        development.record_step(pid, StepEntry("talked_on", date(2025, 2, 11)), TODAY)
    assert caught.value.field == "talked_on"
    with pytest.raises(ValidationError, match="早于申请入党时间"):
        development.record_step(pid, StepEntry("talked_on", date(2025, 1, 9)), TODAY)
    with pytest.raises(ValidationError, match="晚于今天"):
        development.record_step(pid, StepEntry("talked_on", date(2026, 12, 5)), TODAY)
    with pytest.raises(ValidationError, match="找不到编号为 999"):
        development.record_step(999, StepEntry("talked_on", date(2025, 1, 20)), TODAY)
    with pytest.raises(ValidationError, match="不是发展党员的环节"):
        development.record_step(pid, StepEntry("nonsense_on", date(2025, 1, 20)), TODAY)
    assert dump() == before


def test_a_committee_decision_takes_the_meetings_date_moves_the_stage_and_names_the_person(ledger):
    pid = applicant(talked_on=date(2025, 1, 20))
    committee = meeting("committee", date(2025, 3, 1))
    assert [m.id for m in development.decision_meetings("activist_on", TODAY)] == [committee]
    development.record_step(pid, StepEntry("activist_on", meeting_id=committee, text="王一、李二"), TODAY)
    person = Person.get_by_id(pid)
    dev = Development.get(Development.person == pid)
    assert (person.stage, dev.activist_on, dev.contacts) == ("activist", date(2025, 3, 1), "王一、李二")
    assert DevelopmentDecision.get(DevelopmentDecision.person == pid).meeting_id == committee
    [resolution] = Resolution.select().where(Resolution.meeting == committee)
    assert "林晓明" in resolution.text and "入党积极分子" in resolution.text
    [event] = HistoryEvent.select().where(HistoryEvent.person == pid)
    assert (event.kind, event.occurred_on) == ("development", date(2025, 3, 1))
    # The same meeting again does not repeat the resolution.
    development.record_step(pid, StepEntry("activist_on", meeting_id=committee), TODAY)
    assert Resolution.select().where(Resolution.meeting == committee).count() == 1


def test_a_meeting_of_the_wrong_kind_is_refused(ledger):
    pid = applicant(talked_on=date(2025, 1, 20))
    assembly = meeting("general_assembly", date(2025, 3, 1))
    before = dump()
    with pytest.raises(ValidationError, match="应由支部委员会决定") as caught:
        development.record_step(pid, StepEntry("activist_on", meeting_id=assembly), TODAY)
    assert caught.value.field == "meeting_id"
    assert dump() == before


def test_acceptance_sets_the_joining_date_and_conversion_the_end_of_probation(ledger):
    pid = applicant(talked_on=date(2023, 1, 20), activist_on=date(2023, 3, 1), target_on=date(2024, 3, 5),
                    political_review_on=date(2024, 4, 1), training_start_on=date(2024, 4, 10),
                    training_end_on=date(2024, 4, 12), committee_review_on=date(2024, 5, 6),
                    pre_review_on=date(2024, 5, 20), volunteer_form_on=date(2024, 5, 25))
    Person.update(stage="target").where(Person.id == pid).execute()
    assembly = meeting("general_assembly", date(2024, 6, 10))
    development.record_step(pid, StepEntry("joined_on", meeting_id=assembly), TODAY)
    person = Person.get_by_id(pid)
    assert (person.stage, person.joined_on) == ("probationary", date(2024, 6, 10))
    assert HistoryEvent.get(HistoryEvent.person == pid, HistoryEvent.kind == "joined").occurred_on == date(2024, 6, 10)
    for field, on in (("upper_talk_on", date(2024, 6, 20)), ("approved_on", date(2024, 7, 1)),
                      ("oath_on", date(2024, 7, 1)), ("conversion_applied_on", date(2025, 5, 20))):
        development.record_step(pid, StepEntry(field, on), TODAY)
    with pytest.raises(ValidationError, match="早于预备期满之日 2025-06-10"):
        development.record_step(pid, StepEntry("conversion_meeting_on", date(2025, 6, 9)), TODAY)
    development.record_step(pid, StepEntry("conversion_meeting_on", date(2025, 6, 12)), TODAY)
    development.record_step(pid, StepEntry("conversion_approved_on", date(2025, 7, 1)), TODAY)
    person = Person.get_by_id(pid)
    assert (person.stage, person.converted_on) == ("full", date(2025, 6, 10))
    assert HistoryEvent.get(HistoryEvent.person == pid, HistoryEvent.kind == "converted").occurred_on == \
        date(2025, 6, 10)
    assert development.card(pid, TODAY).row.next_step == ""


def test_an_extension_once_with_its_reason_delays_the_end_of_probation(ledger):
    person = Person.create(name="赵六", sex="female", stage="probationary", joined_on=date(2025, 6, 1))
    with pytest.raises(ValidationError, match="原因"):
        development.extend_probation(person.id, 6, "  ", date(2026, 6, 1), today=TODAY)
    with pytest.raises(ValidationError, match="6–12 个月"):
        development.extend_probation(person.id, 3, "表现不够", date(2026, 6, 1), today=TODAY)
    development.extend_probation(person.id, 6, "考察期内表现不够", date(2026, 6, 1), today=TODAY)
    dev = Development.get(Development.person == person.id)
    assert (dev.extension_months, dev.extension_reason) == (6, "考察期内表现不够")
    assert development.card(person.id, TODAY).probation_ends == date(2026, 12, 1)
    with pytest.raises(ValidationError, match="只能延长一次"):
        development.extend_probation(person.id, 6, "再延", date(2026, 6, 1), today=TODAY)


def test_leaving_the_pipeline_is_written_with_date_and_reason(ledger):
    pid = applicant()
    development.leave_pipeline(pid, date(2026, 5, 1), "本人撤回申请", TODAY)
    assert Person.get_by_id(pid).membership_state == "withdrawn"
    probationary = Person.create(name="钱七", sex="male", stage="probationary", joined_on=date(2026, 1, 5))
    development.leave_pipeline(probationary.id, date(2026, 6, 1), "不履行党员义务，经支部大会讨论", TODAY)
    assert Person.get_by_id(probationary.id).membership_state == "disqualified"
    event = HistoryEvent.get(HistoryEvent.person == probationary.id)
    assert "取消预备党员资格" in event.description and "不履行党员义务" in event.description
    assert all(r.person_id not in (pid, probationary.id) for r in development.pipeline_rows(TODAY))
    with pytest.raises(ValidationError, match="不能再登记"):
        development.record_step(pid, StepEntry("talked_on", date(2026, 5, 2)), TODAY)


def test_assessments_are_checked_and_feed_the_next_step(ledger):
    pid = applicant(talked_on=date(2025, 1, 20), activist_on=date(2026, 3, 1))
    Person.update(stage="activist").where(Person.id == pid).execute()
    with pytest.raises(ValidationError, match="确定为入党积极分子之后"):
        development.add_assessment(pid, date(2026, 2, 1), "良好", TODAY)
    with pytest.raises(ValidationError, match="考察意见"):
        development.add_assessment(pid, date(2026, 8, 20), " ", TODAY)
    development.add_assessment(pid, date(2026, 8, 20), "表现良好", TODAY)
    assert ActivistAssessment.select().count() == 1
    [row] = development.pipeline_rows(TODAY)
    assert (row.next_step, row.earliest, row.latest) == ("确定为发展对象", date(2027, 3, 1), date(2027, 3, 1))


def test_the_page_rows_sort_by_deadline_and_the_reminders_sort_them_out(ledger):
    late = applicant("甲", applied=date(2026, 9, 1))  # talk was due 2026-10-01
    soon = applicant("乙", applied=date(2026, 11, 20))  # talk due 2026-12-20
    later = applicant("丙", applied=date(2026, 12, 1))  # talk due 2027-01-01 (29 days)
    ending = Person.create(name="丁", sex="male", stage="probationary", joined_on=date(2026, 1, 20)).id
    rows = development.pipeline_rows(TODAY)
    assert [r.person_id for r in rows][:3] == [late, soon, later]
    reminders = development.reminders(TODAY)
    assert [r.person_id for r in reminders.overdue] == [late]
    assert [r.person_id for r in reminders.due_soon] == [soon, later]
    assert [r.person_id for r in reminders.probation_ending] == [ending]


def test_a_notice_counts_the_holidays_kept_in_the_settings(ledger):
    pid = applicant(talked_on=date(2025, 1, 20), activist_on=date(2025, 3, 1), target_on=date(2026, 9, 1))
    entry = StepEntry("notice_start_on", date(2026, 9, 29), end_on=date(2026, 10, 5))
    assert development.check_step(pid, entry, TODAY) == []
    settings.put_work_calendar([date(2026, 10, 1), date(2026, 10, 2)], [])
    [problem] = development.check_step(pid, entry, TODAY)
    assert problem.field == "notice_end_on" and "2026-10-07" in problem.message
    with pytest.raises(ValidationError, match="同时列为"):
        settings.put_work_calendar([date(2026, 10, 1)], [date(2026, 10, 1)])


def test_cli_development_list_and_check(ledger, ledger_path, capsys):
    import json

    from ledger_app.cli import main

    applicant("甲", applied=date(2026, 9, 1))
    assert main(["development", "list", "--json", "--db", str(ledger_path)]) == 0
    [person] = json.loads(capsys.readouterr().out)["people"]
    assert (person["name"], person["next_step"], person["attention"]) == ("甲", "党组织派人谈话", "overdue")
    assert main(["development", "check", "--db", str(ledger_path)]) == 0  # late, but no date is wrong
    capsys.readouterr()
    applicant("乙", applied=date(2026, 9, 1), talked_on=date(2026, 10, 20))
    assert main(["development", "check", "--db", str(ledger_path)]) == 1
    assert "乙" in capsys.readouterr().out
