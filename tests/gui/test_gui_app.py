"""Start-up: Chinese Qt, the bundled font, the lock message, one window per ledger, crash logs."""

import os
import sys
import threading
import time
from datetime import date

import pytest
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QPushButton

from ledger_app import backup
from ledger_app.db import open_ledger
from ledger_app.errors import LedgerError
from ledger_app.services import branch
from ui import app as app_module
from ui import crash, crash_dialog, single_instance

# The offscreen platform warns that it cannot resize or raise windows; the app itself must not warn.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


def test_qt_dialogs_speak_chinese(qapp):
    box = QMessageBox()
    box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    assert box.button(QMessageBox.StandardButton.Ok).text() == "确定"
    assert box.button(QMessageBox.StandardButton.Cancel).text() == "取消"
    box.deleteLater()


def test_bundled_font_is_registered_and_used(qapp):
    family = app_module.register_bundled_font()
    assert family == "WenQuanYi Micro Hei"
    assert family in QFontDatabase.families()
    assert family in qapp.font().families()
    assert qapp.font().pointSize() == app_module.FONT_POINT_SIZE


def test_application_names(qapp):
    assert (qapp.organizationName(), qapp.applicationName()) == ("PartyLedger", "党务台账")


def make_set_up_ledger(path):
    with open_ledger(path):
        branch.save_profile(branch.BranchProfile(name="测试支部", branch_type="other", founded_on=date(2000, 1, 1)))


def test_run_on_a_locked_ledger_says_who_holds_it_and_exits_3(qapp, ledger_path, messages):
    make_set_up_ledger(ledger_path)
    holder = open_ledger(ledger_path, program="party-ledger backup")
    try:
        assert app_module.run(str(ledger_path)) == 3
    finally:
        holder.close()
    text = messages.texts("critical")[0]
    assert "正被另一个程序使用" in text and "party-ledger backup" in text


def test_run_with_the_startup_probe_shows_the_window_and_skips_the_backup(qapp, ledger_path, monkeypatch, capsys):
    make_set_up_ledger(ledger_path)
    monkeypatch.setenv(app_module.PROBE_ENV, "1")
    assert app_module.run(str(ledger_path)) == 0
    assert capsys.readouterr().out.strip() == "shown"
    assert backup.last_backup_time(ledger_path) is None
    open_ledger(ledger_path).close()  # closed and unlocked


def test_run_cancelled_wizard_writes_nothing(qapp, ledger_path, monkeypatch):
    monkeypatch.setattr("ui.wizard.SetupWizard.exec", lambda wizard: QDialog.DialogCode.Rejected)
    assert app_module.run(str(ledger_path)) == 0
    with open_ledger(ledger_path, readonly=True):
        assert not branch.is_set_up()


def test_second_launch_asks_the_first_to_raise_and_exits_0(qtbot, ledger_path):
    from ledger_app.db import open_ledger

    first = open_ledger(ledger_path, program="党务台账（图形界面）")  # the first window holds the ledger
    server = single_instance.InstanceServer()
    assert server.listen(single_instance.server_name(ledger_path))
    try:
        with qtbot.waitSignal(server.raise_requested, timeout=5000):
            assert app_module.run(str(ledger_path)) == 0
    finally:
        server.close()
        first.close()


def test_raise_message_reaches_the_server(qtbot, tmp_path):
    name = single_instance.server_name(tmp_path / "a.sqlite3")
    server = single_instance.InstanceServer()
    assert server.listen(name)
    try:
        with qtbot.waitSignal(server.raise_requested, timeout=5000):
            assert single_instance.send_raise(name)
    finally:
        server.close()
    assert not single_instance.send_raise(name, timeout_ms=200)


def test_server_names_follow_the_ledger_path(tmp_path):
    a = single_instance.server_name(tmp_path / "a.sqlite3")
    assert a.startswith("party-ledger-") and a == single_instance.server_name(tmp_path / "a.sqlite3")
    assert a != single_instance.server_name(tmp_path / "b.sqlite3")


def test_raise_request_brings_the_window_forward(qtbot, window):
    server = single_instance.InstanceServer()
    window.server = server
    server.raise_requested.connect(window.bring_to_front)
    window.showMinimized()
    server.raise_requested.emit()
    assert not window.isMinimized()


def _exception():
    try:
        raise RuntimeError("测试用的错误")
    except RuntimeError:
        return sys.exc_info()


def test_crash_log_is_written_and_shown_once_at_next_start(tmp_path, monkeypatch, qapp):
    folder = tmp_path / "logs"
    folder.mkdir()
    told = []
    monkeypatch.setattr(crash.CrashHandler, "_tell", lambda self, message, icon: told.append(message))
    handler = crash.CrashHandler(folder)
    handler.excepthook(*_exception())

    log = handler.last_log
    text = log.read_text(encoding="utf-8")
    assert log.name.startswith("crash-") and log.suffix == ".log"
    assert "RuntimeError: 测试用的错误" in text and "程序版本：0.1.0" in text and "Qt：" in text
    assert told == [f"程序出现内部错误，已记录日志：{log}\n\n可以继续使用。如果问题反复出现，请把这个日志文件交给技术人员。"]

    shown = []
    monkeypatch.setattr(crash_dialog.CrashLogDialog, "exec", lambda dialog: shown.append(dialog.text.toPlainText()) or 0)
    assert crash.show_unseen(folder=folder) == log
    assert "测试用的错误" in shown[0]
    assert crash.show_unseen(folder=folder) is None  # seen: not shown again


def test_crash_dialog_shows_the_log_read_only_with_its_path(qtbot, tmp_path):
    log = crash.write_crash_log(*_exception(), folder=tmp_path)
    dialog = crash_dialog.CrashLogDialog(log)
    qtbot.addWidget(dialog)
    assert dialog.text.isReadOnly()
    assert "测试用的错误" in dialog.text.toPlainText()
    assert any(str(log) in label.text() for label in dialog.findChildren(QLabel))
    assert any("打开日志文件夹" in button.text() for button in dialog.findChildren(QPushButton))


def test_a_ledger_error_is_shown_not_logged(tmp_path, monkeypatch):
    told = []
    monkeypatch.setattr(crash.CrashHandler, "_tell", lambda self, message, icon: told.append(message))
    handler = crash.CrashHandler(tmp_path)
    try:
        raise LedgerError("磁盘已满，请清理后再试。")
    except LedgerError:
        handler.excepthook(*sys.exc_info())
    assert told == ["磁盘已满，请清理后再试。"]
    assert not list(tmp_path.glob("crash-*.log"))


def test_an_exception_in_a_slot_is_logged_and_the_app_goes_on(qtbot, tmp_path, monkeypatch):
    told = []
    monkeypatch.setattr(crash.CrashHandler, "_tell", lambda self, message, icon: told.append(message))
    handler = crash.CrashHandler(tmp_path).install()
    try:
        button = QPushButton()
        qtbot.addWidget(button)

        def broken_slot():
            raise ValueError("槽函数出错")

        button.clicked.connect(broken_slot)
        button.click()
    finally:
        handler.uninstall()
    assert len(told) == 1 and told[0].startswith("程序出现内部错误，已记录日志：")
    assert "ValueError: 槽函数出错" in handler.last_log.read_text(encoding="utf-8")
    assert not list(tmp_path.glob("faulthandler-*.log"))  # removed on a clean exit


def test_an_exception_in_a_worker_thread_is_logged(tmp_path):
    handler = crash.CrashHandler(tmp_path).install()
    try:
        thread = threading.Thread(target=lambda: 1 / 0)
        thread.start()
        thread.join()
    finally:
        handler.uninstall()
    assert "ZeroDivisionError" in handler.last_log.read_text(encoding="utf-8")


def test_a_hard_crash_left_by_faulthandler_becomes_a_crash_log(tmp_path):
    (tmp_path / "faulthandler-12345.log").write_text("Fatal Python error: Segmentation fault\n", encoding="utf-8")
    (tmp_path / "faulthandler-23456.log").write_text("", encoding="utf-8")  # a running instance
    killed = tmp_path / "faulthandler-34567.log"
    killed.write_text("", encoding="utf-8")  # a process killed weeks ago
    month_ago = time.time() - 30 * 24 * 3600
    os.utime(killed, (month_ago, month_ago))
    adopted = crash.adopt_fault_logs(tmp_path)
    assert len(adopted) == 1
    assert "程序异常终止" in adopted[0].read_text(encoding="utf-8")
    assert "Segmentation fault" in adopted[0].read_text(encoding="utf-8")
    assert crash.unseen_log(tmp_path) == adopted[0]
    assert (tmp_path / "faulthandler-23456.log").exists()
    assert not killed.exists()




def test_a_bug_at_start_is_logged_and_exits_1(qapp, ledger_path, monkeypatch, data_home):
    told = []
    monkeypatch.setattr(crash.CrashHandler, "_tell", lambda self, message, icon: told.append(message))

    def broken(*args, **kwargs):
        raise KeyError("start-up bug")

    monkeypatch.setattr("ui.session.open_ready", broken)
    assert app_module.run(str(ledger_path)) == 1
    logs = list((data_home / "logs").glob("crash-*.log"))
    assert len(logs) == 1 and "start-up bug" in logs[0].read_text(encoding="utf-8")
    assert told and str(logs[0]) in told[0]


def test_a_full_disk_is_shown_as_the_machines_fault_not_logged_as_a_bug(tmp_path, monkeypatch):
    import errno

    told = []
    monkeypatch.setattr(crash.CrashHandler, "_tell", lambda self, message, icon: told.append(message))
    handler = crash.CrashHandler(tmp_path)
    try:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x.pdf"))
    except OSError:
        handler.excepthook(*sys.exc_info())
    assert len(told) == 1 and told[0].startswith("磁盘空间不足")
    assert not list(tmp_path.glob("crash-*.log"))


def test_the_garbage_collector_waits_while_a_worker_runs_and_pauses_nest(qtbot):
    """A collection on a worker thread could free a Qt object there and crash Qt (ui.common.pause_gc)."""
    import gc

    from ui.common import pause_gc, resume_gc, run_in_background

    assert gc.isenabled()
    seen = run_in_background(None, "测试", lambda report: gc.isenabled())
    assert seen is False and gc.isenabled()
    pause_gc()
    pause_gc()
    resume_gc()
    assert not gc.isenabled()
    resume_gc()
    assert gc.isenabled()
