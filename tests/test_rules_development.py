"""The development pipeline's rules table: every time rule at its boundary, working days, next steps."""

from datetime import date

from ledger_app.rules import development as dev
from ledger_app.rules.development import WorkCalendar, attention, check, pipeline

TODAY = date(2026, 12, 4)  # a Friday


def fields(problems) -> list[str]:
    return [p.field for p in problems]


# --- the table ------------------------------------------------------------------------------------

def test_the_table_holds_five_stages_in_order_each_step_with_a_source():
    assert list(dev.STAGES) == ["application", "activist", "target", "admission", "probation"]
    order = [s.stage for s in dev.STEPS]
    assert order == sorted(order, key=list(dev.STAGES).index)
    assert all(step.source for step in (*dev.STEPS, dev.EXTENSION))
    for step in dev.STEPS[1:]:
        assert step.after, step.field
    assert {s.field for s in dev.STEPS if s.decided_by == "committee"} == {"activist_on", "target_on",
                                                                           "committee_review_on"}
    assert {s.field for s in dev.STEPS if s.decided_by == "general_assembly"} == {"joined_on",
                                                                                  "conversion_meeting_on"}


# --- time rules at their boundaries -----------------------------------------------------------------

def test_talk_within_one_calendar_month_with_month_end_clamping():
    assert check({"applied_on": date(2024, 1, 31), "talked_on": date(2024, 2, 29)}, TODAY) == []
    [problem] = check({"applied_on": date(2024, 1, 31), "talked_on": date(2024, 3, 1)}, TODAY)
    assert problem.field == "talked_on"
    assert "超过一个月（2024-01-31 至 2024-03-01，最迟 2024-02-29）" in problem.message
    assert check({"applied_on": date(2025, 3, 10), "talked_on": date(2025, 4, 10)}, TODAY) == []
    assert fields(check({"applied_on": date(2025, 3, 10), "talked_on": date(2025, 4, 11)}, TODAY)) == ["talked_on"]


def test_activist_to_target_is_at_least_one_year():
    base = {"activist_on": date(2025, 3, 1)}
    assert check({**base, "target_on": date(2026, 3, 1)}, TODAY) == []
    [problem] = check({**base, "target_on": date(2026, 2, 28)}, TODAY)
    assert problem.field == "target_on"
    assert problem.message.startswith("确定为发展对象距确定为入党积极分子不足一年（2025-03-01 至 2026-02-28")
    [problem] = check({**base, "target_on": date(2025, 12, 15)}, TODAY)
    assert "确定为发展对象距确定为入党积极分子不足一年（2025-03-01 至 2025-12-15" in problem.message


def test_activists_are_assessed_every_six_months():
    values = {"activist_on": date(2025, 8, 31), "target_on": date(2026, 9, 1)}
    on_time = [date(2026, 2, 28), date(2026, 8, 28)]  # 31 Aug + 6 months = 28 Feb
    assert check(values, TODAY, assessments=on_time) == []
    [problem] = check(values, TODAY, assessments=[date(2026, 3, 1), date(2026, 8, 28)])
    assert problem.field == "assessments" and "第 1 次考察应在 2026-02-28 前" in problem.message
    # The schedule runs from the decision: 31 Aug, 28 Feb, 31 Aug, not drifting to the 28th.
    assert check({"activist_on": date(2025, 8, 31)}, date(2026, 8, 31),
                 assessments=[date(2026, 2, 28), date(2026, 8, 31)]) == []
    # Still an activist today: the last assessment more than six months ago is overdue.
    still = {"activist_on": date(2026, 1, 10)}
    assert check(still, date(2026, 7, 10), assessments=[]) == []
    assert fields(check(still, date(2026, 7, 11), assessments=[])) == ["assessments"]
    # Without assessments given (the card, the roster import) the rule is not judged.
    assert check(still, date(2026, 7, 11)) == []


def test_training_is_three_days_or_24_hours():
    start = {"training_start_on": date(2026, 5, 6), "target_on": date(2026, 1, 1)}
    assert check({**start, "training_end_on": date(2026, 5, 8)}, TODAY) == []
    assert check({**start, "training_end_on": date(2026, 5, 7), "training_hours": 24}, TODAY) == []
    [problem] = check({**start, "training_end_on": date(2026, 5, 7), "training_hours": 23}, TODAY)
    assert problem.field == "training_end_on" and "不足 3 天或 24 学时" in problem.message


def test_a_notice_lasts_five_working_days_over_a_weekend():
    calendar = WorkCalendar()
    friday = date(2026, 11, 27)
    assert calendar.notice_end(friday) == date(2026, 12, 3)  # Fri, Mon, Tue, Wed, Thu
    values = {"target_on": date(2026, 11, 20), "notice_start_on": friday}
    assert check({**values, "notice_end_on": date(2026, 12, 3)}, TODAY) == []
    [problem] = check({**values, "notice_end_on": date(2026, 12, 2)}, TODAY)
    assert problem.field == "notice_end_on"
    assert "只有 4 个工作日" in problem.message and "最早应到 2026-12-03 结束" in problem.message


def test_a_notice_over_a_holiday_and_a_swapped_workday_from_the_settings():
    holiday = WorkCalendar(holidays=frozenset({date(2026, 10, 1), date(2026, 10, 2)}))
    start = date(2026, 9, 29)  # Tue; Thu 1 and Fri 2 October are holidays
    assert WorkCalendar().notice_end(start) == date(2026, 10, 5)  # 29, 30, 1, 2, 5
    assert holiday.notice_end(start) == date(2026, 10, 7)  # 29, 30, 5, 6, 7
    assert holiday.working_days(start, date(2026, 10, 5)) == 3
    values = {"target_on": date(2026, 9, 1), "notice_start_on": start, "notice_end_on": date(2026, 10, 5)}
    assert check(values, TODAY) == []  # without the holidays: 29, 30, 1, 2, 5
    assert fields(check(values, TODAY, holiday)) == ["notice_end_on"]
    swapped = WorkCalendar(holidays=holiday.holidays, workdays=frozenset({date(2026, 10, 3), date(2026, 10, 4)}))
    assert check(values, TODAY, swapped) == []


def test_the_assembly_within_a_month_of_the_pre_review_and_approval_within_three_months():
    base = {"pre_review_on": date(2026, 1, 31), "volunteer_form_on": date(2026, 2, 2)}
    assert check({**base, "joined_on": date(2026, 2, 28)}, TODAY) == []
    assert fields(check({**base, "joined_on": date(2026, 3, 1)}, TODAY)) == ["joined_on"]
    joined = {"joined_on": date(2026, 3, 1), "upper_talk_on": date(2026, 3, 10)}
    assert check({**joined, "approved_on": date(2026, 6, 1)}, TODAY) == []
    [problem] = check({**joined, "approved_on": date(2026, 6, 2)}, TODAY)
    assert problem.field == "approved_on" and "超过3个月" in problem.message


def test_conversion_meeting_at_the_end_of_probation_and_its_approval_within_three_months():
    base = {"joined_on": date(2025, 3, 1), "conversion_applied_on": date(2026, 2, 10)}
    assert check({**base, "conversion_meeting_on": date(2026, 3, 1)}, TODAY) == []
    [problem] = check({**base, "conversion_meeting_on": date(2026, 2, 28)}, TODAY)
    assert problem.field == "conversion_meeting_on" and "2026-03-01" in problem.message
    extended = {**base, "extension_months": 6, "extension_decided_on": date(2026, 3, 1)}
    assert fields(check({**extended, "conversion_meeting_on": date(2026, 8, 31)}, TODAY)) == ["conversion_meeting_on"]
    assert check({**extended, "conversion_meeting_on": date(2026, 9, 1)}, TODAY) == []
    meeting = {**base, "conversion_meeting_on": date(2026, 3, 2)}
    assert check({**meeting, "conversion_approved_on": date(2026, 6, 2)}, TODAY) == []
    assert fields(check({**meeting, "conversion_approved_on": date(2026, 6, 3)}, TODAY)) == ["conversion_approved_on"]


def test_an_extension_is_once_six_to_twelve_months_decided_by_the_end_of_probation():
    joined = {"joined_on": date(2025, 3, 1)}
    for months, ok in ((5, False), (6, True), (12, True), (13, False)):
        assert (check({**joined, "extension_months": months}, TODAY) == []) is ok, months
    assert check({**joined, "extension_months": 6, "extension_decided_on": date(2026, 3, 1)}, TODAY) == []
    assert fields(check({**joined, "extension_months": 6, "extension_decided_on": date(2026, 3, 2)},
                        TODAY)) == ["extension_decided_on"]


def test_age_eighteen_on_the_day_of_application():
    values = {"applied_on": date(2026, 5, 20)}
    assert pipeline(values, "applicant", TODAY, birth_date=date(2008, 5, 20)).problems == []
    [problem] = pipeline(values, "applicant", TODAY, birth_date=date(2008, 5, 21)).problems
    assert problem.field == "applied_on" and "未满 18 周岁" in problem.message


def test_a_date_before_the_previous_step_or_in_the_future_names_both_dates():
    [problem] = check({"applied_on": date(2026, 3, 1), "talked_on": date(2026, 3, 10),
                       "activist_on": date(2026, 3, 5)}, TODAY)
    assert problem.field == "activist_on"
    assert "确定为入党积极分子时间 2026-03-05 早于谈话时间 2026-03-10" in problem.message
    # A missing step is skipped back to the nearest recorded one.
    [problem] = check({"applied_on": date(2026, 3, 1), "activist_on": date(2026, 2, 5)}, TODAY)
    assert "早于申请入党时间 2026-03-01" in problem.message
    [problem] = check({"applied_on": date(2026, 12, 5)}, TODAY)
    assert problem.field == "applied_on" and "晚于今天（2026-12-04）" in problem.message


# --- where someone stands ---------------------------------------------------------------------------

def test_an_applicant_is_due_a_talk_within_a_month():
    status = pipeline({"applied_on": date(2026, 11, 20)}, "applicant", TODAY)
    assert status.last_step.field == "applied_on" and status.next_step.field == "talked_on"
    assert (status.earliest, status.latest) == (date(2026, 11, 20), date(2026, 12, 20))
    assert attention(status, TODAY) == "soon"
    late = pipeline({"applied_on": date(2026, 10, 1)}, "applicant", TODAY)
    assert attention(late, TODAY) == "overdue"


def test_an_activist_is_next_assessed_until_the_year_is_over_then_may_become_a_target():
    values = {"applied_on": date(2025, 1, 5), "talked_on": date(2025, 1, 20), "activist_on": date(2026, 3, 1),
              "activist_filed_on": date(2026, 3, 10)}
    status = pipeline(values, "activist", TODAY)
    assert status.next_step.field == "assessments" and status.latest == date(2026, 9, 1)
    assert attention(status, TODAY) == "overdue"
    status = pipeline(values, "activist", TODAY, assessments=[date(2026, 8, 1)])
    assert status.next_step.field == "target_on"
    assert (status.earliest, status.latest) == (date(2027, 3, 1), date(2027, 3, 1))
    older = {**values, "activist_on": date(2025, 6, 1)}
    status = pipeline(older, "activist", TODAY, assessments=[date(2025, 12, 1), date(2026, 6, 1)])
    assert status.next_step.field == "target_on"
    assert (status.earliest, status.latest) == (date(2026, 6, 1), date(2026, 12, 1))


def test_a_probationary_member_is_converted_at_the_end_of_probation_and_then_has_nothing_due():
    values = {"joined_on": date(2026, 1, 15), "upper_talk_on": date(2026, 1, 25), "approved_on": date(2026, 2, 20),
              "oath_on": date(2026, 3, 1), "conversion_applied_on": date(2026, 12, 1)}
    status = pipeline(values, "probationary", TODAY)
    assert status.next_step.field == "conversion_meeting_on" and status.earliest == date(2027, 1, 15)
    assert dev.probation_end(values) == date(2027, 1, 15)
    done = pipeline({**values, "converted_on": date(2027, 1, 15)}, "full", date(2027, 3, 1))
    assert done.next_step is None


def test_someone_who_left_the_pipeline_has_no_next_step():
    assert pipeline({"applied_on": date(2026, 1, 1)}, "applicant", TODAY, left=True).next_step is None

