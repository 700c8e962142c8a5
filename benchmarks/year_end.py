"""The year-end statistics and the annual summary as Word and PDF, on the demo ledger.

Target (design.md): annual summary with statistics, Word + PDF, ≤ 2 s on the 5,000-member ×
10-year demo ledger, medians of 5 or more.

What is timed, in one warm process (the CJK font registered and python-docx, docxtpl and reportlab
imported before the first run, as in the GUI after the first document), for the last full year of
the ledger:
- statistics: ``services.statistics.year_statistics(year)`` — the roster at 31 December, the
  year's changes, 民主评议, meetings required against held (``services.compliance``) with the
  attendance, and dues (``services.dues.year_grid``);
- Word: ``write_summary(year, out.docx, stats=stats)`` — the context (the clerk's texts read), the
  template filled and checked, the atomic write;
- PDF: ``write_summary(year, out.pdf, stats=stats)`` on the 公文 grid;
- total: the three in turn, which is what the target counts (the summary's figures come from the
  one statistics computed, as the GUI and the archive do).

Run: ``python benchmarks/year_end.py [--runs 5] [--db LEDGER | --members 5000 --years 10]``.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))
from _common import demo_ledger, median  # noqa: E402

TARGET = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="a demo ledger already built (else one is generated and cached)")
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    path = args.db or demo_ledger(args.members, args.years)

    from ledger_app.db import open_ledger

    with open_ledger(path, readonly=True), tempfile.TemporaryDirectory() as folder:
        from datetime import date

        import docx  # noqa: F401
        import docxtpl  # noqa: F401

        from ledger_app.documents.pdf import fonts
        from ledger_app.documents.summary import write_summary
        from ledger_app.services.statistics import year_statistics

        fonts()
        year = date.today().year - 1
        samples: dict[str, list[float]] = {"statistics": [], "word": [], "pdf": [], "total": []}
        for run in range(args.runs + 1):  # the first run warms the caches and is not counted
            started = time.perf_counter()
            stats = year_statistics(year)
            counted = time.perf_counter()
            write_summary(year, Path(folder) / "summary.docx", stats=stats)
            worded = time.perf_counter()
            write_summary(year, Path(folder) / "summary.pdf", stats=stats)
            done = time.perf_counter()
            if run:
                for key, value in (("statistics", counted - started), ("word", worded - counted),
                                   ("pdf", done - worded), ("total", done - started)):
                    samples[key].append(value)
    members = stats.table("overview").value("党员总数")
    print(f"year-end on {path.name}: {year}, {members} members at 31 December, {args.runs} runs (medians)")
    for key, values in samples.items():
        print(f"  {key:<10} {median(values) * 1000:7.0f} ms   (min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})")
    total = median(samples["total"])
    print(f"  target ≤ {TARGET:.1f} s: {'met' if total <= TARGET else 'NOT met'} ({total:.2f} s)")


if __name__ == "__main__":
    main()
