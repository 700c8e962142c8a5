"""``party-ledger verify`` on the 5,000-member × 10-year demo ledger, end to end, and where its time goes.

Target (issue 12): ≤ 3 s. End to end is a fresh process (``python -m ledger_app.cli --db … verify``,
imports included), median of N. The breakdown, in this process: SQLite's ``PRAGMA integrity_check``
alone (with the cache ``verify`` gives it; it runs on a thread of its own beside the rules), and
each group of rule checks alone (foreign keys, the column checks of every table, the person and
development rules, duplicate ID numbers), with the CPU time of each, since on a shared machine the
wall time of a run depends on what else is running. The ledger is opened read-only.

Run: ``python benchmarks/verify.py [--runs 5] [--members 5000] [--years 10]``.
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))
from _common import demo_ledger, median  # noqa: E402

TARGET_S = 3.0
ROOT = Path(__file__).parent.parent


def end_to_end(path: Path) -> float:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed program runs from compiled bytecode
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "ledger_app.cli", "--db", str(path), "verify"], cwd=ROOT, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if done.returncode not in (0, 1):  # 1: problems found (the demo plants a few)
        raise RuntimeError(f"verify ended with exit code {done.returncode}")
    return time.perf_counter() - started


def _clock(work) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def breakdown(path: Path) -> list[tuple[str, float, float]]:
    from ledger_app import verify
    from ledger_app.db import open_ledger

    with open_ledger(path, readonly=True):
        from ledger_app.models import Person

        names = dict(Person.select(Person.id, Person.name).tuples())
        today = date.today()
        parts = [
            ("integrity_check (its own thread in verify)", lambda: verify._IntegrityCheck(path).findings()),
            ("foreign_key_check", lambda: verify._foreign_keys(names)),
            ("column checks, every table", lambda: [verify._columns(model, names) for model in verify.ALL_MODELS]),
            ("person and development rules", lambda: verify._people(names, today)),
            ("duplicate ID numbers", lambda: verify._duplicate_ids(names)),
            ("verify_ledger() in all", verify.verify_ledger),
        ]
        return [(label, *_clock(work)) for label, work in parts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path = demo_ledger(args.members, args.years)
    end_to_end(path)  # the file in the page cache, as after the clerk's own use
    samples = [end_to_end(path) for _ in range(args.runs)]
    seconds = median(samples)
    size = path.stat().st_size / 1e6
    print(f"party-ledger verify, {path.name} ({size:.0f} MB): median {seconds:.2f} s of {args.runs} "
          f"({', '.join(f'{s:.2f}' for s in samples)}) — target ≤ {TARGET_S:.0f} s: "
          f"{'OK' if seconds <= TARGET_S else 'OVER'}; load average {os.getloadavg()[0]:.2f}")
    print("where the time goes (in-process, one run each: wall s / CPU s of this process):")
    for label, wall, cpu in breakdown(path):
        print(f"  {label:<45} {wall:5.2f} / {cpu:5.2f}")


if __name__ == "__main__":
    main()
