"""党员: the roster with instant search, filters, and the buttons that open, add, import, export and print.

Every keystroke in the search box and every filter change runs one SQL query for the matching ids
(``services.roster``); the table model reads the rows the view paints, a batch at a time. The
member card and the import dialog are separate modules, imported when first used so that the
page (and the program's start) does not load them.
"""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ledger_app import vocab
from ledger_app.services import roster
from ledger_app.services.roster import RosterQuery

from . import documents
from .common import show_error
from .roster_model import COLUMNS, ID_ROLE, RosterModel

ALL = "all"  # a combo's "全部" choice; the query field is then None
STAGE_CHOICES = (("全部", ALL), ("正式党员", "full"), ("预备党员", "probationary"))
# 终止培养 ("withdrawn") ends an applicant's development: it is never a member's state.
STATE_CHOICES = (*((label, code) for code, label in vocab.MEMBERSHIP_STATES.items() if code != "withdrawn"),
                 ("全部", ALL))
MOBILE_CHOICES = (("全部", ALL), ("流动党员", True), ("非流动党员", False))
# The widest text each column usually holds, for widths fixed up front (measuring the contents
# would read a thousand rows on every search).
SAMPLES = ("欧阳建国", "男", "2000-12-31", "100", "11010519700301001X", "第三十七党小组", "预备",
           "停止党籍", "2000-12-31", "2000-12-31", "100", "13800000000", "是")
STATE_COLUMN = next(n for n, (_, key, _) in enumerate(COLUMNS) if key == "state")


def _combo(choices) -> QComboBox:
    combo = QComboBox()
    for label, value in choices:
        combo.addItem(label, value)
    return combo


def _value(combo: QComboBox):
    value = combo.currentData()
    return None if value == ALL else value


class MembersPage(QWidget):
    """The members' roster: search, filter, sort, and the member's card on Enter or double-click."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        title = QLabel("党员")
        title.setObjectName("pageTitle")

        self.new_button = QPushButton("新增党员(&N)")
        self.new_button.setToolTip("登记一名新党员")
        self.new_button.clicked.connect(lambda: self.open_card(None))
        self.open_button = QPushButton("打开档案(&O)")
        self.open_button.setToolTip("打开选中党员的档案（也可双击或按回车）")
        self.open_button.clicked.connect(self.open_selected)
        self.import_button = QPushButton("从 Excel 导入(&I)…")
        self.import_button.setToolTip("从 Excel 花名册导入党员（导入前自动备份）")
        self.import_button.clicked.connect(self.import_roster)
        self.export_button = QPushButton("导出 Excel(&E)…")
        self.export_button.setToolTip("把花名册导出为 Excel 文件（含完整身份证号，请妥善保管）")
        self.export_button.clicked.connect(self.export_excel)
        self.print_button = QPushButton("打印花名册(&P)…")
        self.print_button.setToolTip("生成党员花名册（PDF 或 Word）")
        self.print_button.clicked.connect(self.print_roster)

        self.search = QLineEdit()
        self.search.setPlaceholderText("姓名、拼音首字母或身份证号")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("输入即查找（Ctrl+F）：姓名、拼音首字母（如 zjg）或身份证号的一部分；Esc 清空")
        self.search.setMinimumWidth(240)
        self.group = QComboBox()
        self.group.setMinimumContentsLength(6)
        self.group.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.stage = _combo(STAGE_CHOICES)
        self.state = _combo(STATE_CHOICES)
        self.mobile = _combo(MOBILE_CHOICES)
        self._fill_groups()

        self.model = RosterModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._size_columns()
        header = self.table.horizontalHeader()
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)  # a click on a header calls model.sort: a SQL ORDER BY
        # Not ``activated``: on a double click Qt 6 emits it on the release, after ``doubleClicked``,
        # and styles differ on single-click activation. Enter and a double click, exactly.
        self.table.doubleClicked.connect(lambda index: self.open_card(self.model.data(index, ID_ROLE)))
        open_action = QAction(self.table)
        open_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        open_action.triggered.connect(self.open_selected)
        self.table.addAction(open_action)

        self.count = QLabel()
        self.count.setObjectName("muted")
        self.full_id = QCheckBox("打印时显示完整身份证号(&D)")
        self.full_id.setToolTip("不勾选时，打印的花名册只显示身份证号的前 6 位和后 4 位")

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        for button in (self.new_button, self.open_button, self.import_button, self.export_button, self.print_button):
            top.addWidget(button)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        for text, combo in (("党小组(&T)", self.group), ("类别(&L)", self.stage), ("党籍状态(&Z)", self.state),
                            ("流动(&M)", self.mobile)):
            label = QLabel(text)
            label.setBuddy(combo)
            filters.addSpacing(8)
            filters.addWidget(label)
            filters.addWidget(combo)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count)
        bottom.addStretch(1)
        bottom.addWidget(self.full_id)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        for before, after in ((self.search, self.group), (self.group, self.stage), (self.stage, self.state),
                              (self.state, self.mobile), (self.mobile, self.table), (self.table, self.new_button)):
            QWidget.setTabOrder(before, after)

        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._search_action(Qt.Key.Key_Escape, self.search.clear)
        self._search_action(Qt.Key.Key_Down, self._to_table)
        self.search.returnPressed.connect(self._to_table)
        self.search.textChanged.connect(self.apply_filters)
        for combo in (self.group, self.stage, self.state, self.mobile):
            combo.currentIndexChanged.connect(self.apply_filters)

        # A new query resets the model: keep the selected member selected when they still match.
        self._selected_id: int | None = None
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._after_reset)
        self._update_count()

    # --- building -----------------------------------------------------------------------------

    def _search_action(self, key: Qt.Key, slot) -> None:
        action = QAction(self.search)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        self.search.addAction(action)

    def _size_columns(self) -> None:
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        for column, ((heading, _, _), sample) in enumerate(zip(COLUMNS, SAMPLES, strict=True)):
            header.resizeSection(column, max(metrics.horizontalAdvance(sample) + 14,
                                             metrics.horizontalAdvance(heading) + 26))  # room for the sort arrow
        header.setStretchLastSection(True)

    def _fill_groups(self) -> None:
        """The 党小组 choices from the ledger, keeping the current choice when it still exists."""
        current = self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem("全部", ALL)
        for group_id, name in roster.group_choices():
            self.group.addItem(name, group_id)
        self.group.addItem("未分组", roster.UNGROUPED)
        index = self.group.findData(current) if current is not None else 0
        self.group.setCurrentIndex(max(index, 0))
        self.group.blockSignals(False)

    # --- the query ----------------------------------------------------------------------------

    def current_query(self) -> RosterQuery:
        """The search text and filters as shown, with the sort the header shows."""
        return RosterQuery(text=self.search.text(), group_id=_value(self.group), stage=_value(self.stage),
                           state=_value(self.state), mobile=_value(self.mobile), sort_key=self.model.query.sort_key,
                           descending=self.model.query.descending)

    def apply_filters(self) -> None:
        """Run the query for the search text and filters (each keystroke; a few ms on 10,000)."""
        self.model.set_query(self.current_query())

    def refresh(self) -> None:
        """Read the groups and the roster again (the page is shown, or a member was changed)."""
        self._fill_groups()
        self.model.query = self.current_query()
        self.model.refresh()

    def _remember_selection(self) -> None:
        self._selected_id = self.selected_id()

    def _after_reset(self) -> None:
        self._update_count()
        # Showing one state, its column says the same thing on every row: give the room to others.
        self.table.setColumnHidden(STATE_COLUMN, self.model.query.state is not None)
        if self._selected_id is not None:
            self.select_person(self._selected_id)

    def _update_count(self) -> None:
        self.count.setText(f"共 {self.model.rowCount()} 人")

    # --- selection ----------------------------------------------------------------------------

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.model.data(index, ID_ROLE)

    def select_person(self, person_id: int) -> bool:
        """Select and show ``person_id``'s row; False when the query does not match them."""
        row = self.model.row_of(person_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _to_table(self) -> None:
        """From the search box to the list (Enter or ↓), on the first match unless one is selected."""
        if self.model.rowCount() == 0:
            return
        if self.selected_id() is None:
            self.table.selectRow(0)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- actions ------------------------------------------------------------------------------

    def open_selected(self) -> None:
        person_id = self.selected_id()
        if person_id is None:
            show_error(self, "请先在列表中选中一名党员，再打开档案。", "没有选中党员")
            return
        self.open_card(person_id)

    def open_card(self, person_id: int | None) -> None:
        """The member's card (None: a new member); the list is read again when it closes."""
        try:
            from ui.member_card import MemberCardDialog
        except ModuleNotFoundError as exc:
            if exc.name != "ui.member_card":
                raise
            show_error(self, "党员档案窗口在本版本中还没有提供。", "无法打开档案")
            return
        dialog = MemberCardDialog(person_id, self)
        dialog.exec()
        new_id = getattr(dialog, "person_id", None)
        self.refresh()
        if person_id is None and isinstance(new_id, int):
            self.select_person(new_id)
        dialog.deleteLater()

    def import_roster(self) -> None:
        """The Excel import dialog; the list is read again after an import."""
        try:
            from ui.roster_import_dialog import RosterImportDialog
        except ModuleNotFoundError as exc:
            if exc.name != "ui.roster_import_dialog":
                raise
            show_error(self, "从 Excel 导入的窗口在本版本中还没有提供。", "无法导入")
            return
        dialog = RosterImportDialog(self)
        if dialog.exec():
            self.refresh()
        dialog.deleteLater()

    def export_excel(self) -> None:
        """The whole roster (every field, full ID numbers) as an Excel file that imports back unchanged."""
        from ledger_app.roster_export import SUGGESTED_FILE_NAME, export_roster_xlsx

        def make(path: Path) -> Path:
            export_roster_xlsx(path)
            return path

        documents.save_document(self, "导出花名册", SUGGESTED_FILE_NAME, make, formats=("xlsx",))

    def print_roster(self) -> None:
        """The printed roster (PDF or Word); ID numbers masked unless the box is ticked."""
        from ledger_app.documents.roster import make_roster

        full_id = self.full_id.isChecked()  # read here: the document is made on a worker thread
        documents.save_document(self, "打印花名册", "党员花名册", lambda path: make_roster(path, full_id=full_id),
                                formats=("pdf", "docx"))
