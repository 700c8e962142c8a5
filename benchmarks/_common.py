"""Helpers the benchmark scripts share: the cached demo ledger and median timing."""

import statistics
import subprocess
import sys
import time
from pathlib import Path

CACHE = Path(__file__).with_name("_data")


def demo_ledger(members: int = 5000, years: int = 10, seed: int = 1) -> Path:
    """A demo ledger of that size, generated once and kept in benchmarks/_data/."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"demo-{members}x{years}-s{seed}.sqlite3"
    if not path.exists():
        print(f"generating {path.name} …", file=sys.stderr)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "ledger_app.cli", "demo", "--db", str(path), "--members", str(members),
                        "--years", str(years), "--seed", str(seed), "--quiet"], check=True)
        print(f"generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def median(samples: list[float]) -> float:
    return statistics.median(samples)
