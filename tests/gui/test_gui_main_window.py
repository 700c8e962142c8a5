"""The main window: navigation, placeholder pages, audit page, settings, backups, switching ledgers."""

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtWidgets import QFileDialog

from ledger_app import backup
from ledger_app.db import open_ledger
from ledger_app.errors import LedgerError
from ledger_app.services import branch
from ui import main_window as main_window_module
from ui.main_window import PAGE_KEYS, MainWindow, PlaceholderPage

# The offscreen platform warns that it cannot resize or raise windows; the app itself must not warn.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


def test_title_and_status_bar_name_the_ledger(window, set_up_ledger):
    assert window.windowTitle() == f"党务台账 — 测试第一党支部 — {set_up_ledger.path.name}"
    assert str(set_up_ledger.path) in window.path_label.text()
    assert "尚未备份" in window.backup_label.text()


def test_clicking_each_navigation_item_shows_its_page(qtbot, window):
    for row, key in enumerate(PAGE_KEYS):
        item = window.nav.item(row)
        center = window.nav.visualItemRect(item).center()
        qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=center)
        assert window.current_page() is window.pages[key]


def test_ctrl_number_shortcuts_and_arrow_keys_switch_pages(qtbot, window):
    window.activateWindow()
    qtbot.waitActive(window)
    for number, key in reversed(list(enumerate(PAGE_KEYS, start=1))):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert window.current_page_key() == key
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert window.current_page_key() == PAGE_KEYS[1]


def test_pages_built_later_say_so(window):
    pages = {key: window.page(key) for key in PAGE_KEYS}
    placeholders = {key: page for key, page in pages.items() if isinstance(page, PlaceholderPage)}
    assert set(placeholders) == set()  # every page is built now; a new area starts as a placeholder
    for page in placeholders.values():
        assert "后续版本" in page.sentence.text()


def test_workbench_shows_the_overview(window):
    page = window.workbench
    assert page.title.text() == "测试第一党支部"
    assert "企业" in page.subtitle.text()
    assert page.full.figure.text() == "3"  # 赵一, 钱二 and 孙三 were named in the set-up
    assert page.groups.figure.text() == "1"
    assert page.term_text.text() == "本届任期至 2026年3月1日"
    assert page.term_reminder.text().startswith("任期已于 2026年3月1日 届满")  # the set-up's term began 2023-03-01
    assert not page.term_reminder.isHidden() and "color" in page.term_reminder.styleSheet()
    page.refresh(today=date(2025, 9, 2))
    assert page.term_reminder.text().startswith("距任期届满（2026年3月1日）已不足 6 个月")
    page.refresh(today=date(2025, 8, 31))
    assert page.term_reminder.isHidden()


def test_workbench_buttons_go_to_their_pages(qtbot, window):
    qtbot.mouseClick(window.workbench.pipeline.button, Qt.MouseButton.LeftButton)
    assert window.current_page_key() == "development"


def test_audit_page_lists_the_set_up_newest_first(qtbot, qtmodeltester, window):
    window.show_page("audit")
    model = window.audit_page.model
    qtmodeltester.check(model)
    summaries = [model.index(row, 4).data() for row in range(model.rowCount())]
    assert summaries[-1] == "建立支部基本信息"
    assert "新建党小组 第一党小组" in summaries
    assert model.index(0, 1).data() in ("新增", "修改")
    ids = [row.id for row in model.rows]
    assert ids == sorted(ids, reverse=True)
    window.audit_page.table.selectRow(model.rowCount() - 1)
    assert "测试第一党支部" in window.audit_page.detail.toPlainText()


def test_settings_page_saves_a_change(qtbot, window):
    window.show_page("settings")
    form = window.settings_page.form
    assert form.name.text() == "测试第一党支部"
    form.name.setText("测试第二党支部")
    form.phone.setText("010-12345678")
    qtbot.mouseClick(window.settings_page.save_button, Qt.MouseButton.LeftButton)
    profile = branch.get_profile()
    assert (profile.name, profile.phone) == ("测试第二党支部", "010-12345678")
    assert "测试第二党支部" in window.windowTitle()
    window.show_page("audit")
    window.audit_page.table.selectRow(0)
    detail = window.audit_page.detail.toPlainText()
    assert "修改支部基本信息" in detail and "联系电话：（空） → 010-12345678" in detail
    assert "支部名称：测试第一党支部 → 测试第二党支部" in detail


def test_settings_page_shows_a_future_date_beside_the_field_and_saves_nothing(qtbot, window):
    window.show_page("settings")
    form = window.settings_page.form
    form.upper_committee.setText("别的党委")
    form.founded_on.set_value(date.today() + timedelta(days=30))
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    error = form.errors["founded_on"]
    qtbot.waitUntil(error.isVisible)  # a button's shortcut clicks it with a short animation
    assert "晚于今天" in error.text()
    assert branch.get_profile().upper_committee == "测试公司党委"
    assert branch.get_profile().founded_on == date(2001, 7, 1)
    qtbot.mouseClick(window.settings_page.revert_button, Qt.MouseButton.LeftButton)
    assert form.founded_on.value() == date(2001, 7, 1) and not error.isVisible()


def test_window_geometry_is_saved_and_restored(qtbot, set_up_ledger):
    first = MainWindow(set_up_ledger)
    first.skip_backup = True
    qtbot.addWidget(first)
    first.show()
    first.resize(700, 480)
    first.move(QPoint(20, 30))
    geometry = first.geometry()
    first.save_geometry()
    second = MainWindow(set_up_ledger)
    second.skip_backup = True
    qtbot.addWidget(second)
    second.show()
    assert second.size() == QSize(700, 480)
    assert second.geometry() == geometry


def test_backup_now_makes_a_backup_and_says_where(window, messages):
    target = window.backup_now()
    assert target is not None and target.exists()
    assert str(target) in messages.texts("information")[0]
    assert "尚未备份" not in window.backup_label.text()
    assert backup.last_backup_time(window.ledger.path) is not None


def test_backup_failure_is_a_message(window, messages, monkeypatch):
    def refuse(*args, **kwargs):
        raise LedgerError("无法创建备份文件夹“X:\\”：设备未就绪")

    monkeypatch.setattr(backup, "make_backup", refuse)
    assert window.backup_now() is None
    assert "设备未就绪" in messages.texts("warning")[0]


def test_restore_shows_what_the_backup_holds_then_restores(window, messages, monkeypatch):
    saved = backup.make_backup(window.ledger.path)
    branch.save_profile(branch.BranchProfile(name="改过的名称", branch_type="enterprise"))
    questions = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), ""))
    monkeypatch.setattr(main_window_module, "confirm", lambda parent, title, text, ok: questions.append(text) or True)

    window.restore_from_backup()

    text = questions[0]
    assert "测试第一党支部" in text and "在册党员：3 人" in text and "会议：0 次" in text
    assert "党费记录：0 条" in text and "最后修改" in text and "先把当前台账自动备份" in text
    assert window.ledger is not None
    assert branch.get_profile().name == "测试第一党支部"
    assert "测试第一党支部" in window.windowTitle()
    assert "被替换的台账已备份到" in messages.texts("information")[0]


def test_restore_not_confirmed_changes_nothing(window, monkeypatch):
    saved = backup.make_backup(window.ledger.path)
    branch.save_profile(branch.BranchProfile(name="改过的名称", branch_type="enterprise"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), ""))
    monkeypatch.setattr(main_window_module, "confirm", lambda *a: False)
    window.restore_from_backup()
    assert branch.get_profile().name == "改过的名称"


def _wizard_exec(name: str | None):
    """A stand-in for SetupWizard.exec: fill in a name and finish, or cancel (None)."""
    def exec_(wizard):
        if name is None:
            wizard.reject()
        else:
            wizard.profile_page.form.name.setText(name)
            wizard.accept()
        return wizard.result()
    return exec_


def test_new_ledger_runs_the_wizard_and_releases_the_old_one(window, tmp_path, monkeypatch):
    old_path = window.ledger.path
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "第二个"), ""))
    monkeypatch.setattr("ui.wizard.SetupWizard.exec", _wizard_exec("第二党支部"))
    window.show_page("settings")
    window.new_action.trigger()
    assert window.ledger.path == tmp_path / "第二个.sqlite3"
    assert branch.get_profile().name == "第二党支部"
    assert "第二党支部" in window.windowTitle() and window.current_page_key() == "workbench"
    open_ledger(old_path).close()  # the old ledger's lock was released


def test_cancelled_wizard_keeps_the_current_ledger(window, tmp_path, monkeypatch):
    old_path = window.ledger.path
    monkeypatch.setattr("ui.wizard.SetupWizard.exec", _wizard_exec(None))
    assert not window.switch_to(tmp_path / "另一个.sqlite3")
    assert window.ledger.path == old_path
    assert branch.get_profile().name == "测试第一党支部"


def test_opening_a_ledger_in_use_says_who_holds_it(window, tmp_path, messages):
    other = open_ledger(tmp_path / "别人的.sqlite3", program="党务台账命令行")
    try:
        assert not window.switch_to(other.path)
    finally:
        other.close()
    assert "正被另一个程序使用" in messages.texts("critical")[0]
    assert "党务台账命令行" in messages.texts("critical")[0]
    assert branch.get_profile().name == "测试第一党支部"


def test_new_ledger_refuses_an_existing_file(window, monkeypatch, messages):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(window.ledger.path), ""))
    window.new_ledger()
    assert "已经存在" in messages.texts("warning")[0]


def test_about_names_version_ledger_and_font_licence(window, messages):
    window.about_action.trigger()
    text = messages.texts("about")[0]
    assert "0.1.0" in text and window.ledger.path.name in text and "文泉驿微米黑" in text


def test_close_makes_the_daily_backup_and_releases_the_lock(qtbot, set_up_ledger):
    win = MainWindow(set_up_ledger)
    qtbot.addWidget(win)
    win.show()
    path = set_up_ledger.path
    win.close()
    assert backup.last_backup_time(path) is not None
    assert win.ledger is None
    open_ledger(path).close()


def test_only_the_workbench_is_built_at_start(window):
    assert set(window.pages) == {"workbench"}  # the rest are built when first shown (start-up time)
    window.show_page("audit")
    assert set(window.pages) == {"workbench", "audit"}


def test_workbench_counts_overdue_transfer_receipts(qtbot, window):
    from ledger_app.services import transfers
    from ledger_app.services.members import roster_rows

    card = window.workbench.receipts
    assert card.figure.text() == "0"
    member = roster_rows()[0]
    transfer_id = transfers.register_transfer_out(transfers.TransferOutDraft(
        person_id=member.id, to_org="中共某区委组织部", transferred_on=date.today() - timedelta(days=45)))
    window.workbench.refresh()
    assert card.figure.text() == "1"
    assert "color" in card.figure.styleSheet()  # red: something to chase
    assert "超过一个月未寄回" in window.workbench.receipts_text.text()
    transfers.mark_receipt_returned(transfer_id, date.today())
    window.workbench.refresh()
    assert card.figure.text() == "0"
    assert card.figure.styleSheet() == ""
    qtbot.mouseClick(card.button, Qt.MouseButton.LeftButton)
    assert window.current_page_key() == "transfers"


def test_workbench_counts_members_behind_with_dues(qtbot, window):
    """The figure counts everyone 3 months or more behind; those at 6 without a reason are named
    apart and turn the figure red."""
    from ledger_app.services import dues
    from ledger_app.services.members import roster_rows

    card = window.workbench.dues
    assert card.figure.text() == "0" and card.figure.styleSheet() == ""
    assert "没有" in window.workbench.dues_text.text() and "没有" in window.workbench.dues_flagged.text()
    today = date.today()
    now = today.year * 12 + today.month - 1
    paid_up, behind, never = sorted(roster_rows(), key=lambda m: m.name)[:3]
    for year in (today.year - 1, today.year):
        for member in (paid_up, behind, never):
            dues.set_base(member.id, year, 510000, "in_service")

    def pay(member, through: int) -> None:  # every month from January last year to the month index ``through``
        for year in (today.year - 1, today.year):
            months = [m for m in range(1, 13) if year * 12 + m - 1 <= through]
            if months:
                dues.mark_paid([member.id], year, months, date(year, 1, 1), "cash")

    pay(paid_up, now)
    pay(behind, now - 3)  # the last 3 months unpaid
    window.workbench.refresh()
    assert card.figure.text() == "2"
    assert "连续 3 个月以上未交" in window.workbench.dues_text.text()
    assert window.workbench.dues_flagged.text().startswith("其中 1 人连续 6 个月未交")  # never paid
    assert "color" in window.workbench.dues_flagged.styleSheet() and "color" in card.figure.styleSheet()
    summary = dues.arrears_summary(today)
    assert (summary.warned, summary.flagged) == (1, 1)
    qtbot.mouseClick(card.button, Qt.MouseButton.LeftButton)
    assert window.current_page_key() == "dues"
    assert window.current_page().grid_model.rowCount() == 3


def test_workbench_shows_the_meetings_due_red_amber_green(qtbot, window, monkeypatch):
    """Red: the last period went without a meeting; amber: due this period; green: held this period."""
    from ledger_app.services import meetings
    from ui import workbench
    from ui.workbench import DUE_COLOURS

    monkeypatch.setattr(workbench, "DUE_LINES", 20)  # room for the yearly kinds' lines too

    today = date.today()
    # 组织生活会 and 民主评议党员 cannot be set below yearly: their lines are left out below
    meetings.put_meeting_frequencies({"committee": "monthly", "general_assembly": "quarterly", "theme_day": "monthly",
                                      "group": "none", "lecture": "none"})
    meetings.create_meeting(meetings.MeetingDraft(kind="committee", held_on=today, title="本月支委会"))
    last_month = today.replace(day=1) - timedelta(days=1)
    meetings.create_meeting(meetings.MeetingDraft(kind="theme_day", held_on=last_month, title="上月主题党日"))
    window.workbench.refresh()
    lines = [(button.property("due_status"), button.text()) for button in window.workbench.due_buttons
             if "组织生活会" not in button.text() and "民主评议" not in button.text()]
    assert [status for status, _ in lines] == ["red", "red", "amber", "amber", "green"]
    texts = dict(reversed(lines))
    assert texts["red"].startswith("● 支部党员大会：") and "未召开" in texts["red"]
    assert "支部委员会" in lines[1][1] and "未召开" in lines[1][1]  # last month's 支委会
    assert "主题党日" in " ".join(text for status, text in lines if status == "amber")
    assert texts["green"].startswith("● 支部委员会：") and "已召开" in texts["green"]
    for button in window.workbench.due_buttons:
        assert DUE_COLOURS[button.property("due_status")] in button.styleSheet()
    qtbot.mouseClick(window.workbench.due_buttons[0], Qt.MouseButton.LeftButton)
    assert window.current_page_key() == "meetings"
    assert window.current_page().model.rowCount() == 2


def test_settings_page_copies_and_restores_word_templates(qtbot, window, monkeypatch):
    from ledger_app.documents import word
    from ui import settings_page as settings_module

    calls, opened = [], []
    copy, restore = word.copy_template_for_editing, word.restore_default_template
    monkeypatch.setattr(word, "copy_template_for_editing", lambda name: calls.append(("copy", name)) or copy(name))
    monkeypatch.setattr(word, "restore_default_template", lambda name: calls.append(("restore", name)) or restore(name))
    monkeypatch.setattr(settings_module.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    window.show_page("settings")
    page = window.settings_page
    names = [page.templates.item(i).data(Qt.ItemDataRole.UserRole) for i in range(page.templates.count())]
    assert {"minutes.docx", "signin.docx", "minutes_lecture.docx"} <= set(names)
    for i, name in enumerate(names):
        if name in ("minutes.docx", "signin.docx"):
            page.templates.item(i).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(page.open_templates_button, Qt.MouseButton.LeftButton)
    assert calls == [("copy", "minutes.docx"), ("copy", "signin.docx")]
    assert opened == [str(word.custom_templates_dir())]
    assert (word.custom_templates_dir() / "minutes.docx").exists()
    assert "使用本单位修改的模板" in page.templates.item(names.index("minutes.docx")).text()

    asked = []
    monkeypatch.setattr(settings_module, "confirm", lambda *args: asked.append(args[2]) or False)
    for i in range(page.templates.count()):
        page.templates.item(i).setCheckState(Qt.CheckState.Unchecked)
    assert page.restore_templates() == []  # 取消: nothing restored
    assert "会议记录" in asked[0] and "签到表" in asked[0]
    monkeypatch.setattr(settings_module, "confirm", lambda *args: True)
    assert page.restore_templates() == ["minutes.docx", "signin.docx"]  # none ticked: every own copy
    assert calls[2:] == [("restore", "minutes.docx"), ("restore", "signin.docx")]
    assert not (word.custom_templates_dir() / "minutes.docx").exists()


def test_a_page_visited_again_reads_again_only_after_a_write(qtbot, window, monkeypatch):
    import threading

    from ledger_app.services import transfers
    from ledger_app.services.members import roster_rows

    window.show_page("audit")
    reads = []
    monkeypatch.setattr(window.audit_page, "refresh", lambda: reads.append(window.current_page_key()))

    def visit_again() -> None:
        window.show_page("workbench")
        window.show_page("audit")

    visit_again()
    assert reads == []  # nothing changed: the page shows what it read
    member = roster_rows()[0]
    transfer_id = transfers.register_transfer_out(transfers.TransferOutDraft(
        person_id=member.id, to_org="中共某区委组织部", transferred_on=date.today()))
    visit_again()
    assert reads == ["audit"]  # a service wrote on this thread
    visit_again()
    assert reads == ["audit"]
    worker = threading.Thread(target=lambda: transfers.mark_receipt_returned(transfer_id, date.today()))
    worker.start()
    worker.join()
    visit_again()
    assert reads == ["audit", "audit"]  # a write over another connection counts too
