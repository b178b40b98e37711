"""Footprint values of declarations not yet signed, from the roll-up engine.

A supplier's first declaration of a product states its activity data (inputs, process emissions); its PACT
totals are what the engine solves for it over the anchored chain plus the new declarations (a loop among them is
solved as one block), using the same graph, solver and PACT fields as `tanji rollup --draft`. Only the `pcf`
object is taken over: provenance and pinned input digests come with the signed draft of the roll-up use case.
"""

from __future__ import annotations

import copy
from typing import Any

from ledger.canonical import hex32, keccak_canonical
from ledger.graph.build import build_supply_chain
from ledger.graph.model import DeclaredProduct, EmissionFactor
from ledger.rollup.engine import compute_footprints
from ledger.rollup.report import report, to_product_footprint


def with_engine_values(
    payloads: list[dict[str, Any]],
    anchored: list[DeclaredProduct],
    factors: list[EmissionFactor],
    factors_name: str,
) -> list[dict[str, Any]]:
    """Copies of `payloads` whose `pcf` holds the engine's footprint of each, solved over `anchored` (their
    current versions replaced by these payloads) and `factors`."""
    fresh = [DeclaredProduct.from_payload(p, digest=_unsigned_digest(p)) for p in payloads]
    replaced = {node.product_id for node in fresh}
    supply = build_supply_chain([*(a for a in anchored if a.product_id not in replaced), *fresh], factors)
    result = compute_footprints(supply.data, isolate_failures=True)
    parameters = {"engine": result.method, "factors": factors_name}
    filled = []
    for payload, node in zip(payloads, fresh, strict=True):
        found = report(supply, result, node.product_id, parameters=parameters)
        computed = to_product_footprint(payload, found, supply)
        signed = copy.deepcopy(payload)
        signed["pcf"] = computed["pcf"]
        filled.append(signed)
    return filled


def _unsigned_digest(payload: dict[str, Any]) -> str:
    """A stand-in node digest for a payload not yet signed (never leaves this module)."""
    return hex32(keccak_canonical({"unsigned": payload["id"]}))
