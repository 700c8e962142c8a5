"""从 Excel 导入花名册: a four-step dialog over ``ledger_app.roster_import``.

1 选择文件 — the file is read off the GUI thread; a bad file is a message.
2 对应列 — each Excel column against a roster field (or 不导入), offered from the clerk's choice
  last time and the usual Chinese headers; the header row found can be changed.
3 预览 — every data row with what it becomes and its problems by Excel row number and field.
  The import is all or nothing, so 导入 stays off while any row has a problem: the clerk fixes the
  Excel file and presses 重新读取.
4 完成 — the commit (a verified backup first, then one transaction) and what it wrote.
撤销最近一次导入… reverts the newest import as a batch, at any step.

The dialog holds no rule: reading, mapping checks, the preview and the commit are the core's.
"""

import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ledger_app import roster_columns as rc
from ledger_app import roster_import as ri
from ledger_app.errors import LedgerError, ValidationError

from .common import confirm, run_in_background, settings, show_error, show_info
from .forms import FieldError
from .tables import RowsModel

FILE, MAPPING, PREVIEW, DONE = range(4)
STEPS = ("选择文件", "对应列", "预览", "完成")
ACTIONS = {"new": "新建", "update": "补充", "same": "相同", "note": "说明行"}
SKIP = "不导入"
LAST_FOLDER_KEY = "roster_import/last_folder"
FILE_FILTER = "Excel 工作簿 (*.xlsx *.xlsm *.xls);;所有文件 (*)"
PROBLEM_COLOUR = QColor("#b3261e")


def column_letter(index: int) -> str:
    """Excel's name of a column: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class PreviewModel(RowsModel):
    """The preview's rows, those with problems first; ``only_problems`` hides the others."""

    HEADERS = ("Excel 行号", "姓名", "处理", "问题", "说明")
    PROBLEMS = 3

    def __init__(self, parent=None):
        super().__init__(parent)
        self.all_rows: list[ri.PreviewRow] = []
        self.only_problems = False

    def load(self, rows: list[ri.PreviewRow]) -> None:
        self.beginResetModel()
        self.all_rows = sorted(rows, key=lambda row: (row.ok, row.row))
        self._filter()
        self.endResetModel()

    def set_only_problems(self, only: bool) -> None:
        self.beginResetModel()
        self.only_problems = only
        self._filter()
        self.endResetModel()

    def _filter(self) -> None:
        self.rows = [row for row in self.all_rows if not row.ok] if self.only_problems else list(self.all_rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column, " ")
        if role == Qt.ItemDataRole.ToolTipRole and column >= self.PROBLEMS:
            return self._text(row, column, "\n") or None
        if role == Qt.ItemDataRole.ForegroundRole and column == self.PROBLEMS and not row.ok:
            return QBrush(PROBLEM_COLOUR)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def detail(self, number: int) -> str:
        """One row's problems (red) and remarks in full, as rich text for the pane under the table."""
        row = self.rows[number]
        name = row.values.get("name", "")
        outcome = f"{len(row.problems)} 个问题，请在 Excel 中改正" if row.problems else ACTIONS.get(row.action, "")
        lines = [f"<b>第 {row.row} 行{html.escape(' ' + name if name else '')}：{outcome}</b>"]
        colour = PROBLEM_COLOUR.name()
        lines += [f'<span style="color:{colour}">{html.escape(problem.label)}：{html.escape(problem.message)}</span>'
                  for problem in row.problems]
        lines += [html.escape(line) for line in self._text(row, self.PROBLEMS + 1, "\n").splitlines() if line]
        return "<br>".join(lines)

    @staticmethod
    def _text(row: ri.PreviewRow, column: int, joiner: str) -> str:
        if column == 0:
            return str(row.row)
        if column == 1:
            return row.values.get("name", "") if row.action != "note" else ""
        if column == 2:
            return ACTIONS.get(row.action, row.action)
        if column == 3:
            return joiner.join(f"{problem.label}：{problem.message}" for problem in row.problems)
        notes = list(row.notes)
        if row.action == "note":
            notes = [f"“{row.values.get('text', '')}”{note}" for note in notes]
        if row.action == "update" and row.changes:
            notes.insert(0, "补充" + "、".join(rc.BY_FIELD[name].header for name in row.changes if name in rc.BY_FIELD))
        return joiner.join(notes)


def _text_label(text: str = "", muted: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if muted:
        label.setObjectName("muted")
    return label


class RosterImportDialog(QDialog):
    """Import an Excel roster step by step; ``exec()`` is Accepted when the ledger changed (an import
    or an undo), so the caller knows to read its lists again."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("从 Excel 导入花名册")
        self.today: date | None = None  # fixed by tests; None means the real day
        self.path: Path | None = None
        self.sheet: ri.Sheet | None = None
        self.header_row = 0
        self.headers: list[str] = []
        self.mapping: dict[int, str] = {}
        self.preview: ri.Preview | None = None
        self.import_result: ri.ImportResult | None = None
        self.changed = False
        self.mapping_ok = False

        self.steps = QLabel()
        self.stack = QStackedWidget()
        self.stack.addWidget(self._file_step())
        self.stack.addWidget(self._mapping_step())
        self.stack.addWidget(self._preview_step())
        self.stack.addWidget(self._done_step())

        self.undo_button = QPushButton("撤销最近一次导入(&U)…")
        self.undo_button.setToolTip("整批撤销最近一次从 Excel 导入的花名册（撤销前先备份台账）")
        self.undo_button.setAutoDefault(False)
        self.back_button = QPushButton("上一步(&B)")
        self.next_button = QPushButton("下一步(&N)")
        self.import_button = QPushButton("导入(&I)")
        self.close_button = QPushButton("关闭")
        for button in (self.back_button, self.next_button, self.import_button, self.close_button,
                       self.browse_button, self.reread_button):
            button.setAutoDefault(False)  # Enter presses the one default button each step sets
        self.undo_button.clicked.connect(self.undo_last)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.import_button.clicked.connect(self.do_import)
        self.close_button.clicked.connect(self.reject)

        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.import_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.steps)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self.resize(1040, 680)
        self.go(FILE)

    # --- the steps ----------------------------------------------------------------------------

    def _file_step(self) -> QWidget:
        page = QWidget()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("选择或粘贴 Excel 文件的位置")
        self.path_edit.textChanged.connect(self._update_buttons)
        self.browse_button = QPushButton("选择文件(&F)…")
        self.browse_button.clicked.connect(self.browse)
        label = QLabel("Excel 文件(&E)：")
        label.setBuddy(self.path_edit)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        layout = QVBoxLayout(page)
        layout.addWidget(_text_label(
            "选择本支部现有的 Excel 花名册（.xlsx 或 .xls）。程序会找到表头所在的行，认出“姓名”“性别”“身份证号”"
            "“入党时间”“党小组”等常见列名，下一步可以核对、修改每一列导入为什么。"))
        layout.addLayout(row)
        layout.addWidget(_text_label(
            "导入是“全部或全不”：只要有一行有问题，就不会写入任何数据，请按提示在 Excel 中改正后重新读取。"
            "与台账中已有人员（身份证号相同，或同名且台账中还没有身份证号）对应的行，只补充台账中空着的信息，"
            "不改动已有的内容。导入前会自动备份台账，导入后也可以整批撤销。", muted=True))
        layout.addStretch(1)
        return page

    def _mapping_step(self) -> QWidget:
        page = QWidget()
        self.header_spin = QSpinBox()
        self.header_spin.setPrefix("第 ")
        self.header_spin.setSuffix(" 行")
        self.header_spin.setMinimum(1)
        self.header_spin.valueChanged.connect(self._header_row_changed)
        label = QLabel("表头在 Excel 的(&H)：")
        label.setBuddy(self.header_spin)
        self.header_note = _text_label(muted=True)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.header_spin)
        row.addWidget(self.header_note, 1)
        self.mapping_table = QTableWidget(0, 4)
        self.mapping_table.setHorizontalHeaderLabels(["列", "Excel 表头", "第一行数据", "导入为"])
        self.mapping_table.verticalHeader().hide()
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.mapping_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.mapping_error = FieldError()
        layout = QVBoxLayout(page)
        layout.addWidget(_text_label("核对每一列导入为花名册的哪一项；不需要的列选“不导入”。"
                                     "这次的选择会记住，下次导入同样表头的文件时自动选好。"))
        layout.addLayout(row)
        layout.addWidget(self.mapping_table, 1)
        layout.addWidget(self.mapping_error)
        return page

    def _preview_step(self) -> QWidget:
        page = QWidget()
        self.summary = _text_label()
        self.summary.setObjectName("cardHeading")
        self.problem_note = FieldError()
        self.reread_button = QPushButton("重新读取(&R)")
        self.reread_button.setToolTip("在 Excel 中改好并保存后，重新读取这个文件")
        self.reread_button.clicked.connect(self.reread)
        self.only_problems = QCheckBox("只看有问题的行(&W)")
        self.preview_model = PreviewModel(self)
        self.only_problems.toggled.connect(self._only_problems_toggled)
        self.preview_table = QTableView()
        self.preview_table.setModel(self.preview_model)
        self.preview_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.setAlternatingRowColors(True)
        self.preview_table.setWordWrap(False)
        self.preview_table.verticalHeader().hide()
        header = self.preview_table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, 460)
        header.setStretchLastSection(True)
        self.preview_table.selectionModel().currentRowChanged.connect(self._show_row)
        self.row_detail = _text_label()
        self.row_detail.setTextFormat(Qt.TextFormat.RichText)
        self.row_detail.setMinimumHeight(self.row_detail.fontMetrics().lineSpacing() * 3)
        self.row_detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.backup_note = _text_label("点“导入”后，程序先备份台账，再一次写入全部人员；导入后可以用“撤销最近一次导入”"
                                       "整批撤销。", muted=True)
        row = QHBoxLayout()
        row.addWidget(self.only_problems)
        row.addStretch(1)
        row.addWidget(self.reread_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary)
        layout.addWidget(self.problem_note)
        layout.addLayout(row)
        layout.addWidget(self.preview_table, 1)
        layout.addWidget(self.row_detail)
        layout.addWidget(self.backup_note)
        return page

    def _done_step(self) -> QWidget:
        page = QWidget()
        self.result_text = _text_label()
        self.result_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(page)
        layout.addWidget(self.result_text)
        layout.addWidget(_text_label("如发现导入有误，可以点“撤销最近一次导入”整批撤销，改好 Excel 文件后重新导入。",
                                     muted=True))
        layout.addStretch(1)
        return page

    # --- moving between steps -----------------------------------------------------------------

    def step(self) -> int:
        return self.stack.currentIndex()

    def go(self, step: int) -> None:
        self.stack.setCurrentIndex(step)
        self.steps.setText("　→　".join(f"<b>{number}. {name}</b>" if number - 1 == step else f"{number}. {name}"
                                       for number, name in enumerate(STEPS, start=1)))
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        step = self.step()
        can_import = (self.preview is not None and not self.preview.problems
                      and self.preview.count("new") + self.preview.count("update") > 0)
        self.back_button.setVisible(step in (MAPPING, PREVIEW))
        self.next_button.setVisible(step in (FILE, MAPPING))
        self.import_button.setVisible(step == PREVIEW)
        self.next_button.setEnabled(bool(self.path_edit.text().strip()) if step == FILE
                                    else self.mapping_ok)
        self.import_button.setEnabled(step == PREVIEW and can_import)
        self.close_button.setText("完成" if step == DONE else "关闭")
        default = {FILE: self.next_button if self.next_button.isEnabled() else self.browse_button,
                   MAPPING: self.next_button, PREVIEW: self.import_button, DONE: self.close_button}[step]
        for button in (self.browse_button, self.next_button, self.import_button, self.close_button):
            button.setDefault(button is default and button.isEnabled())

    def back(self) -> None:
        if self.step() in (MAPPING, PREVIEW):
            self.go(self.step() - 1)

    def next(self) -> None:
        if self.step() == FILE:
            if self.path_edit.text().strip():
                self.open_file(Path(self.path_edit.text().strip()))
        elif self.step() == MAPPING and self.next_button.isEnabled():
            self.check_rows()

    def current_day(self) -> date:
        return self.today or date.today()

    # --- 1 选择文件 ---------------------------------------------------------------------------

    def browse(self) -> None:
        folder = settings().value(LAST_FOLDER_KEY) or str(Path.home())
        chosen, _ = QFileDialog.getOpenFileName(self, "选择 Excel 花名册", str(folder), FILE_FILTER)
        if chosen:
            settings().setValue(LAST_FOLDER_KEY, str(Path(chosen).parent))
            self.open_file(Path(chosen))

    def _read(self, path: Path) -> tuple[ri.Sheet, int | None, str]:
        """The sheet and its header row, read on a worker thread; a sheet without a header the
        clerk can still point at, so that is a note rather than an error."""
        sheet = ri.read_workbook(path)
        try:
            return sheet, ri.find_header(sheet), ""
        except LedgerError as exc:
            return sheet, None, str(exc)

    def open_file(self, path: Path) -> bool:
        """Read ``path`` and go to the column step; a file that cannot be read is a message."""
        self.path_edit.setText(str(path))
        try:
            sheet, header_row, note = run_in_background(self, f"正在读取“{path.name}”…", lambda report: self._read(path))
        except LedgerError as exc:
            show_error(self, exc, "无法读取这个文件")
            return False
        if not sheet.rows:
            show_error(self, f"“{path.name}”的工作表“{sheet.name}”是空的，没有可以导入的内容。", "无法读取这个文件")
            return False
        self.path, self.sheet, self.preview, self.import_result = path, sheet, None, None
        self._show_mapping(header_row if header_row is not None else 0, note)
        self.go(MAPPING)
        return True

    # --- 2 对应列 -----------------------------------------------------------------------------

    def _show_mapping(self, header_row: int, note: str = "") -> None:
        self.header_spin.blockSignals(True)
        self.header_spin.setMaximum(len(self.sheet.rows))
        self.header_spin.setValue(header_row + 1)
        self.header_spin.blockSignals(False)
        self.header_note.setText(f"{note}请指定表头所在的行。" if note
                                 else f"（已自动找到；工作表“{self.sheet.name}”，如果不对可以修改）")
        self._load_headers(header_row)

    def _header_row_changed(self, excel_row: int) -> None:
        self.header_note.setText(f"（工作表“{self.sheet.name}”）")
        self._load_headers(excel_row - 1)

    def _load_headers(self, header_row: int) -> None:
        """The columns of the sheet under the header row, each with the field offered for it."""
        self.header_row = header_row
        self.headers = ri.header_texts(self.sheet, header_row)
        self.mapping = ri.offered_mapping(self.headers)
        self.preview = None
        below = self.sheet.rows[header_row + 1:]
        table = self.mapping_table
        table.setRowCount(0)
        for index, text in enumerate(self.headers):
            sample = next((rc.clean_text(row[index]) for row in below if not rc.is_blank(row[index])), "")
            if not text and not sample:
                continue  # an empty column
            row = table.rowCount()
            table.insertRow(row)
            table.setItem(row, 0, QTableWidgetItem(column_letter(index)))
            table.setItem(row, 1, QTableWidgetItem(text))
            table.setItem(row, 2, QTableWidgetItem(sample))
            combo = QComboBox()
            combo.addItem(SKIP, "")
            for column in rc.COLUMNS:
                combo.addItem(column.header, column.field)
            combo.setCurrentIndex(max(combo.findData(self.mapping.get(index, "")), 0))
            combo.currentIndexChanged.connect(lambda _=0, i=index, c=combo: self.set_field(i, c.currentData()))
            table.setCellWidget(row, 3, combo)
        table.resizeColumnsToContents()
        self._check_mapping()

    def combo_for(self, column: int) -> QComboBox | None:
        """The 导入为 box of an Excel column (0 is column A), for tests and keyboard use."""
        letter = column_letter(column)
        for row in range(self.mapping_table.rowCount()):
            if self.mapping_table.item(row, 0).text() == letter:
                return self.mapping_table.cellWidget(row, 3)
        return None

    def set_field(self, column: int, field: str) -> None:
        """Column ``column`` imports as ``field`` ("" for 不导入)."""
        if field:
            self.mapping[column] = field
        else:
            self.mapping.pop(column, None)
        self.preview = None
        self._check_mapping()

    def _check_mapping(self) -> None:
        try:
            ri.check_mapping(self.mapping)
        except ValidationError as exc:
            self.mapping_ok = False
            self.mapping_error.show_message(str(exc))
        else:
            self.mapping_ok = True
            self.mapping_error.clear_message()
        self._update_buttons()

    # --- 3 预览 -------------------------------------------------------------------------------

    def check_rows(self) -> bool:
        """Preview every row (on a worker thread) and show it."""
        sheet, mapping, header_row, today = self.sheet, dict(self.mapping), self.header_row, self.current_day()
        try:
            checked = run_in_background(self, "正在检查每一行…",
                                        lambda report: ri.preview(sheet, mapping, today, header_row))
        except LedgerError as exc:
            show_error(self, exc)
            return False
        self._show_preview(checked)
        self.go(PREVIEW)
        return True

    def _show_preview(self, checked: ri.Preview) -> None:
        self.preview = checked
        self.preview_model.load(checked.rows)
        self.summary.setText(checked.summary())
        rows = len({problem.row for problem in checked.problems})
        if rows:
            self.problem_note.show_message(
                f"有 {rows} 行有问题（红字，按 Excel 行号列出），所以不能导入：导入是“全部或全不”。"
                f"请在 Excel 中改正这些行并保存，然后点“重新读取”。")
        elif not checked.count("new") + checked.count("update"):
            self.problem_note.show_message("表中的人员台账中都已有，且没有需要补充的信息，不需要导入。")
        else:
            self.problem_note.clear_message()
        self.only_problems.setEnabled(bool(rows))
        if not rows:
            self.only_problems.setChecked(False)
        self._select_first_row()

    def _only_problems_toggled(self, only: bool) -> None:
        self.preview_model.set_only_problems(only)
        self._select_first_row()

    def _select_first_row(self) -> None:
        if self.preview_model.rowCount():
            self.preview_table.selectRow(0)
        else:
            self.row_detail.clear()

    def _show_row(self, current, _previous=None) -> None:
        """The selected row's problems and remarks in full (the table cells show one line)."""
        self.row_detail.setText(self.preview_model.detail(current.row()) if current.isValid() else "")

    def reread(self) -> bool:
        """Read the file again after the clerk fixed it; keep the columns chosen when the header is unchanged."""
        path = self.path
        try:
            sheet, header_row, note = run_in_background(self, f"正在重新读取“{path.name}”…",
                                                        lambda report: self._read(path))
        except LedgerError as exc:
            show_error(self, exc, "无法读取这个文件")
            return False
        same_header = (self.header_row < len(sheet.rows)
                       and ri.header_texts(sheet, self.header_row) == self.headers)
        self.sheet = sheet
        if not same_header:
            self._show_mapping(header_row if header_row is not None else 0, note)
            self.go(MAPPING)
            show_info(self, "表头有变化", "这个文件的表头和上次读取时不同，请重新核对每一列导入为什么。")
            return False
        return self.check_rows()

    # --- 4 导入 -------------------------------------------------------------------------------

    def do_import(self) -> bool:
        """Commit the preview: a backup, then everything in one transaction; show what was written."""
        if not self.import_button.isEnabled():
            return False
        checked, source = self.preview, self.path.name
        try:
            result = run_in_background(self, "正在备份台账，然后导入…", lambda report: ri.commit(checked, source))
        except LedgerError as exc:
            show_error(self, exc, "没有导入")
            return False
        self.import_result = result
        self.changed = True
        text = f"已从“{source}”导入：新建 {result.created} 人，补充 {result.updated} 人的信息"
        if result.new_groups:
            text += f"，新建党小组 {len(result.new_groups)} 个（{'、'.join(result.new_groups)}）"
        text += "。"
        if result.backup:
            text += f"\n\n导入前的台账已备份到：\n{result.backup}"
        self.result_text.setText(text)
        self.go(DONE)
        return True

    def undo_last(self) -> bool:
        """Undo the newest import not yet undone, after asking; say what was done or why not."""
        if not confirm(self, "撤销最近一次导入",
                       "将撤销最近一次从 Excel 导入的花名册：删除那次新建的人员，恢复被补充人员导入前的信息。\n"
                       "撤销前会先备份台账。", "撤销导入"):
            return False
        try:
            message = run_in_background(self, "正在备份台账，然后撤销导入…", lambda report: ri.undo_last_import())
        except LedgerError as exc:
            show_error(self, exc, "没有撤销")
            return False
        self.changed = True
        self.preview = None  # the ledger changed: a preview made before is stale
        if self.step() == PREVIEW:
            self.go(MAPPING)
        elif self.step() == DONE:
            self.result_text.setText(message)
        show_info(self, "已撤销导入", message)
        return True

    def done(self, result: int) -> None:
        """Closing by any way (完成, 关闭, Esc) reports whether the ledger changed."""
        super().done(QDialog.DialogCode.Accepted if self.changed else QDialog.DialogCode.Rejected)
