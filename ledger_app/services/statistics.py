"""The year-end statistics (党内统计): the branch's figures as of 31 December, table by table.

Every figure is traceable: each ``Cell`` carries the ids it counted — people for the roster, the
year's changes, 民主评议 and dues, meetings for the meeting table — so the page lists them on a
click and a test can check any figure against the people behind it. For a person cell the figure
is always the number of ids.

The counting rules are in ``rules.statistics``; who was in the branch on a day is
``rules.meetings.in_branch_on`` (through ``services.meetings.member_facts``); meetings required
against held are ``services.compliance``; dues collected are ``services.dues.year_grid``. Nothing is
counted twice in two ways. 民主评议 grades are read from the ``appraisal`` table directly (the
appraisal screens' services are not needed to count them).

The occupation categories of people the ledger knows only by free text are confirmed here too:
``unconfirmed_occupations`` lists them with a suggestion, ``set_occupation_categories`` writes the
clerk's choices (one audited update per person, one transaction).
"""

from dataclasses import dataclass, field
from datetime import date

from peewee import JOIN, fn

from .. import vocab
from ..errors import ValidationError
from ..models import Appraisal, Attendance, Meeting, PartyGroup, Person, Talk, Transfer, database
from ..money import format_yuan
from ..rules import statistics as rules
from ..rules.meetings import FREQUENCIES
from . import audit, write

UNCONFIRMED = "未确认"
TOTAL = "合计"
# Ways of leaving the Party counted in the year's changes, by the state and its date (转出 is counted
# from the transfers instead).
LEAVING_STATES = ("deceased", "suspended", "expelled", "disqualified")
NOT_GRADED = "未评定"


@dataclass(frozen=True)
class Cell:
    """One figure as printed, the number behind it, and what it counted (ids of ``kind``)."""

    text: str
    value: int | None = None  # the count (or fen for money); None for a label
    ids: tuple[int, ...] = ()
    kind: str = ""  # person | meeting | "" (a label or a ratio)
    money: bool = False  # value is fen

    def to_json(self) -> dict:
        data: dict = {"text": self.text}
        if self.value is not None:
            data["value_fen" if self.money else "value"] = self.value
        if self.kind:
            data[f"{self.kind}_ids"] = list(self.ids)
        return data


def _label(text: str) -> Cell:
    return Cell(text)


def _people(ids) -> Cell:
    ids = tuple(sorted(set(ids)))
    return Cell(str(len(ids)), len(ids), ids, "person")


def _share(count: int, total: int) -> Cell:
    return Cell(f"{100 * count / total:.1f}%" if total else "—")


@dataclass(frozen=True)
class StatTable:
    """One table of the statistics: a title, the column headers and rows of cells (label first)."""

    key: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""

    def row(self, label: str) -> tuple[Cell, ...]:
        for row in self.rows:
            if row[0].text == label:
                return row
        raise KeyError(f"{self.title}中没有“{label}”一行")

    def cell(self, label: str, column: int = 1) -> Cell:
        return self.row(label)[column]

    def value(self, label: str, column: int = 1) -> int:
        return self.cell(label, column).value or 0

    def to_json(self) -> dict:
        return {"key": self.key, "title": self.title, "headers": list(self.headers), "note": self.note,
                "rows": [[c.to_json() for c in row] for row in self.rows]}


@dataclass(frozen=True)
class YearStatistics:
    """The year's tables, in the order the report prints them."""

    year: int
    as_of: date
    branch_name: str
    tables: tuple[StatTable, ...] = field(default_factory=tuple)

    def table(self, key: str) -> StatTable:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    def to_json(self) -> dict:
        return {"year": self.year, "as_of": self.as_of.isoformat(), "branch": self.branch_name,
                "tables": [t.to_json() for t in self.tables]}


@dataclass(frozen=True)
class _Person:
    """The fields the roster tables count, beside the person's ``MemberFacts``."""

    facts: object  # rules.meetings.MemberFacts
    sex: str | None
    ethnicity: str
    education: str
    birth_date: date | None
    occupation_category: str | None
    state: str
    state_changed_on: date | None

    @property
    def id(self) -> int:
        return self.facts.person_id


def _load_people() -> list[_Person]:
    from .meetings import member_facts

    facts = member_facts()
    day = date.fromisoformat
    # Plain SQL: peewee's per-value conversion costs more than the counting for 5,000 members.
    details = {pid: (sex, ethnicity, education, birth and day(birth), occupation, state, changed and day(changed))
               for pid, sex, ethnicity, education, birth, occupation, state, changed in database.execute_sql(
                   "SELECT id, sex, ethnicity, education, birth_date, occupation_category, membership_state, "
                   "state_changed_on FROM person WHERE stage IN ('probationary', 'full')")}
    return [_Person(f, *details[f.person_id]) for f in facts if f.person_id in details]


def _category_table(key: str, title: str, people: list[_Person], labels: list[str], group, total: int,
                    extra: list[tuple[str, list[int]]] = (), note: str = "") -> StatTable:
    """类别 · 人数 · 占比, one row per label in order; ``group(person)`` gives the person's label."""
    found: dict[str, list[int]] = {label: [] for label in labels}
    for person in people:
        found.setdefault(group(person), []).append(person.id)
    rows = [(_label(label), _people(ids), _share(len(ids), total)) for label, ids in found.items()
            if ids or label in labels]
    rows += [(_label(label), _people(ids), _share(len(ids), total)) for label, ids in extra]
    return StatTable(key, title, ("类别", "人数", "占全体党员"), tuple(rows), note)


def _roster_tables(roster: list[_Person], day: date) -> list[StatTable]:
    total = len(roster)
    full = [p.id for p in roster if rules.full_at_end(p.facts, day)]
    full_set = set(full)
    women = [p.id for p in roster if p.sex == "female"]
    minority = [p.id for p in roster if rules.ethnicity_group(p.ethnicity) == "少数民族"]
    college = [p.id for p in roster if rules.college_or_above(p.education)]
    mobile = [p.id for p in roster if p.facts.is_mobile]
    young = [p.id for p in roster if p.birth_date and rules.age_band(p.birth_date, day) in
             (rules.AGE_BANDS[0][0], rules.AGE_BANDS[1][0])]
    overview = [("党员总数", [p.id for p in roster]), ("正式党员", full),
                ("预备党员", [p.id for p in roster if p.id not in full_set]), ("女党员", women),
                ("少数民族党员", minority), ("大专及以上学历", college), ("35岁及以下", young), ("流动党员", mobile)]
    tables = [StatTable("overview", "党员基本情况", ("项目", "人数", "占全体党员"),
                        tuple((_label(label), _people(ids), _share(len(ids), total)) for label, ids in overview),
                        "流动党员按当前登记的流动情况统计。")]
    tables.append(_category_table("sex", "性别", roster, [*vocab.SEXES.values(), rules.UNKNOWN],
                                  lambda p: vocab.SEXES.get(p.sex, rules.UNKNOWN), total))
    tables.append(_category_table("ethnicity", "民族", roster, [rules.HAN, "少数民族", rules.UNKNOWN],
                                  lambda p: rules.ethnicity_group(p.ethnicity), total))
    tables.append(_category_table("education", "学历", roster, [*vocab.EDUCATIONS, rules.UNKNOWN],
                                  lambda p: rules.education_group(p.education), total,
                                  extra=[(rules.COLLEGE_LABEL, college)]))
    tables.append(_category_table("age", "年龄（截至12月31日）", roster,
                                  [label for label, _ in rules.AGE_BANDS] + [rules.UNKNOWN],
                                  lambda p: rules.age_band(p.birth_date, day), total))
    tables.append(_category_table("joined", "入党时间", roster,
                                  [label for label, _ in rules.JOINED_BANDS] + [rules.UNKNOWN],
                                  lambda p: rules.joined_band(p.facts.joined_on), total))
    tables.append(_category_table("occupation", "职业", roster, [*vocab.OCCUPATION_CATEGORIES.values(), UNCONFIRMED],
                                  lambda p: vocab.OCCUPATION_CATEGORIES.get(p.occupation_category, UNCONFIRMED),
                                  total, note="“未确认”的党员请在“确认职业类别”中确认后再上报。"))
    return tables


def _changes_table(people: list[_Person], year: int) -> StatTable:
    start, end = date(year, 1, 1), rules.year_end(year)
    moved: dict[str, list[int]] = {"in": [], "out": []}
    for person_id, direction in (Transfer.select(Transfer.person, Transfer.direction)
                                 .where(Transfer.transferred_on.between(start, end)).tuples()):
        moved[direction].append(person_id)
    left = {state: [p.id for p in people if p.state == state and p.state_changed_on
                    and p.state_changed_on.year == year] for state in LEAVING_STATES}
    rows = [("发展党员（接收预备党员）", [p.id for p in people if rules.developed_in(p.facts, year)]),
            ("预备党员转正", [p.id for p in people if rules.converted_in(p.facts, year)]),
            ("组织关系转入", moved["in"]), ("组织关系转出", moved["out"]),
            *((vocab.MEMBERSHIP_STATES[state], left[state]) for state in LEAVING_STATES)]
    return StatTable("changes", f"{year}年党员变动情况", ("项目", "人数"),
                     tuple((_label(label), _people(ids)) for label, ids in rows),
                     "转入、转出按介绍信日期统计；同一人年内转出又转入的，两项各计一次，年末人数只计一次。")


def _appraisal_table(roster: list[_Person], year: int) -> StatTable:
    graded: dict[str, list[int]] = {code: [] for code in vocab.APPRAISAL_GRADES}
    for person_id, grade in Appraisal.select(Appraisal.person, Appraisal.grade).where(Appraisal.year == year).tuples():
        graded.setdefault(grade, []).append(person_id)
    everyone = [i for ids in graded.values() for i in ids]
    counted = set(everyone)
    rows = [(_label("参加评议并评定等次"), _people(everyone), _share(len(everyone), len(everyone)))]
    rows += [(_label(vocab.APPRAISAL_GRADES.get(code, code)), _people(ids), _share(len(ids), len(everyone)))
             for code, ids in graded.items()]
    rows.append((_label(f"{NOT_GRADED}（年末在册）"), _people([p.id for p in roster if p.id not in counted]), _label("")))
    return StatTable("appraisal", f"{year}年民主评议党员结果", ("等次", "人数", "占评定人数"), tuple(rows),
                     "预备党员参加评议但一般不评定等次（按本支部设置）；优秀一般不超过三分之一。")


def _rate(ids, attendance: dict[int, tuple[int, int]]) -> Cell:
    """实到 as a share of 应到 over the meetings ``ids``; the value is 实到 (``ids`` the meetings)."""
    present = sum(attendance.get(i, (0, 0))[0] for i in ids)
    expected = sum(attendance.get(i, (0, 0))[1] for i in ids)
    return Cell(f"{100 * present / expected:.1f}%" if expected else "—", None)


def _meetings_table(year: int, today: date) -> StatTable:
    from .compliance import compliance_report

    report = compliance_report(year, min(today, date(year + 1, 1, 1)))
    held: dict[tuple[str, int | None], list[int]] = {}
    for mid, kind, group in (Meeting.select(Meeting.id, Meeting.kind, Meeting.group)
                             .where(Meeting.held_on.between(date(year, 1, 1), rules.year_end(year)),
                                    Meeting.status == "held").tuples()):
        held.setdefault((kind, group if kind == "group" else None), []).append(mid)
    # 实到 and 应到 per meeting, summed in SQL (a year of a large branch has ~100,000 attendance rows).
    attendance: dict[int, tuple[int, int]] = {
        mid: (present, expected) for mid, present, expected in (
            Attendance.select(Attendance.meeting, fn.SUM(Attendance.status == "present"), fn.COUNT(Attendance.id))
            .join(Meeting).where(Meeting.held_on.between(date(year, 1, 1), rules.year_end(year)),
                                 Meeting.status == "held")
            .group_by(Attendance.meeting).tuples())}
    rows = []
    for item in report.items:
        ids = tuple(held.get((item.kind, item.group_id), ()))
        required = str(item.required) if item.periods else "—"
        rows.append((_label(item.name), _label(FREQUENCIES[item.frequency]), Cell(required, item.required),
                     Cell(str(item.held), item.held, ids, "meeting"), Cell(str(len(ids)), len(ids), ids, "meeting"),
                     _rate(ids, attendance), _label("、".join(item.labels("missed")) or "无")))
    every = tuple(sorted(i for ids in held.values() for i in ids))
    required = sum(row[2].value for row in rows)
    done = sum(row[3].value for row in rows)
    rows.append((_label(TOTAL), _label(""), Cell(str(required), required), Cell(str(done), done, every, "meeting"),
                 Cell(str(len(every)), len(every), every, "meeting"), _rate(every, attendance),
                 _label(f"{sum(len(item.labels('missed')) for item in report.items)} 期")))
    return StatTable("meetings", f"{year}年组织生活开展情况",
                     ("会议类别", "要求", "应开（期）", "已开（期）", "召开次数", "出勤率", "缺开"), tuple(rows),
                     "应开、已开按期间计（每月、每季度或每年一次），党小组会按每个党小组分别计；出勤率为实到人次占应到人次。")


def _dues_table(year: int, today: date) -> StatTable:
    from .dues import year_grid

    grid = year_grid(year, today)
    payers = [r.person_id for r in grid.rows if any(c.status == "paid" for c in r.cells)]
    behind = [r.person_id for r in grid.rows if any(c.status == "unpaid" for c in r.cells)]
    payer_ids = tuple(sorted(set(payers)))
    money = [("按标准交纳", grid.standard_fen), ("自愿多交", grid.extra_fen), ("合计", grid.total_fen)]
    rows = [(_label("交纳党费人数"), _people(payers)), (_label("有未交月份的人数"), _people(behind))]
    rows += [(_label(f"{label}（元）"), Cell(format_yuan(fen), fen, payer_ids, "person", money=True)) for label, fen in money]
    return StatTable("dues", f"{year}年党费收缴情况", ("项目", "数值"), tuple(rows),
                     "金额为本年度各月交纳记录之和；未交月份按截至统计日已到期的月份计。")


def year_statistics(year: int, today: date | None = None) -> YearStatistics:
    """Every table of ``year`` as of its 31 December (the meetings and dues as of ``today`` when the
    year is not over yet)."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1921 <= year <= 9999:
        raise ValidationError(f"年份“{year}”无效，应为四位数字，如 2026。", "year")
    from .branch import get_profile

    today = today or date.today()
    day = rules.year_end(year)
    people = _load_people()
    roster = [p for p in people if rules.on_roll_at_end(p.facts, day)]
    tables = [*_roster_tables(roster, day), _changes_table(people, year), _appraisal_table(roster, year),
              _meetings_table(year, today), _dues_table(year, today)]
    profile = get_profile()
    return YearStatistics(year, day, profile.name if profile else "", tuple(tables))


def talks_held(year: int) -> int:
    """谈心谈话 recorded in ``year`` (the talk log's entries dated in it), for the annual summary."""
    return Talk.select().where(Talk.held_on.between(date(year, 1, 1), rules.year_end(year))).count()


# ---- whom a cell counted ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonLine:
    """A person a figure counted, as the list under a clicked cell shows them."""

    id: int
    name: str
    sex: str
    birth_date: date | None
    joined_on: date | None
    stage: str
    state: str
    group: str


def people_counted(ids) -> list[PersonLine]:
    """The people of ``ids`` in roster order (党小组, pinyin)."""
    ids = list(ids)
    if not ids:
        return []
    query = (Person.select(Person.id, Person.name, Person.sex, Person.birth_date, Person.joined_on, Person.stage,
                           Person.membership_state, PartyGroup.name)
             .join(PartyGroup, on=(Person.group == PartyGroup.id), join_type=JOIN.LEFT_OUTER)
             .where(Person.id.in_(ids))
             .order_by(PartyGroup.id.is_null(), PartyGroup.sort_order, PartyGroup.name, Person.name_initials, Person.id))
    return [PersonLine(pid, name, vocab.SEXES.get(sex, ""), birth, joined, vocab.STAGES.get(stage, stage),
                       vocab.MEMBERSHIP_STATES.get(state, state), group or "")
            for pid, name, sex, birth, joined, stage, state, group in query.tuples()]


@dataclass(frozen=True)
class MeetingLine:
    id: int
    held_on: date
    kind: str
    title: str


def meetings_counted(ids) -> list[MeetingLine]:
    """The meetings of ``ids`` in date order."""
    ids = list(ids)
    if not ids:
        return []
    query = (Meeting.select(Meeting.id, Meeting.held_on, Meeting.kind, Meeting.title)
             .where(Meeting.id.in_(ids)).order_by(Meeting.held_on, Meeting.id).tuples())
    return [MeetingLine(mid, held_on, vocab.MEETING_KINDS.get(kind, kind), title) for mid, held_on, kind, title in query]


# ---- confirming occupation categories -----------------------------------------------------------------------


@dataclass(frozen=True)
class OccupationSuggestion:
    """A member on the roll without a confirmed 党内统计 occupation, and what the free text suggests."""

    person_id: int
    name: str
    occupation: str
    post: str
    suggested: str | None  # a code of vocab.OCCUPATION_CATEGORIES, or None when nothing points to one


def unconfirmed_occupations() -> list[OccupationSuggestion]:
    """Members on the roll whose occupation category is not set, in roster order, with a suggestion."""
    query = (Person.select(Person.id, Person.name, Person.occupation, Person.post, Person.dues_category)
             .join(PartyGroup, on=(Person.group == PartyGroup.id), join_type=JOIN.LEFT_OUTER)
             .where(Person.stage.in_(vocab.MEMBER_STAGES), Person.membership_state == "active",
                    Person.occupation_category.is_null())
             .order_by(PartyGroup.id.is_null(), PartyGroup.sort_order, PartyGroup.name, Person.name_initials, Person.id))
    return [OccupationSuggestion(pid, name, occupation, post, rules.suggest_occupation(occupation, post, dues))
            for pid, name, occupation, post, dues in query.tuples()]


@write
def set_occupation_categories(choices: dict[int, str]) -> int:
    """Set the occupation category of each person in ``choices`` (id → code); how many changed.
    A bad code or an unknown person is refused before anything is written."""
    for code in choices.values():
        if code not in vocab.OCCUPATION_CATEGORIES:
            raise ValidationError(f"职业类别“{code}”无效，应为：{'、'.join(vocab.OCCUPATION_CATEGORIES.values())}。",
                                  "occupation_category")
    people = {p.id: p for p in Person.select().where(Person.id.in_(list(choices)))}
    missing = [i for i in choices if i not in people]
    if missing:
        raise ValidationError(f"找不到编号为 {missing[0]} 的人员，请刷新列表后重试。", "person_id")
    changed = 0
    for person_id, code in choices.items():
        person = people[person_id]
        if person.occupation_category != code:
            audit.update(person, f"{person.name}的职业类别：{vocab.OCCUPATION_CATEGORIES[code]}",
                         occupation_category=code)
            changed += 1
    return changed
