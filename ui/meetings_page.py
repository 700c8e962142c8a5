"""会议: the year's meetings, the editor, the year's plan, the check of what the rules require, and
the year's 民主评议党员 and 谈心谈话 (``ui.appraisal_tab``, ``ui.talks_tab``).

The list comes from ``services.meetings.list_meetings`` and the 落实情况 tab from
``services.compliance.compliance_report``; the page holds them in small table models and never
queries the ledger itself. The sign-in sheet and the minutes of the selected meeting are made by
``documents.minutes`` as Word or PDF (``ui.documents.save_document``) or printed from the same PDF
(``ui.printing.print_pdf``).
"""

import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ledger_app import vocab
from ledger_app.errors import LedgerError, ValidationError
from ledger_app.rules.meetings import AT_LEAST_YEARLY, DEFAULT_FREQUENCIES, FREQUENCIES
from ledger_app.services import compliance, meetings

from .appraisal_tab import AppraisalTab
from .common import confirm, muted_label, show_error, show_info
from .documents import open_folder, save_document
from .forms import DateDialog, FormDialog
from .meeting_editor import MeetingEditor
from .meeting_models import ComplianceModel, MeetingListModel
from .tables import read_only_table, size_columns
from .talks_tab import TalksTab

ALL_KINDS = "全部类别"
YEARS_BACK = 10  # years offered before this one (and one ahead, to plan it)
DOCUMENTS = {"signin": "签到表", "minutes": "会议记录"}
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


# The widest text each column of the list usually holds, for its width (the 标题 takes the room left).
LIST_SAMPLES = ("2026-12-31", "党小组会·第十二党小组", "", "已召开", "9999/9999", "欧阳某某")


def table(model) -> QTableView:
    """The 落实情况 table: one row per kind of meeting (per 党小组 for 党小组会), so sizing its columns
    to their contents reads a few dozen rows at most."""
    view = read_only_table(model)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


def file_name(row: meetings.MeetingRow, document: str) -> str:
    """签到表-2026-03-15-2026年第一季度支部党员大会 (characters Windows refuses are dropped)."""
    title = _UNSAFE.sub("", row.title or row.kind_label)[:40]
    return f"{DOCUMENTS[document]}-{row.held_on.isoformat()}-{title}"


class FrequenciesDialog(FormDialog):
    """会议频次设置: how often this branch must hold each kind of meeting (local practice: the
    defaults of ``rules.meetings`` follow the 条例, and the upper committee may ask for more)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("会议频次设置", "保存(&S)", parent)
        current = meetings.meeting_frequencies()
        self.choices: dict[str, QComboBox] = {}
        form = self.new_form()
        for kind, name in vocab.MEETING_KINDS.items():
            choice = QComboBox()
            for code, label in FREQUENCIES.items():
                if code != "none" or kind not in AT_LEAST_YEARLY:  # 组织生活会, 民主评议: at least yearly
                    choice.addItem(label, code)
            choice.setCurrentIndex(choice.findData(current[kind]))
            choice.setToolTip(f"默认：{FREQUENCIES[DEFAULT_FREQUENCIES[kind]]}")
            self.choices[kind] = choice
            self.add_row(form, kind, f"{name}（默认{FREQUENCIES[DEFAULT_FREQUENCIES[kind]]}）：", choice)
        hint = muted_label("按上级党委的要求设置；“落实情况”和工作台按这里的频次逐期核对。党小组会按每个党小组分别核对。")
        self.arrange(480, form, hint)

    def save(self) -> None:
        meetings.put_meeting_frequencies({kind: choice.currentData() for kind, choice in self.choices.items()})


class MeetingsPage(QWidget):
    """The list of a year's meetings with its buttons, and the 落实情况 tab."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.today: date | None = None  # fixed by tests; None means the real day
        self.last_written: dict[str, Path] = {}
        title = QLabel("会议")
        title.setObjectName("pageTitle")
        self.year = QComboBox()
        self.year.setMinimumWidth(100)
        year_label = QLabel("年份(&Y)：")
        year_label.setBuddy(self.year)
        self.kind = QComboBox()
        self.kind.addItem(ALL_KINDS, None)
        for code, label in vocab.MEETING_KINDS.items():
            self.kind.addItem(label, code)
        kind_label = QLabel("类别(&K)：")
        kind_label.setBuddy(self.kind)
        self.summary = QLabel()
        self.summary.setObjectName("muted")

        self.model = MeetingListModel(self)
        self.table = read_only_table(self.model)
        size_columns(self.table, LIST_SAMPLES, stretch=MeetingListModel.TITLE_COLUMN)
        self.table.doubleClicked.connect(lambda _index: self.edit_meeting())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda: self.edit_meeting())

        self.new_button = QPushButton("新建(&N)…")
        self.edit_button = QPushButton("编辑(&E)…")
        self.copy_button = QPushButton("复制为新会议(&C)…")
        self.plan_button = QPushButton("按年度节奏生成计划(&P)…")
        self.delete_button = QPushButton("删除(&D)…")
        self.new_button.clicked.connect(lambda: self.new_meeting())
        self.edit_button.clicked.connect(lambda: self.edit_meeting())
        self.copy_button.clicked.connect(lambda: self.copy_selected())
        self.plan_button.clicked.connect(lambda: self.plan())
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.document_buttons: dict[str, QPushButton] = {}
        self.folder_actions = {}
        for document, mnemonic in (("signin", "I"), ("minutes", "M")):
            button = QPushButton(f"{DOCUMENTS[document]}(&{mnemonic})")
            menu = QMenu(button)
            menu.addAction("生成 Word…", lambda d=document: self.make_document(d, "docx"))
            menu.addAction("生成 PDF…", lambda d=document: self.make_document(d, "pdf"))
            menu.addAction("打印…", lambda d=document: self.print_document(d))
            menu.addSeparator()
            self.folder_actions[document] = menu.addAction("打开所在文件夹", lambda d=document: self.open_folder(d))
            self.folder_actions[document].setEnabled(False)
            button.setMenu(menu)
            self.document_buttons[document] = button

        self.compliance_model = ComplianceModel(self)
        self.compliance_table = table(self.compliance_model)
        self.compliance_table.horizontalHeader().setSectionResizeMode(ComplianceModel.MISSED_COLUMN,
                                                                      QHeaderView.ResizeMode.Stretch)
        self.compliance_head = QLabel()
        self.compliance_head.setObjectName("cardHeading")
        self.compliance_head.setWordWrap(True)
        self.compliance_note = QLabel("按本支部的会议频次逐期核对：只有状态为“已召开”的会议算作已开；红字是已经过去却没有"
                                      "召开的期间，请尽快补开或说明情况。党小组会按每个党小组分别核对。")
        self.compliance_note.setObjectName("muted")
        self.compliance_note.setWordWrap(True)

        list_page = QWidget()
        list_layout = QVBoxLayout(list_page)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.copy_button, self.plan_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addSpacing(24)
        for button in self.document_buttons.values():
            buttons.addWidget(button)
        buttons.addStretch(1)
        list_layout.addLayout(buttons)
        list_layout.addWidget(self.table, 1)
        self.frequencies_button = QPushButton("会议频次设置(&F)…")
        self.frequencies_button.setToolTip("每种会议多久应开一次")
        self.frequencies_button.clicked.connect(self.edit_frequencies)
        compliance_page = QWidget()
        compliance_layout = QVBoxLayout(compliance_page)
        head = QHBoxLayout()
        head.addWidget(self.compliance_head, 1)
        head.addWidget(self.frequencies_button)
        compliance_layout.addLayout(head)
        compliance_layout.addWidget(self.compliance_note)
        compliance_layout.addWidget(self.compliance_table, 1)
        self.compliance_extra = QLabel()  # the 民主评议 round and 谈心谈话 coverage, in words
        self.compliance_extra.setWordWrap(True)
        compliance_layout.addWidget(self.compliance_extra)
        self.appraisal_tab = AppraisalTab()
        self.talks_tab = TalksTab()
        self.appraisal_tab.saved.connect(self._others_changed)
        self.talks_tab.changed.connect(self._others_changed)
        self.tabs = QTabWidget()
        self.tabs.addTab(list_page, "会议列表")
        self.tabs.addTab(compliance_page, "落实情况")
        self.tabs.addTab(self.appraisal_tab, "民主评议")
        self.tabs.addTab(self.talks_tab, "谈心谈话")
        self.tabs.currentChanged.connect(lambda index: self.kind.setEnabled(index == 0))

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.summary)
        top.addSpacing(16)
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addWidget(kind_label)
        top.addWidget(self.kind)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.year.currentIndexChanged.connect(lambda _i: self._load())
        self.kind.currentIndexChanged.connect(lambda _i: self._load())
        self._update_buttons()

    def current_day(self) -> date:
        return self.today or date.today()

    # ---- the list ---------------------------------------------------------------------------------

    def refresh(self, select_id: int | None = None) -> None:
        """Read the list and the check again (on showing the page and after each change)."""
        chosen = self.year.currentData()
        this_year = self.current_day().year
        self.year.blockSignals(True)
        self.year.clear()
        for year in range(this_year + 1, this_year - YEARS_BACK - 1, -1):
            self.year.addItem(f"{year} 年", year)
        self.year.setCurrentIndex(max(self.year.findData(chosen or this_year), 0))
        self.year.blockSignals(False)
        self._load(select_id)

    def show_year(self, year: int) -> None:
        index = self.year.findData(year)
        if index < 0:  # a year outside the list (a copy dated far ahead): add it
            self.year.addItem(f"{year} 年", year)
            index = self.year.count() - 1
        self.year.setCurrentIndex(index)

    def _load(self, select_id: int | None = None) -> None:
        if select_id is None and self.selected() is not None:
            select_id = self.selected().id
        year = self.year.currentData()
        if year is None:
            return
        rows = meetings.list_meetings(year, self.kind.currentData())
        self.model.load(rows)
        # 主持人 shows once the service's rows carry the chair's name (MeetingRow.chair_name).
        self.table.setColumnHidden(MeetingListModel.CHAIR_COLUMN, not any(hasattr(r, "chair_name") for r in rows))
        held = sum(r.status == "held" for r in rows)
        self.summary.setText(f"共 {len(rows)} 次：已召开 {held} 次，计划 {len(rows) - held} 次")
        self.select_meeting(select_id)
        if not self.appraisal_tab.load(year, self.today):  # the clerk keeps unsaved grades of another year
            self.show_year(self.appraisal_tab.year)
            return
        self.talks_tab.load(year, self.today)
        self._load_compliance(year)
        self._update_buttons()

    def _load_compliance(self, year: int) -> None:
        report = compliance.compliance_report(year, self.current_day())
        self.compliance_model.load(report.items)
        lines = report.lines()
        self.compliance_head.setText(f"{lines[0]}　{lines[-1]}")
        self.compliance_extra.setText("\n".join(part.line() for part in (report.appraisal, report.talks) if part))
        missing = report.missing_total
        self.tabs.setTabText(1, f"落实情况（缺 {missing} 次）" if missing else "落实情况")
        self.tabs.setTabText(3, f"谈心谈话（{len(report.talks.without)} 人未谈）" if report.talks.without else "谈心谈话")

    def _others_changed(self) -> None:
        """A round or a talk was saved: the check counts them."""
        self._load_compliance(self.year.currentData())

    def edit_frequencies(self) -> bool:
        dialog = FrequenciesDialog(self)
        accepted = dialog.exec() == FrequenciesDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            self._load()
        return accepted

    def selected(self) -> meetings.MeetingRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def select_meeting(self, meeting_id: int | None) -> None:
        for number, row in enumerate(self.model.rows):
            if row.id == meeting_id:
                self.table.selectRow(number)
                return

    def _update_buttons(self, *_args) -> None:
        chosen = self.selected() is not None
        for button in (self.edit_button, self.copy_button, self.delete_button, *self.document_buttons.values()):
            button.setEnabled(chosen)

    def _need_selection(self, what: str) -> meetings.MeetingRow | None:
        row = self.selected()
        if row is None:
            show_error(self, f"请先在列表中选中一次会议，再{what}。")
        return row

    # ---- the work ---------------------------------------------------------------------------------

    def open_editor(self, meeting_id: int | None) -> MeetingEditor:
        """The editor (tests drive it before ``exec``); the list is read again when it closes."""
        return MeetingEditor(self, meeting_id, today=self.today, kind=self.kind.currentData())

    def _run_editor(self, editor: MeetingEditor) -> int | None:
        editor.exec()
        if editor.meeting_id is not None:
            self._load(editor.meeting_id)
        return editor.meeting_id

    def new_meeting(self) -> int | None:
        return self._run_editor(self.open_editor(None))

    def edit_meeting(self) -> int | None:
        row = self._need_selection("编辑")
        return self._run_editor(self.open_editor(row.id)) if row else None

    def copy_selected(self) -> int | None:
        """复制为新会议: a planned meeting with the same kind, title, place, people and topics on a new date."""
        row = self._need_selection("复制")
        if row is None:
            return None
        made: list[tuple[int, date]] = []

        def apply(day: date) -> None:
            try:
                made.append((meetings.copy_meeting(row.id, day, today=self.today), day))
            except ValidationError as exc:
                raise ValidationError(str(exc), "on" if exc.field == "held_on" else exc.field) from exc

        dialog = DateDialog("复制为新会议", f"以“{row.title or row.kind_label}”（{row.held_on.isoformat()}）为底稿新建一次会议："
                                          "类别、名称、地点、主持人、记录人和议题照抄，出席、发言、表决和决议不抄。新会议的状态为“计划”。",
                            "新会议日期(&D)：", "复制(&C)", apply, self.current_day(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted or not made:
            return None
        new_id, day = made[0]
        self.show_year(day.year)
        self._load(new_id)
        self._run_editor(self.open_editor(new_id))  # go on with the copy: its date, topics, people
        return new_id

    def plan(self) -> list[int]:
        """按年度节奏生成计划 for the year shown, after asking."""
        year = self.year.currentData()
        if not confirm(self, "按年度节奏生成计划",
                       f"按本支部的会议频次，为 {year} 年还没有过去、也还没有会议的每一期生成一次“计划”状态的会议"
                       "（党小组会按每个党小组）。已有会议的期间跳过。生成后可逐个修改日期和内容，开完会再改为“已召开”。",
                       "生成计划(&P)"):
            return []
        try:
            created = meetings.plan_year(year, today=self.today)
        except LedgerError as exc:
            show_error(self, exc)
            return []
        self._load()
        show_info(self, "已生成计划", f"已为 {year} 年生成 {len(created)} 次计划会议。" if created
                  else f"{year} 年没有需要生成计划的期间：各期都已有会议，或已经过去。")
        return created

    def delete_selected(self) -> bool:
        row = self._need_selection("删除")
        if row is None:
            return False
        what = f"“{row.title or row.kind_label}”（{row.held_on.isoformat()}，{row.status_label}）"
        extra = "这次会议已召开，出席、发言、表决、决议和补学记录将一并删除。" if row.status == "held" else ""
        if not confirm(self, "删除会议", f"删除会议{what}？{extra}删除记入操作记录。", "删除(&D)"):
            return False
        try:
            meetings.delete_meeting(row.id)
        except LedgerError as exc:
            show_error(self, exc)
            return False
        self.table.clearSelection()
        self._load()
        return True

    # ---- documents --------------------------------------------------------------------------------

    @staticmethod
    def _maker(document: str):
        from ledger_app.documents.minutes import make_minutes, make_signin

        return make_signin if document == "signin" else make_minutes

    def make_document(self, document: str, kind: str, path: Path | None = None) -> Path | None:
        """生成 Word / 生成 PDF of the selected meeting's 签到表 or 会议记录."""
        row = self._need_selection(f"生成{DOCUMENTS[document]}")
        if row is None:
            return None
        maker = self._maker(document)
        label = "Word" if kind == "docx" else "PDF"
        written = save_document(self, f"生成{DOCUMENTS[document]}（{label}）", file_name(row, document),
                                lambda out: maker(row.id, out), formats=(kind,), path=path)
        if written is not None:
            self.last_written[document] = written
            self.folder_actions[document].setEnabled(True)
        return written

    def print_document(self, document: str) -> bool:
        row = self._need_selection(f"打印{DOCUMENTS[document]}")
        if row is None:
            return False
        from .printing import print_pdf

        maker = self._maker(document)
        return print_pdf(self, lambda out: maker(row.id, out), file_name(row, document))

    def open_folder(self, document: str) -> None:
        written = self.last_written.get(document)
        if written is not None:
            open_folder(written)
