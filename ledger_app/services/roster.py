"""The 党员 page's roster: search, filter and sort in SQL, then fetch display rows a page at a time.

A 10,000-member roster must answer each keystroke in a few milliseconds, so nothing here loads
every row into Python. ``matching_ids`` runs one query that returns only the ids of the matching
members in display order; ``rows_for`` turns a screenful of those ids into display-ready
``RosterRow``s with one ``id IN (...)`` query. The GUI's table model keeps the id list and asks
for rows the first time they are painted (the approach of Anki's browser table).

Search (``RosterQuery.text``) matches any of:
- the name containing the text (张, 张建);
- the pinyin initials (``Person.name_initials``, kept by ``Person.save`` and the bulk writers):
  one letter matches the start of the initials (``z`` finds the 张 and 赵 surnames), two or more
  letters anywhere in them (``zjg`` finds 张建国, ``jg`` finds him by his given name);
- the ID number containing the text (``110105`` by area code, ``1260`` by the last digits).
The typed text is normalised first: spaces dropped, full-width letters and digits made
half-width, ``x`` made ``X`` for the ID number, letters lower-cased for the initials.

Only members (正式 and 预备 党员) are on this roster; applicants, activists and development
targets belong to the development page. Nothing here writes.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date

from peewee import JOIN, Case, fn

from .. import vocab
from ..models import PartyGroup, Person, database
from ..rules import id_number
from ..rules.dates import age_on
from ..rules.standing import standing_years

UNGROUPED = 0  # RosterQuery.group_id for members in no 党小组 (real ids start at 1)
STAGE_SHORT = {"full": "正式", "probationary": "预备"}  # the roster's 类别 column uses the short words
MAX_IDS_PER_QUERY = 500  # keeps ``id IN (...)`` far below SQLite's limit on bound parameters


@dataclass(frozen=True)
class RosterQuery:
    """What the clerk asked for: search text, filters, and the sort column.

    ``group_id``: None for every group, ``UNGROUPED`` for members in none, else a group's id.
    ``stage``: None for both, "full" or "probationary". ``state``: a ``vocab.MEMBERSHIP_STATES``
    code, None for every state; the default is the members on the roll (在册). ``mobile``: None
    for everyone, True for 流动党员 only, False for the others. ``sort_key``: one of ``SORT_KEYS``.
    """

    text: str = ""
    group_id: int | None = None
    stage: str | None = None
    state: str | None = "active"
    mobile: bool | None = None
    sort_key: str = "name"
    descending: bool = False


@dataclass(frozen=True)
class RosterRow:
    """One member as the roster table shows it: labels and dates, no codes, no peewee object."""

    id: int
    name: str
    sex: str  # 男 / 女, "" when unknown
    birth_date: date | None
    age: int | None
    id_number: str  # in full: this is the clerk's own screen ("" when not recorded)
    group: str  # 党小组 name, "" when none
    stage: str  # 正式 / 预备
    state: str  # 在册, 转出 …
    joined_on: date | None
    converted_on: date | None
    standing_years: int | None  # 党龄, None before conversion
    phone: str
    is_mobile: bool


def _group_order():
    """Groups in the clerk's order (sort_order, then name); members in no group after every group."""
    return [PartyGroup.id.is_null(), PartyGroup.sort_order, PartyGroup.name]


# The columns a roster can be sorted by: each key is a list of (expression, reversed) pairs, the
# name order (pinyin initials) breaks ties, and the id makes the order total and stable.
# 年龄 and 党龄 sort by the date they count from, reversed: the youngest member has the latest birth date.
SORT_KEYS: dict[str, list[tuple]] = {
    "name": [],
    "sex": [(Person.sex, False)],
    "birth_date": [(Person.birth_date, False)],
    "age": [(Person.birth_date, True)],
    "id_number": [(Person.id_number, False)],
    "group": [(expression, False) for expression in _group_order()],
    "stage": [(Case(None, [(Person.stage == "full", 0)], 1), False)],
    "state": [(Case(Person.membership_state, [(code, n) for n, code in enumerate(vocab.MEMBERSHIP_STATES)], 99),
               False)],
    "joined_on": [(Person.joined_on, False)],
    "converted_on": [(Person.converted_on, False)],
    "standing": [(Person.converted_on, True)],
    "phone": [(fn.NULLIF(Person.phone, ""), False)],
    "mobile": [(Person.is_mobile, True)],
}
_NAME_ORDER = [(Person.name_initials, False), (Person.name, False)]


def normalise_search(text: str) -> str:
    """The typed text as searched: NFKC (full-width → half-width), spaces dropped."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _search_condition(text: str):
    """The WHERE clause for the search box (see the module docstring); None for empty text."""
    text = normalise_search(text)
    if not text:
        return None
    condition = Person.name.contains(text)
    letters = text.lower()
    if letters.isascii() and letters.isalpha():
        initials = Person.name_initials.startswith(letters) if len(letters) == 1 else Person.name_initials.contains(letters)
        condition |= initials
    number = id_number.normalise(text)
    if number.isascii() and number.replace("X", "").isdigit():
        condition |= Person.id_number.contains(number)
    return condition


def _order_by(query: RosterQuery) -> list:
    """ORDER BY terms for the query's sort key; empty values (no date, no phone) last either way."""
    if query.sort_key not in SORT_KEYS:
        raise ValueError(f"unknown roster sort key {query.sort_key!r}")
    terms = []
    for expression, reverse in SORT_KEYS[query.sort_key] + _NAME_ORDER:
        descending = reverse != query.descending
        terms.append(expression.desc(nulls="LAST") if descending else expression.asc(nulls="LAST"))
    terms.append(Person.id.desc() if query.descending else Person.id.asc())
    return terms


def matching_ids(query: RosterQuery) -> list[int]:
    """The ids of the members matching ``query``, in display order: one SQL query, ids only."""
    select = (Person.select(Person.id)
              .join(PartyGroup, JOIN.LEFT_OUTER, on=(Person.group == PartyGroup.id))
              .where(Person.stage.in_(vocab.MEMBER_STAGES)))
    search = _search_condition(query.text)
    if search is not None:
        select = select.where(search)
    if query.group_id == UNGROUPED:
        select = select.where(Person.group.is_null())
    elif query.group_id is not None:
        select = select.where(Person.group == query.group_id)
    if query.stage is not None:
        select = select.where(Person.stage == query.stage)
    if query.state is not None:
        select = select.where(Person.membership_state == query.state)
    if query.mobile is not None:
        select = select.where(Person.is_mobile == query.mobile)
    # The cursor directly: peewee's row wrapping would double the time for 10,000 ids.
    cursor = database.execute(select.order_by(*_order_by(query)))
    return [row[0] for row in cursor]


def rows_for(ids: list[int], today: date | None = None) -> list[RosterRow]:
    """Display rows for ``ids``, in the order of ``ids`` (ids not found are left out).

    Meant for a screenful (about a hundred) at a time; longer lists are read in slices.
    """
    today = today or date.today()
    found: dict[int, RosterRow] = {}
    for start in range(0, len(ids), MAX_IDS_PER_QUERY):
        chunk = ids[start:start + MAX_IDS_PER_QUERY]
        select = (Person.select(Person.id, Person.name, Person.sex, Person.birth_date, Person.id_number,
                                PartyGroup.name, Person.stage, Person.membership_state, Person.joined_on,
                                Person.converted_on, Person.phone, Person.is_mobile)
                  .join(PartyGroup, JOIN.LEFT_OUTER, on=(Person.group == PartyGroup.id))
                  .where(Person.id.in_(chunk)))
        for (pid, name, sex, birth, number, group, stage, state, joined, converted, phone,
             mobile) in select.tuples():
            found[pid] = RosterRow(
                id=pid, name=name, sex=vocab.SEXES.get(sex, ""), birth_date=birth,
                age=age_on(birth, today) if birth else None, id_number=number or "", group=group or "",
                stage=STAGE_SHORT.get(stage, vocab.STAGES.get(stage, stage)),
                state=vocab.MEMBERSHIP_STATES.get(state, state), joined_on=joined, converted_on=converted,
                standing_years=standing_years(converted, today), phone=phone, is_mobile=bool(mobile),
            )
    return [found[pid] for pid in ids if pid in found]


def group_choices() -> list[tuple[int, str]]:
    """The 党小组 for the filter, as (id, name), in the clerk's order."""
    select = PartyGroup.select(PartyGroup.id, PartyGroup.name).order_by(PartyGroup.sort_order, PartyGroup.name)
    return list(select.tuples())
