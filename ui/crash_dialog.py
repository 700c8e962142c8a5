"""The dialog that shows the last crash log at start (``crash.show_unseen``), loaded only when needed."""

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class CrashLogDialog(QDialog):
    """Shows a crash log read-only, with its path and a button to open its folder."""

    def __init__(self, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.path = path
        self.setWindowTitle("上次运行时程序出错")
        self.resize(720, 480)
        intro = QLabel("党务台账上次运行时出现了错误，详情已记录在下面的日志中。台账数据不受影响。"
                       "如需帮助，请把这个日志文件交给技术人员（日志只保存在本机，不会自动发送）。")
        intro.setWordWrap(True)
        where = QLabel(f"日志文件：{path}")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setPlainText(path.read_text(encoding="utf-8", errors="replace"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        open_folder = QPushButton("打开日志文件夹(&O)")
        buttons.addButton(open_folder, QDialogButtonBox.ButtonRole.ActionRole)
        open_folder.clicked.connect(self.open_folder)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(where)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path.parent)))
