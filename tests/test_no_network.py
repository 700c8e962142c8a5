"""The program never opens a network socket: only local (AF_UNIX) ones, for the single-instance server.

Every command of the command line (read from the parser, so a new one must be added to
``COMMAND_LINES`` here) and a GUI start that shows the main window on a demo ledger run in a
subprocess with an audit hook (``sys.addaudithook``) that records and refuses any socket that is
not AF_UNIX, and any name lookup. Qt opens its sockets in C++, out of the hook's sight, so where
``strace`` is available the same runs go under ``strace -f`` and every ``socket()`` system call of
the process and its threads is checked too.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from test_cli_fuzz import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
YEAR = date.today().year

GUARD = """
import os, socket, sys

_log = os.environ["NO_NETWORK_LOG"]


def _refuse(what):
    with open(_log, "a", encoding="utf-8") as handle:
        handle.write(what + "\\n")
    raise OSError(f"no network: {what}")


def _hook(event, args):
    if event == "socket.__new__" and args[1] != socket.AF_UNIX:
        _refuse(f"socket({args[1]!r})")
    elif event in ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg") and args[0].family != socket.AF_UNIX:
        _refuse(f"{event}({args[1]!r})")
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"):
        _refuse(f"{event}({args[0]!r})")


sys.addaudithook(_hook)
"""

CLI = GUARD + """
import json
from ledger_app.cli import main

codes = [main(argv) for argv in json.loads(sys.argv[1])]
print(json.dumps(codes))
"""

GUI = GUARD + """
import json
from PySide6 import QtCore
from PySide6.QtWidgets import QApplication
import ui.app

state = {}


def at_first_paint(app):
    window = next(w for w in QApplication.topLevelWidgets() if w.inherits("QMainWindow"))
    state["shown"] = window.isVisible()

    def settled():  # the reminders are in and the single-instance server listens
        state["server"] = window.server is not None
        app.exit(0)

    window.workbench.reminders_ready.connect(lambda: QtCore.QTimer.singleShot(0, settled))


ui.app._probe_done = at_first_paint
from ledger_app.cli import main
state["exit"] = main(["gui", "--db", sys.argv[1]])
print(json.dumps(state))
"""


def command_lines(tmp: Path, ledger: Path, roster: Path, backup: Path, letter: int = 1, probationer: int = 1
                  ) -> list[list[str]]:
    """A working command line for every command, in an order where each finds what it needs."""
    db = ["--db", str(ledger)]
    (tmp / "pw1.txt").write_text("党支部密码一", encoding="utf-8")
    (tmp / "pw2.txt").write_text("党支部密码二", encoding="utf-8")
    return [
        ["demo", "--db", str(tmp / "new.sqlite3"), "--members", "5", "--years", "1", "--quiet"],
        ["export", *db, "--out", str(tmp / "x.json")],
        ["import", str(tmp / "x.json"), "--db", str(tmp / "imported.sqlite3")],
        ["backup", *db, "--to", str(tmp / "backups")],
        ["restore", str(backup), *db],
        ["verify", *db],
        ["dues", "standard", "--category", "in_service", "--base", "5100", *db],
        ["dues", "arrears", "--as-of", f"{YEAR}-06", *db],
        ["meetings", "check", "--year", str(YEAR), *db],
        ["members", "import", str(roster), *db],
        ["members", "undo-import", *db],
        ["members", "export", str(tmp / "r.xlsx"), *db],
        ["doc", "roster", "--out", str(tmp / "roster.pdf"), *db],
        ["doc", "card", "1", "--out", str(tmp / "card.pdf"), *db],
        ["doc", "letter", str(letter), "--out", str(tmp / "letter.docx"), *db],
        ["doc", "minutes", "1", "--out", str(tmp / "minutes.docx"), *db],
        ["doc", "signin", "1", "--out", str(tmp / "signin.pdf"), *db],
        ["doc", "dues-month", f"{YEAR}-06", "--out", str(tmp / "month.pdf"), *db],
        ["doc", "dues-register", str(YEAR), "--out", str(tmp / "register.xlsx"), *db],
        ["doc", "dues-posting", str(YEAR), "--out", str(tmp / "posting.pdf"), *db],
        ["development", "list", *db],
        ["development", "check", *db],
        ["appraisal", "show", str(YEAR), *db],
        ["talks", "list", str(YEAR), *db],
        ["doc", "notice", str(probationer), "--kind", "conversion", "--out", str(tmp / "notice.pdf"), *db],
        ["doc", "development-record", str(probationer), "--out", str(tmp / "record.docx"), *db],
        ["doc", "development-register", str(YEAR), "--out", str(tmp / "register.pdf"), *db],
        ["stats", str(YEAR), "--json", *db],
        ["stats", str(YEAR), "--out", str(tmp / "stats.pdf"), *db],
        ["doc", "summary", str(YEAR), "--out", str(tmp / "summary.pdf"), *db],
        ["archive", str(YEAR), "--out", str(tmp / "archive"), "--quiet", *db],
        ["password", "set", *db, "--new-password-file", str(tmp / "pw1.txt")],
        ["backup", *db, "--to", str(tmp / "backups"), "--password-file", str(tmp / "pw1.txt")],
        ["password", "change", *db, "--password-file", str(tmp / "pw1.txt"), "--new-password-file", str(tmp / "pw2.txt")],
        ["password", "remove", *db, "--password-file", str(tmp / "pw2.txt")],
        ["password", "restore-key", "--db", str(tmp / "lost.sqlite3"), "--password-file", str(tmp / "recovery.txt"),
         "--new-password-file", str(tmp / "pw1.txt")],
    ]
CHECKS = ("verify", "development check")  # exit 1 when they find problems: still a run that worked


def run_guarded(code: str, args: list[str], tmp: Path, **extra_env) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run ``code`` with the guard (under strace when there is one); the network attempts seen."""
    log = tmp / "network.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PARTY_LEDGER_HOME": str(tmp / "home"),
           "NO_NETWORK_LOG": str(log), "QT_QPA_PLATFORM": "offscreen", **extra_env}
    command = [sys.executable, "-c", code, *args]
    trace = tmp / "strace.log"
    if shutil.which("strace") and sys.platform.startswith("linux"):
        command = ["strace", "-f", "-qq", "--seccomp-bpf", "-e", "trace=socket", "-o", str(trace), *command]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    seen = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    if trace.exists():
        seen += [line for line in trace.read_text().splitlines()
                 if "socket(" in line and "socket(AF_UNIX" not in line]
    return done, seen


@pytest.fixture
def ready(tmp_path, demo_ledgers):
    """A demo ledger with a transfer and a meeting, a roster to import, and a backup to restore."""
    from ledger_app.backup import make_backup
    from ledger_app.db import open_ledger
    from ledger_app.roster_export import export_roster_xlsx

    ledger = demo_ledgers.copy(tmp_path / "ledger.sqlite3", members=15, years=1, seed=1)
    other = demo_ledgers.copy(tmp_path / "other.sqlite3", members=15, years=1, seed=2)
    with open_ledger(other, readonly=True):
        export_roster_xlsx(tmp_path / "roster.xlsx")
    backup = make_backup(ledger, tmp_path / "kept")
    from ledger_app import crypto

    lost = demo_ledgers.copy(tmp_path / "lost.sqlite3", members=15, years=1, seed=3)  # its key file lost
    (tmp_path / "recovery.txt").write_text(crypto.encrypt_ledger(lost, "党支部密码零"), encoding="utf-8")
    crypto.key_file_for(lost).unlink()
    crypto.forget(lost)
    conn = sqlite3.connect(ledger)
    letter = conn.execute("SELECT min(id) FROM transfer WHERE direction = 'out'").fetchone()[0]
    probationer = conn.execute("SELECT min(id) FROM person WHERE stage = 'probationary'").fetchone()[0]
    conn.close()
    return ledger, tmp_path / "roster.xlsx", backup, letter, probationer


def test_every_command_has_a_working_command_line_here(tmp_path):
    listed = {tuple(w for w in argv if not w.startswith("-"))[:2] for argv in command_lines(tmp_path, tmp_path, tmp_path, tmp_path)}
    for words, _ in COMMANDS:
        assert any(line[: len(words)] == words for line in listed), f"add a command line for “{' '.join(words)}”"


def test_no_command_opens_a_network_socket(ready, tmp_path):
    lines = command_lines(tmp_path, *ready)
    done, seen = run_guarded(CLI, [json.dumps(lines)], tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    codes = json.loads(done.stdout.strip().splitlines()[-1])
    worked = {" ".join(argv[:2]): code for argv, code in zip(lines, codes, strict=True)}
    assert all(code == 0 or (" ".join(argv[:2]).startswith(CHECKS) and code == 1)
               for argv, code in zip(lines, codes, strict=True)), \
        (worked, done.stderr[-3000:])
    assert seen == []


@pytest.mark.gui
def test_the_gui_opens_no_network_socket(ready, tmp_path):
    # The start-up probe calls the hook above at the first paint (as in tests/gui/test_gui_startup.py).
    done, seen = run_guarded(GUI, [str(ready[0])], tmp_path, PARTY_LEDGER_STARTUP_PROBE="1")
    assert done.returncode == 0, done.stderr[-3000:]
    state = json.loads(done.stdout.strip().splitlines()[-1])
    assert state == {"shown": True, "server": True, "exit": 0}
    assert seen == []


def test_the_guard_sees_a_network_socket(tmp_path):
    """The check itself: a socket opened from Python, and one opened below it (by C code, as Qt
    would: seen only by strace), are both reported."""
    code = GUARD + """
import ctypes, socket
try:
    socket.create_connection(("127.0.0.1", 9))
except OSError:
    pass
ctypes.CDLL(None).socket(socket.AF_INET, socket.SOCK_STREAM, 0)
"""
    done, seen = run_guarded(code, [], tmp_path)
    assert done.returncode == 0, done.stderr
    assert any("socket(" in line and "AF_INET" in line for line in seen), seen
    if (tmp_path / "strace.log").exists():
        assert any(line.startswith(tuple("0123456789")) and "socket(AF_INET" in line for line in seen), seen
