"""Required against held (services.compliance): hand-made cases, a demo ledger and the command line."""

import json
from datetime import date

import pytest

from ledger_app.cli import main
from ledger_app.errors import ValidationError
from ledger_app.models import Appraisal, Meeting, PartyGroup, Person
from ledger_app.services import audit, write
from ledger_app.services import meetings as svc
from ledger_app.services.branch import BranchProfile, save_profile
from ledger_app.services.compliance import compliance_report, due_now
from ledger_app.services.meetings import MeetingDraft

BRANCH = "测试机关第一党支部"


@write
def set_up(groups=("第一党小组", "第二党小组")) -> dict[str, int]:
    save_profile(BranchProfile(BRANCH, "government"), date(2020, 1, 1))
    return {name: audit.create(PartyGroup, "", name=name, sort_order=i).id for i, name in enumerate(groups)}


def held(kind: str, day: date, group_id: int | None = None, status: str = "held") -> int:
    return svc.create_meeting(MeetingDraft(kind, day, status=status, group_id=group_id), date(2030, 1, 1))


def item(report, kind: str, group: str = ""):
    return next(i for i in report.items if i.kind == kind and i.group_name == group)


def test_a_past_year_lists_the_missing_periods(ledger):
    set_up()
    for month in (2, 8, 11):  # no meeting in the second quarter
        held("general_assembly", date(2025, month, 10))
    held("general_assembly", date(2025, 11, 20))  # two in one quarter count once
    report = compliance_report(2025, date(2026, 2, 1))
    assembly = item(report, "general_assembly")
    assert (assembly.required, assembly.held, assembly.meetings_held) == (4, 3, 4)
    assert assembly.line() == "支部党员大会（每季度）：应开 4 次，已开 3 次；缺：第二季度"
    assert item(report, "committee").labels("missed") == [f"{m}月" for m in range(1, 13)]
    assert {i.group_name for i in report.items if i.kind == "group"} == {"第一党小组", "第二党小组"}
    assert all(i.kind != "other" for i in report.items)  # no frequency and none held: not listed
    assert report.lines()[0] == f"2025年度会议核对：{BRANCH}（截至 2026年2月1日）"
    assert report.lines()[-1] == f"合计缺 {report.missing_total} 次。"


def test_current_year_due_and_future_and_planned(ledger):
    set_up()
    held("lecture", date(2026, 2, 1))
    held("lecture", date(2026, 5, 20), status="planned")
    report = compliance_report(2026, date(2026, 5, 10))
    lecture = item(report, "lecture")
    assert [p.status for p in lecture.periods] == ["done", "due", "future", "future"]
    assert lecture.periods[1].planned_on == (date(2026, 5, 20),)
    assert lecture.line() == "党课（每季度）：应开 4 次，已开 1 次；本期待开：第二季度；未到：第三季度、第四季度"
    data = report.to_json()
    json.dumps(data)  # plain data
    entry = next(i for i in data["items"] if i["kind"] == "lecture")
    assert entry["due"] == ["第二季度"] and entry["periods"][1]["planned_on"] == ["2026-05-20"]


def test_meeting_on_new_years_eve_counts_for_the_old_year(ledger):
    set_up()
    held("general_assembly", date(2025, 12, 31))
    assert item(compliance_report(2025, date(2026, 1, 5)), "general_assembly").periods[3].status == "done"
    assert item(compliance_report(2026, date(2026, 1, 5)), "general_assembly").periods[0].status == "due"


def test_group_meetings_are_counted_per_group(ledger):
    groups = set_up()
    held("group", date(2025, 3, 5), groups["第一党小组"])
    report = compliance_report(2025, date(2026, 1, 1))
    assert item(report, "group", "第一党小组").held == 1 and item(report, "group", "第二党小组").held == 0
    assert item(report, "group", "第一党小组").line().startswith("党小组会·第一党小组（每月）：应开 12 次，已开 1 次；缺：1月、2月、4月")


def test_other_kinds_and_settings(ledger):
    set_up()
    held("other", date(2025, 4, 1))
    svc.put_meeting_frequencies({"lecture": "none", "committee": "quarterly"})
    report = compliance_report(2025, date(2026, 1, 1))
    assert item(report, "other").line() == "其他（不作要求）：已开 1 次"
    assert item(report, "committee").required == 4
    assert all(i.kind != "lecture" for i in report.items)


@write
def grade(meeting_id: int, year: int) -> None:
    person = audit.create(Person, "", name="评议人", stage="full")
    audit.create(Appraisal, "", person=person, year=year, grade="qualified", meeting=meeting_id)


def test_appraisal_held_in_january_counts_for_the_year_graded(ledger):
    set_up()
    grade(held("appraisal", date(2026, 1, 15)), 2025)
    assert item(compliance_report(2025, date(2026, 2, 1)), "appraisal").held == 1
    assert item(compliance_report(2026, date(2026, 2, 1)), "appraisal").held == 0


def test_bad_year_refused(ledger):
    with pytest.raises(ValidationError):
        compliance_report(20255)


def test_due_now_across_the_year_boundary(ledger):
    set_up(groups=("第一党小组",))
    groups = {g.name: g.id for g in PartyGroup.select()}
    held("general_assembly", date(2025, 8, 1))  # none in Q4 2025
    held("committee", date(2025, 12, 31))
    held("committee", date(2026, 1, 3))
    held("group", date(2026, 1, 20), groups["第一党小组"], status="planned")
    items = due_now(date(2026, 1, 5))
    by = {(i.kind, i.status): i for i in items}
    assert by[("general_assembly", "red")].text == "支部党员大会：2025年第四季度未召开"
    assert by[("general_assembly", "amber")].period_label == "2026年第一季度"
    assert ("committee", "red") not in by  # December held on the 31st
    assert by[("committee", "green")].text == "支部委员会：2026年1月已召开（2026年1月3日）"
    assert "已计划于 2026年1月20日" in by[("group", "amber")].text
    assert by[("life_meeting", "red")].period_label == "2025年度"
    assert [i.status for i in items] == sorted((i.status for i in items), key=["red", "amber", "green"].index)


def test_demo_ledger_report_agrees_with_its_meetings(tmp_path, data_home):
    from ledger_app.db import open_ledger
    from ledger_app.demo import generate_demo

    path = tmp_path / "demo.sqlite3"
    generate_demo(path, members=60, years=2, seed=3, today=date(2026, 5, 10))
    with open_ledger(path, readonly=True):
        report = compliance_report(2025, date(2026, 5, 10))
        for entry in report.items:
            assert entry.held + len(entry.labels("missed")) == entry.required  # a past year: no period open
            query = Meeting.select().where(Meeting.kind == entry.kind, Meeting.status == "held",
                                           Meeting.held_on.year == 2025)
            if entry.group_id:
                query = query.where(Meeting.group == entry.group_id)
            if entry.kind != "appraisal":
                assert entry.meetings_held == query.count()
        total = sum(e.required for e in report.items)
        assert 0 < report.missing_total < total * 0.15  # the demo skips a few periods on purpose
        assert item(report, "group", report.items[2].group_name).required == 12

    assert main(["meetings", "check", "--year", "2025", "--db", str(path)]) == 0
    assert main(["meetings", "check", "--year", "2025", "--json", "--db", str(path)]) == 0


def test_cli_prints_lines_and_json(ledger_path, capsys):
    from ledger_app.db import open_ledger

    with open_ledger(ledger_path):
        set_up()
        held("general_assembly", date(2025, 3, 1))
    assert main(["meetings", "check", "--year", "2025", "--db", str(ledger_path)]) == 0
    out = capsys.readouterr().out
    assert "支部党员大会（每季度）：应开 4 次，已开 1 次；缺：第二季度、第三季度、第四季度" in out
    assert main(["meetings", "check", "--year", "2025", "--json", "--db", str(ledger_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["branch"] == BRANCH and data["items"][0]["missing"] == ["第二季度", "第三季度", "第四季度"]


def test_life_meeting_and_appraisal_are_required_at_least_yearly(ledger):
    set_up()
    for kind in ("life_meeting", "appraisal"):
        with pytest.raises(ValidationError) as error:
            svc.put_meeting_frequencies({kind: "none"})
        assert error.value.field == f"meeting_frequencies.{kind}"
    svc.put_meeting_frequencies({"appraisal": "quarterly"})  # more often is allowed
    from ledger_app.services import settings

    settings.put(svc.SETTINGS_KEY, {"life_meeting": "none"})  # stored by an older version
    assert svc.meeting_frequencies()["life_meeting"] == "yearly"
    report = compliance_report(2025, date(2026, 2, 1))
    assert item(report, "life_meeting").labels("missed") == ["全年"]


def test_a_recorded_round_counts_as_the_years_appraisal_and_talks_are_reported(ledger):
    from ledger_app.services import appraisal, talks

    set_up()
    person = write(lambda: audit.create(Person, "", name="评议人", stage="full", joined_on=date(2010, 1, 1),
                                        converted_on=date(2011, 1, 1), membership_state="active").id)()
    other = write(lambda: audit.create(Person, "", name="谈话人", stage="full", joined_on=date(2010, 1, 1),
                                       converted_on=date(2011, 1, 1), membership_state="active").id)()
    report = compliance_report(2025, date(2026, 2, 1))
    assert item(report, "appraisal").held == 0
    assert report.appraisal.line() == "民主评议：2025年度尚未登记评议。"
    assembly = held("general_assembly", date(2026, 1, 12))  # held in January for the year just ended
    appraisal.save_appraisal(2025, None, assembly, "", {person: "qualified"}, date(2026, 2, 1))
    report = compliance_report(2025, date(2026, 2, 1))
    assert item(report, "appraisal").held == 1 and item(report, "general_assembly").held == 0
    assert item(compliance_report(2026, date(2026, 2, 1)), "appraisal").held == 0
    assert report.appraisal.line() == "民主评议：2026年1月12日进行，应评定 2 人，已评定 1 人（合格 1）；未评定：谈话人"
    talks.add_talk(talks.TalkDraft(date(2025, 6, 1), other, person, "members", "交流"), date(2026, 2, 1))
    report = compliance_report(2025, date(2026, 2, 1))
    assert report.lines()[-2] == "谈心谈话：本年谈话 1 次；在册党员 2 人，已谈 2 人，每人都已谈过"
    data = report.to_json()
    json.dumps(data)
    assert data["talks"]["without_talk"] == [] and data["appraisal"]["missing"] == ["谈话人"]
    # the round's own 民主评议党员 meeting is not counted twice
    meeting = held("appraisal", date(2025, 12, 20))
    appraisal.save_round(2025, None, meeting, today=date(2026, 2, 1))
    assert item(compliance_report(2025, date(2026, 2, 1)), "appraisal").meetings_held == 1


def test_cli_check_prints_appraisal_and_talks(ledger_path, capsys):
    from ledger_app.db import open_ledger

    with open_ledger(ledger_path):
        set_up()
    assert main(["meetings", "check", "--year", "2025", "--db", str(ledger_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["talks"]["on_roll"] == 0 and data["appraisal"]["held_on"] is None
    assert main(["meetings", "check", "--year", "2025", "--db", str(ledger_path)]) == 0
    out = capsys.readouterr().out
    assert "民主评议：2025年度尚未登记评议。" in out and "谈心谈话：本年谈话 0 次" in out
