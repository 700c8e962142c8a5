"""Where the program's own files are: the bundled resources and the shipped Word templates.

Every run-time lookup of them goes through ``package_data_dir``, so the program finds them the same
way however it was installed:

- an installed wheel: setuptools maps the repository's top-level ``templates/`` and ``resources/``
  folders into the package as ``ledger_app/templates`` and ``ledger_app/resources``
  (``[tool.setuptools.package-dir]`` in pyproject.toml);
- the frozen Windows build: the PyInstaller spec puts them at the same place under the bundle;
- a source checkout or an editable install: they are the top-level folders beside ``ledger_app/``.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
FONT_FILE = "wqy-microhei.ttc"
FONT_LICENCE = "LICENSE-wqy-microhei.txt"


def package_data_dir(name: str) -> Path:
    """The folder ``name`` (``templates`` or ``resources``) of the installed package or the checkout."""
    installed = PACKAGE_DIR / name
    return installed if installed.is_dir() else PACKAGE_DIR.parent / name


def resources_dir() -> Path:
    return package_data_dir("resources")


def shipped_templates_dir() -> Path:
    return package_data_dir("templates")


def bundled_font() -> Path:
    """WenQuanYi Micro Hei (Apache-2.0): renders Chinese on a machine without Chinese fonts."""
    return resources_dir() / "fonts" / FONT_FILE


def bundled_font_licence() -> Path:
    return resources_dir() / "fonts" / FONT_LICENCE


def style_sheet() -> Path:
    return resources_dir() / "style.qss"


def translations_dir() -> Path:
    """Extra Qt translations shipped with the program (PySide6's own are found through QLibraryInfo)."""
    return resources_dir() / "translations"
