"""Where the program's own files are: the bundled resources and the shipped Word templates.

In a source checkout they are beside the packages; in the frozen Windows build PyInstaller unpacks
them under ``sys._MEIPASS``.
"""

import sys
from pathlib import Path


def program_root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return program_root() / "resources"


def shipped_templates_dir() -> Path:
    return program_root() / "templates"


def bundled_font() -> Path:
    """WenQuanYi Micro Hei (Apache-2.0): renders Chinese on a machine without Chinese fonts."""
    return resources_dir() / "fonts" / "wqy-microhei.ttc"
