"""The rules the ledger encodes, one area a module, each with its source in the docstring.

Rules are pure functions of plain values: no database, no Qt. A change of regulation is a change
of one module here.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """A broken rule: the field at fault and a message for the clerk saying what to fix."""

    field: str
    message: str
