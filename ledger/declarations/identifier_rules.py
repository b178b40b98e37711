"""The identifiers a declaration names, held to `ledger.identifiers`: its product ids, its inputs' and co-products'
product ids, and the declaring organization.

A signed payload cannot be rewritten by the ledger, so validation refuses an unsafe or non-NFC id (with its JSON
pointer and the offending character); `tanji declare sign` NFC-normalizes ids before signing, so a supplier who
typed a decomposed accent never meets that refusal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from ledger.declarations.extension import TANJI_EXTENSION_SCHEMA
from ledger.identifiers import identifier_problem
from ledger.pact.validate import Violation

_INPUT_LISTS = ("billOfMaterials", "coProducts")


def _identifier_slots(payload: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any] | list[Any], str | int]]:
    """(JSON pointer, container, key) of every string identifier the payload names."""
    product_ids = payload.get("productIds")
    if isinstance(product_ids, list):
        for index, value in enumerate(product_ids):
            if isinstance(value, str):
                yield f"/productIds/{index}", product_ids, index
    extensions = payload.get("extensions")
    for position, extension in enumerate(extensions if isinstance(extensions, list) else []):
        if not isinstance(extension, dict) or extension.get("dataSchema") != TANJI_EXTENSION_SCHEMA:
            continue
        data = extension.get("data")
        if not isinstance(data, dict):
            continue
        base = f"/extensions/{position}/data"
        declarant = data.get("declarant")
        if isinstance(declarant, dict) and isinstance(declarant.get("org"), str):
            yield f"{base}/declarant/org", declarant, "org"
        for name in _INPUT_LISTS:
            items = data.get(name)
            for index, item in enumerate(items if isinstance(items, list) else []):
                if isinstance(item, dict) and isinstance(item.get("productId"), str):
                    yield f"{base}/{name}/{index}/productId", item, "productId"


def identifier_violations(payload: dict[str, Any]) -> list[Violation]:
    """One violation per unsafe identifier in `payload` (see ledger.identifiers)."""
    violations = []
    for pointer, container, key in _identifier_slots(payload):
        value = container[key]  # type: ignore[index]
        problem = identifier_problem(value)
        if problem:
            violations.append(Violation(pointer, f"{value!r} {problem}"))
    return violations


def normalize_identifiers(payload: dict[str, Any]) -> None:
    """Put every identifier of `payload` in NFC form, in place (before signing)."""
    for _pointer, container, key in _identifier_slots(payload):
        container[key] = unicodedata.normalize("NFC", container[key])  # type: ignore[index]
