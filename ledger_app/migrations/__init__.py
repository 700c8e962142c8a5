"""Schema migrations: one function per version step, registered with ``@step(N)``.

``PRAGMA user_version`` holds the schema version. ``migrate`` runs each missing step in its own
exclusive transaction that also bumps the version, so a crash mid-way leaves the ledger at the last
whole step. The caller takes a verified backup before the first step on an existing ledger.
"""

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # peewee is imported only when a migration runs
    from peewee import Database

STEPS: dict[int, Callable[["Database"], None]] = {}


def step(version: int):
    """Register the function that upgrades a ledger from ``version - 1`` to ``version``."""

    def register(fn):
        STEPS[version] = fn
        return fn

    return register


def schema_version() -> int:
    """The schema version this program writes."""
    return max(STEPS)


def _run_sql_file(db: "Database", name: str) -> None:
    text = (Path(__file__).with_name(name)).read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("--"))
    for statement in body.split(";"):
        if statement.strip():
            db.execute_sql(statement)


@step(1)
def create_schema(db: "Database") -> None:
    """Version 1: the whole data model as first released."""
    _run_sql_file(db, "v1.sql")


@step(2)
def development_and_year_end(db: "Database") -> None:
    """Version 2: the 公示 and filing dates of development, the meetings that decided its steps,
    the people and kind of a 谈心谈话, the 民主评议 round, the clerk's own text of a year, and the
    occupation category of the 党内统计."""
    _run_sql_file(db, "v2.sql")


@step(3)
def drop_redundant_indexes(db: "Database") -> None:
    """Version 3: no index that only repeats the first column of a unique one (see v3.sql)."""
    _run_sql_file(db, "v3.sql")


def migrate(db: "Database", from_version: int) -> None:
    """Apply every step after ``from_version``, each in one exclusive transaction."""
    for version in range(from_version + 1, schema_version() + 1):
        with db.atomic("EXCLUSIVE"):
            STEPS[version](db)
            db.execute_sql(f"PRAGMA user_version = {version:d}")
