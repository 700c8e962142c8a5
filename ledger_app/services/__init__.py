"""Use cases over the open ledger: each public function is one transaction with its audit entries.

The GUI and the command line call these and receive plain dataclasses, never peewee objects.
``write`` wraps a function in one ``BEGIN IMMEDIATE`` transaction; ``audit`` records each change
inside it, so a change and its audit entry land together or not at all.
"""

import functools

from ..models import database


def write(fn):
    """Run ``fn`` as one write transaction (``BEGIN IMMEDIATE``: no lock upgrade deadlocks)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if database.in_transaction():
            return fn(*args, **kwargs)
        with database.atomic("IMMEDIATE"):
            return fn(*args, **kwargs)

    return wrapper
