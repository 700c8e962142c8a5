"""Start-up: the app to its main window shown, on a 5,000-member × 10-year demo ledger, as a ratio
to a bare PySide6 window with one table, both measured in this run (median of N alternating runs).

Two figures for the app: the window with the workbench's figures painted (the target), and the
workbench complete, after its reminder cards (meetings due, dues arrears, receipts) are filled in
right after the first paint. Both programs report from the event loop just after their window's
first paint event. Target (design.md): ratio ≤ 1.5. Run: ``python benchmarks/startup.py [--runs 15]``.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import demo_ledger, median  # noqa: E402

# Both programs say "shown" the same way: from the event loop just after the window's first paint
# (ui.common.after_first_paint), not at show(), which comes before anything is on the screen.
BARE_WINDOW = """
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QTableWidget


class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
        return False


app = QApplication([])
table = QTableWidget(20, 6)
table.resize(1100, 720)
probe = FirstPaint()
table.installEventFilter(probe)
table.show()
app.exec()
"""


def time_until_shown(command: list[str], env: dict) -> float:
    """Seconds from starting the process to its printing ``shown`` (the window is up)."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    for line in proc.stdout:
        if line.strip() == "shown":
            elapsed = time.perf_counter() - started
            break
    else:
        raise RuntimeError(f"{command} ended without showing a window (exit {proc.wait()})")
    proc.wait()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()

    ledger = demo_ledger(args.members, args.years)
    # The data folder and Qt's settings go to a scratch folder, found the way a clerk's are
    # (platformdirs and QSettings on the XDG variables), not through $PARTY_LEDGER_HOME.
    home = ledger.parent / "home"
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               PARTY_LEDGER_STARTUP_PROBE="1", XDG_DATA_HOME=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "config"))
    env.pop("PARTY_LEDGER_HOME", None)
    # An installed app runs from compiled bytecode; without this, a machine that sets
    # PYTHONDONTWRITEBYTECODE recompiles our sources on every start (site-packages are precompiled).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    app_cmd = [sys.executable, "-m", "ledger_app.cli", "gui", "--db", str(ledger)]
    bare_cmd = [sys.executable, "-c", BARE_WINDOW]
    complete_env = dict(env, PARTY_LEDGER_STARTUP_PROBE="complete")
    time_until_shown(bare_cmd, env), time_until_shown(app_cmd, env)  # warm the file cache
    bare, app, complete = [], [], []
    for _ in range(args.runs):
        bare.append(time_until_shown(bare_cmd, env))
        app.append(time_until_shown(app_cmd, env))
        complete.append(time_until_shown(app_cmd, complete_env))
    print(f"bare PySide6 window: {median(bare) * 1000:.0f} ms (median of {args.runs})")
    print(f"党务台账 main window with the workbench: {median(app) * 1000:.0f} ms on {ledger.name}")
    print(f"ratio: {median(app) / median(bare):.2f} (target ≤ 1.5)")
    print(f"workbench complete (reminder cards filled in): {median(complete) * 1000:.0f} ms, "
          f"ratio {median(complete) / median(bare):.2f}")


if __name__ == "__main__":
    main()
