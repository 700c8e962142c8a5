"""The workbench's first figures, read with plain SQL over the ledger's own connection.

The first screen must appear quickly (design.md: start-up within 1.5 × a bare Qt window), and
importing the ORM alone takes a good part of that budget. So what the first screen shows — the
branch, a few counts over indexed columns, the committee term — is read here through the sqlite3
connection ``db.open_ledger`` made, and the models load after the window is painted. These are the
only implementations of these figures; ``services.branch.is_set_up`` asks here too.
"""

import sqlite3
from dataclasses import dataclass
from datetime import date

from .rules.dates import add_months

PIPELINE_STAGES = ("applicant", "activist", "target")


@dataclass(frozen=True)
class Overview:
    """What the workbench shows at start: the branch profile and cheap counts."""

    branch_name: str
    branch_type: str
    upper_committee: str
    full_members: int
    probationary_members: int
    in_pipeline: int
    groups: int
    meetings_this_year: int
    term_ends_on: date | None


def is_set_up(conn: sqlite3.Connection) -> bool:
    """Whether the ledger has a branch profile yet (else the GUI runs the first-run wizard)."""
    return conn.execute("SELECT 1 FROM branch LIMIT 1").fetchone() is not None


def branch_name(conn: sqlite3.Connection) -> str:
    """The branch's name, or "" before the first-run set-up."""
    row = conn.execute("SELECT name FROM branch ORDER BY id LIMIT 1").fetchone()
    return row[0] if row else ""


def read_overview(conn: sqlite3.Connection, today: date | None = None) -> Overview:
    """The figures of the workbench, as of ``today``."""
    today = today or date.today()
    profile = conn.execute("SELECT name, branch_type, upper_committee FROM branch ORDER BY id LIMIT 1").fetchone()
    by_stage = _active_by_stage(conn)
    groups = conn.execute("SELECT count(*) FROM party_group").fetchone()[0]
    meetings = conn.execute("SELECT count(*) FROM meeting WHERE held_on BETWEEN ? AND ?",
                            (date(today.year, 1, 1).isoformat(), date(today.year, 12, 31).isoformat())).fetchone()[0]
    term = conn.execute("SELECT started_on, length_years FROM committee_term "
                        "ORDER BY started_on DESC LIMIT 1").fetchone()
    name, branch_type, upper = profile or ("", "", "")
    return Overview(
        branch_name=name,
        branch_type=branch_type,
        upper_committee=upper,
        full_members=by_stage.get("full", 0),
        probationary_members=by_stage.get("probationary", 0),
        in_pipeline=sum(by_stage.get(stage, 0) for stage in PIPELINE_STAGES),
        groups=groups,
        meetings_this_year=meetings,
        term_ends_on=add_months(date.fromisoformat(term[0]), 12 * term[1]) if term else None,
    )


def _active_by_stage(conn: sqlite3.Connection) -> dict[str, int]:
    """People on the roll by stage: everyone (read from the stage index alone) less those who have
    left (few, found through the state index). Counting the active rows directly reads every one of
    them, about 2 ms on 5,000 members — a noticeable part of the first window's time."""
    counts = dict(conn.execute("SELECT stage, count(*) FROM person GROUP BY stage").fetchall())
    for stage, left in conn.execute(
            "SELECT stage, count(*) FROM person INDEXED BY person_membership_state "
            "WHERE membership_state < 'active' OR membership_state > 'active' GROUP BY stage"):
        counts[stage] -= left
    return counts
