"""The dues year grid: every member × month of a year with its status and the totals, for 5,000 members.

Target (design.md): the dues grid of a year for 5,000 members shown in ≤ 300 ms. This times the
core part, ``services.dues.year_grid(year)`` on the 5,000 × 10 demo ledger (median of N runs, the
ledger opened read-only as the GUI's queries are). The GUI's table model over the grid answers
``data()`` per visible cell and is timed by its own helper; what is left of the 300 ms for it is
printed. For context it also times the arrears report (the 工作台 count) and the bases list.

Run: ``python benchmarks/dues_grid.py [--members 5000] [--years 10] [--runs 5]``.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))
from _common import demo_ledger, median  # noqa: E402

TARGET_MS = 300.0


def timed(fn, runs: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    return median(samples), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from ledger_app.db import open_ledger
    from ledger_app.services import dues

    path = demo_ledger(args.members, args.years)
    with open_ledger(path, readonly=True):
        from ledger_app.models import database

        (year,) = database.execute_sql("SELECT MAX(year) FROM dues_payment").fetchone()
        last_full = year - 1
        for warm in (last_full, year):  # warm the page cache, as a ledger in use is
            dues.year_grid(warm)
        for label, grid_year in (("last full year", last_full), ("current year", year)):
            ms, grid = timed(lambda y=grid_year: dues.year_grid(y), args.runs)
            cells = len(grid.rows) * 12
            verdict = "OK" if ms <= TARGET_MS else "OVER"
            print(f"year_grid({grid_year}) [{label}]: {len(grid.rows):,} members, {cells:,} cells, "
                  f"median {ms:.0f} ms of {args.runs} — target ≤ {TARGET_MS:.0f} ms shown: {verdict} "
                  f"(left for the GUI: {TARGET_MS - ms:.0f} ms)")
        ms, report = timed(dues.arrears_report, args.runs)
        print(f"arrears_report(): {len(report.rows)} members listed, median {ms:.0f} ms")
        ms, rows = timed(lambda: dues.bases_for_year(year), args.runs)
        print(f"bases_for_year({year}): {len(rows):,} rows, median {ms:.0f} ms")


if __name__ == "__main__":
    main()
