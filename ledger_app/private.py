"""Files that hold personal data are readable by their owner only, where the operating system allows.

The ledger and its ``-wal``/``-shm``, the lock file, backups, exports and documents are created with
mode 0o600, and folders the program creates for them with 0o700, on POSIX systems. SQLite gives a
ledger's ``-wal`` and ``-shm`` the mode of the ledger file itself, so creating the ledger 0o600 covers
them. Every module that creates such a file goes through this one: a new one must too.

On Windows these calls change nothing: ``chmod`` can only set the read-only flag there, and a file in
the user's profile already inherits an access list that keeps other ordinary users out. A folder
that does not keep modes (a FAT-formatted USB stick) is left as it is, quietly.
"""

import os
from contextlib import suppress
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
POSIX = os.name == "posix"


def opener(path, flags: int) -> int:
    """For ``open(path, mode, opener=private.opener)``: a file it creates is the owner's only from the
    first byte, with no moment in which others could open it."""
    return os.open(path, flags, FILE_MODE)


def restrict(path: str | os.PathLike) -> None:
    """Make an existing file (0o600) or folder (0o700) the owner's only, where that is possible."""
    if not POSIX:
        return
    with suppress(OSError):  # not our file, or a file system without modes: leave it
        os.chmod(path, DIR_MODE if os.path.isdir(path) else FILE_MODE)


def create_file(path: str | os.PathLike) -> Path:
    """Create ``path`` empty if missing, the owner's only; an existing file keeps its content."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    restrict(path)  # it may have existed with a wider mode
    return Path(path)


def write_text(path: str | os.PathLike, text: str) -> None:
    """``Path.write_text`` (UTF-8) into a file that is the owner's only."""
    with open(path, "w", encoding="utf-8", opener=opener) as handle:
        handle.write(text)
    restrict(path)


def make_dirs(path: str | os.PathLike) -> Path:
    """``mkdir -p``: each folder created here is 0o700; folders that already exist are left alone."""
    path = Path(path)
    missing = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        with suppress(FileExistsError):  # made by another process in between
            folder.mkdir(mode=DIR_MODE)
        if POSIX:  # mkdir's mode is reduced by the umask; a umask never widens it, but be exact
            with suppress(OSError):
                os.chmod(folder, DIR_MODE)
    path.mkdir(parents=True, exist_ok=True)  # raises as mkdir does when ``path`` is a file
    return path
