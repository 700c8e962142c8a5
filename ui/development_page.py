"""发展党员: everyone in the pipeline with the next step and its deadline, and one person's card.

The list comes from ``services.development.pipeline_rows`` (soonest deadline first): overdue in
red, due within 30 days in amber. Beside it the selected person's pipeline card: every step with
its date and deciding meeting, the people involved, the assessments, and what is wrong. The
buttons record the next step (checked as typed), an assessment, an extension, leaving the
pipeline, and print the 公示, the 全程纪实表 and the year's 工作台账.
"""

from datetime import date
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ledger_app import vocab
from ledger_app.rules import development as rules
from ledger_app.services import development

from .development_dialogs import AssessmentDialog, ExtensionDialog, LeaveDialog, StepDialog
from .documents import save_document
from .tables import RowsModel, read_only_table

HEADERS = ("姓名", "类别", "下一步", "期限", "上一步", "日期")
WIDTHS = (64, 100, 140, 84, 140, 84)  # fixed, not sized to every cell; the earliest date is in the tooltip
DEADLINE_COLUMN = HEADERS.index("期限")
NEXT_COLUMN = HEADERS.index("下一步")
ATTENTION_COLOURS = {"overdue": QColor("#b3261e"), "soon": QColor("#8a5a00")}
ALL = "全部"
NOTICE_MENU = (("target", "发展对象公示"), ("admission", "拟接收预备党员公示"), ("conversion", "预备党员转正公示"))


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


class PipelineModel(RowsModel):
    """The pipeline list; ``Qt.UserRole`` gives a row's ``PipelineRow``."""

    HEADERS = HEADERS

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row: development.PipelineRow = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.name, row.category_label, row.next_step, _day(row.latest), row.last_step,
                    _day(row.last_on))[column]
        if role == Qt.ItemDataRole.ForegroundRole and row.attention and column in (NEXT_COLUMN, DEADLINE_COLUMN):
            return QBrush(ATTENTION_COLOURS[row.attention])
        if role == Qt.ItemDataRole.ForegroundRole and row.problems and column == 0:
            return QBrush(ATTENTION_COLOURS["overdue"])  # a date breaks a rule: the tooltip says which
        if role == Qt.ItemDataRole.FontRole and ((row.attention == "overdue" and column == DEADLINE_COLUMN)
                                                 or (row.problems and column == 0)):
            bold = QFont()
            bold.setBold(True)
            return bold
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.problems:
                return "\n".join(p.message for p in row.problems)
            if row.attention == "overdue":
                return f"{row.next_step}应在 {_day(row.latest)} 前完成，已超期。"
            if row.attention == "soon":
                return f"{row.next_step}应在 {_day(row.latest)} 前完成（30 天内）。"
            if row.earliest and column == NEXT_COLUMN:
                return f"{row.next_step}最早在 {_day(row.earliest)}。"
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None


def card_html(card: development.PipelineCard) -> str:
    """The selected person's pipeline card as simple rich text."""
    d = card.dates
    lines = [f"<h3>{escape(card.name)}（{escape(card.category_label)}）</h3>"]
    row = card.row
    if row.next_step:
        window = "，".join(part for part in (f"最早 {_day(row.earliest)}" if row.earliest else "",
                                            f"最迟 {_day(row.latest)}" if row.latest else "") if part)
        lines.append(f"<p><b>下一步：</b>{escape(row.next_step)}" + (f"（{window}）" if window else "") + "</p>")
    if card.probation_ends and card.category == "probationary":
        lines.append(f"<p>预备期满：{_day(card.probation_ends)}</p>")
    for problem in row.problems:
        lines.append(f"<p style='color:#b3261e'>！{escape(problem.message)}</p>")
    later = card.category in ("target", "probationary")  # 介绍人 and 政审 belong to a development target
    people = [(label, value) for label, value, shown in (
        ("培养联系人", d.contacts, card.category != "applicant"), ("入党介绍人", d.introducers, later),
        ("政治审查结论", d.political_review_conclusion, later)) if shown or value]
    if d.training_start_on:
        end = f" 至 {_day(d.training_end_on)}" if d.training_end_on else ""
        hours = f"，{d.training_hours} 学时" if d.training_hours else ""
        people.append(("集中培训", f"{_day(d.training_start_on)}{end}{hours}"))
    if d.extension_months:
        people.append(("延长预备期", f"{d.extension_months} 个月：{d.extension_reason}"))
    if people:
        lines.append("<p>" + "<br>".join(f"{label}：{escape(value) or '未填写'}" for label, value in people) + "</p>")
    table = ["<table cellspacing='0' cellpadding='3' border='1' style='border-collapse:collapse'>",
             "<tr><th>环节</th><th>时间</th><th>决定的会议</th></tr>"]
    stage = None
    for step in card.steps:
        if step.stage_label != stage:
            table.append(f"<tr><td colspan='3' style='background:#eeeeee'><b>{escape(step.stage_label)}</b></td></tr>")
            stage = step.stage_label
        when = _day(step.on) + (f" 至 {_day(step.end_on)}" if step.end_on else "")
        muted = " style='color:#777777'" if not step.on else ""
        table.append(f"<tr{muted}><td>{escape(step.label)}{'（可选）' if step.optional and not step.on else ''}</td>"
                     f"<td>{when or '—'}</td><td>{escape(step.meeting)}</td></tr>")
        if step.field == "activist_filed_on":
            for on, conclusion in card.assessments:
                table.append(f"<tr><td>　半年考察</td><td>{_day(on)}</td><td>{escape(conclusion)}</td></tr>")
    table.append("</table>")
    return "".join(lines + table)


class DevelopmentPage(QWidget):
    """The pipeline list with its filters, the selected person's card and the work on them."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.today: date | None = None  # fixed by tests; None means the real day
        title = QLabel("发展党员")
        title.setObjectName("pageTitle")
        note = QLabel("按下一步的期限排序：红色为已超期，橙色为 30 天内到期，姓名为红色的有日期不符合规定。选中一人查看全程记录；"
                      "“登记下一步”时程序按《中国共产党发展党员工作细则》检查日期，不符合时说明是哪条规定。")
        note.setObjectName("muted")
        note.setWordWrap(True)
        self.stage = QComboBox()
        self.stage.addItem(ALL, None)
        for code in rules.PIPELINE_CATEGORIES:
            self.stage.addItem(vocab.STAGES[code], code)
        stage_label = QLabel("类别(&K)：")
        stage_label.setBuddy(self.stage)
        self.attention = QCheckBox("只看需要处理的(&A)")
        self.attention.setToolTip("已超期、30 天内到期或日期不符合规定的")
        self.summary = QLabel()
        self.summary.setObjectName("muted")
        self.stage.currentIndexChanged.connect(lambda _: self._show_rows())
        self.attention.toggled.connect(lambda _: self._show_rows())

        self.model = PipelineModel(self)
        self.table = read_only_table(self.model)
        header = self.table.horizontalHeader()
        for column, width in enumerate(WIDTHS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _: self.record_step())
        self.card = QLabel()
        self.card.setWordWrap(True)
        self.card.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.card.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.card.setMinimumWidth(360)
        card_scroll = QScrollArea()
        card_scroll.setWidgetResizable(True)
        card_scroll.setWidget(self.card)

        self.step_button = QPushButton("登记下一步(&N)…")
        self.assess_button = QPushButton("半年考察(&V)…")
        self.extend_button = QPushButton("延长预备期(&X)…")
        self.leave_button = QPushButton("终止培养(&L)…")
        self.print_button = QPushButton("打印(&P)")
        menu = QMenu(self.print_button)
        for kind, label in NOTICE_MENU:
            menu.addAction(label, lambda k=kind: self.print_notice(k))
        menu.addSeparator()
        menu.addAction("发展党员全程纪实表", lambda: self.print_record())
        menu.addAction("本年度发展党员工作台账", lambda: self.print_register())
        self.print_button.setMenu(menu)
        self.step_button.clicked.connect(lambda: self.record_step())
        self.assess_button.clicked.connect(lambda: self.add_assessment())
        self.extend_button.clicked.connect(lambda: self.extend())
        self.leave_button.clicked.connect(lambda: self.leave())

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.summary)
        top.addSpacing(16)
        top.addWidget(stage_label)
        top.addWidget(self.stage)
        top.addWidget(self.attention)
        buttons = QHBoxLayout()
        for button in (self.step_button, self.assess_button, self.extend_button, self.leave_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(card_scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([sum(WIDTHS) + 24, 520])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addLayout(top)
        layout.addWidget(note)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        self.rows: list[development.PipelineRow] = []
        self._selection_changed()

    def current_day(self) -> date:
        return self.today or date.today()

    # --- the list ---------------------------------------------------------------------------------

    def refresh(self, select_id: int | None = None) -> None:
        """Read the pipeline again (on showing the page and after each change)."""
        if select_id is None:
            select_id = self.selected_id()
        self.rows = development.pipeline_rows(self.current_day())
        self._show_rows(select_id)

    def _show_rows(self, select_id: int | None = None) -> None:
        select_id = select_id if select_id is not None else self.selected_id()
        stage = self.stage.currentData()
        shown = [r for r in self.rows if (stage is None or r.category == stage)
                 and (not self.attention.isChecked() or r.needs_attention)]
        self.model.load(shown)
        overdue = sum(1 for r in self.rows if r.attention == "overdue")
        soon = sum(1 for r in self.rows if r.attention == "soon")
        self.summary.setText(f"共 {len(self.rows)} 人；已超期 {overdue} 人，30 天内到期 {soon} 人")
        if select_id is not None:
            self.select_person(select_id)
        self._selection_changed()

    def selected_row(self) -> development.PipelineRow | None:
        chosen = self.table.selectionModel().selectedRows()
        return self.model.rows[chosen[0].row()] if chosen else None

    def selected_id(self) -> int | None:
        row = self.selected_row()
        return row.person_id if row else None

    def select_person(self, person_id: int) -> bool:
        """Select someone (the workbench goes straight to a person); filters are cleared if they hide them."""
        for attempt in range(2):
            for number, row in enumerate(self.model.rows):
                if row.person_id == person_id:
                    self.table.selectRow(number)
                    self.table.scrollTo(self.model.index(number, 0))
                    return True
            if attempt == 0 and (self.stage.currentIndex() or self.attention.isChecked()):
                self.stage.blockSignals(True)
                self.attention.blockSignals(True)
                self.stage.setCurrentIndex(0)
                self.attention.setChecked(False)
                self.stage.blockSignals(False)
                self.attention.blockSignals(False)
                self.model.load(self.rows)
        return False

    def _selection_changed(self, *_args) -> None:
        row = self.selected_row()
        for button in (self.step_button, self.assess_button, self.extend_button, self.leave_button,
                       self.print_button):
            button.setEnabled(row is not None)
        if row is None:
            self.card.setText("选中一人，这里显示其发展党员的全部环节。" if self.rows
                              else "目前没有在培养的入党申请人、积极分子、发展对象或预备党员。")
            return
        probationary = row.category == "probationary"
        self.assess_button.setEnabled(row.category in ("activist", "target"))
        self.extend_button.setEnabled(probationary)
        self.leave_button.setText("取消预备党员资格(&L)…" if probationary else "终止培养(&L)…")
        self.card.setText(card_html(development.card(row.person_id, self.current_day())))

    # --- the work ---------------------------------------------------------------------------------

    def _run(self, dialog) -> bool:
        if dialog.exec() != dialog.DialogCode.Accepted:
            return False
        self.refresh(select_id=dialog.person_id)
        return True

    def record_step(self, step_field: str | None = None) -> bool:
        """登记下一步: the step dialog on the next step (the assessment dialog when that is what is due)."""
        row = self.selected_row()
        if row is None:
            return False
        if step_field is None and row.next_field == rules.ASSESSMENT.field:
            return self.add_assessment()
        return self._run(StepDialog(row.person_id, self.current_day(), self, step_field))

    def add_assessment(self) -> bool:
        row = self.selected_row()
        return row is not None and self._run(AssessmentDialog(row.person_id, row.name, self.current_day(), self))

    def extend(self) -> bool:
        row = self.selected_row()
        return row is not None and self._run(ExtensionDialog(row.person_id, row.name, self.current_day(), self))

    def leave(self) -> bool:
        row = self.selected_row()
        return row is not None and self._run(LeaveDialog(row.person_id, row.name, row.category == "probationary",
                                                         self.current_day(), self))

    def print_notice(self, kind: str, path=None):
        from ledger_app.documents.development import make_notice

        row = self.selected_row()
        if row is None:
            return None
        label = dict(NOTICE_MENU)[kind]
        return save_document(self, f"打印{label}", f"{label}-{row.name}",
                             lambda out: make_notice(row.person_id, kind, out, self.current_day()), path=path)

    def print_record(self, path=None):
        from ledger_app.documents.development import make_record

        row = self.selected_row()
        if row is None:
            return None
        return save_document(self, "打印全程纪实表", f"发展党员全程纪实表-{row.name}",
                             lambda out: make_record(row.person_id, out, self.current_day()), path=path)

    def print_register(self, path=None):
        from ledger_app.documents.development import make_register

        year = self.current_day().year
        return save_document(self, "打印发展党员工作台账", f"{year}年发展党员工作台账",
                             lambda out: make_register(year, out, self.current_day()), path=path)
