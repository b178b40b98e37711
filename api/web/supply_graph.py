"""The multi-tier supply chain of one product as nodes and links for the ECharts graph on the product page.

Built from the same supply chain the roll-up solves (ledger.graph.build over the anchored declarations and the
factor set), restricted to what the product needs. Each node has a status, its colour on the page:

- ``labelled``: a declaration with a carbon label valid now;
- ``attested``: a declaration with a verified or qualified attestation not withdrawn;
- ``anchored``: a declaration anchored on chain, neither attested nor labelled;
- ``flagged``: a declaration with an anomaly flag the viewer may see (ledger.service.anomaly_flags), whatever else;
- ``secondary``: a secondary emission factor stands in for a supplier declaration;
- ``missing``: an input nothing covers (a gap of the roll-up).

The tier of a node is its distance in links from the product (the product is tier 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from sqlmodel import Session

from ledger.chain_port import ChainPort
from ledger.errors import UnknownProductError
from ledger.graph.build import build_supply_chain
from ledger.graph.model import EmissionFactor
from ledger.service.supply_chain import load_declared_products
from ledger.storage.keyring import Keyring

STATUSES = ("anchored", "attested", "labelled", "flagged", "secondary", "missing")
POSITIVE = ("verified", "qualified")


@dataclass(frozen=True)
class GraphNode:
    """One product of the supply chain."""

    id: str
    org: str
    status: str
    tier: int
    declaration_id: str | None = None


@dataclass
class SupplyGraph:
    """Nodes and links (consumer -> input, with the quantity per unit of the consumer)."""

    nodes: list[GraphNode] = field(default_factory=list)
    links: list[tuple[str, str, float]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many nodes have each status."""
        return {status: sum(1 for node in self.nodes if node.status == status) for status in STATUSES}


def declaration_status(chain: ChainPort, digest: str) -> str:
    """``labelled``, ``attested`` or ``anchored`` for an anchored declaration's digest."""
    raw = bytes.fromhex(digest[2:])
    if any(label.get("status") == "valid" for label in chain.labels(raw)):
        return "labelled"
    standing = [a for a in chain.attestations(raw) if a.get("result") in POSITIVE and not a.get("withdrawnAtBlock")]
    return "attested" if standing else "anchored"


def supply_graph(
    session: Session,
    keyring: Keyring,
    chain: ChainPort,
    product: str,
    factors: list[EmissionFactor],
    flagged: frozenset[str] = frozenset(),
) -> SupplyGraph:
    """The graph of everything `product` needs, with each node's status and tier (`flagged`: declaration ids)."""
    supply = build_supply_chain(load_declared_products(session, keyring, chain), factors)
    if product not in supply.graph:
        raise UnknownProductError(f"no current anchored declaration of product {product!r}")
    tiers: dict[str, int] = nx.single_source_shortest_path_length(supply.graph, product)
    graph = SupplyGraph()
    for node_id, tier in sorted(tiers.items(), key=lambda item: (item[1], item[0])):
        data: dict[str, Any] = supply.graph.nodes[node_id]
        if data.get("kind") == "declaration":
            flag = str(data["declaration"]) in flagged
            status = "flagged" if flag else declaration_status(chain, str(data["digest"]))
            graph.nodes.append(GraphNode(node_id, str(data["org"]), status, tier, str(data["declaration"])))
        else:
            graph.nodes.append(GraphNode(node_id, str(data.get("source", "")), "secondary", tier))
    for consumer, needed, data in supply.graph.edges(data=True):
        if consumer in tiers and needed in tiers:
            graph.links.append((consumer, needed, float(data.get("quantity", 0.0))))
    seen = set(tiers)
    for gap in supply.gaps:
        if gap.consumer in tiers:
            if gap.input_product not in seen:
                seen.add(gap.input_product)
                graph.nodes.append(GraphNode(gap.input_product, "", "missing", tiers[gap.consumer] + 1))
            graph.links.append((gap.consumer, gap.input_product, 0.0))
    return graph


def echarts_data(graph: SupplyGraph, names: dict[str, str]) -> dict[str, Any]:
    """The graph series data: categories in STATUSES order named by `names` (status -> translated text)."""
    index = {status: position for position, status in enumerate(STATUSES)}
    return {
        "categories": [{"name": names[status]} for status in STATUSES],
        "nodes": [
            {
                "id": node.id,
                "name": node.id,
                "category": index[node.status],
                "value": node.tier,
                "org": node.org,
                "symbolSize": max(14, 34 - 6 * node.tier),
                "declaration": node.declaration_id,
            }
            for node in graph.nodes
        ],
        "links": [{"source": a, "target": b, "value": quantity} for a, b, quantity in graph.links],
    }
