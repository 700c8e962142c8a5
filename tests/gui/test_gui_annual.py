"""The 年度总结与归档 page: the statistics tab on a small demo ledger, a click on a figure, the
occupation dialog."""

from datetime import date

import pytest
from PySide6.QtCore import Qt

from ledger_app import vocab
from ledger_app.services import statistics
from ui.annual_page import AnnualPage, OccupationDialog, default_year

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]

TODAY = date(2026, 3, 1)


@pytest.fixture
def page(qtbot, demo):
    page = AnnualPage(today=TODAY)
    qtbot.addWidget(page)
    page.resize(1100, 720)
    page.show()
    qtbot.waitExposed(page)
    page.refresh()  # as the main window does when it shows a page
    return page


def test_default_year():
    assert default_year(date(2026, 1, 5)) == 2025 and default_year(date(2026, 12, 1)) == 2026


def test_tables_and_a_click_lists_the_people(page, qtbot, qtmodeltester):
    tab = page.statistics
    assert tab.year.value() == 2025
    assert tab.tables.count() == len(tab.stats.tables)
    assert tab.model.HEADERS == ("项目", "人数", "占全体党员")
    qtmodeltester.check(tab.model)
    total = tab.stats.table("overview").cell("党员总数")
    index = tab.model.index(0, 1)
    assert tab.model.data(index) == total.text
    assert tab.model.data(index, Qt.ItemDataRole.ToolTipRole).startswith("点击查看所统计的人员")
    rect = tab.table.visualRect(index)
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.counted_model.rowCount() == total.value > 0
    assert tab.counted_title.text() == f"党员总数·人数：{total.value} 人"
    qtmodeltester.check(tab.counted_model)
    page.grab().save("/tmp/annual-stats.png")


def test_meeting_figures_list_meetings(page):
    tab = page.statistics
    keys = [t.key for t in tab.stats.tables]
    tab.tables.setCurrentRow(keys.index("meetings"))
    assert tab.model.HEADERS[0] == "会议类别"
    tab.show_counted(tab.model.index(0, 4))
    cell = tab.stats.table("meetings").rows[0][4]
    assert tab.counted_model.HEADERS == ("日期", "会议类别", "会议名称")
    assert tab.counted_model.rowCount() == cell.value


def test_changing_the_year_recounts(page):
    tab = page.statistics
    tab.tables.setCurrentRow(3)
    tab.year.setValue(2024)
    tab.load()
    assert tab.stats.year == 2024 and tab.tables.currentRow() == 3


def test_occupation_dialog_saves_the_suggestions(page, qtbot, messages, monkeypatch):
    suggestions = statistics.unconfirmed_occupations()
    assert suggestions
    dialog = OccupationDialog(suggestions)
    qtbot.addWidget(dialog)
    dialog.view.selectRow(0)
    dialog.category.setCurrentIndex(dialog.category.findData("student"))
    dialog.apply_to_selection()
    assert dialog.model.data(dialog.model.index(0, 3)) == "学生"
    dialog.save()
    assert messages.texts("information")
    left = {s.person_id for s in statistics.unconfirmed_occupations()}
    assert suggestions[0].person_id not in left
    assert len(left) == sum(1 for s in suggestions[1:] if not s.suggested)


def test_summary_tab_keeps_the_clerks_text(page, qtbot, messages, tmp_path, monkeypatch):
    from ledger_app.services.annual_text import annual_texts

    tab = page.summary
    page.tabs.setCurrentIndex(1)  # reads the year's texts
    assert page.tabs.count() == 3 and tab.year.value() == 2025
    problems = list(vocab.ANNUAL_TEXT_SECTIONS).index("problems")
    tab.sections.setCurrentRow(problems)
    tab.editor.setPlainText("一是学习形式单一。")
    tab.sections.setCurrentRow(problems + 1)  # switching section saves
    assert annual_texts(2025)["problems"] == "一是学习形式单一。"
    tab.editor.setPlainText("继续抓好三会一课。")
    tab.year.setValue(2024)  # switching year saves the section to its own year
    assert annual_texts(2025)["plans"] == "继续抓好三会一课。" and annual_texts(2024) == {}
    assert tab.editor.toPlainText() == ""
    tab.year.setValue(2025)
    assert tab.editor.toPlainText() == "继续抓好三会一课。"
    assert "已填写 2/" in tab.state.text()
    out = tmp_path / "总结.docx"
    monkeypatch.setattr("ui.documents.ask_save_path", lambda *args: out)
    tab.generate("docx")
    from ledger_app.documents.word import document_text

    assert "一是学习形式单一。" in document_text(out) and "【待补充】" in document_text(out)
    page.grab().save("/tmp/annual-summary.png")


def test_summary_text_is_saved_after_typing_stops(page, qtbot):
    from ledger_app.services.annual_text import annual_texts

    tab = page.summary
    page.tabs.setCurrentIndex(1)
    tab.sections.setCurrentRow(list(vocab.ANNUAL_TEXT_SECTIONS).index("conduct"))
    tab.editor.setPlainText("严格落实中央八项规定精神。")
    assert tab.autosave.isActive()
    qtbot.waitUntil(lambda: annual_texts(2025).get("conduct") == "严格落实中央八项规定精神。", timeout=3000)


def test_pending_text_never_goes_into_another_ledger(page, tmp_path):
    from ledger_app.db import open_ledger
    from ledger_app.services.annual_text import annual_texts

    tab = page.summary
    page.tabs.setCurrentIndex(1)
    tab.editor.setPlainText("这段话属于演示台账。")
    other = open_ledger(tmp_path / "另一个台账.sqlite3")  # the window switched ledgers
    try:
        assert tab.save()
        assert annual_texts(2025) == {}
        page.refresh()
        assert tab.editor.toPlainText() == ""
    finally:
        other.close()


def test_archive_tab_runs_the_archive(page, monkeypatch):
    calls = []
    monkeypatch.setattr("ui.archive_dialog.run_archive", lambda parent, year: calls.append(year))
    tab = page.archive
    page.tabs.setCurrentIndex(2)
    assert tab.year.value() == 2025  # March: the year just closed
    assert tab.sections.count() >= 18 and tab.sections.item(0).text().startswith("01 ")
    tab.archive_button.click()
    assert calls == [2025]
