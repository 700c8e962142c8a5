"""The core stays headless: ``ledger_app`` imports no PySide6 and nothing from ``ui``.

Checked twice: by importing every module of the package in a fresh interpreter and looking at
``sys.modules``, and by reading the source (which also catches an import inside a function that
the first check never runs). The start-up path also stays free of the heavy document libraries.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ledger_app"
FORBIDDEN = ("PySide6", "shiboken6", "ui")
HEAVY = ("docx", "docxtpl", "reportlab", "openpyxl")


def run_python(code: str) -> dict:
    """Run ``code`` in a fresh interpreter (no Qt set up by any test) and return its JSON output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def top_level(names) -> set[str]:
    return {name.split(".")[0] for name in names}


def test_importing_every_core_module_loads_no_qt_and_no_ui():
    result = run_python(
        "import json, pkgutil, importlib, sys, traceback\n"
        "import ledger_app\n"
        "failed = {}\n"
        "names = []\n"
        "for info in pkgutil.walk_packages(ledger_app.__path__, 'ledger_app.'):\n"
        "    names.append(info.name)\n"
        "    try:\n"
        "        importlib.import_module(info.name)\n"
        "    except Exception:\n"
        "        failed[info.name] = traceback.format_exc(limit=2)\n"
        "print(json.dumps({'modules': sorted(sys.modules), 'walked': names, 'failed': failed}))\n"
    )
    walked = set(result["walked"])
    assert {"ledger_app.db", "ledger_app.cli", "ledger_app.services.branch", "ledger_app.backup"} <= walked
    loaded = top_level(result["modules"])
    assert not loaded & set(FORBIDDEN), sorted(loaded & set(FORBIDDEN))
    assert not result["failed"], "modules that do not import:\n" + "\n".join(
        f"{name}: {trace}" for name, trace in result["failed"].items())


def test_no_core_source_mentions_qt_or_ui_imports():
    statement = re.compile(r"^[ \t]*(?:from|import)[ \t]+(?:PySide6|shiboken6|ui)\b.*$", re.MULTILINE)
    offenders = []
    for source in sorted(PACKAGE.rglob("*.py")):
        text = source.read_text(encoding="utf-8")
        name = source.relative_to(ROOT).as_posix()
        offenders += [f"{name}: {m.group(0).strip()}" for m in statement.finditer(text)]
        offenders += [f"{name}: {needle}" for needle in ("import PySide6", "from PySide6") if needle in text
                      and not any(needle in o for o in offenders if o.startswith(name))]
    # cli.cmd_gui starts the GUI: the one sanctioned way from the core to ``ui``, imported inside
    # the command (the import test above proves it is not loaded by importing the core).
    allowed = {"ledger_app/cli.py: from ui.app import run"}
    assert [o for o in offenders if o not in allowed] == []


def test_start_up_path_loads_no_heavy_library():
    result = run_python(
        "import json, sys\n"
        "import ledger_app.cli, ledger_app.db, ledger_app.services.branch, ledger_app.backup\n"
        "print(json.dumps({'modules': sorted(sys.modules)}))\n"
    )
    loaded = top_level(result["modules"])
    assert not loaded & set(HEAVY + FORBIDDEN), sorted(loaded & set(HEAVY + FORBIDDEN))


def test_cli_help_loads_no_heavy_library():
    """``party-ledger --help`` must stay fast: parsing arguments imports no command's libraries."""
    result = run_python(
        "import json, sys, contextlib, io\n"
        "from ledger_app.cli import build_parser\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    build_parser().parse_args(['--help'])\n"
        "print(json.dumps({'modules': sorted(sys.modules)}))\n"
    )
    loaded = top_level(result["modules"])
    assert not loaded & set(HEAVY + FORBIDDEN + ("peewee",)), sorted(loaded & set(HEAVY + FORBIDDEN))
