"""The dues documents: the monthly collection form (党费收缴登记表), the annual register (党费收缴
登记册) and the public posting (党费收缴公示), each as PDF, Word or Excel.

One context builder per document turns ``services.dues.year_grid`` into plain values shared by
the renderers: every row is a dict of display strings keyed by column (the PDF and the Word
template print those), and ``row["_fen"]`` keeps the money columns as integer fen so the Excel
sheet writes exact numbers (``Decimal(fen) / 100`` with the 0.00 format, never a float; totals
are integer sums written as values). Money is never summed from printed text.

Privacy (公示): the posting sheet is pinned up for every member to see. It shows what the usual
公示 shows — each name and the amounts paid — and nothing else: no ID number, and no base either,
since the base is the member's income.
"""

from datetime import date
from pathlib import Path

from ..errors import LedgerError, ValidationError
from ..money import format_yuan
from ..vocab import PAYMENT_METHODS
from . import MISSING, cn_date
from .table_document import render_table_document

SUFFIXES = (".pdf", ".docx", ".xlsx")
CELL_WORDS = {"unpaid": "未交", "exempt": "免交", "not_member": "—", "future": ""}

# (header, key, kind, width in mm on the page, alignment); kind "money" columns hold fen in row["_fen"].
MONTH_COLUMNS = (
    ("序号", "seq", "text", 10, "center"),
    ("姓名", "name", "text", 20, "center"),
    ("党小组", "group", "text", 24, "center"),
    ("党费基数（元）", "base", "money", 24, "right"),
    ("每月应交（元）", "due", "money", 22, "right"),
    ("实交党费（元）", "paid", "money", 22, "right"),
    ("自愿多交（元）", "extra", "money", 22, "right"),
    ("交纳日期", "paid_on", "text", 24, "center"),
    ("方式", "method", "text", 13, "center"),
    ("收据号", "receipt", "text", 28, "center"),
    ("本人签名", "signature", "text", 0, "center"),  # 0: the rest of the page
)
REGISTER_COLUMNS = (
    ("序号", "seq", "text", 9, "center"),
    ("姓名", "name", "text", 17, "center"),
    ("基数", "base", "money", 17, "right"),
    ("月标准", "due", "money", 14, "right"),
    *((f"{m}月", f"m{m}", "money", 15, "right") for m in range(1, 13)),
    ("全年实交", "paid", "money", 0, "right"),
    ("自愿多交", "extra", "money", 16, "right"),
)
POSTING_MONTH_COLUMNS = (
    ("序号", "seq", "text", 12, "center"),
    ("姓名", "name", "text", 26, "center"),
    ("党小组", "group", "text", 30, "center"),
    ("实交党费（元）", "paid", "money", 30, "right"),
    ("自愿多交（元）", "extra", "money", 30, "right"),
    ("合计（元）", "total", "money", 0, "right"),
    ("情况", "state", "text", 20, "center"),
)
POSTING_YEAR_COLUMNS = (
    ("序号", "seq", "text", 12, "center"),
    ("姓名", "name", "text", 26, "center"),
    ("党小组", "group", "text", 30, "center"),
    ("已交月数", "months", "text", 20, "center"),
    ("实交党费（元）", "paid", "money", 30, "right"),
    ("自愿多交（元）", "extra", "money", 30, "right"),
    ("合计（元）", "total", "money", 0, "right"),
)


def _money(fen: int | None) -> str:
    return "" if fen is None else format_yuan(fen)


def _branch_name() -> str:
    from ..services.branch import get_profile

    profile = get_profile()
    return profile.name if profile else MISSING


def _base(title: str, period: str, columns, today: date) -> dict:
    return {"title": title, "branch_name": _branch_name(), "period": period, "made_on": cn_date(today),
            "headers": [c[0] for c in columns], "keys": [c[1] for c in columns], "rows": [], "totals": {}}


def _row(values: dict, fen: dict) -> dict:
    """A table row: display strings per column, and the money columns as fen under ``_fen``."""
    row = dict(values)
    for key, amount in fen.items():
        row[key] = format_yuan(amount) if isinstance(amount, int) else (amount or "")
    row["_fen"] = {key: amount for key, amount in fen.items() if isinstance(amount, int)}
    return row


# ---- context builders -----------------------------------------------------------------------------------

def month_form_context(period: tuple[int, int], today: date | None = None) -> dict:
    """党费收缴登记表 for one month: every member of the month with the standard, what was paid, and totals."""
    from ..services.dues import year_grid

    year, month = _checked_month(period)
    today = today or date.today()
    grid = year_grid(year, today)
    context = _base("党费收缴登记表", f"{year}年{month}月", MONTH_COLUMNS, today)
    counts = {"members": 0, "paid": 0, "unpaid": 0, "exempt": 0, "future": 0}
    paid_fen = extra_fen = 0
    for row in grid.rows:
        cell = row.cells[month - 1]
        if cell.status == "not_member":
            continue
        counts["members"] += 1
        counts[cell.status] += 1
        paid = cell.amount_fen if cell.status == "paid" else CELL_WORDS[cell.status] or "未到期"
        paid_fen += cell.amount_fen
        extra_fen += cell.extra_fen
        context["rows"].append(_row({
            "seq": str(counts["members"]), "name": row.name, "group": row.group,
            "paid_on": cell.paid_on.strftime("%Y.%m.%d") if cell.paid_on else "",
            "method": PAYMENT_METHODS.get(cell.method, ""), "receipt": cell.receipt_no, "signature": "",
        }, {"base": row.base_fen if row.base_fen is not None else "未录入",
            "due": cell.due_fen if cell.status != "paid" else row.due_fen, "paid": paid,
            "extra": cell.extra_fen if cell.extra_fen else ""}))
    context["totals"] = _row({"seq": "合计", "name": f"{counts['members']} 人", "group": "", "base": "", "due": "",
                              "paid_on": "", "method": "", "receipt": "", "signature": ""},
                             {"paid": paid_fen, "extra": extra_fen})
    context["summary"] = (f"本月应交党员 {counts['members']} 人，已交 {counts['paid']} 人，未交 {counts['unpaid']} 人"
                          + (f"，免交 {counts['exempt']} 人" if counts["exempt"] else "")
                          + f"；实交党费 {format_yuan(paid_fen)} 元，自愿多交 {format_yuan(extra_fen)} 元，"
                            f"合计 {format_yuan(paid_fen + extra_fen)} 元。")
    context["counts"] = counts
    context["signature_line"] = f"收缴人：＿＿＿＿＿＿　　　　支部书记：＿＿＿＿＿＿　　　　制表日期：{context['made_on']}"
    context["total_fen"] = paid_fen + extra_fen
    return context


def register_context(year: int, today: date | None = None) -> dict:
    """党费收缴年度登记册: member × 12 months with each month's amount or status, and totals."""
    from ..services.dues import year_grid

    _checked_year(year)
    today = today or date.today()
    grid = year_grid(year, today)
    context = _base("党费收缴登记册", f"{year}年度", REGISTER_COLUMNS, today)
    for seq, row in enumerate(grid.rows, 1):
        fen = {"base": row.base_fen if row.base_fen is not None else "未录入", "due": row.due_fen}
        for month, cell in enumerate(row.cells, 1):
            fen[f"m{month}"] = cell.amount_fen if cell.status == "paid" else CELL_WORDS[cell.status]
        fen["paid"] = sum(c.amount_fen for c in row.cells if c.status == "paid")
        fen["extra"] = sum(c.extra_fen for c in row.cells if c.status == "paid")
        context["rows"].append(_row({"seq": str(seq), "name": row.name}, fen))
    totals = {f"m{m.month}": m.standard_fen for m in grid.months}
    totals.update({"base": "", "due": "", "paid": grid.standard_fen, "extra": grid.extra_fen})
    context["totals"] = _row({"seq": "合计", "name": f"{len(grid.rows)} 人"}, totals)
    context["summary"] = (f"全年实交党费 {format_yuan(grid.standard_fen)} 元，自愿多交 {format_yuan(grid.extra_fen)} 元，"
                          f"合计 {format_yuan(grid.total_fen)} 元。表中“未交”为当月未交，“免交”为经批准免交，"
                          f"“—”为当月不是本支部党员。")
    context["total_fen"] = grid.total_fen
    return context


def parse_period(period: str) -> tuple[int, int | None]:
    """"2026" → (2026, None); "2026-03" → (2026, 3); anything else is refused, naming it."""
    text = str(period).strip()
    parts = text.split("-")
    try:
        if len(parts) == 1 and len(parts[0]) == 4:
            year, month = int(parts[0]), None
        elif len(parts) == 2 and len(parts[0]) == 4 and 1 <= len(parts[1]) <= 2:
            year, month = int(parts[0]), int(parts[1])
        else:
            raise ValueError
    except ValueError:
        raise ValidationError(f"公示期间“{period}”无效：应为年份（如 2026）或年月（如 2026-03）。", "period") from None
    if not 1921 <= year <= 9999 or (month is not None and not 1 <= month <= 12):
        raise ValidationError(f"公示期间“{period}”无效：应为年份（如 2026）或年月（如 2026-03）。", "period")
    return year, month


def posting_context(period: str, today: date | None = None) -> dict:
    """党费收缴公示 for a month or a year: each member's name and the amounts paid (no ID, no base)."""
    from ..services.dues import year_grid

    year, month = parse_period(period)
    today = today or date.today()
    grid = year_grid(year, today)
    label = f"{year}年{month}月" if month else f"{year}年度"
    context = _base("党费收缴公示", label, POSTING_MONTH_COLUMNS if month else POSTING_YEAR_COLUMNS, today)
    paid_fen = extra_fen = paid_people = seq = 0
    for row in grid.rows:
        cells = [row.cells[month - 1]] if month else list(row.cells)
        if all(c.status == "not_member" for c in cells):
            continue
        seq += 1
        paid = sum(c.amount_fen for c in cells if c.status == "paid")
        extra = sum(c.extra_fen for c in cells if c.status == "paid")
        paid_months = sum(c.status == "paid" for c in cells)
        paid_fen += paid
        extra_fen += extra
        paid_people += paid_months > 0
        values = {"seq": str(seq), "name": row.name, "group": row.group}
        if month:
            values["state"] = {"paid": "已交", "unpaid": "未交", "exempt": "免交", "future": "未到期"}[cells[0].status]
        else:
            member_months = sum(c.status != "not_member" for c in cells)
            values["months"] = f"{paid_months}/{member_months}"
            values["state"] = f"已交 {paid_months}/{member_months} 个月"  # the Word template's last column
        context["rows"].append(_row(values, {"paid": paid, "extra": extra, "total": paid + extra}))
    blank = {"group": "", "state": "", "months": ""}
    context["totals"] = _row({"seq": "合计", "name": f"{seq} 人", **blank},
                             {"paid": paid_fen, "extra": extra_fen, "total": paid_fen + extra_fen})
    context["intro"] = (f"根据《关于中国共产党党费收缴、使用和管理的规定》，现将{context['branch_name']}{label}"
                        f"党费收缴情况公示如下：")
    context["summary"] = (f"{label}共有 {paid_people} 名党员交纳党费，实交党费 {format_yuan(paid_fen)} 元，"
                          f"自愿多交 {format_yuan(extra_fen)} 元，合计 {format_yuan(paid_fen + extra_fen)} 元。"
                          f"公示期 5 个工作日，如有疑问，请向支部委员会反映。")
    context["total_fen"] = paid_fen + extra_fen
    return context


def _checked_year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 1921 <= year <= 9999:
        raise ValidationError(f"年份“{year}”无效，应为四位数字，如 2026。", "year")
    return year


def _checked_month(period: tuple[int, int]) -> tuple[int, int]:
    try:
        year, month = period
    except (TypeError, ValueError):
        raise ValidationError(f"月份“{period}”无效，应为年月，如 2026-03。", "period") from None
    _checked_year(year)
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise ValidationError(f"月份“{month}”无效，应为 1 到 12。", "period")
    return year, month


# ---- the three documents --------------------------------------------------------------------------------

def make_month_form(period: tuple[int, int], out: Path, today: date | None = None) -> Path:
    """Write the monthly collection form; the suffix of ``out`` picks PDF, Word or Excel."""
    suffix = _suffix(out)
    return render_table_document(month_form_context(period, today), MONTH_COLUMNS, "dues_month.docx", Path(out), suffix,
                   landscape=True)


def make_year_register(year: int, out: Path, today: date | None = None) -> Path:
    """Write the annual dues register (member × 12 months); PDF, Word or Excel."""
    suffix = _suffix(out)
    return render_table_document(register_context(year, today), REGISTER_COLUMNS, "dues_register.docx", Path(out), suffix,
                   landscape=True)


def make_posting(period: str, out: Path, today: date | None = None) -> Path:
    """Write the public posting sheet for "YYYY" or "YYYY-MM"; PDF, Word or Excel."""
    suffix = _suffix(out)
    year, month = parse_period(period)
    return render_table_document(posting_context(period, today), POSTING_MONTH_COLUMNS if month else POSTING_YEAR_COLUMNS,
                   "dues_posting.docx", Path(out), suffix, landscape=False)


def _suffix(out: Path) -> str:
    suffix = Path(out).suffix.lower()
    if suffix not in SUFFIXES:
        raise LedgerError(f"不支持的文件类型“{Path(out).suffix or '（无扩展名）'}”：请用 .pdf、.docx 或 .xlsx 结尾的文件名。")
    return suffix
