"""GUI test fixtures: the real application set-up, isolated QSettings, captured message boxes.

Every test here runs offscreen (``QT_QPA_PLATFORM=offscreen`` from ``tests/conftest.py``). Modal
boxes never block: the ``messages`` fixture replaces ``QMessageBox``'s static functions with a
recorder.
"""

from datetime import date

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QMessageBox


@pytest.fixture(scope="session")
def qapp(qapp_args):
    """pytest-qt's application, built by ``create_application`` (translation, font, style sheet)."""
    from ui.app import create_application

    return create_application(qapp_args)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    """QSettings (window geometry) go to a temporary folder, never the real user settings."""
    folder = tmp_path / "qsettings"
    folder.mkdir()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


class Messages(list):
    """Message boxes shown during a test, as (kind, title, text)."""

    def texts(self, kind: str | None = None) -> list[str]:
        return [text for k, _, text in self if kind is None or k == kind]


@pytest.fixture
def messages(monkeypatch):
    recorded = Messages()

    def recorder(kind, answer):
        def show(parent, title, text, *args, **kwargs):
            recorded.append((kind, title, text))
            return answer
        return show

    ok = QMessageBox.StandardButton.Ok
    monkeypatch.setattr(QMessageBox, "critical", recorder("critical", ok))
    monkeypatch.setattr(QMessageBox, "warning", recorder("warning", ok))
    monkeypatch.setattr(QMessageBox, "information", recorder("information", ok))
    monkeypatch.setattr(QMessageBox, "question", recorder("question", QMessageBox.StandardButton.No))
    monkeypatch.setattr(QMessageBox, "about", recorder("about", None))
    return recorded


@pytest.fixture
def set_up_ledger(ledger):
    """The open ledger with a branch, a committee of two and one group (through the service)."""
    from ledger_app.services.branch import (
        BranchProfile,
        BranchSetup,
        CommitteeSeat,
        GroupDraft,
        set_up_branch,
    )

    set_up_branch(BranchSetup(
        profile=BranchProfile(name="测试第一党支部", branch_type="enterprise", upper_committee="测试公司党委",
                              founded_on=date(2001, 7, 1)),
        term_started_on=date(2023, 3, 1), term_years=3,
        committee=[CommitteeSeat("赵一", "书记"), CommitteeSeat("钱二", "组织委员")],
        groups=[GroupDraft("第一党小组", "孙三")],
    ))
    return ledger


@pytest.fixture
def window(qtbot, set_up_ledger):
    """The main window on the set-up ledger; closed (without the daily backup) after the test."""
    from ui.main_window import MainWindow

    win = MainWindow(set_up_ledger)
    win.skip_backup = True
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.skip_backup = True


@pytest.fixture
def drive(monkeypatch):
    """``drive(DialogClass, fill)``: the dialog's ``exec`` fills it and presses its button (a
    ``FormDialog``'s ``submit``) instead of waiting for a person; returns the dialogs seen."""

    def drive_(dialog_class, fill):
        seen = []

        def exec_(self):
            seen.append(self)
            fill(self)
            return QDialog.DialogCode.Accepted if self.submit() else QDialog.DialogCode.Rejected

        monkeypatch.setattr(dialog_class, "exec", exec_)
        return seen

    return drive_


@pytest.fixture
def demo(tmp_path, demo_ledgers):
    """A small demo ledger of fictional people, open for writing."""
    from ledger_app.db import open_ledger

    path = tmp_path / "演示台账.sqlite3"
    demo_ledgers.copy(path, members=30, years=1, seed=2)
    ledger = open_ledger(path)
    yield ledger
    ledger.close()
