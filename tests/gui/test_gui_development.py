"""The 发展党员 page, its step dialog and the workbench's development reminders, driven as a clerk would."""

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from ledger_app.models import Development, Meeting, Person, Resolution
from ui.development_dialogs import NO_MEETING, StepDialog
from ui.development_page import ATTENTION_COLOURS, DEADLINE_COLUMN, DevelopmentPage

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]

TODAY = date.today()


def applicant(name: str, applied: date, **dev) -> int:
    person = Person.create(name=name, sex="male", birth_date=date(1995, 3, 15), stage="applicant")
    Development.create(person=person, applied_on=applied, **dev)
    return person.id


@pytest.fixture
def page(qtbot, set_up_ledger):
    widget = DevelopmentPage()
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


def test_the_list_sorts_by_deadline_colours_it_and_filters(page):
    late = applicant("甲一", TODAY - timedelta(days=60))
    soon = applicant("乙二", TODAY - timedelta(days=10))
    calm = applicant("丙三", TODAY - timedelta(days=200), talked_on=TODAY - timedelta(days=190))
    page.refresh()
    assert [r.person_id for r in page.model.rows] == [late, soon, calm]
    colour = page.model.data(page.model.index(0, DEADLINE_COLUMN), Qt.ItemDataRole.ForegroundRole).color()
    assert colour == ATTENTION_COLOURS["overdue"]
    colour = page.model.data(page.model.index(1, DEADLINE_COLUMN), Qt.ItemDataRole.ForegroundRole).color()
    assert colour == ATTENTION_COLOURS["soon"]
    assert "已超期 1 人，30 天内到期 1 人" in page.summary.text()
    page.attention.setChecked(True)
    assert [r.person_id for r in page.model.rows] == [late, soon]
    page.attention.setChecked(False)
    page.stage.setCurrentIndex(page.stage.findData("probationary"))
    assert page.model.rows == []
    assert page.select_person(calm)  # clears the filters that hide the person
    assert page.selected_id() == calm and "丙三" in page.card.text()


def test_the_dialog_refuses_a_date_that_breaks_a_rule_then_saves_a_good_one(page, drive, set_up_ledger):
    pid = applicant("丁四", TODAY - timedelta(days=20))
    page.refresh(select_id=pid)
    assert page.selected_id() == pid

    def late_talk(dialog: StepDialog):
        assert dialog.step.currentData() == "talked_on"  # the next step is offered
        dialog.on.setDate(dialog.on.date().addDays(-3 + 40))  # 37 days after applying … in the future
        error = dialog.errors["on"][0]
        assert not error.isHidden() and "晚于今天" in error.text()  # checked as typed, before saving

    drive(StepDialog, late_talk)
    assert not page.record_step()
    assert Development.get(Development.person == pid).talked_on is None

    def good_talk(dialog: StepDialog):
        dialog.on.setDate(dialog.on.date().addDays(-5))
        assert dialog.errors["on"][0].isHidden()

    drive(StepDialog, good_talk)
    assert page.record_step()
    assert Development.get(Development.person == pid).talked_on == TODAY - timedelta(days=5)
    assert page.selected_row().next_step == "确定为入党积极分子"


def test_a_committee_decision_picks_the_meeting_and_takes_its_date(page, drive):
    pid = applicant("戊五", TODAY - timedelta(days=90), talked_on=TODAY - timedelta(days=80))
    meeting = Meeting.create(kind="committee", held_on=TODAY - timedelta(days=7), title="研究入党积极分子")
    page.refresh(select_id=pid)

    def pick(dialog: StepDialog):
        assert dialog.step.currentData() == "activist_on"
        assert dialog.meeting.itemData(0) == meeting.id and dialog.meeting.itemText(1) == NO_MEETING
        dialog.meeting.setCurrentIndex(0)
        assert not dialog.on.isEnabled()
        dialog.text.setText("赵一、钱二")

    drive(StepDialog, pick)
    assert page.record_step()
    dev = Development.get(Development.person == pid)
    assert (dev.activist_on, dev.contacts) == (meeting.held_on, "赵一、钱二")
    assert Person.get_by_id(pid).stage == "activist"
    assert "戊五" in Resolution.get(Resolution.meeting == meeting.id).text


def test_the_workbench_lists_development_reminders_that_go_to_the_person(qtbot, window):
    late = applicant("甲一", TODAY - timedelta(days=60))
    ending = Person.create(name="己六", sex="female", stage="probationary",
                           joined_on=TODAY.replace(year=TODAY.year - 1) + timedelta(days=20)).id
    window.workbench.refresh()
    lines = [(b.property("due_status"), b.text()) for b in window.workbench.development_buttons]
    assert lines[0][0] == "red" and "甲一" in lines[0][1] and "已超期" in lines[0][1]
    assert any("己六" in text and "预备期" in text for _, text in lines)
    qtbot.mouseClick(window.workbench.development_buttons[0], Qt.MouseButton.LeftButton)
    assert window.current_page_key() == "development"
    assert window.current_page().selected_id() == late
    assert ending


def test_the_start_up_reminders_read_on_a_worker_fill_the_same_cards(qtbot, window):
    from ui.workbench import ReminderReader

    applicant("甲一", TODAY - timedelta(days=60))
    workbench = window.workbench
    workbench.refresh(defer_reminders=True)
    assert workbench.dues_text.text() == "正在统计…"
    reader = ReminderReader()
    window.startup_reminders = reader
    with qtbot.waitSignal(workbench.reminders_ready, timeout=10000):
        reader.deliver(workbench)
    assert reader.done() and reader.result is not None
    assert "甲一" in workbench.development_buttons[0].text()
    assert workbench.dues_text.text() != "正在统计…" and workbench.due_more.text() != "正在统计…"


def test_the_holidays_are_kept_in_the_settings_page_and_a_bad_line_is_named(qtbot, window):
    from ledger_app.services import settings

    page = window.settings_page
    page.refresh()
    page.holidays.setPlainText("2026-10-01\n2026-10-02")
    page.workdays.setPlainText("2026-10-11")
    assert page.save_calendar()
    assert settings.work_calendar().holidays == {date(2026, 10, 1), date(2026, 10, 2)}
    page.holidays.setPlainText("2026-10-01\n10月3日")
    assert not page.save_calendar()
    assert "“10月3日”不是日期" in page.calendar_error.text()
    assert settings.work_calendar().holidays == {date(2026, 10, 1), date(2026, 10, 2)}
