"""Builds ``templates/development_register.docx``: the year's 发展党员工作台账, landscape A4.

Context (``documents.development.register_context``): branch_name, period, made_on, summary, rows
(each with seq, name, sex, birth, education, applied, activist, target, joined, converted,
introducers, status). No totals row.
"""

from pathlib import Path

TEMPLATE = "development_register.docx"


def build(path: Path) -> None:
    from ledger_app.documents.development import REGISTER_COLUMNS
    from templates._build._table import build_table_document

    build_table_document(path, "发展党员工作台账", REGISTER_COLUMNS, landscape=True, size=9, before=[], after=[
        ("{{ summary }}", "left"),
        ("{{ branch_name }}　　{{ made_on }}", "right"),
    ], totals_row=False)
