"""Downstream products of a label's declaration: every current declaration whose roll-up uses it, directly (an input
naming its product, its id or its digest) or through other products. When the label or its basis fell (revoked,
declaration revoked or superseded, attestation withdrawn) they are flagged for re-evaluation, as the roll-up's
``needsReevaluation`` flags consumers of superseded or revoked declarations (ledger.graph.build ``stale``)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from ledger.canonical import hex32
from ledger.chain_port import ActingChainPort
from ledger.codes import LabelStatus
from ledger.errors import DeclarationNotFoundError
from ledger.graph.model import DeclaredProduct
from ledger.service.label_check import REASONS
from ledger.service.labels import serial_id
from ledger.service.supply_chain import load_declared_products
from ledger.storage import repository
from ledger.storage.keyring import Keyring

FALLEN = frozenset(
    {
        LabelStatus.REVOKED,
        LabelStatus.DECLARATION_REVOKED,
        LabelStatus.DECLARATION_SUPERSEDED,
        LabelStatus.ATTESTATION_WITHDRAWN,
    }
)


@dataclass(frozen=True)
class ImpactedProduct:
    """A product whose footprint uses the label's declaration; `via` is the input that leads to it."""

    product_id: str
    declaration_id: str
    via: str
    direct: bool


@dataclass(frozen=True)
class LabelImpact:
    """The products downstream of a label's declaration and whether they must be re-evaluated."""

    serial: str
    status: LabelStatus
    declaration_id: str
    product_id: str
    products: tuple[ImpactedProduct, ...]

    @property
    def flagged(self) -> bool:
        """True when the label or its basis fell: every listed product needs re-evaluation."""
        return self.status in FALLEN

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "serial": self.serial,
            "status": self.status.text,
            "declarationId": self.declaration_id,
            "productId": self.product_id,
            "needsReevaluation": self.flagged,
            "reason": REASONS.get(self.status) if self.flagged else None,
            "products": [
                {"productId": p.product_id, "declarationId": p.declaration_id, "via": p.via, "direct": p.direct}
                for p in self.products
            ],
        }


def label_impact(session: Session, keyring: Keyring, chain: ActingChainPort, serial: str) -> LabelImpact:
    """Products downstream of label `serial`'s declaration, flagged when the label or its basis fell."""
    record = chain.label(serial_id(serial))
    if record is None:
        raise DeclarationNotFoundError(f"no label {serial!r} was issued on this ledger's chain; check the serial")
    digest = hex32(record.declaration_digest)
    row = repository.get_declaration(session=session, key=digest)
    if row is None:
        raise DeclarationNotFoundError(
            f"label {serial!r} rests on declaration {digest}, which this ledger does not hold; ask its operator"
        )
    products = load_declared_products(session, keyring, chain)
    found = downstream_of(products, product_id=row.product_id, keys={row.id, digest})
    return LabelImpact(serial, record.status, row.id, row.product_id, found)


def downstream_of(products: list[DeclaredProduct], *, product_id: str, keys: set[str]) -> tuple[ImpactedProduct, ...]:
    """Current declarations using `product_id` (or the declaration named by one of `keys`), then their consumers."""
    current = [p for p in products if p.status == "active"]
    consumers: dict[str, list[DeclaredProduct]] = {}
    found: dict[str, ImpactedProduct] = {}
    for product in current:
        for line in product.inputs:
            consumers.setdefault(line.product_id, []).append(product)
            named = {line.declaration_id, line.declaration_digest} & keys
            if (line.product_id == product_id or named) and product.product_id != product_id:
                found[product.product_id] = ImpactedProduct(
                    product.product_id, product.declaration_id, line.product_id, True
                )
    queue = deque(found)
    while queue:
        upstream = queue.popleft()
        for product in consumers.get(upstream, []):
            if product.product_id not in found and product.product_id != product_id:
                found[product.product_id] = ImpactedProduct(product.product_id, product.declaration_id, upstream, False)
                queue.append(product.product_id)
    return tuple(sorted(found.values(), key=lambda p: (not p.direct, p.product_id)))
