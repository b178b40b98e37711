"""Progress for long operations: a tqdm bar on a terminal, nothing when output goes to a file or a pipe."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


def on_terminal() -> bool:
    """True when progress can be drawn (stderr is a terminal)."""
    return sys.stderr.isatty()


@contextmanager
def progress(total: int | None, description: str, unit: str = "it") -> Iterator[Callable[[int], None]]:
    """Yield `advance(n)`; draws a bar of `total` steps on a terminal and stays quiet otherwise."""
    if not on_terminal():
        yield lambda _n: None
        return
    from tqdm import tqdm

    bar: Any = tqdm(total=total, desc=description, unit=unit, file=sys.stderr, leave=False, dynamic_ncols=True)
    try:
        yield bar.update
    finally:
        bar.close()
