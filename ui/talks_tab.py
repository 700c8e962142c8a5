"""谈心谈话 tab of the 会议 page: the year's talk log and the members who have had no talk yet.

The rows come from ``services.talks`` (``talks_in``, ``members_without_talk``); a talk is added or
corrected in ``TalkDialog`` (a ``FormDialog``) whose problems show under the field they name.
"""

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ledger_app import vocab
from ledger_app.errors import LedgerError
from ledger_app.services import meetings, talks

from .common import confirm, muted_label, show_error
from .forms import FormDialog, date_edit, from_qdate
from .meeting_editor import PersonPicker, people_model
from .tables import RowsModel, read_only_table


class TalkListModel(RowsModel):
    """The year's talks: 日期, 类别, 谈话人, 谈话对象, 谈话要点."""

    HEADERS = ("日期", "类别", "谈话人", "谈话对象", "谈话要点")
    GIST = 4

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row: talks.TalkRow = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            first = row.first_name or (row.participants if not row.second_name else "")
            return (row.held_on.isoformat(), row.kind_label or "—", first, row.second_name, row.gist)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.GIST:
            return row.gist or None
        return None


class TalkDialog(FormDialog):
    """登记 / 修改 a talk: the date, the two people from the roster, the kind and the gist.

    The kind follows the two people (committee or not) until the clerk picks one.
    """

    def __init__(self, talk: talks.TalkRow | None = None, today: date | None = None, second_person_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__("修改谈心谈话" if talk else "登记谈心谈话", "保存(&S)", parent)
        self.talk = talk
        self.today = today or date.today()
        self.talk_id: int | None = talk.id if talk else None
        draft = talk.draft() if talk else talks.TalkDraft(self.today, None, second_person_id, None)
        self.held_on = date_edit(draft.held_on or self.today)
        self.people = people_model(meetings.member_choices(draft.held_on or self.today), self)
        self.first = PersonPicker(self.people)
        self.second = PersonPicker(self.people)
        self.first.set_person(draft.first_person_id, talk.first_name if talk else "")
        self.second.set_person(draft.second_person_id, talk.second_name if talk else "")
        self.kind = QComboBox()
        self.kind.addItem("（请选择）", None)
        for code, label in vocab.TALK_KINDS.items():
            self.kind.addItem(label, code)
        self.kind.setCurrentIndex(max(self.kind.findData(draft.kind), 0))
        self.kind_chosen = draft.kind is not None
        self.gist = QPlainTextEdit(draft.gist)
        self.gist.setTabChangesFocus(True)
        self.gist.setPlaceholderText("谈了哪些思想、工作和生活情况，提了哪些意见建议，有何打算")
        self.gist.setMinimumHeight(110)
        form = self.new_form()
        self.add_row(form, "held_on", "谈话日期(&D)：", self.held_on)
        self.add_row(form, "first_person_id", "谈话人(&F)：", self.first)
        self.add_row(form, "second_person_id", "谈话对象(&P)：", self.second)
        self.add_row(form, "kind", "类别(&K)：", self.kind)
        self.add_row(form, "gist", "谈话要点(&G)：", self.gist)
        hint = muted_label("谈话人和谈话对象从花名册中选（输入姓名查找）。类别按两人是否为支委自动选定，也可以改选。")
        self.arrange(560, form, hint)
        self.kind.activated.connect(self._kind_picked)
        for picker in (self.first, self.second):
            picker.currentIndexChanged.connect(lambda _i: self._suggest_kind())
            picker.editTextChanged.connect(lambda _t: self._suggest_kind())
        self._suggest_kind()

    def _kind_picked(self, _index: int) -> None:
        self.kind_chosen = self.kind.currentData() is not None

    def _suggest_kind(self) -> None:
        first, second = self.first.person_id(), self.second.person_id()
        if self.kind_chosen or first is None or second is None:
            return
        kind = talks.suggest_kind(first, second, from_qdate(self.held_on.date()))
        self.kind.setCurrentIndex(self.kind.findData(kind))

    def draft(self) -> talks.TalkDraft:
        return talks.TalkDraft(from_qdate(self.held_on.date()), self.first.person_id(), self.second.person_id(),
                               self.kind.currentData(), self.gist.toPlainText(), self.talk.note if self.talk else "")

    def save(self) -> None:
        if self.talk_id is None:
            self.talk_id = talks.add_talk(self.draft(), self.today)
        else:
            talks.update_talk(self.talk_id, self.draft(), self.today)


class TalksTab(QWidget):
    """The year's 谈心谈话: the log with its buttons, and who on the roll has had no talk."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.year: int | None = None
        self.today: date | None = None
        self.summary = QLabel()
        self.summary.setObjectName("cardHeading")
        self.summary.setWordWrap(True)
        self.model = TalkListModel(self)
        self.table = read_only_table(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TalkListModel.GIST, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.edit_talk())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.add_button = QPushButton("登记谈话(&A)…")
        self.edit_button = QPushButton("修改(&E)…")
        self.delete_button = QPushButton("删除(&D)…")
        self.add_button.clicked.connect(lambda: self.add_talk())
        self.edit_button.clicked.connect(lambda: self.edit_talk())
        self.delete_button.clicked.connect(lambda: self.delete_selected())

        self.without = QListWidget()
        self.without.itemActivated.connect(lambda item: self.add_talk(item.data(Qt.ItemDataRole.UserRole)))
        self.without_box = QGroupBox()
        self.talk_with_button = QPushButton("与选中的同志谈话(&T)…")
        self.talk_with_button.clicked.connect(lambda: self._talk_with_selected())
        box = QVBoxLayout(self.without_box)
        box.addWidget(muted_label("在册党员中本年还没有谈心谈话记录的同志。双击姓名登记一次谈话。"))
        box.addWidget(self.without, 1)
        box.addWidget(self.talk_with_button)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.table, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.without_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        self._update_buttons()

    def current_day(self) -> date:
        return self.today or date.today()

    def load(self, year: int, today: date | None = None, select_id: int | None = None) -> None:
        self.year, self.today = year, today
        self.model.load(talks.talks_in(year))
        coverage = talks.coverage(year, self.current_day())
        self.summary.setText(f"{year}年度谈心谈话：谈话 {coverage.talks} 次；在册党员 {coverage.on_roll} 人，"
                             f"已谈 {coverage.covered} 人，未谈 {len(coverage.without)} 人")
        self.without.clear()
        for member in coverage.without:
            item = QListWidgetItem(f"{member.name}（{member.group_name}）" if member.group_name else member.name)
            item.setData(Qt.ItemDataRole.UserRole, member.person_id)
            self.without.addItem(item)
        self.without_box.setTitle(f"本年尚未谈话（{len(coverage.without)} 人）")
        for number, row in enumerate(self.model.rows):
            if row.id == select_id:
                self.table.selectRow(number)
        self._update_buttons()

    def selected(self) -> talks.TalkRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def open_dialog(self, talk: talks.TalkRow | None = None, second_person_id: int | None = None) -> TalkDialog:
        """The dialog (tests drive it before ``exec``)."""
        return TalkDialog(talk, self.current_day(), second_person_id, self)

    def _run(self, dialog: TalkDialog) -> int | None:
        accepted = dialog.exec() == TalkDialog.DialogCode.Accepted
        talk_id = dialog.talk_id if accepted else None
        dialog.deleteLater()
        if accepted:
            self.load(self.year, self.today, talk_id)
            self.changed.emit()
        return talk_id

    def add_talk(self, second_person_id: int | None = None) -> int | None:
        return self._run(self.open_dialog(None, second_person_id))

    def _talk_with_selected(self) -> int | None:
        item = self.without.currentItem()
        if item is None:
            show_error(self, "请先在右侧名单中选中一位同志。")
            return None
        return self.add_talk(item.data(Qt.ItemDataRole.UserRole))

    def edit_talk(self) -> int | None:
        row = self.selected()
        if row is None:
            show_error(self, "请先在列表中选中一次谈话，再修改。")
            return None
        return self._run(self.open_dialog(row))

    def delete_selected(self) -> bool:
        row = self.selected()
        if row is None:
            show_error(self, "请先在列表中选中一次谈话，再删除。")
            return False
        if not confirm(self, "删除谈心谈话", f"删除 {row.held_on.isoformat()} {row.participants} 的谈话记录？删除记入操作记录。",
                       "删除(&D)"):
            return False
        try:
            talks.delete_talk(row.id)
        except LedgerError as exc:
            show_error(self, exc)
            return False
        self.load(self.year, self.today)
        self.changed.emit()
        return True

