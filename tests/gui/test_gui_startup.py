"""Start-up: the window is painted before the ORM, Qt's enum namespace and the reminders load.

design.md's start-up target is measured by ``benchmarks/startup.py``; these tests hold the
structure that meets it, so that a later change cannot quietly put the slow parts back in front of
the first picture.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from ui.common import after_first_paint

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]

# Runs the real command line in a fresh interpreter; the start-up probe's hook records what is
# loaded and what the workbench shows at the first paint, then waits for the reminder cards.
START = """
import json, sys
from PySide6 import QtCore, QtWidgets
from PySide6.QtWidgets import QApplication
import ui.app

state = {}


def at_first_paint(app):
    window = next(w for w in QApplication.topLevelWidgets() if w.inherits("QMainWindow"))
    workbench = window.workbench
    state["painted"] = {"peewee": "peewee" in sys.modules, "qt_namespace": "Qt" in QtCore.__dict__,
                        "message_box": "QMessageBox" in QtWidgets.__dict__,
                        "server": window.server is not None, "title": workbench.title.text(),
                        "full": workbench.full.figure.text(), "dues": workbench.dues_text.text()}

    def settled():  # what was queued after the first paint has run
        state["reminders"] = {"dues": workbench.dues_text.text(), "server": window.server is not None}
        app.exit(0)

    workbench.reminders_ready.connect(lambda: QtCore.QTimer.singleShot(0, settled))


ui.app._probe_done = at_first_paint
from ledger_app.cli import main
state["exit"] = main(["gui", "--db", sys.argv[1]])
print(json.dumps(state, ensure_ascii=False))
"""


def test_the_first_paint_needs_no_orm_and_the_reminders_follow(demo_ledgers, tmp_path):
    path = demo_ledgers.copy(tmp_path / "demo.sqlite3", members=30, years=1, seed=2)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PARTY_LEDGER_STARTUP_PROBE": "1", "QT_QPA_PLATFORM": "offscreen",
           "PARTY_LEDGER_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", START, str(path)], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    state = json.loads(done.stdout.strip().splitlines()[-1])
    painted, reminders = state["painted"], state["reminders"]
    assert state["exit"] == 0
    assert not painted["peewee"], "peewee was imported before the first paint"
    assert not painted["qt_namespace"], "PySide6.QtCore.Qt was built before the first paint (see ui.common)"
    assert not painted["message_box"], "QMessageBox was set up before the first paint (see ui.common)"
    assert not painted["server"], "the single-instance server started before the first paint"
    assert painted["title"] and int(painted["full"]) > 0  # the figures are there at the first paint
    assert painted["dues"] == "正在统计…"
    assert reminders["dues"] != "正在统计…" and reminders["server"]


def test_after_first_paint_waits_for_the_paint(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    called = []
    after_first_paint(widget, lambda: called.append(widget.isVisible()))
    widget.show()
    assert called == []  # show() only asks for a paint
    qtbot.waitUntil(lambda: called == [True], timeout=5000)
    widget.update()
    qtbot.wait(50)
    assert called == [True]  # once only
