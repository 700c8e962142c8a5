"""Importing a clerk's existing Excel roster (花名册), step by step, all or nothing, undoable.

The steps are separate so the GUI's import dialog can drive them one at a time and the command
line (``party-ledger members import``) can run them in a row:

1. ``read_workbook(path)`` reads the first visible sheet with python-calamine (12× faster than
   openpyxl on a 10,000-row roster); a 党小组 cell merged over several rows is carried into each
   row it covers.
2. ``find_header(sheet)`` finds the header row below any title and note rows;
   ``offered_mapping(headers)`` maps columns to fields from the usual Chinese headers and their
   aliases (``roster_columns``), preferring what the clerk confirmed last time (kept in the
   ledger's settings under ``roster_import_mapping``, keyed by header text).
3. ``preview(sheet, mapping, today)`` parses and checks every row and says, by Excel row number and
   field, what is wrong; it writes nothing. A row matching an existing person (same ID number, or
   the same name where that person has no ID number yet, as the first-run wizard leaves committee
   members) fills in that person's empty fields; any other row is a new person.
4. ``commit(preview, source)`` refuses when any row has a problem; otherwise it takes a verified
   backup and writes everything in one transaction: an ``ImportBatch``, new 党小组, the new people
   (``executemany``), the filled-in fields (audited per person), ``joined``/``converted`` history
   events for the dates filled in, and one summary audit entry.
5. ``undo_last_import()`` reverts the newest batch not yet undone, as one transaction.

A date given only as year and month (``2001.07``, ``2001年7月``) is stored as the 1st of that month.
An ID number Excel stored as a number has lost its last digits and is refused, never guessed.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from peewee import ForeignKeyField, fn

from . import roster_columns as rc
from .errors import LedgerError, ValidationError
from .models import ALL_MODELS, AuditEntry, HistoryEvent, ImportBatch, Meeting, PartyGroup, Person, database
from .records import column_name, from_json_value, row_to_dict, to_json_value
from .rules import id_number as id_rules
from .rules.dates import add_months
from .rules.person import LIMITS, PersonFacts, check_person, check_stage

MAPPING_SETTING = "roster_import_mapping"
HEADER_SEARCH_ROWS = 15
MIN_HEADER_MATCHES = 3
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
FILL_IN_SUMMARY = "从 Excel 花名册"  # how the audit summaries of an import's fill-ins begin
UNDO_SUMMARY = "撤销花名册导入"  # and those of an undo
# The history events an import writes; undo removes exactly these.
IMPORT_EVENTS = {"joined_on": ("joined", "入党（据 Excel 花名册导入）"),
                 "converted_on": ("converted", "转正（据 Excel 花名册导入）")}
_CHUNK = 500  # ids per ``IN (…)`` list, well under SQLite's variable limit


# ---- reading ------------------------------------------------------------------------------------


@dataclass
class Sheet:
    """The cells of one worksheet by Excel position: ``rows[0]`` is row 1, ``rows[r][0]`` column A.

    Cells inside a merged area spanning several rows hold the area's value (a 党小组 merged over
    four rows applies to each of them); ``filled`` lists those copied cells, so that a blank row
    inside a merged area still counts as blank.
    """

    name: str
    rows: list[list]
    filled: set[tuple[int, int]] = field(default_factory=set)


def read_workbook(path: str | Path) -> Sheet:
    """The first visible worksheet of an Excel file; ``LedgerError`` with a clear message otherwise."""
    path = Path(path)
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        raise LedgerError(f"只能导入 Excel 文件（.xlsx 或 .xls），“{path.name}”不是。"
                          f"其他格式请先在 Excel 或 WPS 中另存为 .xlsx。")
    if not path.is_file():
        raise LedgerError(f"找不到文件：{path}")
    from python_calamine import (
        CalamineError,
        CalamineWorkbook,
        PasswordError,
        SheetTypeEnum,
        SheetVisibleEnum,
    )

    try:
        book = CalamineWorkbook.from_path(str(path))
        visible = [m.name for m in book.sheets_metadata
                   if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet]
        if not visible:
            raise LedgerError(f"“{path.name}”中没有可见的工作表。")
        sheet = book.get_sheet_by_name(visible[0])
        rows = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges or []
    except PasswordError:
        raise LedgerError(f"“{path.name}”设有打开密码，无法读取。请在 Excel 中取消密码后另存，再导入。") from None
    except PermissionError:
        raise LedgerError(f"“{path.name}”被其他程序占用（可能正在 Excel 中打开），请关闭后重试。") from None
    except OSError as exc:
        raise LedgerError(f"无法读取“{path.name}”：{exc.strerror or exc}") from None
    except CalamineError as exc:
        if path.suffix.lower() != ".xls" and _is_ole_file(path):
            # Excel keeps a password-protected .xlsx in an OLE container, the format of old .xls files
            raise LedgerError(f"“{path.name}”设有打开密码（或是改了扩展名的 .xls 文件），无法读取。"
                              f"请在 Excel 中取消密码，另存为 .xlsx 后再导入。") from None
        raise LedgerError(f"“{path.name}”不是有效的 Excel 文件（或已损坏），无法读取：{exc}") from None
    width = max((len(row) for row in rows), default=0)
    rows = [list(row) + [""] * (width - len(row)) for row in rows]
    return Sheet(visible[0], rows, _fill_merged(rows, merged))


def _is_ole_file(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(8) == OLE_SIGNATURE


def _fill_merged(rows: list[list], merged) -> set[tuple[int, int]]:
    """Copy each merged area's value down the rows it spans; return the cells filled so."""
    filled = set()
    for (top, left), (bottom, right) in merged:
        if bottom <= top or top >= len(rows):
            continue  # an area within one row (a title over the columns) stays in its first cell
        value = rows[top][left]
        for r in range(top + 1, min(bottom, len(rows) - 1) + 1):
            for c in range(left, min(right, len(rows[r]) - 1) + 1):
                if c == left and rc.is_blank(rows[r][c]):
                    rows[r][c] = value
                    filled.add((r, c))
    return filled


def find_header(sheet: Sheet) -> int:
    """The index of the header row: the first of the top rows naming at least three roster columns."""
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        fields = {rc.field_for_header(cell) for cell in row if isinstance(cell, str)}
        fields.discard(None)
        if len(fields) >= MIN_HEADER_MATCHES:
            return index
    raise LedgerError(f"在“{sheet.name}”的前 {HEADER_SEARCH_ROWS} 行中没有找到表头：表头行至少要有"
                      f"“姓名”“性别”“身份证号”“入党时间”这类列名中的 {MIN_HEADER_MATCHES} 个。")


def header_texts(sheet: Sheet, header_row: int) -> list[str]:
    """The header row's cells as text (spaces tidied), one per column."""
    return [rc.clean_text(cell) for cell in sheet.rows[header_row]]


# ---- the column mapping -------------------------------------------------------------------------


def suggest_mapping(headers: list[str], remembered: dict[str, str] | None = None) -> dict[int, str]:
    """Column index → field, from what the clerk chose before for that header text, else the aliases.

    ``remembered`` maps a normalised header to a field, or to ``""`` for a column the clerk chose to
    leave out. A field is given to its first column only.
    """
    remembered = remembered or {}
    mapping: dict[int, str] = {}
    for index, text in enumerate(headers):
        key = rc.normalise_header(text)
        if not key:
            continue
        chosen = remembered[key] if key in remembered else rc.field_for_header(text)
        if chosen and chosen in rc.BY_FIELD and chosen not in mapping.values():
            mapping[index] = chosen
    return mapping


def offered_mapping(headers: list[str]) -> dict[int, str]:
    """The mapping to offer for this file: the remembered choices of this ledger, then the aliases."""
    from .services import settings

    return suggest_mapping(headers, settings.get(MAPPING_SETTING, {}) or {})


def remember_mapping(headers: list[str], mapping: dict[int, str]) -> None:
    """Keep the clerk's choice for each header text of this file, to offer it next time."""
    from .services import settings

    stored = dict(settings.get(MAPPING_SETTING, {}) or {})
    for index, text in enumerate(headers):
        key = rc.normalise_header(text)
        if key:
            stored[key] = mapping.get(index, "")
    settings.put(MAPPING_SETTING, stored)


def check_mapping(mapping: dict[int, str]) -> None:
    """A usable mapping: known fields, each at most once, and a name column."""
    seen: dict[str, int] = {}
    for index, name in sorted(mapping.items()):
        if name not in rc.BY_FIELD:
            raise ValidationError(f"第 {index + 1} 列对应的“{name}”不是花名册中的字段。", "mapping")
        if name in seen:
            raise ValidationError(f"第 {seen[name] + 1} 列和第 {index + 1} 列都对应“{rc.BY_FIELD[name].header}”，"
                                  f"请只保留一列。", "mapping")
        seen[name] = index
    if "name" not in seen:
        raise ValidationError("没有找到“姓名”列：请指定哪一列是姓名。", "mapping")


# ---- the preview --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """What is wrong in one row and field; its ``str()`` is the line the clerk reads."""

    row: int  # the Excel row number, as Excel shows it
    field: str
    message: str

    @property
    def label(self) -> str:
        column = rc.BY_FIELD.get(self.field)
        return column.header if column else self.field

    def __str__(self) -> str:
        return f"第 {self.row} 行 {self.label}：{self.message}"


@dataclass
class PreviewRow:
    """One data row of the file: what it becomes (``new``, ``update``, ``same`` or ``note``) and why not."""

    row: int
    action: str
    values: dict = field(default_factory=dict)  # field → parsed value ("group" is the 党小组 name)
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # remarks that do not stop the import
    person_id: int | None = None  # the existing person an update fills in
    changes: dict = field(default_factory=dict)  # for an update: the empty fields it fills

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Preview:
    """Every data row of the file with its problems, and what a commit would write."""

    sheet_name: str
    header_row: int  # index into the sheet's rows (Excel row ``header_row + 1``)
    headers: list[str]
    mapping: dict[int, str]
    today: date
    rows: list[PreviewRow]
    new_groups: list[str]
    audit_mark: int  # the newest audit entry when previewed: a change since makes the preview stale

    @property
    def people(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.action != "note"]

    @property
    def note_rows(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.action == "note"]

    @property
    def problems(self) -> list[RowProblem]:
        return [problem for row in self.rows for problem in row.problems]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action and row.ok)

    def counts(self) -> str:
        """``共 120 行：可导入 118 行（新建 110 人，补充 8 人），有问题 2 行``: the figures, no full stop."""
        people = self.people
        bad = sum(1 for row in people if not row.ok)
        text = (f"共 {len(people)} 行：可导入 {len(people) - bad} 行"
                f"（新建 {self.count('new')} 人，补充 {self.count('update')} 人"
                + (f"，已有且无需补充 {self.count('same')} 人" if self.count("same") else "") + "）")
        if self.new_groups:
            text += f"，新建党小组 {len(self.new_groups)} 个（{'、'.join(self.new_groups)}）"
        return text + (f"，有问题 {bad} 行" if bad else "，没有发现问题")

    def notes_sentence(self) -> str:
        """The rows read as notes (``填表人：…``), which are not imported; empty when none."""
        rows = [str(row.row) for row in self.note_rows]
        return f"另有第 {'、'.join(rows)} 行是说明文字，未作为人员导入。" if rows else ""

    def summary(self) -> str:
        return self.counts() + "。" + self.notes_sentence()


def _current_audit_mark() -> int:
    return AuditEntry.select(fn.MAX(AuditEntry.id)).scalar() or 0


def _strip_label(field_name: str, message: str) -> str:
    """``身份证号校验位错误…`` under the 身份证号 label reads ``校验位错误…`` (not ``…中的…``)."""
    label = rc.BY_FIELD[field_name].header if field_name in rc.BY_FIELD else field_name
    rest = message[len(label):]
    if message.startswith(label) and rest and not rest.startswith(("中", "的")):
        return rest.lstrip(" ：:")
    return message


def preview(sheet: Sheet, mapping: dict[int, str], today: date, header_row: int | None = None) -> Preview:
    """Parse and check every row below the header; write nothing.

    Blank rows are skipped; a row whose only cell is not a name (``填表人：…``) is a note, listed
    but not imported. Problems name the Excel row and the field.
    """
    check_mapping(mapping)
    if header_row is None:
        header_row = find_header(sheet)
    name_column = next(index for index, name in mapping.items() if name == "name")
    rows: list[PreviewRow] = []
    for r in range(header_row + 1, len(sheet.rows)):
        cells = sheet.rows[r]
        content = [(c, v) for c, v in enumerate(cells) if (r, c) not in sheet.filled and not rc.is_blank(v)]
        if not content:
            continue
        if len(content) == 1 and (content[0][0] != name_column or not rc.looks_like_name(content[0][1])):
            rows.append(PreviewRow(r + 1, "note", {"text": " ".join(str(content[0][1]).split())},
                                   notes=["只有一格文字，视为说明，不导入。"]))
            continue
        rows.append(_parse_row(r + 1, cells, mapping, today))
    _match(rows)
    groups = {g.name for g in PartyGroup.select(PartyGroup.name)}
    new_groups = []
    for row in rows:
        name = row.values.get("group") if row.action == "new" else row.changes.get("group")
        if row.ok and name and name not in groups and name not in new_groups:
            new_groups.append(name)
    return Preview(sheet.name, header_row, header_texts(sheet, header_row), dict(mapping), today, rows,
                   new_groups, _current_audit_mark())


def _parse_row(excel_row: int, cells: list, mapping: dict[int, str], today: date) -> PreviewRow:
    """One row's values, with every problem of its cells and of the person's rules."""
    row = PreviewRow(excel_row, "new")
    month_only = set()
    failed = set()
    for index, name in mapping.items():
        column = rc.BY_FIELD[name]
        cell = cells[index] if index < len(cells) else None
        try:
            if column.kind == "date":
                value, partial = rc.parse_date(cell)
                if partial:
                    month_only.add(name)
            else:
                value = rc.PARSERS[column.kind](cell)
        except rc.CellError as exc:
            row.problems.append(RowProblem(excel_row, name, _strip_label(name, str(exc))))
            failed.add(name)
            continue
        if value not in (None, ""):
            row.values[name] = value
    if "name" not in row.values and "name" not in failed:
        row.problems.append(RowProblem(excel_row, "name", "未填写姓名。"))
    values = row.values
    facts, _ = id_rules.parse(values["id_number"]) if "id_number" in values else (None, None)
    if facts is not None:
        birth = values.get("birth_date")
        if birth is None or ("birth_date" in month_only and (birth.year, birth.month) ==
                             (facts.birth_date.year, facts.birth_date.month)):
            values["birth_date"] = facts.birth_date  # the ID number gives the day a year-month left out
            month_only.discard("birth_date")
        if "sex" not in values and "sex" not in failed:
            values["sex"] = facts.sex
    for name in (column.field for column in rc.COLUMNS if column.field in month_only):
        row.notes.append(f"{rc.BY_FIELD[name].header}{rc.MONTH_ONLY_NOTE}。")
    for problem in check_person(PersonFacts.from_mapping(values), today):
        if problem.field not in failed:
            row.problems.append(RowProblem(excel_row, problem.field, _strip_label(problem.field, problem.message)))
    work = values.get("work_started_on")
    if work and work > today:
        row.problems.append(RowProblem(excel_row, "work_started_on", f"{work.isoformat()} 晚于今天，请改正。"))
    if "stage" not in failed:
        _stage(row, today)
    return row


def _stage(row: PreviewRow, today: date) -> None:
    """人员类别 as given, else from the dates; and whether it agrees with them (党章 第七条)."""
    values = row.values
    joined, converted, stage = values.get("joined_on"), values.get("converted_on"), values.get("stage")
    probation_ends = add_months(joined, LIMITS.probation_months) if joined else None
    if stage is None:
        if converted:
            values["stage"] = "full"
        elif probation_ends and probation_ends > today:
            values["stage"] = "probationary"
            row.notes.append("人员类别未填，入党不满一年，按预备党员记录。")
        elif joined:
            values["stage"] = "full"
            row.notes.append("人员类别未填，入党已满一年，按正式党员记录。")
        return  # with no date either, the row needs a 人员类别 only if it is a new person (see _match)
    if joined is None:  # a new person without 入党时间 is refused in _match; an update keeps the ledger's
        return
    for problem in check_stage(stage, joined, converted, today):
        row.problems.append(RowProblem(row.row, problem.field, problem.message))


def _match(rows: list[PreviewRow]) -> None:
    """New person or existing one: by ID number, else by name where the ledger's person has no ID.

    Also finds the same ID number twice in the file, and an ID number the ledger knows under
    another name.
    """
    by_id: dict[str, tuple[int, str]] = {}
    nameless: dict[str, list[int]] = {}  # name → people in the ledger without an ID number
    for pid, name, number in Person.select(Person.id, Person.name, Person.id_number).tuples():
        if number:
            by_id[number] = (pid, name)
        else:
            nameless.setdefault(name, []).append(pid)
    first_row: dict[str, int] = {}
    claimed: dict[int, int] = {}  # person id → the row that fills it in
    for row in rows:
        if row.action == "note":
            continue
        number, name = row.values.get("id_number"), row.values.get("name")
        if number:
            if number in first_row:
                row.problems.append(RowProblem(row.row, "id_number", f"与第 {first_row[number]} 行的身份证号相同，"
                                                                     f"同一人只能有一行，请删去重复的一行。"))
                continue
            first_row[number] = row.row
        person_id = None
        if number and number in by_id:
            person_id, known = by_id[number]
            if name and known != name:
                row.problems.append(RowProblem(row.row, "id_number", f"台账中此身份证号属于“{known}”，与本行姓名"
                                                                     f"“{name}”不符，请核对。"))
                continue
        elif name and name in nameless:
            candidates = nameless[name]
            if len(candidates) > 1:
                row.problems.append(RowProblem(row.row, "name", f"台账中有 {len(candidates)} 位名叫“{name}”且没有身份证号的"
                                                                f"人员，无法确定补充哪一位；请先在台账中为他们补上身份证号。"))
                continue
            person_id = candidates[0]
        if person_id is not None:
            if person_id in claimed:
                row.problems.append(RowProblem(row.row, "name", f"与第 {claimed[person_id]} 行对应台账中的同一人"
                                                                f"“{name}”，请核对是否重复。"))
                continue
            claimed[person_id] = row.row
            row.person_id = person_id
            row.action = "update"
        elif "stage" not in row.values and not any(p.field == "stage" for p in row.problems):
            row.problems.append(RowProblem(row.row, "stage", "未填写人员类别，也没有入党时间：请填写“正式党员”或"
                                                             "“预备党员”，并填写入党时间。"))
    _updates(rows)


def _updates(rows: list[PreviewRow]) -> None:
    """For rows matching an existing person: the empty fields they fill, and values left as they are."""
    matched = {row.person_id: row for row in rows if row.person_id is not None}
    ids = list(matched)
    group_names = dict(PartyGroup.select(PartyGroup.id, PartyGroup.name).tuples())
    for start in range(0, len(ids), _CHUNK):
        for person in Person.select().where(Person.id.in_(ids[start:start + _CHUNK])):
            row = matched[person.id]
            for name, value in row.values.items():
                current = group_names.get(person.group_id) if name == "group" else getattr(person, name)
                if current in (None, ""):
                    row.changes[name] = value
                elif current != value:
                    shown = rc.stage_label(current) if name == "stage" else current
                    row.notes.append(f"{rc.BY_FIELD[name].header}：台账中已有“{shown}”，与表中不同，保留台账中的值。")
            if not row.changes:
                row.action = "same"


# ---- commit and undo ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    """What a commit wrote."""

    batch_id: int | None
    created: int
    updated: int
    new_groups: list[str]
    backup: Path | None


def ledger_file() -> Path:
    """The file of the open ledger (for the backup taken before an import or an undo)."""
    return Path(database.obj.database)


def commit(preview: Preview, source_name: str) -> ImportResult:
    """Write the previewed rows: all or nothing, after a verified backup, in one transaction.

    Refused when any row has a problem, or when the ledger changed since the preview (then the
    clerk previews again).
    """
    from .backup import make_backup

    problems = preview.problems
    if problems:
        raise ValidationError(f"有 {len({p.row for p in problems})} 行有问题，未写入任何数据。第一个问题：{problems[0]}",
                              problems[0].field)
    new_rows = [row for row in preview.rows if row.action == "new"]
    updates = [row for row in preview.rows if row.action == "update"]
    if not new_rows and not updates:
        return ImportResult(None, 0, 0, [], None)
    backup = make_backup(ledger_file(), reason="before-import")
    with database.atomic("IMMEDIATE"):
        if _current_audit_mark() != preview.audit_mark:
            raise LedgerError("台账在预览之后有了改动，请重新预览后再导入。")
        batch_id = _write(preview, source_name, new_rows, updates)
    return ImportResult(batch_id, len(new_rows), len(updates), list(preview.new_groups), backup)


def _write(preview: Preview, source_name: str, new_rows: list[PreviewRow], updates: list[PreviewRow]) -> int:
    """The commit's writes, inside its transaction; returns the new batch's id.

    New people get ids assigned here and go in with one ``executemany`` (10,000 in about 0.3 s);
    they are covered by the one summary audit entry, which names the batch and the id range.
    """
    from .pinyin import initials
    from .services import audit

    remember_mapping(preview.headers, preview.mapping)
    batch = ImportBatch.create(imported_at=datetime.now().isoformat(timespec="seconds"), source=source_name,
                               created=len(new_rows), updated=len(updates), before="[]")
    group_ids = dict(PartyGroup.select(PartyGroup.name, PartyGroup.id).tuples())
    order = PartyGroup.select(fn.MAX(PartyGroup.sort_order)).scalar() or 0
    created_groups = []
    for name in preview.new_groups:
        order += 1
        group = audit.create(PartyGroup, f"新建党小组 {name}（花名册导入）", name=name, sort_order=order)
        group_ids[name] = group.id
        created_groups.append(group.id)

    fields = Person._meta.sorted_fields
    columns = [f'"{column_name(f)}"' for f in fields]
    next_id = (Person.select(fn.MAX(Person.id)).scalar() or 0) + 1
    people, events = [], []
    for offset, row in enumerate(new_rows):
        values = _person_values(row.values, group_ids)
        values.update(id=next_id + offset, import_batch=batch.id, name_initials=initials(values["name"]))
        people.append(tuple(_db_value(f, values.get(f.name, _default(f))) for f in fields))
        events += _events(values["id"], values)
    cursor = database.cursor()
    sql = f'INSERT INTO "person" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
    cursor.executemany(sql, people)

    before = _fill_in(updates, group_ids, source_name, cursor, events)
    cursor.executemany('INSERT INTO "history_event" (person_id, occurred_on, kind, description) VALUES (?, ?, ?, ?)',
                       events)
    batch.before = json.dumps(before, ensure_ascii=False)
    batch.save()
    audit.record("bulk", "import_batch", batch.id, None,
                 {"source": source_name, "created": len(new_rows), "updated": len(updates), "groups": created_groups,
                  "person_ids": [next_id, next_id + len(new_rows) - 1] if new_rows else []},
                 f"从 Excel 导入花名册“{source_name}”：新建 {len(new_rows)} 人，补充 {len(updates)} 人"
                 + (f"，新建党小组 {len(created_groups)} 个" if created_groups else ""))
    return batch.id


def _fill_in(updates: list[PreviewRow], group_ids: dict[str, int], source_name: str, cursor,
             events: list[tuple]) -> list[dict]:
    """Fill in the empty fields of existing people, each audited; return their rows as they were.

    Rows are read in chunks and written with one ``executemany`` per set of filled columns:
    per-person ``save()`` spends most of its time building SQL (7 s for 10,000 people, here 1 s).
    """
    from .services import audit

    fields = Person._meta.fields
    ids = [row.person_id for row in updates]
    old: dict[int, dict] = {}
    for start in range(0, len(ids), _CHUNK):
        old.update((p.id, row_to_dict(p)) for p in Person.select().where(Person.id.in_(ids[start:start + _CHUNK])))
    statements: dict[tuple[str, ...], list[tuple]] = {}
    for row in updates:
        before = old[row.person_id]
        changes = _person_values(row.changes, group_ids)
        columns = sorted((column_name(fields[name]), name) for name in changes)
        after = dict(before)
        after.update((column, to_json_value(fields[name], changes[name])) for column, name in columns)
        statements.setdefault(tuple(column for column, _ in columns), []).append(
            (*(_db_value(fields[name], changes[name]) for _, name in columns), row.person_id))
        audit.record("update", "person", row.person_id, before, after,
                     f"{FILL_IN_SUMMARY}“{source_name}”补充 {before['name']} 的信息")
        events += _events(row.person_id, changes)
    for columns, params in statements.items():
        assignments = ", ".join(f'"{column}" = ?' for column in columns)
        cursor.executemany(f'UPDATE "person" SET {assignments} WHERE id = ?', params)
    return [old[i] for i in ids]


def _person_values(values: dict, group_ids: dict[str, int]) -> dict:
    """Parsed values as ``Person`` field values: the 党小组 name becomes its id."""
    result = {name: value for name, value in values.items() if name != "group"}
    if "group" in values:
        result["group"] = group_ids[values["group"]]
    return result


def _default(model_field):
    default = model_field.default
    return default() if callable(default) else default


def _db_value(model_field, value):
    """A value as the SQL parameter peewee would bind for it (dates as ISO text, booleans as 0/1)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _events(person_id: int, values: dict) -> list[tuple]:
    return [(person_id, values[name].isoformat(), kind, text)
            for name, (kind, text) in IMPORT_EVENTS.items() if values.get(name)]


def undo_last_import() -> str:
    """Revert the newest import not yet undone, in one transaction after a backup; say what was done.

    Refused, naming who, when a person it created is already used elsewhere (meetings, dues,
    committee …) or a person it created or filled in was changed since.
    """
    from .backup import make_backup
    from .services import audit

    _undo_plan()  # refuse before taking a backup when the undo cannot be done
    backup = make_backup(ledger_file(), reason="before-undo-import")
    with database.atomic("IMMEDIATE"):
        batch, entry, created, before = _undo_plan()  # again inside: nothing may have changed since
        ids = list(created)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            HistoryEvent.delete().where(HistoryEvent.person.in_(chunk)).execute()  # only the import's: see _undo_plan
            Person.delete().where(Person.id.in_(chunk)).execute()
        _restore(before)
        removed_groups = []
        for group_id in (json.loads(entry.after).get("groups", []) if entry else []):
            group = PartyGroup.get_or_none(PartyGroup.id == group_id)
            if group and not Person.select().where(Person.group == group_id).exists() \
                    and not Meeting.select().where(Meeting.group == group_id).exists():
                removed_groups.append(group.name)
                audit.delete(group, f"{UNDO_SUMMARY}：删除导入时新建的党小组 {group.name}")
        before_batch = row_to_dict(batch)
        batch.undone_at = datetime.now().isoformat(timespec="seconds")
        batch.save()
        audit.record("bulk", "import_batch", batch.id, before_batch,
                     {"undone_at": batch.undone_at, "deleted": len(created), "restored": len(before),
                      "groups_removed": removed_groups},
                     f"{UNDO_SUMMARY}“{batch.source}”：删除新建的 {len(created)} 人，恢复 {len(before)} 人")
    text = (f"已撤销 {batch.imported_at.replace('T', ' ')} 从“{batch.source}”的导入：删除新建的 {len(created)} 人，"
            f"恢复 {len(before)} 人导入前的信息")
    if removed_groups:
        text += f"，删除导入时新建的党小组 {'、'.join(removed_groups)}"
    return text + f"。撤销前的台账已备份到 {backup}。"


def _restore(rows: list[dict]) -> None:
    """Put people filled in by the import back as they were, each audited, and remove the
    joined/converted events written for dates the import filled in."""
    from .services import audit

    fields = [f for f in Person._meta.sorted_fields if f.name != "id"]
    ids = [row["id"] for row in rows]
    current: dict[int, dict] = {}
    for start in range(0, len(ids), _CHUNK):
        current.update((p.id, row_to_dict(p)) for p in Person.select().where(Person.id.in_(ids[start:start + _CHUNK])))
    params, events = [], []
    for row in rows:
        now = current[row["id"]]
        values = [from_json_value(f, row[column_name(f)], f"person.{column_name(f)}") for f in fields]
        params.append((*(_db_value(f, v) for f, v in zip(fields, values, strict=True)), row["id"]))
        events += [(row["id"], kind, text) for name, (kind, text) in IMPORT_EVENTS.items()
                   if row.get(name) is None and now.get(name) is not None]
        audit.record("update", "person", row["id"], now, row, f"{UNDO_SUMMARY}：恢复 {row['name']} 导入前的信息")
    assignments = ", ".join(f'"{column_name(f)}" = ?' for f in fields)
    cursor = database.cursor()
    cursor.executemany(f'UPDATE "person" SET {assignments} WHERE id = ?', params)
    cursor.executemany('DELETE FROM "history_event" WHERE person_id = ? AND kind = ? AND description = ?', events)


def _undo_plan() -> tuple[ImportBatch, AuditEntry | None, dict[int, str], list[dict]]:
    """The batch to undo, its summary audit entry, the people it created and the rows it replaced;
    ``LedgerError`` when there is none or when undoing it would lose later work."""
    batch = ImportBatch.select().where(ImportBatch.undone_at.is_null()).order_by(ImportBatch.id.desc()).first()
    if batch is None:
        raise LedgerError("没有可以撤销的花名册导入。")
    entry = (AuditEntry.select().where(AuditEntry.table_name == "import_batch", AuditEntry.row_id == batch.id,
                                       AuditEntry.action == "bulk").order_by(AuditEntry.id).first())
    created = dict(Person.select(Person.id, Person.name).where(Person.import_batch == batch.id).tuples())
    before = json.loads(batch.before)
    _refuse_if_changed(entry.id if entry else 0, created | {row["id"]: row["name"] for row in before})
    _refuse_if_used(created)
    return batch, entry, created, before


def _names(people: dict[int, str], ids) -> str:
    ids = sorted(set(ids))
    shown = "、".join(people[i] for i in ids[:5])
    return shown + (f" 等 {len(ids)} 人" if len(ids) > 5 else "")


def _refuse_if_changed(since: int, people: dict[int, str]) -> None:
    """Refuse when someone the import created or filled in was changed after it.

    Fill-ins by later imports do not count: the batch undone is the newest one not yet undone, so
    every later import was undone already and its fill-ins were put back.
    """
    ids = list(people)
    changed = set()
    for start in range(0, len(ids), _CHUNK):
        changed |= {row_id for (row_id,) in AuditEntry.select(AuditEntry.row_id).where(
            AuditEntry.table_name == "person", AuditEntry.id > since,
            AuditEntry.row_id.in_(ids[start:start + _CHUNK]),
            ~AuditEntry.summary.startswith(FILL_IN_SUMMARY), ~AuditEntry.summary.startswith(UNDO_SUMMARY)).tuples()}
    if changed:
        raise LedgerError(f"无法撤销：导入后 {_names(people, changed)} 的信息已被修改过。撤销会丢掉这些修改，"
                          f"请改为逐人修正，或从导入前的备份恢复。")


def _refuse_if_used(people: dict[int, str]) -> None:
    """Refuse when any other row (attendance, dues, committee, a history event entered by hand …)
    points to a person the import created: deleting them would lose or break that record."""
    ids = list(people)
    descriptions = [text for _, text in IMPORT_EVENTS.values()]
    used: dict[int, set[str]] = {}
    for model in ALL_MODELS:
        for fk in model._meta.sorted_fields:
            if not isinstance(fk, ForeignKeyField) or fk.rel_model is not Person or model is Person:
                continue
            for start in range(0, len(ids), _CHUNK):
                query = model.select(fk).where(fk.in_(ids[start:start + _CHUNK]))
                if model is HistoryEvent:
                    query = query.where(HistoryEvent.description.not_in(descriptions))
                for (person_id,) in query.tuples():
                    used.setdefault(person_id, set()).add(model._meta.table_name)
    if used:
        raise LedgerError(f"无法撤销：导入的 {_names(people, used)} 在导入后已有其他记录（会议、党费、任职等），"
                          f"删除他们会破坏这些记录。请改为逐人修正，或从导入前的备份恢复。")


# ---- the command line ---------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What ``party-ledger members import`` prints: the problems, one line each, and a summary."""

    preview: Preview
    result: ImportResult | None
    dry_run: bool

    @property
    def problems(self) -> list[RowProblem]:
        return self.preview.problems

    def summary(self) -> str:
        """``共 120 行：可导入 118 行（新建 110 人，补充 8 人），有问题 2 行，未写入任何数据。``"""
        if self.problems:
            outcome = "，未写入任何数据。"
        elif self.result is None:
            outcome = "，试运行，未写入任何数据。" if self.dry_run else "，台账中已都有，无需写入。"
        else:
            outcome = f"，已全部导入；导入前的台账已备份到 {self.result.backup}。"
        return self.preview.counts() + outcome + self.preview.notes_sentence()


def import_roster_file(path: Path, dry_run: bool, today: date | None = None) -> ImportReport:
    """Read, map (remembered mapping first), preview and, unless ``dry_run`` or a row has a problem, commit."""
    sheet = read_workbook(path)
    header_row = find_header(sheet)
    mapping = offered_mapping(header_texts(sheet, header_row))
    result = None
    checked = preview(sheet, mapping, today or date.today(), header_row)
    if not dry_run and not checked.problems:
        result = commit(checked, Path(path).name)
    return ImportReport(checked, result, dry_run)

