"""党费: the year's bases and the month × member collection grid, with the dues documents.

Two tabs over one year. 党费基数: each member's base, edited in place (the standard and its band
come from the service); 沿用上年基数 fills the year from last year's. 按月收缴: the grid of
``services.dues.year_grid``; select cells, rows or whole month columns (click a month's header)
and press 标记已交 to pay them in one action; 撤销上次批量 (Ctrl+Z) reverses the last bulk action
of either tab. Only the tab shown is read when the year changes (the grid of 5,000 members takes
most of the 300 ms allowed; the other tab is read when it is opened).
"""

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ledger_app import vocab
from ledger_app.errors import LedgerError
from ledger_app.money import format_yuan
from ledger_app.services import dues

from .common import confirm, muted_label, show_error, show_info
from .documents import save_document
from .dues_dialogs import DuesSettingsDialog, MarkPaidDialog, OverrideDialog, ReliefDialog, VoluntaryDialog
from .dues_model import (
    CATEGORY_COLUMN,
    FIRST_MONTH_COLUMN,
    GRID_HEADERS,
    OVERRIDE_COLUMN,
    REASON_COLUMN,
    YEAR_COLUMN,
    BaseModel,
    GridModel,
    TotalsModel,
    month_of_column,
)
from .forms import FieldError

ROW_HEIGHT = 28
GRID_WIDTHS = {0: 84, 1: 76, YEAR_COLUMN: 88}
MONTH_WIDTH = 62
CELL_PADDING = 14  # a cell's margins around its text
BASE_WIDTHS = (80, 96, 72, 120, 92, 72, 228, 84, 84, 120)
BASES_TAB, GRID_TAB = 0, 1
SKIPS_LISTED = 20
DOCUMENT_FORMATS = ("pdf", "docx", "xlsx")


def fixed_rows(view: QTableView) -> None:
    """Uniform row heights, no row header: the view never measures rows (5,000 of them)."""
    rows = view.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(ROW_HEIGHT)
    view.setWordWrap(False)


class CategoryDelegate(QStyledItemDelegate):
    """类别 is chosen from the dues categories; the choice is saved as soon as it is picked."""

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        for code, label in vocab.DUES_CATEGORIES.items():
            combo.addItem(label, code)
        combo.activated.connect(lambda _=0, c=combo: (self.commitData.emit(c), self.closeEditor.emit(c)))
        return combo

    def setEditorData(self, editor, index):
        editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.EditRole)), 0))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class TotalsView(QTableView):
    """The totals line under the grid: same columns, scrolled with it, never selected."""

    def __init__(self, grid: QTableView, parent: QWidget | None = None):
        super().__init__(parent)
        self.grid = grid
        fixed_rows(self)
        self.horizontalHeader().hide()
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFixedHeight(ROW_HEIGHT + 2 * self.frameWidth())
        grid.horizontalHeader().sectionResized.connect(lambda column, _old, new: self.setColumnWidth(column, new))
        grid.horizontalScrollBar().valueChanged.connect(self.horizontalScrollBar().setValue)
        grid.verticalScrollBar().rangeChanged.connect(lambda *_: self.align())

    def align(self) -> None:
        """Leave room for the grid's vertical scroll bar so the columns line up and scroll together."""
        bar = self.grid.verticalScrollBar()
        self.setViewportMargins(0, 0, bar.sizeHint().width() if bar.maximum() > 0 else 0, 0)
        self.horizontalScrollBar().setValue(self.grid.horizontalScrollBar().value())


class DuesPage(QWidget):
    """The 党费 page: a year, its bases and its collection grid, and the dues documents."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.today: date | None = None  # fixed by tests; None means the real day
        self.year = self.current_day().year
        self._stale = {BASES_TAB: True, GRID_TAB: True}
        self.last_result: dues.BulkResult | None = None

        title = QLabel("党费")
        title.setObjectName("pageTitle")
        self.year_spin = QSpinBox()
        self.year_spin.setRange(dues.MIN_YEAR, dues.MAX_YEAR)
        self.year_spin.setValue(self.year)
        self.year_spin.setSuffix(" 年")
        self.year_spin.setKeyboardTracking(False)  # typing 2025 does not load 2, 20, 202 on the way
        self.year_spin.setMinimumWidth(110)
        self.year_spin.valueChanged.connect(self.set_year)
        year_label = QLabel("年度(&Y)：")
        year_label.setBuddy(self.year_spin)
        self.summary = QLabel()
        self.summary.setObjectName("muted")
        self.undo_button = QPushButton("撤销上次批量(&Z)")
        self.undo_button.clicked.connect(self.undo_last)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo_last,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.settings_button = QPushButton("党费设置(&T)…")
        self.settings_button.setToolTip("取整方式、农民党员每月标准、预备党员起交月份")
        self.settings_button.clicked.connect(self.edit_settings)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._bases_tab(), "党费基数(&J)")
        self.tabs.addTab(self._grid_tab(), "按月收缴(&M)")
        self.tabs.setCurrentIndex(GRID_TAB)
        self.tabs.currentChanged.connect(self._tab_changed)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(year_label)
        top.addWidget(self.year_spin)
        top.addSpacing(16)
        top.addWidget(self.summary, 1)
        top.addWidget(self.undo_button)
        top.addWidget(self.settings_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    def current_day(self) -> date:
        return self.today or date.today()

    # --- building ---------------------------------------------------------------------------------

    def _grid_tab(self) -> QWidget:
        self.grid_model = GridModel(self)
        self.grid_view = QTableView()
        self.grid_view.setModel(self.grid_model)
        self.grid_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.grid_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.grid_view.setAlternatingRowColors(True)
        self.grid_view.setCornerButtonEnabled(False)
        fixed_rows(self.grid_view)
        header = self.grid_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(True)
        self.totals_model = TotalsModel(self)
        self.totals_view = TotalsView(self.grid_view)
        self.totals_view.setModel(self.totals_model)
        for column in range(len(GRID_HEADERS)):
            width = GRID_WIDTHS.get(column, MONTH_WIDTH)
            self.grid_view.setColumnWidth(column, width)
            self.totals_view.setColumnWidth(column, width)
        self.grid_view.selectionModel().selectionChanged.connect(self._grid_selection_changed)
        self.grid_view.doubleClicked.connect(lambda _: self.mark_paid())

        self.mark_button = QPushButton("标记已交(&P)…")
        self.mark_button.setToolTip("为选中的党员和月份登记交费（点月份表头可选中整月）")
        self.mark_button.clicked.connect(lambda: self.mark_paid())
        self.voluntary_button = QPushButton("自愿多交(&V)…")
        self.voluntary_button.setToolTip("为选中的一个已交月份登记自愿多交的金额")
        self.voluntary_button.clicked.connect(lambda: self.record_voluntary())
        self.relief_button = QPushButton("减免(&R)…")
        self.relief_button.setToolTip("为选中的党员登记经批准的减交或免交党费")
        self.relief_button.clicked.connect(lambda: self.edit_relief())
        self.month_form_button = QPushButton("收缴登记表(&D)…")
        self.month_form_button.setToolTip("一个月的党费收缴登记表（PDF、Word 或 Excel）")
        self.month_form_button.clicked.connect(lambda: self.print_month_form())
        self.register_button = QPushButton("年度登记册(&E)…")
        self.register_button.setToolTip("全年的党费收缴登记册（PDF、Word 或 Excel）")
        self.register_button.clicked.connect(lambda: self.print_register())
        self.posting_button = QPushButton("收缴公示(&O)…")
        self.posting_button.setToolTip("一个月或全年的党费收缴公示（PDF、Word 或 Excel）")
        self.posting_button.clicked.connect(lambda: self.print_posting())
        self.grid_status = muted_label()

        buttons = QHBoxLayout()
        for button in (self.mark_button, self.voluntary_button, self.relief_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.month_form_button, self.register_button, self.posting_button):
            buttons.addWidget(button)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(0)
        layout.addLayout(buttons)
        layout.addSpacing(8)
        layout.addWidget(self.grid_view, 1)
        layout.addWidget(self.totals_view)
        layout.addSpacing(6)
        layout.addWidget(self.grid_status)
        return tab

    def _bases_tab(self) -> QWidget:
        note = QLabel("党费基数每年年初（1 月）核定一次，年内一般不作调整（中组发〔2008〕3号、组电明字〔2017〕5号）。"
                      "在“基数”一栏直接输入金额（元），月交标准和档次自动计算；“类别”双击选择。"
                      "确需调整标准的，选中后点“调整标准”并写明原因。")
        note.setObjectName("muted")
        note.setWordWrap(True)
        self.base_model = BaseModel(self)
        self.base_view = QTableView()
        self.base_view.setModel(self.base_model)
        self.base_view.setItemDelegateForColumn(CATEGORY_COLUMN, CategoryDelegate(self.base_view))
        self.base_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.base_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.base_view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                       | QAbstractItemView.EditTrigger.EditKeyPressed
                                       | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.base_view.setAlternatingRowColors(True)
        fixed_rows(self.base_view)
        for column, width in enumerate(BASE_WIDTHS):
            self.base_view.setColumnWidth(column, width)
        self.base_view.horizontalHeader().setStretchLastSection(True)
        self.base_view.doubleClicked.connect(self._base_double_clicked)
        self.base_problem = FieldError()
        self.base_model.problem.connect(self._show_base_problem)

        self.copy_button = QPushButton("沿用上年基数(&L)…")
        self.copy_button.setToolTip("给本年还没有基数的党员填入上一年的基数和类别（可撤销）")
        self.copy_button.clicked.connect(lambda: self.copy_last_year())
        self.override_button = QPushButton("调整标准(&A)…")
        self.override_button.setToolTip("为选中的党员设定不同于计算结果的月交标准（须写明原因）")
        self.override_button.clicked.connect(lambda: self.edit_override())
        self.bases_status = QLabel()
        self.bases_status.setObjectName("muted")

        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.override_button)
        buttons.addSpacing(16)
        buttons.addWidget(self.bases_status, 1)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(note)
        layout.addLayout(buttons)
        layout.addWidget(self.base_view, 1)
        layout.addWidget(self.base_problem)
        return tab

    # --- loading ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the year again (on showing the page): the tab shown now, the other when opened."""
        self._stale = {BASES_TAB: True, GRID_TAB: True}
        self._load_current()

    def set_year(self, year: int) -> None:
        """Show ``year``: the tab in view is read at once."""
        self.year = year
        if self.year_spin.value() != year:
            self.year_spin.blockSignals(True)
            self.year_spin.setValue(year)
            self.year_spin.blockSignals(False)
        self.refresh()

    def _tab_changed(self, _index: int) -> None:
        self._load_current()

    def _load_current(self) -> None:
        tab = self.tabs.currentIndex()
        try:
            if tab == GRID_TAB:
                self._load_grid()
            else:
                self._load_bases()
        except LedgerError as exc:
            show_error(self, exc)
        self._update_undo()

    def _load_grid(self) -> None:
        current = self.grid_view.currentIndex()
        keep = (self.grid_model.rows[current.row()].person_id, current.column()) if current.isValid() else None
        grid = dues.year_grid(self.year, today=self.current_day())
        self.grid_model.load(grid)
        if keep is not None:  # the same member's cell stays current after a change
            row = next((n for n, r in enumerate(grid.rows) if r.person_id == keep[0]), None)
            if row is not None:
                self.grid_view.setCurrentIndex(self.grid_model.index(row, keep[1]))
        self.totals_model.load(grid)
        self._fit_columns()
        self.totals_view.align()
        self._stale[GRID_TAB] = False
        behind = sum(t.unpaid for t in grid.months)
        self.summary.setText(f"{len(grid.rows)} 人；本年已收党费 {format_yuan(grid.standard_fen)} 元，"
                             f"自愿多交 {format_yuan(grid.extra_fen)} 元；未交 {behind} 人次")
        self._grid_selection_changed()

    def _fit_columns(self) -> None:
        """Widen the month and year columns when a total would not fit (a large branch); 13 texts measured."""
        metrics = self.totals_view.fontMetrics()
        totals = self.totals_model
        needed = [metrics.horizontalAdvance(totals.data(totals.index(0, column))) + CELL_PADDING
                  for column in range(FIRST_MONTH_COLUMN, YEAR_COLUMN + 1)]
        month_width = max(MONTH_WIDTH, *needed[:-1])
        for column in range(FIRST_MONTH_COLUMN, YEAR_COLUMN):
            if self.grid_view.columnWidth(column) < month_width:
                self.grid_view.setColumnWidth(column, month_width)
        if self.grid_view.columnWidth(YEAR_COLUMN) < needed[-1]:
            self.grid_view.setColumnWidth(YEAR_COLUMN, needed[-1])

    def _load_bases(self) -> None:
        rows = dues.bases_for_year(self.year)
        self.base_model.today = self.today
        self.base_model.load(self.year, rows)
        self.base_problem.clear_message()
        self._stale[BASES_TAB] = False
        self._update_bases_status()

    def _update_bases_status(self) -> None:
        rows = self.base_model.rows
        entered = sum(row.base_fen is not None for row in rows)
        self.bases_status.setText(f"{self.year}年应核定 {len(rows)} 人，已录入基数 {entered} 人。")
        self.summary.setText(f"{len(rows)} 人；已录入基数 {entered} 人")

    def _update_undo(self) -> None:
        info = dues.last_bulk()
        self.undo_button.setEnabled(info is not None)
        self.undo_button.setToolTip(f"撤销：{info.summary}（Ctrl+Z）" if info else "没有可以撤销的批量操作")

    def _changed(self) -> None:
        """After a write: both tabs are out of date; read the one shown."""
        self.refresh()

    # --- the grid ---------------------------------------------------------------------------------

    def selected_targets(self) -> tuple[list[tuple[int, str]], list[int]]:
        """The members (id, name) of the selected rows, in grid order, and the selected months."""
        rows, months = set(), set()
        for selected in self.grid_view.selectionModel().selection():
            rows.update(range(selected.top(), selected.bottom() + 1))
            months.update(m for c in range(selected.left(), selected.right() + 1) if (m := month_of_column(c)))
        grid_rows = self.grid_model.rows
        return [(grid_rows[r].person_id, grid_rows[r].name) for r in sorted(rows)], sorted(months)

    def _grid_selection_changed(self, *_args) -> None:
        people, months = self.selected_targets()
        if not people:
            self.grid_status.setText("选中单元格（可拖选、按 Ctrl 或 Shift 多选，点月份表头选中整月）后点“标记已交”。"
                                     "红色“未交”为已过去的月份，“—”表示该月不是本支部党员，数字后的“+”表示另有自愿多交。")
            return
        month_text = "、".join(f"{m}月" for m in months) if months else "未选月份"
        self.grid_status.setText(f"已选 {len(people)} 人，{month_text}。")

    def mark_paid(self) -> dues.BulkResult | None:
        """标记已交: the selected members × months in one action; then what was done and skipped."""
        people, months = self.selected_targets()
        if not people:
            show_error(self, "请先在表中选中要登记的党员和月份（点月份表头可选中整月）。")
            return None
        dialog = MarkPaidDialog(self.year, people, months, self, today=self.current_day())
        if dialog.exec() != MarkPaidDialog.DialogCode.Accepted:
            return None
        result = self.last_result = dialog.result
        self._changed()
        text = result.summary()
        if result.skipped:
            listed = [f"{s.name}{f' {s.month}月' if s.month else ''}：{s.reason}" for s in result.skipped[:SKIPS_LISTED]]
            more = len(result.skipped) - SKIPS_LISTED
            text += "\n\n跳过：\n" + "\n".join(listed) + (f"\n……另有 {more} 项" if more > 0 else "")
        if result.created:
            show_info(self, "党费已登记", text + "\n\n如有错误，可点“撤销上次批量”（Ctrl+Z）整体撤销。")
        else:
            show_error(self, text, "没有登记任何月份")
        return result

    def undo_last(self) -> bool:
        """撤销上次批量: say what it was, ask, then reverse it."""
        info = dues.last_bulk()
        if info is None:
            show_info(self, "没有可撤销的操作", "没有可以撤销的批量操作（只能撤销最近一次批量操作）。")
            return False
        if not confirm(self, "撤销上次批量操作",
                       f"撤销“{info.summary}”？\n这次操作登记的 {info.rows} 条记录将被删除（{info.at.replace('T', ' ')}）。",
                       "撤销(&U)"):
            return False
        try:
            message = dues.undo_last_bulk()
        except LedgerError as exc:
            show_error(self, exc, "不能撤销")
            return False
        self._changed()
        show_info(self, "已撤销", message)
        return True

    def _current_cell(self) -> tuple[object, int | None] | None:
        index = self.grid_view.currentIndex()
        if not index.isValid():
            return None
        return self.grid_model.rows[index.row()], month_of_column(index.column())

    def record_voluntary(self) -> bool:
        """自愿多交 for the current cell, which must be a paid month."""
        current = self._current_cell()
        if current is None or current[1] is None or current[0].cells[current[1] - 1].status != "paid":
            show_error(self, "请先在表中选中一个已交的月份，再登记自愿多交。")
            return False
        row, month = current
        dialog = VoluntaryDialog(row.person_id, row.name, self.year, month, row.cells[month - 1].extra_fen, self)
        if dialog.exec() != VoluntaryDialog.DialogCode.Accepted:
            return False
        self._changed()
        show_info(self, "自愿多交", dialog.result.message)
        return True

    def edit_relief(self) -> bool:
        """减免 for the current row's member (from the current month when a month is selected)."""
        current = self._current_cell()
        if current is None:
            show_error(self, "请先在表中选中一名党员，再登记减免。")
            return False
        row, month = current
        dialog = ReliefDialog(row.person_id, row.name, self.year, month or 1, self, today=self.current_day())
        accepted = dialog.exec() == ReliefDialog.DialogCode.Accepted
        self._changed()  # a relief may also have been deleted in the dialog
        return accepted

    # --- the bases --------------------------------------------------------------------------------

    def _show_base_problem(self, message: str) -> None:
        if message:
            self.base_problem.show_message(message)
        else:
            self.base_problem.clear_message()
            self._update_bases_status()
            self._stale[GRID_TAB] = True

    def _base_double_clicked(self, index) -> None:
        if index.column() in (OVERRIDE_COLUMN, REASON_COLUMN):
            self.edit_override()

    def copy_last_year(self) -> dues.BulkResult | None:
        """沿用上年基数 for every member still without a base this year, after asking."""
        if not confirm(self, "沿用上年基数",
                       f"给{self.year}年还没有党费基数的党员填入{self.year - 1}年的基数和类别？\n"
                       "已录入的不会改动；上年的“调整标准”不沿用。之后可用“撤销上次批量”整体撤销。", "沿用(&L)"):
            return None
        try:
            result = dues.copy_bases_from_last_year(self.year, today=self.current_day())
        except LedgerError as exc:
            show_error(self, exc)
            return None
        self.last_result = result
        self._changed()
        text = f"已为 {result.created} 人沿用{self.year - 1}年的党费基数。"
        if result.skipped:
            names = "、".join(s.name for s in result.skipped[:SKIPS_LISTED])
            text += f"\n{len(result.skipped)} 人{self.year - 1}年没有基数，请逐个录入：{names}"
            text += " 等" if len(result.skipped) > SKIPS_LISTED else ""
        show_info(self, "沿用上年基数", text)
        return result

    def edit_override(self) -> bool:
        index = self.base_view.currentIndex()
        if not index.isValid():
            show_error(self, "请先在表中选中一名党员，再调整其党费标准。")
            return False
        dialog = OverrideDialog(self.base_model.rows[index.row()], self.year, self, today=self.today)
        if dialog.exec() != OverrideDialog.DialogCode.Accepted:
            return False
        self.base_model.replace_row(index.row(), dialog.saved)
        self._show_base_problem("")
        return True

    # --- settings and documents -------------------------------------------------------------------

    def edit_settings(self) -> bool:
        dialog = DuesSettingsDialog(self)
        if dialog.exec() != DuesSettingsDialog.DialogCode.Accepted:
            return False
        self._changed()
        return True

    def _default_month(self) -> int:
        _, months = self.selected_targets()
        if months:
            return months[0]
        today = self.current_day()
        return today.month if today.year == self.year else 12

    def _ask(self, title: str, choices: list[str], current: int) -> int | None:
        text, ok = QInputDialog.getItem(self, title, "期间：", choices, current, False)
        return choices.index(text) if ok else None

    def print_month_form(self, month: int | None = None, path=None):
        """收缴登记表 of one month (the selected month, else asked)."""
        if month is None:
            chosen = self._ask("党费收缴登记表", [f"{self.year}年{m}月" for m in range(1, 13)], self._default_month() - 1)
            if chosen is None:
                return None
            month = chosen + 1
        from ledger_app.documents.dues import make_month_form

        year = self.year
        return save_document(self, "党费收缴登记表", f"党费收缴登记表-{year}年{month}月",
                             lambda out: make_month_form((year, month), out), DOCUMENT_FORMATS, path=path)

    def print_register(self, path=None):
        from ledger_app.documents.dues import make_year_register

        year = self.year
        return save_document(self, "党费收缴登记册", f"党费收缴登记册-{year}年",
                             lambda out: make_year_register(year, out), DOCUMENT_FORMATS, path=path)

    def print_posting(self, period: str | None = None, path=None):
        """收缴公示 for the year ("2026") or a month ("2026-03")."""
        if period is None:
            choices = [f"{self.year}年全年", *(f"{self.year}年{m}月" for m in range(1, 13))]
            chosen = self._ask("党费收缴公示", choices, 0)
            if chosen is None:
                return None
            period = str(self.year) if chosen == 0 else f"{self.year}-{chosen:02d}"
        from ledger_app.documents.dues import make_posting

        year_text, _, month_text = period.partition("-")
        label = f"{year_text}年{int(month_text)}月" if month_text else f"{year_text}年"
        return save_document(self, "党费收缴公示", f"党费收缴公示-{label}",
                             lambda out: make_posting(period, out), DOCUMENT_FORMATS, path=path)

