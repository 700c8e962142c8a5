"""The 会议 page and the meeting editor, driven as a clerk would.

A dialog's ``exec()`` is replaced by a function that fills it and presses its button, so the real
dialog code runs without a modal loop. Documents are written to a temporary path through
``save_document(path=...)`` and opened with python-docx and pypdf.
"""

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel

from ledger_app.documents.word import document_text
from ledger_app.models import Meeting
from ledger_app.services import compliance, meetings
from ui import meeting_editor as editor_module
from ui import meetings_page as page_module
from ui.forms import DateDialog
from ui.meeting_editor import MeetingEditor
from ui.meeting_models import MISSED_COLOUR, AttendanceModel, ComplianceModel
from ui.meetings_page import FrequenciesDialog, MeetingsPage

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]

TODAY = date.today()


@pytest.fixture
def page(qtbot, demo):
    widget = MeetingsPage()
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.refresh()
    return widget


def make_editor(qtbot, page, meeting_id=None) -> MeetingEditor:
    editor = page.open_editor(meeting_id)
    qtbot.addWidget(editor)
    return editor


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(str(path)).pages).replace("\n", "")


def record_assembly(qtbot, page) -> tuple[MeetingEditor, list[str]]:
    """A 支部党员大会 held a week ago with two absentees (with reasons) and one vote; not saved yet."""
    editor = make_editor(qtbot, page)
    editor.kind.setCurrentIndex(editor.kind.findData("general_assembly"))
    editor.title.setText("测试支部党员大会")
    editor.held_on.setDate(TODAY - timedelta(days=7))
    editor.start_time.setText("14:30")
    editor.end_time.setText("16:00")
    editor.place.setText("党员活动室")
    editor.topics.add_line("审议年度计划")
    grid = editor.attendance
    assert grid.rowCount() > 4
    names = [grid.people[row].name for row in (0, 1)]
    grid.set_present(0, False, "sick", "住院治疗")
    grid.set_present(1, False, "official")
    return editor, names


def test_record_a_meeting_with_absentees_and_a_vote_then_make_its_minutes(qtbot, page, messages, tmp_path):
    editor, absentees = record_assembly(qtbot, page)
    expected, present, absent = editor.attendance.counts()
    assert absent == 2 and present == expected - 2
    assert editor.counts.text() == f"应到 {expected} 人，实到 {present} 人，缺席 2 人"

    frame = editor.votes.add()
    frame.motion.setText("通过支部年度计划")
    frame.topic.setCurrentIndex(1)
    assert "未通过" in frame.verdict.text()  # no yes votes yet
    grid = editor.attendance
    voters = sum(person.may_vote and mark.present for person, mark in zip(grid.people, grid.marks, strict=True))
    frame.yes.setValue(voters - 1)  # only full members vote
    frame.no.setValue(1)
    verdict = frame.verdict.text()
    assert verdict.startswith("表决有效：应到会有表决权党员") and verdict.endswith("，通过。")
    assert verdict == meetings.draft_verdicts(editor.draft())[0].text
    frame.yes.setValue(1)
    assert frame.verdict.text().endswith("未通过。")  # the sentence follows the numbers as they change
    frame.yes.setValue(voters - 1)

    assert editor.is_dirty()
    assert editor.save()
    assert not editor.is_dirty() and editor.message.text() == "已保存。"
    record = meetings.get_meeting(editor.meeting_id)
    assert [a.name for a in record.absentees] == absentees
    assert [a.reason_label for a in record.absentees] == ["病假", "公假/因公外出"]
    assert record.votes[0].verdict.text == verdict

    page._load(editor.meeting_id)
    assert page.selected().id == editor.meeting_id
    docx = page.make_document("minutes", "docx", path=tmp_path / "会议记录.docx")
    pdf = page.make_document("minutes", "pdf", path=tmp_path / "会议记录.pdf")
    assert page.folder_actions["minutes"].isEnabled() and page.last_written["minutes"] == pdf
    assert [title for kind, title, _ in messages] == ["文件已生成", "文件已生成"]
    for text in (document_text(docx).replace("\n", ""), pdf_text(pdf)):
        assert f"{absentees[0]}（病假：住院治疗）" in text
        assert f"{absentees[1]}（公假/因公外出）" in text
        assert f"{expected} 人" in text and f"{present} 人" in text and "2 人" in text
        assert verdict in text
    signin = page.make_document("signin", "docx", path=tmp_path / "签到表.docx")
    assert absentees[0] in document_text(signin)


def test_a_wrong_field_is_shown_beside_it_and_nothing_is_written(qtbot, page, messages):
    before = Meeting.select().count()
    editor, _ = record_assembly(qtbot, page)
    editor.held_on.setDate(TODAY + timedelta(days=3))  # 已召开 in the future
    assert not editor.save()
    error, _widget = editor.field_errors["held_on"]
    assert not error.isHidden() and "晚于今天" in error.text()
    editor.held_on.setDate(TODAY - timedelta(days=7))
    editor.attendance.set_present(2, False)  # absent without a reason
    assert not editor.save()
    assert error.isHidden()
    assert not editor.attendance_error.isHidden() and "缺席原因" in editor.attendance_error.text()
    frame = editor.votes.add()  # a vote with no motion
    editor.attendance.set_present(2, False, "personal")
    assert not editor.save()
    assert not frame.error.isHidden() and "表决事项" in frame.error.text()
    assert editor.tabs.currentWidget() is editor.votes
    editor.chair.setEditText("不存在的人")
    assert not editor.save()
    assert "不在本支部党员名单中" in editor.field_errors["chair_id"][0].text()
    assert Meeting.select().count() == before and messages == []


def test_esc_asks_before_dropping_unsaved_changes(qtbot, page, monkeypatch):
    asked = []
    monkeypatch.setattr(editor_module, "confirm", lambda *args: asked.append(args[2]) or False)
    editor = make_editor(qtbot, page, page.model.rows[0].id)
    editor.show()
    editor.reject()  # nothing changed: closes without asking
    assert asked == [] and editor.result() == QDialog.DialogCode.Rejected and not editor.isVisible()
    editor.show()
    editor.place.setText("新的地点")
    topics = editor.topics.values()
    qtbot.keyClick(editor.place, Qt.Key.Key_Return)  # Enter in a field presses no button
    assert editor.topics.values() == topics and editor.is_dirty()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert len(asked) == 1 and "还没有保存" in asked[0] and editor.isVisible()  # 取消: still open
    monkeypatch.setattr(editor_module, "confirm", lambda *args: True)
    editor.reject()
    assert not editor.isVisible()


def test_planned_meeting_is_saved_without_attendance_and_kind_sets_the_expected(qtbot, page):
    editor = make_editor(qtbot, page)
    editor.kind.setCurrentIndex(editor.kind.findData("group"))
    group_id = editor.group.itemData(1)
    editor.group.setCurrentIndex(1)
    expected = meetings.expected_for("group", TODAY, group_id)
    assert [p.id for p in editor.attendance.people] == [p.id for p in expected]
    editor.status.setCurrentIndex(editor.status.findData("planned"))
    editor.held_on.setDate(TODAY + timedelta(days=10))
    assert editor.counts.text().startswith("计划召开：应到") and not editor.grid.isEnabled()
    assert editor.save()
    record = meetings.get_meeting(editor.meeting_id)
    assert record.status == "planned" and record.attendance == [] and record.group_id == group_id


def test_makeups_for_absentees_are_created_and_ticked_off(qtbot, page, monkeypatch, messages):
    editor, absentees = record_assembly(qtbot, page)
    assert not editor.create_makeups_button.isEnabled()  # not saved yet
    assert editor.save()
    assert editor.create_makeups() == 2
    assert sorted(editor.makeups.item(row, 0).text() for row in range(2)) == sorted(absentees)
    done_on = TODAY - timedelta(days=1)

    def exec_(dialog):
        dialog.on.setDate(done_on)
        return QDialog.DialogCode.Accepted if dialog.submit() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(DateDialog, "exec", exec_)
    editor.makeups.selectRow(0)
    assert editor.tick_makeup("学习会议精神")
    assert editor.makeups.item(0, 1).text() == done_on.isoformat()
    assert editor.makeups.item(1, 1).text() == "未完成"
    first = meetings.get_meeting(editor.meeting_id).makeups[0]
    assert (first.done_on, first.note) == (done_on, "学习会议精神")


def test_compliance_tab_lists_a_missed_period_in_red(qtbot, page):
    year = TODAY.year - 1  # a whole year over, before the demo's meetings begin
    for month in range(1, 13):
        if month != 3:
            meetings.create_meeting(meetings.MeetingDraft(kind="committee", held_on=date(year, month, 10)))
    page.show_year(year)
    rows = page.compliance_model.rows
    row = next(number for number, item in enumerate(rows) if item.kind == "committee")
    assert (rows[row].required, rows[row].held) == (12, 11)
    index = page.compliance_model.index(row, ComplianceModel.MISSED_COLUMN)
    assert index.data() == "3月"
    assert index.data(Qt.ItemDataRole.ForegroundRole).color() == MISSED_COLOUR
    assert page.compliance_model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole) == rows[row].line()
    report = compliance.compliance_report(year)
    assert f"缺 {report.missing_total} 次" in page.tabs.tabText(1)
    assert page.compliance_head.text().startswith(report.lines()[0])


def test_plan_the_year_from_the_page(qtbot, page, monkeypatch, messages):
    asked = []
    monkeypatch.setattr(page_module, "confirm", lambda *args: asked.append(args[2]) or True)
    page.show_year(TODAY.year + 1)
    assert page.model.rowCount() == 0
    created = page.plan()
    assert asked and "计划" in asked[0]
    assert len(created) == page.model.rowCount() > 0
    assert {row.status for row in page.model.rows} == {"planned"}
    assert messages.texts("information") == [f"已为 {TODAY.year + 1} 年生成 {len(created)} 次计划会议。"]
    assert page.plan() == []  # every period has its meeting now
    assert "没有需要生成计划的期间" in messages.texts("information")[-1]


def test_copy_a_meeting_to_a_new_date(qtbot, page, monkeypatch):
    source = next(row for row in page.model.rows if row.kind == "general_assembly")
    page.select_meeting(source.id)
    new_day = TODAY + timedelta(days=20)
    opened = []

    def exec_(dialog):
        dialog.on.setDate(new_day)
        return QDialog.DialogCode.Accepted if dialog.submit() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(DateDialog, "exec", exec_)
    monkeypatch.setattr(MeetingEditor, "exec", lambda editor: opened.append(editor.meeting_id) or 0)
    new_id = page.copy_selected()
    assert opened == [new_id]  # the copy opens in the editor to go on with
    copy, original = meetings.get_meeting(new_id), meetings.get_meeting(source.id)
    assert (copy.kind, copy.title, copy.status, copy.held_on) == (original.kind, original.title, "planned", new_day)
    assert copy.topics == original.topics and copy.attendance == []
    assert page.selected().id == new_id


def test_delete_asks_first(qtbot, page, monkeypatch):
    row = page.model.rows[0]
    page.select_meeting(row.id)
    monkeypatch.setattr(page_module, "confirm", lambda *args: False)
    assert not page.delete_selected()
    monkeypatch.setattr(page_module, "confirm", lambda *args: True)
    assert page.delete_selected()
    assert Meeting.get_or_none(Meeting.id == row.id) is None
    assert row.id not in [r.id for r in page.model.rows]


def test_kind_filter_buttons_and_enter_follow_the_selection(qtbot, page, monkeypatch):
    page.kind.setCurrentIndex(page.kind.findData("committee"))
    assert page.model.rows and {row.kind for row in page.model.rows} == {"committee"}
    page.table.clearSelection()
    assert not page.edit_button.isEnabled() and not page.document_buttons["minutes"].isEnabled()
    page.table.selectRow(0)
    assert page.edit_button.isEnabled() and page.document_buttons["signin"].isEnabled()
    opened = []
    monkeypatch.setattr(MeetingEditor, "exec", lambda editor: opened.append(editor) or 0)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert [editor.meeting_id for editor in opened] == [page.model.rows[0].id]
    assert opened[0].kind.currentData() == "committee" and opened[0].windowTitle() == "编辑会议"


def test_models_pass_the_model_tester(qtbot, qtmodeltester, page):
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.compliance_model)
    row = next(r for r in page.model.rows if r.absent)
    editor = make_editor(qtbot, page, row.id)
    qtmodeltester.check(editor.attendance)
    editor.attendance.set_present(0, False, "other", "外出")
    qtmodeltester.check(editor.attendance)
    empty = AttendanceModel()
    qtmodeltester.check(empty)


def test_meeting_frequencies_are_set_from_the_compliance_tab(qtbot, page, drive):
    """A branch whose upper committee asks for a monthly 党课 sets it here; 落实情况 follows."""
    year = TODAY.year - 1

    def lectures(report):
        return next(item for item in report.items if item.kind == "lecture")

    assert lectures(compliance.compliance_report(year, page.current_day())).frequency == "quarterly"

    def monthly_lecture(dialog: FrequenciesDialog):
        assert dialog.choices["lecture"].currentData() == "quarterly"
        assert "党课（默认每季度）：" in [label.text() for label in dialog.findChildren(QLabel)]
        dialog.choices["lecture"].setCurrentIndex(dialog.choices["lecture"].findData("monthly"))

    page.tabs.setCurrentIndex(1)
    drive(FrequenciesDialog, monthly_lecture)
    assert page.edit_frequencies()
    assert meetings.meeting_frequencies()["lecture"] == "monthly"
    assert lectures(compliance.compliance_report(year, page.current_day())).required == 12
    row = next(r for r in page.compliance_model.rows if r.kind == "lecture")
    assert row.frequency == "monthly"  # the tab was read again
