"""Opening a ledger for the GUI: the lock message, and the first-run wizard when it has no branch yet.

Shared by the start (``ui.app.run``) and the 文件 menu (新建台账 / 打开台账 / 恢复), so a ledger is
opened the same way everywhere.
"""

from dataclasses import dataclass
from pathlib import Path

from PySide6 import QtWidgets
from PySide6.QtWidgets import QDialog, QWidget

from ledger_app.crypto import PasswordRequiredError
from ledger_app.db import Ledger, open_ledger
from ledger_app.errors import LedgerError, LedgerLockedError
from ledger_app.overview import is_set_up

PROGRAM = "党务台账（图形界面）"  # how the lock file names us to a second program


@dataclass
class Opened:
    """The outcome of opening: a ready ledger, or why not (``exit_code``; 0 = the clerk cancelled)."""

    ledger: Ledger | None
    exit_code: int = 0
    cancelled: bool = False


def open_or_explain(path: Path, parent: QWidget | None = None) -> Opened:
    """Open the ledger; a ``LedgerError`` (locked, damaged, newer) is shown and becomes its exit code.

    When another window of this program holds the ledger, that window is raised instead (exit 0).
    """
    from ledger_app import crypto

    if crypto.lost_key_file(path):  # only the recovery key opens it now
        from .security import LostKeyFileDialog

        if LostKeyFileDialog(path, parent).exec() != QDialog.DialogCode.Accepted:
            return Opened(None, 0, cancelled=True)
    try:
        return Opened(open_ledger(path, program=PROGRAM))
    except LedgerLockedError as exc:
        from .single_instance import send_raise, server_name

        if send_raise(server_name(path)):
            return Opened(None, 0, cancelled=True)
        QtWidgets.QMessageBox.critical(parent, "无法打开台账", str(exc))
        return Opened(None, exc.exit_code)
    except PasswordRequiredError:  # the clerk cancelled the password dialog
        return Opened(None, 0, cancelled=True)
    except LedgerError as exc:
        QtWidgets.QMessageBox.critical(parent, "无法打开台账", str(exc))
        return Opened(None, exc.exit_code)


def open_ready(path: Path, parent: QWidget | None = None) -> Opened:
    """Open the ledger and run the first-run wizard when it has no branch profile yet.

    Cancelling the wizard closes the ledger without writing anything (``cancelled``). Choosing the
    demo in the wizard opens the demo ledger instead.
    """
    opened = open_or_explain(path, parent)
    if opened.ledger is None or is_set_up(opened.ledger.conn):
        return opened
    from .wizard import SetupWizard  # only needed once per ledger

    wizard = SetupWizard(parent)
    accepted = wizard.exec() == QDialog.DialogCode.Accepted
    demo = wizard.demo_path
    wizard.deleteLater()
    if not accepted:
        opened.ledger.close()
        return Opened(None, 0, cancelled=True)
    if demo is not None:
        opened.ledger.close()
        return open_ready(demo, parent)
    return opened
