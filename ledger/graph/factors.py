"""Secondary emission factor databases: a JSON file pinned by the keccak-256 of its canonical form.

{"name": "CLCD", "version": "0.8",
 "factors": [{"id": "ef:cement", "productId": "urn:...:cement", "unit": "kilogram",
              "values": {"fossil": "0.82"}, "dqr": {"technologicalDQR": "3"}}]}

A factor dataset of the emission-factor database (``"format": "tanji-factor-dataset/1"``, `ledger.factors`) is
read too, from a file or from a stored version (`emission_factors_from_dataset`): its factors that name a
``productId`` (or that `bindings` assigns to a product) stand in for those products, their value going to their
PACT component (default fossil) per the PACT unit. The roll-up counts CO2e, so a CO2-only factor is refused unless
`accept_co2_only`, and then a warning says so.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from ledger.canonical import hex32, keccak_canonical
from ledger.errors import SupplyChainError
from ledger.factors.checks import co2e_warning
from ledger.factors.importing import parse_json
from ledger.factors.model import DOCUMENT_FORMAT, UNITS, Factor, FactorDataset
from ledger.graph.model import EmissionFactor
from ledger.pact.decimals import decimal_problem
from ledger.rollup.components import COMPONENTS
from ledger.safe_json import read_json


def load_factor_database(path: Path, *, accept_co2_only: bool = False) -> tuple[list[EmissionFactor], str]:
    """Parse a factor file; return the factors and the dataset hash every factor carries."""
    text = path.read_bytes()
    document = read_json(path)
    if isinstance(document, dict) and document.get("format") == DOCUMENT_FORMAT:
        dataset = parse_json(text.decode("utf-8-sig"), file=str(path))
        return emission_factors_from_dataset(dataset, accept_co2_only=accept_co2_only)[0], dataset.hash
    return parse_factor_database(document, where=str(path))


def emission_factors_from_dataset(
    dataset: FactorDataset, *, bindings: dict[str, str] | None = None, accept_co2_only: bool = False
) -> tuple[list[EmissionFactor], list[str]]:
    """The roll-up factors of a dataset version (its factors with a productId, plus `bindings` product -> factor
    id, overriding) and the warnings to show; GasBasisError for a CO2-only factor unless `accept_co2_only`."""
    chosen: dict[str, Factor] = {}
    for factor in (f for f in dataset.factors if f.product_id and f.product_id not in (bindings or {})):
        if factor.product_id in chosen:
            raise SupplyChainError(
                f"dataset {dataset.ref}: factors {chosen[factor.product_id].id!r} and {factor.id!r} both stand in for "
                f"{factor.product_id!r}; bind the product to one of them"
            )
        chosen[factor.product_id] = factor
    for product_id, factor_id in (bindings or {}).items():  # a binding overrides the factor naming the product
        bound = dataset.factor(factor_id)
        if bound is None:
            raise SupplyChainError(f"dataset {dataset.ref} has no factor {factor_id!r} to stand in for {product_id!r}")
        chosen[product_id] = bound
    if not chosen:
        raise SupplyChainError(
            f"no factor of dataset {dataset.ref} names a productId; give the products it stands in for "
            "(productId in the dataset, or a product=factor binding)"
        )
    factors, warnings = [], []
    for product_id, factor in chosen.items():
        warning = co2e_warning(factor, accept_co2_only=accept_co2_only, where=f"dataset {dataset.ref}")
        if warning:
            warnings.append(warning)
        _kind, pact_unit, size = UNITS[factor.unit]
        factors.append(
            EmissionFactor(
                id=factor.id,
                version=dataset.version,
                source=dataset.name,
                product_id=product_id,
                unit=pact_unit,
                values={factor.component: factor.value / size},
                dqr=dict(factor.dqr),
                dataset_hash=dataset.hash,
            )
        )
    return factors, warnings


def parse_factor_database(
    document: dict[str, Any], *, where: str = "factor database"
) -> tuple[list[EmissionFactor], str]:
    """Parse an already loaded factor document."""
    if not isinstance(document, dict) or not isinstance(document.get("factors"), list):
        raise SupplyChainError(f'{where}: expected an object with a "factors" list (see ledger/graph/factors.py)')
    dataset_hash = hex32(keccak_canonical(document))
    factors = []
    for position, item in enumerate(document["factors"]):
        missing = [
            key for key in ("id", "productId", "unit", "values") if not isinstance(item, dict) or key not in item
        ]
        if missing:
            raise SupplyChainError(
                f"{where}: factor {position} lacks {', '.join(missing)}; each factor needs id, "
                "productId, unit and values"
            )
        values = {}
        for component, amount in item.get("values", {}).items():
            if component not in COMPONENTS:
                raise SupplyChainError(
                    f"{where}: factor {position} has unknown component {component!r}; "
                    f"use one of {', '.join(COMPONENTS)}"
                )
            if problem := decimal_problem(amount, "Decimal"):
                raise SupplyChainError(f"{where}: factor {position} value {component}: {problem}")
            values[component] = Decimal(amount)
        factors.append(
            EmissionFactor(
                id=str(item["id"]),
                version=str(document.get("version", "")),
                source=str(document.get("name", "")),
                product_id=str(item["productId"]),
                unit=str(item["unit"]),
                values=values,
                dqr={k: Decimal(v) for k, v in item.get("dqr", {}).items()},
                dataset_hash=dataset_hash,
            )
        )
    return factors, dataset_hash
