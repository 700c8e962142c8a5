"""The 党员 page: instant search, filters and the count, SQL sorting from the header, the card, export and print."""

import sys
import types
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialog

from ledger_app.db import open_ledger
from ledger_app.demo import generate_demo
from ledger_app.models import PartyGroup, Person
from ledger_app.rules.id_number import check_character
from ledger_app.services.roster import RosterQuery
from ui import documents
from ui.members_page import MembersPage
from ui.roster_model import BATCH, COLUMNS, ID_ROLE, RosterModel

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


def an_id(first17: str) -> str:
    return first17 + check_character(first17)


@pytest.fixture
def people(ledger):
    """Five members on the roll in two groups and none, one transferred out, one applicant."""
    first = PartyGroup.create(name="第一党小组", sort_order=1)
    second = PartyGroup.create(name="第二党小组", sort_order=2)
    made = {}
    for name, group, stage, state, mobile, birth, number in [
        ("张建国", first, "full", "active", False, date(1970, 3, 1), an_id("11010519700301001")),
        ("王芳", first, "probationary", "active", False, date(1995, 8, 8), an_id("31010119950808002")),
        ("李明", second, "full", "active", True, date(1980, 1, 1), an_id("44010319800101003")),
        ("赵雪", second, "full", "active", False, date(1960, 6, 6), None),
        ("陈无组", None, "full", "active", False, None, None),
        ("周转出", first, "full", "transferred_out", False, None, None),
        ("吴申请", first, "applicant", "active", False, None, None),
    ]:
        made[name] = Person.create(name=name, group=group, stage=stage, membership_state=state, is_mobile=mobile,
                                   birth_date=birth, id_number=number, sex="male")
    return made


@pytest.fixture
def page(qtbot, people):
    widget = MembersPage()
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.refresh()
    return widget


def shown_names(page: MembersPage) -> list[str]:
    return [page.model.index(row, 0).data() for row in range(page.model.rowCount())]


@pytest.fixture
def card_dialogs(monkeypatch):
    """A stand-in ``ui.member_card`` module: records each dialog opened and the person it was for."""
    opened = []

    class FakeCardDialog:
        def __init__(self, person_id, parent):
            self.person_id = person_id
            opened.append(person_id)

        def exec(self):
            return QDialog.DialogCode.Accepted

        def deleteLater(self):
            pass

    module = types.ModuleType("ui.member_card")
    module.MemberCardDialog = FakeCardDialog
    monkeypatch.setitem(sys.modules, "ui.member_card", module)
    return opened


# --- the model ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    generate_demo(path, members=300, years=1, seed=2, today=date(2026, 6, 30))
    return path


@pytest.fixture
def demo_ledger(demo_file):
    opened = open_ledger(demo_file, readonly=True)
    yield opened
    opened.close()


def test_the_roster_model_passes_the_model_tester(qtmodeltester, demo_ledger):
    model = RosterModel()
    model.set_query(RosterQuery())
    assert model.rowCount() == 300
    qtmodeltester.check(model)
    model.set_query(RosterQuery(text="z", state=None, sort_key="group", descending=True))
    qtmodeltester.check(model)
    model.set_query(RosterQuery(text="no such person"))
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_the_model_reads_a_batch_of_rows_the_first_time_one_is_painted(demo_ledger, monkeypatch):
    from ledger_app.services import roster

    model = RosterModel()
    model.set_query(RosterQuery())
    asked = []
    real = roster.rows_for
    monkeypatch.setattr(roster, "rows_for", lambda ids, today=None: asked.append(list(ids)) or real(ids, today))
    assert model.index(0, 0).data()
    assert model.index(5, 3).data()  # same batch: no new query
    assert asked == [model.ids[:BATCH]]
    model.index(BATCH + 1, 0).data()
    assert asked[1] == model.ids[BATCH:2 * BATCH]
    model.set_query(RosterQuery(text=model.index(0, 0).data()))  # rows read before are reused
    model.index(0, 0).data()
    assert len(asked) == 2
    model.refresh()  # the ledger may have changed: read afresh
    model.index(0, 0).data()
    assert len(asked) == 3
    assert model.index(0, 0).data(ID_ROLE) == model.ids[0]


# --- search, filters, count ---------------------------------------------------------------------

def test_typing_pinyin_initials_finds_the_member(qtbot, page):
    assert page.count.text() == "共 5 人"
    qtbot.keyClicks(page.search, "zjg")
    assert shown_names(page) == ["张建国"]
    assert page.count.text() == "共 1 人"


def test_search_by_name_and_id_number(qtbot, page):
    page.search.setText("王")  # QTest types only Latin-1 keys; an input method delivers text
    assert shown_names(page) == ["王芳"]
    page.search.clear()
    qtbot.keyClicks(page.search, "4401")
    assert shown_names(page) == ["李明"]
    page.search.setText("３１０１０１")  # full-width digits as an input method types them
    assert shown_names(page) == ["王芳"]


def test_escape_clears_the_search_and_ctrl_f_focuses_it(qtbot, page):
    page.activateWindow()
    qtbot.waitActive(page)
    page.table.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.search
    qtbot.keyClicks(page.search, "zjg")
    assert page.count.text() == "共 1 人"
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert page.search.text() == ""
    assert page.count.text() == "共 5 人"
    qtbot.keyClick(page.search, Qt.Key.Key_Down)  # ↓ goes on to the list, on its first row
    assert QApplication.focusWidget() is page.table
    assert page.selected_id() == page.model.ids[0]


def test_filters_change_the_list_and_the_count(page):
    page.group.setCurrentIndex(page.group.findText("第二党小组"))
    assert shown_names(page) == ["李明", "赵雪"]
    assert page.count.text() == "共 2 人"
    page.group.setCurrentIndex(page.group.findText("未分组"))
    assert shown_names(page) == ["陈无组"]
    page.group.setCurrentIndex(page.group.findText("全部"))
    page.stage.setCurrentIndex(page.stage.findText("预备党员"))
    assert page.count.text() == "共 1 人"
    page.stage.setCurrentIndex(page.stage.findText("全部"))
    page.mobile.setCurrentIndex(page.mobile.findText("流动党员"))
    assert shown_names(page) == ["李明"]
    page.mobile.setCurrentIndex(page.mobile.findText("全部"))
    page.state.setCurrentIndex(page.state.findText("转出"))
    assert shown_names(page) == ["周转出"]
    page.state.setCurrentIndex(page.state.findText("全部"))
    assert page.count.text() == "共 6 人"  # every state, still only members (not the applicant)


def test_the_state_column_shows_only_when_every_state_is_listed(page):
    state_column = next(n for n, (heading, _, _) in enumerate(COLUMNS) if heading == "党籍状态")
    assert page.table.isColumnHidden(state_column)
    page.state.setCurrentIndex(page.state.findText("全部"))
    assert not page.table.isColumnHidden(state_column)


def test_clicking_a_header_sorts_in_sql_and_again_reverses(qtbot, page):
    header = page.table.horizontalHeader()
    column = next(n for n, (heading, _, _) in enumerate(COLUMNS) if heading == "出生日期")

    def click():
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))

    click()
    assert (page.model.query.sort_key, page.model.query.descending) in {("birth_date", False), ("birth_date", True)}
    if page.model.query.descending:
        click()
    assert shown_names(page) == ["赵雪", "张建国", "李明", "王芳", "陈无组"]  # no birth date: last
    click()
    assert page.model.query.descending
    assert shown_names(page) == ["王芳", "李明", "张建国", "赵雪", "陈无组"]


def test_a_new_search_keeps_the_selected_member_when_they_still_match(qtbot, page, people):
    page.select_person(people["李明"].id)
    qtbot.keyClicks(page.search, "l")
    assert page.selected_id() == people["李明"].id
    page.refresh()
    assert page.selected_id() == people["李明"].id


# --- the card -----------------------------------------------------------------------------------

def test_enter_and_double_click_open_the_card_of_that_member(qtbot, page, people, card_dialogs):
    qtbot.keyClicks(page.search, "zjg")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # to the list, on the first match
    assert QApplication.focusWidget() is page.table
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert card_dialogs == [people["张建国"].id]
    page.search.clear()
    row = page.model.row_of(people["李明"].id)
    centre = page.table.visualRect(page.model.index(row, 0)).center()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)  # QTest's double click
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)  # lacks the first click
    assert card_dialogs == [people["张建国"].id, people["李明"].id]
    assert page.selected_id() == people["李明"].id  # still selected after the list was read again


def test_the_buttons_open_a_new_card_and_the_selected_one(qtbot, page, people, messages, card_dialogs):
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert card_dialogs == [None]
    page.table.clearSelection()
    page.table.setCurrentIndex(page.model.index(-1, -1))
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert messages.texts("warning") == ["请先在列表中选中一名党员，再打开档案。"]
    page.select_person(people["赵雪"].id)
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert card_dialogs == [None, people["赵雪"].id]


def test_a_member_added_on_the_card_appears_and_is_selected(page, monkeypatch):
    class AddingDialog:
        def __init__(self, person_id, parent):
            self.person_id = person_id

        def exec(self):
            self.person_id = Person.create(name="郑新人", stage="probationary").id
            return QDialog.DialogCode.Accepted

        def deleteLater(self):
            pass

    monkeypatch.setitem(sys.modules, "ui.member_card", types.SimpleNamespace(MemberCardDialog=AddingDialog))
    page.open_card(None)
    assert page.count.text() == "共 6 人"
    assert page.model.index(page.table.currentIndex().row(), 0).data() == "郑新人"


def test_a_missing_card_module_is_a_message_not_a_crash(page, messages, monkeypatch):
    monkeypatch.setitem(sys.modules, "ui.member_card", None)
    page.open_card(None)
    assert messages.texts("warning") == ["党员档案窗口在本版本中还没有提供。"]


def test_an_import_reads_the_list_again(page, monkeypatch):
    class ImportDialog:
        def __init__(self, parent):
            pass

        def exec(self):
            group = PartyGroup.create(name="第三党小组", sort_order=3)
            Person.create(name="孙导入", stage="full", group=group)
            return QDialog.DialogCode.Accepted

        def deleteLater(self):
            pass

    monkeypatch.setitem(sys.modules, "ui.roster_import_dialog",
                        types.SimpleNamespace(RosterImportDialog=ImportDialog))
    page.import_button.click()
    assert "孙导入" in shown_names(page)
    assert page.group.findText("第三党小组") >= 0  # the new group is offered in the filter


# --- export and print ---------------------------------------------------------------------------

@pytest.fixture
def saved(monkeypatch):
    calls = []

    def save_document(parent, title, file_name, make, formats=("pdf", "docx"), path=None):
        calls.append((title, file_name, make, formats))
        return None

    monkeypatch.setattr(documents, "save_document", save_document)
    return calls


def test_export_writes_the_excel_roster(page, saved, tmp_path):
    page.export_button.click()
    [(title, file_name, make, formats)] = saved
    assert (title, file_name, formats) == ("导出花名册", "党员花名册（含个人信息）", ("xlsx",))
    out = tmp_path / "花名册.xlsx"
    assert make(out) == out
    assert out.stat().st_size > 0


@pytest.mark.parametrize("full_id", [False, True])
def test_print_makes_the_roster_masked_unless_asked(page, saved, monkeypatch, tmp_path, full_id):
    from ledger_app.documents import roster as roster_document

    made = []
    monkeypatch.setattr(roster_document, "make_roster", lambda out, full_id=False: made.append(full_id) or Path(out))
    page.full_id.setChecked(full_id)
    page.print_button.click()
    [(title, file_name, make, formats)] = saved
    assert (title, file_name, formats) == ("打印花名册", "党员花名册", ("pdf", "docx"))
    assert make(tmp_path / "r.pdf") == tmp_path / "r.pdf"
    assert made == [full_id]


# --- in the window ------------------------------------------------------------------------------

def test_the_window_shows_the_page_with_its_count(window):
    window.show_page("members")
    page = window.current_page()
    assert isinstance(page, MembersPage)
    assert page.count.text() == "共 3 人"  # 赵一, 钱二 and 孙三 from the set-up
