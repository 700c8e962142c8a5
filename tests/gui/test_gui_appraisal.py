"""The 民主评议 and 谈心谈话 tabs of the 会议 page, driven as a clerk would (keyboard, dialogs)."""

from datetime import date

import pytest
from PySide6.QtCore import Qt

from ledger_app.services import appraisal, talks
from ledger_app.services.meetings import MeetingDraft, create_meeting
from ui.appraisal_tab import GradesModel
from ui.meetings_page import MeetingsPage
from ui.talks_tab import TalkDialog

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]

TODAY = date.today()
LAST_YEAR = TODAY.year - 1  # the demo ledger starts this year: last year has no round yet


@pytest.fixture
def page(qtbot, demo):
    widget = MeetingsPage()
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    widget.refresh()
    widget.show_year(LAST_YEAR)
    return widget


def test_grade_a_round_with_the_keyboard_and_save(qtbot, page, messages):
    meeting = create_meeting(MeetingDraft("general_assembly", date(LAST_YEAR, 12, 18), title="年终支部党员大会"))
    page.tabs.setCurrentIndex(2)
    tab = page.appraisal_tab
    tab.reload(keep=False)
    assert tab.status.text() == "尚未登记评议"
    tab.meeting.setCurrentIndex(tab.meeting.findData(meeting))
    tab.meeting.activated.emit(tab.meeting.currentIndex())
    assert tab.held_on.value() == date(LAST_YEAR, 12, 18)  # the date comes from the meeting

    model = tab.model
    graded = [n for n, r in enumerate(model.rows) if r.may_grade]
    assert graded and len(graded) < len(model.rows)  # probationary members are listed, not graded
    grey = next(n for n, r in enumerate(model.rows) if not r.may_grade)
    assert not model.flags(model.index(grey, GradesModel.GRADE)) & Qt.ItemFlag.ItemIsEditable
    assert model.index(grey, GradesModel.GRADE).data() == "不评定等次"

    third = len(graded) // 3
    tab.table.setFocus()
    tab.table.setCurrentIndex(model.index(graded[0], GradesModel.GRADE))
    for _ in range(third):
        qtbot.keyClick(tab.table, Qt.Key.Key_1)
    qtbot.keyClick(tab.table, Qt.Key.Key_2)
    tab.fill_button.click()  # the rest 合格
    assert tab.warning.isHidden()  # exactly a third at most
    assert [model.grades[model.rows[n].person_id] for n in graded[:third + 2]] == \
        ["excellent"] * third + ["qualified", "qualified"]
    tab.table.setCurrentIndex(model.index(graded[third], GradesModel.GRADE))
    qtbot.keyClick(tab.table, Qt.Key.Key_1)  # one more 优秀 than a third: warned at once
    assert tab.warning.isVisible() and f"评定为优秀的 {third + 1} 人" in tab.warning.text()
    assert tab.table.currentIndex().row() == graded[third + 1]  # the cursor moved to the next graded row
    tab.table.setCurrentIndex(model.index(graded[third], GradesModel.GRADE))
    qtbot.keyClick(tab.table, Qt.Key.Key_2)
    assert tab.warning.isHidden()
    assert tab.status.text() == "已完成评定（未保存）"
    page.grab().save(str(qtbot_tmp(page) / "appraisal.png"))

    tab.save_button.click()
    assert messages == []
    info = appraisal.round_for(LAST_YEAR)
    assert (info.held_on, info.meeting_id) == (date(LAST_YEAR, 12, 18), meeting)
    stored = {g.person_id: g.grade for g in appraisal.grades_for(LAST_YEAR)}
    assert stored == {model.rows[n].person_id: model.grades[model.rows[n].person_id] for n in graded}
    assert appraisal.sheet(LAST_YEAR, TODAY).complete and not tab.is_dirty()
    assert "已评定" in page.compliance_extra.text()


def test_a_bad_date_is_shown_under_the_field(qtbot, page, messages):
    tab = page.appraisal_tab
    page.tabs.setCurrentIndex(2)
    tab.held_on.set_value(date(LAST_YEAR - 1, 12, 1))  # before the year
    assert not tab.save()
    assert tab.errors["held_on"].isVisible() and "不在其间" in tab.errors["held_on"].text()
    assert appraisal.round_for(LAST_YEAR) is None


def test_probationary_setting_from_the_tab(qtbot, page):
    tab = page.appraisal_tab
    before = sum(not r.may_grade for r in tab.model.rows)
    tab.probationary.setChecked(True)
    assert appraisal.sheet(LAST_YEAR).grade_probationary
    assert sum(not r.may_grade for r in tab.model.rows) < before


def test_add_a_talk_through_the_dialog(qtbot, page, drive, messages):
    page.show_year(TODAY.year)
    page.tabs.setCurrentIndex(3)
    tab = page.talks_tab
    count = len(tab.model.rows)
    missing = tab.without.count()
    assert missing > 0
    target = tab.without.item(0).data(Qt.ItemDataRole.UserRole)

    def fill(dialog: TalkDialog):
        assert dialog.second.person_id() == target  # the member picked from the list
        other = next(i for i in range(dialog.people.rowCount())
                     if dialog.people.item(i).data(Qt.ItemDataRole.UserRole) != target)
        dialog.first.setCurrentIndex(other)
        assert dialog.kind.currentData() is not None  # suggested from the two people
        assert not dialog.submit()  # no gist yet: stays open with the problem under the field
        assert not dialog.errors["gist"][0].isHidden()
        dialog.gist.setPlainText("了解思想和工作情况，征求意见建议")
        dialog.show()
        dialog.grab().save(str(qtbot_tmp(page) / "talk-dialog.png"))

    seen = drive(TalkDialog, fill)
    tab.without.setCurrentRow(0)
    tab.talk_with_button.click()
    assert seen and messages == []
    talk_id = tab.selected().id  # the new talk is selected in the log
    assert len(tab.model.rows) == count + 1 and tab.without.count() == missing - 1
    row = next(r for r in talks.talks_in(TODAY.year) if r.id == talk_id)
    assert row.second_person_id == target and row.gist == "了解思想和工作情况，征求意见建议"
    assert "人未谈" in page.tabs.tabText(3) or tab.without.count() == 0


def qtbot_tmp(widget):
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.gettempdir()) / "party-ledger-gui-appraisal"
    folder.mkdir(exist_ok=True)
    return folder
