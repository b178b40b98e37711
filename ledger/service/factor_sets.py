"""Secondary emission factor sets the server holds, by name: ``<workspace>/factors/<name>.json``.

A roll-up over HTTP names a set (``?factors=ecoinvent-3.10``) instead of uploading a file; names are plain words so a
name can never reach outside the folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from ledger.errors import InvalidInputError, NotFoundError
from ledger.graph.factors import load_factor_database
from ledger.graph.model import EmissionFactor

FACTOR_SET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def factor_set_names(folder: Path) -> list[str]:
    """The names of the factor sets in `folder`."""
    return sorted(path.stem for path in folder.glob("*.json")) if folder.is_dir() else []


def load_factor_set(folder: Path, name: str) -> list[EmissionFactor]:
    """The factors of set `name` in `folder`; InvalidInputError for a bad name, NotFoundError for an unknown one."""
    if not FACTOR_SET_NAME.fullmatch(name) or ".." in name:
        raise InvalidInputError(
            f"factor set name {name!r} must be 1-64 letters, digits, '.', '_' or '-' (e.g. ecoinvent-3.10)"
        )
    path = folder / f"{name}.json"
    if not path.is_file():
        known = factor_set_names(folder)
        raise NotFoundError(f"no factor set {name!r}; known: {', '.join(known) or 'none'}")
    return load_factor_database(path)[0]
