"""Builds ``templates/dues_posting.docx``: the 党费收缴公示 for a month, portrait A4.

Names and amounts only (no ID number, no base). The template has the month's columns
(``documents.dues.POSTING_MONTH_COLUMNS``: seq, name, group, paid, extra, total, state); for a
year's posting the context fills ``state`` with the months paid, so one template serves both.
Context: branch_name, period, intro, summary, made_on, rows and totals.
"""

from pathlib import Path

TEMPLATE = "dues_posting.docx"


def build(path: Path) -> None:
    from ledger_app.documents.dues import POSTING_MONTH_COLUMNS
    from templates._build._table import build_table_document

    build_table_document(path, "党费收缴公示", POSTING_MONTH_COLUMNS, landscape=False, size=11,
                         before=["{{ intro }}"], after=[
                             ("{{ summary }}", "left"),
                             ("{{ branch_name }}", "right"),
                             ("{{ made_on }}", "right"),
                         ])
