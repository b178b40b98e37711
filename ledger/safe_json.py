"""The one reader of JSON documents that come from outside: bounded nesting, no duplicate keys, exact numbers.

Every envelope, bundle, factor file, PACT v2 input, workspace config and keystore is read here, because the
standard reader has two holes:

- **Depth.** ``json.loads`` recurses in C once per nesting level. py_ecc (imported through eth_account) raises
  Python's recursion limit to 100,000, so a 200 KB file of nested arrays overflows the C stack and the process
  dies with a segfault. :func:`check_nesting` scans the bytes (outside strings) first and refuses anything
  deeper than :data:`MAX_DEPTH` before the parser sees it.
- **Duplicate keys.** ``json.loads`` keeps the last of two equal keys, other readers keep the first: a signer and
  a verifier could see two different values in one signed document. A duplicate is refused with the JSON
  pointer of the object that holds it.

Numbers that are not integers are read as :class:`~decimal.Decimal`, so a float is detected instead of rounded.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from itertools import accumulate
from pathlib import Path
from typing import Any

from ledger.errors import DuplicateJsonKeyError, JsonTooDeepError, MalformedJsonError

MAX_DEPTH = 64
"""Deepest nesting of arrays and objects accepted. A PACT v3 footprint with the Tanji extension needs 7."""

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def nesting_depth(data: bytes) -> int:
    """The deepest nesting of arrays and objects in `data`, brackets inside strings excepted."""
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    return max(accumulate(_STEP[b] for b in brackets), default=0)


def check_nesting(data: str | bytes, *, source: str = "document", limit: int = MAX_DEPTH) -> None:
    """Refuse `data` when it nests deeper than `limit`, without parsing it; JsonTooDeepError names `source`."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if raw.count(b"[") + raw.count(b"{") <= limit:  # cannot be deeper than the number of openings
        return
    depth = nesting_depth(raw)
    if depth > limit:
        raise JsonTooDeepError(
            f"{source}: JSON nested {depth} levels deep, over the limit of {limit}; no Tanji document nests that "
            "deep, so this file is not a declaration, bundle or factor file (refused before parsing)"
        )


class _WithDuplicate(dict[str, Any]):
    """An object that named `key` twice; kept until the whole document is read and its pointer is known."""

    key = ""


def loads(text: str | bytes, *, source: str | None = None) -> Any:
    """Parse one JSON document from outside; MalformedJsonError (or a subclass) says what is wrong and where."""
    where = f"{source}: " if source else ""
    check_nesting(text, source=source or "document")
    found: list[_WithDuplicate] = []

    def refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj
        marked = _WithDuplicate(obj)
        marked.key = _repeated_key(pairs)
        found.append(marked)
        return marked

    try:
        document = json.loads(text, parse_float=Decimal, object_pairs_hook=refuse_duplicates)
    except json.JSONDecodeError as exc:
        raise MalformedJsonError(f"{where}not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    except UnicodeDecodeError as exc:
        raise MalformedJsonError(f"{where}not valid JSON: {exc}") from exc
    if found:
        pointer, key = _first_duplicate(document, "") or ("", found[0].key)
        raise DuplicateJsonKeyError(
            f"{where}key {key!r} appears twice in the object at {pointer or '/'}; readers disagree on which value "
            "counts, so the document is refused: keep one"
        )
    return document


def read_json(path: Path) -> Any:
    """Read and parse the JSON file at `path` (OSError is left to the caller); errors name the file."""
    return loads(path.read_bytes(), source=str(path))


def _repeated_key(pairs: list[tuple[str, Any]]) -> str:
    seen: set[str] = set()
    for key, _value in pairs:
        if key in seen:
            return key
        seen.add(key)
    return ""


def _first_duplicate(value: Any, pointer: str) -> tuple[str, str] | None:
    """(JSON pointer, key) of the first object, outermost first, that names a key twice; None when none does."""
    if isinstance(value, _WithDuplicate):
        return pointer, value.key
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in children:
        escaped = str(key).replace("~", "~0").replace("/", "~1")
        hit = _first_duplicate(item, f"{pointer}/{escaped}")
        if hit is not None:
            return hit
    return None
