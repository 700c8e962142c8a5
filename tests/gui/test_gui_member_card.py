"""The member card: checks as typed beside each field, ID fills, undo/redo, save, state, history, close."""

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from ledger_app.models import AuditEntry, Person
from ledger_app.rules.id_number import check_character
from ledger_app.services import people
from ledger_app.services.members import get_member, roster_rows
from ledger_app.services.people import PersonForm
from ui import member_card
from ui.member_card import MemberCardDialog

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


def make_id(birth: date, sequence: int = 11) -> str:
    first17 = f"440106{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


@pytest.fixture
def member_id(set_up_ledger):
    """A full member whose file is in order."""
    return people.create_person(PersonForm(
        name="林晓明", sex="male", ethnicity="汉族", birth_date=date(1985, 3, 15), id_number=make_id(date(1985, 3, 15)),
        phone="13812345678", stage="full", joined_on=date(2010, 7, 1), converted_on=date(2011, 7, 1),
        post="工程师",
    ))


def open_card(qtbot, person_id):
    card = MemberCardDialog(person_id)
    qtbot.addWidget(card)
    card.show()
    qtbot.waitExposed(card)
    return card


@pytest.fixture
def card(qtbot, member_id, monkeypatch):
    monkeypatch.setattr(member_card, "ask_unsaved", lambda parent: "discard")  # closing at teardown never blocks
    return open_card(qtbot, member_id)


def error_text(card, field) -> str:
    label = card.field_errors[field]
    return label.text() if label.isVisible() else ""


def retype(qtbot, line_edit, text):
    line_edit.setFocus()
    line_edit.selectAll()
    qtbot.keyClick(line_edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(line_edit, text)


def test_a_member_file_is_shown_with_its_standing(card, member_id):
    assert card.windowTitle() == "党员档案 — 林晓明"
    assert card.widgets["name"].text() == "林晓明"
    assert card.widgets["sex"].currentText() == "男"
    assert card.widgets["joined_on"].value() == date(2010, 7, 1)
    years = date.today().year - 2011 - ((date.today().month, date.today().day) < (7, 1))
    assert card.standing.text() == f"党龄 {years} 年"
    assert card.problems == [] and not card.save_button.isEnabled()  # nothing to save yet
    assert not any(error.isVisible() for error in card.field_errors.values())


def test_a_wrong_check_character_is_shown_beside_the_id_field_and_blocks_saving(qtbot, card):
    good = make_id(date(1985, 3, 15))
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    retype(qtbot, card.widgets["id_number"], wrong)
    assert "校验位" in error_text(card, "id_number")
    assert f"应为 {good[17]}" in error_text(card, "id_number")
    assert not card.save_button.isEnabled()
    assert "1 处" in card.summary.text()
    qtbot.keyClick(card.widgets["id_number"], Qt.Key.Key_Backspace)
    qtbot.keyClicks(card.widgets["id_number"], good[17])
    assert error_text(card, "id_number") == "" and card.problems == []
    assert card.undo_stack.isClean()  # typed back to the number on file: nothing to undo or save
    card.widgets["post"].setText("高级工程师")
    assert card.save_button.isEnabled()


def test_a_valid_id_number_fills_birth_date_and_sex(qtbot, set_up_ledger, monkeypatch):
    monkeypatch.setattr(member_card, "ask_unsaved", lambda parent: "discard")
    card = open_card(qtbot, None)
    assert card.windowTitle() == "党员档案 — 新增党员"
    assert card.widgets["birth_date"].value() is None and card.widgets["sex"].currentData() == ""
    qtbot.keyClicks(card.widgets["id_number"], make_id(date(1992, 11, 30), 24))
    assert card.widgets["birth_date"].value() == date(1992, 11, 30)
    assert card.widgets["sex"].currentText() == "女"
    card.undo_action.trigger()  # typing the number and its fills are one step
    assert card.widgets["id_number"].text() == ""
    assert card.widgets["birth_date"].value() is None and card.widgets["sex"].currentData() == ""


def test_a_birth_date_or_sex_that_disagrees_with_the_id_is_flagged(card):
    card.widgets["birth_date"].set_value(date(1985, 3, 16))
    assert "不一致" in error_text(card, "birth_date")
    assert not card.save_button.isEnabled()
    card.widgets["sex"].setCurrentIndex(card.widgets["sex"].findData("female"))
    assert "不一致" in error_text(card, "sex")
    card.widgets["birth_date"].set_value(date(1985, 3, 15))
    assert error_text(card, "birth_date") == ""


def test_conversion_before_joining_is_flagged(card):
    card.widgets["converted_on"].set_value(date(2009, 1, 1))
    assert "早于入党时间" in error_text(card, "converted_on")
    card.widgets["converted_on"].set_value(date(2011, 1, 1))
    assert "预备期" in error_text(card, "converted_on")
    card.widgets["converted_on"].set_value(date(2011, 7, 1))
    assert error_text(card, "converted_on") == ""


def test_a_bad_phone_number_is_flagged_as_typed(qtbot, card):
    retype(qtbot, card.widgets["phone"], "1381234")
    assert "11 位" in error_text(card, "phone")
    qtbot.keyClicks(card.widgets["phone"], "5678")
    assert error_text(card, "phone") == ""


def test_undo_reverts_the_last_edits_and_redo_reapplies_them(qtbot, card):
    assert not card.undo_action.isEnabled() and not card.redo_action.isEnabled()
    post = card.widgets["post"]
    post.setFocus()
    post.end(False)
    qtbot.keyClicks(post, "abc")  # three keystrokes, one undo step
    stage = card.widgets["stage"]
    stage.setCurrentIndex(stage.findData("probationary"))
    assert "预备党员还没有转正时间" in error_text(card, "converted_on")
    assert card.undo_stack.count() == 2 and card.undo_action.isEnabled()

    card.undo_action.trigger()
    assert stage.currentData() == "full" and error_text(card, "converted_on") == ""
    assert card.redo_action.isEnabled()
    post.setFocus()
    qtbot.keyClick(post, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the card's undo, not the field's
    assert post.text() == "工程师"
    assert not card.undo_action.isEnabled() and not card.save_button.isEnabled()

    card.redo_action.trigger()
    assert post.text() == "工程师abc"
    qtbot.keyClick(post, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert stage.currentData() == "probationary"
    assert not card.redo_action.isEnabled()


def test_save_writes_the_person_through_the_service(qtbot, card, member_id):
    saved = []
    card.saved.connect(saved.append)
    retype(qtbot, card.widgets["phone"], "020 8352 0000")
    card.widgets["post"].setText("高级工程师")
    card.widgets["ethnicity"].setCurrentText("回族")
    card.widgets["education"].setCurrentIndex(card.widgets["education"].findData("大学本科"))
    card.widgets["group_id"].setCurrentIndex(1)
    assert card.save_button.isEnabled() and card.unsaved.text()
    qtbot.keyClick(card, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    detail = get_member(member_id)
    assert (detail.post, detail.phone, detail.ethnicity, detail.education, detail.group_name) == (
        "高级工程师", "020-83520000", "回族", "大学本科", "第一党小组")
    assert saved == [member_id]
    assert card.widgets["phone"].text() == "020-83520000"  # shown as the ledger keeps it
    assert card.undo_stack.isClean() and not card.save_button.isEnabled() and card.unsaved.text() == ""
    card.undo_action.trigger()  # the stack lives on until the card is closed
    assert not card.undo_stack.isClean()


def test_a_new_member_is_created(qtbot, set_up_ledger, monkeypatch):
    monkeypatch.setattr(member_card, "ask_unsaved", lambda parent: "discard")
    card = open_card(qtbot, None)
    assert not card.tabs.isTabEnabled(1) and not card.tabs.isTabEnabled(2)
    assert "请填写姓名" in error_text(card, "name") and not card.save_button.isEnabled()
    card.widgets["name"].setFocus()
    card.widgets["name"].insert("陈新")
    qtbot.keyClicks(card.widgets["id_number"], make_id(date(1998, 5, 4), 33))
    card.widgets["stage"].setCurrentIndex(card.widgets["stage"].findData("probationary"))
    card.widgets["joined_on"].set_value(date(2024, 1, 10))
    assert card.problems == [] and card.save_button.isEnabled()
    qtbot.mouseClick(card.save_button, Qt.MouseButton.LeftButton)
    person = Person.get(Person.name == "陈新")
    assert card.person_id == person.id and card.windowTitle() == "党员档案 — 陈新"
    detail = get_member(person.id)
    assert (detail.stage, detail.birth_date, detail.sex, detail.joined_on) == (
        "probationary", date(1998, 5, 4), "male", date(2024, 1, 10))
    assert card.tabs.isTabEnabled(1) and card.tabs.isTabEnabled(2)
    assert card.history_model.rowCount() == 1  # 入党
    assert AuditEntry.select().where(AuditEntry.table_name == "person", AuditEntry.action == "insert",
                                     AuditEntry.row_id == person.id).exists()


def test_adding_a_history_event_shows_in_the_table(qtbot, card, member_id):
    card.tabs.setCurrentIndex(2)
    assert card.history_model.rowCount() == 2
    qtbot.mouseClick(card.history_button, Qt.MouseButton.LeftButton)
    dialog = card.history_dialog
    dialog.kind.setCurrentIndex(dialog.kind.findData("commendation"))
    dialog.on.set_value(date(2023, 7, 1))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "需要写明内容" in dialog.errors["description"].text()  # refused, stays open
    dialog.description.setText("被评为优秀共产党员")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    model = card.history_model
    assert model.rowCount() == 3
    rows = [[model.index(r, c).data() for c in range(3)] for r in range(3)]
    assert ["2023-07-01", "表彰", "被评为优秀共产党员"] in rows
    assert rows[0][0] == "2023-07-01"  # newest first


def test_changing_state_to_deceased_takes_the_member_off_the_roster(qtbot, card, member_id):
    saved = []
    card.saved.connect(saved.append)
    assert member_id in [r.id for r in roster_rows()]
    card.tabs.setCurrentIndex(1)
    assert card.membership_labels["state"].text() == "在册"
    qtbot.mouseClick(card.state_button, Qt.MouseButton.LeftButton)
    dialog = card.state_dialog
    dialog.state.setCurrentIndex(dialog.state.findData("deceased"))
    dialog.on.set_value(date(2024, 3, 2))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "原因" in dialog.errors["reason"].text()
    dialog.reason.setText("病故")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert member_id not in [r.id for r in roster_rows()]
    assert card.membership_labels["state"].text() == "去世"
    assert card.membership_labels["state_reason"].text() == "病故"
    assert card.history_model.rows[0].description == "在册 → 去世：病故"
    assert saved == [member_id]


def test_closing_with_unsaved_changes_asks(qtbot, card, member_id, monkeypatch):
    answers = []

    def answer(choice):
        def ask(parent):
            answers.append(choice)
            return choice
        return ask

    card.widgets["post"].setText("书记")
    monkeypatch.setattr(member_card, "ask_unsaved", answer("cancel"))
    card.close()
    assert card.isVisible() and answers == ["cancel"]
    monkeypatch.setattr(member_card, "ask_unsaved", answer("save"))
    qtbot.keyClick(card, Qt.Key.Key_Escape)
    assert not card.isVisible() and answers == ["cancel", "save"]
    assert get_member(member_id).post == "书记"


def test_closing_without_saving_writes_nothing_and_a_clean_card_closes_at_once(qtbot, member_id, messages):
    card = open_card(qtbot, member_id)
    card.close()  # nothing changed: no question
    assert not card.isVisible()
    card = open_card(qtbot, member_id)
    card.widgets["post"].setText("书记")
    clicked, looks = [], []

    def click_dont_save():  # never raises: a box left open would hang the test
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            looks.append(1)
            if len(looks) < 100:
                QTimer.singleShot(20, click_dont_save)  # not shown yet: look again, for a while
            return
        buttons = {b.text(): b for b in box.findChildren(QPushButton)}
        clicked.append(sorted(buttons))
        if "不保存" in buttons:
            buttons["不保存"].click()
        else:
            box.reject()

    QTimer.singleShot(0, click_dont_save)
    qtbot.mouseClick(card.close_button, Qt.MouseButton.LeftButton)
    assert clicked == [sorted(["保存", "不保存", "取消"])]
    assert not card.isVisible()
    assert get_member(member_id).post == "工程师"


def test_enter_in_a_field_does_not_close_the_card(qtbot, card):
    card.widgets["post"].setFocus()
    qtbot.keyClick(card.widgets["post"], Qt.Key.Key_Return)
    assert card.isVisible()
    assert card.focusWidget() is not card.widgets["post"]


def test_the_history_model_passes_the_model_tester(qtmodeltester, card):
    qtmodeltester.check(card.history_model)


def test_the_occupation_category_is_chosen_on_the_card_and_saved(card, member_id):
    box = card.widgets["occupation_category"]
    assert box.currentText() == "未确认"
    box.setCurrentIndex(box.findData("professional"))
    assert card.save_button.isEnabled()
    card.save_button.click()
    assert people.form_for(member_id).occupation_category == "professional"
