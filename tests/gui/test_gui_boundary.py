"""The GUI stays a thin shell: it writes no SQL, and its start loads no document or Excel library."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("docx", "docxtpl", "reportlab", "openpyxl", "python_calamine")


def test_ui_never_touches_the_database_directly():
    forbidden = re.compile(r"^[ \t]*(?:from|import)[ \t]+(?:peewee|sqlite3|ledger_app\.models)\b|execute_sql|\.select\(",
                           re.MULTILINE)
    offenders = [f"{path.name}: {match.group(0).strip()}" for path in sorted((ROOT / "ui").glob("*.py"))
                 for match in forbidden.finditer(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_gui_start_loads_no_heavy_library(tmp_path):
    """A real start (the start-up probe) on a set-up ledger, in a fresh interpreter."""
    code = (
        "import json, sys\n"
        "from ledger_app.db import open_ledger\n"
        "from ledger_app.services import branch\n"
        "with open_ledger(sys.argv[1]):\n"
        "    branch.save_profile(branch.BranchProfile(name='测试支部', branch_type='other'))\n"
        "from ui.app import run\n"
        "code = run(sys.argv[1])\n"
        "print(json.dumps({'code': code, 'modules': sorted(sys.modules)}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PARTY_LEDGER_STARTUP_PROBE": "1", "QT_QPA_PLATFORM": "offscreen",
           "PARTY_LEDGER_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "l.sqlite3")], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0] == "shown"
    result = json.loads(lines[-1])
    assert result["code"] == 0
    loaded = {name.split(".")[0] for name in result["modules"]}
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
