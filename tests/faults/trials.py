"""SIGKILL at random moments during the long writes, and every file checked after each kill.

The five operations that write much at once — demo generation, the Excel roster import, the JSON
import, a backup and a restore — are each run many times on small ledgers and killed with SIGKILL
at a random moment (or left to finish: the moments are drawn over 1.15 × the operation's own
duration). After every trial the files are checked:

- the ledger opens as a ledger again (write lock free, version known) and ``PRAGMA integrity_check``
  is ok — else it counts as *unopenable* or *corrupt*;
- its export (``exchange.export_ledger``) is exactly the state before the operation or the complete
  state after it — else it counts as *half-written*; for a new ledger (demo, JSON import) "before"
  is no file at all;
- every backup in the folders involved passes ``backup.inspect_backup`` (checksum, integrity);
- the next trial runs in the same folders, over whatever the killed one left behind, and one last
  uninterrupted run must still reach the complete state: a leftover that would confuse the next
  run shows up as a failed trial.

Killing at random needs many quick starts, so one preloaded *zygote* process imports the program
once and forks a child per trial; the parent kills the child. Run on its own for more trials and
the summary table: ``python3 tests/faults/trials.py --trials 100`` (per operation). The test suite
runs it smaller (tests/test_fault_trials.py).
"""

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2025, 6, 30)
MEMBERS = 15
TEMP_PATTERNS = ("*.partial*", "*.tmp", "*-journal")
BAD = ("corrupt", "unopenable", "half-written", "failed")


# ---------------------------------------------------------------------------------------------
# The child side: what a forked child does

def _run_demo(target: str) -> None:
    from ledger_app.demo import generate_demo

    generate_demo(Path(target), members=MEMBERS, years=1, seed=1, today=TODAY)


def _run_json_import(source: str, target: str) -> None:
    from ledger_app.exchange import import_ledger

    import_ledger(Path(source), Path(target))


def _run_roster_import(ledger: str, workbook: str) -> None:
    from ledger_app.db import open_ledger
    from ledger_app.roster_import import import_roster_file

    with open_ledger(ledger):
        report = import_roster_file(Path(workbook), dry_run=False, today=TODAY)
    if report.problems:
        raise AssertionError(report.problems)


def _run_backup(ledger: str, folder: str) -> None:
    from ledger_app.backup import make_backup

    make_backup(Path(ledger), Path(folder))


def _run_restore(backup: str, ledger: str) -> None:
    from ledger_app.backup import restore_backup

    restore_backup(Path(backup), Path(ledger))


CHILD_WORK = {"demo": _run_demo, "json-import": _run_json_import, "roster-import": _run_roster_import,
              "backup": _run_backup, "restore": _run_restore}


def serve() -> None:
    """The zygote: import everything once, then fork one child per job read from stdin.

    For each job it prints the child's pid, waits for it (the parent may kill it) and prints its
    wait status. The child's stderr goes to the job's log file.
    """
    import importlib
    import pkgutil

    import ledger_app

    for module in pkgutil.walk_packages(ledger_app.__path__, "ledger_app."):
        importlib.import_module(module.name)  # so that a trial's time is the work, not the imports
    import openpyxl  # noqa: F401
    import pypinyin  # noqa: F401
    import python_calamine  # noqa: F401

    for line in sys.stdin:
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                log = os.open(job["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
                os.dup2(log, 2)
                os.environ["PARTY_LEDGER_HOME"] = job["home"]
                CHILD_WORK[job["op"]](*job["args"])
                code = 0
            except BaseException:
                import traceback

                traceback.print_exc()
                sys.stderr.flush()
            os._exit(code)
        print(pid, flush=True)
        _, status = os.waitpid(pid, 0)
        print(status, flush=True)


class Zygote:
    """The parent's handle on the preloaded process that forks the trials."""

    def __init__(self):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
        self.proc = subprocess.Popen([sys.executable, "-c", "from faults.trials import serve; serve()"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)

    def run(self, op: str, args: list[str], home: Path, log: Path, kill_after: float | None) -> str:
        """Run one job; kill it ``kill_after`` seconds after the fork. 'killed', 'completed' or 'failed'."""
        self.proc.stdin.write(json.dumps({"op": op, "args": args, "home": str(home), "log": str(log)}) + "\n")
        self.proc.stdin.flush()
        pid = int(self._line())
        if kill_after is not None:
            time.sleep(kill_after)  # not an assertion: only picks a moment inside the operation
            with suppress(ProcessLookupError):  # it finished first
                os.kill(pid, signal.SIGKILL)
        status = int(self._line())
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
            return "killed"
        return "completed" if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else "failed"

    def _line(self) -> str:
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the trial zygote died")
        return line

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self.proc.stdout.close()


# ---------------------------------------------------------------------------------------------
# The parent side: checking the files

def ledger_state(path: Path, scratch: Path) -> str:
    """'absent', 'corrupt', 'unopenable', or the ledger's export as text (comparable between runs)."""
    from ledger_app.db import open_ledger
    from ledger_app.errors import LedgerError
    from ledger_app.exchange import export_ledger

    if not path.exists() or path.stat().st_size == 0:
        return "absent"
    try:
        conn = sqlite3.connect(path)
        try:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                return "corrupt"
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return "corrupt"
    out = scratch / "state.json"
    try:
        with open_ledger(path, program="fault-check"):  # as a writer: the lock is free again
            export_ledger(out)
    except LedgerError:
        return "unopenable"
    text = out.read_text(encoding="utf-8")
    out.unlink()
    return comparable(text)


def comparable(export_text: str) -> str:
    """An export without the moments things happened (audit and import times differ run to run)."""
    document = json.loads(export_text)
    for rows in document["tables"].values():
        for row in rows:
            for key in ("at", "imported_at", "undone_at"):
                row.pop(key, None)
    return json.dumps(document, ensure_ascii=False, sort_keys=True)


def backup_problems(folder: Path) -> list[str]:
    """Backups under their final name that fail the restore's own check, and manifest trouble."""
    from ledger_app.backup import MANIFEST, inspect_backup
    from ledger_app.errors import LedgerError

    problems = []
    if not folder.exists():
        return problems
    for sub in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        manifest = sub / MANIFEST
        if manifest.exists():
            try:
                json.loads(manifest.read_text(encoding="utf-8"))["backups"]
            except (ValueError, KeyError) as exc:
                problems.append(f"{manifest}: {exc}")
        for backup in sub.glob("*.sqlite3"):
            try:
                inspect_backup(backup)
            except LedgerError as exc:
                problems.append(f"{backup.name}: {exc}")
    return problems


def temp_files(folder: Path) -> list[Path]:
    return [p for pattern in TEMP_PATTERNS for p in folder.rglob(pattern)]


def _shape(name: str) -> str:
    return "".join("0" if c.isdigit() else c for c in name)


def remove_ledger(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def copy_ledger(source: Path, target: Path) -> None:
    remove_ledger(target)
    shutil.copyfile(source, target)


# ---------------------------------------------------------------------------------------------
# The operations

@dataclass
class Operation:
    """One kind of trial: its folder, how to reset the state before, and the states allowed after."""

    name: str
    folder: Path
    args: list[str] = field(default_factory=list)
    ledger: Path | None = None  # the file whose state is judged
    before: str = "absent"
    after: str = ""
    reset_from: Path | None = None  # copied onto ``ledger`` before each trial (None: ledger removed)
    backups: list[Path] = field(default_factory=list)  # folders whose backups must all pass
    ledger_before: str = ""  # a backup's: the ledger's own state, which must not change

    @property
    def home(self) -> Path:
        return self.folder / "home"

    def reset(self) -> None:
        if self.reset_from is None:
            remove_ledger(self.ledger)
        else:
            copy_ledger(self.reset_from, self.ledger)

    def state(self, scratch: Path) -> str:
        return ledger_state(self.ledger, scratch)


class BackupOperation(Operation):
    """A backup: the ledger must stay as it was; "after" is one whole backup in the folder.

    Each trial starts from an empty backup folder except for the temp files killed trials left.
    """

    def reset(self) -> None:
        super().reset()
        folder = self.backups[0]
        for done in [*folder.glob("*.sqlite3"), folder / "manifest.json"]:
            done.unlink(missing_ok=True)

    def state(self, scratch: Path) -> str:
        ledger = ledger_state(self.ledger, scratch)
        if ledger != self.ledger_before:
            return ledger if ledger in ("corrupt", "unopenable") else "ledger changed"
        made = list(self.backups[0].glob("*.sqlite3"))
        return {0: "before", 1: "after"}.get(len(made), f"{len(made)} backups")


def build_operations(work: Path, zygote: Zygote) -> list[Operation]:
    """Build the inputs (in the zygote, so the parent's open ledger is never rebound) and the operations."""
    fixtures = work / "fixtures"
    fixtures.mkdir(parents=True)
    log = work / "fixtures.log"

    def make(op, *args):
        if zygote.run(op, [str(a) for a in args], fixtures / "home", log, None) != "completed":
            raise RuntimeError(f"building the fixtures failed: {log.read_text(encoding='utf-8')}")

    ledger_a, ledger_b = fixtures / "a.sqlite3", fixtures / "b.sqlite3"
    make("demo", ledger_a)
    # A second, different ledger: the roster it exports is imported into the first one, and a
    # backup of it is restored over the first one.
    shutil.copyfile(ledger_a, ledger_b)
    make("roster-import", ledger_b, _roster_workbook(fixtures))
    backup_b = fixtures / "b-backup.sqlite3"
    make("backup", ledger_b, fixtures / "backups")
    shutil.copyfile(next((fixtures / "backups").glob("b-*.sqlite3")), backup_b)
    source_json = fixtures / "a.json"
    make_export(ledger_a, source_json)

    scratch = work / "scratch"
    scratch.mkdir()
    state_a = ledger_state(ledger_a, scratch)
    state_b = ledger_state(ledger_b, scratch)
    operations = []
    for name in CHILD_WORK:
        folder = work / name
        folder.mkdir()
        target = folder / "ledger.sqlite3"
        op = (BackupOperation if name == "backup" else Operation)(name, folder, ledger=target)
        if name == "demo":
            op.args, op.after = [str(target)], state_a
        elif name == "json-import":
            op.args, op.after = [str(source_json), str(target)], state_a
        elif name == "roster-import":
            op.args, op.before, op.after, op.reset_from = [str(target), str(fixtures / "b.xlsx")], state_a, state_b, ledger_a
        elif name == "backup":
            op.args, op.before, op.after, op.reset_from = [str(target), str(folder / "backups")], "before", "after", ledger_a
            op.ledger_before = state_a
            op.backups.append(folder / "backups")
        elif name == "restore":
            op.args, op.before, op.after, op.reset_from = [str(backup_b), str(target)], state_a, state_b, ledger_a
        op.backups.append(op.home)
        operations.append(op)
    return operations


def _roster_workbook(fixtures: Path) -> Path:
    """The roster of another demo branch (seed 2), as the roster export writes it."""
    from openpyxl import load_workbook  # noqa: F401 - only to fail early when openpyxl is missing

    other = fixtures / "other.sqlite3"
    workbook = fixtures / "b.xlsx"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PARTY_LEDGER_HOME": str(fixtures / "home")}
    script = ("import sys; from datetime import date; from pathlib import Path\n"
              "from ledger_app.demo import generate_demo\nfrom ledger_app.db import open_ledger\n"
              "from ledger_app.roster_export import export_roster_xlsx\n"
              f"generate_demo(Path(sys.argv[1]), members={MEMBERS}, years=1, seed=2, today=date{TODAY.timetuple()[:3]})\n"
              "with open_ledger(sys.argv[1], readonly=True):\n    export_roster_xlsx(Path(sys.argv[2]))\n")
    subprocess.run([sys.executable, "-c", script, str(other), str(workbook)], check=True, env=env, cwd=ROOT)
    return workbook


def make_export(ledger: Path, out: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "ledger_app.cli", "export", "--db", str(ledger), "--out", str(out)],
                   check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)


# ---------------------------------------------------------------------------------------------
# Trials

@dataclass
class Tally:
    """What the trials of one operation came to."""

    name: str
    trials: int = 0
    outcomes: Counter = field(default_factory=Counter)  # killed / completed / failed
    states: Counter = field(default_factory=Counter)  # before / after / corrupt / unopenable / half-written
    bad_backups: int = 0
    temp_left: int = 0  # temp files a killed trial left (the next trial runs over them)
    temp_names: Counter = field(default_factory=Counter)  # their names, digits as 0
    next_run_ok: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def bad(self) -> int:
        return sum(self.states[s] for s in BAD) + self.outcomes["failed"] + self.bad_backups + (not self.next_run_ok)


def run_trials(operation: Operation, zygote: Zygote, trials: int, rng: random.Random, scratch: Path) -> Tally:
    tally = Tally(operation.name)
    log = operation.folder / "child.log"
    operation.home.mkdir(exist_ok=True)

    def one(kill_after: float | None) -> tuple[str, float]:
        operation.reset()
        started = time.perf_counter()
        outcome = zygote.run(operation.name, operation.args, operation.home, log, kill_after)
        return outcome, time.perf_counter() - started

    outcome, duration = one(None)  # the operation's own time, to draw the moments from
    if outcome != "completed" or operation.state(scratch) != operation.after:
        raise RuntimeError(f"{operation.name}: an uninterrupted run did not reach the state after: "
                           f"{log.read_text(encoding='utf-8')}")
    for _ in range(trials):
        outcome, _ = one(rng.uniform(0, duration * 1.15))
        tally.trials += 1
        tally.outcomes[outcome] += 1
        if outcome == "failed":
            tally.notes.append(log.read_text(encoding="utf-8")[-800:])
        state = operation.state(scratch)
        if state in ("corrupt", "unopenable"):
            tally.states[state] += 1
        elif state == operation.before:
            tally.states["before"] += 1
        elif state == operation.after:
            tally.states["after"] += 1
        else:
            tally.states["half-written"] += 1
        if outcome == "completed" and state != operation.after:
            tally.notes.append(f"completed but not in the state after ({state[:40]})")
            tally.states["half-written"] += 1
        for folder in operation.backups:
            problems = backup_problems(folder)
            tally.bad_backups += bool(problems)
            tally.notes.extend(problems[:2])
        left = temp_files(operation.folder)
        tally.temp_left += len(left)
        tally.temp_names.update(_shape(p.name) for p in left)
    # The next run over whatever the last kill left behind.
    outcome, _ = one(None)
    tally.next_run_ok = outcome == "completed" and operation.state(scratch) == operation.after
    if not tally.next_run_ok:
        tally.notes.append(f"next run: {outcome}: {log.read_text(encoding='utf-8')[-800:]}")
    return tally


def run_all(work: Path, trials: dict[str, int], seed: int) -> list[Tally]:
    """Build the inputs in ``work`` and run ``trials[name]`` trials of each operation."""
    rng = random.Random(seed)
    zygote = Zygote()
    try:
        operations = build_operations(work, zygote)
        scratch = work / "scratch"
        return [run_trials(op, zygote, trials[op.name], rng, scratch) for op in operations if trials.get(op.name)]
    finally:
        zygote.close()


def table(tallies: list[Tally], seed: int) -> str:
    """The summary: one line an operation, then the totals."""
    head = ("operation", "trials", "killed", "finished", "before", "after", "corrupt", "unopenable",
            "half-written", "failed", "bad backups", "temp left", "next run")
    rows = [head]
    for t in tallies:
        rows.append((t.name, t.trials, t.outcomes["killed"], t.outcomes["completed"], t.states["before"],
                     t.states["after"], t.states["corrupt"], t.states["unopenable"], t.states["half-written"],
                     t.outcomes["failed"], t.bad_backups, t.temp_left, "ok" if t.next_run_ok else "FAILED"))
    totals = ["total"] + [sum(r[i] for r in rows[1:]) for i in range(1, len(head) - 1)]
    rows.append((*totals, "ok" if all(t.next_run_ok for t in tallies) else "FAILED"))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(head))]
    lines = [f"SIGKILL fault trials (seed {seed})"]
    lines += ["  ".join(str(v).rjust(w) if i else str(v).ljust(w) for i, (v, w) in enumerate(zip(r, widths, strict=True)))
              for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=40, help="trials per operation (default 40)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--only", choices=list(CHILD_WORK), action="append", help="only these operations")
    args = parser.parse_args(argv)
    seed = random.randrange(1 << 30) if args.seed is None else args.seed
    with tempfile.TemporaryDirectory(prefix="fault-trials-") as work:
        started = time.perf_counter()
        tallies = run_all(Path(work), {name: args.trials for name in (args.only or CHILD_WORK)}, seed)
        print(table(tallies, seed))
        print(f"{time.perf_counter() - started:.1f} s")
        for t in tallies:
            if t.temp_names:
                print(f"{t.name}: temp files seen after the trials: {dict(t.temp_names)}")
            for note in t.notes[:5]:
                print(f"{t.name}: {note}")
    return 1 if any(t.bad for t in tallies) else 0


if __name__ == "__main__":
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    sys.exit(main())
