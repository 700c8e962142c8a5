"""The command line on a hostile machine: a full disk, a read-only folder, a file that is not a
ledger, a truncated ledger, a tampered backup.

Each case runs the real ``party-ledger`` in a subprocess and must end in a clear Chinese message
(``错误：…``), a non-zero exit, no traceback, and a ledger exactly as it was (its export, or its
bytes when it cannot be exported). The full disk is a small tmpfs where this machine lets root
mount one; elsewhere an ``OSError(ENOSPC)`` is injected where the export writes.
"""

import errno
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TODAY_SEED = 1
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def run_cli(*args, home: Path, shim: str = "") -> subprocess.CompletedProcess:
    """``party-ledger ARGS`` in a fresh interpreter; ``shim`` is Python run first (to inject faults)."""
    code = f"{shim}\nimport sys\nfrom ledger_app.cli import main\nsys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PARTY_LEDGER_HOME": str(home)}
    env.pop("PARTY_LEDGER_DB", None)
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)


def assert_refused(result: subprocess.CompletedProcess, says: str = "") -> None:
    """Non-zero exit, no traceback, a Chinese message starting with 错误：."""
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    assert result.stderr.startswith("错误："), output
    assert CHINESE.search(result.stderr), output
    assert says in result.stderr, output


def exported(ledger: Path, home: Path, tmp: Path) -> str:
    out = tmp / f"state-{os.urandom(4).hex()}.json"
    result = run_cli("export", "--db", ledger, "--out", out, home=home)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    out.unlink()
    return text


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def demo(tmp_path, demo_ledgers):
    """A small demo ledger to spoil."""
    return demo_ledgers.copy(tmp_path / "ledger.sqlite3", members=15, years=1, seed=TODAY_SEED)


@pytest.fixture
def roster(tmp_path, demo_ledgers):
    """A roster workbook of another branch, which imports cleanly into ``demo``."""
    from ledger_app.db import open_ledger
    from ledger_app.roster_export import export_roster_xlsx

    other = demo_ledgers.copy(tmp_path / "other.sqlite3", members=15, years=1, seed=2)
    with open_ledger(other, readonly=True):
        export_roster_xlsx(tmp_path / "roster.xlsx")
    return tmp_path / "roster.xlsx"


# --- a full disk ---------------------------------------------------------------------------------

def _mount(args: list[str]) -> bool:
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB tmpfs, or None where this machine does not allow mounting one."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount(["-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(disk)]):
        yield None
        return
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path, leave: int = 0) -> None:
    """Fill the disk, leaving about ``leave`` bytes free."""
    free = shutil.disk_usage(disk).free - leave
    with open(disk / "filler", "wb") as handle:
        while free > 0:
            chunk = min(free, 1 << 16)
            try:
                handle.write(b"\0" * chunk)
                handle.flush()
            except OSError:
                break
            free -= chunk


def test_backup_onto_a_full_disk(demo, small_disk, data_home, tmp_path):
    if small_disk is None:
        pytest.skip("no tmpfs here (not root, or mount refused); the export case injects ENOSPC instead")
    before = exported(demo, data_home, tmp_path)
    fill(small_disk, leave=32 * 1024)
    assert_refused(run_cli("backup", "--db", demo, "--to", small_disk, home=data_home), "备份")
    assert exported(demo, data_home, tmp_path) == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]  # no partial copy left


def test_export_onto_a_full_disk(demo, small_disk, data_home, tmp_path):
    before = exported(demo, data_home, tmp_path)
    if small_disk is None:  # simulated: the disk fills up as the export is flushed to it
        shim = ("import errno, os\n"
                "def _full(fd):\n    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
                "os.fsync = _full\n")
        folder = tmp_path / "out"
        folder.mkdir()
    else:
        shim, folder = "", small_disk
        fill(small_disk, leave=16 * 1024)
    result = run_cli("export", "--db", demo, "--out", folder / "台账.json", home=data_home, shim=shim)
    assert_refused(result, os.strerror(errno.ENOSPC) if small_disk is None else "")
    assert exported(demo, data_home, tmp_path) == before
    assert [p.name for p in folder.iterdir() if p.name != "filler"] == []


def test_writing_into_a_ledger_on_a_full_disk(small_disk, demo, roster, data_home, tmp_path):
    if small_disk is None:
        pytest.skip("no tmpfs here (not root, or mount refused)")
    ledger = small_disk / "ledger.sqlite3"
    shutil.copyfile(demo, ledger)
    before = exported(ledger, data_home, tmp_path)
    fill(small_disk, leave=4 * 1024)
    assert_refused(run_cli("members", "import", roster, "--db", ledger, home=data_home))
    (small_disk / "filler").unlink()
    assert exported(ledger, data_home, tmp_path) == before


def test_demo_onto_a_full_disk_leaves_no_file(small_disk, data_home):
    if small_disk is None:
        pytest.skip("no tmpfs here (not root, or mount refused)")
    fill(small_disk, leave=64 * 1024)
    assert_refused(run_cli("demo", "--db", small_disk / "演示.sqlite3", "--members", "30", "--quiet", home=data_home))
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


# --- a read-only folder ----------------------------------------------------------------------------

@pytest.fixture
def readonly_folder(tmp_path, demo):
    """A folder holding a copy of the demo ledger that cannot be written: a read-only bind mount as
    root (root ignores file modes), else mode 0555."""
    folder = tmp_path / "readonly"
    folder.mkdir()
    shutil.copyfile(demo, folder / "ledger.sqlite3")
    mounted = _mount(["--bind", str(folder), str(folder)])
    if mounted and not _mount(["-o", "remount,bind,ro", str(folder)]):
        subprocess.run(["umount", str(folder)], check=False)
        mounted = False
    if not mounted:
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            pytest.skip("root here cannot make a read-only folder (no bind mount)")
        folder.chmod(0o555)
    try:
        yield folder
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        else:
            folder.chmod(0o755)


def test_writing_into_a_readonly_folder(readonly_folder, roster, data_home, tmp_path):
    ledger = readonly_folder / "ledger.sqlite3"
    before = file_hash(ledger)
    assert_refused(run_cli("members", "import", roster, "--db", ledger, home=data_home))
    assert_refused(run_cli("backup", "--db", ledger, "--to", readonly_folder, home=data_home))
    assert_refused(run_cli("export", "--db", ledger, "--out", readonly_folder / "x.json", home=data_home))
    assert_refused(run_cli("demo", "--db", readonly_folder / "new.sqlite3", "--quiet", home=data_home))
    assert file_hash(ledger) == before
    assert sorted(p.name for p in readonly_folder.iterdir()) == ["ledger.sqlite3"]


def test_reading_a_ledger_in_a_readonly_folder(readonly_folder, demo, data_home, tmp_path):
    """Reading a ledger from a write-protected stick works, or says clearly why not."""
    ledger = readonly_folder / "ledger.sqlite3"
    result = run_cli("verify", "--db", ledger, home=data_home)
    if result.returncode != 0:
        assert_refused(result)
    result = run_cli("export", "--db", ledger, "--out", tmp_path / "x.json", home=data_home)
    if result.returncode == 0:
        assert (tmp_path / "x.json").read_text(encoding="utf-8") == exported(demo, data_home, tmp_path)
    else:
        assert_refused(result)


# --- files that are not (whole) ledgers -----------------------------------------------------------

READING_COMMANDS = [["verify"], ["export", "--out", "{tmp}/x.json"], ["backup", "--to", "{tmp}/b"],
                    ["members", "export", "{tmp}/x.xlsx"], ["doc", "roster", "--out", "{tmp}/x.pdf"],
                    ["meetings", "check", "--year", "2025"], ["dues", "arrears", "--as-of", "2025-06"]]
WRITING_COMMANDS = [["members", "import", "{roster}"], ["members", "undo-import"]]


def _spoiled_cases(tmp_path, demo, roster):
    not_sqlite = tmp_path / "not-a-ledger.sqlite3"
    not_sqlite.write_text("姓名,身份证号\n张三,110101199001011234\n", encoding="utf-8")
    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(demo.read_bytes()[: demo.stat().st_size // 3])
    other_sqlite = tmp_path / "other-program.sqlite3"
    import sqlite3

    conn = sqlite3.connect(other_sqlite)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    return [not_sqlite, truncated, other_sqlite]


@pytest.mark.parametrize("command", READING_COMMANDS + WRITING_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_file_that_is_not_a_whole_ledger(command, tmp_path, demo, roster, data_home):
    for spoiled in _spoiled_cases(tmp_path, demo, roster):
        before = file_hash(spoiled)
        argv = [part.format(tmp=tmp_path, roster=roster) for part in command]
        assert_refused(run_cli(*argv, "--db", spoiled, home=data_home))
        assert file_hash(spoiled) == before, spoiled.name
        wal = spoiled.with_name(spoiled.name + "-wal")  # a reader of a WAL file may make an empty one
        assert not wal.exists() or wal.stat().st_size == 0, spoiled.name


def test_importing_or_restoring_from_a_file_that_is_not_one(tmp_path, demo, data_home):
    before = exported(demo, data_home, tmp_path)
    for spoiled in _spoiled_cases(tmp_path, demo, None):
        assert_refused(run_cli("restore", spoiled, "--db", demo, home=data_home))
        assert_refused(run_cli("import", spoiled, "--db", tmp_path / "new.sqlite3", home=data_home))
        assert_refused(run_cli("members", "import", spoiled, "--db", demo, home=data_home))
        assert not (tmp_path / "new.sqlite3").exists()
    assert exported(demo, data_home, tmp_path) == before


# --- a tampered backup --------------------------------------------------------------------------------

def test_a_tampered_backup_is_refused(tmp_path, demo, demo_ledgers, data_home):
    other = demo_ledgers.copy(tmp_path / "other.sqlite3", members=15, years=1, seed=2)
    made = run_cli("backup", "--db", other, "--to", tmp_path / "backups", home=data_home)
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip())
    before = exported(demo, data_home, tmp_path)

    data = bytearray(backup.read_bytes())
    at = data.find("支部".encode())  # a byte of content: the file stays a valid SQLite file
    data[at] ^= 0x01
    backup.write_bytes(bytes(data))
    assert_refused(run_cli("restore", backup, "--db", demo, home=data_home), "校验值不符")

    loose = tmp_path / "loose-copy.sqlite3"  # a copy away from its manifest: the integrity check
    raw = bytearray(Path(demo).read_bytes())
    raw[len(raw) // 2: len(raw) // 2 + 4096] = b"\xff" * 4096
    loose.write_bytes(bytes(raw))
    assert_refused(run_cli("restore", loose, "--db", demo, home=data_home))
    assert exported(demo, data_home, tmp_path) == before
