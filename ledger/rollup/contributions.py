"""Contribution analysis: where a product's footprint comes from (per upstream product, supplier and tier).

The supply vector s of product x (how much of every product one unit of x needs, directly and indirectly) solves
``(I - Q)^T s = e_x``. Two conventions answer "how much of x's footprint comes from product j":

``direct``
    what j emits itself, scaled: ``s_j * E_j``. Contributions of all products add up to the total, and so do
    those of all suppliers and of all tiers.
``upstream``
    j's own emissions plus everything j pulls in (its cradle-to-gate footprint ``P_j``) for the amount of j that
    x needs, corrected so that loops are not counted twice: ``U_j = s_j * P_j / [(I - Q)^-1]_jj``, which is
    openLCA's total result ``loop_j * t_j * P_j`` with ``loop_j = 1 / (A_jj * [A^-1]_jj)`` and ``t_j = A_jj s_j``
    (GreenDelta olca-modules, ResultProvider.loopFactorOf). ``U_x`` is the total. Upstream results nest (j's
    upstream holds its suppliers'), so per product they do not add up; per *direct input line* of x they do:
    ``total = (E_x + sum over lines Q_xj P_j) / (1 - Q_xx)``, and ``by_supplier`` groups those lines.

The series ``s = sum_t (Q^T)^t e_x`` gives the tier breakdown for free and is exact after the deepest tier of an
acyclic chain, so it is used instead of factorising the transposed system (which fills in badly on real graphs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import splu

from ledger.errors import DivergentLoopError, SupplyChainError
from ledger.rollup.components import COLUMNS, EXCLUDING_COLUMNS
from ledger.rollup.engine import RollupResult
from ledger.rollup.structure import INT, consumers_closure

CONVENTIONS = ("direct", "upstream")


@dataclass(frozen=True)
class Contributions:
    """Shares of one product's footprint (its PCF total under the weights given) by origin."""

    product: int
    total: float
    convention: str
    by_product: dict[int, float]  # product index -> kgCO2e per declared unit of `product`
    by_supplier: dict[str, float]
    by_tier: dict[int, float]  # 0 = the product's own emissions, 1 = its direct suppliers, ...


def upstream_of(result: RollupResult, index: int) -> np.ndarray:
    """`index` and every product it draws from, directly or indirectly."""
    return consumers_closure(result.input_matrix, np.array([index], dtype=INT))


def gross_weights() -> np.ndarray:
    """Weights of gross emissions (no removals, no uptake), for callers that give no totals rule."""
    weights = np.zeros(len(COLUMNS))
    weights[list(EXCLUDING_COLUMNS)] = 1.0
    return weights


def contributions(
    result: RollupResult,
    direct_matrix: np.ndarray,
    index: int,
    suppliers: Sequence[str],
    *,
    weights: np.ndarray | None = None,
    convention: str = "direct",
    max_tiers: int = 64,
    tolerance: float = 1e-14,
    max_iterations: int = 100_000,
) -> Contributions:
    """Contribution of every upstream product, supplier and tier to product `index` (module docstring)."""
    if convention not in CONVENTIONS:
        raise SupplyChainError(f"unknown contribution convention {convention!r}; use one of: {', '.join(CONVENTIONS)}")
    weights = gross_weights() if weights is None else weights
    upstream = upstream_of(result, index)
    local = {int(p): k for k, p in enumerate(upstream)}
    sub = result.input_matrix[upstream][:, upstream]
    own = direct_matrix[upstream] @ weights
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
    if convention == "direct":
        values = supply * own
        by_supplier: dict[str, float] = defaultdict(float)
        for k, p in enumerate(upstream):
            by_supplier[suppliers[int(p)]] += float(values[k])
        total = float(supply @ own)
    else:
        footprints = result.footprint_matrix[upstream] @ weights
        values = supply * footprints / _return_multipliers(sub)
        by_supplier = _upstream_by_line(sub, local[index], upstream, footprints, own, suppliers)
        total = float(footprints[local[index]])
    by_product = {int(p): float(values[k]) for k, p in enumerate(upstream) if values[k] != 0.0}
    return Contributions(index, total, convention, by_product, dict(by_supplier), by_tier)


def _return_multipliers(sub: sp.csr_matrix) -> np.ndarray:
    """``[(I - Q)^-1]_jj`` for every product of the (upstream) sub-system: how many units of j one unit of j sets
    going, itself included, through self-use and loops. Paths from j back to j stay inside j's strongly connected
    component, so each loop is factorised on its own; products outside loops get ``1 / (1 - Q_jj)``."""
    from scipy.sparse.csgraph import connected_components

    diagonal = sub.diagonal()
    multipliers = 1.0 / (1.0 - diagonal)
    count, labels = connected_components(sub, directed=True, connection="strong")
    for label in np.flatnonzero(np.bincount(labels, minlength=count) > 1):
        members = np.flatnonzero(labels == label)
        block = (sp.identity(members.size, format="csc") - sub[members][:, members]).tocsc()
        inverse_columns = splu(block).solve(np.eye(members.size))
        multipliers[members] = np.diagonal(inverse_columns)
    return np.asarray(multipliers, dtype=np.float64)


def _upstream_by_line(
    sub: sp.csr_matrix,
    target: int,
    upstream: np.ndarray,
    footprints: np.ndarray,
    own: np.ndarray,
    suppliers: Sequence[str],
) -> dict[str, float]:
    """The target's total split over its own emissions and its direct input lines (``Q_xj P_j``), each scaled by
    ``1 / (1 - Q_xx)``, grouped by supplier: adds up to the total exactly, loops included."""
    row = sub.getrow(target)
    scale = 1.0 / (1.0 - float(sub[target, target]))
    by_supplier: dict[str, float] = defaultdict(float)
    by_supplier[suppliers[int(upstream[target])]] += float(own[target]) * scale
    for j, quantity in zip(row.indices.tolist(), row.data.tolist(), strict=True):
        if j != target:
            by_supplier[suppliers[int(upstream[j])]] += quantity * float(footprints[j]) * scale
    return by_supplier


def hotspots(found: Contributions, product_ids: Sequence[str], *, top: int = 10) -> list[tuple[str, float, float]]:
    """The `top` largest contributions: (product id, kgCO2e, share of the total)."""
    ranked = sorted(found.by_product.items(), key=lambda item: -abs(item[1]))[:top]
    total = found.total or 1.0
    return [(product_ids[p], value, value / total) for p, value in ranked]
