"""The year archive of a 60-member branch: every document as Word and PDF, the combined PDF and
the index, end to end.

Target (design.md): year archive of a 60-member branch ≤ 30 s, with progress.

The demo ledger is ``party-ledger demo --members 60 --years 2`` (cached in benchmarks/_data/); the
year archived is its first, complete year (about 90 meetings, so some 420 files and a 400-page
book). Each run writes a fresh folder in a temporary directory through
``ledger_app.archive.write_archive`` in a new process (cold: imports, font registration and
template parsing included, as the first archive after starting the app), and reports the wall
time and the process's CPU time: the machine is shared, and the CPU time says what the archive
costs when it has a core to itself.

Run: ``python benchmarks/archive.py [--runs 3] [--members 60 --years 2]``.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))

from _common import demo_ledger, median  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ONE_RUN = """
import json, sys, time, resource
started = time.perf_counter()
from ledger_app.archive import write_archive
from ledger_app.db import open_ledger
with open_ledger(sys.argv[1], readonly=True):
    result = write_archive(int(sys.argv[2]), sys.argv[3], progress=lambda *a: None)
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"wall": time.perf_counter() - started, "cpu": usage.ru_utime + usage.ru_stime,
                  "documents": len(result.entries), "files": result.files, "pages": result.pages}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--members", type=int, default=60)
    parser.add_argument("--years", type=int, default=2)
    args = parser.parse_args()
    path = demo_ledger(args.members, args.years)
    import sqlite3

    year = int(sqlite3.connect(path).execute("SELECT MIN(strftime('%Y', held_on)) FROM meeting").fetchone()[0])
    runs = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            done = subprocess.run([sys.executable, "-c", ONE_RUN, str(path), str(year), str(Path(folder) / "台账")],
                                  capture_output=True, text=True, cwd=ROOT, check=True)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"  wall {runs[-1]['wall']:.1f} s, cpu {runs[-1]['cpu']:.1f} s", file=sys.stderr)
    last = runs[-1]
    print(f"year {year} of {args.members} members: {last['documents']} documents, {last['files']} files, "
          f"{last['pages']} pages in the book")
    print(f"wall: median {median([r['wall'] for r in runs]):.1f} s (target ≤ 30 s); "
          f"cpu: median {median([r['cpu'] for r in runs]):.1f} s")


if __name__ == "__main__":
    main()
