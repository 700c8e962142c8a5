"""归档全年台账 from the GUI: the progress dialog, its 取消, and the menu action."""

import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from ledger_app import archive
from ledger_app.archive import ArchiveDocument, Section
from ui import archive_dialog

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


def small_book(monkeypatch, documents: int, pause: float = 0.0):
    from ledger_app.documents.listing import block, listing_context, make_listing

    def writer(out):
        time.sleep(pause)
        return make_listing(listing_context("测试文书", "测试第一党支部", "2025年度", [block("", ["内容"])], "今天"), out)

    monkeypatch.setattr(archive, "sections", lambda: [Section(1, "测试栏目", lambda info: [
        ArchiveDocument(f"文书{i}", f"文书{i}", writer) for i in range(documents)])])


def test_archive_runs_behind_a_progress_dialog_and_says_where(qtbot, set_up_ledger, messages, monkeypatch, tmp_path):
    small_book(monkeypatch, documents=3)
    seen = []
    QTimer.singleShot(0, lambda: seen.extend(w.labelText() for w in QApplication.topLevelWidgets()
                                             if isinstance(w, QProgressDialog) and w.isVisible()))
    folder = archive_dialog.run_archive(None, 2025, tmp_path)
    assert folder == tmp_path / "测试第一党支部2025年度工作台账"
    assert (folder / archive.book_name(2025)).exists()
    assert seen and seen[0].startswith("正在归档2025年度台账")
    kind, title, text = messages[-1]
    assert (kind, title) == ("question", "归档完成") and str(folder) in text
    # a second archive of the same year goes beside it, never over it
    assert archive_dialog.run_archive(None, 2025, tmp_path) == tmp_path / "测试第一党支部2025年度工作台账（2）"


def test_cancel_in_the_progress_dialog_leaves_nothing(qtbot, set_up_ledger, messages, monkeypatch, tmp_path):
    small_book(monkeypatch, documents=40, pause=0.02)
    cancelled_at = []

    def watch():
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
        if dialogs and dialogs[0].value() >= 4:
            cancelled_at.append(dialogs[0].value())
            dialogs[0].findChild(QPushButton).click()  # 取消
        else:
            QTimer.singleShot(10, watch)

    QTimer.singleShot(0, watch)
    parent = tmp_path / "out"
    parent.mkdir()
    assert archive_dialog.run_archive(None, 2025, parent) is None
    assert cancelled_at and cancelled_at[0] < 80
    assert messages[-1][:2] == ("information", "已取消归档")
    assert list(parent.iterdir()) == []  # no archive folder and no hidden temporary folder


def test_a_bad_year_is_refused_before_asking_for_a_folder(qtbot, set_up_ledger, messages, monkeypatch):
    monkeypatch.setattr(archive_dialog, "choose_parent_folder", lambda *a: pytest.fail("asked for a folder"))
    assert archive_dialog.run_archive(None, 1900) is None
    assert "1921" in messages.texts("warning")[-1]


def test_the_file_menu_offers_the_archive(window, monkeypatch, tmp_path, messages):
    small_book(monkeypatch, documents=1)
    monkeypatch.setattr(archive_dialog, "ask_year", lambda parent: 2025)
    monkeypatch.setattr(archive_dialog, "choose_parent_folder", lambda parent, year: tmp_path)
    menu = window.menuBar().actions()[0].menu()
    assert window.archive_action in menu.actions()
    window.archive_action.trigger()
    assert (tmp_path / "测试第一党支部2025年度工作台账").is_dir()


def test_default_year_is_last_year_until_april():
    from datetime import date

    assert archive_dialog.default_year(date(2026, 3, 31)) == 2025
    assert archive_dialog.default_year(date(2026, 4, 1)) == 2026
