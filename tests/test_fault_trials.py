"""SIGKILL at random moments during demo generation, roster import, JSON import, backup and restore.

The trials themselves are tests/faults/trials.py (run it alone for more: ``python3
tests/faults/trials.py --trials 200``). Here each of the five operations gets ``TRIALS`` trials,
100 in all, on small ledgers; every trial must leave no corrupt file, no unopenable ledger and no
half-written batch, and the next run must still work over whatever a killed one left behind.
"""

import random
import sys

import pytest
from faults.trials import CHILD_WORK, run_all, table

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork are POSIX")]

TRIALS = 20  # per operation


def test_sigkill_at_random_moments_leaves_before_or_after(tmp_path):
    seed = random.randrange(1 << 30)
    tallies = run_all(tmp_path, dict.fromkeys(CHILD_WORK, TRIALS), seed)
    summary = table(tallies, seed)
    print(summary)
    notes = "\n".join(f"{t.name}: {note}" for t in tallies for note in t.notes[:3])
    assert sum(t.trials for t in tallies) >= 100
    assert all(t.bad == 0 for t in tallies), f"{summary}\n{notes}"
    assert all(t.states["before"] + t.states["after"] == t.trials for t in tallies), summary
