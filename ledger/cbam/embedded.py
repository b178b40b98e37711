"""CBAM specific embedded emissions (SEE) of a good and its precursors, direct and indirect separately.

Regulation (EU) 2023/956 Annex IV and Implementing Regulation (EU) 2023/1773 Annex III: for a complex good g,

    SEE_g = (AttrEm_g + sum_i M_i * SEE_i) / AL_g        in tCO2e per tonne of g, once for direct, once for indirect

where AttrEm_g / AL_g is what the declaration of g states in its Tanji extension (``cbam.directEmissions`` and
``cbam.indirectEmissions``, kgCO2e per declared unit, divided by the declared unit's mass), and M_i / AL_g is the
mass of precursor i consumed per tonne of g as its bill of materials states it (gross: scrap and losses included).
This is the roll-up equation ``(I - Q) P = E`` with two columns, so it goes through the same engine, loops included.
Rules applied: only inputs that are CBAM goods (Annex I) with a CBAM declaration are precursors; a precursor of
Union origin counts as zero (it bore the EU ETS price); for a good listed in Annex II (iron and steel, aluminium,
hydrogen) only direct emissions are taken into account, so its indirect SEE is not reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from ledger.cbam.goods import classify, is_union_origin
from ledger.errors import SupplyChainError, UnknownProductError
from ledger.graph.build import SupplyChain, build_supply_chain
from ledger.graph.model import DeclaredProduct
from ledger.graph.units import factor as unit_factor
from ledger.graph.units import same_kind
from ledger.rollup.engine import RollupInput, compute_footprints
from ledger.rollup.report import refuse_failed_inputs
from ledger.rollup.structure import INT, consumers_closure

RULE_ANNEX_II = "Annex II good: only direct emissions are taken into account (Regulation (EU) 2023/956, Art. 7(1))"
RULE_UNION = "precursor of Union origin: its embedded emissions count as zero"
RULE_NOT_CBAM = "not a CBAM good with a CBAM declaration: not a relevant precursor, not counted"


@dataclass(frozen=True)
class Precursor:
    """One input line of a good: tonnes per tonne of the good, whether it counts and why."""

    product_id: str
    tonnes_per_tonne: float | None  # None when the input has no mass (not a CBAM good)
    counted: bool
    rule: str


@dataclass(frozen=True)
class GoodFigures:
    """CBAM figures of one good (tCO2e per tonne)."""

    product_id: str
    cn_code: str
    origin: str
    sector: str
    direct_only: bool
    mass_per_declared_unit_kg: float
    attributed_direct: float
    attributed_indirect: float
    see_direct: float
    see_indirect: float | None  # None for Annex II goods
    precursors: list[Precursor] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CbamExport:
    """The export for one good: its figures and those of every counted precursor, upstream first."""

    product_id: str
    unit: str
    goods: list[GoodFigures]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)

    @property
    def good(self) -> GoodFigures:
        """The exported good's own figures."""
        return next(g for g in self.goods if g.product_id == self.product_id)


def _mass_kg(node: DeclaredProduct) -> float:
    if node.mass_per_unit is not None:
        return float(node.mass_per_unit)
    if same_kind(node.declared_unit, "kilogram"):
        return float(node.declared_amount) * unit_factor(node.declared_unit, "kilogram")
    raise SupplyChainError(
        f"product {node.product_id!r} is declared per {node.declared_amount} {node.declared_unit} without "
        "productMassPerDeclaredUnit; CBAM figures are per tonne, so give the mass of the declared unit"
    )


def _is_precursor(node: object) -> bool:
    return isinstance(node, DeclaredProduct) and node.cbam is not None and classify(node.cbam.cn_code).is_cbam_good


def cbam_export(declarations: Iterable[DeclaredProduct], product_id: str) -> CbamExport:
    """Specific embedded emissions of `product_id` and its precursors (module docstring)."""
    chain = build_supply_chain(declarations)
    position = chain.index.get(product_id)
    target = chain.nodes[position] if position is not None else None
    if not isinstance(target, DeclaredProduct):
        raise UnknownProductError(f"no current declaration of product {product_id!r}; declare it first")
    if target.cbam is None:
        raise SupplyChainError(
            f"product {product_id!r} carries no CBAM data; add a cbam object (cnCode, origin, directEmissions, "
            "indirectEmissions) to its Tanji extension"
        )
    kind = classify(target.cbam.cn_code)
    if not kind.is_cbam_good or kind.sector == "electricity":
        raise SupplyChainError(
            f"product {product_id!r} has CN code {target.cbam.cn_code}, which is not a CBAM good measured in tonnes "
            "(Regulation (EU) 2023/956, Annex I; electricity is out of scope here)"
        )
    if is_union_origin(target.cbam.origin):
        raise SupplyChainError(
            f"product {product_id!r} is of Union origin ({target.cbam.origin}); CBAM applies to imported goods only"
        )
    return _solve(chain, product_id)


def _solve(chain: SupplyChain, product_id: str) -> CbamExport:
    data = chain.data
    counted = np.array([_is_precursor(n) and not is_union_origin(n.cbam.origin) for n in chain.nodes])  # type: ignore[union-attr]
    keep = counted[data.input_array] if data.input_array.size else np.zeros(0, dtype=bool)
    own = np.zeros((len(chain.nodes), 2))
    for k, node in enumerate(chain.nodes):
        if counted[k]:
            assert isinstance(node, DeclaredProduct) and node.cbam is not None
            own[k] = (float(node.cbam.direct), float(node.cbam.indirect))
    system = RollupInput(
        data.product_ids, data.consumer_array[keep], data.input_array[keep], data.quantity_array[keep], own
    )
    result = compute_footprints(system, isolate_failures=True)
    position = chain.index[product_id]
    upstream = consumers_closure(result.input_matrix, np.array([position], dtype=INT))
    refuse_failed_inputs(chain, result, product_id, upstream)
    goods = [
        _figures(chain, k, own[k], result.footprint_matrix[k])
        for k in sorted(upstream.tolist(), key=lambda k: (k != position, chain.nodes[k].product_id))
        if counted[k]
    ]
    return CbamExport(product_id, "tCO2e per tonne of good", goods)


def _figures(chain: SupplyChain, k: int, own: np.ndarray, embedded: np.ndarray) -> GoodFigures:
    node = chain.nodes[k]
    assert isinstance(node, DeclaredProduct) and node.cbam is not None
    kind, mass = classify(node.cbam.cn_code), _mass_kg(node)
    data = chain.data
    precursors = []
    for line in np.flatnonzero(data.consumer_array == k).tolist():
        upstream = chain.nodes[int(data.input_array[line])]
        if not _is_precursor(upstream):
            precursors.append(Precursor(upstream.product_id, None, False, RULE_NOT_CBAM))
            continue
        assert isinstance(upstream, DeclaredProduct) and upstream.cbam is not None
        tonnes = float(data.quantity_array[line]) * _mass_kg(upstream) / mass
        union = is_union_origin(upstream.cbam.origin)
        rule = RULE_UNION if union else "relevant precursor: M_i x SEE_i added"
        precursors.append(Precursor(upstream.product_id, tonnes, not union, rule))
    precursors += [
        Precursor(gap.input_product, None, False, "no declaration and no emission factor: not counted (a gap)")
        for gap in chain.gaps
        if gap.consumer == node.product_id
    ]
    rules = ["SEE_g = (AttrEm_g + sum_i M_i x SEE_i) / AL_g (Regulation (EU) 2023/956, Annex IV)"]
    if kind.direct_only:
        rules.append(RULE_ANNEX_II)
    return GoodFigures(
        product_id=node.product_id,
        cn_code=node.cbam.cn_code,
        origin=node.cbam.origin,
        sector=str(kind.sector),
        direct_only=kind.direct_only,
        mass_per_declared_unit_kg=mass,
        attributed_direct=float(own[0]) / mass,
        attributed_indirect=float(own[1]) / mass,
        see_direct=float(embedded[0]) / mass,
        see_indirect=None if kind.direct_only else float(embedded[1]) / mass,
        precursors=precursors,
        rules=rules,
    )


def decimal_figure(value: float | None) -> str | None:
    """A figure as a plain decimal string with 6 decimals (None stays None)."""
    return None if value is None else f"{Decimal(repr(value)).quantize(Decimal('0.000001')):f}"
