"""年度总结与归档: the year-end page, one tab per piece of work: 年终统计, 年度工作总结 and 全年台账归档.

The statistics tab shows the tables of ``services.statistics.year_statistics`` for the chosen year;
clicking a figure lists whom (or which meetings) it counted, from the ids the cell carries. The
page never counts anything itself. 确认职业类别 opens a dialog listing the members whose 党内统计
occupation is not confirmed, each with the suggestion the rules make from the free text.
"""

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ledger_app import vocab
from ledger_app.db import current_ledger
from ledger_app.documents.summary import CLERK_SECTIONS
from ledger_app.errors import LedgerError
from ledger_app.rules.dates import year_being_closed
from ledger_app.services import annual_text, statistics

from .common import muted_label, run_in_background, show_error, show_info
from .documents import save_document
from .tables import RowsModel, read_only_table

LINK_COLOUR = QColor("#1f5fa8")
PERSON_HEADERS = ("姓名", "性别", "出生日期", "入党时间", "类别", "党籍状态", "党小组")
MEETING_HEADERS = ("日期", "会议类别", "会议名称")


def default_year(today: date) -> int:
    """The year a clerk is most likely closing (``rules.dates.year_being_closed``)."""
    return year_being_closed(today)


def year_selector(day: date, label: str, latest: int) -> tuple[QSpinBox, QLabel]:
    """The tabs' year field (up to ``latest``), preset to the year being closed, and its label."""
    year = QSpinBox()
    year.setRange(1921, latest)
    year.setValue(min(default_year(day), latest))
    year.setSuffix(" 年")
    caption = QLabel(label)
    caption.setBuddy(year)
    return year, caption


class StatTableModel(RowsModel):
    """One statistics table; a figure that counted people or meetings reads as a link."""

    def show_table(self, table: statistics.StatTable | None) -> None:
        self.HEADERS = table.headers if table else ()
        self.load(table.rows if table else [])

    def cell(self, index) -> statistics.Cell | None:
        if not index.isValid():
            return None
        return self.rows[index.row()][index.column()]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        cell = self.cell(index)
        if cell is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and cell.kind and cell.ids:
            return QBrush(LINK_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and cell.kind:
            what = "人员" if cell.kind == "person" else "会议"
            return f"点击查看所统计的{what}（{len(cell.ids)}）"
        if role == Qt.ItemDataRole.UserRole:
            return cell
        return None


class CountedModel(RowsModel):
    """The people (``PersonLine``) or meetings (``MeetingLine``) behind a clicked figure."""

    def show_rows(self, kind: str, rows: list) -> None:
        self.HEADERS = PERSON_HEADERS if kind == "person" else MEETING_HEADERS if kind == "meeting" else ()
        self.load(rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        if isinstance(row, statistics.MeetingLine):
            return (row.held_on.isoformat(), row.kind, row.title)[index.column()]
        return (row.name, row.sex, _day(row.birth_date), _day(row.joined_on), row.stage, row.state,
                row.group)[index.column()]


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""


class StatisticsTab(QWidget):
    """The year's tables: pick a table on the left, click a figure to list what it counted below."""

    def __init__(self, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self.today = today
        self.stats: statistics.YearStatistics | None = None
        day = self.current_day()
        self.year, year_label = year_selector(day, "统计年度(&Y)：", day.year + 1)
        self.count_button = QPushButton("统计(&S)")
        self.excel_button = QPushButton("导出 Excel(&E)…")
        self.pdf_button = QPushButton("导出 PDF(&P)…")
        self.occupation_button = QPushButton("确认职业类别(&O)…")
        self.count_button.clicked.connect(self.load)
        self.excel_button.clicked.connect(lambda: self.export("xlsx"))
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.occupation_button.clicked.connect(self.confirm_occupations)

        self.tables = QListWidget()
        self.tables.setMaximumWidth(230)
        self.tables.currentRowChanged.connect(self._show_table)
        self.model = StatTableModel(self)
        self.table = read_only_table(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.clicked.connect(self.show_counted)
        self.note = muted_label()
        self.counted_title = QLabel("点击表中的数字，查看所统计的人员或会议。")
        self.counted_model = CountedModel(self)
        self.counted = read_only_table(self.counted_model)
        self.counted.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.counted.horizontalHeader().setStretchLastSection(True)

        top = QHBoxLayout()
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addWidget(self.count_button)
        top.addStretch(1)
        for button in (self.occupation_button, self.excel_button, self.pdf_button):
            top.addWidget(button)
        centre = QWidget()
        middle = QVBoxLayout(centre)
        middle.setContentsMargins(0, 0, 0, 0)
        middle.addWidget(self.table, 1)
        middle.addWidget(self.note)
        below = QWidget()
        lower = QVBoxLayout(below)
        lower.setContentsMargins(0, 0, 0, 0)
        lower.addWidget(self.counted_title)
        lower.addWidget(self.counted, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(centre)
        right.addWidget(below)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        body = QHBoxLayout()
        body.addWidget(self.tables)
        body.addWidget(right, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(top)
        layout.addWidget(muted_label("按 12 月 31 日在册党员统计；会议和党费按本年度的记录统计。"
                                     "数字为蓝色的可以点击，下方列出所统计的人员或会议。"))
        layout.addLayout(body, 1)

    def current_day(self) -> date:
        return self.today or date.today()

    def load(self) -> None:
        """Count the chosen year (off the GUI thread) and show its tables, keeping the table shown."""
        year, today = self.year.value(), self.current_day()
        try:
            self.stats = run_in_background(self, f"正在统计 {year} 年度…",
                                           lambda report: statistics.year_statistics(year, today))
        except LedgerError as exc:
            show_error(self, exc)
            return
        keep = max(self.tables.currentRow(), 0)
        self.tables.blockSignals(True)
        self.tables.clear()
        self.tables.addItems([t.title for t in self.stats.tables])
        self.tables.blockSignals(False)
        self.tables.setCurrentRow(min(keep, self.tables.count() - 1))
        self._show_table(self.tables.currentRow())

    def _show_table(self, row: int) -> None:
        table = self.stats.tables[row] if self.stats and 0 <= row < len(self.stats.tables) else None
        self.model.show_table(table)
        self.note.setText(f"说明：{table.note}" if table and table.note else "")
        self.counted_model.show_rows("", [])
        self.counted_title.setText("点击表中的数字，查看所统计的人员或会议。")

    def show_counted(self, index) -> None:
        """List whom (or which meetings) the clicked figure counted."""
        cell = self.model.cell(index)
        if cell is None or not cell.kind:
            return
        label = self.model.rows[index.row()][0].text
        header = self.model.HEADERS[index.column()]
        if cell.kind == "person":
            rows = statistics.people_counted(cell.ids)
            what = f"{len(rows)} 人"
        else:
            rows = statistics.meetings_counted(cell.ids)
            what = f"{len(rows)} 次会议"
        self.counted_model.show_rows(cell.kind, rows)
        self.counted_title.setText(f"{label}·{header}：{what}")

    def export(self, kind: str) -> None:
        from ledger_app.documents.statistics import write_statistics

        stats = self.stats
        if stats is None:
            return
        save_document(self, "导出统计表", f"{stats.year}年度党内统计表",
                      lambda path: write_statistics(stats.year, path, stats=stats), formats=(kind,))

    def confirm_occupations(self) -> None:
        dialog = OccupationDialog(statistics.unconfirmed_occupations(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.load()


class OccupationModel(RowsModel):
    """Members without a confirmed occupation category; the last column is the category to save."""

    HEADERS = ("姓名", "职业（岗位）", "工作单位及职务", "将确认为")

    def __init__(self, suggestions: list[statistics.OccupationSuggestion], parent=None):
        super().__init__(parent)
        self.load(suggestions)
        self.chosen: dict[int, str | None] = {s.person_id: s.suggested for s in suggestions}

    def choose(self, rows: list[int], code: str) -> None:
        for row in rows:
            self.chosen[self.rows[row].person_id] = code
        if rows:
            self.dataChanged.emit(self.index(min(rows), 3), self.index(max(rows), 3))

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        code = self.chosen.get(row.person_id)
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.name, row.occupation, row.post,
                    vocab.OCCUPATION_CATEGORIES[code] if code else "（请选择）")[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 3 and not code:
            return QBrush(QColor("#b3261e"))
        return None


class OccupationDialog(QDialog):
    """确认职业类别: the suggestions filled in; select rows, pick a category, 设为; save confirms them."""

    def __init__(self, suggestions: list[statistics.OccupationSuggestion], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("确认党内统计职业类别")
        self.model = OccupationModel(suggestions, self)
        self.view = read_only_table(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.category = QComboBox()
        for code, label in vocab.OCCUPATION_CATEGORIES.items():
            self.category.addItem(label, code)
        self.apply_button = QPushButton("设为所选类别(&A)")
        self.apply_button.clicked.connect(self.apply_to_selection)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("确认并保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        pick = QHBoxLayout()
        pick.addWidget(QLabel("所选人员的职业类别："))
        pick.addWidget(self.category)
        pick.addWidget(self.apply_button)
        pick.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(muted_label(
            f"以下 {len(suggestions)} 名在册党员尚未确认党内统计的职业类别。“将确认为”一栏是根据职业（岗位）、"
            "职务和党费类别给出的建议，请核对；选中若干行后可统一改为某一类别。只保存已选定类别的人员。"))
        layout.addLayout(pick)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.buttons)
        self.resize(720, 520)

    def apply_to_selection(self) -> None:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        self.model.choose(rows, self.category.currentData())

    def save(self) -> None:
        choices = {pid: code for pid, code in self.model.chosen.items() if code}
        try:
            changed = statistics.set_occupation_categories(choices)
        except LedgerError as exc:
            show_error(self, exc)
            return
        show_info(self, "已保存", f"已确认 {changed} 名党员的职业类别。")
        self.accept()


class SummaryTab(QWidget):
    """年度工作总结: the clerk writes what only they know, section by section, kept in the ledger per
    year; the summary is generated as Word or PDF with the ledger's figures filled in around it.

    The text being edited is saved a second after typing stops, and when the clerk presses 保存,
    switches section or year, leaves the tab or generates the summary, so nothing typed is lost and
    regenerating never overwrites it. Each text is saved only into the ledger it was read from: after
    the window switched ledgers (or closed this one), a pending text is dropped, never written into
    another ledger.
    """

    AUTOSAVE_MS = 1000

    def __init__(self, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self.today = today
        day = today or date.today()
        self.year, year_label = year_selector(day, "总结年度(&Y)：", day.year + 1)
        self.sections = QListWidget()
        self.sections.setMaximumWidth(230)
        for label in vocab.ANNUAL_TEXT_SECTIONS.values():
            self.sections.addItem(label)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText("在这里写本部分的内容，每段一行。没有写的部分在总结中印“【待补充】”。")
        self.state = muted_label()
        self.save_button = QPushButton("保存(&S)")
        self.word_button = QPushButton("生成 Word(&W)…")
        self.pdf_button = QPushButton("生成 PDF(&P)…")
        self.save_button.clicked.connect(self.save)
        self.word_button.clicked.connect(lambda: self.generate("docx"))
        self.pdf_button.clicked.connect(lambda: self.generate("pdf"))
        self.texts: dict[str, str] = {}
        self._shown: tuple[Path, int, str] | None = None  # (ledger, year, section) of the text in the editor
        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(self.AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save)
        self.editor.textChanged.connect(self.autosave.start)
        self.year.valueChanged.connect(lambda _: self._load_year())
        self.sections.currentRowChanged.connect(lambda _: self._show_section())

        top = QHBoxLayout()
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(self.word_button)
        top.addWidget(self.pdf_button)
        right = QVBoxLayout()
        right.addWidget(self.editor, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.state, 1)
        bottom.addWidget(self.save_button)
        right.addLayout(bottom)
        body = QHBoxLayout()
        body.addWidget(self.sections)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(top)
        layout.addWidget(muted_label(
            "总结中的数字（党员人数、各类会议次数和出勤率、发展党员、转正、转接、民主评议、党费）由台账自动填写，"
            "与年终统计一致。只有您知道的内容在这里按部分填写，保存在台账中，重新生成总结时不会丢失。"))
        layout.addLayout(body, 1)
        self.sections.blockSignals(True)
        self.sections.setCurrentRow(0)
        self.sections.blockSignals(False)

    def section(self) -> str:
        return list(vocab.ANNUAL_TEXT_SECTIONS)[max(self.sections.currentRow(), 0)]

    def refresh(self) -> None:
        """Read the year's texts from the open ledger (it may be another one than last time)."""
        self._load_year()

    def _load_year(self) -> None:
        self._save_shown()
        self.texts = annual_text.annual_texts(self.year.value())
        self._shown = None
        self._show_section()

    def _show_section(self) -> None:
        self._save_shown()
        key = self.section()
        ledger = current_ledger()
        self.editor.blockSignals(True)
        self.editor.setPlainText(self.texts.get(key, ""))
        self.editor.blockSignals(False)
        self._shown = (ledger.path, self.year.value(), key) if ledger else None
        self._show_state()

    def _show_state(self) -> None:
        written = sum(1 for key in vocab.ANNUAL_TEXT_SECTIONS if self.texts.get(key))
        text = f"{self.year.value()} 年已填写 {written}/{len(vocab.ANNUAL_TEXT_SECTIONS)} 部分。"
        if self.section() not in CLERK_SECTIONS:
            text += "这一部分不印在年度工作总结中，随全年台账归档。"
        self.state.setText(text)

    def _save_shown(self) -> bool:
        """Save the text in the editor to the (year, section) it was loaded for, when it changed."""
        self.autosave.stop()
        ledger = current_ledger()
        if self._shown is None or ledger is None or ledger.path != self._shown[0]:
            return True  # nothing read yet, or that ledger is no longer the open one
        _, year, key = self._shown  # self.texts still holds that year's texts
        text = self.editor.toPlainText()
        if text.strip() == self.texts.get(key, ""):
            return True
        try:
            annual_text.save_annual_text(year, key, text)
        except LedgerError as exc:
            show_error(self, exc, "没有保存")
            return False
        self.texts = annual_text.annual_texts(year)
        return True

    def hideEvent(self, event) -> None:  # leaving the tab or the page keeps what was typed
        self._save_shown()
        super().hideEvent(event)

    def save(self) -> bool:
        saved = self._save_shown()
        if saved:
            self._show_state()
        return saved

    def generate(self, kind: str) -> None:
        from ledger_app.documents.summary import write_summary

        if not self.save():
            return
        year, today = self.year.value(), self.today
        save_document(self, "生成年度工作总结", f"{year}年度工作总结",
                      lambda path: write_summary(year, path, today), formats=(kind,))


class ArchiveTab(QWidget):
    """全年台账归档: the year, the record book's sections, and the button that writes it
    (``ui.archive_dialog.run_archive``, the same as 文件 → 归档全年台账…)."""

    def __init__(self, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        from ledger_app.archive import sections

        day = today or date.today()
        self.year, year_label = year_selector(day, "归档年度(&Y)：", day.year)
        self.archive_button = QPushButton("归档全年台账(&A)…")
        self.archive_button.clicked.connect(self.archive)
        self.sections = QListWidget()
        self.sections.addItems([s.folder for s in sections()])
        top = QHBoxLayout()
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addWidget(self.archive_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(top)
        layout.addWidget(muted_label(
            "把这一年的全部记录写成一套台账：每个栏目一个文件夹，每份文书都有 Word 和 PDF，另有带目录和书签的合订本 PDF "
            "和索引。年终统计表和年度工作总结也在其中（即前两个标签页的内容）。可以随时取消，取消后不留下任何文件。"))
        layout.addWidget(QLabel("台账的栏目："))
        layout.addWidget(self.sections, 1)

    def archive(self) -> None:
        from .archive_dialog import run_archive

        run_archive(self, self.year.value())


class AnnualPage(QWidget):
    """年度总结与归档: tabs for the year-end statistics, the annual summary and the year archive."""

    def __init__(self, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        title = QLabel("年度总结与归档")
        title.setObjectName("pageTitle")
        self.tabs = QTabWidget()
        self.statistics = StatisticsTab(today=today)
        self.tabs.addTab(self.statistics, "年终统计")
        self.summary = SummaryTab(today=today)
        self.tabs.addTab(self.summary, "年度工作总结")
        self.archive = ArchiveTab(today=today)
        self.tabs.addTab(self.archive, "全年台账归档")
        self.tabs.currentChanged.connect(lambda _: self.refresh())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        """Read the shown tab's data again (the page is shown, or the ledger changed under it)."""
        tab = self.tabs.currentWidget()
        if tab is self.statistics:
            self.statistics.load()
        elif tab is self.summary:
            self.summary.refresh()
