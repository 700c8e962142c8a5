"""设置: the branch profile form with 保存 (Ctrl+S) and 还原, and the Word templates a clerk may edit.

A ``ValidationError`` is shown in red under the field it names and nothing is saved. A template
the clerk edits is a copy in the data folder's ``templates`` (``documents.word``): 打开模板文件夹
puts copies of the ticked templates there and opens the folder, 恢复默认模板 drops copies.
"""

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ledger_app import private
from ledger_app.errors import LedgerError, ValidationError
from ledger_app.services import branch
from ledger_app.services import settings as ledger_settings

from .common import confirm, muted_label, show_error
from .profile_form import ProfileForm
from .security import SecurityCard

TEMPLATE_LABELS = {"minutes.docx": "会议记录", "minutes_lecture.docx": "党课记录", "signin.docx": "会议签到表",
                   "roster.docx": "党员花名册", "transfer_letter.docx": "组织关系介绍信",
                   "dues_month.docx": "党费按月收缴表", "dues_register.docx": "党费收缴登记簿",
                   "dues_posting.docx": "党费收缴公示", "development_notice.docx": "发展党员公示",
                   "development_record.docx": "发展党员全程纪实表", "development_register.docx": "发展党员工作台账"}


def settings_card(heading: str) -> tuple[QFrame, QVBoxLayout]:
    """A white card of the settings page with its heading; the caller fills the returned layout."""
    card = QFrame()
    card.setObjectName("card")
    card.setMaximumWidth(720)
    inner = QVBoxLayout(card)
    inner.setContentsMargins(20, 16, 20, 16)
    title = QLabel(heading)
    title.setObjectName("cardHeading")
    inner.addWidget(title)
    return card, inner


class SettingsPage(QWidget):
    """The branch profile; ``saved`` tells the window to update its title and the workbench."""

    saved = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        title = QLabel("设置")
        title.setObjectName("pageTitle")
        self.form = ProfileForm(with_contact=True)
        self.save_button = QPushButton("保存(&S)")
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.setToolTip("保存支部基本信息（Ctrl+S）")
        self.save_button.setDefault(True)
        self.revert_button = QPushButton("还原(&R)")
        self.revert_button.setToolTip("放弃未保存的修改，恢复为台账中保存的内容")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.refresh)
        self.form.name.returnPressed.connect(self.save)
        self.status = QLabel()
        self.status.setObjectName("muted")

        card, inner = settings_card("支部基本信息")
        inner.addWidget(self.form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        inner.addLayout(buttons)

        note = muted_label("支部委员会换届和党小组的调整将在后续版本中提供。")
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(title)
        layout.addWidget(card)
        layout.addWidget(self._templates_card())
        layout.addWidget(self._calendar_card())
        self.security = SecurityCard()
        layout.addWidget(self.security)
        layout.addWidget(note)
        layout.addStretch(1)
        scroll = QScrollArea()  # the cards are taller than a small screen
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _templates_card(self) -> QFrame:
        text = QLabel("生成的 Word 文件按模板填写。要改成本单位的格式：勾选要修改的模板，点“打开模板文件夹”，"
                      "程序把模板复制到数据文件夹中，用 Word 修改那份复制品即可，以后生成时优先使用它。"
                      "占位符的说明见使用手册中的《Word 模板说明》。")
        text.setWordWrap(True)
        text.setObjectName("muted")
        self.templates = QListWidget()
        self.templates.setMaximumHeight(170)
        self.open_templates_button = QPushButton("打开模板文件夹(&O)")
        self.restore_templates_button = QPushButton("恢复默认模板(&F)…")
        self.open_templates_button.clicked.connect(lambda: self.open_templates())
        self.restore_templates_button.clicked.connect(lambda: self.restore_templates())
        card, inner = settings_card("文书模板")
        inner.addWidget(text)
        inner.addWidget(self.templates)
        self.templates_status = QLabel()
        self.templates_status.setObjectName("muted")
        buttons = QHBoxLayout()
        buttons.addWidget(self.templates_status, 1)
        buttons.addWidget(self.restore_templates_button)
        buttons.addWidget(self.open_templates_button)
        inner.addLayout(buttons)
        return card

    def _calendar_card(self) -> QFrame:
        """The public holidays and 调休 workdays, for counting a 公示's 5 working days."""
        text = muted_label("计算公示期（不少于 5 个工作日）时，周六、周日不算工作日。请按国务院办公厅每年公布的"
                           "放假安排，填写放假的日期和调休上班的周末日期，每行一个，如 2026-10-01。")
        text.setWordWrap(True)
        self.holidays = QPlainTextEdit()
        self.workdays = QPlainTextEdit()
        for edit in (self.holidays, self.workdays):
            edit.setMaximumHeight(110)
            edit.setTabChangesFocus(True)
        self.calendar_error = QLabel()
        self.calendar_error.setObjectName("fieldError")
        self.calendar_error.setWordWrap(True)
        self.calendar_status = QLabel()
        self.calendar_status.setObjectName("muted")
        save = QPushButton("保存节假日(&H)")
        save.clicked.connect(lambda: self.save_calendar())
        columns = QHBoxLayout()
        for label, edit in (("放假日期(&J)：", self.holidays), ("调休上班日期(&W)：", self.workdays)):
            column = QVBoxLayout()
            caption = QLabel(label)
            caption.setBuddy(edit)
            column.addWidget(caption)
            column.addWidget(edit)
            columns.addLayout(column)
        card, inner = settings_card("节假日和调休")
        inner.addWidget(text)
        inner.addLayout(columns)
        inner.addWidget(self.calendar_error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.calendar_status, 1)
        buttons.addWidget(save)
        inner.addLayout(buttons)
        self.calendar_error.hide()
        return card

    def _show_calendar(self) -> None:
        calendar = ledger_settings.work_calendar()
        self.holidays.setPlainText("\n".join(d.isoformat() for d in sorted(calendar.holidays)))
        self.workdays.setPlainText("\n".join(d.isoformat() for d in sorted(calendar.workdays)))
        self.calendar_error.hide()

    def save_calendar(self) -> bool:
        """Store the holidays and 调休 workdays; a wrong line is named and nothing is saved."""
        self.calendar_error.hide()
        self.calendar_status.clear()
        try:
            holidays = ledger_settings.parse_days(self.holidays.toPlainText(), "放假日期", "holidays")
            workdays = ledger_settings.parse_days(self.workdays.toPlainText(), "调休上班日期", "workdays")
            ledger_settings.put_work_calendar(holidays, workdays)
        except ValidationError as exc:
            self.calendar_error.setText(str(exc))
            self.calendar_error.show()
            return False
        self._show_calendar()
        self.calendar_status.setText(f"已保存：放假 {len(holidays)} 天，调休上班 {len(workdays)} 天。")
        return True

    def _show_templates(self) -> None:
        """Each shipped template, ticked as before, saying whether the clerk's own copy is in use."""
        from ledger_app.documents.word import custom_templates_dir
        from ledger_app.paths import shipped_templates_dir

        ticked = set(self.checked_templates())
        self.templates.clear()
        for path in sorted(shipped_templates_dir().glob("*.docx")):
            own = (custom_templates_dir() / path.name).exists()
            label = f"{TEMPLATE_LABELS.get(path.name, path.stem)}（{path.name}）" + ("——使用本单位修改的模板" if own else "")
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, path.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if path.name in ticked else Qt.CheckState.Unchecked)
            self.templates.addItem(item)

    def checked_templates(self) -> list[str]:
        items = (self.templates.item(i) for i in range(self.templates.count()))
        return [item.data(Qt.ItemDataRole.UserRole) for item in items if item.checkState() == Qt.CheckState.Checked]

    def open_templates(self) -> list[str]:
        """Copy the ticked templates into the data folder (a copy already there is kept) and open it."""
        from ledger_app.documents.word import copy_template_for_editing, custom_templates_dir

        names = self.checked_templates()
        try:
            for name in names:
                copy_template_for_editing(name)
            folder = private.make_dirs(custom_templates_dir())
        except OSError as exc:
            show_error(self, f"无法复制模板到数据文件夹：{exc.strerror or exc}。请检查文件夹是否可写。")
            return []
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
        self._show_templates()
        self.templates_status.setText(f"已复制 {len(names)} 个模板，可以用 Word 修改。" if names else "已打开模板文件夹。")
        return names

    def restore_templates(self) -> list[str]:
        """Drop the clerk's copies of the ticked templates (all copies when none is ticked), after asking."""
        from ledger_app.documents.word import custom_templates_dir, restore_default_template

        own = [self.templates.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.templates.count())]
        own = [name for name in own if (custom_templates_dir() / name).exists()]
        ticked = self.checked_templates()
        names = [name for name in own if name in ticked] if ticked else own
        if not names:
            show_error(self, "勾选的模板都在使用程序自带的格式，不需要恢复。" if ticked else "没有本单位修改过的模板。")
            return []
        listed = "、".join(TEMPLATE_LABELS.get(name, name) for name in names)
        if not confirm(self, "恢复默认模板", f"删除本单位修改的模板（{listed}），以后改用程序自带的模板？"
                                           "删除的复制品不能恢复。", "恢复默认(&F)"):
            return []
        for name in names:
            restore_default_template(name)
        self._show_templates()
        self.templates_status.setText(f"已恢复 {len(names)} 个默认模板。")
        return names

    def refresh(self) -> None:
        """Show the profile as saved in the ledger (also 还原)."""
        self.form.set_profile(branch.get_profile())
        self.status.clear()
        self._show_templates()
        self._show_calendar()
        self.security.refresh()

    def save(self) -> bool:
        """Save the profile; show a problem beside its field and save nothing."""
        self.form.clear_errors()
        self.status.clear()
        try:
            branch.save_profile(self.form.profile())
        except ValidationError as exc:
            if not self.form.show_error(exc.field, str(exc)):
                show_error(self, exc)
            return False
        except LedgerError as exc:
            show_error(self, exc)
            return False
        self.status.setText("已保存。")
        self.saved.emit()
        return True
