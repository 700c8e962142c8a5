"""The start-up password in the GUI, the idle lock, and the one-click backup to a USB stick.

- ``install_password_provider``: an encrypted ledger asks for its password in a dialog before the
  main window (after the write lock, so a second start is told who has the ledger first).
- ``IdleLock``: after the idle time set in 设置 (default 15 minutes, 0 = never), every window of an
  encrypted ledger is covered and the password is asked again.
- ``SecurityCard``: 设置's card to set, change or remove the password, renew the recovery key, set
  the idle time, and choose the USB stick's folder (remembered in QSettings: drive letters belong
  to this PC).

Qt enums are written ``QtCore.Qt.…`` (see ``ui.common``): this module is imported before the first paint.
"""

import weakref
from pathlib import Path

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ledger_app import crypto
from ledger_app.errors import LedgerError

from .common import confirm, run_in_background, settings, show_error, show_info

IDLE_KEY = "security/idle_lock_minutes"
DEFAULT_IDLE_MINUTES = 15
STICK_KEY = "backup/usb_folder"
ERROR_STYLE = "color: #b3261e;"
FORGOTTEN_WARNING = ("请务必记住密码。忘记密码又没有恢复密钥时，台账中的全部数据将无法找回，"
                     "任何人（包括程序作者）都无法帮您打开。")


def idle_minutes() -> int:
    try:
        return max(0, int(settings().value(IDLE_KEY, DEFAULT_IDLE_MINUTES)))
    except (TypeError, ValueError):
        return DEFAULT_IDLE_MINUTES


def stick_folder() -> Path | None:
    value = settings().value(STICK_KEY, "")
    return Path(value) if value else None


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumWidth(280)
    return field


class PasswordDialog(QDialog):
    """Asks the password (or recovery key) of ``path`` until it is right; ``key`` is then the file key."""

    def __init__(self, path: Path, message: str = "", parent: QWidget | None = None, can_quit: bool = False):
        super().__init__(parent)
        self.path = Path(path)
        self.key: bytes | None = None
        self.setWindowTitle("输入密码")
        text = QLabel(message or f"台账“{self.path.name}”设置了密码，请输入密码（或恢复密钥）：")
        text.setWordWrap(True)
        self.field = _password_field()
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("打开(&O)")
        if can_quit:
            buttons.addButton("退出程序(&Q)", QDialogButtonBox.ButtonRole.RejectRole)
        else:
            buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.try_unlock)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (text, self.field, self.error, buttons):
            layout.addWidget(widget)

    def try_unlock(self) -> bool:
        try:
            self.key = crypto.unlock(self.path, self.field.text())
        except crypto.WrongPasswordError as exc:
            self.error.setText(str(exc))
            self.field.clear()
            self.field.setFocus()
            return False
        except LedgerError as exc:
            self.error.setText(str(exc))
            return False
        self.accept()
        return True


def install_password_provider(parent: QWidget | None = None) -> None:
    """Ledgers and backups with a password ask for it in a ``PasswordDialog`` (None = cancelled)."""

    def provide(path: Path) -> bytes | None:
        dialog = PasswordDialog(path, parent=parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.key if accepted else None

    crypto.set_provider(provide)


class _Cover(QWidget):
    """An opaque panel over a window while the program is locked, following its size."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setAutoFillBackground(True)
        self.setObjectName("lockCover")
        label = QLabel("党务台账已锁定\n\n请输入密码解锁。", self)
        label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        font = QFont(label.font())
        font.setPointSize(font.pointSize() + 6)
        label.setFont(font)
        QVBoxLayout(self).addWidget(label)
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(watched.rect())
        return False


INPUT_EVENT_NAMES = ("KeyPress", "MouseButtonPress", "MouseMove", "Wheel")


class IdleLock(QObject):
    """Locks the program after ``idle_ms`` without input, when the window's ledger has a password."""

    def __init__(self, window, idle_ms: int | None = None):
        super().__init__()  # not the window's child: the window's deletion must not take it mid-event
        # A weak reference: the window holds this lock (``window.idle_lock``), and a cycle of Qt
        # objects left to Python's garbage collector may be collected in a worker thread, a crash.
        self._window = weakref.ref(window)
        self.covers: list[_Cover] = []
        self.dialog: PasswordDialog | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.input_events = {getattr(QEvent.Type, name) for name in INPUT_EVENT_NAMES}
        self.set_idle_ms(idle_ms)
        QApplication.instance().installEventFilter(self)

    def stop(self) -> None:
        """Stop watching (before the window goes: an application-wide filter must not outlive it)."""
        QApplication.instance().removeEventFilter(self)
        self.timer.stop()

    def set_idle_ms(self, idle_ms: int | None = None) -> None:
        """The idle time (default: 设置's minutes); 0 switches the lock off."""
        self.idle_ms = idle_minutes() * 60_000 if idle_ms is None else idle_ms
        self.timer.stop()
        if self.idle_ms > 0:
            self.timer.start(self.idle_ms)

    @property
    def window(self):
        return self._window()

    @property
    def locked(self) -> bool:
        return self.dialog is not None

    def eventFilter(self, watched, event) -> bool:
        if event.type() in self.input_events and not self.locked and self.idle_ms > 0:
            self.timer.start(self.idle_ms)
        return False

    def lock(self) -> None:
        window = self.window
        ledger = window.ledger if window is not None else None
        if self.locked or ledger is None or ledger.key is None:
            return
        self.covers = [_Cover(w) for w in QApplication.topLevelWidgets()
                       if w.isVisible() and not isinstance(w, _Cover) and w.isWindow()]
        self.dialog = PasswordDialog(ledger.path, f"党务台账已锁定。请输入台账“{ledger.path.name}”的密码（或恢复密钥）解锁：",
                                     window, can_quit=True)
        self.dialog.setWindowModality(QtCore.Qt.WindowModality.ApplicationModal)
        self.dialog.accepted.connect(self._unlocked)
        self.dialog.rejected.connect(self._quit)
        self.dialog.open()

    def _unlocked(self) -> None:
        for cover in self.covers:
            cover.deleteLater()
        self.covers = []
        self.dialog.deleteLater()
        self.dialog = None
        if self.idle_ms > 0:
            self.timer.start(self.idle_ms)

    def _quit(self) -> None:
        if self.window is not None:
            self.window.close()


# --- 设置: the password, the idle time, the USB stick -------------------------------------------------

class NewPasswordDialog(QDialog):
    """A new password typed twice, under the plain warning that a forgotten one loses the data."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        warning = QLabel(FORGOTTEN_WARNING)
        warning.setWordWrap(True)
        warning.setStyleSheet(ERROR_STYLE)
        self.first = _password_field()
        self.second = _password_field()
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addWidget(QLabel(f"新密码（至少 {crypto.MIN_PASSWORD} 个字符）："))
        layout.addWidget(self.first)
        layout.addWidget(QLabel("再输入一次："))
        layout.addWidget(self.second)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def password(self) -> str:
        return self.first.text()

    def check(self) -> bool:
        if self.first.text() != self.second.text():
            self.error.setText("两次输入的密码不一致。")
            return False
        try:
            crypto.check_password(self.first.text())
        except LedgerError as exc:
            self.error.setText(str(exc))
            return False
        self.accept()
        return True


class LostKeyFileDialog(NewPasswordDialog):
    """The ledger's key file is gone: the recovery key opens it, and a new password writes a new key file."""

    def __init__(self, path: Path, parent: QWidget | None = None):
        super().__init__("用恢复密钥打开台账", parent)
        self.path = Path(path)
        self.key: bytes | None = None
        self.recovery = QLineEdit()
        self.recovery.setMinimumWidth(420)
        self.recovery.setPlaceholderText("XXXX-XXXX-…（设置密码时打印的恢复密钥）")
        text = QLabel(f"台账“{self.path.name}”设置了密码，但它旁边的密钥文件“{crypto.key_file_for(self.path).name}”"
                      "不见了（复制台账时可能漏了它）。可以把密钥文件放回原处后重新打开；或者在这里输入恢复密钥，"
                      "再设置一个新密码，程序会重新建立密钥文件。")
        text.setWordWrap(True)
        layout = self.layout()
        layout.insertWidget(0, text)
        layout.insertWidget(1, QLabel("恢复密钥(&K)："))
        layout.itemAt(1).widget().setBuddy(self.recovery)
        layout.insertWidget(2, self.recovery)

    def check(self) -> bool:
        if self.first.text() != self.second.text():
            self.error.setText("两次输入的密码不一致。")
            return False
        try:
            self.key = crypto.restore_key_file(self.path, self.recovery.text(), self.first.text())
        except LedgerError as exc:
            self.error.setText(str(exc))
            return False
        crypto.remember(self.path, self.key)
        self.accept()
        return True


class RecoveryKeyDialog(QDialog):
    """The recovery key, shown once: copy it or save it as a PDF page to print; closing needs a tick."""

    def __init__(self, recovery: str, ledger_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.recovery = recovery
        self.ledger_path = ledger_path
        self.setWindowTitle("恢复密钥（只显示这一次）")
        text = QLabel("忘记密码时，只有这个恢复密钥能打开台账。它只显示这一次：请打印或抄下，"
                      "和电脑分开、妥善保管。")
        text.setWordWrap(True)
        self.key_label = QLabel(recovery)
        self.key_label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(14)
        self.key_label.setFont(font)
        copy = QPushButton("复制(&C)")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(recovery))
        save = QPushButton("保存为 PDF 以便打印(&P)…")
        save.clicked.connect(lambda: self.save_pdf())
        self.kept = QCheckBox("我已打印或抄下恢复密钥")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.kept.toggled.connect(self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled)
        self.buttons.accepted.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(copy)
        row.addWidget(save)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        for widget in (text, self.key_label):
            layout.addWidget(widget)
        layout.addLayout(row)
        layout.addWidget(self.kept)
        layout.addWidget(self.buttons)

    def reject(self) -> None:  # Esc must not lose the only sight of the key
        if self.kept.isChecked():
            super().reject()

    def save_pdf(self, name: str | None = None) -> Path | None:
        if name is None:
            name, _ = QFileDialog.getSaveFileName(self, "保存恢复密钥", str(Path.home() / "党务台账恢复密钥.pdf"),
                                                  "PDF (*.pdf)")
        if not name:
            return None
        from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument

        writer = QPdfWriter(name)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        document = QTextDocument()
        document.setHtml(
            "<h2>党务台账 恢复密钥</h2>"
            f"<p>台账文件：{self.ledger_path}</p>"
            f"<p style='font-size:18pt; font-family:monospace'>{self.recovery}</p>"
            "<p>忘记密码时，在要求输入密码的地方输入这个恢复密钥即可打开台账及其备份。"
            "请把这张纸和电脑分开、妥善保管；任何拿到它的人都能打开台账。</p>")
        document.print_(writer)
        return Path(name)


class SecurityCard(QFrame):
    """设置 → 密码与备份: the password buttons, the idle time, the USB stick's folder."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("card")
        self.setMaximumWidth(720)
        heading = QLabel("密码与 U 盘备份")
        heading.setObjectName("cardHeading")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.set_button = QPushButton("设置密码(&W)…")
        self.change_button = QPushButton("更改密码…")
        self.remove_button = QPushButton("取消密码…")
        self.renew_button = QPushButton("更换恢复密钥…")
        self.set_button.clicked.connect(lambda: self.set_password())
        self.change_button.clicked.connect(lambda: self.change_password())
        self.remove_button.clicked.connect(lambda: self.remove_password())
        self.renew_button.clicked.connect(lambda: self.renew_recovery_key())
        self.idle = QSpinBox()
        self.idle.setRange(0, 480)
        self.idle.setSuffix(" 分钟")
        self.idle.setSpecialValueText("不自动锁定")
        self.idle.setValue(idle_minutes())
        self.idle.valueChanged.connect(self._idle_changed)
        self.stick_label = QLabel()
        self.stick_label.setWordWrap(True)
        self.choose_stick_button = QPushButton("选择 U 盘文件夹(&K)…")
        self.stick_button = QPushButton("备份到 U 盘(&U)")
        self.choose_stick_button.clicked.connect(lambda: choose_stick(self))
        self.stick_button.clicked.connect(lambda: backup_to_stick(self.window()))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(heading)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        for button in (self.set_button, self.change_button, self.remove_button, self.renew_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        idle_row = QHBoxLayout()
        idle_row.addWidget(QLabel("无人操作多久后锁定（需要重新输入密码）："))
        idle_row.addWidget(self.idle)
        idle_row.addStretch(1)
        layout.addLayout(idle_row)
        layout.addWidget(self.stick_label)
        stick_row = QHBoxLayout()
        stick_row.addStretch(1)
        stick_row.addWidget(self.choose_stick_button)
        stick_row.addWidget(self.stick_button)
        layout.addLayout(stick_row)

    def _ledger(self):
        return getattr(self.window(), "ledger", None)

    def refresh(self) -> None:
        ledger = self._ledger()
        encrypted = ledger is not None and ledger.key is not None
        self.status.setText("本台账已设置密码：文件和它的备份都加密保存，打开程序时需要输入密码。" if encrypted else
                            "本台账没有设置密码：任何能使用这台电脑的人都能打开它。设置密码后，台账文件和备份都加密保存。")
        self.set_button.setVisible(not encrypted)
        for button in (self.change_button, self.remove_button, self.renew_button):
            button.setVisible(encrypted)
        self.idle.setEnabled(encrypted)
        folder = stick_folder()
        self.stick_label.setText(f"U 盘备份文件夹：{folder}" if folder else
                                 "U 盘备份文件夹：尚未选择。选择一次后，以后一键即可备份到 U 盘。")

    def _idle_changed(self, minutes: int) -> None:
        settings().setValue(IDLE_KEY, minutes)
        idle = getattr(self.window(), "idle_lock", None)
        if idle is not None:
            idle.set_idle_ms()

    def _rewrite(self, label: str, work) -> bool:
        """Close the window's ledger, run ``work(path)`` holding nothing open, and open it again."""
        window = self.window()
        path = window.ledger.path
        window.ledger.close()
        window.ledger = None
        try:
            run_in_background(window, label, lambda report: work(path))
            return True
        except LedgerError as exc:
            show_error(self, exc)
            return False
        finally:
            window._reopen(path)
            self.refresh()

    def set_password(self) -> bool:
        dialog = NewPasswordDialog("设置密码", self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        result = {}
        if not self._rewrite("正在加密台账…", lambda path: result.update(
                key=crypto.encrypt_ledger(path, dialog.password()), path=path)):
            return False
        RecoveryKeyDialog(result["key"], result["path"], self).exec()
        show_info(self, "已设置密码", "台账已加密保存。以前未加密的备份仍在备份文件夹中，如不需要请自行删除。")
        return True

    def _current_key(self) -> bytes | None:
        ledger = self._ledger()
        dialog = PasswordDialog(ledger.path, "请先输入现在的密码：", self)
        return dialog.key if dialog.exec() == QDialog.DialogCode.Accepted else None

    def change_password(self) -> bool:
        key = self._current_key()
        if key is None:
            return False
        dialog = NewPasswordDialog("更改密码", self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        try:
            crypto.change_password(self._ledger().path, key, dialog.password())
        except LedgerError as exc:
            show_error(self, exc)
            return False
        show_info(self, "密码已更改", "密码已更改。原来的恢复密钥仍然有效；以前的备份仍用当时的密码或恢复密钥打开。")
        return True

    def remove_password(self) -> bool:
        key = self._current_key()
        if key is None or not confirm(self, "取消密码", "取消密码后，台账文件将不再加密，任何能使用这台电脑的人都能打开它。"
                                                       "确定要取消吗？", "取消密码(&R)"):
            return False
        return self._rewrite("正在解密台账…", lambda path: crypto.decrypt_ledger(path, key))

    def renew_recovery_key(self) -> bool:
        ledger = self._ledger()
        dialog = PasswordDialog(ledger.path, "更换恢复密钥后，原来的恢复密钥将不能再打开台账。请输入现在的密码：", self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        password = dialog.field.text()
        result = {}
        if not self._rewrite("正在更换密钥…", lambda path: result.update(
                text=crypto.renew_recovery_key(path, dialog.key, password)[1], path=path)):
            return False
        RecoveryKeyDialog(result["text"], result["path"], self).exec()
        return True


def choose_stick(parent: QWidget | None) -> Path | None:
    """Ask for the USB stick's folder once; it is remembered on this PC."""
    start = str(stick_folder() or Path.home())
    name = QFileDialog.getExistingDirectory(parent, "选择 U 盘上用来存放备份的文件夹", start)
    if not name:
        return None
    settings().setValue(STICK_KEY, name)
    card = parent if isinstance(parent, SecurityCard) else None
    if card is not None:
        card.refresh()
    return Path(name)


def backup_to_stick(window) -> Path | None:
    """备份到 U 盘: a verified backup in the remembered folder (asked for the first time)."""
    from ledger_app import backup

    if getattr(window, "ledger", None) is None:
        return None
    folder = stick_folder() or choose_stick(window)
    if folder is None:
        return None
    path = window.ledger.path
    try:
        target = run_in_background(window, "正在备份到 U 盘…", lambda report: backup.backup_to_stick(path, folder))
    except LedgerError as exc:
        show_error(window, exc, "没有备份到 U 盘")
        return None
    show_info(window, "已备份到 U 盘", f"台账已备份到 U 盘，并从 U 盘读回校验通过：\n{target}")
    return target
