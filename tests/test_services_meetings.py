"""Recording, planning and copying meetings (services.meetings): validation, audit, 补学."""

from datetime import date

import pytest

from ledger_app.errors import ValidationError
from ledger_app.models import (
    Attendance,
    AuditEntry,
    CommitteeMember,
    CommitteeTerm,
    Exclusion,
    MakeUpStudy,
    Meeting,
    MeetingTopic,
    PartyGroup,
    Person,
    Speech,
    Vote,
)
from ledger_app.services import audit, write
from ledger_app.services import meetings as svc
from ledger_app.services.branch import BranchProfile, save_profile
from ledger_app.services.meetings import AttendanceEntry, MeetingDraft, ObserverEntry, SpeechEntry, VoteEntry

TODAY = date(2026, 5, 10)
BRANCH = "测试社区第一党支部"


@write
def set_up() -> dict:
    """A branch of 6 full and 2 probationary members in two groups, a committee of 3, one excluded."""
    save_profile(BranchProfile(BRANCH, "community"), TODAY)
    one = audit.create(PartyGroup, "", name="第一党小组", sort_order=1)
    two = audit.create(PartyGroup, "", name="第二党小组", sort_order=2)
    people = {}
    for i, name in enumerate(("张一", "李二", "王三", "赵四", "钱五", "孙六"), 1):
        people[name] = audit.create(Person, "", name=name, stage="full", joined_on=date(2010, 1, i),
                                    converted_on=date(2011, 1, i), group=one if i <= 3 else two).id
    for name in ("周七", "吴八"):
        people[name] = audit.create(Person, "", name=name, stage="probationary", joined_on=date(2025, 9, 1),
                                    group=two).id
    people["郑九"] = audit.create(Person, "", name="郑九", stage="full", joined_on=date(2000, 1, 1), group=one).id
    audit.create(Exclusion, "", person=people["郑九"], category="bedridden", approved_on=date(2024, 1, 1),
                 start_on=date(2024, 1, 1))
    term = audit.create(CommitteeTerm, "", started_on=date(2024, 1, 1))
    for post, name in (("书记", "张一"), ("组织委员", "李二"), ("宣传委员", "钱五")):
        audit.create(CommitteeMember, "", term=term, person=people[name], post=post, started_on=date(2024, 1, 1))
    return {"people": people, "groups": {"一": one.id, "二": two.id}}


@pytest.fixture
def branch(ledger):
    return set_up()


def assembly(branch, **changes) -> MeetingDraft:
    p = branch["people"]
    attendance = [AttendanceEntry(pid) for name, pid in p.items() if name != "郑九"]
    attendance[1] = AttendanceEntry(p["李二"], False, "sick", "住院")
    values = dict(kind="general_assembly", held_on=date(2026, 3, 15), title="2026年第一季度支部党员大会",
                  start_time="9:00", end_time="11:30", place="社区会议室", chair_id=p["张一"], recorder_id=p["钱五"],
                  topics=["审议年度计划", "接收预备党员"], attendance=attendance,
                  observers=[ObserverEntry("陈发展", "发展对象")],
                  speeches=[SpeechEntry("同意计划。", p["王三"], topic=0), SpeechEntry("补充意见。", speaker_name="上级联系人")],
                  votes=[VoteEntry("审议年度计划", 4, 0, 1, topic=0)], resolutions=["通过年度计划。"],
                  content="会议审议了年度计划。")
    values.update(changes)
    return MeetingDraft(**values)


def test_expected_attendees_follow_the_rules(branch):
    p = branch["people"]
    everyone = {ref.name for ref in svc.expected_for("general_assembly", date(2026, 3, 15))}
    assert everyone == set(p) - {"郑九"}  # excluded
    group = {ref.name for ref in svc.expected_for("group", date(2026, 3, 15), branch["groups"]["二"])}
    assert group == {"赵四", "钱五", "孙六", "周七", "吴八"}
    committee = {ref.name for ref in svc.expected_for("committee", date(2026, 3, 15))}
    assert committee == {"张一", "李二", "钱五"}
    earlier = {ref.name for ref in svc.expected_for("general_assembly", date(2025, 8, 1))}
    assert "周七" not in earlier  # joined in September 2025
    voters = {ref.name for ref in svc.expected_for("general_assembly", date(2026, 3, 15)) if ref.may_vote}
    assert voters == {"张一", "李二", "王三", "赵四", "钱五", "孙六"}


def test_create_and_read_back_everything(branch):
    mid = svc.create_meeting(assembly(branch), TODAY)
    r = svc.get_meeting(mid)
    assert (r.kind_label, r.status_label, r.start_time, r.end_time) == ("支部党员大会", "已召开", "09:00", "11:30")
    assert (r.chair_name, r.recorder_name, r.place) == ("张一", "钱五", "社区会议室")
    assert r.topics == ["审议年度计划", "接收预备党员"]
    assert len(r.expected) == 8 and r.present_count == 7
    assert [(a.name, a.reason_label, a.reason_note) for a in r.absentees] == [("李二", "病假", "住院")]
    assert (r.entitled_voters, r.present_voters) == (6, 5)
    vote = r.votes[0]
    assert vote.topic_title == "审议年度计划" and vote.verdict.passed
    assert vote.verdict.text == "表决有效：应到会有表决权党员 6 人，实到 5 人；赞成 4 票，超过应到会有表决权党员半数 3，通过。"
    assert [(s.speaker_name, s.topic_title) for s in r.speeches] == [("王三", "审议年度计划"), ("上级联系人", "")]
    assert r.observers == [ObserverEntry("陈发展", "发展对象")] and r.resolutions == ["通过年度计划。"]
    tables = {e.table_name for e in AuditEntry.select()}
    assert {"meeting", "meeting_topic", "attendance", "observer", "speech", "vote", "resolution"} <= tables


def test_verdicts_of_an_unsaved_draft(branch):
    draft = assembly(branch, votes=[VoteEntry("事项一", 4), VoteEntry("事项二", 3), VoteEntry("选举", 3, kind="election")])
    verdicts = svc.draft_verdicts(draft)
    # 6 full members entitled, 5 present: 3 yes is not more than half of 6; 5 of 6 is more than 4/5
    assert [v.passed for v in verdicts] == [True, False, True]
    assert verdicts[1].text.endswith("未通过。") and verdicts[2].valid
    draft.attendance = []
    assert not svc.draft_verdicts(draft)[0].valid  # nobody recorded present yet


def test_update_rewrites_only_what_changed_and_keeps_topic_links(branch):
    mid = svc.create_meeting(assembly(branch), TODAY)
    before = AuditEntry.select().count()
    draft = svc.draft_of(mid)
    svc.update_meeting(mid, draft, TODAY)
    assert AuditEntry.select().count() == before  # nothing changed, nothing audited
    draft.topics.insert(0, "学习文件")
    draft.speeches[0].topic = 1
    draft.votes[0].topic = 1
    svc.update_meeting(mid, draft, TODAY)
    r = svc.get_meeting(mid)
    assert r.topics[0] == "学习文件" and r.votes[0].topic_title == "审议年度计划"
    assert r.speeches[0].topic_title == "审议年度计划"
    assert MeetingTopic.select().where(MeetingTopic.meeting == mid).count() == 3


@pytest.mark.parametrize(("changes", "field"), [
    ({"kind": "party"}, "kind"),
    ({"held_on": None}, "held_on"),
    ({"held_on": date(2026, 6, 1)}, "held_on"),  # held in the future
    ({"start_time": "25:00"}, "start_time"),
    ({"end_time": "8:00"}, "end_time"),  # before the start
    ({"chair_id": 9999}, "chair_id"),
    ({"recorder_id": 9999}, "recorder_id"),
    ({"group_id": 1}, "group_id"),  # a 大会 is not held by a group
    ({"topics": ["议题", " "]}, "topics[1]"),
    ({"votes": [VoteEntry("事项", -1)]}, "votes[0].yes"),
    ({"votes": [VoteEntry("事项", 4, 1, 1)]}, "votes[0].yes"),  # 6 votes, 5 voters present
    ({"votes": [VoteEntry("", 1)]}, "votes[0].motion"),
    ({"votes": [VoteEntry("事项", 1, topic=5)]}, "votes[0].topic"),
    ({"speeches": [SpeechEntry("要点")]}, "speeches[0].speaker_id"),
    ({"observers": [ObserverEntry("")]}, "observers[0].name"),
    ({"resolutions": [""]}, "resolutions[0]"),
])
def test_validation_names_the_field_and_writes_nothing(branch, changes, field):
    meetings, audits = Meeting.select().count(), AuditEntry.select().count()
    with pytest.raises(ValidationError) as error:
        svc.create_meeting(assembly(branch, **changes), TODAY)
    assert error.value.field == field
    assert Meeting.select().count() == meetings and AuditEntry.select().count() == audits


def test_absentee_needs_a_reason(branch):
    draft = assembly(branch)
    draft.attendance[2] = AttendanceEntry(branch["people"]["王三"], False, None)
    with pytest.raises(ValidationError) as error:
        svc.create_meeting(draft, TODAY)
    assert error.value.field == "attendance[2].absence_reason" and "王三" in str(error.value)
    draft.attendance[2] = AttendanceEntry(branch["people"]["张一"])
    with pytest.raises(ValidationError, match="两次"):
        svc.create_meeting(draft, TODAY)


def test_group_meeting_needs_a_group(branch):
    with pytest.raises(ValidationError) as error:
        svc.create_meeting(MeetingDraft("group", date(2026, 3, 1)), TODAY)
    assert error.value.field == "group_id"
    mid = svc.create_meeting(MeetingDraft("group", date(2026, 3, 1), group_id=branch["groups"]["一"]), TODAY)
    assert svc.get_meeting(mid).group_name == "第一党小组"


def test_failed_update_leaves_the_meeting_as_it_was(branch):
    mid = svc.create_meeting(assembly(branch), TODAY)
    draft = svc.draft_of(mid)
    draft.title = "改过的标题"
    draft.votes.append(VoteEntry("第二项", 99))
    with pytest.raises(ValidationError):
        svc.update_meeting(mid, draft, TODAY)
    assert Meeting.get_by_id(mid).title == "2026年第一季度支部党员大会"
    assert Vote.select().where(Vote.meeting == mid).count() == 1


def test_makeups_for_absentees_and_ticking_off(branch):
    mid = svc.create_meeting(assembly(branch), TODAY)
    assert svc.create_makeups(mid) == 1
    assert svc.create_makeups(mid) == 0  # not twice
    makeup = svc.get_meeting(mid).makeups[0]
    assert makeup.name == "李二" and makeup.done_on is None
    with pytest.raises(ValidationError) as error:
        svc.tick_makeup(makeup.id, date(2026, 3, 1), today=TODAY)
    assert error.value.field == "done_on"
    svc.tick_makeup(makeup.id, date(2026, 3, 20), "自学文件", today=TODAY)
    assert svc.get_meeting(mid).makeups[0].done_on == date(2026, 3, 20)
    assert svc.list_meetings(2026)[0].makeups_open == 0


def test_marking_an_absentee_present_drops_the_open_makeup(branch):
    mid = svc.create_meeting(assembly(branch), TODAY)
    svc.create_makeups(mid)
    entries = [AttendanceEntry(a.person_id) for a in svc.get_meeting(mid).attendance]
    svc.set_attendance(mid, entries, TODAY)
    assert MakeUpStudy.select().count() == 0
    assert svc.get_meeting(mid).present_count == 8


def test_list_meetings(branch):
    svc.create_meeting(assembly(branch), TODAY)
    svc.create_meeting(MeetingDraft("committee", date(2026, 4, 2), status="held"), TODAY)
    svc.create_meeting(MeetingDraft("committee", date(2025, 4, 2)), TODAY)
    rows = svc.list_meetings(2026)
    assert [r.kind_label for r in rows] == ["支部党员大会", "支部委员会"]
    assert (rows[0].expected, rows[0].present, rows[0].absent) == (8, 7, 1)
    assert [r.held_on.year for r in svc.list_meetings(2026, kind="committee")] == [2026]


def test_plan_year_fills_the_rhythm_without_duplicates(branch):
    svc.create_meeting(MeetingDraft("committee", date(2026, 6, 3), status="planned"), TODAY)
    created = svc.plan_year(2026, TODAY)
    planned = list(Meeting.select().where(Meeting.id.in_(created)))
    kinds = [m.kind for m in planned]
    # from 10 May: committee June–Dec minus the June already planned, May too (still running)
    assert kinds.count("committee") == 7
    assert kinds.count("general_assembly") == 3 and kinds.count("lecture") == 3
    assert kinds.count("group") == 16 and kinds.count("theme_day") == 8
    assert kinds.count("life_meeting") == 1 and kinds.count("appraisal") == 1 and "other" not in kinds
    assert all(m.status == "planned" and m.held_on > TODAY for m in planned)
    assert next(m for m in planned if m.kind == "general_assembly").chair_id == branch["people"]["张一"]
    assert svc.plan_year(2026, TODAY) == []  # a second run adds nothing


def test_plan_year_respects_the_branch_settings(branch):
    svc.put_meeting_frequencies({"lecture": "none", "theme_day": "quarterly"})
    assert svc.meeting_frequencies()["lecture"] == "none"
    kinds = [Meeting.get_by_id(i).kind for i in svc.plan_year(2026, TODAY)]
    assert "lecture" not in kinds and kinds.count("theme_day") == 3


def test_copy_meeting_takes_the_frame_not_the_record(branch):
    mid = svc.create_meeting(assembly(branch), TODAY)
    copy = svc.copy_meeting(mid, date(2026, 6, 20), TODAY)
    r = svc.get_meeting(copy)
    assert (r.kind, r.title, r.place, r.chair_name, r.recorder_name, r.status) == (
        "general_assembly", "2026年第一季度支部党员大会", "社区会议室", "张一", "钱五", "planned")
    assert r.topics == ["审议年度计划", "接收预备党员"] and r.held_on == date(2026, 6, 20)
    assert not r.attendance and not r.votes and not r.speeches and not r.resolutions and not r.observers
    assert len(r.expected) == 8  # computed by the rules until attendance is recorded
    assert Attendance.select().where(Attendance.meeting == copy).count() == 0


def test_delete_meeting_takes_its_rows_and_audits(branch):
    mid = svc.create_meeting(assembly(branch), TODAY)
    svc.create_makeups(mid)
    svc.delete_meeting(mid)
    assert Meeting.select().count() == 0 and Speech.select().count() == 0 and MakeUpStudy.select().count() == 0
    assert AuditEntry.select().where(AuditEntry.action == "delete", AuditEntry.table_name == "meeting").count() == 1
    with pytest.raises(ValidationError):
        svc.get_meeting(mid)


def test_list_rows_name_the_chair(tmp_path):
    """The meeting list shows who chaired each meeting (主持人)."""
    from ledger_app.db import open_ledger
    from ledger_app.demo import generate_demo
    from ledger_app.models import Meeting
    from ledger_app.services.meetings import list_meetings

    path = tmp_path / "demo.sqlite3"
    generate_demo(path, members=20, years=1, seed=4, progress=None)
    with open_ledger(path, readonly=True):
        rows = list_meetings(Meeting.select().first().held_on.year)
        chaired = {m.id: m.chair.name for m in Meeting.select() if m.chair_id}
    assert rows and all(row.chair_name == chaired.get(row.id, "") for row in rows)
    assert any(row.chair_name for row in rows)
