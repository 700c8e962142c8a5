"""The meeting editor: everything recorded about one meeting, saved whole.

The editor holds the meeting as a ``services.meetings.MeetingDraft`` and hands it to
``create_meeting`` / ``update_meeting``; it never checks a rule itself. 应到 comes from
``expected_for`` whenever the kind, date or 党小组 change (the marks already made are kept for the
people still listed); the verdict under each vote comes from ``draft_verdicts`` as the clerk types.
A ``ValidationError`` names its field (``held_on``, ``votes[1].yes`` …): the message appears in red
beside that field, its tab is brought forward, and nothing is written. Ctrl+S saves and keeps the
editor open; Esc (or 关闭) asks first when something is not saved.

A planned meeting has no attendance yet: its grid shows who will be 应到, and it is saved without
marks; set the status to 已召开 to record who came.
"""

import re
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStyledItemDelegate,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ledger_app import vocab
from ledger_app.errors import LedgerError, ValidationError
from ledger_app.rules import meetings as meeting_rules
from ledger_app.services import meetings
from ledger_app.services.roster import group_choices

from .common import confirm, muted_label, show_error, show_info
from .forms import DATE_FORMAT, DateDialog, FieldError, from_qdate, to_qdate
from .meeting_models import AttendanceModel

PASSED_STYLE = "color: #1e6b34;"
FAILED_STYLE = "color: #b3261e;"
NO_TOPIC = "（不对应具体议题）"
_INDEXED = re.compile(r"^(\w+)\[(\d+)\]")


# ---- small pieces ---------------------------------------------------------------------------------


def people_model(choices: list[meetings.PersonRef], parent=None) -> QStandardItemModel:
    """The members offered by every person picker of one editor (one model shared by all of them).

    A name that two members share is shown with the 党小组 (or the number) so each can be told apart.
    """
    model = QStandardItemModel(parent)
    seen: dict[str, int] = {}
    for person in choices:
        seen[person.name] = seen.get(person.name, 0) + 1
    for person in choices:
        label = person.name if seen[person.name] == 1 else f"{person.name}（{person.group_name or person.id}）"
        item = QStandardItem(label)
        item.setData(person.id, Qt.ItemDataRole.UserRole)
        model.appendRow(item)
    return model


class PersonPicker(QComboBox):
    """A member chosen by typing part of the name; ``person_id()`` is None when empty or not found."""

    def __init__(self, model: QStandardItemModel, placeholder: str = "输入姓名查找", parent=None):
        super().__init__(parent)
        self.setEditable(True)
        self.setModel(model)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        completer = QCompleter(model, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        self.lineEdit().setPlaceholderText(placeholder)
        self.set_person(None)

    def person_id(self) -> int | None:
        text = self.currentText().strip()
        index = self.findText(text, Qt.MatchFlag.MatchExactly) if text else -1
        return self.itemData(index, Qt.ItemDataRole.UserRole) if index >= 0 else None

    def typed_text(self) -> str:
        return self.currentText().strip()

    def set_person(self, person_id: int | None, name: str = "") -> None:
        """Choose ``person_id``; someone no longer a member (a former chair) is added to the list."""
        if person_id is None:
            self.setCurrentIndex(-1)
            self.setEditText(name)
            return
        self.setCurrentIndex(offer_person(self.model(), person_id, name))


def offer_person(model: QStandardItemModel, person_id: int, name: str) -> int:
    """The row of ``person_id`` in the pickers' list, added at the end when missing."""
    for row in range(model.rowCount()):
        if model.item(row).data(Qt.ItemDataRole.UserRole) == person_id:
            return row
    item = QStandardItem(name or f"编号 {person_id}")
    item.setData(person_id, Qt.ItemDataRole.UserRole)
    model.appendRow(item)
    return model.rowCount() - 1


class ListEditor(QWidget):
    """An editable list of lines (议题, 决议): 添加 starts a new line, 删除 drops the selected one."""

    changed = Signal()

    def __init__(self, add_text: str, placeholder: str, parent=None):
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.list.setWordWrap(True)
        self.list.setToolTip(placeholder)
        self.list.itemChanged.connect(lambda _item: self.changed.emit())
        self.add_button = QPushButton(add_text)
        self.remove_button = QPushButton("删除")
        self.add_button.clicked.connect(lambda: self.add_line(edit=True))
        self.remove_button.clicked.connect(self.remove_selected)
        self.error = FieldError()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    def add_line(self, text: str = "", edit: bool = False) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.list.addItem(item)
        if edit:
            self.list.setCurrentItem(item)
            self.list.editItem(item)
        self.changed.emit()
        return item

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self.changed.emit()

    def values(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def set_values(self, values: list[str]) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for text in values:
            item = QListWidgetItem(text)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.changed.emit()

    def show_problem(self, index: int, message: str) -> None:
        self.error.show_message(message)
        if 0 <= index < self.list.count():
            self.list.setCurrentRow(index)
        self.list.setFocus()


def topic_combo(topics: list[str], current: int | None = None) -> QComboBox:
    combo = QComboBox()
    set_topic_items(combo, topics, current)
    return combo


def set_topic_items(combo: QComboBox, topics: list[str], current: int | None) -> None:
    """The topics as 1. 2. …, with 不对应具体议题 first; ``current`` is a topic's index or None."""
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(NO_TOPIC, None)
    for i, title in enumerate(topics):
        combo.addItem(f"{i + 1}. {title.strip() or '（空）'}", i)
    combo.setCurrentIndex(combo.findData(current) if current is not None and current < len(topics) else 0)
    combo.blockSignals(False)


class EntryFrame(QFrame):
    """One speech or vote in its list, with a 删除 button and a red line for its problems."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("card")
        self.error = FieldError()
        self.remove_button = QToolButton()
        self.remove_button.setText("删除")
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))

    def set_topics(self, topics: list[str]) -> None:
        set_topic_items(self.topic, topics, self.topic.currentData())


class SpeechFrame(EntryFrame):
    """A speaker (a member, or a name typed for a guest) and the gist of what they said."""

    def __init__(self, people: QStandardItemModel, topics: list[str], entry: meetings.SpeechEntry | None = None,
                 parent=None):
        super().__init__(parent)
        entry = entry or meetings.SpeechEntry("")
        self.topic = topic_combo(topics, entry.topic)
        self.speaker = PersonPicker(people, "发言人（可填本支部以外人员的姓名）")
        if entry.speaker_id is not None:
            self.speaker.set_person(entry.speaker_id)
        else:
            self.speaker.set_person(None, entry.speaker_name)
        self.points = QPlainTextEdit(entry.points)
        self.points.setPlaceholderText("发言要点")
        self.points.setFixedHeight(64)
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.addWidget(QLabel("议题："), 0, 0)
        grid.addWidget(self.topic, 0, 1)
        grid.addWidget(QLabel("发言人："), 0, 2)
        grid.addWidget(self.speaker, 0, 3)
        grid.addWidget(self.remove_button, 0, 4)
        grid.addWidget(self.points, 1, 0, 1, 5)
        grid.addWidget(self.error, 2, 0, 1, 5)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        for signal in (self.topic.currentIndexChanged, self.speaker.currentTextChanged, self.points.textChanged):
            signal.connect(self.changed)

    def entry(self) -> meetings.SpeechEntry:
        speaker_id = self.speaker.person_id()
        return meetings.SpeechEntry(self.points.toPlainText(), speaker_id,
                                    "" if speaker_id is not None else self.speaker.typed_text(), self.topic.currentData())

    def focus_field(self, name: str) -> None:
        {"speaker_id": self.speaker, "topic": self.topic}.get(name, self.points).setFocus()


class VoteFrame(EntryFrame):
    """A motion with its counts and, underneath, the rule's verdict in words."""

    def __init__(self, topics: list[str], entry: meetings.VoteEntry | None = None, parent=None):
        super().__init__(parent)
        entry = entry or meetings.VoteEntry("", 0)
        self.motion = QLineEdit(entry.motion)
        self.motion.setPlaceholderText("表决事项，如：接收某某为中共预备党员")
        self.kind = QComboBox()
        for code, label in vocab.VOTE_KINDS.items():
            self.kind.addItem(label, code)
        self.kind.setCurrentIndex(max(self.kind.findData(entry.kind), 0))
        self.topic = topic_combo(topics, entry.topic)
        self.yes, self.no, self.abstain = (self._count(value) for value in (entry.yes, entry.no, entry.abstain))
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.addWidget(QLabel("表决事项："), 0, 0)
        grid.addWidget(self.motion, 0, 1, 1, 5)
        grid.addWidget(self.remove_button, 0, 6)
        grid.addWidget(QLabel("类别："), 1, 0)
        grid.addWidget(self.kind, 1, 1)
        grid.addWidget(QLabel("议题："), 1, 2)
        grid.addWidget(self.topic, 1, 3, 1, 3)
        counts = QHBoxLayout()
        for label, spin in (("赞成", self.yes), ("反对", self.no), ("弃权", self.abstain)):
            counts.addWidget(QLabel(f"{label}："))
            counts.addWidget(spin)
            counts.addSpacing(12)
        counts.addStretch(1)
        grid.addLayout(counts, 2, 0, 1, 7)
        grid.addWidget(self.verdict, 3, 0, 1, 7)
        grid.addWidget(self.error, 4, 0, 1, 7)
        grid.setColumnStretch(3, 1)
        for signal in (self.motion.textChanged, self.kind.currentIndexChanged, self.topic.currentIndexChanged,
                       self.yes.valueChanged, self.no.valueChanged, self.abstain.valueChanged):
            signal.connect(self.changed)

    @staticmethod
    def _count(value: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(0, 99999)
        spin.setValue(value)
        spin.setSuffix(" 票")
        spin.setMinimumWidth(90)
        return spin

    def entry(self) -> meetings.VoteEntry:
        return meetings.VoteEntry(self.motion.text(), self.yes.value(), self.no.value(), self.abstain.value(),
                                  self.kind.currentData(), self.topic.currentData())

    def show_verdict(self, verdict: meeting_rules.Verdict | None) -> None:
        if verdict is None:
            self.verdict.clear()
            return
        self.verdict.setText(verdict.text)
        self.verdict.setStyleSheet(PASSED_STYLE if verdict.valid and verdict.passed else FAILED_STYLE)

    def focus_field(self, name: str) -> None:
        {"yes": self.yes, "no": self.no, "abstain": self.abstain, "kind": self.kind,
         "topic": self.topic}.get(name, self.motion).setFocus()


class FrameList(QWidget):
    """A scrolling list of speech or vote frames with an 添加 button underneath."""

    changed = Signal()

    def __init__(self, make_frame, add_text: str, empty_text: str, parent=None):
        super().__init__(parent)
        self.make_frame = make_frame
        self.frames: list[EntryFrame] = []
        self.empty = QLabel(empty_text)
        self.empty.setObjectName("muted")
        inner = QWidget()
        self.rows = QVBoxLayout(inner)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.addWidget(self.empty)
        self.rows.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(inner)
        self.add_button = QPushButton(add_text)
        self.add_button.clicked.connect(lambda: self.add(focus=True))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(buttons)

    def add(self, entry=None, focus: bool = False) -> EntryFrame:
        frame = self.make_frame(entry)
        frame.changed.connect(self.changed)
        frame.remove_requested.connect(self.remove)
        self.rows.insertWidget(len(self.frames) + 1, frame)
        self.frames.append(frame)
        self.empty.setVisible(False)
        if focus:
            frame.focus_field("")
            self.scroll.ensureWidgetVisible(frame)
        self.changed.emit()
        return frame

    def remove(self, frame: EntryFrame) -> None:
        self.frames.remove(frame)
        frame.setParent(None)
        frame.deleteLater()
        self.empty.setVisible(not self.frames)
        self.changed.emit()

    def set_entries(self, entries: list) -> None:
        for frame in list(self.frames):
            self.remove(frame)
        for entry in entries:
            self.add(entry)

    def entries(self) -> list:
        return [frame.entry() for frame in self.frames]


class ReasonDelegate(QStyledItemDelegate):
    """缺席原因 chosen from ``vocab.ABSENCE_REASONS`` in a list."""

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.addItem("（请选择）", None)
        for code, label in vocab.ABSENCE_REASONS.items():
            combo.addItem(label, code)
        combo.activated.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor, index):
        editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.EditRole) or None), 0))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


# ---- the editor -------------------------------------------------------------------------------------


class MeetingEditor(QDialog):
    """新建 or 编辑 one meeting; ``meeting_id`` is set once it is saved (``saved`` is emitted each time)."""

    saved = Signal(int)

    def __init__(self, parent: QWidget | None = None, meeting_id: int | None = None, today: date | None = None,
                 kind: str | None = None):
        super().__init__(parent)
        self.meeting_id = meeting_id
        self.today = today
        self.setWindowTitle("编辑会议" if meeting_id else "新建会议")
        self.field_errors: dict[str, tuple[FieldError, QWidget]] = {}
        if meeting_id is not None:
            record = meetings.get_meeting(meeting_id)
            draft = meetings.draft_of(meeting_id)
        else:
            record = None
            draft = meetings.MeetingDraft(kind=kind or "general_assembly", held_on=self.current_day())
        self.people = people_model(meetings.member_choices(draft.held_on), self)
        self._build()
        self._fill(draft, record)
        self.saved_state = self.draft()
        self.resize(1320, 880)
        self.title.setFocus()
        # Enter in a field must not press 添加议题 or any other button (a dialog's first button
        # would otherwise become its default): saving is Ctrl+S.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)

    def current_day(self) -> date:
        return self.today or date.today()

    # ---- building ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.kind = QComboBox()
        for code, label in vocab.MEETING_KINDS.items():
            self.kind.addItem(label, code)
        self.title = QLineEdit()
        self.title.setPlaceholderText("如：2026年第一季度支部党员大会")
        self.held_on = QDateEdit()
        self.held_on.setCalendarPopup(True)
        self.held_on.setDisplayFormat(DATE_FORMAT)
        self.held_on.setMinimumDate(QDate(1921, 7, 1))
        self.start_time = QLineEdit()
        self.end_time = QLineEdit()
        for edit, example in ((self.start_time, "14:30"), (self.end_time, "16:00")):
            edit.setPlaceholderText(f"如 {example}")
            edit.setMaximumWidth(90)
        times = QWidget()
        row = QHBoxLayout(times)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.start_time)
        row.addWidget(QLabel("至"))
        row.addWidget(self.end_time)
        row.addStretch(1)
        self.place = QLineEdit()
        self.group = QComboBox()
        self.group.addItem("（不按党小组）", None)
        for group_id, name in group_choices():
            self.group.addItem(name, group_id)
        self.chair = PersonPicker(self.people)
        self.recorder = PersonPicker(self.people)
        self.lecturer = QLineEdit()
        self.lecturer.setPlaceholderText("党课的授课人，可以是外请的")
        self.status = QComboBox()
        for code, label in vocab.MEETING_STATUSES.items():
            self.status.addItem(label, code)
        self.content = QPlainTextEdit()
        self.content.setPlaceholderText("会议内容或党课授课内容（可不填，会议记录上印“【待补充】”）")
        self.content.setMinimumHeight(80)
        self.note = QLineEdit()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for field, label, widget, shown in (
                ("kind", "类别(&K)：", self.kind, self.kind), ("status", "状态(&Z)：", self.status, self.status),
                ("title", "会议名称(&T)：", self.title, self.title), ("held_on", "日期(&D)：", self.held_on, self.held_on),
                ("start_time", "时间：", self.start_time, times), ("place", "地点(&L)：", self.place, self.place),
                ("group_id", "党小组(&G)：", self.group, self.group), ("chair_id", "主持人(&H)：", self.chair, self.chair),
                ("recorder_id", "记录人(&R)：", self.recorder, self.recorder),
                ("lecturer", "授课人(&J)：", self.lecturer, self.lecturer)):
            self._add_row(form, field, label, widget, shown)
        self.field_errors["end_time"] = self.field_errors["start_time"][0], self.end_time
        basics = QGroupBox("基本信息")
        basics.setLayout(form)

        self.topics = ListEditor("添加议题(&A)", "双击修改议题")
        self.topics.list.setMinimumHeight(90)
        topics_box = QGroupBox("议题")
        QVBoxLayout(topics_box).addWidget(self.topics)
        content_box = QGroupBox("会议内容与备注")
        content_layout = QFormLayout(content_box)
        content_layout.addRow("内容(&C)：", self.content)
        content_layout.addRow("备注(&B)：", self.note)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        left_layout.addWidget(basics)
        left_layout.addWidget(topics_box)
        left_layout.addWidget(content_box)
        left_layout.addStretch(1)
        left_scroll = QScrollArea()
        left_scroll.setWidgetResizable(True)
        left_scroll.setFrameShape(QFrame.Shape.NoFrame)
        left_scroll.setWidget(left)
        left_scroll.setMinimumWidth(440)

        # attendance
        self.attendance = AttendanceModel(self)
        self.grid = QTableView()
        self.grid.setModel(self.attendance)
        self.grid.setItemDelegateForColumn(AttendanceModel.REASON, ReasonDelegate(self.grid))
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.grid.verticalHeader().hide()
        self.grid.setAlternatingRowColors(True)
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.counts = QLabel()
        self.counts.setObjectName("cardHeading")
        self.attendance_hint = QLabel("取消勾选即为缺席，并在“缺席原因”中选择原因（双击或按 F2）。应到人员按会议类别、"
                                      "日期和党小组自动列出（不含按规定不列入应到的党员）。")
        self.attendance_hint.setObjectName("muted")
        self.attendance_hint.setWordWrap(True)
        self.all_present = QPushButton("全部出席(&P)")
        self.all_present.clicked.connect(self.mark_all_present)
        self.attendance_error = FieldError()
        attendance_box = QGroupBox("出席情况")
        box = QVBoxLayout(attendance_box)
        top = QHBoxLayout()
        top.addWidget(self.counts, 1)
        top.addWidget(self.all_present)
        box.addLayout(top)
        box.addWidget(self.attendance_hint)
        box.addWidget(self.grid, 1)
        box.addWidget(self.attendance_error)

        # votes, speeches, resolutions, observers, 补学
        self.votes = FrameList(lambda entry: VoteFrame(self.topics.values(), entry), "添加表决(&V)",
                               "本次会议没有表决。需要表决时点“添加表决”。")
        self.speeches = FrameList(lambda entry: SpeechFrame(self.people, self.topics.values(), entry),
                                  "添加发言(&Y)", "还没有记录发言。")
        self.resolutions = ListEditor("添加决议(&U)", "双击修改决议")
        self.observers = QTableWidget(0, 2)
        self.observers.setHorizontalHeaderLabels(["姓名", "单位或身份"])
        self.observers.horizontalHeader().setStretchLastSection(True)
        self.observers.verticalHeader().hide()
        self.observers_error = FieldError()
        add_observer = QPushButton("添加列席人员(&O)")
        add_observer.clicked.connect(lambda: self.add_observer(edit=True))
        remove_observer = QPushButton("删除")
        remove_observer.clicked.connect(lambda: self.observers.removeRow(self.observers.currentRow())
                                        if self.observers.currentRow() >= 0 else None)
        observers_page = QWidget()
        observers_layout = QVBoxLayout(observers_page)
        observers_layout.addWidget(self.observers, 1)
        observers_layout.addWidget(self.observers_error)
        observer_buttons = QHBoxLayout()
        observer_buttons.addWidget(add_observer)
        observer_buttons.addWidget(remove_observer)
        observer_buttons.addStretch(1)
        observers_layout.addLayout(observer_buttons)
        self.makeups_page = self._build_makeups()

        self.tabs = QTabWidget()
        self.tabs.addTab(self.votes, "表决")
        self.tabs.addTab(self.speeches, "发言")
        self.tabs.addTab(self.resolutions, "决议")
        self.tabs.addTab(observers_page, "列席")
        self.tabs.addTab(self.makeups_page, "补学")

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(attendance_box)
        right.addWidget(self.tabs)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setChildrenCollapsible(False)

        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(left_scroll)
        body.addWidget(right)
        body.setStretchFactor(1, 1)
        body.setChildrenCollapsible(False)

        self.message = QLabel()
        self.message.setObjectName("muted")
        self.save_button = QPushButton("保存(&S)")
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.setToolTip("保存这次会议的全部内容（Ctrl+S），编辑窗口不关闭")
        self.close_button = QPushButton("关闭")
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(body, 1)
        layout.addLayout(buttons)
        chain = (  # the form's order, not the order the fields were made in
                 self.kind, self.status, self.title, self.held_on, self.start_time, self.end_time, self.place,
                 self.group, self.chair, self.recorder, self.lecturer)
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _add_row(self, form: QFormLayout, field: str, label: str, widget: QWidget, shown: QWidget) -> None:
        error = FieldError()
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(shown)
        column.addWidget(error)
        form.addRow(label, cell)
        form.labelForField(cell).setBuddy(widget)
        self.field_errors[field] = (error, widget)

    def _build_makeups(self) -> QWidget:
        page = QWidget()
        self.makeups = QTableWidget(0, 3)
        self.makeups.setHorizontalHeaderLabels(["姓名", "补学日期", "补学内容"])
        self.makeups.horizontalHeader().setStretchLastSection(True)
        self.makeups.verticalHeader().hide()
        self.makeups.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.makeups.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.makeups.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.makeups_hint = muted_label()
        self.create_makeups_button = QPushButton("为缺席人员建立补学记录(&M)")
        self.tick_button = QPushButton("登记补学完成(&F)…")
        self.untick_button = QPushButton("改为未完成")
        self.create_makeups_button.clicked.connect(self.create_makeups)
        self.tick_button.clicked.connect(lambda: self.tick_makeup())
        self.untick_button.clicked.connect(self.untick_makeup)
        buttons = QHBoxLayout()
        for button in (self.create_makeups_button, self.tick_button, self.untick_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.makeups_hint)
        layout.addWidget(self.makeups, 1)
        layout.addLayout(buttons)
        self.makeup_rows: list[meetings.MakeUpRow] = []
        return page

    # ---- the draft in and out ---------------------------------------------------------------------

    def _fill(self, draft: meetings.MeetingDraft, record: meetings.MeetingRecord | None) -> None:
        self.kind.setCurrentIndex(max(self.kind.findData(draft.kind), 0))
        self.status.setCurrentIndex(max(self.status.findData(draft.status), 0))
        self.title.setText(draft.title)
        self.held_on.setDate(to_qdate(draft.held_on))
        self.start_time.setText(draft.start_time)
        self.end_time.setText(draft.end_time)
        self.place.setText(draft.place)
        self.group.setCurrentIndex(max(self.group.findData(draft.group_id), 0))
        self.chair.set_person(draft.chair_id, record.chair_name if record else "")
        self.recorder.set_person(draft.recorder_id, record.recorder_name if record else "")
        self.lecturer.setText(draft.lecturer)
        self.content.setPlainText(draft.content)
        self.note.setText(draft.note)
        self.topics.set_values(draft.topics)
        if record is not None:
            for speech in record.speeches:  # a speaker who has since left the branch keeps their name
                if speech.speaker_id is not None:
                    offer_person(self.people, speech.speaker_id, speech.speaker_name)
            people = record.expected
        else:
            people = meetings.expected_for(draft.kind, draft.held_on, draft.group_id)
        self.attendance.load(people, draft.attendance)
        self.votes.set_entries(draft.votes)
        self.speeches.set_entries(draft.speeches)
        self.resolutions.set_values(draft.resolutions)
        for observer in draft.observers:
            self.add_observer(observer.name, observer.affiliation)
        self._show_makeups(record.makeups if record else [])
        self._kind_changed()
        self._update_counts()
        self._update_verdicts()

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.kind.currentIndexChanged.connect(self.recompute_expected)
        self.group.currentIndexChanged.connect(self.recompute_expected)
        self.held_on.dateChanged.connect(self.recompute_expected)
        self.status.currentIndexChanged.connect(self._update_counts)
        self.status.currentIndexChanged.connect(self._update_verdicts)
        self.attendance.dataChanged.connect(self._update_counts)
        self.attendance.dataChanged.connect(self._update_verdicts)
        self.attendance.modelReset.connect(self._update_counts)
        self.attendance.modelReset.connect(self._update_verdicts)
        self.votes.changed.connect(self._update_verdicts)
        self.topics.changed.connect(self._topics_changed)

    def draft(self) -> meetings.MeetingDraft:
        """The editor's state as the service takes it (a planned meeting without attendance)."""
        held = self.status.currentData() == "held"
        observers = []
        for row in range(self.observers.rowCount()):
            name, affiliation = (self.observers.item(row, column) for column in (0, 1))
            observers.append(meetings.ObserverEntry(name.text() if name else "", affiliation.text() if affiliation else ""))
        return meetings.MeetingDraft(
            kind=self.kind.currentData(), held_on=from_qdate(self.held_on.date()), title=self.title.text(),
            status=self.status.currentData(), start_time=self.start_time.text(), end_time=self.end_time.text(),
            place=self.place.text(), group_id=self.group.currentData(), chair_id=self.chair.person_id(),
            recorder_id=self.recorder.person_id(), lecturer=self.lecturer.text(),
            content=self.content.toPlainText(), note=self.note.text(), topics=self.topics.values(),
            attendance=self.attendance.entries() if held else [], observers=observers,
            speeches=self.speeches.entries(), votes=self.votes.entries(), resolutions=self.resolutions.values())

    def is_dirty(self) -> bool:
        return self.draft() != self.saved_state

    # ---- reacting to changes ------------------------------------------------------------------------

    def _kind_changed(self, *_args) -> None:
        kind = self.kind.currentData()
        self.group.setEnabled(kind in meeting_rules.GROUP_ALLOWED_KINDS)
        if kind not in meeting_rules.GROUP_ALLOWED_KINDS:
            self.group.setCurrentIndex(0)
        self.lecturer.setEnabled(kind == "lecture" or bool(self.lecturer.text()))

    def recompute_expected(self, *_args) -> None:
        """应到 again from the rules for the kind, date and group now chosen; marks made are kept."""
        people = meetings.expected_for(self.kind.currentData(), from_qdate(self.held_on.date()),
                                       self.group.currentData())
        self.attendance.load(people, self.attendance.entries())

    def _update_counts(self, *_args) -> None:
        expected, present, absent = self.attendance.counts()
        if self.status.currentData() != "held":
            self.counts.setText(f"计划召开：应到 {expected} 人（召开后把状态改为“已召开”，再登记出席情况）")
            self.grid.setEnabled(False)
            self.all_present.setEnabled(False)
        else:
            self.counts.setText(f"应到 {expected} 人，实到 {present} 人，缺席 {absent} 人")
            self.grid.setEnabled(True)
            self.all_present.setEnabled(True)

    def _update_verdicts(self, *_args) -> None:
        """The rule's sentence under each vote, for the counts and the attendance as they stand."""
        try:
            verdicts = meetings.draft_verdicts(self.draft())
        except LedgerError:
            verdicts = []
        for i, frame in enumerate(self.votes.frames):
            frame.show_verdict(verdicts[i] if i < len(verdicts) else None)

    def _topics_changed(self) -> None:
        topics = self.topics.values()
        for frame in [*self.votes.frames, *self.speeches.frames]:
            frame.set_topics(topics)

    def mark_all_present(self) -> None:
        for row in range(self.attendance.rowCount()):
            self.attendance.set_present(row, True)

    def add_observer(self, name: str = "", affiliation: str = "", edit: bool = False) -> None:
        row = self.observers.rowCount()
        self.observers.insertRow(row)
        self.observers.setItem(row, 0, QTableWidgetItem(name))
        self.observers.setItem(row, 1, QTableWidgetItem(affiliation))
        if edit:
            self.observers.setCurrentCell(row, 0)
            self.observers.editItem(self.observers.item(row, 0))

    # ---- saving -------------------------------------------------------------------------------------

    def clear_errors(self) -> None:
        for error, _ in self.field_errors.values():
            error.clear_message()
        for error in (self.attendance_error, self.observers_error, self.topics.error, self.resolutions.error):
            error.clear_message()
        for frame in [*self.votes.frames, *self.speeches.frames]:
            frame.error.clear_message()

    def show_field_error(self, field: str | None, message: str) -> bool:
        """Show ``message`` beside the field it names (bringing its tab forward); False when unknown."""
        field = field or ""
        if field in self.field_errors:
            error, widget = self.field_errors[field]
            error.show_message(message)
            widget.setFocus()
            return True
        match = _INDEXED.match(field)
        if not match:
            return False
        name, index = match.group(1), int(match.group(2))
        rest = field[match.end():].lstrip(".")
        if name == "topics":
            self.topics.show_problem(index, message)
        elif name == "resolutions":
            self.tabs.setCurrentWidget(self.resolutions)
            self.resolutions.show_problem(index, message)
        elif name == "attendance":
            self.attendance_error.show_message(message)
            self.grid.selectRow(index)
            self.grid.scrollTo(self.attendance.index(index, 0))
            self.grid.setFocus()
        elif name == "observers":
            self.tabs.setCurrentIndex(3)
            self.observers_error.show_message(message)
            self.observers.setCurrentCell(index, 0)
        elif name in ("votes", "speeches") and index < len(getattr(self, name).frames):
            holder = getattr(self, name)
            self.tabs.setCurrentWidget(holder)
            frame = holder.frames[index]
            frame.error.show_message(message)
            holder.scroll.ensureWidgetVisible(frame)
            frame.focus_field(rest)
        else:
            return False
        return True

    def _unknown_people(self) -> ValidationError | None:
        """A name typed into the chair or recorder that matches no member (only members are chosen)."""
        for field, label, picker in (("chair_id", "主持人", self.chair), ("recorder_id", "记录人", self.recorder)):
            if picker.typed_text() and picker.person_id() is None:
                return ValidationError(f"{label}“{picker.typed_text()}”不在本支部党员名单中，请从名单中选择，或清空。",
                                       field)
        return None

    def save(self) -> bool:
        """Save the whole meeting; on a problem show it beside its field and write nothing."""
        self.clear_errors()
        self.message.clear()
        draft = self.draft()
        try:
            problem = self._unknown_people()
            if problem is not None:
                raise problem
            if self.meeting_id is None:
                self.meeting_id = meetings.create_meeting(draft, today=self.today)
            else:
                meetings.update_meeting(self.meeting_id, draft, today=self.today)
        except ValidationError as exc:
            if not self.show_field_error(exc.field, str(exc)):
                show_error(self, exc, "会议没有保存")
            self.message.setText("没有保存：请按红字改正。")
            return False
        except LedgerError as exc:
            show_error(self, exc, "会议没有保存")
            return False
        self.saved_state = draft
        self.setWindowTitle("编辑会议")
        self.message.setText("已保存。")
        self._show_makeups(meetings.get_meeting(self.meeting_id).makeups)
        self.saved.emit(self.meeting_id)
        return True

    def reject(self) -> None:
        """Esc and 关闭: ask before dropping changes that are not saved."""
        if self.is_dirty() and not confirm(self, "放弃修改", "这次会议有修改还没有保存，关闭后这些修改将丢失。\n"
                                                        "要保存，请点“取消”后按 Ctrl+S。", "放弃修改并关闭(&D)"):
            return
        super().reject()

    # ---- 补学 ---------------------------------------------------------------------------------------

    def _show_makeups(self, rows: list[meetings.MakeUpRow]) -> None:
        self.makeup_rows = list(rows)
        self.makeups.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for column, text in enumerate((row.name, row.done_on.isoformat() if row.done_on else "未完成", row.note)):
                self.makeups.setItem(i, column, QTableWidgetItem(text))
        saved = self.meeting_id is not None
        self.create_makeups_button.setEnabled(saved)
        self.tick_button.setEnabled(bool(rows))
        self.untick_button.setEnabled(bool(rows))
        if not saved:
            self.makeups_hint.setText("保存会议后，可以为缺席的党员建立补学记录，补学后登记完成日期。")
        else:
            open_count = sum(r.done_on is None for r in rows)
            self.makeups_hint.setText(f"补学记录 {len(rows)} 条，其中未完成 {open_count} 条。缺席人员补学后，选中一行点"
                                      "“登记补学完成”。" if rows else "还没有补学记录。登记缺席并保存后，点下面的按钮为缺席人员建立。")

    def create_makeups(self) -> int:
        if self.meeting_id is None:
            return 0
        if self.is_dirty():
            show_error(self, "出席情况有修改还没有保存，请先保存（Ctrl+S），再建立补学记录。")
            return 0
        try:
            added = meetings.create_makeups(self.meeting_id)
        except LedgerError as exc:
            show_error(self, exc)
            return 0
        self._show_makeups(meetings.get_meeting(self.meeting_id).makeups)
        self.tabs.setCurrentWidget(self.makeups_page)
        show_info(self, "补学记录", f"已为 {added} 名缺席人员建立补学记录。" if added else "缺席人员都已有补学记录。")
        return added

    def selected_makeup(self) -> meetings.MakeUpRow | None:
        row = self.makeups.currentRow()
        return self.makeup_rows[row] if 0 <= row < len(self.makeup_rows) else None

    def tick_makeup(self, note: str = "") -> bool:
        """登记补学完成: the day it was done, asked in a small dialog."""
        makeup = self.selected_makeup()
        if makeup is None:
            show_error(self, "请先在补学记录中选中一人。")
            return False

        def apply(day: date) -> None:
            try:
                meetings.tick_makeup(makeup.id, day, note or makeup.note, today=self.today)
            except ValidationError as exc:
                raise ValidationError(str(exc), "on" if exc.field == "done_on" else exc.field) from exc

        dialog = DateDialog("登记补学完成", f"{makeup.name}已完成这次会议的补学？", "补学日期(&D)：", "登记(&S)", apply,
                            self.current_day(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self._show_makeups(meetings.get_meeting(self.meeting_id).makeups)
        return True

    def untick_makeup(self) -> None:
        makeup = self.selected_makeup()
        if makeup is None or makeup.done_on is None:
            return
        try:
            meetings.tick_makeup(makeup.id, None, makeup.note, today=self.today)
        except LedgerError as exc:
            show_error(self, exc)
            return
        self._show_makeups(meetings.get_meeting(self.meeting_id).makeups)
