"""The audit log: every change made through a service, written in the change's own transaction."""

import json
from dataclasses import dataclass
from datetime import datetime

from ..models import AuditEntry, BaseModel, database
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
