"""Turning model rows into plain JSON values and back, field by field.

One place for the encoding the audit log and the JSON format share: dates as ISO strings,
booleans as booleans, foreign keys as the referenced id under ``<name>_id``, money as integer fen.
"""

from datetime import date

from peewee import BooleanField, DateField, ForeignKeyField, IntegerField, Model

from .errors import ValidationError


def column_name(field) -> str:
    """The key a field has in JSON: its column name (``group_id`` for the ``group`` key)."""
    return field.column_name


def to_json_value(field, value):
    if value is None:
        return None
    if isinstance(field, DateField):
        return value.isoformat() if isinstance(value, date) else str(value)
    if isinstance(field, BooleanField):
        return bool(value)
    return value


def from_json_value(field, value, path: str):
    """Decode one JSON value for ``field``; raise ``ValidationError`` naming ``path`` when it is wrong."""
    if value is None:
        if field.null or field.primary_key:
            return None
        raise ValidationError(f"{path}：不能为空", path)
    if isinstance(field, DateField):
        if not isinstance(value, str):
            raise ValidationError(f"{path}：应为 YYYY-MM-DD 格式的日期", path)
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValidationError(f"{path}：“{value}”不是有效日期（应为 YYYY-MM-DD）", path) from None
    if isinstance(field, BooleanField):
        if not isinstance(value, bool):
            raise ValidationError(f"{path}：应为 true 或 false", path)
        return value
    if isinstance(field, IntegerField | ForeignKeyField):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"{path}：应为整数", path)
        return value
    if not isinstance(value, str):
        raise ValidationError(f"{path}：应为文本", path)
    if field.choices and value not in {code for code, _ in field.choices}:
        allowed = "、".join(code for code, _ in field.choices)
        raise ValidationError(f"{path}：“{value}”不是可用的取值（可用：{allowed}）", path)
    return value


def row_to_dict(instance: Model) -> dict:
    """Every column of a row as plain JSON values."""
    return {
        column_name(field): to_json_value(field, instance.__data__.get(field.name))
        for field in instance._meta.sorted_fields
    }
