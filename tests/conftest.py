"""Shared fixtures: every test gets its own data folder and, when it asks, a fresh open ledger."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    """Point the user data folder (backups, logs) at a temporary folder; no real ledger is touched."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("PARTY_LEDGER_HOME", str(home))
    monkeypatch.delenv("PARTY_LEDGER_DB", raising=False)
    return home


@pytest.fixture
def ledger_path(tmp_path):
    return tmp_path / "ledger.sqlite3"


@pytest.fixture
def ledger(ledger_path):
    """A new, empty ledger opened for writing; closed after the test."""
    from ledger_app.db import open_ledger

    opened = open_ledger(ledger_path)
    yield opened
    opened.close()


class DemoLedgers:
    """Demo ledgers of fictional people, each size generated once per test run (Anki's template
    collection): ``original`` for read-only use, ``copy`` for a test that writes."""

    def __init__(self, folder):
        self.folder = folder
        self.built = {}

    def original(self, members: int, years: int, seed: int, today=None):
        key = (members, years, seed, today)
        if key not in self.built:
            from ledger_app.demo import generate_demo

            path = self.folder / f"demo-{members}x{years}-s{seed}-{today or 'now'}.sqlite3"
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("PARTY_LEDGER_HOME", str(self.folder / "home"))
                generate_demo(path, members=members, years=years, seed=seed, progress=None, today=today)
            self.built[key] = path
        return self.built[key]

    def copy(self, target, members: int, years: int, seed: int, today=None):
        import shutil

        shutil.copyfile(self.original(members, years, seed, today), target)
        return target


@pytest.fixture(scope="session")
def demo_ledgers(tmp_path_factory):
    return DemoLedgers(tmp_path_factory.mktemp("demo-ledgers"))
