"""The 党费 page's table models: the month × member grid, its totals line, and the year's bases.

The grid model holds one ``services.dues.YearGrid`` (plain values) and answers ``data()`` from it:
a display string is made the first time a cell is painted and kept, so a reset costs nothing
per row and 5,000 members show as fast as the first screen paints. No model here reads the
ledger while painting. The bases model writes through ``services.dues.set_base`` when a base or
a category is edited; a refused entry is reported through its ``problem`` signal (the page shows
it under the table) and nothing is written. The GUI formats money with ``money.format_yuan`` and
parses it with ``money.parse_yuan``; it never computes a standard or a total itself.
"""

from datetime import date

from PySide6.QtCore import QAbstractTableModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from ledger_app import vocab
from ledger_app.errors import LedgerError
from ledger_app.money import format_yuan, parse_yuan
from ledger_app.rules.arrears import index_of, month_index
from ledger_app.services import dues
from ledger_app.services.dues import BaseRow, Cell, YearGrid

DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
ALIGN = Qt.ItemDataRole.TextAlignmentRole
EDIT = Qt.ItemDataRole.EditRole
PERSON_ROLE = Qt.ItemDataRole.UserRole  # data(index, PERSON_ROLE): the row's person id

OVERDUE = QBrush(QColor("#b3261e"))  # 未交 in a past month
MUTED = QBrush(QColor("#8a8a84"))  # 免交, —, 未交 of the current month
EXTRA = QBrush(QColor("#1f5f8b"))  # a paid month with a voluntary extra
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
CENTRE = int(Qt.AlignmentFlag.AlignCenter)


def money(fen: int | None) -> str:
    return "" if fen is None else format_yuan(fen)


# ---- the month × member grid ------------------------------------------------------------------

# 党小组 is in the name's tooltip rather than a column: the grid then fits a 1280-pixel screen.
GRID_HEADERS = ("姓名", "月交标准", *(f"{m}月" for m in range(1, 13)), "全年合计")
STANDARD_COLUMN = 1
FIRST_MONTH_COLUMN = 2
YEAR_COLUMN = FIRST_MONTH_COLUMN + 12


def month_of_column(column: int) -> int | None:
    """1–12 for a month column, None for the others."""
    month = column - FIRST_MONTH_COLUMN + 1
    return month if 1 <= month <= 12 else None


def cell_text(cell: Cell, past: bool) -> str:
    """What a member-month shows: the amount paid, 未交, 免交, — (not a member) or nothing (future)."""
    if cell.status == "paid":
        return format_yuan(cell.amount_fen) + ("+" if cell.extra_fen else "")
    if cell.status == "unpaid":
        return "未交"
    if cell.status == "exempt":
        return "免交"
    if cell.status == "not_member":
        return "—"
    return ""


def cell_tooltip(cell: Cell, name: str, year: int, month: int) -> str:
    head = f"{name} {year}年{month}月："
    if cell.status == "paid":
        text = f"{head}已交 {format_yuan(cell.amount_fen)} 元"
        if cell.extra_fen:
            text += f"，另自愿多交 {format_yuan(cell.extra_fen)} 元"
        method = vocab.PAYMENT_METHODS.get(cell.method, cell.method)
        day = cell.paid_on.isoformat() if cell.paid_on else ""
        return f"{text}\n{day} {method}，收据 {cell.receipt_no}".rstrip()
    if cell.status == "unpaid":
        due = "未录入本年党费基数" if cell.due_fen is None else f"应交 {format_yuan(cell.due_fen)} 元"
        return f"{head}未交（{due}）"
    if cell.status == "exempt":
        return f"{head}经批准免交"
    if cell.status == "not_member":
        return f"{head}不是本支部党员"
    due = "" if cell.due_fen is None else f"，应交 {format_yuan(cell.due_fen)} 元"
    return f"{head}未到期{due}"


class GridModel(QAbstractTableModel):
    """Members × months of one year, read-only; ``PERSON_ROLE`` gives a row's person id."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.grid: YearGrid | None = None
        self.current = 0  # month index of today's month: unpaid months before it are red
        self._text: dict[tuple[int, int], str] = {}

    def load(self, grid: YearGrid) -> None:
        self.beginResetModel()
        self.grid = grid
        self.current = index_of(grid.today)
        self._text = {}
        self.endResetModel()

    @property
    def rows(self):
        return self.grid.rows if self.grid is not None else []

    def rowCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(GRID_HEADERS)

    def headerData(self, section, orientation, role=DISPLAY):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(GRID_HEADERS):
            if role == DISPLAY:
                return GRID_HEADERS[section]
            if role == TOOLTIP and month_of_column(section):
                return "点击选中整月"
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _past(self, month: int) -> bool:
        return month_index(self.grid.year, month) < self.current

    def data(self, index, role=DISPLAY):
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        row = self.grid.rows[r]
        month = month_of_column(c)
        if role == DISPLAY:
            key = (r, c)
            text = self._text.get(key)
            if text is None:
                text = self._text[key] = self._display(row, c, month)
            return text
        if role == ALIGN:
            return RIGHT if c >= STANDARD_COLUMN else None
        if role == FOREGROUND and month:
            cell = row.cells[month - 1]
            if cell.status == "unpaid":
                return OVERDUE if self._past(month) else MUTED
            if cell.status in ("exempt", "not_member"):
                return MUTED
            if cell.status == "paid" and cell.extra_fen:
                return EXTRA
            return None
        if role == TOOLTIP:
            if month:
                return cell_tooltip(row.cells[month - 1], row.name, self.grid.year, month)
            if c == STANDARD_COLUMN:
                return f"{row.category}，基数 {money(row.base_fen)} 元" if row.base_fen is not None else \
                    "尚未录入本年党费基数"
            if c == 0:
                return f"{row.name}（{row.stage}{'，' + row.group if row.group else ''}）"
            return None
        if role == PERSON_ROLE:
            return row.person_id
        return None

    def _display(self, row, column: int, month: int | None) -> str:
        if month:
            return cell_text(row.cells[month - 1], self._past(month))
        if column == 0:
            return row.name
        if column == STANDARD_COLUMN:
            return money(row.due_fen)
        return format_yuan(sum(cell.amount_fen + cell.extra_fen for cell in row.cells))


class TotalsModel(QAbstractTableModel):
    """One row under the grid: what was collected each month and in the year (from ``YearGrid``)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.grid: YearGrid | None = None

    def load(self, grid: YearGrid) -> None:
        self.beginResetModel()
        self.grid = grid
        self.endResetModel()

    def rowCount(self, parent=None) -> int:
        return 0 if (parent is not None and parent.isValid()) or self.grid is None else 1

    def columnCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(GRID_HEADERS)

    def headerData(self, section, orientation, role=DISPLAY):
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(GRID_HEADERS):
            return GRID_HEADERS[section]
        return None

    def flags(self, index):
        return Qt.ItemFlag.ItemIsEnabled if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index, role=DISPLAY):
        if not index.isValid() or self.grid is None:
            return None
        c = index.column()
        month = month_of_column(c)
        grid = self.grid
        if role == DISPLAY:
            if c == 0:
                return f"合计 {len(grid.rows)} 人"
            if month:
                total = grid.months[month - 1]
                return format_yuan(total.standard_fen + total.extra_fen)
            if c == YEAR_COLUMN:
                return format_yuan(grid.total_fen)
            return ""
        if role == ALIGN:
            return RIGHT if c >= STANDARD_COLUMN else None
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == TOOLTIP:
            if month:
                t = grid.months[month - 1]
                return (f"{grid.year}年{month}月：已交 {t.paid} 人，未交 {t.unpaid} 人，免交 {t.exempt} 人\n"
                        f"党费 {format_yuan(t.standard_fen)} 元，自愿多交 {format_yuan(t.extra_fen)} 元")
            if c == YEAR_COLUMN:
                return (f"{grid.year}年：党费 {format_yuan(grid.standard_fen)} 元，"
                        f"自愿多交 {format_yuan(grid.extra_fen)} 元，合计 {format_yuan(grid.total_fen)} 元")
        return None


# ---- the year's bases ---------------------------------------------------------------------------

BASE_HEADERS = ("姓名", "党小组", "身份", "类别", "基数（元）", "月交标准", "档次", "上年基数", "调整后标准", "调整原因")
CATEGORY_COLUMN = 3
BASE_COLUMN = 4
OVERRIDE_COLUMN = 8
REASON_COLUMN = 9
EDITABLE = frozenset((CATEGORY_COLUMN, BASE_COLUMN))


class BaseModel(QAbstractTableModel):
    """Each member's base for a year; 类别 and 基数 are edited in place and saved through the service.

    ``problem`` carries a refused entry's message, naming the row (an empty string: all is well).
    A category chosen for a member with no base yet is held here until the base is entered.
    """

    problem = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.year = date.today().year
        self.today: date | None = None
        self.rows: list[BaseRow] = []
        self.pending: dict[int, str] = {}  # person id → category chosen before the base

    def load(self, year: int, rows: list[BaseRow]) -> None:
        self.beginResetModel()
        self.year = year
        self.rows = list(rows)
        self.pending = {}
        self.endResetModel()

    def rowCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(BASE_HEADERS)

    def headerData(self, section, orientation, role=DISPLAY):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(BASE_HEADERS):
            if role == DISPLAY:
                return BASE_HEADERS[section]
            if role == TOOLTIP and section in EDITABLE:
                return "双击或直接输入即可修改"
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() in EDITABLE else flags

    def category_of(self, row: BaseRow) -> str:
        return self.pending.get(row.person_id, row.category)

    def data(self, index, role=DISPLAY):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        c = index.column()
        if role == DISPLAY:
            return self._display(row, c)
        if role == EDIT:
            if c == CATEGORY_COLUMN:
                return self.category_of(row)
            if c == BASE_COLUMN:
                return money(row.base_fen)
            return self._display(row, c)
        if role == ALIGN:
            return RIGHT if c in (BASE_COLUMN, 5, 7, OVERRIDE_COLUMN) else None
        if role == FOREGROUND and c == CATEGORY_COLUMN and row.person_id in self.pending:
            return EXTRA
        if role == TOOLTIP:
            if c == 6 and row.band:
                return row.band
            if c == BASE_COLUMN and row.entered_on:
                return f"{row.entered_on.isoformat()} 录入"
            if c == CATEGORY_COLUMN and row.person_id in self.pending:
                return "类别已选，填写基数后一并保存"
            if c == 7 and row.last_year_category:
                label = vocab.DUES_CATEGORIES.get(row.last_year_category, row.last_year_category)
                return f"{self.year - 1}年：{label}，基数 {money(row.last_year_base_fen)} 元"
            if c in (OVERRIDE_COLUMN, REASON_COLUMN):
                return (f"{row.override_reason}\n" if row.override_reason else "") + "双击或点“调整标准”修改"
        if role == PERSON_ROLE:
            return row.person_id
        return None

    def _display(self, row: BaseRow, column: int) -> str:
        if column == 0:
            return row.name
        if column == 1:
            return row.group
        if column == 2:
            return row.stage
        if column == CATEGORY_COLUMN:
            code = self.category_of(row)
            return vocab.DUES_CATEGORIES.get(code, code)
        if column == BASE_COLUMN:
            return money(row.base_fen) if row.base_fen is not None else "未录入"
        if column == 5:
            return money(row.standard_fen)
        if column == 6:
            return row.band
        if column == 7:
            return money(row.last_year_base_fen)
        if column == OVERRIDE_COLUMN:
            return money(row.override_fen)
        return row.override_reason

    def setData(self, index, value, role=EDIT) -> bool:
        """Save an edited base or category through ``services.dues.set_base``; a refusal writes nothing."""
        if not index.isValid() or role != EDIT or index.column() not in EDITABLE:
            return False
        number = index.row()
        row = self.rows[number]
        category = self.category_of(row)
        base_fen = row.base_fen
        try:
            if index.column() == BASE_COLUMN:
                base_fen = parse_yuan(value, "base", "党费基数")
            else:
                category = value
                if category == row.category and row.person_id not in self.pending:
                    return True
                if base_fen is None:  # held until the base is entered
                    self.pending[row.person_id] = category
                    self._changed(number)
                    self.problem.emit("")
                    return True
            saved = dues.set_base(row.person_id, self.year, base_fen, category, row.override_fen,
                                  row.override_reason, today=self.today)
        except LedgerError as exc:
            self.problem.emit(f"第 {number + 1} 行（{row.name}）：{exc}")
            return False
        self.replace_row(number, saved)
        self.problem.emit("")
        return True

    def replace_row(self, number: int, saved: BaseRow) -> None:
        self.rows[number] = saved
        self.pending.pop(saved.person_id, None)
        self._changed(number)

    def _changed(self, number: int) -> None:
        self.dataChanged.emit(self.index(number, 0), self.index(number, len(BASE_HEADERS) - 1))
