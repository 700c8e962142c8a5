"""Errors the user's environment or input causes, as opposed to bugs.

A ``LedgerError`` carries a message meant for the clerk (Chinese, saying what to fix); the GUI shows
it in a message box and the command line prints it and exits non-zero. Anything else that escapes
is a bug and goes to the crash handler.
"""


class LedgerError(Exception):
    """A problem the clerk can fix: bad input, a locked or damaged file, a newer ledger."""

    exit_code = 2


class ValidationError(LedgerError):
    """Input that breaks a rule; ``field`` names the field or path at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class LedgerLockedError(LedgerError):
    """Another program holds the ledger file open for writing."""

    exit_code = 3


class NewerLedgerError(LedgerError):
    """The ledger was written by a newer program than this one."""


class DamagedLedgerError(LedgerError):
    """The file is not a ledger, or fails SQLite's integrity check."""
