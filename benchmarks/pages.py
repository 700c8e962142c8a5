"""Page visits in the main window: the first visit of each page, a visit again with nothing
changed, and the 组织关系 (transfers) page on a ledger of 20,000 members.

Targets (issue 12): a page visited again shows in ≤ 50 ms unless its data changed (the window's
page cache, ``MainWindow._refresh_page``); the transfers page ≤ 300 ms at 20,000 members. Each
visit is timed from choosing the page in the navigation to the window painted (``grab()`` forces
the paint): the first visit builds the page and reads its data; a revisit comes back from the
工作台. "Read again" times the transfers page's ``refresh()``, what a visit costs after a change.
The ledgers are opened read-only (visiting writes nothing). Medians of N runs for revisits and
reads; a first visit happens once per process, so it is one figure per run of the script.

Run: ``python benchmarks/pages.py [--runs 5] [--members 5000] [--big 20000]`` (offscreen by default).
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))
from _common import demo_ledger, median  # noqa: E402

REVISIT_MS = 50.0
TRANSFERS_MS = 300.0


def _timed(app, window, action) -> float:
    started = time.perf_counter()
    action()
    app.processEvents()
    window.grab()  # paints the window as it now is
    return (time.perf_counter() - started) * 1000


def visits(app, path: Path, runs: int, keys) -> dict[str, tuple[float, list[float]]]:
    """Per page: (first visit ms, revisit samples ms) in a main window on ``path``."""
    from ledger_app.db import open_ledger
    from ui.main_window import MainWindow

    found = {}
    with open_ledger(path, readonly=True) as ledger:
        window = MainWindow(ledger)
        window.skip_backup = True
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        window.workbench.refresh_reminders()
        for key in keys:
            first = _timed(app, window, lambda k=key: window.show_page(k))
            again = []
            for _ in range(runs):
                window.show_page("workbench")
                app.processEvents()
                again.append(_timed(app, window, lambda k=key: window.show_page(k)))
            found[key] = (first, again)
        reads = []
        if "transfers" in keys:
            page = window.page("transfers")
            window.show_page("transfers")
            for _ in range(runs):
                reads.append(_timed(app, window, page.refresh))
        found["_transfers_read"] = (0.0, reads)
        window.ledger = None  # closed by the with block, without the close-time backup
        window.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--big", type=int, default=20000, help="members of the ledger for the transfers page")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="pages-bench-")  # no saved window geometry

    from ui.app import create_application
    from ui.main_window import PAGE_KEYS

    app = create_application([])
    keys = [key for key in PAGE_KEYS if key != "workbench"]
    small = visits(app, demo_ledger(args.members, args.years), args.runs, keys)
    print(f"{args.members:,} members × {args.years} years, median of {args.runs} revisits "
          f"(target ≤ {REVISIT_MS:.0f} ms):")
    for key in keys:
        first, again = small[key]
        ms = median(again)
        print(f"  {key:<12} first visit {first:6.0f} ms   revisit {ms:5.1f} ms "
              f"({', '.join(f'{s:.0f}' for s in again)}) {'OK' if ms <= REVISIT_MS else 'OVER'}")
    big = visits(app, demo_ledger(args.big, args.years), args.runs, ["transfers"])
    first, again = big["transfers"]
    reads = big["_transfers_read"][1]
    verdict = "OK" if first <= TRANSFERS_MS and median(reads) <= TRANSFERS_MS else "OVER"
    print(f"{args.big:,} members: transfers first visit {first:.0f} ms, read again {median(reads):.0f} ms "
          f"({', '.join(f'{s:.0f}' for s in reads)}), revisit {median(again):.1f} ms "
          f"(target ≤ {TRANSFERS_MS:.0f} ms): {verdict}")


if __name__ == "__main__":
    main()
