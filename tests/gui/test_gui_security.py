"""The start-up password dialog, the idle lock, 设置's password card and the one-click USB backup."""

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from ledger_app import crypto

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]
PASSWORD = "党支部2026"


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch):
    monkeypatch.setattr(crypto, "SCRYPT_N", 1 << 10)
    crypto._known.clear()
    yield
    crypto._known.clear()
    crypto.set_provider(None)


@pytest.fixture
def encrypted_window(qtbot, window):
    """The main window on a set-up ledger that has just been given a password."""
    path = window.ledger.path
    window.ledger.close()
    window.ledger = None
    crypto.encrypt_ledger(path, PASSWORD)
    window._reopen(path)
    assert window.ledger.key is not None
    return window


def answer_password_dialog(*secrets: str) -> list[str]:
    """Type each secret into the password dialog in turn (from the event loop); return the errors seen."""
    errors = []

    def answer() -> None:
        from ui.security import PasswordDialog

        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PasswordDialog):
            QTimer.singleShot(20, answer)
            return
        for secret in secrets:
            dialog.field.setText(secret)
            if not dialog.try_unlock():
                errors.append(dialog.error.text())
        if dialog.isVisible():
            dialog.reject()

    QTimer.singleShot(0, answer)
    return errors


def test_an_encrypted_ledger_asks_for_its_password_before_opening(qtbot, tmp_path, messages):
    from ledger_app.db import open_ledger
    from ui import security, session

    path = tmp_path / "secret.sqlite3"
    open_ledger(path).close()
    crypto.encrypt_ledger(path, PASSWORD)
    crypto._known.clear()
    security.install_password_provider()

    errors = answer_password_dialog("错误的密码", PASSWORD)
    opened = session.open_or_explain(path)
    assert errors == [crypto.WRONG_PASSWORD]
    assert opened.ledger is not None and opened.ledger.key is not None
    opened.ledger.close()

    crypto._known.clear()
    answer_password_dialog()  # the clerk cancels
    opened = session.open_or_explain(path)
    assert opened.ledger is None and opened.cancelled and opened.exit_code == 0
    assert messages == []
    assert not path.with_name(path.name + ".lock").read_bytes()  # nobody holds the lock


def test_a_ledger_whose_key_file_was_lost_opens_with_the_recovery_key_and_a_new_password(qtbot, tmp_path,
                                                                                        monkeypatch, messages):
    from ledger_app.db import open_ledger
    from ui import security, session

    path = tmp_path / "copied.sqlite3"
    open_ledger(path).close()
    recovery = crypto.encrypt_ledger(path, PASSWORD)
    crypto.key_file_for(path).unlink()  # copied to a new PC without it
    crypto._known.clear()
    seen = []

    def fill(dialog):
        seen.append(dialog)
        dialog.recovery.setText("不对的密钥")
        dialog.first.setText("新密码2027")
        dialog.second.setText("新密码2027")
        assert not dialog.check() and "恢复密钥不正确" in dialog.error.text()
        dialog.recovery.setText(recovery)
        return QDialog.DialogCode.Accepted if dialog.check() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(security.LostKeyFileDialog, "exec", fill)
    opened = session.open_or_explain(path)
    assert seen and opened.ledger is not None and messages == []
    opened.ledger.close()
    crypto._known.clear()
    assert crypto.unlock(path, "新密码2027")


def test_idle_lock_covers_the_window_and_asks_the_password_again(qtbot, encrypted_window):
    from ui.security import IdleLock

    lock = IdleLock(encrypted_window, idle_ms=150)
    qtbot.waitUntil(lambda: lock.locked, timeout=3000)
    assert lock.covers and all(cover.isVisible() for cover in lock.covers)
    encrypted_window.grab().save("/tmp/idle-lock.png")
    lock.dialog.field.setText("不对")
    assert not lock.dialog.try_unlock()
    assert "密码不正确" in lock.dialog.error.text() and lock.locked
    lock.dialog.field.setText(PASSWORD)
    assert lock.dialog.try_unlock()
    assert not lock.locked and lock.covers == []
    lock.set_idle_ms(0)  # 0 = never
    qtbot.wait(300)
    assert not lock.locked
    lock.stop()


def test_a_ledger_without_a_password_is_never_locked(qtbot, window):
    from ui.security import IdleLock

    lock = IdleLock(window, idle_ms=50)
    qtbot.wait(250)
    assert not lock.locked
    lock.stop()


def test_settings_card_sets_and_removes_the_password(qtbot, window, monkeypatch, messages):
    from ui import security

    card = window.settings_page.security
    window.show_page("settings")
    card.refresh()
    assert card.set_button.isVisible() and not card.change_button.isVisible()

    def fill_new(dialog):
        dialog.first.setText(PASSWORD)
        dialog.second.setText(PASSWORD)
        return QDialog.DialogCode.Accepted if dialog.check() else QDialog.DialogCode.Rejected

    shown = []
    monkeypatch.setattr(security.NewPasswordDialog, "exec", fill_new)
    monkeypatch.setattr(security.RecoveryKeyDialog, "exec", lambda self: shown.append(self) or 1)
    assert card.set_password()
    assert window.ledger.key is not None and crypto.is_encrypted(window.ledger.path)
    assert crypto.parse_recovery_key(shown[0].recovery) == window.ledger.key
    pdf = shown[0].save_pdf(str(window.ledger.path.with_name("recovery.pdf")))
    assert pdf.read_bytes().startswith(b"%PDF")
    card.grab().save("/tmp/security-card.png")
    assert card.change_button.isVisible()

    def fill_current(dialog):
        dialog.field.setText(PASSWORD)
        return QDialog.DialogCode.Accepted if dialog.try_unlock() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(security.PasswordDialog, "exec", fill_current)
    monkeypatch.setattr(security, "confirm", lambda *args: True)
    assert card.remove_password()
    assert window.ledger.key is None and not crypto.is_encrypted(window.ledger.path)


def test_one_click_backup_to_the_remembered_stick(qtbot, window, tmp_path, messages):
    from ui import security
    from ui.common import settings

    stick = tmp_path / "U盘"
    settings().setValue(security.STICK_KEY, str(stick))
    window.workbench.stick_button.click()  # the stick is not plugged in
    assert "U 盘可能没有插好" in messages.texts("warning")[-1]
    stick.mkdir()
    window.workbench.stick_button.click()
    (target,) = stick.glob("*.sqlite3")
    assert str(target) in messages.texts("information")[-1]
    assert "读回校验通过" in messages.texts("information")[-1]
