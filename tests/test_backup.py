"""Backups and restores: verified, listed with a checksum, pruned per ledger, never harming the ledger."""

import hashlib
import json
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from ledger_app import migrations
from ledger_app.backup import (
    MANIFEST,
    backup_if_due,
    default_backup_dir,
    inspect_backup,
    last_backup_time,
    make_backup,
    restore_backup,
    sha256_of,
)
from ledger_app.cli import main
from ledger_app.db import open_ledger, read_user_version
from ledger_app.errors import DamagedLedgerError, LedgerError, NewerLedgerError
from ledger_app.models import ALL_MODELS, DuesPayment, Meeting, Person, Talk
from ledger_app.services import audit, write
from ledger_app.services.branch import BranchProfile, BranchSetup, CommitteeSeat, set_up_branch


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def contents(path: Path) -> dict[str, list[tuple]]:
    """Every row of every ledger table, read with plain sqlite3."""
    conn = sqlite3.connect(path)
    try:
        return {m._meta.table_name: conn.execute(f'SELECT * FROM "{m._meta.table_name}" ORDER BY 1').fetchall()
                for m in ALL_MODELS}
    finally:
        conn.close()


def manifest(folder: Path) -> list[dict]:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["backups"]


@write
def add_talk(name: str) -> None:
    audit.create(Talk, "谈心谈话", held_on=date(2024, 3, 1), participants=name)


def new_ledger(path: Path, *names: str) -> Path:
    with open_ledger(path):
        for name in names:
            add_talk(name)
    return path


@pytest.fixture
def filled(ledger_path) -> Path:
    """A closed ledger with a branch, four members, a meeting, a dues payment and a talk."""
    with open_ledger(ledger_path):
        set_up_branch(BranchSetup(
            BranchProfile("备份测试党支部", "government"),
            term_started_on=date(2023, 1, 1),
            committee=[CommitteeSeat("甲一", "书记"), CommitteeSeat("乙二", "委员"), CommitteeSeat("丙三", "委员")],
        ), date(2024, 6, 1))

        @write
        def more():
            audit.create(Person, "", name="丁四", stage="probationary")
            audit.create(Person, "", name="戊五", stage="activist")
            audit.create(Person, "", name="己六", stage="full", membership_state="deceased")
            audit.create(Meeting, "", kind="branch_assembly", held_on=date(2024, 3, 1))
            audit.create(DuesPayment, "", person=Person.get(Person.name == "甲一"), year=2024, month=1,
                         amount_fen=1250, paid_on=date(2024, 1, 5))
            add_talk("甲一、乙二")

        more()
    return ledger_path


# --- making a backup --------------------------------------------------------------------------------

def test_backup_is_verified_identical_and_listed(filled):
    target = make_backup(filled)
    folder = default_backup_dir(filled)
    assert target.parent == folder
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    conn.close()
    assert contents(target) == contents(filled)
    [entry] = manifest(folder)
    assert entry["file"] == target.name
    assert entry["sha256"] == sha256_of(target) == sha(target)
    assert entry["schema_version"] == migrations.schema_version()
    assert entry["reason"] == "manual"
    assert Path(entry["source"]) == filled.absolute()
    assert not list(folder.glob("*.partial"))


def test_backup_holds_changes_still_in_the_wal(ledger_path):
    """The online-backup API reads committed transactions from the WAL; a file copy would miss them."""
    with open_ledger(ledger_path):
        add_talk("WAL 中的记录")
        assert Path(str(ledger_path) + "-wal").stat().st_size > 0
        target = make_backup(ledger_path)
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT participants FROM talk").fetchall() == [("WAL 中的记录",)]
    conn.close()


def test_keep_prunes_only_this_ledgers_old_backups(tmp_path):
    usb = tmp_path / "usb"
    mine = new_ledger(tmp_path / "ledger.sqlite3", "本台账")
    others = [
        new_ledger(tmp_path / "other.sqlite3", "别的台账"),
        new_ledger(tmp_path / "ledger-old.sqlite3", "名字以本台账开头"),
        new_ledger(tmp_path / "elsewhere" / "ledger.sqlite3", "另一个支部的同名台账"),
    ]
    theirs = [make_backup(other, usb, keep=1) for other in others]

    made = [make_backup(mine, usb, keep=3) for _ in range(5)]

    # Within one second a pruned name may be reused, so compare names, not the five paths.
    assert len({p.name for p in made[2:]}) == 3
    assert all(p.exists() for p in made[2:])
    assert all(p.exists() for p in theirs)
    listed = {e["file"] for e in manifest(usb)}
    assert listed == {p.name for p in made[2:]} | {p.name for p in theirs}
    assert {p.name for p in usb.glob("*.sqlite3")} == listed
    for entry in manifest(usb):
        assert sha256_of(usb / entry["file"]) == entry["sha256"]


def test_cli_backup_to_a_folder(filled, tmp_path, capsys):
    usb = tmp_path / "U盘" / "台账备份"
    assert main(["backup", "--db", str(filled), "--to", str(usb)]) == 0
    printed = Path(capsys.readouterr().out.strip())
    assert printed.parent == usb and printed.is_file()
    assert [e["file"] for e in manifest(usb)] == [printed.name]
    assert contents(printed) == contents(filled)
    assert not default_backup_dir(filled).exists()


def test_cli_backup_keep(filled, tmp_path):
    usb = tmp_path / "usb"
    for _ in range(3):
        assert main(["backup", "--db", str(filled), "--to", str(usb), "--keep", "2"]) == 0
    assert len(list(usb.glob("*.sqlite3"))) == 2


def test_backup_of_a_missing_ledger_is_a_clear_error(tmp_path, capsys):
    missing = tmp_path / "nowhere.sqlite3"
    with pytest.raises(LedgerError, match="不存在") as caught:
        make_backup(missing, tmp_path / "usb")
    assert str(missing) in str(caught.value)
    assert not (tmp_path / "usb").exists()
    assert main(["backup", "--db", str(missing)]) != 0
    assert "不存在" in capsys.readouterr().err


def test_backup_of_a_non_ledger_file_is_refused(tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(DamagedLedgerError, match="不是党务台账"):
        make_backup(junk, tmp_path / "usb")
    assert not (tmp_path / "usb").exists()


def test_backup_of_a_ledger_in_a_folder_with_uri_characters(tmp_path):
    """'#', '?' and '%' in a folder name must not make SQLite open (and back up) another file."""
    for folder in ("备份#1", "a?b", "c%41d"):
        path = new_ledger(tmp_path / folder / "ledger.sqlite3", folder)
        target = make_backup(path, tmp_path / "usb", keep=10)
        assert contents(target) == contents(path)
        assert contents(target)["talk"][0][2] == folder
        assert read_user_version(path) == migrations.schema_version()
    # A bare "file:" URI would have opened (and created) these cut-off names instead.
    assert not (tmp_path / "a").exists() and not (tmp_path / "备份").exists()


# --- inspecting a backup --------------------------------------------------------------------------

def test_inspect_backup_reports_what_it_holds(filled):
    info = inspect_backup(make_backup(filled))
    assert info.schema_version == migrations.schema_version()
    assert info.branch_name == "备份测试党支部"
    assert info.people == 6
    assert info.members == 4  # 3 full + 1 probationary, active; the activist and the deceased are not
    assert info.meetings == 1
    assert info.dues_payments == 1
    assert info.last_change  # the newest audit entry's time


def test_tampered_backup_is_refused(filled):
    target = make_backup(filled)
    data = bytearray(target.read_bytes())
    offset = data.find("备份测试党支部".encode())
    assert offset > 0
    data[offset:offset + 3] = "假".encode()
    target.write_bytes(bytes(data))
    with pytest.raises(DamagedLedgerError, match="校验值不符"):
        inspect_backup(target)


def test_backup_from_a_newer_program_is_refused(filled, tmp_path):
    newer = tmp_path / "from-newer.sqlite3"
    newer.write_bytes(make_backup(filled).read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 42")
    conn.commit()
    conn.close()
    with pytest.raises(NewerLedgerError) as caught:
        inspect_backup(newer)
    assert "42" in str(caught.value) and str(migrations.schema_version()) in str(caught.value)


def test_inspect_refuses_non_ledgers(tmp_path):
    text = tmp_path / "notes.sqlite3"
    text.write_text("文本文件", encoding="utf-8")
    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE x (a)")
    conn.commit()
    conn.close()
    wrong_tables = tmp_path / "wrong-tables.sqlite3"
    conn = sqlite3.connect(wrong_tables)
    conn.execute("CREATE TABLE x (a)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    for path in (text, foreign, wrong_tables, tmp_path / "missing.sqlite3"):
        with pytest.raises(LedgerError):
            inspect_backup(path)


# --- restoring --------------------------------------------------------------------------------------

def test_restore_replaces_contents_and_backs_up_what_it_replaced(ledger_path, tmp_path):
    new_ledger(ledger_path, "旧记录")
    usb = tmp_path / "usb"
    saved = make_backup(ledger_path, usb)
    old_contents = contents(saved)
    with open_ledger(ledger_path):
        add_talk("备份之后的记录")
    replaced_contents = contents(ledger_path)

    previous = restore_backup(saved, ledger_path)

    assert contents(ledger_path) == old_contents
    assert previous is not None and previous.parent == default_backup_dir(ledger_path)
    assert contents(previous) == replaced_contents
    [entry] = manifest(previous.parent)
    assert entry["reason"] == "before-restore" and entry["sha256"] == sha256_of(previous)
    with open_ledger(ledger_path) as ledger:  # the lock is free and the file is a good ledger
        assert ledger.db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert [t.participants for t in Talk.select()] == ["旧记录"]


def test_restore_holds_the_lock_from_start_to_end(ledger_path, tmp_path, monkeypatch):
    """The lock is taken once and kept through the final open (which upgrades an older backup):
    another program cannot slip in between the copy and the upgrade."""
    from ledger_app.lock import LedgerLock

    new_ledger(ledger_path, "记录")
    saved = make_backup(ledger_path, tmp_path / "usb")
    events = []
    acquire, release = LedgerLock.acquire, LedgerLock.release
    monkeypatch.setattr(LedgerLock, "acquire", lambda lock: (events.append("acquire"), acquire(lock))[1])
    monkeypatch.setattr(LedgerLock, "release",
                        lambda lock: (events.append("release") if lock.held else None, release(lock))[1])
    restore_backup(saved, ledger_path)
    assert events == ["acquire", "release"]


def test_cli_restore(ledger_path, tmp_path, capsys):
    new_ledger(ledger_path, "旧记录")
    saved = make_backup(ledger_path, tmp_path / "usb")
    with open_ledger(ledger_path):
        add_talk("新记录")
    assert main(["restore", "--db", str(ledger_path), str(saved)]) == 0
    out = capsys.readouterr().out
    assert "备份校验通过" in out and "恢复完成" in out
    assert [r[2] for r in contents(ledger_path)["talk"]] == ["旧记录"]


def test_restore_into_a_new_place(tmp_path, ledger_path):
    new_ledger(ledger_path, "记录")
    saved = make_backup(ledger_path, tmp_path / "usb")
    target = tmp_path / "new-pc" / "data" / "ledger.sqlite3"
    assert restore_backup(saved, target) is None
    assert contents(target) == contents(ledger_path)


def test_restore_over_a_damaged_ledger_keeps_its_bytes(ledger_path, tmp_path):
    """Restoring is what a clerk does when the ledger is damaged: the damage must not block it."""
    new_ledger(ledger_path, "好记录")
    saved = make_backup(ledger_path, tmp_path / "usb")
    damaged = b"SQLite format 3\x00" + b"\xff" * 8000
    ledger_path.write_bytes(damaged)

    kept = restore_backup(saved, ledger_path)

    assert kept.read_bytes() == damaged
    assert [r[2] for r in contents(ledger_path)["talk"]] == ["好记录"]


@pytest.mark.parametrize("kind", ["text", "tampered", "newer", "foreign", "missing"])
def test_bad_restore_file_leaves_the_ledger_untouched(ledger_path, tmp_path, kind, capsys):
    new_ledger(ledger_path, "现有记录")
    usb = tmp_path / "usb"
    bad = make_backup(ledger_path, usb)
    if kind == "text":
        bad.write_text("不是备份", encoding="utf-8")
    elif kind == "tampered":
        data = bytearray(bad.read_bytes())
        data[-100] ^= 0xFF
        bad.write_bytes(bytes(data))
    elif kind == "newer":
        bad = tmp_path / "newer.sqlite3"
        bad.write_bytes((usb / manifest(usb)[0]["file"]).read_bytes())
        conn = sqlite3.connect(bad)
        conn.execute("PRAGMA user_version = 99")
        conn.commit()
        conn.close()
    elif kind == "foreign":
        bad = tmp_path / "foreign.sqlite3"
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE x (a)")
        conn.commit()
        conn.close()
    else:
        bad = tmp_path / "missing.sqlite3"
    before = sha(ledger_path)

    with pytest.raises(LedgerError):
        restore_backup(bad, ledger_path)
    assert main(["restore", "--db", str(ledger_path), str(bad)]) != 0
    assert "错误" in capsys.readouterr().err

    assert sha(ledger_path) == before
    assert not default_backup_dir(ledger_path).exists()  # nothing was replaced, so nothing backed up


# --- automatic backups ------------------------------------------------------------------------------

def test_backup_if_due_takes_at_most_one_per_day(ledger_path):
    new_ledger(ledger_path, "记录")
    first = backup_if_due(ledger_path)
    assert first is not None and first.is_file()
    assert backup_if_due(ledger_path) is None
    assert last_backup_time(ledger_path) is not None
    assert len(manifest(default_backup_dir(ledger_path))) == 1
    assert backup_if_due(ledger_path, every=timedelta(0)) is not None


def test_backup_if_due_after_a_day(ledger_path):
    new_ledger(ledger_path, "记录")
    backup_if_due(ledger_path)
    folder = default_backup_dir(ledger_path)
    entries = manifest(folder)
    entries[0]["created_at"] = (datetime.now() - timedelta(days=1, minutes=1)).isoformat(timespec="seconds")
    (folder / MANIFEST).write_text(json.dumps({"backups": entries}), encoding="utf-8")
    again = backup_if_due(ledger_path)
    assert again is not None and again.name != entries[0]["file"]
    assert manifest(folder)[-1]["reason"] == "auto"


def test_backup_if_due_ignores_other_ledgers_backups(tmp_path):
    """A backup of ``ledger-old`` today does not make ``ledger``'s backup 'done'."""
    mine = new_ledger(tmp_path / "ledger.sqlite3")
    other = new_ledger(tmp_path / "ledger-old.sqlite3")
    make_backup(other, default_backup_dir(mine))
    assert last_backup_time(mine) is None
    assert backup_if_due(mine) is not None


def test_backup_to_a_stick_is_verified_after_writing_and_a_missing_stick_is_named(ledger_path, tmp_path):
    from ledger_app.backup import backup_to_stick

    new_ledger(ledger_path, "张三")
    stick = tmp_path / "stick"
    with pytest.raises(LedgerError, match="U 盘"):
        backup_to_stick(ledger_path, stick)
    assert not stick.exists()  # never created in place of a missing stick
    stick.mkdir()
    target = backup_to_stick(ledger_path, stick)
    assert target.parent == stick
    assert manifest(stick)[-1]["sha256"] == sha(target) and manifest(stick)[-1]["reason"] == "usb"
    assert contents(target) == contents(ledger_path)


def test_backup_to_a_stick_refuses_a_copy_changed_on_the_way(ledger_path, tmp_path, monkeypatch):
    from ledger_app import backup as backup_module

    new_ledger(ledger_path, "张三")
    stick = tmp_path / "stick"
    stick.mkdir()
    real = backup_module.make_backup

    def flaky_stick(*args, **kwargs):
        target = real(*args, **kwargs)
        with open(target, "r+b") as handle:  # the stick garbles a byte after the write
            handle.seek(5000)
            handle.write(b"\xff")
        return target

    monkeypatch.setattr(backup_module, "make_backup", flaky_stick)
    with pytest.raises(DamagedLedgerError, match="校验值不符"):
        backup_module.backup_to_stick(ledger_path, stick)


def test_a_backup_sweeps_the_half_written_copies_a_killed_backup_left(tmp_path):
    """A kill mid-backup leaves ``<ledger>-<stamp>.partial``: the next backup deletes it once it is
    an hour old (a younger one may be another process's backup in progress)."""
    import os
    import time

    from ledger_app.db import open_ledger

    ledger_path = tmp_path / "ledger.sqlite3"
    with open_ledger(ledger_path):
        pass
    folder = tmp_path / "backups"
    folder.mkdir()
    stale = folder / "ledger-20260101-010101.partial"
    stale_journal = folder / "ledger-20260101-010101.partial-journal"
    fresh = folder / "ledger-20260101-020202.partial"
    other = folder / "someone-else-20260101-010101.partial"
    for path in (stale, stale_journal, fresh, other):
        path.write_bytes(b"half")
    old = time.time() - 2 * 3600
    for path in (stale, stale_journal, other):
        os.utime(path, (old, old))
    make_backup(ledger_path, folder)
    assert not stale.exists() and not stale_journal.exists()
    assert fresh.exists() and other.exists()
