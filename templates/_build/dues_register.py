"""Builds ``templates/dues_register.docx``: the annual 党费收缴登记册 (member × 12 months), landscape A4.

Context (``documents.dues.register_context``): branch_name, period, made_on, summary, rows (each
with seq, name, base, due, m1 … m12, paid, extra) and totals with the same keys.
"""

from pathlib import Path

TEMPLATE = "dues_register.docx"


def build(path: Path) -> None:
    from ledger_app.documents.dues import REGISTER_COLUMNS
    from templates._build._table import build_table_document

    build_table_document(path, "党费收缴登记册", REGISTER_COLUMNS, landscape=True, size=7.5, before=[], after=[
        ("{{ summary }}", "left"),
        ("{{ branch_name }}　　{{ made_on }}", "right"),
    ])
