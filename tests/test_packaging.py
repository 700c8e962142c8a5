"""The program installs as a clerk's PC would get it: a wheel that holds its templates, font, style sheet
and schema, installed in a fresh virtual environment and run from another folder.

The build runs on a copy of the sources (so a stale ``build/`` of the checkout cannot leak into the
wheel, and the checkout is left untouched). The venv sees the system site-packages for the
third-party libraries, so the test needs no download beyond what ``pip wheel`` needs to build.
"""

import json
import os
import shutil
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from fixtures.installed import ROOT, clean_env, demo_and_minutes, run

from ledger_app import paths

SOURCES = ("pyproject.toml", "README.md", "ledger_app", "ui", "templates", "resources")


def declared_packages() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]


def test_every_package_folder_is_declared():
    """pyproject.toml lists the packages by hand (the mapped data folders need it): none left out."""
    found = {".".join(init.parent.relative_to(ROOT).parts)
             for top in ("ledger_app", "ui") for init in (ROOT / top).rglob("__init__.py")}
    assert found <= set(declared_packages())


def test_the_checkout_finds_its_own_files():
    assert paths.shipped_templates_dir() == ROOT / "templates"
    assert (paths.shipped_templates_dir() / "minutes.docx").is_file()
    assert paths.bundled_font().is_file() and paths.bundled_font_licence().is_file()
    assert paths.style_sheet().is_file()


def expected_wheel_files() -> set[str]:
    names = {f"ledger_app/templates/{p.name}" for p in (ROOT / "templates").glob("*.docx")}
    names |= {f"ledger_app/resources/{p.relative_to(ROOT / 'resources').as_posix()}"
              for p in (ROOT / "resources").rglob("*") if p.is_file()}
    names |= {f"ledger_app/migrations/{p.name}" for p in (ROOT / "ledger_app" / "migrations").glob("*.sql")}
    names |= {p.relative_to(ROOT).as_posix() for top in ("ledger_app", "ui") for p in (ROOT / top).rglob("*.py")}
    return names | {"ledger_app/ledger-format.schema.json"}


def build_wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    run([sys.executable, "-m", "pip", "wheel", source, "--no-deps", "-q", "-w", wheels], tmp_path, dict(os.environ))
    (wheel,) = wheels.glob("party_ledger-*.whl")
    return wheel


@pytest.mark.slow
def test_the_wheel_installs_and_prints_from_another_folder(tmp_path):
    wheel = build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert not expected_wheel_files() - names, "missing from the wheel"
    assert not [n for n in names if n.startswith(("templates/", "resources/", "tests/")) or "/_build/" in n]

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--system-site-packages", venv], tmp_path, dict(os.environ))
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / "python"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = clean_env(tmp_path / "home")
    # --force-reinstall: the system site-packages may hold this project's editable install.
    run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--force-reinstall", wheel], elsewhere, env)

    where = json.loads(run([python, "-c", (
        "import json, ledger_app, ledger_app.paths as p;"
        "print(json.dumps([ledger_app.__file__, str(p.shipped_templates_dir()), str(p.bundled_font())]))")],
        elsewhere, env).stdout)
    site = venv.resolve()
    assert all(Path(path).resolve().is_relative_to(site) for path in where), where

    made = demo_and_minutes([scripts / "party-ledger"], elsewhere, env)
    assert made["pdf"].stat().st_size > 0 and made["docx"].stat().st_size > 0

    # The GUI's resources from the installed package: the bundled font, the style sheet, Qt in Chinese.
    gui = json.loads(run([python, "-c", (
        "import json; from ui.app import create_application;"
        "from PySide6.QtCore import QCoreApplication; from PySide6.QtGui import QFontDatabase;"
        "app = create_application();"
        "print(json.dumps({'font': 'WenQuanYi Micro Hei' in QFontDatabase.families(),"
        " 'style': bool(app.styleSheet()), 'cancel': QCoreApplication.translate('QPlatformTheme', 'Cancel')}))")],
        elsewhere, env).stdout.strip().splitlines()[-1])
    assert gui == {"font": True, "style": True, "cancel": "取消"}
