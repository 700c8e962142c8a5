"""Bad values for every command-line argument and mutated JSON imports: never a traceback.

The commands and their options are read from the argparse parser itself, so a new command is
fuzzed without touching this file. Every run must end in an exit code (argparse's 2 for a value
it refuses itself); a refused command must leave the ledger as it was. Hypothesis runs
derandomised and without its example database, so CI sees the same examples every time.
"""

import argparse
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger_app.cli import build_parser, main

FUZZ = settings(max_examples=20, derandomize=True, database=None, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
SKIPPED = {("gui",)}  # opens a window; its command line is checked in test_cli.py and the GUI tests


def leaf_commands(parser: argparse.ArgumentParser | None = None, path: tuple = ()) -> list[tuple]:
    """Every runnable command as (words, its parser), found by walking the subparsers."""
    parser = parser or build_parser()
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += leaf_commands(sub, (*path, name))
    if not found and path and path not in SKIPPED:
        found.append((path, parser))
    return found


COMMANDS = leaf_commands()

# A real command line cannot hold NUL (execve takes C strings); undecodable bytes arrive as lone
# surrogates (surrogateescape), which st.text does make.
NASTY = st.sampled_from(["", "-", "--", "0", "1", "-1", "1e9", str(2**63), str(2**70), "2025-13", "2025-02-30",
                         "9999-99", "0000", "12.345", "五千一百", "nan", "../../", "/", ".", "/dev/null", "\udc80",
                         "台账.sqlite3", "{tmp}/missing.xlsx", "{tmp}", "{ledger}", "{tmp}/out.pdf",
                         "{tmp}/out.docx", "{tmp}/out.xlsx", "{tmp}/out.json", "{tmp}/out.txt"])
bad_text = st.one_of(NASTY, NASTY, st.text(st.characters(exclude_characters="\0"), max_size=12),
                     st.integers(min_value=-(2**80), max_value=2**80).map(str))


def ledger_digest(path: Path) -> tuple:
    """Row counts of every table and the newest audit entry: any write a command makes shows here."""
    conn = sqlite3.connect(path)
    try:
        tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return tuple((t, conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables) + (
            conn.execute("SELECT max(id) FROM audit_entry").fetchone(),)
    finally:
        conn.close()


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory, demo_ledgers):
    folder = tmp_path_factory.mktemp("fuzz")
    return demo_ledgers.copy(folder / "ledger.sqlite3", members=10, years=1, seed=1)


def run_main(argv: list[str], capsys) -> int:
    """``main(argv)``; argparse's own refusals count as exit codes. Any exception fails the test."""
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code


@pytest.mark.parametrize("words,parser", COMMANDS, ids=[" ".join(w) for w, _ in COMMANDS])
def test_bad_values_for_every_argument(words, parser, small_demo, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # relative paths the fuzzer makes land here
    actions = [a for a in parser._actions if not isinstance(a, argparse._HelpAction)]

    @FUZZ
    @given(st.data())
    def check(data):
        argv = list(words)
        for action in actions:
            if action.dest == "db" and not data.draw(st.booleans(), label="bad --db"):
                argv += ["--db", str(small_demo)]
                continue
            if not action.required and data.draw(st.booleans(), label=f"leave out {action.dest}"):
                continue
            if action.nargs == 0:
                argv.append(action.option_strings[0])
                continue
            value = data.draw(bad_text, label=action.dest)
            value = value.replace("{tmp}", str(tmp_path)).replace("{ledger}", str(small_demo))
            argv += [action.option_strings[0], value] if action.option_strings else [value]
        before = ledger_digest(small_demo)
        code = run_main(argv, capsys)
        assert isinstance(code, int)
        if code != 0:
            assert ledger_digest(small_demo) == before, argv

    check()


# --- mutated JSON documents --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def exported_document(small_demo, tmp_path_factory):
    from ledger_app.db import open_ledger
    from ledger_app.exchange import export_ledger

    out = tmp_path_factory.mktemp("fuzz-json") / "ledger.json"
    with open_ledger(small_demo, readonly=True):
        export_ledger(out)
    return json.loads(out.read_text(encoding="utf-8"))


bad_value = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=False),
    st.text(max_size=8), st.sampled_from(["2025-02-30", "2025-13-01", "0000-00-00", "20250101", "2025-1-1",
                                          "\ud800", "x\udfff", "", "in_service", "-1", "NaN"]),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@FUZZ
@given(data=st.data())
def test_mutated_json_imports_are_refused_cleanly(data, exported_document, tmp_path_factory, capsys):
    import copy

    folder = tmp_path_factory.mktemp("mutated")
    document = copy.deepcopy(exported_document)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        where = data.draw(st.sampled_from(["top", "table", "row", "row", "row"]), label="where")
        if where == "top":
            key = data.draw(st.sampled_from(["format", "format_version", "schema_version", "tables", "extra"]))
            if data.draw(st.booleans(), label="delete"):
                document.pop(key, None)
            else:
                document[key] = data.draw(bad_value)
            continue
        tables = document.get("tables")
        if not isinstance(tables, dict) or not tables:
            continue
        name = data.draw(st.sampled_from(sorted(tables)), label="table")
        rows = tables[name]
        if where == "table" or not isinstance(rows, list) or not rows:
            tables[name] = data.draw(st.one_of(bad_value, st.just([]), st.just(rows * 2)), label="table value")
            continue
        row = rows[data.draw(st.integers(0, len(rows) - 1), label="row")]
        if not isinstance(row, dict) or not row:
            continue
        key = data.draw(st.sampled_from(sorted(row)), label="column")
        if data.draw(st.booleans(), label="delete column"):
            del row[key]
        else:
            row[key] = data.draw(bad_value, label="value")
    source = folder / "mutated.json"
    source.write_text(json.dumps(document, ensure_ascii=True), encoding="utf-8")
    target = folder / "new.sqlite3"
    code = run_main(["import", str(source), "--db", str(target)], capsys)
    if code != 0:
        assert sorted(p.name for p in folder.iterdir()) == ["mutated.json"]
    else:
        assert target.exists()
