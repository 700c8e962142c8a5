"""Entry point for the frozen Windows build: the same as the ``party-ledger`` console script."""

import sys

from ledger_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
