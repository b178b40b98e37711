"""Workspace files readable by their owner only, like the secrets: the ledger and chain databases.

SQLite creates a database's ``-wal`` and ``-shm`` files with the database file's own mode, so creating the database
file 0600 before SQLite opens it is enough; files left by older versions are tightened on open.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_MODE = 0o600
SQLITE_SIDECARS = ("-wal", "-shm", "-journal")


def private_database(path: Path) -> None:
    """Create the SQLite database file `path` 0600 when missing; take group and other access off an existing one."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE))
    for file in (path, *(path.with_name(path.name + suffix) for suffix in SQLITE_SIDECARS)):
        try:
            mode = stat.S_IMODE(file.stat().st_mode)
            if mode & 0o077:
                os.chmod(file, mode & 0o700)
        except FileNotFoundError:
            continue
        except PermissionError:  # another owner's file: SQLite will say whether it can use it
            continue
