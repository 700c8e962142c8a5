"""JSON export and import of the 5,000-member × 10-year demo ledger: time and peak memory.

Each run exports the ledger (``party-ledger export``) and imports that file into a new ledger
(``party-ledger import``), each in a fresh process, alternately; the figures are medians of N runs
and the peak resident memory of the processes. Targets (issue 12): import ≤ 2 × the export in the
same run, and under 500 MB resident. Run: ``python benchmarks/exchange.py [--runs 5]``.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import demo_ledger, median  # noqa: E402

RATIO_TARGET = 2.0
MEMORY_TARGET_MB = 500


def run(args: list[str]) -> tuple[float, float]:
    """Seconds and peak resident MB of one ``party-ledger`` command in its own process."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "ledger_app.cli", *args], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"party-ledger {' '.join(args)} failed")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    ledger = demo_ledger(args.members, args.years)
    exports, imports, export_mb, import_mb = [], [], [], []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "ledger.json"
        for number in range(args.runs):
            seconds, mb = run(["export", "--db", str(ledger), "--out", str(out)])
            exports.append(seconds)
            export_mb.append(mb)
            seconds, mb = run(["import", "--db", str(Path(folder) / f"imported-{number}.sqlite3"), str(out)])
            imports.append(seconds)
            import_mb.append(mb)
            (Path(folder) / f"imported-{number}.sqlite3").unlink()
        size = out.stat().st_size / 1e6
    ratio = median(imports) / median(exports)
    peak = max(import_mb)
    print(f"{ledger.name} ({ledger.stat().st_size / 1e6:.0f} MB), export file {size:.0f} MB; load average "
          f"{os.getloadavg()[0]:.1f}")
    print(f"export: median {median(exports):.1f} s (runs: {', '.join(f'{t:.1f}' for t in exports)}), "
          f"peak {max(export_mb):.0f} MB")
    print(f"import: median {median(imports):.1f} s (runs: {', '.join(f'{t:.1f}' for t in imports)}), "
          f"peak {peak:.0f} MB")
    print(f"import / export: {ratio:.2f} (target ≤ {RATIO_TARGET:.0f}) {'PASS' if ratio <= RATIO_TARGET else 'FAIL'}; "
          f"import peak {peak:.0f} MB (target < {MEMORY_TARGET_MB}) {'PASS' if peak < MEMORY_TARGET_MB else 'FAIL'}")


if __name__ == "__main__":
    main()
