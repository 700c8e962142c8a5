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
