"""Roster search: each keystroke in the 党员 page's search box, on a 10,000-member ledger.

Target (design.md): ≤ 50 ms per keystroke. The page is built in this process (offscreen) on a
cached demo ledger of 10,000 members; each keystroke is timed from ``setText`` (which runs the SQL
query and resets the model) to the first screen of rows having its data (``model.data`` for every
cell the view shows, which reads their batch). The keystrokes are typed in order, as a clerk would,
with the search box cleared between sequences; each round starts with no row read yet (rows read
for one keystroke are reused by the next, as in the page); median and max over N rounds.

Run: ``python benchmarks/roster_search.py [--rounds 5] [--members 10000]``.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))
from _common import CACHE, demo_ledger  # noqa: E402

TARGET_MS = 50.0
# Sequences as typed: pinyin initials, a name, an ID number's area code, then a filter-free reset.
SEQUENCES = (("z", "zj", "zjg"), ("张", "张建"), ("1", "11", "110", "1101", "11010", "110105"), ("l", "lm"))


def first_screen(page) -> int:
    """Ask the model for every cell the view shows (what painting does); return the rows shown."""
    view, model = page.table, page.model
    rows = min(model.rowCount(), view.viewport().height() // view.verticalHeader().defaultSectionSize() + 1)
    for row in range(rows):
        for column in range(model.columnCount()):
            model.index(row, column).data()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--members", type=int, default=10_000)
    args = parser.parse_args()

    ledger_path = demo_ledger(args.members, 1, seed=2)
    home = CACHE / "home"
    home.mkdir(parents=True, exist_ok=True)
    os.environ["PARTY_LEDGER_HOME"] = str(home)
    from PySide6.QtCore import QSettings

    from ledger_app.db import open_ledger
    from ui.app import create_application
    from ui.members_page import MembersPage

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / "qsettings"))
    app = create_application([])
    ledger = open_ledger(ledger_path, readonly=True)
    try:
        page = MembersPage()
        page.resize(1280, 800)
        page.show()
        app.processEvents()
        started = time.perf_counter()
        page.refresh()
        first_screen(page)
        print(f"{ledger_path.name}: page shown with {page.model.rowCount():,} members on the roll "
              f"in {(time.perf_counter() - started) * 1000:.1f} ms")

        timings: dict[str, list[float]] = {}
        matches: dict[str, int] = {}
        painted: dict[str, list[float]] = {}
        for _ in range(args.rounds):
            page.refresh()  # each round starts with no row read yet, as when the page is shown
            for sequence in SEQUENCES:
                for text in (*sequence, ""):  # typed one key at a time, then cleared (Esc)
                    started = time.perf_counter()
                    page.search.setText(text)
                    first_screen(page)
                    timings.setdefault(text or "（清空）", []).append((time.perf_counter() - started) * 1000)
                    page.table.viewport().repaint()  # and painted: reads nothing more
                    painted.setdefault(text or "（清空）", []).append((time.perf_counter() - started) * 1000)
                    matches[text or "（清空）"] = page.model.rowCount()
                    app.processEvents()  # the view paints between keystrokes, as it would
        page.close()
    finally:
        ledger.close()

    print(f"\nper keystroke, {args.rounds} rounds (ms): median / max to the first screen's data, "
          f"median / max to it painted, and the members found")
    every, every_painted = [], []
    for text, samples in timings.items():
        every += samples
        every_painted += painted[text]
        print(f"  {text:<8} {statistics.median(samples):6.1f} / {max(samples):6.1f}    "
              f"{statistics.median(painted[text]):6.1f} / {max(painted[text]):6.1f}   {matches[text]:>6,}")
    print(f"all keystrokes: median {statistics.median(every):.1f} ms, max {max(every):.1f} ms "
          f"(target ≤ {TARGET_MS:.0f} ms) — {'met' if max(every) <= TARGET_MS else 'NOT met'}")
    print(f"with painting (offscreen): median {statistics.median(every_painted):.1f} ms, "
          f"max {max(every_painted):.1f} ms")


if __name__ == "__main__":
    main()
