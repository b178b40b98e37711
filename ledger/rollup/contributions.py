"""Contribution analysis: where a product's footprint comes from (per upstream declaration, supplier and tier),
and scenarios ("supplier X cuts 20%").

The supply vector s of product x (how much of every product one unit of x needs, directly and indirectly) solves
``(I - Q)^T s = e_x``; the contribution of product j is ``s_j * E_j``. Only x's upstream closure takes part. The
series ``s = sum_t (Q^T)^t e_x`` gives the tier breakdown for free and is exact after the deepest tier of an acyclic
chain, so it is used instead of factorising the transposed system (which fills in badly on real graphs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ledger.errors import DivergentLoopError
from ledger.rollup.components import EXCLUDING_COLUMNS
from ledger.rollup.engine import RollupResult
from ledger.rollup.structure import INT, consumers_closure


@dataclass(frozen=True)
class Contributions:
    """Shares of one product's footprint (pcfExcludingBiogenicUptake) by origin."""

    product: int
    total: float
    by_product: dict[int, float]  # product index -> kgCO2e per declared unit of `product`
    by_supplier: dict[str, float]
    by_tier: dict[int, float]  # 0 = the product's own emissions, 1 = its direct suppliers, ...


def upstream_of(result: RollupResult, index: int) -> np.ndarray:
    """`index` and every product it draws from, directly or indirectly."""
    return consumers_closure(result.input_matrix, np.array([index], dtype=INT))


def contributions(
    result: RollupResult,
    direct_matrix: np.ndarray,
    index: int,
    suppliers: Sequence[str],
    *,
    max_tiers: int = 64,
    tolerance: float = 1e-14,
    max_iterations: int = 100_000,
) -> Contributions:
    """Contribution of every upstream product, supplier and tier to product `index`."""
    upstream = upstream_of(result, index)
    local = {int(p): k for k, p in enumerate(upstream)}
    sub = result.input_matrix[upstream][:, upstream]
    own = direct_matrix[upstream][:, list(EXCLUDING_COLUMNS)].sum(axis=1)
    unit = np.zeros(upstream.size)
    unit[local[index]] = 1.0
    # s = sum_t (Q^T)^t e_x: term t is what tier t contributes. On an acyclic supply chain the terms vanish after
    # the deepest tier (exact); through loops they shrink geometrically (the roll-up refused non-converging loops).
    transposed = sub.T.tocsr()
    supply, vector, by_tier = np.zeros(upstream.size), unit, {}
    for tier in range(max_iterations):
        supply += vector
        share = float(vector @ own)
        if tier < max_tiers:
            by_tier[tier] = share
        else:
            by_tier[max_tiers] = by_tier.get(max_tiers, 0.0) + share  # deeper tiers (loops) summed together
        vector = transposed @ vector
        if not vector.any() or float(np.abs(vector).max()) <= tolerance * float(np.abs(supply).max()):
            break
    else:
        raise DivergentLoopError(f"supply of product {index} did not converge in {max_iterations} tiers")
    by_product = {int(p): float(supply[k] * own[k]) for k, p in enumerate(upstream) if supply[k] * own[k] != 0.0}
    by_supplier: dict[str, float] = defaultdict(float)
    for product, value in by_product.items():
        by_supplier[suppliers[product]] += value
    return Contributions(index, float(supply @ own), by_product, dict(by_supplier), by_tier)


def hotspots(found: Contributions, product_ids: Sequence[str], *, top: int = 10) -> list[tuple[str, float, float]]:
    """The `top` largest contributions: (product id, kgCO2e, share of the total)."""
    ranked = sorted(found.by_product.items(), key=lambda item: -abs(item[1]))[:top]
    total = found.total or 1.0
    return [(product_ids[p], value, value / total) for p, value in ranked]
