"""Opening a ledger file: where it is, the pragmas, the schema version and migrations, the lock.

A refused file must be left exactly as it was, byte for byte, so these tests compare hashes and
folder listings, not only the error raised.
"""

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ledger_app import migrations
from ledger_app.backup import default_backup_dir, make_backup, sha256_of
from ledger_app.cli import main
from ledger_app.db import open_ledger, read_user_version, resolve_ledger_path
from ledger_app.errors import DamagedLedgerError, LedgerError, LedgerLockedError, NewerLedgerError
from ledger_app.models import Talk
from ledger_app.services import audit, write
from ledger_app.verify import verify_ledger

ROOT = Path(__file__).resolve().parents[1]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def table_names(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


@write
def add_talks(*participants: str) -> None:
    for name in participants:
        audit.create(Talk, "谈心谈话", held_on="2024-03-01", participants=name)


def make_ledger_with_data(path: Path) -> None:
    with open_ledger(path):
        add_talks("张三", "李四")


def spawn_holder(path: Path, program: str = "holder-test") -> subprocess.Popen:
    """A child process that opens the ledger for writing, says so, and waits to be killed."""
    code = (
        "import sys, time\n"
        "from ledger_app.db import open_ledger\n"
        f"ledger = open_ledger(sys.argv[1], program={program!r})\n"
        "print('ready', flush=True)\n"
        "time.sleep(600)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True,
                             env=env, cwd=ROOT)
    assert child.stdout.readline().strip() == "ready"
    return child


# --- where the ledger is -------------------------------------------------------------------------

def test_default_path_is_in_the_data_folder(data_home):
    assert resolve_ledger_path(None) == (data_home / "ledger.sqlite3").absolute()


def test_env_db_overrides_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTY_LEDGER_DB", str(tmp_path / "env.sqlite3"))
    assert resolve_ledger_path(None) == (tmp_path / "env.sqlite3").absolute()


def test_db_option_overrides_env(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTY_LEDGER_DB", str(tmp_path / "env.sqlite3"))
    assert resolve_ledger_path(tmp_path / "arg.sqlite3") == (tmp_path / "arg.sqlite3").absolute()
    assert resolve_ledger_path(str(tmp_path / "arg.sqlite3")) == (tmp_path / "arg.sqlite3").absolute()


def test_missing_ledger_is_created_also_in_a_missing_folder(tmp_path):
    path = tmp_path / "new" / "deeper" / "branch.sqlite3"
    with open_ledger(path) as ledger:
        assert not ledger.readonly
    assert path.is_file()
    assert read_user_version(path) == migrations.schema_version()


def test_missing_ledger_is_not_created_readonly_or_without_create(tmp_path):
    path = tmp_path / "absent.sqlite3"
    with pytest.raises(LedgerError, match="不存在"):
        open_ledger(path, readonly=True)
    with pytest.raises(LedgerError, match="不存在"):
        open_ledger(path, create=False)
    assert not path.exists()


# --- pragmas and version ---------------------------------------------------------------------------

def test_pragmas_of_an_opened_ledger(ledger, ledger_path):
    def pragma(name):
        return ledger.db.execute_sql(f"PRAGMA {name}").fetchone()[0]

    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("foreign_keys") == 1
    assert pragma("user_version") == migrations.schema_version()
    conn = sqlite3.connect(ledger_path)  # WAL is a property of the file, not only the connection
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_foreign_keys_are_enforced(ledger):
    from peewee import IntegrityError

    from ledger_app.models import DuesPayment

    with pytest.raises(IntegrityError):
        DuesPayment.create(person=9999, year=2024, month=1, amount_fen=100, paid_on="2024-01-05")


def test_reopening_keeps_data(ledger_path):
    make_ledger_with_data(ledger_path)
    with open_ledger(ledger_path):
        assert sorted(t.participants for t in Talk.select()) == ["张三", "李四"]


def test_newer_ledger_is_refused_naming_both_versions_and_left_unchanged(ledger_path):
    make_ledger_with_data(ledger_path)
    conn = sqlite3.connect(ledger_path)
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    before, files = sha(ledger_path), listing(ledger_path.parent)

    for readonly in (False, True):
        with pytest.raises(NewerLedgerError) as caught:
            open_ledger(ledger_path, readonly=readonly)
        message = str(caught.value)
        assert "7" in message and str(migrations.schema_version()) in message
        assert "升级" in message
    assert sha(ledger_path) == before
    # A WAL-mode file gets SQLite's (empty) side files from any reader; nothing else appears.
    extra = set(listing(ledger_path.parent)) - set(files)
    assert extra <= {"ledger.sqlite3-wal", "ledger.sqlite3-shm"}
    assert not (ledger_path.parent / "ledger.sqlite3-wal").exists() or \
        (ledger_path.parent / "ledger.sqlite3-wal").stat().st_size == 0
    assert read_user_version(ledger_path) == 7


def test_newer_ledger_in_delete_mode_is_not_turned_into_wal(tmp_path):
    """Setting journal_mode=wal on a refused file would rewrite its header."""
    path = tmp_path / "from-the-future.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE future_thing (id INTEGER PRIMARY KEY)")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before, files = sha(path), listing(tmp_path)
    with pytest.raises(NewerLedgerError, match="99"):
        open_ledger(path)
    assert sha(path) == before
    assert listing(tmp_path) == files


def test_non_sqlite_file_is_refused_and_left_unchanged(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("这不是数据库\n" * 50, encoding="utf-8")
    before, files = sha(path), listing(tmp_path)
    for readonly in (False, True):
        with pytest.raises(DamagedLedgerError, match="不是党务台账"):
            open_ledger(path, readonly=readonly)
    assert sha(path) == before
    assert listing(tmp_path) == files


def test_foreign_sqlite_file_is_refused_and_left_unchanged(tmp_path):
    path = tmp_path / "other-app.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO contacts (name) VALUES ('王五')")
    conn.commit()
    conn.close()
    before, files = sha(path), listing(tmp_path)
    with pytest.raises(DamagedLedgerError) as caught:
        open_ledger(path)
    assert "SQLite" in str(caught.value) and "不是党务台账" in str(caught.value)
    assert str(path) in str(caught.value)
    assert sha(path) == before
    assert listing(tmp_path) == files


# --- the migration loop -----------------------------------------------------------------------------

def test_migration_takes_a_verified_backup_first_then_runs_the_step(ledger_path, monkeypatch):
    make_ledger_with_data(ledger_path)
    current = migrations.schema_version()
    folder = default_backup_dir(ledger_path)
    seen = {}

    def add_extra_table(db):
        """The next step looks at the backup folder as it is when the step runs."""
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["backups"]
        seen["entries"] = manifest
        seen["files"] = sorted(p.name for p in folder.glob("*.sqlite3"))
        db.execute_sql("CREATE TABLE extra_thing (id INTEGER NOT NULL PRIMARY KEY, label TEXT)")

    monkeypatch.setitem(migrations.STEPS, current + 1, add_extra_table)
    assert migrations.schema_version() == current + 1

    with open_ledger(ledger_path) as ledger:
        assert ledger.db.execute_sql("PRAGMA user_version").fetchone()[0] == current + 1
        assert Talk.select().count() == 2

    assert read_user_version(ledger_path) == current + 1
    assert "extra_thing" in table_names(ledger_path)
    [entry] = seen["entries"]
    assert seen["files"] == [entry["file"]]
    assert entry["schema_version"] == current
    assert entry["reason"] == f"upgrade-from-v{current}"
    backup = folder / entry["file"]
    assert sha256_of(backup) == entry["sha256"]
    assert read_user_version(backup) == current
    assert "extra_thing" not in table_names(backup)
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM talk").fetchone()[0] == 2
    conn.close()


def test_failing_step_rolls_back_and_surfaces(ledger_path, monkeypatch):
    make_ledger_with_data(ledger_path)
    current = migrations.schema_version()

    def broken_step(db):
        db.execute_sql("CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
        db.execute_sql("INSERT INTO talk (held_on, participants, topic, note) VALUES ('2024-01-01', 'x', '', '')")
        raise RuntimeError("the next step broke")

    monkeypatch.setitem(migrations.STEPS, current + 1, broken_step)
    with pytest.raises(RuntimeError, match="the next step broke"):
        open_ledger(ledger_path)
    assert read_user_version(ledger_path) == current
    assert "half_done" not in table_names(ledger_path)
    conn = sqlite3.connect(ledger_path)
    assert conn.execute("SELECT count(*) FROM talk").fetchone()[0] == 2
    conn.close()
    # The lock was released: a second try fails the same way, not with "locked".
    with pytest.raises(RuntimeError, match="the next step broke"):
        open_ledger(ledger_path)
    monkeypatch.delitem(migrations.STEPS, current + 1)
    with open_ledger(ledger_path):
        assert Talk.select().count() == 2


def test_a_ledger_of_the_first_release_is_upgraded_with_its_data_and_verifies(tmp_path):
    """tests/support/ledger-v1.sqlite3 is a demo ledger (generated people) written by schema v1."""
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(ROOT / "tests" / "support" / "ledger-v1.sqlite3", path)
    assert read_user_version(path) == 1
    conn = sqlite3.connect(path)
    before = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in table_names(path)}
    conn.close()

    with open_ledger(path):
        findings = verify_ledger()

    assert findings == []
    assert read_user_version(path) == migrations.schema_version()
    conn = sqlite3.connect(path)
    after = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in before}
    assert conn.execute("SELECT count(*) FROM development_decision").fetchone()[0] == 0
    conn.close()
    assert after == before and before["person"] > 0 and before["meeting"] > 0
    [entry] = json.loads((default_backup_dir(path) / "manifest.json").read_text(encoding="utf-8"))["backups"]
    assert entry["reason"] == "upgrade-from-v1"


def test_new_ledger_takes_no_backup(ledger_path, data_home):
    open_ledger(ledger_path).close()
    assert not (data_home / "backups").exists()


# --- the lock ---------------------------------------------------------------------------------------

def test_second_writer_is_refused_saying_who_holds_the_lock(ledger_path):
    first = open_ledger(ledger_path, program="台账测试程序")
    try:
        with pytest.raises(LedgerLockedError) as caught:
            open_ledger(ledger_path)
        message = str(caught.value)
        assert "台账测试程序" in message
        assert f"进程 {os.getpid()}" in message
        assert ledger_path.name in message
    finally:
        first.close()
    open_ledger(ledger_path).close()  # after close it opens again


def test_lock_of_a_killed_process_is_released(ledger_path):
    open_ledger(ledger_path).close()
    child = spawn_holder(ledger_path, program="子进程持有者")
    try:
        with pytest.raises(LedgerLockedError) as caught:
            open_ledger(ledger_path)
        assert "子进程持有者" in str(caught.value)
        assert f"进程 {child.pid}" in str(caught.value)
    finally:
        child.send_signal(signal.SIGKILL if sys.platform != "win32" else signal.SIGTERM)
        child.wait()
        child.stdout.close()
    with open_ledger(ledger_path) as ledger:
        assert not ledger.readonly


def test_readonly_open_works_while_another_holds_the_lock(ledger_path):
    writer = open_ledger(ledger_path)
    try:
        add_talks("赵六")
        with open_ledger(ledger_path, readonly=True) as reader:
            assert reader.readonly
            assert Talk.select().count() == 1
    finally:
        writer.close()


def test_cli_backup_works_while_the_ledger_is_locked(ledger_path, capsys):
    make_ledger_with_data(ledger_path)
    holder = open_ledger(ledger_path, program="正在使用的程序")
    try:
        assert main(["backup", "--db", str(ledger_path)]) == 0
    finally:
        holder.close()
    printed = Path(capsys.readouterr().out.strip())
    assert printed.is_file()
    conn = sqlite3.connect(printed)
    assert conn.execute("SELECT count(*) FROM talk").fetchone()[0] == 2
    conn.close()


def test_cli_restore_is_refused_while_the_ledger_is_locked(ledger_path, tmp_path, capsys):
    make_ledger_with_data(ledger_path)
    backup = make_backup(ledger_path, tmp_path / "usb")
    with open_ledger(ledger_path):
        add_talks("王五")  # now the ledger differs from the backup
    holder = open_ledger(ledger_path, program="正在使用的程序")
    try:
        before = sha(ledger_path)
        code = main(["restore", "--db", str(ledger_path), str(backup)])
        err = capsys.readouterr().err
        assert code != 0
        assert "正被另一个程序使用" in err and "正在使用的程序" in err and str(os.getpid()) in err
        assert sha(ledger_path) == before
        assert not default_backup_dir(ledger_path).exists()  # refused before backing up what it would replace
        assert sorted(t.participants for t in Talk.select()) == ["张三", "李四", "王五"]
    finally:
        holder.close()


# --- the ledger opens without the ORM; the models bind to it when they load ------------------

def test_opening_needs_no_orm_and_the_models_bind_when_they_load(ledger_path):
    """The GUI's first screen reads the ledger before peewee is imported (design.md's start-up
    target); services imported afterwards work on the ledger that is open. (Creating a ledger runs
    the schema migration, which does use peewee.)"""
    open_ledger(ledger_path).close()
    code = (
        "import sys\n"
        "from ledger_app.db import open_ledger\n"
        "ledger = open_ledger(sys.argv[1])\n"
        "print('peewee' in sys.modules)\n"
        "from ledger_app.services import branch\n"
        "branch.save_profile(branch.BranchProfile(name='测试支部', branch_type='other'))\n"
        "print(branch.get_profile().name, ledger.db.connection() is ledger.conn)\n"
        "ledger.close()\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(ledger_path)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "测试支部", "True"]
    with open_ledger(ledger_path, readonly=True) as reopened:
        assert reopened.conn.execute("SELECT name FROM branch").fetchall() == [("测试支部",)]


def test_models_follow_the_ledger_opened_last_and_a_worker_thread_gets_its_own_connection(tmp_path):
    import threading
    from datetime import date

    first = open_ledger(tmp_path / "a.sqlite3")
    second = open_ledger(tmp_path / "b.sqlite3")
    try:
        write(lambda: Talk.create(held_on=date(2026, 1, 5), participants="甲、乙"))()
        seen = {}
        worker = threading.Thread(target=lambda: seen.update(count=Talk.select().count(),
                                                             same=second.db.connection() is second.conn))
        worker.start()
        worker.join()
        assert seen == {"count": 1, "same": False}
        assert first.conn.execute("SELECT count(*) FROM talk").fetchone() == (0,)
        assert second.conn.execute("SELECT count(*) FROM talk").fetchone() == (1,)
    finally:
        second.close()
        first.close()


def test_a_worker_that_asks_first_does_not_take_the_opening_threads_connection(ledger_path):
    import threading

    from ledger_app.db import Ledger, _connect

    open_ledger(ledger_path).close()
    ledger = Ledger(ledger_path, _connect(ledger_path), None)  # not bound: its peewee database is not made yet
    try:
        seen = {}
        worker = threading.Thread(target=lambda: seen.update(worker=ledger.db.connection()))
        worker.start()
        worker.join()
        assert seen["worker"] is not ledger.conn
        assert ledger.db.connection() is ledger.conn  # the opening thread keeps its own
    finally:
        ledger.close()
