"""党务台账's Qt GUI: a thin shell over ``ledger_app.services``.

The GUI never writes SQL and never computes a rule: it calls services and rules, receives plain
dataclasses and shows them. ``ui.app.run`` is the entry point ``party-ledger gui`` calls.
"""
