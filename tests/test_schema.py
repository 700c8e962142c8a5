"""The models and the migrated schema agree, column for column, key for key, index for index.

The schema is written by the migrations (SQL), the queries by the models (peewee); nothing else
keeps them in step, so a model field without its migration, or the reverse, fails here.
"""

import pytest

from ledger_app.models import ALL_MODELS

# peewee field type -> declared SQLite type. Money is integer fen, so REAL and DECIMAL are absent on
# purpose: a field of another type fails the test until it is thought about.
DECLARED_TYPES = {"AUTO": "INTEGER", "INT": "INTEGER", "BOOL": "INTEGER", "VARCHAR": "VARCHAR",
                  "TEXT": "TEXT", "DATE": "DATE"}


def rows(ledger, sql: str) -> list[tuple]:
    return list(ledger.db.execute_sql(sql).fetchall())


def model_ids(models) -> list[str]:
    return [m.__name__ for m in models]


@pytest.mark.parametrize("model", ALL_MODELS, ids=model_ids(ALL_MODELS))
def test_columns_match_the_model(ledger, model):
    table = model._meta.table_name
    info = rows(ledger, f'PRAGMA table_info("{table}")')  # cid, name, type, notnull, default, pk
    assert info, f"no table {table}"
    in_db = {name: (declared.split("(")[0].upper(), bool(notnull), bool(pk)) for _, name, declared, notnull, _, pk in info}
    in_model = {
        field.column_name: (DECLARED_TYPES[field.field_type], not field.null, field.primary_key)
        for field in model._meta.sorted_fields
    }
    assert in_db == in_model


@pytest.mark.parametrize("model", ALL_MODELS, ids=model_ids(ALL_MODELS))
def test_foreign_keys_match_the_model(ledger, model):
    table = model._meta.table_name
    # id, seq, table, from, to, on_update, on_delete, match
    in_db = {(src, target, to, on_delete) for _, _, target, src, to, _, on_delete, _ in
             rows(ledger, f'PRAGMA foreign_key_list("{table}")')}
    in_model = {
        (field.column_name, field.rel_model._meta.table_name, field.rel_field.column_name,
         (field.on_delete or "NO ACTION").upper())
        for field in model._meta.refs  # every ForeignKeyField, the resolved DeferredForeignKey included
    }
    assert in_db == in_model


@pytest.mark.parametrize("model", ALL_MODELS, ids=model_ids(ALL_MODELS))
def test_indexes_match_the_model(ledger, model):
    """Unique indexes are rules (one dues row per member and month); plain ones are speed."""
    table = model._meta.table_name
    in_db = set()
    for _, name, unique, origin, _ in rows(ledger, f'PRAGMA index_list("{table}")'):
        if origin == "pk":
            continue
        columns = tuple(r[2] for r in sorted(rows(ledger, f'PRAGMA index_info("{name}")')))
        in_db.add((columns, bool(unique)))

    in_model = set()
    for field in model._meta.sorted_fields:
        if field.primary_key:
            continue
        if field.unique or field.index:
            in_model.add(((field.column_name,), bool(field.unique)))
    for names, unique in model._meta.indexes:
        in_model.add((tuple(model._meta.fields[n].column_name for n in names), bool(unique)))
    assert in_db == in_model


def test_every_table_has_a_model(ledger):
    tables = {name for (name,) in rows(ledger, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                               "AND name NOT LIKE 'sqlite_%'")}
    assert tables == {m._meta.table_name for m in ALL_MODELS}


def test_all_models_are_in_dependency_order():
    """Export, import and the schema follow ALL_MODELS: a key points only backwards (one deferred cycle)."""
    seen = set()
    for model in ALL_MODELS:
        for field in model._meta.refs:
            target = field.rel_model
            assert target in seen or target is model or (model.__name__, target.__name__) == ("PartyGroup", "Person"), \
                f"{model.__name__}.{field.name} points forward to {target.__name__}"
        seen.add(model)


def test_foreign_key_check_is_clean_on_a_new_ledger(ledger):
    assert rows(ledger, "PRAGMA foreign_key_check") == []
    assert rows(ledger, "PRAGMA integrity_check") == [("ok",)]
