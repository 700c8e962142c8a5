"""The audit log: every change made through a service, written in the change's own transaction."""

import json
from dataclasses import dataclass
from datetime import datetime

from .. import vocab
from ..models import ALL_MODELS, AuditEntry, BaseModel, database
from ..money import format_yuan
from ..records import row_to_dict


def _json(data: dict | None) -> str | None:
    return None if data is None else json.dumps(data, ensure_ascii=False, sort_keys=True)


def record(action: str, table: str, row_id: int | None, before: dict | None, after: dict | None,
           summary: str = "") -> None:
    """Write one audit entry; must run inside the transaction that makes the change."""
    assert database.in_transaction(), "audit entries are written inside the change's transaction"
    AuditEntry.create(
        at=datetime.now().isoformat(timespec="seconds"),
        action=action,
        table_name=table,
        row_id=row_id,
        summary=summary,
        before=_json(before),
        after=_json(after),
    )


def create(model: type[BaseModel], summary: str = "", **fields) -> BaseModel:
    """Insert a row and audit it."""
    instance = model.create(**fields)
    record("insert", model._meta.table_name, instance.id, None, row_to_dict(instance), summary)
    return instance


def update(instance: BaseModel, summary: str = "", **changes) -> BaseModel:
    """Change fields of a row and audit before and after; no entry when nothing changed."""
    before = row_to_dict(instance)
    for name, value in changes.items():
        setattr(instance, name, value)
    after = row_to_dict(instance)
    if after != before:
        instance.save()
        record("update", instance._meta.table_name, instance.id, before, after, summary)
    return instance


def delete(instance: BaseModel, summary: str = "") -> None:
    """Delete a row (never a person: people leave by state) and audit what it held."""
    before = row_to_dict(instance)
    instance.delete_instance()
    record("delete", instance._meta.table_name, instance.id, before, None, summary)


@dataclass(frozen=True)
class AuditRow:
    """One audit entry as the GUI shows it."""

    id: int
    at: str
    action: str
    table_name: str
    row_id: int | None
    summary: str
    before: str | None
    after: str | None


def recent(limit: int = 200) -> list[AuditRow]:
    """The newest audit entries first."""
    query = AuditEntry.select().order_by(AuditEntry.id.desc()).limit(limit)
    return [AuditRow(e.id, e.at, e.action, e.table_name, e.row_id, e.summary, e.before, e.after) for e in query]


# --- an entry in words, for the 操作记录 page ------------------------------------------------------

def field_label(table: str, column: str) -> str:
    """A column's short Chinese name: its meaning without the explanation in brackets."""
    meaning = vocab.column_meaning(table, column)
    return meaning.split("（")[0] if meaning else column


def field_value(table: str, column: str, value) -> str:
    """A stored value the way the clerk reads it: codes as their Chinese labels, fen as yuan."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if column.endswith("_fen") and isinstance(value, int):
        return f"{format_yuan(value)} 元"
    field = _FIELDS.get((table, column))
    if field is not None and field.choices:
        return dict(field.choices).get(value, str(value))
    return str(value)


_FIELDS = {(model._meta.table_name, field.column_name): field
           for model in ALL_MODELS for field in model._meta.sorted_fields}


def _load(text: str | None):
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _lines(table: str, data) -> list[str]:
    if data is None:
        return ["  （无）"]
    if isinstance(data, dict):
        return [f"  {field_label(table, key)}：{field_value(table, key, value)}" for key, value in data.items()]
    return [f"  {data}"]


def describe(entry: AuditRow) -> str:
    """An entry's detail in Chinese: for a change, only the fields that changed (old → new)."""
    table = entry.table_name
    before, after = _load(entry.before), _load(entry.after)
    if isinstance(before, dict) and isinstance(after, dict):
        changed = [f"  {field_label(table, key)}：{field_value(table, key, before.get(key))} → "
                   f"{field_value(table, key, after.get(key))}"
                   for key in after if before.get(key) != after.get(key)]
        return "\n".join([entry.summary, "", "修改的内容：", *(changed or ["  （无）"])])
    return "\n".join([entry.summary, "", "修改前：", *_lines(table, before), "", "修改后：", *_lines(table, after)])
