"""The development pipeline (发展党员): its five stages, their steps in order, and every time rule.

Source: 中办《中国共产党发展党员工作细则》(2014), cited as 细则 with its article, and
《中国共产党章程》(党章); domain-rules §3 sums them up. A revision published in May 2026 exists but its
text was not available: every step is a row of ``STEPS`` and every limit a field of ``LIMITS``, so a
revision is a change here and nowhere else.

- Months are added calendar-wise with month-end clamping (``dates.add_months``).
- A 公示 lasts at least 5 working days: weekends do not count, the public holidays and the 调休
  workdays the clerk keeps in the settings (``WorkCalendar``) do as they say.
- Messages name the rule and both dates, e.g. "确定为发展对象距确定为入党积极分子不足一年
  （2025-03-01 至 2025-12-15）…".

``pipeline`` answers for one person: the last step done, the next one with its earliest and latest
date, and every rule broken. ``check`` gives only the broken rules (the card, the roster import and
``verify`` use it through ``rules.person.check_person``).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import Problem
from .dates import add_months, age_on


@dataclass(frozen=True)
class Limits:
    """The time limits of member development, each with its source."""

    min_age_to_apply: int = 18  # years on the day of application; 党章 第一条, 细则 第五条
    talk_within_months: int = 1  # after the application; 细则 第七条
    assessment_every_months: int = 6  # activists are assessed every half year; 细则 第十二条
    activist_min_months: int = 12  # activist → development target; 细则 第十三条
    training_min_days: int = 3  # concentrated training of a target: 3 days …; 细则 第十八条
    training_min_hours: int = 24  # … or 24 学时; 细则 第十八条
    notice_min_working_days: int = 5  # a 公示 lasts at least 5 working days; domain-rules §3
    meeting_after_pre_review_months: int = 1  # 支部大会 normally within a month of the 预审; 细则 第二十一条
    approval_within_months: int = 3  # upper committee approves within 3 months of the 大会; 细则 第二十六条
    approval_special_months: int = 6  # … extendable to 6 in special cases; 细则 第二十六条
    probation_months: int = 12  # from 入党时间 to 转正; 党章 第七条
    extension_min_months: int = 6  # extension of probation, once; 细则 第三十二条
    extension_max_months: int = 12  # 党章 第七条: "不能超过一年"
    conversion_approval_within_months: int = 3  # after the conversion 大会; 细则 第三十三条


LIMITS = Limits()

# The five stages of 细则 第二章 to 第六章 (domain-rules §3).
STAGES = {
    "application": "申请入党",
    "activist": "入党积极分子的确定和培养教育",
    "target": "发展对象的确定和考察",
    "admission": "预备党员的接收",
    "probation": "预备党员的教育考察和转正",
}

# The person's category (vocab.STAGES) → the pipeline stage they are in.
STAGE_OF_CATEGORY = {"applicant": "application", "activist": "activist", "target": "target",
                     "probationary": "probation"}

PIPELINE_CATEGORIES = tuple(STAGE_OF_CATEGORY)


@dataclass(frozen=True)
class Step:
    """One step of the pipeline: the date field that records it and the rules on that date.

    ``after`` is the step whose date it may not precede (the nearest earlier one recorded is used
    when that one is missing); ``min_months``/``max_months`` are gaps from ``gap_from``;
    ``decided_by`` is the meeting kind that takes the decision (the clerk picks that meeting);
    ``optional`` steps (a 公示 where the upper committee does not ask for one, 备案) are not
    required for the next step to be reached.
    """

    field: str
    label: str
    stage: str
    source: str
    after: str | None = None
    gap_from: str | None = None
    min_months: int | None = None
    max_months: int | None = None
    decided_by: str | None = None
    optional: bool = False
    end_field: str | None = None  # a period (公示, training) ends on this field


STEPS: tuple[Step, ...] = (
    Step("applied_on", "递交入党申请书", "application", "细则 第五条、第六条"),
    Step("talked_on", "党组织派人谈话", "application", "细则 第七条：收到入党申请书后一个月内",
         after="applied_on", gap_from="applied_on", max_months=LIMITS.talk_within_months),
    Step("activist_on", "确定为入党积极分子", "activist", "细则 第八条、第九条：支委会研究决定",
         after="talked_on", decided_by="committee"),
    Step("activist_filed_on", "入党积极分子报上级党委备案", "activist", "细则 第九条", after="activist_on",
         optional=True),
    Step("target_on", "确定为发展对象", "target", "细则 第十三条：经过一年以上培养教育和考察",
         after="activist_filed_on", gap_from="activist_on", min_months=LIMITS.activist_min_months,
         decided_by="committee"),
    Step("target_filed_on", "发展对象报上级党委备案", "target", "细则 第十四条", after="target_on", optional=True),
    Step("notice_start_on", "发展对象公示", "target", "domain-rules §3：公示不少于 5 个工作日", after="target_on",
         optional=True, end_field="notice_end_on"),
    Step("political_review_on", "政治审查", "target", "细则 第十五条至第十七条：形成结论性材料",
         after="target_on"),
    Step("training_start_on", "集中培训", "target", "细则 第十八条：不少于三天（或不少于 24 个学时）",
         after="target_on", end_field="training_end_on"),
    Step("committee_review_on", "支部委员会审查", "admission", "细则 第十九条", after="training_end_on",
         decided_by="committee"),
    Step("pre_review_on", "上级党委预审", "admission", "细则 第二十条", after="committee_review_on"),
    Step("admission_notice_start_on", "拟接收预备党员公示", "admission", "domain-rules §3：公示不少于 5 个工作日",
         after="pre_review_on", optional=True, end_field="admission_notice_end_on"),
    Step("volunteer_form_on", "填写入党志愿书", "admission", "细则 第二十一条", after="pre_review_on"),
    Step("joined_on", "支部大会讨论接收预备党员", "admission",
         "细则 第二十一条、第二十二条：预审后一般在一个月内召开支部大会；通过之日为入党时间",
         after="volunteer_form_on", gap_from="pre_review_on", max_months=LIMITS.meeting_after_pre_review_months,
         decided_by="general_assembly"),
    Step("upper_talk_on", "上级党委派人谈话", "admission", "细则 第二十五条", after="joined_on"),
    Step("approved_on", "上级党委审批", "admission", "细则 第二十六条：三个月内审批，特殊情况可延长至六个月",
         after="upper_talk_on", gap_from="joined_on", max_months=LIMITS.approval_within_months),
    Step("admission_filed_on", "报再上一级党委备案", "admission", "细则 第二十七条", after="approved_on",
         optional=True),
    Step("oath_on", "入党宣誓", "probation", "细则 第二十九条", after="approved_on"),
    Step("conversion_applied_on", "提出转正申请", "probation", "细则 第三十一条：预备期满时", after="oath_on"),
    Step("conversion_notice_start_on", "预备党员转正公示", "probation", "domain-rules §3：公示不少于 5 个工作日",
         after="conversion_applied_on", optional=True, end_field="conversion_notice_end_on"),
    Step("conversion_meeting_on", "支部大会讨论转正", "probation",
         "党章 第七条、细则 第三十一条：预备期满（一年，另加延长的时间）时讨论", after="conversion_applied_on",
         decided_by="general_assembly"),
    Step("conversion_approved_on", "上级党委审批转正", "probation", "细则 第三十三条：三个月内审批",
         after="conversion_meeting_on", gap_from="conversion_meeting_on",
         max_months=LIMITS.conversion_approval_within_months),
    Step("archived_on", "入党材料归档", "probation", "细则 第三十五条", after="conversion_approved_on",
         optional=True),
)
STEP_BY_FIELD = {step.field: step for step in STEPS}
STEP_FIELDS = tuple(step.field for step in STEPS)

# The probation's extension is recorded by a 支部大会 decision outside the main line of steps.
EXTENSION = Step("extension_decided_on", "支部大会讨论延长预备期", "probation",
                 "党章 第七条、细则 第三十二条：延长一次，时间不少于半年、最长不超过一年", after="joined_on",
                 decided_by="general_assembly", optional=True)

# Every date the rules look at, with its Chinese name as the messages say it.
DATE_LABELS = {step.field: f"{step.label}时间" for step in (*STEPS, EXTENSION)} | {
    "applied_on": "申请入党时间",
    "talked_on": "谈话时间",
    "activist_on": "确定为入党积极分子时间",
    "target_on": "确定为发展对象时间",
    "joined_on": "入党时间",
    "approved_on": "上级党委审批时间",
    "converted_on": "转正时间",
    "notice_start_on": "发展对象公示开始时间",
    "notice_end_on": "发展对象公示结束时间",
    "admission_notice_start_on": "拟接收预备党员公示开始时间",
    "admission_notice_end_on": "拟接收预备党员公示结束时间",
    "conversion_notice_start_on": "转正公示开始时间",
    "conversion_notice_end_on": "转正公示结束时间",
    "training_start_on": "集中培训开始时间",
    "training_end_on": "集中培训结束时间",
    "birth_date": "出生日期",
}


# --- working days -------------------------------------------------------------------------------

@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days: Monday to Friday, less the public holidays, plus the 调休
    workdays (a Saturday or Sunday worked in exchange). The clerk keeps both lists in 设置."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def working_days(self, start: date, end: date) -> int:
        """Working days from ``start`` to ``end``, both counted."""
        return sum(1 for n in range((end - start).days + 1) if self.is_working_day(start + timedelta(n)))

    def notice_end(self, start: date, days: int | None = None) -> date:
        """The last day of a 公示 that begins on ``start`` and lasts ``days`` working days."""
        days = days or LIMITS.notice_min_working_days
        day, counted = start, 0
        while True:
            if self.is_working_day(day):
                counted += 1
                if counted == days:
                    return day
            day += timedelta(1)


# --- the rules ----------------------------------------------------------------------------------

def _date(values: Mapping, name: str) -> date | None:
    value = values.get(name)
    return value if isinstance(value, date) else None


def _int(values: Mapping, name: str) -> int | None:
    value = values.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _label(name: str) -> str:
    return DATE_LABELS.get(name, name)


def _previous(values: Mapping, step: Step) -> tuple[str, date] | None:
    """The nearest earlier recorded date this step may not precede (following ``after`` back)."""
    name = step.after
    while name:
        day = _date(values, name)
        if day:
            return name, day
        prior = STEP_BY_FIELD.get(name) or next((s for s in STEPS if s.end_field == name), None)
        if prior is not None and prior.field != name:  # an end field: its step's start comes next
            name = prior.field
            continue
        name = prior.after if prior else None
    return None


def probation_end(values: Mapping) -> date | None:
    """The day probation ends: a year from 入党时间 plus any extension (党章 第七条)."""
    joined = _date(values, "joined_on")
    if joined is None:
        return None
    return add_months(joined, LIMITS.probation_months + (_int(values, "extension_months") or 0))


def check_application_age(birth_date: date | None, applied_on: date | None) -> list[Problem]:
    """At least 18 on the day of application (党章 第一条; 细则 第五条). Turning 18 that day is enough."""
    if birth_date is None or applied_on is None or applied_on < birth_date:
        return []  # the order rule reports an application before birth
    age = age_on(birth_date, applied_on)
    if age >= LIMITS.min_age_to_apply:
        return []
    return [Problem("applied_on", f"申请入党时间 {applied_on.isoformat()} 时未满 {LIMITS.min_age_to_apply} 周岁"
                                  f"（出生日期 {birth_date.isoformat()}，当时 {age} 周岁）。年满 "
                                  f"{LIMITS.min_age_to_apply} 周岁方可申请入党，请核对申请入党时间和出生日期。")]


def check_probation(joined_on: date, converted_on: date, extension_months: int | None) -> list[Problem]:
    """Conversion no earlier than probation's end: one year from 入党时间 plus any extension.

    Source: 党章 第七条 (probation one year from the 支部大会; may be extended, never shortened).
    """
    months = LIMITS.probation_months + (extension_months or 0)
    ends = add_months(joined_on, months)
    if converted_on >= ends:
        return []
    extra = f"（含延长的 {extension_months} 个月）" if extension_months else ""
    return [Problem("converted_on", f"转正时间 {converted_on.isoformat()} 早于预备期满之日 {ends.isoformat()}"
                                    f"（入党时间 {joined_on.isoformat()} 起 {months} 个月{extra}）。"
                                    "预备期从支部大会通过之日起算，满一年方可转正，请核对转正时间。")]


def _gap_problems(values: Mapping, step: Step, day: date) -> list[Problem]:
    if not step.gap_from:
        return []
    start = _date(values, step.gap_from)
    if start is None or day < start:
        return []
    name, since = step.label, _label(step.gap_from).removesuffix("时间")
    if step.min_months is not None:
        earliest = add_months(start, step.min_months)
        if day < earliest:
            return [Problem(step.field, f"{name}距{since}不足{_months(step.min_months)}（{start.isoformat()} 至 "
                                        f"{day.isoformat()}，最早 {earliest.isoformat()}）。依据：{step.source}。"
                                        "请核对这两个日期。")]
    if step.max_months is not None:
        latest = add_months(start, step.max_months)
        if day > latest:
            return [Problem(step.field, f"{name}距{since}超过{_months(step.max_months)}（{start.isoformat()} 至 "
                                        f"{day.isoformat()}，最迟 {latest.isoformat()}）。依据：{step.source}。"
                                        "请核对这两个日期。")]
    return []


def _months(months: int) -> str:
    return "一年" if months == 12 else ("一个月" if months == 1 else f"{months}个月")


def _period_problems(values: Mapping, step: Step, start: date, calendar: WorkCalendar) -> list[Problem]:
    """A 公示 of at least 5 working days; a training of at least 3 days or 24 学时."""
    end = _date(values, step.end_field)
    if end is None:
        return []
    if end < start:
        return [Problem(step.end_field, f"{_label(step.end_field)} {end.isoformat()} 早于{_label(step.field)} "
                                        f"{start.isoformat()}，请核对。")]
    if step.field == "training_start_on":
        days, hours = (end - start).days + 1, _int(values, "training_hours")
        if days >= LIMITS.training_min_days or (hours or 0) >= LIMITS.training_min_hours:
            return []
        return [Problem("training_end_on", f"集中培训只有 {days} 天（{start.isoformat()} 至 {end.isoformat()}）"
                                           f"{f'、{hours} 学时' if hours else ''}，不足 {LIMITS.training_min_days} 天"
                                           f"或 {LIMITS.training_min_hours} 学时。依据：{step.source}。"
                                           "请核对培训日期和学时。")]
    days = calendar.working_days(start, end)
    if days >= LIMITS.notice_min_working_days:
        return []
    return [Problem(step.end_field, f"{step.label}只有 {days} 个工作日（{start.isoformat()} 至 {end.isoformat()}），"
                                    f"不足 {LIMITS.notice_min_working_days} 个工作日，最早应到 "
                                    f"{calendar.notice_end(start).isoformat()} 结束。请核对公示日期"
                                    "（节假日和调休在“设置”中维护）。")]


def assessment_due(activist_on: date, count: int) -> date:
    """The day by which an activist's ``count``-th six-monthly assessment is due: counted from the
    activist decision (a fixed schedule, so month-end clamping does not drift from one to the next)."""
    return add_months(activist_on, LIMITS.assessment_every_months * count)


def _assessment_problems(values: Mapping, assessments: Iterable[date], today: date) -> list[Problem]:
    """Every six months of an activist's training has an assessment (细则 第十二条)."""
    activist_on = _date(values, "activist_on")
    if activist_on is None:
        return []
    end = _date(values, "target_on") or today
    done = sorted(d for d in assessments if activist_on < d <= end)
    count = 1
    while (due := assessment_due(activist_on, count)) < end:
        if sum(1 for d in done if d <= due) < count:
            later = next((d for d in done if d > due), None)
            found = f"下一次考察在 {later.isoformat()}" if later else f"直到 {end.isoformat()} 都没有考察"
            return [Problem("assessments", f"入党积极分子每半年考察一次：第 {count} 次考察应在 {due.isoformat()} 前"
                                           f"（确定为入党积极分子 {activist_on.isoformat()} 起每 6 个月），{found}。"
                                           "依据：细则 第十二条。请登记半年考察。")]
        count += 1
    return []


def check(values: Mapping, today: date, calendar: WorkCalendar | None = None,
          assessments: Iterable[date] | None = None) -> list[Problem]:
    """Every development rule broken by one person's dates (``values``: the development fields,
    ``joined_on`` and ``converted_on`` of the person). ``assessments`` is checked only when given:
    the roster import and the card know none."""
    calendar = calendar or WorkCalendar()
    problems = []
    for step in (*STEPS, EXTENSION):
        day = _date(values, step.field)
        if day is None:
            continue
        if day > today:
            problems.append(Problem(step.field, f"{_label(step.field)} {day.isoformat()} 晚于今天（{today.isoformat()}），"
                                                "请改正。"))
            continue
        previous = _previous(values, step)
        if previous and day < previous[1]:
            problems.append(Problem(step.field, f"{_label(step.field)} {day.isoformat()} 早于{_label(previous[0])} "
                                                f"{previous[1].isoformat()}，{step.label}应在其后，请核对这两个日期。"))
            continue
        problems += _gap_problems(values, step, day)
        if step.end_field:
            problems += _period_problems(values, step, day, calendar)
    problems += _probation_problems(values)
    if assessments is not None:
        problems += _assessment_problems(values, assessments, today)
    return problems


def _probation_problems(values: Mapping) -> list[Problem]:
    problems = []
    extension = _int(values, "extension_months")
    if extension and not LIMITS.extension_min_months <= extension <= LIMITS.extension_max_months:
        problems.append(Problem("extension_months", f"延长预备期 {extension} 个月不在 {LIMITS.extension_min_months}–"
                                                    f"{LIMITS.extension_max_months} 个月之间（只能延长一次，不少于半年、"
                                                    "最长不超过一年），请改正。"))
    joined, decided = _date(values, "joined_on"), _date(values, "extension_decided_on")
    if joined and decided and decided > add_months(joined, LIMITS.probation_months):
        problems.append(Problem("extension_decided_on", f"延长预备期的决定 {decided.isoformat()} 晚于原定预备期满之日 "
                                                        f"{add_months(joined, LIMITS.probation_months).isoformat()}，"
                                                        "应在预备期满时讨论，请核对。"))
    ends, meeting = probation_end(values), _date(values, "conversion_meeting_on")
    if ends and meeting and meeting < ends:
        problems.append(Problem("conversion_meeting_on", f"支部大会讨论转正 {meeting.isoformat()} 早于预备期满之日 "
                                                         f"{ends.isoformat()}（入党时间起 {LIMITS.probation_months} 个月"
                                                         f"{'另加延长的 ' + str(extension) + ' 个月' if extension else ''}）"
                                                         "，请核对。"))
    return problems


# --- where a person stands ----------------------------------------------------------------------

@dataclass(frozen=True)
class Pipeline:
    """Where one person stands: the last step done, the next step with its window, what is wrong."""

    stage: str  # a key of STAGES
    last_step: Step | None
    last_on: date | None
    next_step: Step | None  # None: nothing more to do (converted, or left the pipeline)
    earliest: date | None  # the next step may not be done before this day
    latest: date | None  # … and is due by this day (None: no time limit)
    problems: list[Problem] = field(default_factory=list)

    @property
    def next_label(self) -> str:
        return self.next_step.label if self.next_step else ""


def _window(values: Mapping, step: Step, assessments: list[date]) -> tuple[date | None, date | None, Step]:
    previous = _previous(values, step)
    earliest = previous[1] if previous else None
    latest = None
    start = _date(values, step.gap_from) if step.gap_from else None
    if start and step.min_months is not None:
        earliest = max(filter(None, (earliest, add_months(start, step.min_months))))
    if start and step.max_months is not None:
        latest = add_months(start, step.max_months)
    ends = probation_end(values)
    if step.field == "conversion_applied_on" and ends:
        latest = ends
    if step.field == "conversion_meeting_on" and ends:
        earliest = max(filter(None, (earliest, ends)))
    if step.field == "target_on":  # an activist waiting for the year is still assessed every 6 months
        activist_on = _date(values, "activist_on")
        if activist_on:
            due = assessment_due(activist_on, sum(1 for d in assessments if d > activist_on) + 1)
            if earliest is None or due < earliest:
                return None, due, ASSESSMENT
            latest = due  # not a target by then: the next assessment is due
    return earliest, latest, step


# The six-monthly assessment shown as an activist's next step while the year is not over.
ASSESSMENT = Step("assessments", "半年考察", "activist", "细则 第十二条：每半年考察一次", after="activist_on")


def pipeline(values: Mapping, category: str, today: date, calendar: WorkCalendar | None = None,
             assessments: Iterable[date] = (), birth_date: date | None = None, left: bool = False) -> Pipeline:
    """Where one person stands in the pipeline. ``category`` is the person's 人员类别 (vocab.STAGES);
    ``left``: the person left the pipeline (终止培养, 取消预备党员资格)."""
    assessments = sorted(assessments)
    problems = check(values, today, calendar, assessments) + check_application_age(
        birth_date, _date(values, "applied_on"))
    stage = STAGE_OF_CATEGORY.get(category, "probation")
    done = [step for step in STEPS if _date(values, step.field)]
    last = done[-1] if done else None
    if left or category == "full" or _date(values, "converted_on"):
        return Pipeline(stage, last, _date(values, last.field) if last else None, None, None, None, problems)
    after = STEPS.index(last) + 1 if last else 0
    following = [step for step in STEPS[after:] if not step.optional]
    next_step = following[0] if following else None
    if next_step is None:
        return Pipeline(stage, last, _date(values, last.field) if last else None, None, None, None, problems)
    earliest, latest, shown = _window(values, next_step, assessments)
    return Pipeline(stage, last, _date(values, last.field) if last else None, shown, earliest, latest, problems)


def attention(status: Pipeline, today: date, soon_days: int = 30) -> str:
    """"overdue" (the next step's deadline has passed), "soon" (due within ``soon_days``) or ""."""
    if status.latest is None or status.latest > today + timedelta(soon_days):
        return ""
    return "overdue" if status.latest < today else "soon"
