"""Reconstruct the supply chain from current declarations and secondary factors, as a networkx graph and as
the arrays the roll-up engine solves.

Rules: only current declarations are used (superseded and revoked ones are not); an input with no supplier
declaration falls back to a secondary emission factor for that product (flagged secondary); an input with
neither is a *gap*, reported, never silently zero; a declaration whose inputs point at a superseded or revoked
upstream declaration, and everything downstream of it, needs re-evaluation. Quantities are converted into
declared units of the upstream product (``declaredUnitAmount`` x ``declaredUnitOfMeasurement``, see
ledger.graph.units); multi-output declarations are allocated (economic when every co-product states a share,
else by mass).

A product that cannot be evaluated (two current declarations, a quantity that cannot be converted, a mass
allocation without masses) is recorded in ``failures`` with the reason instead of stopping the whole build:
only the roll-ups that need it fail (see ledger.rollup.report).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import networkx as nx
import numpy as np

from ledger.errors import SupplyChainError, UnitConversionError
from ledger.graph.model import DeclaredProduct, EmissionFactor
from ledger.graph.units import declared_units
from ledger.graph.units import factor as unit_factor
from ledger.rollup.components import COLUMNS, DEFAULT_SECONDARY_DQR, EXCLUDING_UPTAKE, INDEX
from ledger.rollup.engine import RollupInput

DQR_COLUMNS = {
    "technologicalDQR": "technologicalDQRWeighted",
    "geographicalDQR": "geographicalDQRWeighted",
    "temporalDQR": "temporalDQRWeighted",
}


@dataclass(frozen=True)
class Gap:
    """An input nothing covers."""

    consumer: str
    input_product: str
    reason: str


@dataclass(frozen=True)
class SupplyChain:
    """Nodes (declarations and factors), the graph, and the engine input."""

    nodes: list[DeclaredProduct | EmissionFactor]
    index: dict[str, int]
    graph: nx.DiGraph
    data: RollupInput
    gaps: list[Gap]
    stale: dict[str, str]  # product -> why its inputs point at superseded/revoked declarations
    allocation: dict[str, float]  # product -> share of its process allocated to it
    failures: dict[str, SupplyChainError] = field(default_factory=dict)  # product -> why it cannot be evaluated

    def supplier_of(self, position: int) -> str:
        """Organization (or factor source) of a node."""
        node = self.nodes[position]
        return node.org if isinstance(node, DeclaredProduct) else f"secondary:{node.source}"


def build_supply_chain(declarations: Iterable[DeclaredProduct], factors: Iterable[EmissionFactor] = ()) -> SupplyChain:
    """Build the chain (see the module docstring)."""
    every = list(declarations)
    current: dict[str, DeclaredProduct] = {}
    failures: dict[str, SupplyChainError] = {}
    for declaration in every:
        if declaration.status != "active":
            continue
        other = current.get(declaration.product_id)
        if other is not None:
            failures[declaration.product_id] = SupplyChainError(
                f"product {declaration.product_id!r} has two current declarations "
                f"({other.declaration_id}, {declaration.declaration_id}); supersede one of them"
            )
            continue
        current[declaration.product_id] = declaration
    outdated = {key: d for d in every if d.status != "active" for key in (d.declaration_id, d.digest)}
    factor_of = {f.product_id: f for f in factors}
    nodes: list[DeclaredProduct | EmissionFactor] = list(current.values())
    index = {node.product_id: position for position, node in enumerate(nodes)}
    rows: dict[int, list[float]] = {}
    consumers: list[int] = []
    inputs: list[int] = []
    quantities: list[float] = []
    gaps: list[Gap] = []
    stale: dict[str, str] = {}
    allocation: dict[str, float] = {}
    graph = nx.DiGraph()
    for position, declaration in enumerate(list(current.values())):
        try:
            share = _allocation_share(declaration)
        except UnitConversionError as exc:
            failures[declaration.product_id], share = exc, 1.0
        allocation[declaration.product_id] = share
        rows[position] = _own_row(declaration, share)
        graph.add_node(
            declaration.product_id,
            kind="declaration",
            org=declaration.org,
            declaration=declaration.declaration_id,
            digest=declaration.digest,
        )
        for line in declaration.inputs:
            reference = line.declaration_id or line.declaration_digest
            if reference and reference in outdated:
                stale[declaration.product_id] = (
                    f"input {line.product_id!r} references {outdated[reference].status} declaration {reference}"
                )
            upstream = current.get(line.product_id) or factor_of.get(line.product_id)
            if upstream is None:
                gaps.append(
                    Gap(
                        declaration.product_id,
                        line.product_id,
                        "no current declaration and no secondary emission factor",
                    )
                )
                continue
            if line.product_id not in index and isinstance(upstream, EmissionFactor):  # declarations are indexed
                index[line.product_id] = len(nodes)
                nodes.append(upstream)
                rows[index[line.product_id]] = _factor_row(upstream)
                graph.add_node(line.product_id, kind="factor", source=upstream.source)
            target_unit, amount, mass = _unit_of(upstream)
            try:
                quantity = declared_units(
                    float(line.quantity),
                    line.unit,
                    declared_unit=target_unit,
                    declared_amount=amount,
                    mass_per_declared_unit=mass,
                    context=f"product {declaration.product_id!r}, input {line.product_id!r}: ",
                )
            except UnitConversionError as exc:
                failures.setdefault(declaration.product_id, exc)
                continue
            consumers.append(position)
            inputs.append(index[line.product_id])
            quantities.append(quantity * share)
            graph.add_edge(declaration.product_id, line.product_id, quantity=quantity * share)
    data = RollupInput(
        [n.product_id for n in nodes],
        np.asarray(consumers, dtype=np.int64),
        np.asarray(inputs, dtype=np.int64),
        np.asarray(quantities, dtype=np.float64),
        np.asarray([rows[p] for p in range(len(nodes))], dtype=np.float64).reshape(len(nodes), len(COLUMNS)),
    )
    return SupplyChain(nodes, index, graph, data, gaps, stale, allocation, failures)


def _unit_of(node: DeclaredProduct | EmissionFactor) -> tuple[str, Decimal, Decimal | None]:
    if isinstance(node, EmissionFactor):
        return node.unit, Decimal(1), None
    return node.declared_unit, node.declared_amount, node.mass_per_unit


def _allocation_share(declaration: DeclaredProduct) -> float:
    """Share of the process's emissions that the declared product carries."""
    if not declaration.co_products:
        return 1.0
    economic = [c.allocation_factor for c in declaration.co_products]
    if all(share is not None for share in economic):
        return 1.0 - float(sum(share for share in economic if share is not None))
    main_mass = (
        float(declaration.mass_per_unit)
        if declaration.mass_per_unit
        else float(declaration.declared_amount)
        * unit_factor(declaration.declared_unit, "kilogram", context=f"product {declaration.product_id!r}: ")
    )
    co_mass = 0.0
    for co in declaration.co_products:
        try:
            co_mass += float(co.quantity) * unit_factor(co.unit, "kilogram")
        except UnitConversionError as exc:
            raise UnitConversionError(
                f"product {declaration.product_id!r}: mass allocation needs co-product "
                f"{co.product_id!r} in a mass unit, got {co.unit!r}; or give every co-product "
                "an allocationFactor (economic allocation)"
            ) from exc
    return main_mass / (main_mass + co_mass)


def _own_row(declaration: DeclaredProduct, share: float) -> list[float]:
    row = [0.0] * len(COLUMNS)
    for component, amount in declaration.direct.items():
        row[INDEX[component]] = float(amount) * share
    emissions = sum(row[INDEX[name]] for name in EXCLUDING_UPTAKE)
    row[INDEX["primaryEmissions"]] = emissions * float(declaration.primary_share) / 100.0
    row[INDEX["verifiedEmissions"]] = emissions if declaration.verified else 0.0
    for key, column in DQR_COLUMNS.items():
        row[INDEX[column]] = emissions * float(declaration.dqr.get(key, DEFAULT_SECONDARY_DQR))
    return row


def _factor_row(factor: EmissionFactor) -> list[float]:
    row = [0.0] * len(COLUMNS)
    for component, amount in factor.values.items():
        row[INDEX[component]] = float(amount)
    emissions = sum(row[INDEX[name]] for name in EXCLUDING_UPTAKE)
    for key, column in DQR_COLUMNS.items():
        row[INDEX[column]] = emissions * float(factor.dqr.get(key, DEFAULT_SECONDARY_DQR))
    return row  # secondary data: no primary emissions, nothing third-party verified
