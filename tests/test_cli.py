"""The command line's fast path for starting the GUI agrees with the full parser."""

import pytest

from ledger_app.cli import build_parser, cmd_gui, gui_arguments


@pytest.mark.parametrize("argv", [
    [], ["gui"], ["--db", "a.sqlite3"], ["gui", "--db", "a.sqlite3"], ["--db", "a.sqlite3", "gui"],
    ["--db=台账.sqlite3"], ["--db", "a.sqlite3", "gui", "--db", "b.sqlite3"],
])
def test_gui_command_lines_parse_as_the_full_parser_does(argv):
    quick = gui_arguments(argv)
    full = build_parser().parse_args(argv)
    assert (quick.db, quick.command, quick.func) == (full.db, full.command, getattr(full, "func", cmd_gui))


@pytest.mark.parametrize("argv", [
    ["-h"], ["--help"], ["--db"], ["--db", "-x"], ["gui", "gui"], ["gui", "extra"], ["--d", "a.sqlite3"],
    ["export", "--out", "x.json"], ["verify"],
])
def test_anything_else_goes_to_the_full_parser(argv):
    assert gui_arguments(argv) is None
