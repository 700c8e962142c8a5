"""The first-run wizard (design.md §1): branch profile, committee, 党小组 — or the demo ledger.

Nothing is written until 完成: then ``services.branch.set_up_branch`` writes everything in one
transaction. A ``ValidationError`` takes the clerk back to the page of the field it names, with the
message shown there. Cancelling writes nothing. The welcome page also offers a demo ledger; when
the clerk takes it, the wizard ends with ``demo_path`` set and the caller opens that ledger.
"""

import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ledger_app import vocab
from ledger_app.errors import LedgerError, ValidationError
from ledger_app.rules import organisation
from ledger_app.services.branch import BranchSetup, CommitteeSeat, GroupDraft, set_up_branch

from .common import format_date, run_in_background, show_error
from .forms import DATE_FORMAT, FieldError, from_qdate
from .profile_form import ProfileForm

WELCOME, PROFILE, COMMITTEE, GROUPS, DONE = range(5)
DEMO_FILE_NAME = "演示台账.sqlite3"
CHINESE_NUMBERS = "一二三四五六七八九十"


def demo_ledger_path() -> Path:
    from ledger_app.db import data_dir

    return data_dir() / DEMO_FILE_NAME


def _label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class WelcomePage(QWizardPage):
    """What the program is, and the way to a demo ledger for trying things out."""

    def __init__(self, wizard: "SetupWizard"):
        super().__init__()
        self.setTitle("欢迎使用党务台账")
        layout = QVBoxLayout(self)
        layout.addWidget(_label(
            "党务台账帮助党支部的党务工作者在一台电脑上记好全年的台账：党员档案、发展党员、"
            "“三会一课”、党费收缴、组织关系转接和年度总结。所有数据只保存在这台电脑上，不联网。"))
        layout.addWidget(_label(
            "接下来几步填写支部基本信息、支部委员会和党小组（以后都可以在“设置”中修改）。"
            "点“下一步”开始新建本支部的台账。"))
        layout.addSpacing(12)
        layout.addWidget(_label("只是想先看看？可以打开一个由虚构人员组成的演示台账，"
                                "它和本支部的台账分开保存，互不影响。"))
        self.demo_button = QPushButton("打开演示台账(&D)")
        self.demo_button.setAutoDefault(False)  # Enter on this page means 下一步, not the demo
        self.demo_button.clicked.connect(wizard.open_demo)
        row = QHBoxLayout()
        row.addWidget(self.demo_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)


class ProfilePage(QWizardPage):
    """支部基本信息: 下一步 stays disabled until the branch has a name."""

    def __init__(self):
        super().__init__()
        self.setTitle("支部基本信息")
        self.setSubTitle("支部名称必须填写；其他各项可以以后在“设置”中补充。")
        self.form = ProfileForm(with_contact=False)
        self.form.name.textChanged.connect(self.completeChanged)
        self.form.name.textChanged.connect(lambda: self.form.errors["name"].clear_message())
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addStretch(1)

    def isComplete(self) -> bool:
        return bool(self.form.name.text().strip())

    def validatePage(self) -> bool:
        """Check the profile with the rule before going on, and say beside the field what to fix."""
        self.form.clear_errors()
        profile = self.form.profile()
        problems = organisation.check_profile(profile.name, profile.branch_type, profile.founded_on, date.today())
        for problem in problems:
            self.form.show_error(problem.field, problem.message)
        return not problems


class _PostDelegate(QStyledItemDelegate):
    """The 职务 column: an editable list of the usual posts (vocab.COMMITTEE_POSTS)."""

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.addItems(vocab.COMMITTEE_POSTS)
        return combo

    def setEditorData(self, editor, index):
        editor.setCurrentText(index.data() or "")

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentText().strip())


class RowTable(QWidget):
    """A small editable table with 添加 / 删除 buttons; fully blank rows are ignored."""

    def __init__(self, headers: list[str], new_row, add_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.new_row = new_row
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(32)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        triggers = QAbstractItemView.EditTrigger
        self.table.setEditTriggers(triggers.DoubleClicked | triggers.SelectedClicked | triggers.EditKeyPressed
                                   | triggers.AnyKeyPressed)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
        self.add_button = QPushButton(add_text)
        self.remove_button = QPushButton("删除选中行(&R)")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self.remove_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def add_row(self, values: list[str] | None = None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        values = values if values is not None else self.new_row(row)
        for column, value in enumerate(values):
            self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.setCurrentCell(row, 0)
        if self.table.isVisible():  # a click on 添加: start typing the first cell straight away
            self.table.setFocus()
            self.table.editItem(self.table.item(row, 0))
        return row

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def drop_blank_rows(self) -> None:
        """Remove rows where nothing was typed, so row numbers in messages match what is seen."""
        for row in reversed(range(self.table.rowCount())):
            if not any(self.text(row, column) for column in range(self.table.columnCount())):
                self.table.removeRow(row)

    def text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item else ""

    def rows(self) -> list[list[str]]:
        return [[self.text(row, column) for column in range(self.table.columnCount())]
                for row in range(self.table.rowCount())]

    def select_row(self, row: int) -> None:
        if 0 <= row < self.table.rowCount():
            self.table.setCurrentCell(row, 0)
            self.table.setFocus()


class CommitteePage(QWizardPage):
    """支部委员会: who holds which post, when the term began and how long it runs."""

    def __init__(self, wizard: "SetupWizard"):
        super().__init__()
        self.setTitle("支部委员会")
        self.setSubTitle("点“添加委员”逐行填写支部委员（或书记）的姓名和职务。不足 7 名正式党员的支部只设书记"
                         "（必要时设副书记）。这里填写的人会作为党员登记姓名，其余信息以后补充。")
        self._wizard = wizard
        self.rows = RowTable(["姓名", "职务"], self._new_row, "添加委员(&A)")
        self.rows.table.setItemDelegateForColumn(1, _PostDelegate(self.rows.table))
        self.term_start = QDateEdit(QDate.currentDate())
        self.term_start.setCalendarPopup(True)
        self.term_start.setDisplayFormat(DATE_FORMAT)
        self.term_years = QSpinBox()
        self.term_years.setRange(1, 10)
        self.term_years.setSuffix(" 年")
        self.term_start.setMinimumWidth(160)
        self.term_years.setMinimumWidth(100)
        self._years_for_type: str | None = None
        self.error = FieldError()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("本届任期开始(&S)：", self.term_start)
        form.addRow("任期(&Y)：", self.term_years)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rows, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)

    def _new_row(self, row: int) -> list[str]:
        posts = vocab.COMMITTEE_POSTS
        used = {self.rows.text(r, 1) for r in range(self.rows.table.rowCount())}
        post = "书记" if "书记" not in used else next((p for p in posts[2:] if p not in used), "委员")
        return ["", post]

    def initializePage(self) -> None:
        """The term length follows the branch type (rules.organisation) until the clerk changes it."""
        branch_type = self._wizard.profile_page.form.branch_type.currentData()
        if self._years_for_type is None or self.term_years.value() == organisation.term_years(self._years_for_type):
            self.term_years.setValue(organisation.term_years(branch_type))
        self._years_for_type = branch_type

    def validatePage(self) -> bool:
        self.rows.drop_blank_rows()
        self.error.clear_message()
        return True

    def seats(self) -> list[CommitteeSeat]:
        return [CommitteeSeat(name=name, post=post) for name, post in self.rows.rows()]


class GroupsPage(QWizardPage):
    """党小组: each group's name and leader."""

    def __init__(self):
        super().__init__()
        self.setTitle("党小组")
        self.setSubTitle("党员人数较多的支部可以划分党小组。没有党小组的支部可以不填，直接点“下一步”。")
        self.rows = RowTable(["党小组名称", "组长"], self._new_row, "添加党小组(&A)")
        self.error = FieldError()
        layout = QVBoxLayout(self)
        layout.addWidget(self.rows, 1)
        layout.addWidget(self.error)

    @staticmethod
    def _new_row(row: int) -> list[str]:
        number = CHINESE_NUMBERS[row] if row < len(CHINESE_NUMBERS) else str(row + 1)
        return [f"第{number}党小组", ""]

    def validatePage(self) -> bool:
        self.rows.drop_blank_rows()
        self.error.clear_message()
        return True

    def groups(self) -> list[GroupDraft]:
        return [GroupDraft(name=name, leader_name=leader) for name, leader in self.rows.rows()]


class DonePage(QWizardPage):
    """A summary of what will be written, and where the roster comes from next."""

    def __init__(self, wizard: "SetupWizard"):
        super().__init__()
        self._wizard = wizard
        self.setTitle("完成")
        self.setSubTitle("请核对以下信息，点“完成”保存并进入工作台。")
        self.summary = _label("")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = FieldError()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(_label("党员花名册以后可以在“党员”页面从 Excel 表格导入，也可以逐个录入。"))

    def initializePage(self) -> None:
        self.error.clear_message()
        setup = self._wizard.setup()
        profile = setup.profile
        lines = [
            f"支部名称：{profile.name.strip()}",
            f"支部类型：{vocab.BRANCH_TYPES.get(profile.branch_type, profile.branch_type)}",
            f"上级党委：{profile.upper_committee.strip() or '未填写'}",
            f"成立日期：{format_date(profile.founded_on)}",
        ]
        if setup.committee:
            seats = "、".join(f"{seat.post} {seat.name}" for seat in setup.committee)
            lines.append(f"支部委员会：{seats}（自 {format_date(setup.term_started_on)} 起，任期 {setup.term_years} 年）")
        else:
            lines.append("支部委员会：未填写")
        groups = "、".join(g.name + (f"（组长 {g.leader_name}）" if g.leader_name else "") for g in setup.groups)
        lines.append(f"党小组：{groups or '未划分'}")
        self.summary.setText("\n".join(lines))


class SetupWizard(QWizard):
    """The first-run wizard; ``exec()`` returns Accepted once the branch is written (or a demo chosen)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("党务台账 — 首次设置")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.demo_path: Path | None = None
        self.welcome_page = WelcomePage(self)
        self.profile_page = ProfilePage()
        self.committee_page = CommitteePage(self)
        self.groups_page = GroupsPage()
        self.done_page = DonePage(self)
        self.setPage(WELCOME, self.welcome_page)
        self.setPage(PROFILE, self.profile_page)
        self.setPage(COMMITTEE, self.committee_page)
        self.setPage(GROUPS, self.groups_page)
        self.setPage(DONE, self.done_page)
        self.setStartId(WELCOME)
        self.resize(720, 560)

    def setup(self) -> BranchSetup:
        """Everything typed so far, as the service takes it."""
        seats = self.committee_page.seats()
        return BranchSetup(
            profile=self.profile_page.form.profile(),
            term_started_on=from_qdate(self.committee_page.term_start.date()) if seats else None,
            term_years=self.committee_page.term_years.value() if seats else None,
            committee=seats,
            groups=self.groups_page.groups(),
        )

    def accept(self) -> None:
        """完成: write the branch; on a ``ValidationError`` go back to the field's page and say why."""
        try:
            set_up_branch(self.setup())
        except ValidationError as exc:
            self._show_problem(exc)
            return
        except LedgerError as exc:
            show_error(self, exc)
            return
        super().accept()

    def _show_problem(self, exc: ValidationError) -> None:
        field = exc.field or ""
        if field.startswith("committee") or field == "term_started_on":
            page_id, page = COMMITTEE, self.committee_page
        elif field.startswith("groups"):
            page_id, page = GROUPS, self.groups_page
        elif field in self.profile_page.form.errors:
            page_id, page = PROFILE, None
        else:
            page_id, page = DONE, self.done_page
        while self.currentId() != page_id and self.currentId() != self.startId():
            self.back()
        if page_id == PROFILE:
            self.profile_page.form.show_error(field, str(exc))
            return
        page.error.show_message(str(exc))
        match = re.search(r"\[(\d+)\]", field)
        if match and hasattr(page, "rows"):
            page.rows.select_row(int(match.group(1)))

    def open_demo(self) -> None:
        """Create (once) and open the demo ledger of fictional people in the data folder."""
        path = demo_ledger_path()
        if not (path.exists() and path.stat().st_size > 0):
            try:
                from ledger_app.demo import generate_demo
            except ImportError:
                show_error(self, "这个版本还没有包含演示台账。请点“下一步”新建本支部的台账。")
                return
            try:
                run_in_background(self, "正在生成演示台账（60 名虚构党员、3 年记录）…",
                                  lambda report: generate_demo(path, members=60, years=3, seed=1, progress=report))
            except LedgerError as exc:
                show_error(self, exc)
                return
        self.demo_path = path
        self.done(QDialog.DialogCode.Accepted)
