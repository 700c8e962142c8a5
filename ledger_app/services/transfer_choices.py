"""Small read-only queries the 组织关系 page needs besides the register itself.

Kept apart from ``services.transfers`` (the register and its writes) so that page-only lookups do
not grow that module. Nothing here writes.
"""

from peewee import fn

from ..models import Transfer


def transfer_years() -> list[int]:
    """The years that have at least one transfer, newest first (for the page's year filter)."""
    year = fn.strftime("%Y", Transfer.transferred_on)
    return [int(value) for (value,) in Transfer.select(year).distinct().order_by(year.desc()).tuples() if value]
