"""Rebuild every shipped template: ``python -m templates._build [NAME ...]``."""

import importlib
import pkgutil
import sys
from pathlib import Path

import templates._build as package

HERE = Path(__file__).resolve().parent.parent


def main(names: list[str]) -> None:
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"templates._build.{info.name}")
        if not names or module.TEMPLATE in names:
            module.build(HERE / module.TEMPLATE)
            print(f"built {module.TEMPLATE}")


if __name__ == "__main__":
    main(sys.argv[1:])
