"""The dialogs of the 发展党员 page: record a step, a six-monthly assessment, an extension, leaving.

The step dialog checks the rules as the clerk types (``services.development.check_step``) and
shows the rule a date breaks under the field before anything is saved. Where a step is decided
by a 支委会 or 支部大会, the clerk picks that meeting and the date comes from it.
"""

from datetime import date

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QWidget

from ledger_app.rules import development as rules
from ledger_app.services import development
from ledger_app.services.development import STEP_TEXT, TEXT_LABELS, StepEntry

from .forms import FormDialog, OptionalDateEdit, date_edit, from_qdate

NO_MEETING = "（会议未登记在台账中：直接填写日期）"


class MeetingPicker(QComboBox):
    """The held meetings that may decide a step, newest first, and a last choice to type the date."""

    def fill(self, step_field: str, today: date) -> None:
        self.clear()
        for choice in development.decision_meetings(step_field, today):
            self.addItem(choice.label, choice.id)
        self.addItem(NO_MEETING, None)

    def meeting_id(self) -> int | None:
        return self.currentData()


class StepDialog(FormDialog):
    """登记发展环节: one step with its date (or meeting) and what goes with it, checked as typed."""

    def __init__(self, person_id: int, today: date, parent: QWidget | None = None, step_field: str | None = None):
        super().__init__("登记发展环节", "保存(&S)", parent)
        self.person_id, self.today = person_id, today
        pipeline = development.card(person_id, today)
        self.step = QComboBox()
        for step in (*rules.STEPS, rules.EXTENSION):
            if step is rules.EXTENSION:
                continue  # an extension has its own dialog (months and reason)
            done = next((s.on for s in pipeline.steps if s.field == step.field and s.on), None)
            self.step.addItem(f"{step.label}" + (f"（已登记 {done.isoformat()}）" if done else ""), step.field)
        wanted = step_field or pipeline.row.next_field
        if wanted == rules.ASSESSMENT.field:  # an assessment is due first: offer the step after it
            wanted = "target_on"
        if wanted and self.step.findData(wanted) >= 0:
            self.step.setCurrentIndex(self.step.findData(wanted))
        self.meeting = MeetingPicker()
        self.on = date_edit(today)
        self.end_on = OptionalDateEdit()
        self.hours = QSpinBox()
        self.hours.setRange(0, 999)
        self.hours.setSuffix(" 学时")
        self.text = QLineEdit()
        self.rule = QLabel()
        self.rule.setObjectName("muted")
        self.rule.setWordWrap(True)
        heading = QLabel(f"{pipeline.name}（{pipeline.category_label}）")
        heading.setObjectName("cardHeading")
        form = self.new_form()
        self.add_row(form, "field", "环节(&T)：", self.step)
        self.add_row(form, "meeting_id", "决定的会议(&M)：", self.meeting)
        self.add_row(form, "on", "日期(&D)：", self.on)
        self.add_row(form, "end_on", "结束日期(&E)：", self.end_on)
        self.add_row(form, "hours", "学时(&H)：", self.hours)
        self.add_row(form, "text", "说明(&P)：", self.text)
        self.form = form
        self.arrange(560, heading, form, self.rule)
        self.step.currentIndexChanged.connect(self._step_changed)
        self.meeting.currentIndexChanged.connect(self._meeting_changed)
        for signal in (self.on.dateChanged, self.end_on.edit.dateChanged, self.hours.valueChanged,
                       self.text.textChanged):
            signal.connect(self.check)
        self._step_changed()

    def _rule(self) -> rules.Step:
        return rules.STEP_BY_FIELD[self.step.currentData()]

    def _show(self, widget: QWidget, visible: bool) -> None:
        self.form.setRowVisible(widget.parentWidget(), visible)

    def _step_changed(self, *_args) -> None:
        step = self._rule()
        self._show(self.meeting, bool(step.decided_by))
        if step.decided_by:
            self.meeting.fill(step.field, self.today)
        self._show(self.end_on, bool(step.end_field))
        self._show(self.hours, step.field == "training_start_on")
        self._show(self.text, step.field in STEP_TEXT)
        if step.field in STEP_TEXT:
            self.form.labelForField(self.text.parentWidget()).setText(f"{TEXT_LABELS[STEP_TEXT[step.field]]}(&P)：")
        self.rule.setText(f"依据：{step.source}")
        self._meeting_changed()

    def _meeting_changed(self, *_args) -> None:
        chosen = self.meeting.meeting_id() if self._rule().decided_by else None
        self.on.setEnabled(chosen is None)
        if chosen is not None:
            held = next(c.held_on for c in development.decision_meetings(self._rule().field, self.today)
                        if c.id == chosen)
            self.on.blockSignals(True)
            self.on.setDate(self.on.date().fromString(held.isoformat(), "yyyy-MM-dd"))
            self.on.blockSignals(False)
        self.check()

    def entry(self) -> StepEntry:
        step = self._rule()
        return StepEntry(step.field, from_qdate(self.on.date()),
                         self.meeting.meeting_id() if step.decided_by else None,
                         self.end_on.value() if step.end_field else None,
                         self.hours.value() if step.field == "training_start_on" and self.hours.value() else None,
                         self.text.text() if step.field in STEP_TEXT else "")

    def check(self, *_args) -> list:
        """Show what the entry breaks, under its field, as it is typed; the save button stays usable
        (the service refuses the same entry with the same message)."""
        self.clear_errors()
        problems = development.check_step(self.person_id, self.entry(), self.today)
        for problem in problems:  # shown without moving the cursor away from what is being typed
            self.errors[self._dialog_field(problem.field)][0].show_message(problem.message)
        return problems

    def _dialog_field(self, field: str | None) -> str:
        """The dialog's field that holds a ledger field a problem names (``talked_on``, ``notice_end_on`` …)."""
        if field == self._rule().end_field:
            return "end_on"
        return field if field in self.errors else "on"

    def show_field_error(self, field: str | None, message: str) -> bool:
        return super().show_field_error(self._dialog_field(field), message)

    def save(self) -> None:
        development.record_step(self.person_id, self.entry(), self.today)


class AssessmentDialog(FormDialog):
    """半年考察: the date and the assessment's conclusion."""

    def __init__(self, person_id: int, name: str, today: date, parent: QWidget | None = None):
        super().__init__("登记半年考察", "保存(&S)", parent)
        self.person_id, self.today = person_id, today
        self.on = date_edit(today)
        self.conclusion = QLineEdit()
        self.conclusion.setPlaceholderText("如：思想进步，表现良好，继续培养")
        form = self.new_form()
        self.add_row(form, "assessed_on", "考察日期(&D)：", self.on)
        self.add_row(form, "conclusion", "考察意见(&C)：", self.conclusion)
        self.arrange(480, QLabel(f"{name}：入党积极分子每半年考察一次（细则 第十二条）。"), form)

    def save(self) -> None:
        development.add_assessment(self.person_id, from_qdate(self.on.date()), self.conclusion.text(), self.today)


class ExtensionDialog(FormDialog):
    """延长预备期: the 支部大会 that decided it, the months (6–12, once) and the reason."""

    def __init__(self, person_id: int, name: str, today: date, parent: QWidget | None = None):
        super().__init__("延长预备期", "保存(&S)", parent)
        self.person_id, self.today = person_id, today
        self.meeting = MeetingPicker()
        self.meeting.fill(rules.EXTENSION.field, today)
        self.on = date_edit(today)
        self.months = QSpinBox()
        self.months.setRange(rules.LIMITS.extension_min_months, rules.LIMITS.extension_max_months)
        self.months.setSuffix(" 个月")
        self.reason = QLineEdit()
        form = self.new_form()
        self.add_row(form, "meeting_id", "支部大会(&M)：", self.meeting)
        self.add_row(form, "extension_decided_on", "决定日期(&D)：", self.on)
        self.add_row(form, "extension_months", "延长(&N)：", self.months)
        self.add_row(form, "extension_reason", "原因(&R)：", self.reason)
        self.arrange(520, QLabel(f"{name}：预备期只能延长一次，不少于半年，最长不超过一年（党章 第七条）。"), form)
        self.meeting.currentIndexChanged.connect(lambda _: self.on.setEnabled(self.meeting.meeting_id() is None))
        self.on.setEnabled(self.meeting.meeting_id() is None)

    def save(self) -> None:
        development.extend_probation(self.person_id, self.months.value(), self.reason.text(),
                                     from_qdate(self.on.date()), self.meeting.meeting_id(), today=self.today)


class LeaveDialog(FormDialog):
    """终止培养 (before joining) or 取消预备党员资格 (a probationary member): date and reason."""

    def __init__(self, person_id: int, name: str, probationary: bool, today: date, parent: QWidget | None = None):
        title = "取消预备党员资格" if probationary else "终止培养"
        super().__init__(title, f"{title}(&S)", parent)
        self.person_id, self.today = person_id, today
        self.on = date_edit(today)
        self.reason = QLineEdit()
        form = self.new_form()
        self.add_row(form, "on", "日期(&D)：", self.on)
        self.add_row(form, "reason", "原因(&R)：", self.reason)
        text = QLabel(f"{name}将不再列入发展党员名单，档案保留，并记入本人经历。")
        text.setWordWrap(True)
        self.arrange(480, text, form)

    def save(self) -> None:
        development.leave_pipeline(self.person_id, from_qdate(self.on.date()), self.reason.text(), self.today)
