"""党务台账 core: the ledger file, its data model, the rules, the services and the command line.

This package never imports Qt: everything here runs and is tested without a display.
"""

__version__ = "0.1.0"
