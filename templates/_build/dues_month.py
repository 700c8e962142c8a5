"""Builds ``templates/dues_month.docx``: the monthly 党费收缴登记表 on landscape A4.

Context (``documents.dues.month_form_context``): branch_name, period, made_on, summary, rows (each
with seq, name, group, base, due, paid, extra, paid_on, method, receipt, signature) and totals.
"""

from pathlib import Path

TEMPLATE = "dues_month.docx"


def build(path: Path) -> None:
    from ledger_app.documents.dues import MONTH_COLUMNS
    from templates._build._table import build_table_document

    build_table_document(path, "党费收缴登记表", MONTH_COLUMNS, landscape=True, size=10, before=[], after=[
        ("{{ summary }}", "left"),
        ("收缴人：＿＿＿＿＿＿　　　　支部书记：＿＿＿＿＿＿　　　　制表日期：{{ made_on }}", "left"),
    ])
