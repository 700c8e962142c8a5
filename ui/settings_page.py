"""设置: the branch profile form with 保存 (Ctrl+S) and 还原.

A ``ValidationError`` is shown in red under the field it names and nothing is saved.
"""

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ledger_app.errors import LedgerError, ValidationError
from ledger_app.services import branch

from .common import show_error
from .profile_form import ProfileForm


class SettingsPage(QWidget):
    """The branch profile; ``saved`` tells the window to update its title and the workbench."""

    saved = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        title = QLabel("设置")
        title.setObjectName("pageTitle")
        heading = QLabel("支部基本信息")
        heading.setObjectName("cardHeading")
        self.form = ProfileForm(with_contact=True)
        self.save_button = QPushButton("保存(&S)")
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.setToolTip("保存支部基本信息（Ctrl+S）")
        self.save_button.setDefault(True)
        self.revert_button = QPushButton("还原(&R)")
        self.revert_button.setToolTip("放弃未保存的修改，恢复为台账中保存的内容")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.refresh)
        self.form.name.returnPressed.connect(self.save)
        self.status = QLabel()
        self.status.setObjectName("muted")

        card = QFrame()
        card.setObjectName("card")
        card.setMaximumWidth(720)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(20, 16, 20, 16)
        inner.addWidget(heading)
        inner.addWidget(self.form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        inner.addLayout(buttons)

        note = QLabel("支部委员会换届和党小组的调整将在后续版本中提供。")
        note.setObjectName("muted")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(title)
        layout.addWidget(card)
        layout.addWidget(note)
        layout.addStretch(1)

    def refresh(self) -> None:
        """Show the profile as saved in the ledger (also 还原)."""
        self.form.set_profile(branch.get_profile())
        self.status.clear()

    def save(self) -> bool:
        """Save the profile; show a problem beside its field and save nothing."""
        self.form.clear_errors()
        self.status.clear()
        try:
            branch.save_profile(self.form.profile())
        except ValidationError as exc:
            if not self.form.show_error(exc.field, str(exc)):
                show_error(self, exc)
            return False
        except LedgerError as exc:
            show_error(self, exc)
            return False
        self.status.setText("已保存。")
        self.saved.emit()
        return True
