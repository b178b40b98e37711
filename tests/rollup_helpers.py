"""Small constructors for hand-computed supply chains."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ledger.declarations.extension import BomInput
from ledger.graph.build import build_supply_chain
from ledger.graph.model import DeclaredProduct, EmissionFactor
from ledger.rollup.engine import compute_footprints
from ledger.rollup.report import ProductReport, report


def product(
    pid: str,
    *,
    unit: str = "kilogram",
    amount: str = "1",
    mass: str | None = None,
    org: str = "acme",
    own: dict[str, str] | None = None,
    inputs: list[tuple[str, str, str]] = (),
    primary: str = "100",
    dqr: tuple[str, str, str] = ("1", "1", "1"),
    co: list[tuple[str, str, str, str | None]] = (),
    status: str = "active",
    refs: dict[str, str] | None = None,
    verified: bool = False,
) -> DeclaredProduct:
    refs = refs or {}
    return DeclaredProduct(
        product_id=pid,
        declaration_id=f"decl-{pid}-{status}",
        digest="0x" + (pid.encode().hex() + "00" * 32)[:64],
        org=org,
        declared_unit=unit,
        declared_amount=Decimal(amount),
        mass_per_unit=Decimal(mass) if mass else None,
        direct={k: Decimal(v) for k, v in (own or {}).items()},
        dqr=dict(zip(("technologicalDQR", "geographicalDQR", "temporalDQR"), map(Decimal, dqr), strict=True)),
        primary_share=Decimal(primary),
        inputs=tuple(
            BomInput(product_id=i, quantity=Decimal(q), unit=u, declaration_id=refs.get(i)) for i, q, u in inputs
        ),
        co_products=tuple(
            BomInput(product_id=i, quantity=Decimal(q), unit=u, allocation_factor=Decimal(a) if a else None)
            for i, q, u, a in co
        ),
        status=status,
        verified=verified,
    )


def factor(pid: str, fossil: str, *, unit: str = "kilogram", source: str = "CLCD") -> EmissionFactor:
    return EmissionFactor(
        id=f"ef:{pid}",
        version="2024",
        source=source,
        product_id=pid,
        unit=unit,
        values={"fossil": Decimal(fossil)},
        dqr={"technologicalDQR": Decimal("3")},
        dataset_hash="0x" + "ab" * 32,
    )


def roll(
    declarations: list[DeclaredProduct],
    factors: list[EmissionFactor] = (),
    *,
    target: str,
    totals: str | None = None,
    convention: str | None = None,
) -> ProductReport:
    chain = build_supply_chain(declarations, factors)
    result = compute_footprints(chain.data, isolate_failures=True)
    return report(chain, result, target, parameters={"test": True}, totals=totals, convention=convention)


def approx(value: Any) -> Any:
    import pytest

    return pytest.approx(value, rel=1e-12, abs=1e-12)
