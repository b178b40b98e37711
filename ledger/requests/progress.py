"""Assembly progress of a product's bill of materials: how much of its footprint rests on supplier-specific data
(declarations) rather than secondary emission factors, and how much on declarations a third party attested.

The footprint is split by where each kilogram is emitted (ledger.rollup.contributions, ``direct`` convention, gross
emissions): the product's own emissions, those of declared upstream products (supplier-specific), and those of
secondary factors. Inputs nothing covers (gaps) add nothing to the footprint; they are counted, never zero-filled
silently. Shares are fractions of the total, 0 when the total is 0.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from ledger.errors import UnknownProductError
from ledger.graph.build import SupplyChain
from ledger.graph.model import DeclaredProduct
from ledger.rollup.contributions import contributions, upstream_of
from ledger.rollup.engine import RollupResult
from ledger.rollup.report import refuse_failed_inputs


@dataclass(frozen=True)
class AssemblyProgress:
    """Where `product`'s footprint (kgCO2e per declared unit, gross) comes from, as shares of `total`."""

    product: str
    total: float
    own_share: float
    supplier_specific_share: float
    secondary_share: float
    attested_share: float
    by_tier: dict[int, float]  # share of the total emitted at each tier (0: the product itself)
    gaps: tuple[tuple[str, str], ...]  # (consumer, input) pairs of the product's graph nothing covers

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (tiers as strings, JSON object keys)."""
        return {
            "product": self.product,
            "total": self.total,
            "own_share": self.own_share,
            "supplier_specific_share": self.supplier_specific_share,
            "secondary_share": self.secondary_share,
            "attested_share": self.attested_share,
            "by_tier": {str(tier): share for tier, share in self.by_tier.items()},
            "gaps": [{"consumer": consumer, "input": line} for consumer, line in self.gaps],
        }


def position_of(supply: SupplyChain, product: str) -> int:
    """The node of `product`'s current declaration; UnknownProductError when it has none."""
    position = supply.index.get(product)
    if position is None or not isinstance(supply.nodes[position], DeclaredProduct):
        raise UnknownProductError(
            f"no current anchored declaration of product {product!r}: declare it before tracking its assembly"
        )
    return position


def declared_upstream(supply: SupplyChain, result: RollupResult, product: str) -> list[DeclaredProduct]:
    """The declarations `product` draws from, itself included."""
    upstream = upstream_of(result, position_of(supply, product))
    return [node for p in upstream.tolist() if isinstance(node := supply.nodes[p], DeclaredProduct)]


def assembly_progress(
    supply: SupplyChain, result: RollupResult, product: str, attested_digests: Collection[str]
) -> AssemblyProgress:
    """The progress of `product` (see the module docstring); `attested_digests` are the digests of declarations
    holding a positive attestation that is not withdrawn."""
    index = position_of(supply, product)
    upstream = upstream_of(result, index)
    refuse_failed_inputs(supply, result, product, upstream)
    suppliers = [supply.supplier_of(p) for p in range(len(supply.nodes))]
    found = contributions(result, supply.data.direct_matrix, index, suppliers)
    own = specific = secondary = attested = 0.0
    for position, amount in found.by_product.items():
        node = supply.nodes[position]
        if not isinstance(node, DeclaredProduct):
            secondary += amount
            continue
        if position == index:
            own += amount
        else:
            specific += amount
        if node.digest in attested_digests:
            attested += amount
    total = found.total

    def share(amount: float) -> float:
        return amount / total if total else 0.0

    in_graph = {supply.nodes[p].product_id for p in upstream.tolist()}
    gaps = tuple(sorted((gap.consumer, gap.input_product) for gap in supply.gaps if gap.consumer in in_graph))
    return AssemblyProgress(
        product=product,
        total=total,
        own_share=share(own),
        supplier_specific_share=share(specific),
        secondary_share=share(secondary),
        attested_share=share(attested),
        by_tier={tier: share(amount) for tier, amount in found.by_tier.items()},
        gaps=gaps,
    )
