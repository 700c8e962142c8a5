"""The rules of organisational life (rules.meetings): 应到, votes, elections and periods."""

from datetime import date

import pytest

from ledger_app.errors import ValidationError
from ledger_app.rules import meetings as rules
from ledger_app.rules.meetings import CommitteePost, MemberFacts, Period

DAY = date(2026, 3, 15)


def member(pid: int, **facts) -> MemberFacts:
    values = {"name": f"党员{pid}", "stage": "full", "joined_on": date(2010, 1, 1), "converted_on": date(2011, 1, 1)}
    values.update(facts)
    return MemberFacts(pid, **values)


def ids(members) -> list[int]:
    return [m.person_id for m in members]


# ---- 应到 -----------------------------------------------------------------------------------------------


def test_all_full_and_probationary_members_count():
    members = [member(1), member(2, stage="probationary", joined_on=date(2025, 12, 1), converted_on=None)]
    assert ids(rules.expected_attendees("general_assembly", DAY, members)) == [1, 2]


def test_joined_after_or_on_the_day_does_not_count():
    members = [member(1), member(2, joined_on=DAY, converted_on=None, stage="probationary"),
               member(3, joined_on=date(2026, 4, 1), converted_on=None, stage="probationary")]
    # accepted at this very meeting: attends as 发展对象, not as 应到
    assert ids(rules.expected_attendees("general_assembly", DAY, members)) == [1]


def test_left_before_or_on_the_day_does_not_count():
    members = [member(1), member(2, left_on=date(2026, 3, 1)), member(3, left_on=DAY), member(4, left_on=date(2026, 3, 16))]
    assert ids(rules.expected_attendees("theme_day", DAY, members)) == [1, 4]


def test_transfers_place_a_member_in_the_branch():
    moved_in_later = member(1, transfers=((date(2026, 5, 1), "in"),))
    moved_in_before = member(2, transfers=((date(2026, 1, 10), "in"),))
    moved_in_that_day = member(3, transfers=((DAY, "in"),))
    moved_out = member(4, transfers=((date(2026, 2, 1), "out"),))
    out_and_back = member(5, transfers=((date(2025, 1, 1), "out"), (date(2026, 1, 1), "in")))
    out_later = member(6, transfers=((date(2026, 6, 1), "out"),))
    members = [moved_in_later, moved_in_before, moved_in_that_day, moved_out, out_and_back, out_later]
    assert ids(rules.expected_attendees("general_assembly", DAY, members)) == [2, 5, 6]


def test_applicants_never_count():
    assert rules.expected_attendees("general_assembly", DAY, [member(1, stage="activist")]) == []


def test_standing_exclusions_in_force_remove_a_member():
    excluded = member(1, exclusions=((date(2025, 6, 1), None),))
    ended = member(2, exclusions=((date(2025, 6, 1), date(2026, 3, 14)),))
    last_day = member(3, exclusions=((date(2025, 6, 1), DAY),))
    not_yet = member(4, exclusions=((date(2026, 4, 1), None),))
    members = [excluded, ended, last_day, not_yet]
    assert ids(rules.expected_attendees("general_assembly", DAY, members)) == [2, 4]


def test_group_meeting_counts_the_groups_members():
    members = [member(1, group_id=1), member(2, group_id=2), member(3, group_id=1, left_on=date(2026, 1, 1)),
               member(4, group_id=1, exclusions=((date(2026, 1, 1), None),))]
    assert ids(rules.expected_attendees("group", DAY, members, group_id=1)) == [1]
    # a 组织生活会 held as a 党小组会 counts the group too
    assert ids(rules.expected_attendees("life_meeting", DAY, members, group_id=2)) == [2]


def test_committee_meeting_counts_the_committee_in_office():
    posts = [CommitteePost(1, date(2020, 1, 1)), CommitteePost(2, date(2020, 1, 1)),
             CommitteePost(1, date(2023, 1, 1)), CommitteePost(3, date(2023, 1, 1)),
             CommitteePost(4, date(2023, 1, 1), started_on=date(2026, 4, 1)),
             CommitteePost(5, date(2023, 1, 1), ended_on=date(2026, 3, 1))]
    assert rules.committee_on(DAY, posts) == {1, 3}
    assert rules.committee_on(date(2021, 5, 1), posts) == {1, 2}
    members = [member(i) for i in range(1, 6)]
    committee = rules.committee_on(DAY, posts)
    assert ids(rules.expected_attendees("committee", DAY, members, committee=committee)) == [1, 3]


def test_only_full_members_vote():
    assert rules.may_vote(member(1), DAY)
    assert not rules.may_vote(member(2, stage="probationary", converted_on=None), DAY)
    # converted after the meeting: probationary on the day
    assert not rules.may_vote(member(3, converted_on=date(2026, 4, 1)), DAY)
    # a mobile member of this branch keeps the vote here (domain-rules §4: no vote THERE)
    assert rules.may_vote(member(4, is_mobile=True), DAY)


# ---- votes ----------------------------------------------------------------------------------------------


def test_quorum_is_more_than_half_of_those_entitled():
    assert rules.has_quorum(25, 13) and not rules.has_quorum(25, 12)
    assert not rules.has_quorum(24, 12) and rules.has_quorum(24, 13)


def test_motion_passes_on_more_than_half_of_those_entitled_not_present():
    # 20 present of 25: 12 yes is a majority of those present but not of those entitled
    assert not rules.motion_passes(25, 12)
    assert rules.motion_passes(25, 13)
    verdict = rules.vote_verdict("ordinary", 25, 20, 12, 5, 3)
    assert verdict.valid and not verdict.passed
    assert "未超过应到会有表决权党员半数 12.5" in verdict.text and verdict.text.endswith("未通过。")


def test_verdict_in_words():
    verdict = rules.vote_verdict("ordinary", 25, 20, 18, 1, 1)
    assert verdict.valid and verdict.passed
    assert verdict.text.startswith("表决有效：应到会有表决权党员 25 人，实到 20 人；赞成 18 票，"
                                   "超过应到会有表决权党员半数 12.5")
    even = rules.vote_verdict("ordinary", 24, 20, 13)
    assert "半数 12，" in even.text and even.passed
    no_quorum = rules.vote_verdict("ordinary", 25, 12, 12)
    assert not no_quorum.valid and not no_quorum.passed and no_quorum.text.startswith("表决无效")
    assert not rules.vote_verdict("ordinary", 0, 0, 0).valid


def test_election_needs_more_than_four_fifths_present():
    assert not rules.election_valid(25, 20)  # exactly 4/5 is NOT enough
    assert rules.election_valid(25, 21)
    assert not rules.election_valid(23, 18) and rules.election_valid(23, 19)  # 4/5 of 23 = 18.4
    verdict = rules.vote_verdict("election", 25, 20, 20)
    assert not verdict.valid and "未超过应到人数的五分之四 20" in verdict.text
    verdict = rules.vote_verdict("election", 25, 21, 11)
    assert verdict.valid and verdict.passed and "超过实到会有选举权党员半数 10.5" in verdict.text
    assert not rules.vote_verdict("election", 25, 21, 10).passed


def test_vote_counts_checked():
    rules.check_vote_counts(10, 5, 5, 20)
    with pytest.raises(ValidationError) as error:
        rules.check_vote_counts(10, 6, 5, 20, "votes[0]")
    assert error.value.field == "votes[0].yes" and "21" in str(error.value)
    with pytest.raises(ValidationError) as error:
        rules.check_vote_counts(1, -1, 0, 20, "votes[1]")
    assert error.value.field == "votes[1].no"


# ---- frequencies and periods ---------------------------------------------------------------------------


def test_default_frequencies_and_overrides():
    assert rules.frequencies()["general_assembly"] == "quarterly"
    assert rules.frequencies()["lecture"] == "quarterly"
    assert rules.frequencies()["other"] == "none"
    assert rules.frequencies({"lecture": "none"})["lecture"] == "none"
    with pytest.raises(ValidationError) as error:
        rules.frequencies({"lecture": "weekly"})
    assert error.value.field == "meeting_frequencies.lecture"
    with pytest.raises(ValidationError):
        rules.frequencies({"party": "monthly"})


def test_period_of_a_date_is_by_its_own_date():
    assert rules.period_of("month", date(2025, 12, 31)) == Period(2025, "month", 12)
    assert rules.period_of("quarter", date(2025, 12, 31)) == Period(2025, "quarter", 4)
    assert rules.period_of("quarter", date(2026, 1, 1)) == Period(2026, "quarter", 1)
    assert Period(2025, "quarter", 4).end == date(2025, 12, 31)
    assert Period(2024, "month", 2).end == date(2024, 2, 29)
    assert rules.previous_period(Period(2026, "quarter", 1)) == Period(2025, "quarter", 4)
    assert rules.previous_period(Period(2026, "month", 1)) == Period(2025, "month", 12)
    assert Period(2026, "quarter", 2).label == "2026年第二季度" and Period(2026, "year", 1).label == "2026年度"


def test_schedule_done_missed_due_future():
    held = [date(2026, 2, 20), date(2025, 12, 31)]
    checks = rules.year_schedule("quarterly", 2026, date(2026, 8, 1), held)
    assert [c.status for c in checks] == ["done", "missed", "due", "future"]
    assert checks[0].held_on == (date(2026, 2, 20),)  # the 31 Dec meeting counts for 2025, not 2026


def test_fourth_quarter_missed_when_checked_in_january():
    checks = rules.year_schedule("quarterly", 2025, date(2026, 1, 5), [date(2025, 3, 1), date(2025, 5, 1),
                                                                       date(2025, 8, 1), date(2026, 1, 3)])
    assert [c.status for c in checks] == ["done", "done", "done", "missed"]
    # while December lasts, the fourth quarter is only due
    assert rules.year_schedule("quarterly", 2025, date(2025, 12, 31), [])[3].status == "due"
    # held on the last day of the year: December / Q4 done
    monthly = rules.year_schedule("monthly", 2025, date(2026, 1, 5), [date(2025, 12, 31)])
    assert monthly[11].status == "done" and monthly[10].status == "missed"


def test_yearly_and_none():
    assert [c.status for c in rules.year_schedule("yearly", 2025, date(2026, 1, 2), [])] == ["missed"]
    assert [c.status for c in rules.year_schedule("yearly", 2026, date(2026, 1, 2), [])] == ["due"]
    assert rules.year_schedule("none", 2026, date(2026, 1, 2), [date(2026, 1, 1)]) == []


def test_appraisal_in_january_counts_for_the_graded_year():
    assert rules.counts_for("appraisal", date(2026, 1, 12), 2025) == date(2025, 12, 31)
    assert rules.counts_for("appraisal", date(2025, 12, 20), 2025) == date(2025, 12, 20)
    assert rules.counts_for("general_assembly", date(2026, 1, 12), 2025) == date(2026, 1, 12)


def test_planned_dates():
    assert rules.planned_date("committee", Period(2026, "month", 5), date(2026, 1, 1)) == date(2026, 5, 15)
    assert rules.planned_date("general_assembly", Period(2026, "quarter", 2), date(2026, 1, 1)) == date(2026, 5, 15)
    assert rules.planned_date("life_meeting", Period(2026, "year", 1), date(2026, 1, 1)) == date(2026, 12, 15)
    assert rules.planned_date("committee", Period(2026, "month", 5), date(2026, 5, 20)) == date(2026, 5, 21)
    assert rules.planned_date("committee", Period(2026, "month", 4), date(2026, 5, 20)) is None
