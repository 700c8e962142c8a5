"""``party-ledger verify``: the integrity of the ledger file and the rules over every record.

SQLite's own checks come first (``PRAGMA integrity_check``, run alongside, then ``PRAGMA foreign_key_check``);
when the file is damaged the rule checks are skipped, since what they would read cannot be
trusted. Then every person goes through ``rules.person.check_person`` with their development
dates, and a few checks catch what only a hand-edited file can hold: an enumeration code the
program does not know, a date that is not a date, a negative amount of money, a month outside
1–12, a 党小组会 without its group. The column checks of a table run as one scan of it, so a
ledger of 5,000 members and a million dues rows is checked in seconds.
"""

import sqlite3
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from peewee import AutoField, DatabaseError, DateField, IntegerField

from . import crypto
from .db import current_ledger, readonly_uri
from .errors import DamagedLedgerError
from .models import ALL_MODELS, ActivistAssessment, Branch, Development, Person, database
from .rules import id_number, organisation
from .rules.person import FIELD_LABELS, PersonFacts, check_person

# The Chinese name of each table, for the "where" of a finding.
TABLE_LABELS = {
    "branch": "支部信息",
    "setting": "设置",
    "party_group": "党小组",
    "person": "人员",
    "development": "发展党员记录",
    "activist_assessment": "积极分子考察",
    "development_decision": "发展环节的会议决定",
    "committee_term": "支委会任期",
    "committee_member": "支委会成员",
    "history_event": "党员经历",
    "transfer": "组织关系转接",
    "exclusion": "不计入应到人数",
    "meeting": "会议",
    "meeting_topic": "会议议题",
    "attendance": "出勤记录",
    "observer": "列席人员",
    "speech": "发言记录",
    "vote": "表决",
    "resolution": "决议",
    "make_up_study": "补学记录",
    "appraisal_round": "民主评议轮次",
    "appraisal": "民主评议",
    "talk": "谈心谈话",
    "annual_text": "年度总结文字",
    "dues_base": "党费基数",
    "dues_relief": "党费减免",
    "dues_payment": "党费缴纳记录",
    "audit_entry": "操作记录",
}

# The Chinese names of columns the findings mention, beyond those of the person rules.
COLUMN_LABELS = FIELD_LABELS | {
    "branch_type": "支部类型",
    "stage": "人员类别",
    "membership_state": "党籍状态",
    "dues_category": "党费类别",
    "kind": "类别",
    "status": "状态",
    "direction": "转接方向",
    "scope": "转接范围",
    "category": "类别",
    "absence_reason": "缺席原因",
    "grade": "评议等次",
    "method": "缴纳方式",
    "action": "操作",
    "held_on": "会议日期",
    "paid_on": "缴纳日期",
    "transferred_on": "转接日期",
    "occurred_on": "发生日期",
    "founded_on": "成立日期",
    "state_changed_on": "党籍变动日期",
    "work_started_on": "参加工作时间",
    "amount_fen": "金额",
    "extra_fen": "自愿多交金额",
    "base_fen": "党费基数",
    "override_fen": "手工核定的党费标准",
}


@dataclass(frozen=True)
class Finding:
    """One problem found in the ledger: which record, which field, and what to fix."""

    where: str  # e.g. "人员 #12 张三"
    field: str  # the column at fault (English code), or "" for the file as a whole
    message: str  # Chinese, names the field and says what to fix

    def __str__(self) -> str:
        return f"{self.where}：{self.message}"


# Row checks beyond a column's type, per table: (column, SQL true when the row is wrong, message).
ROW_CHECKS = {
    "dues_payment": [("month", '"month" NOT BETWEEN 1 AND 12', "月份 {value} 无效，应为 1–12，请改正。")],
    "dues_relief": [
        ("start_month", '"start_month" NOT BETWEEN 1 AND 12', "减免起始月份 {value} 无效，应为 1–12，请改正。"),
        ("end_month", '"end_month" NOT BETWEEN 1 AND 12', "减免截止月份 {value} 无效，应为 1–12，请改正。"),
        ("end_month", '"end_month" < "start_month"', "减免截止月份 {value} 早于起始月份，请改正。"),
    ],
    # A 党小组会 belongs to a group: who is 应到 depends on it (domain-rules §2).
    "meeting": [("group_id", "\"kind\" = 'group' AND \"group_id\" IS NULL",
                 "党小组会没有指定党小组，请选择召开会议的党小组。")],
}


def verify_ledger(today: date | None = None) -> list[Finding]:
    """Every problem in the open ledger, file integrity first; [] when there is none.

    ``PRAGMA integrity_check`` runs on a connection of its own in a second thread (SQLite leaves
    Python's lock while it works) while the rule checks run here, and its findings replace theirs
    when the file is damaged: what the rules read from a damaged file cannot be trusted.
    Raises ``DamagedLedgerError`` when the file is too damaged to be read at all.
    """
    today = today or date.today()
    ledger = current_ledger()
    integrity = _IntegrityCheck(Path(database.database), ledger.key if ledger is not None else None)
    findings, failure = [], None
    try:
        names = dict(Person.select(Person.id, Person.name).tuples())
        findings += _foreign_keys(names)
        for model in ALL_MODELS:
            findings += _columns(model, names)
        findings += _people(names, today)
        findings += _duplicate_ids(names)
        findings += _branch(today)
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        failure = exc
    damaged = integrity.findings()
    if damaged:
        return damaged
    if failure is not None:
        raise DamagedLedgerError(f"台账文件已损坏，无法读取（{failure}）。请用 party-ledger restore 从备份恢复。") from failure
    return findings


class _IntegrityCheck:
    """``PRAGMA integrity_check`` of the ledger file, started at once on a thread of its own.

    Its page cache holds the whole file (SQLite takes the memory only as pages are read): the check
    visits each index page once per table, and with the default 2 MB cache it read most of them from
    disk again (3.9 s instead of 2.6 s on the 160 MB demo ledger).
    """

    def __init__(self, path: Path, key: bytes | None = None):
        self._key = key  # an encrypted ledger's (``crypto``)
        self._rows: list[tuple] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(path,), name="integrity-check", daemon=True)
        self._thread.start()

    def _run(self, path: Path) -> None:
        try:
            conn = (crypto.connect(readonly_uri(path), self._key, uri=True) if self._key
                    else sqlite3.connect(readonly_uri(path), uri=True))
            try:
                kib = path.stat().st_size // 1024 + 1024
                conn.execute(f"PRAGMA cache_size = -{kib}")
                self._rows = conn.execute("PRAGMA integrity_check").fetchall()
            finally:
                conn.close()
        except (OSError, *crypto.sql_errors()) as exc:
            self._error = exc

    def findings(self) -> list[Finding]:
        self._thread.join()
        if self._error is not None:
            raise DamagedLedgerError(f"台账文件已损坏，无法读取（{self._error}）。请用 party-ledger restore 从备份恢复。") \
                from self._error
        if self._rows == [("ok",)]:
            return []
        findings = [Finding("台账文件", "", f"完整性检查未通过：{row[0]}") for row in self._rows]
        findings.append(Finding("台账文件", "", "文件已损坏，未再检查各条记录。请用 party-ledger restore 从最近的备份恢复。"))
        return findings


def _sql(query: str, params=()) -> list[tuple]:
    return database.execute_sql(query, params).fetchall()


def _where(table: str, row_id, names: dict[int, str], person_id=None) -> str:
    """"人员 #12 张三", or "党费缴纳记录 #7（张三）" for a row that belongs to a person."""
    if table == "development" and person_id is not None:  # shown on the person's card
        table, row_id = "person", person_id
    label = TABLE_LABELS.get(table, table)
    if table == "person":
        return f"{label} #{row_id} {names.get(row_id, '')}".rstrip()
    if person_id is not None:
        return f"{label} #{row_id}（{names.get(person_id, f'人员 #{person_id}')}）"
    return f"{label} #{row_id}"


def _foreign_keys(names) -> list[Finding]:
    findings = []
    columns: dict[str, dict[int, str]] = {}
    for table, row_id, parent, fk_id in _sql("PRAGMA foreign_key_check"):
        if table not in columns:
            columns[table] = {row[0]: row[3] for row in _sql(f'PRAGMA foreign_key_list("{table}")')}
        column = columns[table].get(fk_id, "")
        value = _sql(f'SELECT "{column}" FROM "{table}" WHERE rowid = ?', (row_id,))[0][0] if column else "?"
        findings.append(Finding(_where(table, row_id, names), column,
                                f"引用的{TABLE_LABELS.get(parent, parent)} #{value} 不存在（字段 {column}），"
                                f"请改为存在的记录，或删除这条记录。"))
    return findings


def _column_checks(model) -> list[tuple[str, str, list, str]]:
    """(column, SQL true when the value is wrong, its parameters, message) for each column of a table.

    What only a file edited outside the program can hold: a date that is not that same date
    (2021-02-30, "abc"), an integer column holding something else, an enumeration code not in
    ``vocab``, a negative amount of money (every ``*_fen`` column), and ``ROW_CHECKS``.
    """
    checks = []
    for field in model._meta.sorted_fields:
        name = field.column_name
        column = f'"{name}"'
        label = COLUMN_LABELS.get(name, name)
        if isinstance(field, DateField):
            checks.append((name, f"{column} IS NOT NULL AND date({column}, '+0 days') IS NOT {column}", [],
                           f"{label}“{{value}}”不是有效日期，请改为 YYYY-MM-DD 格式的日期。"))
        elif isinstance(field, IntegerField) and not isinstance(field, AutoField):
            checks.append((name, f"{column} IS NOT NULL AND typeof({column}) != 'integer'", [],
                           f"{label}“{{value}}”不是整数，请改正。"))
            if name.endswith("_fen"):
                checks.append((name, f"{column} < 0", [], f"{label} {{value}} 分为负数，请改为不小于 0 的金额。"))
        if field.choices:
            codes = [code for code, _ in field.choices]
            allowed = "、".join(label for _, label in field.choices)
            checks.append((name, f"{column} IS NOT NULL AND {column} NOT IN ({', '.join('?' * len(codes))})", codes,
                           f"{label}的取值“{{value}}”无效，应为：{allowed}。"))
    for name, condition, message in ROW_CHECKS.get(model._meta.table_name, []):
        checks.append((name, condition, [], message))
    return checks


def _columns(model, names) -> list[Finding]:
    """All column checks of one table in a single scan: the checks' results come back as columns."""
    checks = _column_checks(model)
    if not checks:
        return []
    table = model._meta.table_name
    person = ', "person_id"' if "person" in model._meta.fields else ", NULL"
    values = ", ".join(f'"{name}"' for name, _, _, _ in checks)
    flags = ", ".join(f"({condition})" for _, condition, _, _ in checks)
    where = " OR ".join(f"({condition})" for _, condition, _, _ in checks)
    params = [param for _, _, group, _ in checks for param in group]
    query = f'SELECT rowid{person}, {values}, {flags} FROM "{table}" WHERE {where}'
    findings = []
    for row in _sql(query, params * 2):
        row_id, person_id = row[0], row[1]
        for index, (name, _, _, message) in enumerate(checks):
            if row[2 + len(checks) + index]:
                findings.append(Finding(_where(table, row_id, names, person_id), name,
                                        message.format(value=row[2 + index])))
    return findings


def _people(names, today) -> list[Finding]:
    """Every person through the person and development rules: three queries in all."""
    from .services.settings import work_calendar

    development = {row["person"]: row for row in Development.select().dicts()}
    assessments = defaultdict(list)
    for person_id, day in ActivistAssessment.select(ActivistAssessment.person, ActivistAssessment.assessed_on).tuples():
        if isinstance(day, date):
            assessments[person_id].append(day)
    calendar = work_calendar()
    findings = []
    for row in Person.select().dicts():
        dev_row = development.get(row["id"])
        facts = PersonFacts.from_mapping(row, dev_row)
        # Assessments matter while someone is in the pipeline; a member's old file is not re-judged.
        in_pipeline = row["stage"] in ("activist", "target") and row["membership_state"] == "active"
        for problem in check_person(facts, today, dev_row, calendar,
                                    assessments.get(row["id"], []) if in_pipeline else None):
            findings.append(Finding(_where("person", row["id"], names), problem.field, problem.message))
    return findings


def _duplicate_ids(names) -> list[Finding]:
    """The same ID number written two ways (a lower-case x, spaces) escapes the unique index."""
    holders = defaultdict(list)
    query = Person.select(Person.id, Person.id_number).where(Person.id_number.is_null(False)).order_by(Person.id)
    for person_id, number in query.tuples():
        normal = id_number.normalise(str(number))
        if normal:
            holders[normal].append(person_id)
    findings = []
    for normal, ids in holders.items():
        first = ids[0]
        for person_id in ids[1:]:
            findings.append(Finding(_where("person", person_id, names), "id_number",
                                    f"身份证号 {normal} 与人员 #{first} {names.get(first, '')} 相同，"
                                    f"同一人不应登记两次，请核对后合并或改正。"))
    return findings


def _branch(today) -> list[Finding]:
    branch = Branch.select().order_by(Branch.id).first()
    if branch is None:
        return [Finding("支部信息", "name", "还没有填写支部基本信息，请在“支部设置”中填写支部名称和类型。")]
    founded = branch.founded_on if isinstance(branch.founded_on, date) else None
    return [Finding("支部信息", problem.field, problem.message)
            for problem in organisation.check_profile(branch.name, branch.branch_type, founded, today)
            if problem.field != "branch_type"]  # an unknown type is already a column finding
