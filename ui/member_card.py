"""The member card (党员档案): every field of a person's file, checked as it is typed, with undo.

Three tabs: 基本信息 (the editable fields, two columns), 党籍 (人员类别, state and 党龄 as saved, and
the one way off the roster: 变更党籍状态), 历史记录 (the events of the file, newest first, and
添加记录). Every edit of a field is a command on a ``QUndoStack`` (keystrokes in one field merge
into one command) that lives until the card is closed; 保存 writes through ``services.people``.

The card computes no rule: after every edit it asks ``people.check_form`` and shows each problem in
red beside its field; 保存 stays disabled while there is one. Typing a valid ID number fills an
empty 出生日期 and 性别 (in the same undo step); a disagreeing one is flagged by the check.
State changes and history entries are written at once (each is its own audited change), not
through the undo stack.
"""

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ledger_app import vocab
from ledger_app.errors import LedgerError
from ledger_app.rules import id_number as id_rules
from ledger_app.rules.standing import standing_years
from ledger_app.services import people
from ledger_app.services.members import MemberDetail, get_member
from ledger_app.services.people import FIELD_LABELS, PersonForm

from .common import format_date, muted_label, show_error
from .forms import FieldError, OptionalDateEdit, add_field_row
from .tables import RowsModel

MERGE_ID = 0x6D63  # any id other than -1: consecutive typing commands of one field merge
HISTORY_HEADERS = ("日期", "类别", "内容")
NEW_TITLE = "新增党员"


def ask_unsaved(parent: QWidget) -> str:
    """Ask what to do with unsaved changes: "save", "discard" or "cancel" (the default)."""
    box = QMessageBox(QMessageBox.Icon.Question, "党员档案", "档案有修改尚未保存。要保存这些修改吗？", parent=parent)
    save = box.addButton("保存", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("不保存", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return {save: "save", discard: "discard"}.get(box.clickedButton(), "cancel")


class EditCommand(QUndoCommand):
    """Fields changed by one edit, each (old, new); typing in one field merges into one command."""

    def __init__(self, card: "MemberCardDialog", changes: dict, merge_field: str | None):
        first = next(iter(changes))
        super().__init__(f"修改{FIELD_LABELS.get(first, first)}")
        self.card = card
        self.changes = dict(changes)
        self.merge_field = merge_field

    def id(self) -> int:
        return MERGE_ID if self.merge_field else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditCommand) or other.merge_field != self.merge_field:
            return False
        for key, (old, new) in other.changes.items():
            self.changes[key] = (self.changes[key][0] if key in self.changes else old, new)
        if all(old == new for old, new in self.changes.values()):
            self.setObsolete(True)  # typed and typed back: nothing left to undo
        return True

    def undo(self) -> None:
        self.card.apply_values({key: old for key, (old, _) in self.changes.items()})

    def redo(self) -> None:
        self.card.apply_values({key: new for key, (_, new) in self.changes.items()})


class _KeepUndoKeys(QObject):
    """Lets Ctrl+Z / Ctrl+Y / Ctrl+Shift+Z reach the card's undo stack, not a text field's own undo."""

    KEYS = tuple(QKeySequence(text)[0].toCombined() for text in ("Ctrl+Z", "Ctrl+Y", "Ctrl+Shift+Z"))

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and event.keyCombination().toCombined() in self.KEYS:
            event.ignore()  # not taken by the field: the shortcut goes to the card's action
            return True
        return False


class _Binding:
    """How the card reads, sets and watches one field's widget."""

    def __init__(self, widget, get, put, signal, mergeable: bool):
        self.widget, self.get, self.put, self.signal, self.mergeable = widget, get, put, signal, mergeable


def _combo(items, editable: bool = False) -> QComboBox:
    combo = QComboBox()
    for label, data in items:
        combo.addItem(label, data)
    combo.setEditable(editable)
    return combo


def _set_combo_data(combo: QComboBox, value) -> None:
    index = combo.findData(value)
    if index < 0:  # a value on file the list does not hold: show it, the check says what is wrong
        combo.addItem(str(value), value)
        index = combo.count() - 1
    combo.setCurrentIndex(index)


class HistoryModel(RowsModel):
    """The history of a file, newest first: date, kind, description."""

    HEADERS = HISTORY_HEADERS

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        item = self.rows[index.row()]
        return (item.occurred_on.isoformat(), item.kind_label, item.description)[index.column()]


class _SmallDialog(QDialog):
    """A short form with 确定 / 取消 whose service errors appear beside the field they name."""

    def __init__(self, title: str, parent: QWidget):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.errors: dict[str, FieldError] = {}
        self.ok_button = QPushButton("确定")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self._submit)
        cancel = QPushButton("取消")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        self.setMinimumWidth(540)

    def add_row(self, key: str, label: str, widget: QWidget) -> None:
        self.errors[key] = add_field_row(self.form, label, widget)

    def _submit(self) -> None:
        for error in self.errors.values():
            error.clear_message()
        try:
            self.write()
        except LedgerError as exc:
            error = self.errors.get(getattr(exc, "field", None) or "")
            if error is None:
                show_error(self, exc)
            else:
                error.show_message(str(exc))
                self.adjustSize()  # room for the message under its field
            return
        self.accept()

    def write(self) -> None:
        raise NotImplementedError


class StateDialog(_SmallDialog):
    """变更党籍状态: the new state, its date and the reason (``people.change_state``)."""

    def __init__(self, detail: MemberDetail, today: date, parent: QWidget):
        super().__init__(f"变更党籍状态 — {detail.name}", parent)
        self.person_id, self.today = detail.id, today
        current = QLabel(detail.state_label)
        self.state = _combo([(label, code) for code, label in vocab.MEMBERSHIP_STATES.items()
                             if code != detail.membership_state])
        self.on = OptionalDateEdit()
        self.on.set_value(today)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如：病故；经支部大会讨论决定；组织关系转至某单位")
        self.form.addRow("现在的状态：", current)
        self.add_row("state", "变更为(&S)：", self.state)
        self.add_row("on", "变动日期(&D)：", self.on)
        self.add_row("reason", "变动原因(&R)：", self.reason)
        note = muted_label("党员离开花名册只能通过变更党籍状态，档案永久保留。")
        self.form.addRow(note)

    def write(self) -> None:
        people.change_state(self.person_id, self.state.currentData(), self.on.value(), self.reason.text(),
                            self.today)


class HistoryDialog(_SmallDialog):
    """添加记录: one event of the member's history (``people.add_history_event``)."""

    def __init__(self, detail: MemberDetail, today: date, parent: QWidget):
        super().__init__(f"添加历史记录 — {detail.name}", parent)
        self.person_id, self.today = detail.id, today
        self.kind = _combo([(label, code) for code, label in vocab.HISTORY_KINDS.items() if code != "state"])
        self.kind.setCurrentIndex(self.kind.findData("commendation"))  # 入党 and 转正 come from the dates
        self.on = OptionalDateEdit()
        self.on.set_value(today)
        self.description = QLineEdit()
        self.description.setPlaceholderText("如：被某党委评为优秀共产党员；当选为支部组织委员")
        self.add_row("kind", "类别(&K)：", self.kind)
        self.add_row("on", "日期(&D)：", self.on)
        self.add_row("description", "内容(&C)：", self.description)

    def write(self) -> None:
        people.add_history_event(self.person_id, self.kind.currentData(), self.on.value(),
                                 self.description.text(), self.today)


class MemberCardDialog(QDialog):
    """党员档案 of one person (``person_id``), or a new file (None). Emits ``saved(person_id)`` after
    every write, so the roster can refresh."""

    saved = Signal(int)

    def __init__(self, person_id: int | None, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self.person_id = person_id
        self.today = today or date.today()
        self.detail: MemberDetail | None = None
        self.problems = []
        self._applying = False
        self.undo_stack = QUndoStack(self)
        self._key_filter = _KeepUndoKeys(self)
        self.field_errors: dict[str, FieldError] = {}

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_fields(), "基本信息(&B)")
        self.tabs.addTab(self._build_membership(), "党籍(&M)")
        self.tabs.addTab(self._build_history(), "历史记录(&H)")
        self.summary = QLabel()
        self.summary.setObjectName("fieldError")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.summary)
        layout.addLayout(self._build_buttons())
        self.resize(1020, 720)

        form = people.form_for(person_id) if person_id is not None else PersonForm()
        self._values = {key: getattr(form, key) for key in people.FORM_FIELDS}
        self.apply_values(self._values)
        for key, binding in self.bindings.items():
            binding.signal.connect(lambda *_, key=key: self._widget_changed(key))
        self.undo_stack.cleanChanged.connect(self._update_buttons)  # a bound slot: disconnected on close
        self._load_detail()
        self._update_title()

    # ---- building ----------------------------------------------------------------------------

    def _build_fields(self) -> QWidget:
        w = {}
        w["name"] = QLineEdit()
        w["name"].setMaxLength(people.MAX_NAME + 10)
        w["id_number"] = QLineEdit()
        w["id_number"].setPlaceholderText("18 位，填写后自动带出出生日期和性别")
        w["id_number"].setMaxLength(24)
        w["sex"] = _combo([("未填写", ""), *[(label, code) for code, label in vocab.SEXES.items()]])
        w["birth_date"] = OptionalDateEdit()
        w["ethnicity"] = _combo([("", ""), *[(name, name) for name in vocab.ETHNICITIES]], editable=True)
        completer = QCompleter([*vocab.ETHNICITIES], w["ethnicity"])
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        w["ethnicity"].setCompleter(completer)
        w["ethnicity"].setInsertPolicy(QComboBox.InsertPolicy.NoInsert)  # Enter must not add a 57th name
        w["ethnicity"].lineEdit().setPlaceholderText("如：汉族")
        w["native_place"] = QLineEdit()
        w["native_place"].setPlaceholderText("如：广东广州")
        w["work_started_on"] = OptionalDateEdit()
        w["education"] = _combo([("未填写", ""), *[(name, name) for name in vocab.EDUCATIONS]])
        w["school_major"] = QLineEdit()
        w["degree"] = QLineEdit()
        w["degree"].setPlaceholderText("如：学士、硕士")
        w["occupation"] = QLineEdit()
        w["occupation"].setPlaceholderText("如：机械工程师、社区工作者、退休")
        w["occupation_category"] = _combo([("未确认", ""), *[(label, code) for code, label in
                                                            vocab.OCCUPATION_CATEGORIES.items()]])
        w["occupation_category"].setToolTip("年终党内统计按这一类别统计职业；未确认的计为“未确认”。")
        w["post"] = QLineEdit()
        w["stage"] = _combo([(label, code) for code, label in vocab.STAGES.items()])
        w["joined_on"] = OptionalDateEdit()
        w["converted_on"] = OptionalDateEdit()
        self.standing = QLabel()
        self.standing.setObjectName("muted")
        w["converted_on"].layout().insertWidget(2, self.standing)
        w["group_id"] = _combo([("（不在党小组）", 0), *[(g.name, g.id) for g in people.group_choices()]])
        w["dues_category"] = _combo([(label, code) for code, label in vocab.DUES_CATEGORIES.items()])
        w["is_mobile"] = QCheckBox("是流动党员")
        w["mobile_note"] = QLineEdit()
        w["mobile_note"].setPlaceholderText("外出地点、流动党员活动证编号等")
        w["phone"] = QLineEdit()
        w["phone"].setPlaceholderText("手机 11 位，或固定电话如 020-83520000")
        w["address"] = QLineEdit()
        w["note"] = QPlainTextEdit()
        w["note"].setTabChangesFocus(True)
        w["note"].setFixedHeight(64)
        self.widgets = w

        def line(key):
            return _Binding(w[key], w[key].text, w[key].setText, w[key].textChanged, True)

        def date_field(key):
            return _Binding(w[key], w[key].value, w[key].set_value, w[key].edit.dateChanged, True)

        def combo(key, none_data):
            box = w[key]
            return _Binding(box, lambda: None if box.currentData() == none_data else box.currentData(),
                            lambda v: _set_combo_data(box, none_data if v is None else v),
                            box.currentIndexChanged, False)

        bindings = {key: line(key) for key in ("name", "id_number", "native_place", "school_major", "degree",
                                                "occupation", "post", "mobile_note", "phone", "address")}
        bindings.update({key: date_field(key) for key in ("birth_date", "work_started_on", "joined_on",
                                                           "converted_on")})
        bindings["sex"] = combo("sex", "")
        bindings["education"] = _Binding(w["education"], lambda: w["education"].currentData() or "",
                                         lambda v: _set_combo_data(w["education"], v or ""),
                                         w["education"].currentIndexChanged, False)
        bindings["stage"] = _Binding(w["stage"], w["stage"].currentData, lambda v: _set_combo_data(w["stage"], v),
                                     w["stage"].currentIndexChanged, False)
        bindings["dues_category"] = _Binding(w["dues_category"], w["dues_category"].currentData,
                                             lambda v: _set_combo_data(w["dues_category"], v),
                                             w["dues_category"].currentIndexChanged, False)
        bindings["group_id"] = combo("group_id", 0)
        bindings["occupation_category"] = combo("occupation_category", "")
        bindings["ethnicity"] = _Binding(w["ethnicity"], w["ethnicity"].currentText,
                                         w["ethnicity"].setCurrentText, w["ethnicity"].currentTextChanged, True)
        bindings["is_mobile"] = _Binding(w["is_mobile"], w["is_mobile"].isChecked, w["is_mobile"].setChecked,
                                         w["is_mobile"].toggled, False)
        bindings["note"] = _Binding(w["note"], w["note"].toPlainText,
                                    lambda v: w["note"].setPlainText(v), w["note"].textChanged, True)
        self.bindings = bindings
        for widget in w.values():
            for part in (widget, *widget.findChildren(QWidget)):  # a combo's or date field's own line edit too
                part.installEventFilter(self._key_filter)

        personal = QGroupBox("个人信息")
        self._form(personal, [
            ("name", "姓名(&N)："), ("id_number", "身份证号(&I)："), ("sex", "性别："), ("birth_date", "出生日期："),
            ("ethnicity", "民族(&E)："), ("native_place", "籍贯："), ("education", "学历："),
            ("school_major", "毕业院校及专业："), ("degree", "学位："), ("work_started_on", "参加工作时间："),
            ("occupation", "职业（岗位）："), ("occupation_category", "党内统计职业类别："),
            ("post", "工作单位及职务："),
        ])
        party = QGroupBox("党员信息与联系方式")
        self._form(party, [
            ("stage", "人员类别(&T)："), ("joined_on", "入党时间(&J)："), ("converted_on", "转正时间(&C)："),
            ("group_id", "所在党小组(&G)："), ("dues_category", "党费类别："), ("is_mobile", "流动党员："),
            ("mobile_note", "流动情况说明："), ("phone", "联系电话(&P)："), ("address", "家庭住址："),
            ("note", "备注："),
        ])
        columns = QHBoxLayout()
        columns.addWidget(personal, 1)
        columns.addWidget(party, 1)
        inner = QWidget()
        inner.setLayout(columns)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(inner)
        return scroll

    def _form(self, box: QGroupBox, rows) -> QFormLayout:
        form = QFormLayout()
        outer = QVBoxLayout(box)
        outer.addLayout(form)
        outer.addStretch(1)  # rows keep their height; the column's spare room goes below them
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, label in rows:
            error = FieldError()
            self.field_errors[key] = error
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(self.widgets[key])
            column.addWidget(error)
            form.addRow(label, cell)
            form.labelForField(cell).setBuddy(self.widgets[key])
        return form

    def _build_membership(self) -> QWidget:
        page = QWidget()
        self.membership_labels = {key: QLabel() for key in ("stage", "state", "state_changed_on", "state_reason",
                                                            "joined_on", "converted_on", "standing", "group",
                                                            "posts")}
        for label in self.membership_labels.values():
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        for key, text in (("stage", "人员类别："), ("state", "党籍状态："), ("state_changed_on", "状态变动日期："),
                          ("state_reason", "变动原因："), ("joined_on", "入党时间："), ("converted_on", "转正时间："),
                          ("standing", "党龄："), ("group", "所在党小组："), ("posts", "支委职务：")):
            form.addRow(text, self.membership_labels[key])
        self.state_button = QPushButton("变更党籍状态(&S)…")
        self.state_button.setAutoDefault(False)
        self.state_button.clicked.connect(self.open_state_dialog)
        note = QLabel("这里显示已保存的档案。党员离开花名册（转出、停止党籍、出党、去世）须变更党籍状态并写明日期和原因，"
                      "档案永久保留，不能删除。")
        note.setObjectName("muted")
        note.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.state_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(note)
        layout.addStretch(1)
        return page

    def _build_history(self) -> QWidget:
        page = QWidget()
        self.history_model = HistoryModel(self)
        self.history_table = QTableView()
        self.history_table.setModel(self.history_model)
        self.history_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_table.verticalHeader().hide()
        self.history_table.setWordWrap(True)
        header = self.history_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.history_button = QPushButton("添加记录(&A)…")
        self.history_button.setAutoDefault(False)
        self.history_button.clicked.connect(self.open_history_dialog)
        row = QHBoxLayout()
        row.addWidget(self.history_button)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.history_table, 1)
        layout.addLayout(row)
        return page

    def _build_buttons(self) -> QHBoxLayout:
        self.undo_action = self.undo_stack.createUndoAction(self, "撤销")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = self.undo_stack.createRedoAction(self, "重做")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.undo_button = QToolButton()
        self.undo_button.setDefaultAction(self.undo_action)
        self.undo_button.setToolTip("撤销上一次修改（Ctrl+Z）")
        self.redo_button = QToolButton()
        self.redo_button.setDefaultAction(self.redo_action)
        self.redo_button.setToolTip("重做（Ctrl+Y）")
        self.unsaved = QLabel()
        self.unsaved.setObjectName("muted")
        self.save_action = QAction("保存", self)  # an action, not a button shortcut: a button's clicks late
        self.save_action.setShortcut(QKeySequence("Ctrl+S"))
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_action.triggered.connect(self.save)
        self.addAction(self.save_action)
        self.save_button = QPushButton("保存")
        self.save_button.setToolTip("保存档案（Ctrl+S）")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton("关闭")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.undo_button)
        row.addWidget(self.redo_button)
        row.addWidget(self.unsaved)
        row.addStretch(1)
        row.addWidget(self.save_button)
        row.addWidget(self.close_button)
        return row

    # ---- values, undo and checking -----------------------------------------------------------

    def form(self) -> PersonForm:
        """The card's fields as they now stand."""
        return PersonForm(**self._values)

    def apply_values(self, values: dict) -> None:
        """Show ``values`` in their widgets (an undo, a redo, a fill) without recording an edit."""
        self._applying = True
        try:
            for key, value in values.items():
                binding = self.bindings[key]
                if binding.get() != value:
                    binding.put(value)
                self._values[key] = value
        finally:
            self._applying = False
        self._after_change()

    def _widget_changed(self, key: str) -> None:
        """The clerk changed a field: record it as an undoable edit (with the ID number's fills)."""
        if self._applying:
            return
        new, old = self.bindings[key].get(), self._values[key]
        if new == old:
            return
        changes = {key: (old, new)}
        self._values[key] = new
        if key == "id_number":
            changes.update(self._fills_from_id(new))
        self.undo_stack.push(EditCommand(self, changes, key if self.bindings[key].mergeable else None))

    def _fills_from_id(self, text: str) -> dict:
        """出生日期 and 性别 from a valid ID number, where they are still empty."""
        facts, _ = id_rules.parse(id_rules.normalise(text))
        if facts is None:
            return {}
        fills = {}
        if self._values["birth_date"] is None:
            fills["birth_date"] = (None, facts.birth_date)
        if self._values["sex"] is None:
            fills["sex"] = (None, facts.sex)
        return fills

    def _after_change(self) -> None:
        """Check the form, show each problem beside its field, update 党龄 and the buttons."""
        self.problems = people.check_form(self.form(), self.today, self.person_id)
        by_field = {p.field: p.message for p in self.problems}
        for key, error in self.field_errors.items():
            if key in by_field:
                error.show_message(by_field[key])
            else:
                error.clear_message()
        years = standing_years(self._values["converted_on"], self.today)
        self.standing.setText("" if years is None else f"党龄 {years} 年")
        self.widgets["mobile_note"].setEnabled(self._values["is_mobile"] or bool(self._values["mobile_note"]))
        if self.problems:
            self.summary.setText(f"还有 {len(self.problems)} 处需要填写或改正（见红字），改正后才能保存。")
        else:
            self.summary.clear()
        self._update_buttons()

    def _update_buttons(self, *_) -> None:
        dirty = not self.undo_stack.isClean()
        can_save = not self.problems and (dirty or self.person_id is None)
        self.save_button.setEnabled(can_save)
        self.save_action.setEnabled(can_save)
        self.unsaved.setText("有未保存的修改" if dirty else "")

    # ---- saved file: title, 党籍, history ------------------------------------------------------

    def _load_detail(self) -> None:
        saved = self.person_id is not None
        self.detail = get_member(self.person_id) if saved else None
        for index in (1, 2):
            self.tabs.setTabEnabled(index, saved)
            self.tabs.setTabToolTip(index, "" if saved else "保存档案后才能登记党籍变动和历史记录")
        d = self.detail
        if d is None:
            self.history_model.load([])
            return
        years = standing_years(d.converted_on, self.today)
        posts = "；".join(f"{p.post}（{format_date(p.started_on or p.term_started_on)}起"
                         f"{'，' + format_date(p.ended_on) + '止' if p.ended_on else ''}）" for p in d.committee_posts)
        texts = {
            "stage": d.stage_label, "state": d.state_label, "state_changed_on": format_date(d.state_changed_on, "—"),
            "state_reason": d.state_reason or "—", "joined_on": format_date(d.joined_on),
            "converted_on": format_date(d.converted_on),
            "standing": "—（尚未转正）" if years is None else f"{years} 年（从转正时间算起）",
            "group": d.group_name or "（不在党小组）", "posts": posts or "—",
        }
        for key, text in texts.items():
            self.membership_labels[key].setText(text)
        self.history_model.load(d.history)
        self.history_table.resizeRowsToContents()

    def _update_title(self) -> None:
        name = self.detail.name if self.detail else NEW_TITLE
        self.setWindowTitle(f"党员档案 — {name}")

    def open_state_dialog(self) -> None:
        """变更党籍状态…: a small dialog; the card refreshes when it is written."""
        self.state_dialog = StateDialog(self.detail, self.today, self)
        self.state_dialog.accepted.connect(self._written_elsewhere)
        self.state_dialog.open()

    def open_history_dialog(self) -> None:
        """添加记录…: a small dialog; the history refreshes when it is written."""
        self.history_dialog = HistoryDialog(self.detail, self.today, self)
        self.history_dialog.accepted.connect(self._written_elsewhere)
        self.history_dialog.open()

    def _written_elsewhere(self) -> None:
        self._load_detail()
        self.saved.emit(self.person_id)

    # ---- saving and closing ------------------------------------------------------------------

    def save(self) -> bool:
        """Write the card; False (with the message shown) when the ledger refuses it."""
        self._after_change()
        if self.problems:
            return False
        try:
            if self.person_id is None:
                self.person_id = people.create_person(self.form(), self.today)
            else:
                people.save_person(self.person_id, self.form(), self.today)
        except LedgerError as exc:
            error = self.field_errors.get(getattr(exc, "field", None) or "")
            if error is not None:
                error.show_message(str(exc))
            show_error(self, exc, "无法保存")
            return False
        stored = people.form_for(self.person_id)
        tidied = {key: (self._values[key], getattr(stored, key)) for key in people.FORM_FIELDS
                  if getattr(stored, key) != self._values[key]}
        if tidied:  # the ledger's form of what was typed (phone, ID number …), undoable like any edit
            self.undo_stack.push(EditCommand(self, tidied, None))
        self.undo_stack.setClean()
        self._load_detail()
        self._update_title()
        self._after_change()
        self.saved.emit(self.person_id)
        return True

    def reject(self) -> None:
        """关闭, Esc or the window's close box: ask first when there are unsaved changes."""
        if not self.undo_stack.isClean():
            answer = ask_unsaved(self)
            if answer == "cancel" or (answer == "save" and not self.save()):
                return
        super().reject()

    def keyPressEvent(self, event) -> None:
        """Enter moves to the next field instead of closing the card."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.focusNextChild()
            event.accept()
            return
        super().keyPressEvent(event)
