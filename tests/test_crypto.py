"""The start-up password: a ledger encrypted at rest with SQLCipher, its key wrapped by the password.

Every test uses a cheap scrypt cost (``cheap_scrypt``); the real cost is stored in the key file.
"""

import hashlib
import threading
from datetime import date
from pathlib import Path

import pytest

from ledger_app import crypto, migrations
from ledger_app.backup import inspect_backup, make_backup, restore_backup
from ledger_app.cli import main
from ledger_app.db import open_ledger
from ledger_app.errors import DamagedLedgerError, ValidationError
from ledger_app.models import Talk
from ledger_app.services import audit, write

PASSWORD = "党支部2026"
SECRET_NAME = "测试人员甲乙"


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch):
    monkeypatch.setattr(crypto, "SCRYPT_N", 1 << 10)
    crypto._known.clear()
    crypto.set_provider(None)
    yield
    crypto._known.clear()
    crypto.set_provider(None)


@write
def add_talk(name: str) -> None:
    audit.create(Talk, "谈心谈话", held_on=date(2024, 3, 1), participants=name)


def talks() -> list[str]:
    return sorted(t.participants for t in Talk.select())


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def encrypted(ledger_path):
    """A ledger with one talk, then a password; returns the recovery key."""
    with open_ledger(ledger_path):
        add_talk(SECRET_NAME)
    recovery = crypto.encrypt_ledger(ledger_path, PASSWORD)
    crypto._known.clear()  # as in a new process
    return recovery


def open_with(path: Path, secret: str, **options):
    return open_ledger(path, key=crypto.unlock(path, secret), **options)


def test_encrypted_file_hides_the_data_and_opens_with_the_password(ledger_path, encrypted):
    raw = ledger_path.read_bytes()
    assert not raw.startswith(crypto.SQLITE_HEADER)
    assert SECRET_NAME.encode("utf-8") not in raw
    assert crypto.is_encrypted(ledger_path)
    with open_with(ledger_path, PASSWORD) as ledger:
        assert talks() == [SECRET_NAME]
        assert ledger.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert ledger.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert ledger.conn.execute("PRAGMA user_version").fetchone()[0] == migrations.schema_version()
        add_talk("第二人")
        assert ledger_path.with_name(ledger_path.name + "-wal").exists()
        wal = ledger_path.with_name(ledger_path.name + "-wal").read_bytes()
        assert "第二人".encode() not in wal  # the WAL is encrypted too
        seen = []
        worker = threading.Thread(target=lambda: seen.append(talks()))  # another thread, its own connection
        worker.start()
        worker.join()
        assert seen == [[SECRET_NAME, "第二人"]]
    with open_with(ledger_path, PASSWORD, readonly=True):
        assert talks() == [SECRET_NAME, "第二人"]


def test_without_a_password_an_encrypted_ledger_is_refused_clearly(ledger_path, encrypted):
    with pytest.raises(crypto.PasswordRequiredError, match="设置了密码"):
        open_ledger(ledger_path)
    assert not ledger_path.with_name(ledger_path.name + ".lock").read_bytes()  # the lock was let go


def test_wrong_password_says_so_and_changes_nothing(ledger_path, encrypted):
    before = sha(ledger_path), sha(crypto.key_file_for(ledger_path))
    for wrong in ("党支部2025", "", "X" * 52):
        with pytest.raises(crypto.WrongPasswordError, match="密码不正确"):
            crypto.unlock(ledger_path, wrong)
    with pytest.raises(crypto.WrongPasswordError, match="密码不正确"):
        open_ledger(ledger_path, key=b"\x01" * 32)
    assert (sha(ledger_path), sha(crypto.key_file_for(ledger_path))) == before


def test_recovery_key_opens_the_ledger_even_without_its_key_file(ledger_path, encrypted):
    assert len(encrypted) == 64 and encrypted.count("-") == 12
    with open_with(ledger_path, encrypted.lower().replace("-", " ")):
        assert talks() == [SECRET_NAME]
    crypto.key_file_for(ledger_path).unlink()
    with pytest.raises(DamagedLedgerError, match="密钥文件"):
        open_ledger(ledger_path)
    with open_ledger(ledger_path, key=crypto.parse_recovery_key(encrypted)):
        assert talks() == [SECRET_NAME]


def test_a_lost_key_file_is_rebuilt_from_the_recovery_key_with_a_new_password(ledger_path, encrypted):
    crypto.key_file_for(ledger_path).unlink()
    assert crypto.lost_key_file(ledger_path) and not crypto.is_encrypted(ledger_path)
    before = sha(ledger_path)
    with pytest.raises(crypto.WrongPasswordError, match="恢复密钥不正确"):
        crypto.restore_key_file(ledger_path, "A" * 52, "新的密码2027")
    with pytest.raises(ValidationError, match="至少"):
        crypto.restore_key_file(ledger_path, encrypted, "短")
    assert not crypto.key_file_for(ledger_path).exists() and sha(ledger_path) == before
    crypto.restore_key_file(ledger_path, encrypted, "新的密码2027")
    assert sha(ledger_path) == before  # the ledger itself is not rewritten
    crypto._known.clear()
    with open_with(ledger_path, "新的密码2027"):
        assert talks() == [SECRET_NAME]
    with open_with(ledger_path, encrypted):  # the printed recovery key still opens it
        assert talks() == [SECRET_NAME]


def test_changing_the_password_rewraps_the_key_and_keeps_the_recovery_key(ledger_path, encrypted):
    key = crypto.unlock(ledger_path, PASSWORD)
    crypto.change_password(ledger_path, key, "新的密码123")
    with pytest.raises(crypto.WrongPasswordError):
        crypto.unlock(ledger_path, PASSWORD)
    assert crypto.unlock(ledger_path, "新的密码123") == key
    assert crypto.unlock(ledger_path, encrypted) == key
    with pytest.raises(ValidationError, match="至少"):
        crypto.change_password(ledger_path, key, "123")


def test_a_new_recovery_key_rekeys_the_file(ledger_path, encrypted):
    old = crypto.unlock(ledger_path, PASSWORD)
    before = sha(ledger_path)
    new, text = crypto.renew_recovery_key(ledger_path, old, PASSWORD)
    assert sha(ledger_path) != before and new != old
    assert not crypto.opens(ledger_path, old)
    with pytest.raises(crypto.WrongPasswordError):
        crypto.unlock(ledger_path, encrypted)
    assert crypto.unlock(ledger_path, text) == new == crypto.unlock(ledger_path, PASSWORD)
    assert len(crypto._read_key_file(ledger_path)) == 1
    with open_with(ledger_path, PASSWORD):
        assert talks() == [SECRET_NAME]


def test_removing_the_password_gives_the_plain_ledger_back(ledger_path, encrypted):
    crypto.decrypt_ledger(ledger_path, crypto.unlock(ledger_path, PASSWORD))
    assert ledger_path.read_bytes().startswith(crypto.SQLITE_HEADER)
    assert not crypto.key_file_for(ledger_path).exists()
    with open_ledger(ledger_path) as ledger:
        assert talks() == [SECRET_NAME]
        assert ledger.key is None
        assert ledger.conn.execute("PRAGMA user_version").fetchone()[0] == migrations.schema_version()


def test_setting_a_password_twice_or_too_short_is_refused(ledger_path, encrypted):
    with pytest.raises(ValidationError):
        crypto.encrypt_ledger(ledger_path.with_name("other.sqlite3"), "abc")
    with pytest.raises(Exception, match="已经设置了密码"):
        crypto.encrypt_ledger(ledger_path, PASSWORD)


def test_backup_of_an_encrypted_ledger_is_encrypted_and_restores_with_the_password(ledger_path, encrypted, tmp_path):
    key = crypto.unlock(ledger_path, PASSWORD)
    crypto.remember(ledger_path, key)
    backup = make_backup(ledger_path, tmp_path / "stick")
    assert not backup.read_bytes().startswith(crypto.SQLITE_HEADER)
    assert SECRET_NAME.encode() not in backup.read_bytes()
    assert crypto.key_file_for(backup).exists()
    crypto._known.clear()  # a new process: the backup asks for its password
    with pytest.raises(crypto.PasswordRequiredError):
        inspect_backup(backup)
    asked = []
    crypto.set_provider(lambda path: asked.append(path.name) or crypto.unlock(path, PASSWORD))
    assert inspect_backup(backup).schema_version == migrations.schema_version()
    with open_ledger(ledger_path):  # the key is known now (the backup's): no second question
        add_talk("恢复后应消失")
    assert asked == [backup.name]
    restore_backup(backup, ledger_path)
    with open_with(ledger_path, PASSWORD):
        assert talks() == [SECRET_NAME]
    assert crypto.is_encrypted(ledger_path)


def test_restoring_a_plain_backup_over_an_encrypted_ledger(ledger_path, tmp_path):
    with open_ledger(ledger_path):
        add_talk(SECRET_NAME)
    plain = make_backup(ledger_path, tmp_path / "b")
    crypto.encrypt_ledger(ledger_path, PASSWORD)
    restore_backup(plain, ledger_path)  # the key is known in this process: the replaced ledger is backed up
    assert ledger_path.read_bytes().startswith(crypto.SQLITE_HEADER)
    assert not crypto.key_file_for(ledger_path).exists()
    with open_ledger(ledger_path):
        assert talks() == [SECRET_NAME]


def test_an_encrypted_older_ledger_is_backed_up_and_migrated(ledger_path, encrypted, monkeypatch):
    current = migrations.schema_version()

    def add_table(db):
        db.execute_sql("CREATE TABLE extra (id INTEGER PRIMARY KEY)")

    monkeypatch.setitem(migrations.STEPS, current + 1, add_table)
    with open_with(ledger_path, PASSWORD) as ledger:
        assert ledger.conn.execute("PRAGMA user_version").fetchone()[0] == current + 1
        assert ledger.conn.execute("SELECT count(*) FROM extra").fetchone()[0] == 0
    from ledger_app.backup import default_backup_dir

    (backup,) = default_backup_dir(ledger_path).glob("*.sqlite3")
    assert crypto.is_encrypted(backup)


def test_cli_reads_the_password_from_a_file_never_the_command_line(ledger_path, encrypted, tmp_path, capsys):
    secret = tmp_path / "pw.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    assert main(["export", "--db", str(ledger_path), "--out", str(tmp_path / "all.json"),
                 "--password-file", str(secret)]) == 0
    assert SECRET_NAME in (tmp_path / "all.json").read_text(encoding="utf-8")
    crypto._known.clear()
    assert main(["verify", "--db", str(ledger_path), "--password-file", str(secret)]) == 1  # opened: no branch yet
    crypto._known.clear()
    assert main(["--db", str(ledger_path), "backup", "--password-file", str(secret)]) == 0
    capsys.readouterr()
    crypto._known.clear()
    code = main(["verify", "--db", str(ledger_path)])  # no TTY under pytest, no file
    assert code != 0
    assert "设置了密码" in capsys.readouterr().err
    crypto._known.clear()
    secret.write_text("不对的密码", encoding="utf-8")
    before = sha(ledger_path)
    assert main(["export", "--db", str(ledger_path), "--out", str(tmp_path / "x.json"),
                 "--password-file", str(secret)]) == 4
    assert "密码不正确" in capsys.readouterr().err
    assert sha(ledger_path) == before
    assert main(["verify", "--db", str(ledger_path), "--password-file", str(tmp_path / "missing")]) != 0
    assert "密码文件" in capsys.readouterr().err


def test_cli_sets_changes_and_removes_the_password(ledger_path, tmp_path, capsys):
    with open_ledger(ledger_path):
        add_talk(SECRET_NAME)
    first, second = tmp_path / "1.txt", tmp_path / "2.txt"
    first.write_text(PASSWORD, encoding="utf-8")
    second.write_text("另一个密码abc", encoding="utf-8")
    assert main(["password", "set", "--db", str(ledger_path), "--new-password-file", str(first)]) == 0
    out = capsys.readouterr().out
    assert "恢复密钥" in out and crypto.is_encrypted(ledger_path)
    crypto._known.clear()
    assert main(["password", "change", "--db", str(ledger_path), "--password-file", str(first),
                 "--new-password-file", str(second)]) == 0
    crypto._known.clear()
    assert crypto.unlock(ledger_path, "另一个密码abc")
    assert main(["password", "remove", "--db", str(ledger_path), "--password-file", str(second)]) == 0
    assert not crypto.is_encrypted(ledger_path)


def test_cli_rebuilds_a_lost_key_file_from_the_recovery_key(ledger_path, encrypted, tmp_path, capsys):
    crypto.key_file_for(ledger_path).unlink()
    recovery, new = tmp_path / "recovery.txt", tmp_path / "new.txt"
    recovery.write_text("不对的密钥", encoding="utf-8")
    new.write_text("新的密码2027", encoding="utf-8")
    command = ["password", "restore-key", "--db", str(ledger_path), "--password-file", str(recovery),
               "--new-password-file", str(new)]
    assert main(command) != 0
    assert "恢复密钥不正确" in capsys.readouterr().err and not crypto.key_file_for(ledger_path).exists()
    recovery.write_text(encrypted, encoding="utf-8")
    assert main(command) == 0
    assert "已重建密钥文件" in capsys.readouterr().out
    crypto._known.clear()
    with open_with(ledger_path, "新的密码2027"):
        assert talks() == [SECRET_NAME]
    assert main(command) != 0  # the key file is back: nothing to rebuild
