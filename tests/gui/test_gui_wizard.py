"""The first-run wizard: what is typed is exactly what the ledger holds; nothing is written otherwise."""

import sys
import types
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWizard

from ledger_app.models import AuditEntry, Branch, CommitteeMember, CommitteeTerm, PartyGroup, Person
from ledger_app.services import branch
from ui import wizard as wizard_module
from ui.wizard import COMMITTEE, DONE, GROUPS, PROFILE, WELCOME, SetupWizard

# The offscreen platform warns that it cannot resize or raise windows; the app itself must not warn.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


@pytest.fixture
def wizard(qtbot, ledger):
    wiz = SetupWizard()
    qtbot.addWidget(wiz)
    wiz.show()
    qtbot.waitExposed(wiz)
    return wiz


def next_button(wiz):
    return wiz.button(QWizard.WizardButton.NextButton)


def go_next(qtbot, wiz):
    qtbot.mouseClick(next_button(wiz), Qt.MouseButton.LeftButton)


def type_text(line_edit, text):
    """Type Chinese into a line edit (QTest's key clicks only know ASCII)."""
    line_edit.setFocus()
    line_edit.insert(text)


def fill_row(rows, row, values):
    for column, value in enumerate(values):
        rows.table.item(row, column).setText(value)


def test_wizard_writes_exactly_what_was_typed(qtbot, wizard):
    assert wizard.currentId() == WELCOME
    go_next(qtbot, wizard)
    assert wizard.currentId() == PROFILE
    form = wizard.profile_page.form
    assert not next_button(wizard).isEnabled()  # no name yet
    type_text(form.name, "红星村党支部")
    assert next_button(wizard).isEnabled()
    form.branch_type.setCurrentIndex(form.branch_type.findData("village"))
    type_text(form.upper_committee, "红星镇党委")
    form.founded_on.set_value(date(1998, 7, 1))
    go_next(qtbot, wizard)

    assert wizard.currentId() == COMMITTEE
    page = wizard.committee_page
    assert page.term_years.value() == 5  # a village branch serves five years (rules.organisation)
    assert page.rows.table.rowCount() == 0
    qtbot.mouseClick(page.rows.add_button, Qt.MouseButton.LeftButton)
    assert page.rows.text(0, 1) == "书记"
    fill_row(page.rows, 0, ["周书记", "书记"])
    qtbot.mouseClick(page.rows.add_button, Qt.MouseButton.LeftButton)
    assert page.rows.text(1, 1) == "组织委员"
    fill_row(page.rows, 1, ["吴委员", "宣传委员"])
    page.rows.add_row(["", ""])  # left blank: ignored
    page.term_start.setDate(QDate(2022, 4, 15))
    go_next(qtbot, wizard)

    assert wizard.currentId() == GROUPS
    rows = wizard.groups_page.rows
    qtbot.mouseClick(rows.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(rows.add_button, Qt.MouseButton.LeftButton)
    assert rows.text(1, 0) == "第二党小组"
    fill_row(rows, 0, ["第一党小组", "周书记"])
    fill_row(rows, 1, ["第二党小组", "郑组长"])
    go_next(qtbot, wizard)

    assert wizard.currentId() == DONE
    summary = wizard.done_page.summary.text()
    assert "红星村党支部" in summary and "书记 周书记" in summary and "第二党小组（组长 郑组长）" in summary
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert wizard.result() == QDialog.DialogCode.Accepted

    assert branch.get_profile() == branch.BranchProfile(
        name="红星村党支部", branch_type="village", upper_committee="红星镇党委", founded_on=date(1998, 7, 1))
    term = CommitteeTerm.get()
    assert (term.started_on, term.length_years) == (date(2022, 4, 15), 5)
    seats = [(m.person.name, m.post) for m in CommitteeMember.select().order_by(CommitteeMember.sort_order)]
    assert seats == [("周书记", "书记"), ("吴委员", "宣传委员")]
    groups = [(g.name, g.leader.name) for g in PartyGroup.select().order_by(PartyGroup.sort_order)]
    assert groups == [("第一党小组", "周书记"), ("第二党小组", "郑组长")]
    assert sorted(p.name for p in Person.select()) == sorted(["周书记", "吴委员", "郑组长"])


def test_blank_name_keeps_next_disabled_and_cancel_writes_nothing(qtbot, wizard):
    go_next(qtbot, wizard)
    qtbot.keyClicks(wizard.profile_page.form.name, "   ")
    assert not next_button(wizard).isEnabled()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton), Qt.MouseButton.LeftButton)
    assert wizard.result() == QDialog.DialogCode.Rejected
    assert not branch.is_set_up()
    assert Branch.select().count() == Person.select().count() == AuditEntry.select().count() == 0


def test_future_founding_date_is_shown_beside_the_field(qtbot, wizard):
    go_next(qtbot, wizard)
    form = wizard.profile_page.form
    type_text(form.name, "测试支部")
    form.founded_on.set_value(date.today() + timedelta(days=3))
    go_next(qtbot, wizard)
    assert wizard.currentId() == PROFILE
    assert form.errors["founded_on"].isVisible()
    assert "晚于今天" in form.errors["founded_on"].text()


def test_service_refusal_goes_back_to_the_page_and_writes_nothing(qtbot, wizard):
    go_next(qtbot, wizard)
    type_text(wizard.profile_page.form.name, "测试支部")
    go_next(qtbot, wizard)
    wizard.committee_page.rows.add_row(["赵一", "书记"])
    go_next(qtbot, wizard)
    rows = wizard.groups_page.rows
    rows.add_row(["同名小组", ""])
    rows.add_row(["同名小组", ""])
    go_next(qtbot, wizard)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)

    assert wizard.isVisible() and wizard.currentId() == GROUPS
    assert "重复" in wizard.groups_page.error.text() and wizard.groups_page.error.isVisible()
    assert rows.table.currentRow() == 1
    assert not branch.is_set_up() and AuditEntry.select().count() == 0


def test_committee_row_without_post_is_refused_on_the_committee_page(qtbot, wizard):
    go_next(qtbot, wizard)
    type_text(wizard.profile_page.form.name, "测试支部")
    go_next(qtbot, wizard)
    wizard.committee_page.rows.add_row(["赵一", ""])
    go_next(qtbot, wizard)
    go_next(qtbot, wizard)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == COMMITTEE
    assert "职务" in wizard.committee_page.error.text()
    assert not branch.is_set_up()


def test_demo_button_creates_and_chooses_the_demo_ledger(qtbot, wizard, monkeypatch, data_home):
    calls = []

    def generate_demo(path, members, years, seed, progress):
        """A stand-in for ledger_app.demo: a set-up ledger at ``path``."""
        from ledger_app.db import open_ledger

        calls.append((members, years, seed))
        progress("正在写入……")
        with open_ledger(path):
            branch.save_profile(branch.BranchProfile(name="演示党支部", branch_type="enterprise"))

    monkeypatch.setitem(sys.modules, "ledger_app.demo", types.SimpleNamespace(generate_demo=generate_demo))
    qtbot.mouseClick(wizard.welcome_page.demo_button, Qt.MouseButton.LeftButton)
    assert calls == [(60, 3, 1)]
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert wizard.demo_path == data_home / wizard_module.DEMO_FILE_NAME
    assert wizard.demo_path.exists()


def test_demo_button_without_demo_module_says_so(qtbot, wizard, monkeypatch, messages):
    monkeypatch.setitem(sys.modules, "ledger_app.demo", None)  # import fails
    qtbot.mouseClick(wizard.welcome_page.demo_button, Qt.MouseButton.LeftButton)
    assert wizard.isVisible() and wizard.demo_path is None
    assert "演示台账" in messages.texts("warning")[0]


def test_skipping_committee_and_groups_writes_only_the_profile(qtbot, wizard):
    go_next(qtbot, wizard)
    type_text(wizard.profile_page.form.name, "只有名称的支部")
    for _ in range(3):
        go_next(qtbot, wizard)
    assert "支部委员会：未填写" in wizard.done_page.summary.text()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert branch.get_profile().name == "只有名称的支部"
    assert CommitteeTerm.select().count() == PartyGroup.select().count() == Person.select().count() == 0


def test_a_cell_still_being_edited_is_taken_in(qtbot, wizard):
    go_next(qtbot, wizard)
    type_text(wizard.profile_page.form.name, "测试支部")
    go_next(qtbot, wizard)
    rows = wizard.committee_page.rows
    qtbot.mouseClick(rows.add_button, Qt.MouseButton.LeftButton)  # opens the name cell's editor
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.insert("赵一")
    wizard.next()  # as Alt+N does: the editor still has the focus; leaving the page commits it
    assert wizard.currentId() == GROUPS
    assert wizard.committee_page.seats() == [branch.CommitteeSeat("赵一", "书记")]


def test_enter_on_the_welcome_page_goes_on_rather_than_opening_the_demo(qtbot, wizard):
    qtbot.keyClick(QApplication.focusWidget() or wizard, Qt.Key.Key_Return)
    assert wizard.currentId() == PROFILE
