"""The open data format: the whole ledger as one documented JSON file, and back into a new ledger.

Why: a clerk's records must outlive this program. The export is a plain UTF-8 JSON file any program
can read (layout and every column in ``docs/ledger-format.md``, a JSON Schema generated from the
models in ``ledger-format.schema.json``), and importing it into a new file gives the same ledger:
export → import → export is byte-identical.

Layout: ``{"format": "party-ledger", "format_version": 1, "schema_version": N, "tables": {...}}``;
each table is a list of rows keyed by SQL column name, in ``models.ALL_MODELS`` order, rows by
primary key, one row a line. Values go through ``records`` (the codec the audit log shares): dates
``YYYY-MM-DD``, booleans ``true``/``false``, money integer fen, enumerations English codes.

Import reads a file in our own layout as a stream, straight into the new ledger in one transaction
(memory stays small: the 160 MB export of the 5,000 × 10 demo parsed whole took 1.6 GB). Any other
file, and any file with a problem, is read and checked whole first (types, enumerations, required
columns, duplicate ids, foreign keys, unique constraints) before the ledger is created; on any problem
it raises ``ValidationError`` starting with the JSON path of the first bad field, and leaves no file
behind. It is not audited: the file carries the audit log.
"""

import argparse
import json
import os
import re
import sqlite3
import sys
import tempfile
from datetime import date
from pathlib import Path

from peewee import BooleanField, DatabaseError, DateField, ForeignKeyField, IntegerField

from . import migrations, vocab
from .errors import LedgerError, LedgerLockedError, ValidationError
from .models import ALL_MODELS, database
from .records import from_json_value, to_json_value
from .vocab import column_meaning

FORMAT = "party-ledger"
FORMAT_VERSION = 1  # bump only on an incompatible change (see docs/ledger-format.md)
SCHEMA_FILE = Path(__file__).with_name("ledger-format.schema.json")
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1  # SQLite's INTEGER
_DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

# What each table and column means: shown in the JSON Schema and in docs/ledger-format.md.
# ``tests/test_exchange.py`` checks that every column has one, so a new column cannot go undocumented.
TABLE_LABELS = {
    "branch": "支部基本信息（只有一行）",
    "setting": "本台账的设置（规则中属于地方做法的默认值），值为 JSON 文本",
    "party_group": "党小组",
    "person": "人员：党员、预备党员和发展过程中的申请人、积极分子、发展对象",
    "import_batch": "一次花名册 Excel 导入（用于整批撤销最近一次导入）",
    "development": "发展党员各环节的日期（每人一行）",
    "activist_assessment": "入党积极分子的半年考察",
    "development_decision": "发展党员环节由哪次支委会或支部党员大会决定",
    "committee_term": "支部委员会的任期",
    "committee_member": "支部委员会成员及其职务",
    "history_event": "党员档案中的事件（入党、转正、任职、评议、表彰、处分……）",
    "transfer": "组织关系转出、转入",
    "exclusion": "经批准不计入应到人数的党员",
    "meeting": "会议（支部党员大会、支委会、党小组会、党课、主题党日……）",
    "meeting_topic": "会议议题",
    "attendance": "会议应到人员的出席情况",
    "observer": "列席人员",
    "speech": "发言要点",
    "vote": "表决",
    "resolution": "决议",
    "make_up_study": "缺席人员的补学",
    "appraisal_round": "每年一次的民主评议党员：时间和会议",
    "appraisal": "民主评议党员的等次",
    "talk": "谈心谈话记录",
    "annual_text": "年度总结中只有书记员知道的内容（问题、计划……），按年保存",
    "dues_base": "党员每年的党费基数",
    "dues_relief": "困难党员减交、免交党费",
    "dues_payment": "每月党费交纳记录",
    "audit_entry": "修改记录（审计日志）：每次修改的时间、内容和修改前后的值",
}

# ---------------------------------------------------------------------------------------------
# The tables as the format sees them

_MISSING = object()


class _Bad(Exception):
    """A value failed a fast check; the slow path then says exactly what is wrong with it."""


class _Column:
    """One column: its JSON key, how it is checked and stored, and whether a file may omit it."""

    def __init__(self, table: str, field):
        self.table = table
        self.field = field
        self.name = field.column_name
        self.nullable = bool(field.null)
        self.is_key = bool(field.primary_key)
        self.choices = tuple(code for code, _ in field.choices) if field.choices else ()
        if isinstance(field, BooleanField):
            self.kind = "boolean"
        elif isinstance(field, DateField):
            self.kind = "date"
        elif isinstance(field, IntegerField | ForeignKeyField):
            self.kind = "integer"
        else:
            self.kind = "string"
        self.references = field.rel_model._meta.table_name if isinstance(field, ForeignKeyField) else None
        # Columns with a default (or NULL) may be left out of a file written by another program.
        self.required = self.is_key or (not self.nullable and field.default is None)

    def default(self):
        value = self.field.default
        return value() if callable(value) else value

    def decoder(self, check_surrogates: bool):
        """A fast check-and-convert for one value; raises ``_Bad`` for the slow path to explain."""
        nullable, choices = self.nullable and not self.is_key, frozenset(self.choices)
        if self.kind == "integer":
            def decode(value):
                if type(value) is int and _INT_MIN <= value <= _INT_MAX:
                    return value
                if value is None and nullable:
                    return None
                raise _Bad
        elif self.kind == "boolean":
            def decode(value):
                if type(value) is bool or (value is None and nullable):
                    return value
                raise _Bad
        elif self.kind == "date":
            def decode(value):
                if type(value) is str:
                    try:
                        if date.fromisoformat(value).isoformat() == value:
                            return value  # stored as the same ISO text peewee writes
                    except ValueError:
                        pass
                elif value is None and nullable:
                    return None
                raise _Bad
        else:
            def decode(value):
                if (type(value) is str and (not choices or value in choices)
                        and not (check_surrogates and not _encodable(value))):
                    return value
                if value is None and nullable:
                    return None
                raise _Bad
        return decode

    def explain(self, value, path: str):
        """Raise the ``ValidationError`` for a value the fast check refused, naming ``path``."""
        if value is None and self.is_key:
            raise ValidationError(f"{path}：不能为空（每行都要有编号）", path)
        if self.is_key and self.kind == "string":
            if not isinstance(value, str):
                raise ValidationError(f"{path}：应为文本", path)
        else:
            from_json_value(self.field, value, path)  # wrong type, bad date, unknown code, null
        if self.kind == "integer":
            raise ValidationError(f"{path}：{value} 超出整数范围（-2^63 到 2^63-1）", path)
        if self.kind == "date":
            raise ValidationError(f"{path}：“{value}”应写作 YYYY-MM-DD（如 2001-03-09）", path)
        if self.kind == "string" and not _encodable(value):
            raise ValidationError(f"{path}：含有无法保存的字符（不成对的 UTF-16 代理项）", path)
        raise AssertionError(f"{path}: {value!r} refused by the fast check but not explained")


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _Table:
    """One model as a table of the format: its columns in order and its constraints."""

    def __init__(self, model):
        self.model = model
        self.name = model._meta.table_name
        self.columns = [_Column(self.name, field) for field in model._meta.sorted_fields]
        self.names = frozenset(column.name for column in self.columns)
        self.key_index = next(i for i, c in enumerate(self.columns) if c.is_key)
        self.key = self.columns[self.key_index].name
        self.unique = self._unique_column_sets(model)

    @staticmethod
    def _unique_column_sets(model) -> list[tuple[str, ...]]:
        """Every UNIQUE constraint other than the primary key, as column names."""
        found = [(field.column_name,) for field in model._meta.sorted_fields
                 if field.unique and not field.primary_key]
        for names, unique in model._meta.indexes:
            if unique:
                found.append(tuple(model._meta.fields[name].column_name for name in names))
        return found

    @property
    def label(self) -> str:
        return TABLE_LABELS.get(self.name, self.name)

    def select_sql(self) -> str:
        cols = ", ".join(f'"{c.name}"' for c in self.columns)
        return f'SELECT {cols} FROM "{self.name}" ORDER BY "{self.key}"'

    def insert_sql(self) -> str:
        cols = ", ".join(f'"{c.name}"' for c in self.columns)
        marks = ", ".join("?" for _ in self.columns)
        return f'INSERT INTO "{self.name}" ({cols}) VALUES ({marks})'


TABLES = [_Table(model) for model in ALL_MODELS]
_BY_NAME = {table.name: table for table in TABLES}


# ---------------------------------------------------------------------------------------------
# Export

def export_ledger(out: Path) -> int:
    """Write the open ledger to ``out`` as JSON (atomically) and return the number of rows written.

    Deterministic (tables in model order, rows by primary key, keys in column order, no time
    stamp), so that export → import → export gives the same bytes. One row a line keeps the file
    readable and lets the C JSON encoder do the work on millions of rows.
    """
    out = Path(out).absolute()
    ledger_file = Path(database.obj.database).absolute() if database.obj is not None else None
    if ledger_file is not None and out == ledger_file:
        raise LedgerError(f"导出文件不能是台账文件本身：{out}")
    if out.is_dir():
        raise LedgerError(f"“{out}”是一个文件夹，请给出要写入的文件名（如 台账.json）。")
    if not out.parent.is_dir():
        raise LedgerError(f"文件夹不存在：{out.parent}")
    try:
        # The whole ledger, people and all: tempfile creates it 0o600 already, as ``private`` would.
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, then renamed
            "w", encoding="utf-8", newline="\n", dir=out.parent, prefix=f".{out.name}.", suffix=".tmp",
            delete=False)
    except OSError as exc:
        raise LedgerError(f"无法在“{out.parent}”中写入文件：{exc.strerror}") from exc
    temp = Path(handle.name)
    try:
        with handle, database.atomic():  # one read transaction: every table from the same moment
            count = _write_document(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, out)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise LedgerError(f"无法写入“{out}”：{exc.strerror}") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return count


def _write_document(handle) -> int:
    version = database.execute_sql("PRAGMA user_version").fetchone()[0]
    if version != migrations.schema_version():  # read-only opening does not upgrade an older ledger
        raise LedgerError(f"台账的数据版本为 {version}，本程序为 {migrations.schema_version()}："
                          "请先用本程序正常打开一次台账（会先备份再升级），然后再导出。")
    handle.write(f'{{\n "format": "{FORMAT}",\n "format_version": {FORMAT_VERSION},\n'
                 f' "schema_version": {version},\n "tables": {{')
    count = 0
    for number, table in enumerate(TABLES):
        handle.write(("," if number else "") + f'\n  "{table.name}": [')
        names = [c.name for c in table.columns]
        converters = [(i, c.field) for i, c in enumerate(table.columns) if c.kind in ("boolean", "date")]
        first = True
        for row in database.execute_sql(table.select_sql()):
            if converters:
                row = list(row)
                for i, field in converters:
                    row[i] = to_json_value(field, row[i])
            handle.write(("\n   " if first else ",\n   ") + json.dumps(dict(zip(names, row, strict=True)),
                                                               ensure_ascii=False))
            first = False
            count += 1
        handle.write("]" if first else "\n  ]")
    handle.write("\n }\n}\n")
    return count


# ---------------------------------------------------------------------------------------------
# Import

def import_ledger(source: Path, target: Path) -> int:
    """Create the new ledger ``target`` from the JSON file ``source``; return the number of rows.

    A file in the layout ``export_ledger`` writes is read as a stream, table by table, straight into
    the new ledger (``_stream_into``), so memory stays small whatever the ledger's size. Any other
    layout, and any file with a problem, goes through ``read_document``, which reads and checks the
    whole file before anything is created; on a problem the ``ValidationError`` names the JSON path
    of the first bad field, and no file is left behind either way.
    """
    source, target = Path(source), Path(target).absolute()
    if target.exists() and (target.is_dir() or target.stat().st_size > 0):
        raise LedgerError(f"只导入到新文件：“{target}”已存在。导入不会覆盖已有台账，请换一个新的文件名。")
    if source.is_file():
        try:
            return _write_ledger(target, lambda conn: _stream_into(conn, source))
        except LedgerLockedError:
            raise
        except (_NotStreamable, LedgerError, DatabaseError):
            # Another layout, a value the decoders refuse, or a duplicate or a missing reference that
            # made the insert, an index or the commit fail: the whole-file reading below says exactly
            # what is wrong, as it always did (or reads the other layout, or meets the write failure again).
            pass
    rows = read_document(source)
    return _write_ledger(target, lambda conn: _insert_all(conn, rows))


def _insert_all(conn: sqlite3.Connection, rows: dict[str, list[tuple]]) -> int:
    for table in TABLES:
        if rows[table.name]:
            conn.executemany(table.insert_sql(), rows[table.name])
    return sum(len(table_rows) for table_rows in rows.values())


# ---- the streaming reader of our own layout

class _NotStreamable(Exception):
    """The stream met something other than a well-formed file in our layout: read it whole instead."""


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")
_CHUNK = 1 << 22  # characters read at a time
_BATCH = 20_000  # rows handed to executemany at a time


class _Stream:
    """The text of a JSON file, read a chunk at a time, with JSON values taken off its front.

    It knows only the layout our export writes (an object whose last member is ``tables``, an object
    of lists of row objects); anything else, or any JSON error, raises ``_NotStreamable``.
    """

    def __init__(self, handle):
        import codecs

        self._handle = handle
        self._decode = codecs.getincrementaldecoder("utf-8-sig")().decode
        self._decoder = json.JSONDecoder(parse_constant=_refuse_constant)
        self.buf, self.pos, self.eof = "", 0, False
        self.surrogates = False  # a \uD800–\uDFFF escape was seen: strings must then be checked

    def _more(self) -> None:
        if self.eof:
            raise _NotStreamable
        try:
            chunk = self._decode(self._handle.read(_CHUNK), final=False)
        except UnicodeDecodeError:
            raise _NotStreamable from None
        if not chunk:
            self.eof = True
            self._decode(b"", final=True)
        tail = self.buf[self.pos:]
        self.surrogates = self.surrogates or _SURROGATE_ESCAPE.search(tail[-5:] + chunk) is not None
        self.buf, self.pos = tail + chunk, 0

    def _skip_space(self) -> None:
        while True:
            self.pos = _WHITESPACE.match(self.buf, self.pos).end()
            if self.pos < len(self.buf) or self.eof:
                return
            self._more()

    def take(self, char: str) -> bool:
        """Take ``char`` if it comes next (after whitespace)."""
        self._skip_space()
        if self.buf.startswith(char, self.pos):
            self.pos += 1
            return True
        return False

    def expect(self, char: str) -> None:
        if not self.take(char):
            raise _NotStreamable

    def value(self):
        """The next JSON value. A value that ends at the end of the buffer may go on in the next chunk."""
        self._skip_space()
        while True:
            try:
                value, end = self._decoder.raw_decode(self.buf, self.pos)
                if end < len(self.buf) or self.eof:
                    self.pos = end
                    return value
            except (ValueError, ValidationError):
                if self.eof:
                    raise _NotStreamable from None
            self._more()

    def at_end(self) -> bool:
        self._skip_space()
        return self.pos == len(self.buf) and self.eof


def _stream_into(conn: sqlite3.Connection, source: Path) -> int:
    """Read ``source`` as a stream and insert its rows; ``_NotStreamable`` on anything unexpected.

    What the whole-file reading checks before writing, this leaves to the new ledger where it can:
    a duplicate id or UNIQUE value makes the insert or the index fail, a missing reference the
    commit (foreign keys are deferred). Any such failure, and any value the decoders refuse, sends
    the file to ``read_document``, so that the message is the one it always was.
    """
    with open(source, "rb") as handle:
        stream = _Stream(handle)
        stream.expect("{")
        header: dict = {}
        while True:
            key = stream.value()
            stream.expect(":")
            if key == "tables":
                break
            if type(key) is not str or key in header:
                raise _NotStreamable
            header[key] = stream.value()
            stream.expect(",")
        try:
            _check_header({**header, "tables": {}})
        except ValidationError:
            raise _NotStreamable from None
        count, seen = 0, set()
        stream.expect("{")
        if not stream.take("}"):
            while True:
                name = stream.value()
                if name not in _BY_NAME or name in seen:
                    raise _NotStreamable
                seen.add(name)
                stream.expect(":")
                count += _stream_table(conn, stream, _BY_NAME[name])
                if stream.take("}"):
                    break
                stream.expect(",")
        stream.expect("}")
        if not stream.at_end():
            raise _NotStreamable
    return count


def _stream_table(conn: sqlite3.Connection, stream: _Stream, table: _Table) -> int:
    stream.expect("[")
    if stream.take("]"):
        return 0
    decoders = [(c.name, c.decoder(stream.surrogates)) for c in table.columns]
    json_columns = [i for i, c in enumerate(table.columns) if (table.name, c.name) in JSON_TEXT_COLUMNS]
    names, width, sql = table.names, len(table.columns), table.insert_sql()
    batch, count, checking = [], 0, stream.surrogates
    while True:
        row = stream.value()
        if stream.surrogates and not checking:  # the chunk just read holds a surrogate escape
            decoders, checking = [(c.name, c.decoder(True)) for c in table.columns], True
        try:
            if type(row) is dict and len(row) == width and row.keys() == names:
                values = tuple([decode(row[name]) for name, decode in decoders])
            else:
                values = _decode_row_slowly(table, count, row, "")
            for i in json_columns:
                if values[i] is not None:
                    json.loads(values[i])
        except (_Bad, ValueError, ValidationError):
            raise _NotStreamable from None
        batch.append(values)
        count += 1
        if len(batch) == _BATCH:
            _insert_batch(conn, sql, batch)
        if stream.take("]"):
            break
        stream.expect(",")
    _insert_batch(conn, sql, batch)
    return count


def _insert_batch(conn: sqlite3.Connection, sql: str, batch: list[tuple]) -> None:
    conn.executemany(sql, batch)  # a duplicate id fails here: import_ledger then asks read_document
    batch.clear()


def read_document(source: Path) -> dict[str, list[tuple]]:
    """Read and check a whole export file; return each table's rows as tuples in column order."""
    text = _read_text(Path(source))
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列（{exc.msg}）。"
                              "请确认文件是党务台账导出的、没有被截断或改坏。", "$") from None
    check_surrogates = re.search(r"\\u[dD][89abcdefABCDEF]", text) is not None
    del text
    tables, hint = _check_header(document)
    rows = {}
    for table in TABLES:
        rows[table.name] = _decode_table(table, tables.get(table.name, []), check_surrogates, hint)
        tables[table.name] = None  # let the parsed JSON go as soon as the table is converted
    for table in TABLES:
        _check_keys_and_unique(table, rows[table.name])
    _check_json_text(rows)
    _check_references(rows)
    return rows


def _refuse_constant(name: str):
    raise ValidationError(f"不是有效的 JSON：含有 {name}（JSON 中不允许）。", "$")


def _read_text(source: Path) -> str:
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        raise LedgerError(f"找不到文件：{source}") from None
    except OSError as exc:
        raise LedgerError(f"无法读取“{source}”：{exc.strerror}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"不是 UTF-8 编码的文本（第 {exc.start + 1} 个字节处）。"
                              "党务台账导出文件是 UTF-8 编码的 JSON。", "$") from None


def _check_header(document) -> tuple[dict, str]:
    """Check the top level; return the tables and a hint for unknown names (upgrade, or see the docs)."""
    if not isinstance(document, dict):
        raise ValidationError("$：文件内容应为一个 JSON 对象（{…}），这不是党务台账导出文件。", "$")
    if document.get("format") != FORMAT:
        raise ValidationError(f"$.format：应为 \"{FORMAT}\"，这不是党务台账导出文件。", "$.format")
    version = document.get("format_version", _MISSING)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValidationError("$.format_version：应为正整数（格式版本）", "$.format_version")
    if version > FORMAT_VERSION:
        raise ValidationError(f"$.format_version：文件的格式版本为 {version}，本程序只支持到格式版本 {FORMAT_VERSION}。"
                              "请先升级党务台账程序再导入。", "$.format_version")
    schema = document.get("schema_version", _MISSING)
    if isinstance(schema, bool) or not isinstance(schema, int) or schema < 1:
        raise ValidationError("$.schema_version：应为正整数（导出时台账的数据版本）", "$.schema_version")
    for key in document:
        if key not in ("format", "format_version", "schema_version", "tables"):
            raise ValidationError(f"$.{key}：未知的字段（顶层只有 format、format_version、schema_version、tables）", f"$.{key}")
    tables = document.get("tables", _MISSING)
    if not isinstance(tables, dict):
        raise ValidationError("$.tables：应为 JSON 对象，每个表一个列表", "$.tables")
    hint = _newer_hint(schema)
    for name, value in tables.items():
        path = f"$.tables.{name}"
        if name not in _BY_NAME:
            raise ValidationError(f"{path}：未知的表“{name}”{hint}", path)
        if not isinstance(value, list):
            raise ValidationError(f"{path}：应为列表（[…]，每行一个对象）", path)
    return tables, hint


def _newer_hint(schema_version: int) -> str:
    current = migrations.schema_version()
    if schema_version > current:
        return (f"（文件由较新版本的程序导出：数据版本 {schema_version}，本程序为数据版本 {current}，"
                "请先升级党务台账程序）")
    return "（可用的表见 docs/ledger-format.md）"


def _decode_table(table: _Table, rows: list, check_surrogates: bool, hint: str) -> list[tuple]:
    """Check and convert every row; a row that fails the fast path is explained by the slow one."""
    decoders = [(c.name, c.decoder(check_surrogates)) for c in table.columns]
    names, width = table.names, len(table.columns)
    out = []
    append = out.append
    for index, row in enumerate(rows):
        try:
            if type(row) is dict and len(row) == width and row.keys() == names:
                append(tuple([decode(row[name]) for name, decode in decoders]))
                continue
        except _Bad:
            pass
        append(_decode_row_slowly(table, index, row, hint))
    return out


def _decode_row_slowly(table: _Table, index: int, row, hint: str) -> tuple:
    where = f"$.tables.{table.name}[{index}]"
    if not isinstance(row, dict):
        raise ValidationError(f"{where}：每行应为一个 JSON 对象（{{…}}）", where)
    for key in row:
        if key not in table.names:
            path = f"{where}.{key}"
            raise ValidationError(f"{path}：“{table.label}”（{table.name}）表没有“{key}”这个字段{hint}", path)
    values = []
    for column in table.columns:
        path = f"{where}.{column.name}"
        value = row.get(column.name, _MISSING)
        if value is _MISSING:
            if column.required:
                raise ValidationError(f"{path}：缺少必填字段“{column.name}”", path)
            values.append(column.default())
            continue
        try:
            values.append(column.decoder(True)(value))
        except _Bad:
            column.explain(value, path)
    return tuple(values)


def _check_keys_and_unique(table: _Table, rows: list[tuple]) -> None:
    """Duplicate primary keys and UNIQUE constraints, checked before anything is written."""
    k = table.key_index
    keys = [row[k] for row in rows]
    if any(a >= b for a, b in zip(keys, keys[1:], strict=False)) and len(set(keys)) != len(keys):
        first = {}
        for index, key in enumerate(keys):
            if key in first:
                path = f"$.tables.{table.name}[{index}].{table.key}"
                raise ValidationError(f"{path}：编号 {json.dumps(key, ensure_ascii=False)} 与 "
                                      f"$.tables.{table.name}[{first[key]}] 重复", path)
            first[key] = index
    for columns in table.unique:
        positions = [next(i for i, c in enumerate(table.columns) if c.name == name) for name in columns]
        seen: dict = {}
        for index, row in enumerate(rows):
            value = tuple(row[p] for p in positions)
            if None in value:
                continue  # SQLite lets any number of rows leave a unique column empty
            if value in seen:
                where = f"$.tables.{table.name}[{index}]"
                if len(columns) == 1:
                    path = f"{where}.{columns[0]}"
                    raise ValidationError(f"{path}：“{value[0]}”与 $.tables.{table.name}[{seen[value]}] 重复"
                                          f"（{column_meaning(table.name, columns[0]) or columns[0]}不能相同）", path)
                raise ValidationError(f"{where}：与 $.tables.{table.name}[{seen[value]}] 重复"
                                      f"（{'、'.join(columns)} 的组合不能相同）", where)
            seen[value] = index


# Text columns that hold JSON: the program parses them, so a broken one would fail later, far away.
JSON_TEXT_COLUMNS = (("setting", "value"), ("audit_entry", "before"), ("audit_entry", "after"))


def _check_json_text(rows: dict[str, list[tuple]]) -> None:
    for table_name, column_name in JSON_TEXT_COLUMNS:
        table = _BY_NAME[table_name]
        position = next(i for i, c in enumerate(table.columns) if c.name == column_name)
        for index, row in enumerate(rows[table_name]):
            if row[position] is None:
                continue
            try:
                json.loads(row[position])
            except ValueError:
                path = f"$.tables.{table_name}[{index}].{column_name}"
                raise ValidationError(f"{path}：应为 JSON 文本，"
                                      "而这段文本不是有效的 JSON", path) from None


def _check_references(rows: dict[str, list[tuple]]) -> None:
    """Every foreign key points at a row the file holds (the path names the key's field)."""
    ids: dict[str, set] = {}
    for table in TABLES:
        for position, column in enumerate(table.columns):
            if column.references is None:
                continue
            target = _BY_NAME[column.references]
            if target.name not in ids:
                ids[target.name] = {row[target.key_index] for row in rows[target.name]}
            known = ids[target.name]
            for index, row in enumerate(rows[table.name]):
                value = row[position]
                if value is not None and value not in known:
                    path = f"$.tables.{table.name}[{index}].{column.name}"
                    raise ValidationError(f"{path}：引用的“{target.label}”（{target.name}）中没有编号为 {value} 的记录", path)


def _write_ledger(target: Path, fill) -> int:
    """Create the ledger and insert every row in one transaction; on failure nothing is left.

    The ledger is built beside ``target`` and moved into place when whole (``db.new_ledger``), so
    a failed or killed import leaves no empty ledger that the next attempt would refuse.
    ``fill(conn)`` inserts the rows and returns how many. ``open_ledger`` binds the models to the
    new file: the binding in place before (a GUI's open ledger) is put back afterwards.
    """
    from .db import current_ledger, make_current, new_ledger

    previous = current_ledger()
    try:
        with new_ledger(target) as ledger, ledger.db.atomic():
            conn = ledger.db.connection()
            conn.execute("PRAGMA defer_foreign_keys = ON")  # party_group ↔ person point at each other
            # Building an index once after the rows are in is ~3× faster than keeping it up to date
            # row by row (1.2 M dues rows: 2.6 s instead of 8.3 s). The same SQL puts it back.
            indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                                   " ORDER BY name").fetchall()
            for name, _ in indexes:
                conn.execute(f'DROP INDEX "{name}"')
            count = fill(conn)
            for _, sql in indexes:
                conn.execute(sql)
        return count
    except (sqlite3.Error, OSError) as exc:
        raise LedgerError(f"写入新台账“{target}”失败：{exc}。没有留下任何文件。") from exc
    finally:
        if previous is not None:
            make_current(previous)


# ---------------------------------------------------------------------------------------------
# The JSON Schema and the column reference, generated from the models

def _column_schema(column: _Column) -> dict:
    schema: dict = {}
    meaning = column_meaning(column.table, column.name)
    description = [meaning] if meaning else []
    if column.kind == "date":
        schema.update(type="string", format="date", pattern=_DATE_PATTERN)
    elif column.kind == "integer":
        schema["type"] = "integer"
        if column.references:
            description.append(f"→ {column.references}.id")
    else:
        schema["type"] = column.kind
    if column.choices:
        schema["enum"] = list(column.choices)
        labels = dict(column.field.choices)
        description.append("；".join(f"{code} = {labels[code]}" for code in column.choices))
    if column.nullable:
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"].append(None)
    default = column.field.default
    if default is not None and not callable(default):
        schema["default"] = default
    if description:
        schema["description"] = "。".join(description)
    return schema


def _table_schema(table: _Table) -> dict:
    description = table.label
    if table.unique:
        description += "。不能重复：" + "；".join("、".join(cols) for cols in table.unique)
    return {
        "title": table.model.__name__,
        "description": description,
        "type": "object",
        "properties": {c.name: _column_schema(c) for c in table.columns},
        "required": [c.name for c in table.columns if c.required],
        "additionalProperties": False,
    }


def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) of this format version, generated from the models."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:party-ledger:ledger-format:{FORMAT_VERSION}",
        "title": "党务台账开放数据格式（party-ledger）",
        "description": "整个台账的开放副本：每个表一个列表，每行一个对象，键为列名。"
                       "日期为 YYYY-MM-DD，金额为整数分（*_fen），枚举为英文代码。含个人信息，请妥善保管。",
        "type": "object",
        "properties": {
            "format": {"const": FORMAT, "description": "格式标记"},
            "format_version": {"const": FORMAT_VERSION, "description": "格式版本：不兼容的改动才会增加"},
            "schema_version": {"type": "integer", "minimum": 1,
                               "description": "导出时台账的数据版本（PRAGMA user_version）"},
            "tables": {
                "type": "object",
                "description": "每个表一个列表；导出时每个表都在，导入时缺少的表视为空表",
                "properties": {t.name: {"type": "array", "items": {"$ref": f"#/$defs/{t.name}"}}
                               for t in TABLES},
                "additionalProperties": False,
            },
        },
        "required": ["format", "format_version", "schema_version", "tables"],
        "additionalProperties": False,
        "$defs": {t.name: _table_schema(t) for t in TABLES},
    }


def schema_text() -> str:
    """The schema as committed in ``ledger-format.schema.json``."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=1) + "\n"


_KIND_LABELS = {"integer": "整数", "date": "日期", "boolean": "true/false", "string": "文本"}
DOCS_BEGIN = "<!-- BEGIN GENERATED: python -m ledger_app.exchange --docs docs/ledger-format.md -->"
DOCS_END = "<!-- END GENERATED -->"


def _enumerations() -> list[tuple[str, dict, list[str]]]:
    """Each vocabulary the tables use: its name in ``vocab``, codes → labels, and the columns using it."""
    found = []
    for name, mapping in vars(vocab).items():
        if not (name.isupper() and isinstance(mapping, dict)):
            continue
        users = [f"{t.name}.{c.name}" for t in TABLES for c in t.columns
                 if c.choices and dict(c.field.choices) == mapping]
        if users:
            found.append((name, mapping, users))
    return found


def reference_markdown() -> str:
    """The generated part of ``docs/ledger-format.md``: every table and column, and every enumeration."""
    enum_of = {user: name for name, _, users in _enumerations() for user in users}
    lines = ["### 表和字段", ""]
    for table in TABLES:
        lines += [f"#### `{table.name}` — {table.label}", ""]
        if table.unique:
            lines += ["不能重复：" + "；".join("、".join(f"`{c}`" for c in cols) for cols in table.unique), ""]
        lines += ["| 字段 | 类型 | 可空 | 必填 | 含义 |", "|---|---|---|---|---|"]
        for c in table.columns:
            kind = _KIND_LABELS[c.kind]
            if c.references:
                kind = f"整数 → `{c.references}.id`"
            elif c.choices:
                kind = f"代码（[{enum_of[f'{table.name}.{c.name}']}](#{enum_of[f'{table.name}.{c.name}'].lower()})）"
            default = c.field.default
            required = "是" if c.required else (f"否（默认 `{json.dumps(default, ensure_ascii=False)}`）"
                                                if default is not None else "否（默认 `null`）")
            lines.append(f"| `{c.name}` | {kind} | {'是' if c.nullable else '否'} | {required} | "
                         f"{column_meaning(table.name, c.name) or ''} |")
        lines.append("")
    lines += ["### 枚举代码", ""]
    for name, mapping, users in _enumerations():
        lines += [f"#### {name}", "", "用于：" + "、".join(f"`{u}`" for u in users), "",
                  "| 代码 | 含义 |", "|---|---|"]
        lines += [f"| `{code}` | {label} |" for code, label in mapping.items()]
        lines.append("")
    return "\n".join(lines)


def update_docs(path: Path) -> None:
    """Replace the generated section of the format document with the current reference."""
    text = Path(path).read_text(encoding="utf-8")
    start, end = text.index(DOCS_BEGIN) + len(DOCS_BEGIN), text.index(DOCS_END)
    Path(path).write_text(text[:start] + "\n\n" + reference_markdown() + "\n" + text[end:], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """``python -m ledger_app.exchange --schema`` regenerates the committed JSON Schema."""
    parser = argparse.ArgumentParser(prog="python -m ledger_app.exchange",
                                     description="重新生成开放数据格式的 JSON Schema 和字段说明")
    parser.add_argument("--schema", action="store_true", help=f"重写 {SCHEMA_FILE.name}")
    parser.add_argument("--docs", metavar="FILE.md", help="重写该文档中自动生成的表和字段一节")
    args = parser.parse_args(argv)
    if not (args.schema or args.docs):
        parser.error("请给出 --schema 或 --docs")
    if args.schema:
        SCHEMA_FILE.write_text(schema_text(), encoding="utf-8")
        print(f"已写入 {SCHEMA_FILE}")
    if args.docs:
        update_docs(Path(args.docs))
        print(f"已更新 {args.docs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
