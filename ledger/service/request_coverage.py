"""A chain leader's coverage of its supply chain: its footprint requests and those forwarded below them, tallied by
tier and by product (requested, fulfilled, rejected with reasons, open, overdue at `now`), the bill-of-materials
inputs of its products with neither a declaration nor a request (missing), and each product's assembly progress:
the shares of its rolled-up footprint backed by supplier-specific and by attested data (ledger.requests).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from ledger.chain_port import ChainPort
from ledger.errors import AccessDeniedError, SupplyChainError
from ledger.graph.build import SupplyChain, build_supply_chain
from ledger.graph.model import DeclaredProduct, EmissionFactor
from ledger.requests.coverage import MissingInput, RequestFacts, Tally, missing_inputs, tally_by
from ledger.requests.progress import AssemblyProgress, assembly_progress, declared_upstream, position_of
from ledger.requests.rules import as_utc
from ledger.rollup.engine import RollupResult, compute_footprints
from ledger.service.request_mirror import sync_pact_requests
from ledger.service.request_views import RequestView
from ledger.service.supply_chain import load_declared_products
from ledger.storage import request_repository as repo
from ledger.storage.keyring import Keyring

POSITIVE_RESULTS = ("verified", "qualified")


@dataclass(frozen=True)
class ProductCoverage:
    """One product of the chain leader: inputs nothing covers yet and its assembly progress."""

    product: str
    missing: list[MissingInput]
    progress: AssemblyProgress | None
    problem: str | None = None  # why the progress cannot be computed (a product of its graph cannot be evaluated)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "product": self.product,
            "missing": [item.as_dict() for item in self.missing],
            "progress": self.progress.as_dict() if self.progress is not None else None,
            "problem": self.problem,
        }


@dataclass(frozen=True)
class CoverageReport:
    """The coverage of `leader` at `now`."""

    leader: str
    now: datetime
    by_tier: dict[int, Tally]
    by_product: dict[str, Tally]
    requests: list[RequestView]
    products: list[ProductCoverage]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (tiers as strings, JSON object keys)."""
        return {
            "leader": self.leader,
            "now": self.now.isoformat(),
            "by_tier": {str(tier): tally.as_dict() for tier, tally in self.by_tier.items()},
            "by_product": {product: tally.as_dict() for product, tally in self.by_product.items()},
            "requests": [item.as_dict() for item in self.requests],
            "products": [item.as_dict() for item in self.products],
        }


def has_standing_attestation(chain: ChainPort, digest: str) -> bool:
    """Does declaration `digest` hold a verified or qualified attestation that was not withdrawn?"""
    return any(
        item["result"] in POSITIVE_RESULTS and not item["withdrawnAtBlock"]
        for item in chain.attestations(bytes.fromhex(digest[2:]))
    )


def coverage(
    session: Session,
    keyring: Keyring,
    chain: ChainPort,
    leader: str,
    *,
    product: str | None = None,
    factors: Sequence[EmissionFactor] = (),
    now: datetime | None = None,
) -> CoverageReport:
    """The coverage of chain leader `leader`: of `product` only, or of every product it has a current declaration
    of; `factors` are the secondary factors the roll-up may use for inputs no supplier declared."""
    moment = as_utc(now) if now is not None else datetime.now(UTC)
    sync_pact_requests(session)
    rows = repo.tree_of(session=session, leader=leader)
    views = [RequestView.of(row, moment) for row in rows]
    facts = [
        RequestFacts(
            v.id,
            v.requester,
            v.receiver,
            v.product_id,
            v.tier,
            v.status,
            v.deadline,
            v.reason_code,
            v.reason_message,
            v.declaration_id,
            v.origin,
        )
        for v in views
    ]
    supply = build_supply_chain(load_declared_products(session, keyring, chain), factors)
    result = compute_footprints(supply.data, isolate_failures=True)
    tracked = _products_of(supply, leader, product)
    bill = {
        node.product_id: [line.product_id for line in node.inputs]
        for node in supply.nodes
        if isinstance(node, DeclaredProduct)
    }
    requested = {item.product_id for item in facts}
    products = [_product_coverage(supply, result, chain, name, bill, requested) for name in tracked]
    return CoverageReport(
        leader=leader,
        now=moment,
        by_tier=tally_by(facts, lambda item: item.tier, moment),
        by_product=tally_by(facts, lambda item: item.product_id, moment),
        requests=views,
        products=products,
    )


def _products_of(supply: SupplyChain, leader: str, product: str | None) -> list[str]:
    if product is None:
        return sorted(n.product_id for n in supply.nodes if isinstance(n, DeclaredProduct) and n.org == leader)
    node = supply.nodes[position_of(supply, product)]
    if not isinstance(node, DeclaredProduct) or node.org != leader:
        raise AccessDeniedError(
            f"product {product!r} is declared by {getattr(node, 'org', '?')!r}; {leader!r} sees the coverage of "
            "the products it declares"
        )
    return [product]


def _product_coverage(
    supply: SupplyChain,
    result: RollupResult,
    chain: ChainPort,
    product: str,
    bill: dict[str, list[str]],
    requested: set[str],
) -> ProductCoverage:
    missing = missing_inputs(product, bill, requested)
    try:
        attested = {
            node.digest
            for node in declared_upstream(supply, result, product)
            if has_standing_attestation(chain, node.digest)
        }
        return ProductCoverage(product, missing, assembly_progress(supply, result, product, attested))
    except SupplyChainError as exc:
        return ProductCoverage(product, missing, None, str(exc))
