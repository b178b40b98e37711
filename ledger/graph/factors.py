"""Secondary emission factor databases: a JSON file pinned by the keccak-256 of its canonical form.

{"name": "CLCD", "version": "0.8",
 "factors": [{"id": "ef:cement", "productId": "urn:...:cement", "unit": "kilogram",
              "values": {"fossil": "0.82"}, "dqr": {"technologicalDQR": "3"}}]}
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from ledger.canonical import hex32, keccak_canonical
from ledger.errors import SupplyChainError
from ledger.graph.model import EmissionFactor
from ledger.pact.decimals import decimal_problem
from ledger.rollup.components import COMPONENTS
from ledger.safe_json import read_json


def load_factor_database(path: Path) -> tuple[list[EmissionFactor], str]:
    """Parse a factor file; return the factors and the dataset hash every factor carries."""
    document = read_json(path)
    return parse_factor_database(document, where=str(path))


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
