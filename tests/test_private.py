"""Files holding personal data are the owner's only (0o600, folders the program makes 0o700) on POSIX.

Each test runs under the common umask 022, so a mode of 0o600 is the program's doing, not the umask's.
"""

import os
import sqlite3
import stat

import pytest

from ledger_app import private
from ledger_app.cli import main
from ledger_app.db import data_dir, open_ledger

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX's")


@pytest.fixture(autouse=True)
def usual_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_helpers(tmp_path):
    tmp_path.chmod(0o755)
    made = private.make_dirs(tmp_path / "a" / "b")
    assert mode(tmp_path / "a") == mode(made) == 0o700
    assert mode(tmp_path) == 0o755  # a folder that was there is left alone
    private.make_dirs(made)  # again: nothing to do
    wide = tmp_path / "wide.txt"
    wide.write_text("x")
    assert mode(wide) == 0o644
    private.create_file(wide)
    assert mode(wide) == 0o600 and wide.read_text() == "x"  # narrowed, content kept
    private.write_text(tmp_path / "new.txt", "数据")
    assert mode(tmp_path / "new.txt") == 0o600
    with pytest.raises(FileExistsError):
        private.make_dirs(wide)


def test_a_new_ledger_its_wal_and_its_lock(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTY_LEDGER_HOME", str(tmp_path / "new-home"))
    assert mode(data_dir()) == 0o700
    path = tmp_path / "台账" / "ledger.sqlite3"
    with open_ledger(path) as ledger:
        ledger.conn.execute("CREATE TABLE scratch (x)")  # a write: the WAL and the shared memory exist now
        companions = [path.with_name(path.name + s) for s in ("-wal", "-shm", ".lock")]
        assert all(p.exists() for p in companions)
        assert [mode(p) for p in (path, *companions)] == [0o600] * 4
    assert mode(path.parent) == 0o700


def test_an_older_wider_ledger_is_narrowed_when_opened_for_writing(tmp_path):
    path = tmp_path / "old.sqlite3"
    open_ledger(path).close()
    path.chmod(0o644)
    (tmp_path / "old.sqlite3.lock").chmod(0o644)
    open_ledger(path, readonly=True).close()
    assert mode(path) == 0o644  # a read-only command changes nothing
    open_ledger(path).close()
    assert mode(path) == mode(tmp_path / "old.sqlite3.lock") == 0o600


def test_backups_exports_and_documents(demo_ledgers, tmp_path, data_home, capsys):
    ledger = demo_ledgers.copy(tmp_path / "demo.sqlite3", members=12, years=1, seed=3)
    conn = sqlite3.connect(ledger)
    meeting = conn.execute("SELECT id FROM meeting WHERE status = 'held' ORDER BY id LIMIT 1").fetchone()[0]
    conn.close()
    out = tmp_path / "out"
    out.mkdir()
    db = ["--db", str(ledger)]
    made = [out / "台账.json", out / "花名册.xlsx", out / "记录.pdf", out / "记录.docx", out / "花名册.pdf"]
    assert main([*db, "export", "--out", str(made[0])]) == 0
    assert main([*db, "members", "export", str(made[1])]) == 0
    assert main([*db, "doc", "minutes", str(meeting), "--out", str(made[2])]) == 0
    assert main([*db, "doc", "minutes", str(meeting), "--out", str(made[3])]) == 0
    assert main([*db, "doc", "roster", "--out", str(made[4])]) == 0
    assert [mode(p) for p in made] == [0o600] * len(made)

    capsys.readouterr()
    assert main([*db, "backup"]) == 0
    backup = capsys.readouterr().out.strip().splitlines()[-1]
    backups = data_home / "backups"
    assert mode(backup) == 0o600 and mode(backups / "demo" / "manifest.json") == 0o600
    assert mode(backups) == mode(backups / "demo") == 0o700

    usb = tmp_path / "usb"
    usb.mkdir(mode=0o755)
    assert main([*db, "backup", "--to", str(usb / "党务备份")]) == 0
    (copy,) = (usb / "党务备份").glob("*.sqlite3")
    assert mode(copy) == 0o600 and mode(usb / "党务备份") == 0o700 and mode(usb) == 0o755

    restored = tmp_path / "restored.sqlite3"
    assert main(["--db", str(restored), "restore", str(copy)]) == 0
    assert mode(restored) == 0o600
    assert main(["import", str(made[0]), "--db", str(tmp_path / "imported.sqlite3")]) == 0
    assert mode(tmp_path / "imported.sqlite3") == 0o600
