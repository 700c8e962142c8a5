"""The 党费 page's year grid for 5,000 members, from choosing the year to the first screen painted.

Target (design.md): the dues grid of a year for 5,000 members shown in ≤ 300 ms. This times the
whole GUI path on the 5,000 × 10 demo ledger: ``DuesPage.set_year(year)`` (``services.dues.
year_grid``, the model reset, the totals line, the undo button's label), then the events that
follow and a grab of the grid's viewport, which forces the first screen of cells to be painted.
Median of N runs, alternating the last full year and the current year so that every run really
reads a year; the ledger is opened read-only (loading the page writes nothing).

Run: ``python benchmarks/dues_page.py [--members 5000] [--years 10] [--runs 5]`` (offscreen by default).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))
from _common import demo_ledger, median  # noqa: E402

TARGET_MS = 300.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from ui.app import create_application

    app = create_application([])
    from ledger_app.db import open_ledger
    from ui.dues_page import DuesPage

    path = demo_ledger(args.members, args.years)
    with open_ledger(path, readonly=True):
        from ledger_app.models import database

        (year,) = database.execute_sql("SELECT MAX(year) FROM dues_payment").fetchone()
        page = DuesPage()
        page.resize(1500, 860)
        page.show()
        app.processEvents()
        viewport = page.grid_view.viewport()

        def show(grid_year: int) -> tuple[float, int]:
            started = time.perf_counter()
            page.set_year(grid_year)
            app.processEvents()
            viewport.grab()  # paints the visible cells
            return (time.perf_counter() - started) * 1000, page.grid_model.rowCount()

        for warm in (year - 1, year):  # the page cache warm, as for a ledger in use
            show(warm)
        samples, rows = [], 0
        for run in range(args.runs):
            ms, rows = show(year - 1 if run % 2 else year)
            samples.append(ms)
        ms = median(samples)
        verdict = "OK" if ms <= TARGET_MS else "OVER"
        print(f"DuesPage.set_year → first screen painted: {rows:,} members, median {ms:.0f} ms of {args.runs} "
              f"(runs: {', '.join(f'{s:.0f}' for s in samples)}) — target ≤ {TARGET_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
