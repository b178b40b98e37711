"""The Tanji data-model extension (PACT extension mechanism): what the supply-chain roll-up needs.

``{"specVersion": "2.0.0", "dataSchema": TANJI_EXTENSION_SCHEMA, "data": {...}}`` with ``data``::

    declarant        {"org": "acme-steel", "address": "0x..."}             who declares (must match the signer)
    billOfMaterials  [{"productId": urn, "quantity": "0.8", "unit": "kilogram",
                       "declarationId": uuid?, "declarationDigest": "0x.."?, "emissionFactorId": str?}]
    directEmissions  [{"source": str, "component": COMPONENT, "amount": "0.25" (kgCO2e per declared unit),
                       "activityAmount": "120"?, "activityUnit": unit?, "emissionFactorId": str?}]
    emissionFactors  [{"id": str, "version": str, "source": str, "datasetHash": "0x.."}]
    dataQuality      {"technologicalDQR": "1.5", "geographicalDQR": .., "temporalDQR": .., "primaryDataShare": "80"}
    standards        ["ISO 14067", "GB/T 24067", "GHG Protocol Product", "PACT"]
    coProducts       [{"productId": urn, "quantity": "0.2", "unit": unit, "allocationFactor": "0.1"}]
    cbam             {"cnCode": "7208 39 00", "origin": "CN", "directEmissions": "1850",
                      "indirectEmissions": "320"}   optional: EU CBAM data of the good (ledger.cbam); emissions
                                                    attributed to this good's own process, kgCO2e per declared unit
    evidence         [{"name": "energy bills 2025.pdf", "sha256": "64 lowercase hex"}]   optional: the documents
                                                    an auditor checks, pinned by SHA-256 (the files stay off ledger)

Quantities are decimal strings per declared unit of this product; units are PACT declared units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ledger.pact.decimals import decimal_problem, parse_decimal
from ledger.pact.validate import Violation, schema

TANJI_EXTENSION_SCHEMA = "https://schemas.tanji.dev/extensions/supply-chain/1.0.0/data-model.json"
COMPONENTS = (
    "fossil",
    "landUseChange",
    "landManagementFossil",
    "landManagementBiogenicCO2",
    "biogenicNonCO2",
    "biogenicUptake",
    "landManagementRemovals",
    "technologicalRemovals",
    "aircraft",
)
STANDARDS = ("ISO 14067", "GB/T 24067", "GHG Protocol Product", "PACT", "ISO 14044", "PAS 2050")
DQR_KEYS = ("technologicalDQR", "geographicalDQR", "temporalDQR")
_HEX32 = re.compile(r"0x[0-9a-fA-F]{64}")


def pact_units() -> tuple[str, ...]:
    """The PACT declared units (declaredUnitOfMeasurement enum), the unit vocabulary of the extension."""
    return tuple(schema()["$defs"]["CarbonFootprint"]["properties"]["declaredUnitOfMeasurement"]["enum"])


@dataclass(frozen=True)
class BomInput:
    """One input of the bill of materials, per declared unit of the declaring product."""

    product_id: str
    quantity: Decimal
    unit: str
    declaration_id: str | None = None
    declaration_digest: str | None = None
    emission_factor_id: str | None = None
    allocation_factor: Decimal | None = None  # co-products only: economic share of this co-product (0..1)


@dataclass(frozen=True)
class DirectEmission:
    """The declarant's own emissions from one source, per declared unit."""

    source: str
    component: str
    amount: Decimal
    activity_amount: Decimal | None = None
    activity_unit: str | None = None
    emission_factor_id: str | None = None


@dataclass(frozen=True)
class EmissionFactorRef:
    """A secondary emission factor used, pinned by dataset hash."""

    id: str
    version: str
    source: str
    dataset_hash: str


@dataclass(frozen=True)
class CbamData:
    """EU CBAM data of a good: CN code (digits only), country of origin (ISO 3166-1 alpha-2) and the direct and
    indirect (electricity) emissions attributed to its own production process, kgCO2e per declared unit."""

    cn_code: str
    origin: str
    direct: Decimal
    indirect: Decimal


@dataclass(frozen=True)
class EvidenceDocument:
    """A document backing the declaration (bills, meter readings, LCA report), pinned by its SHA-256."""

    name: str
    sha256: str


@dataclass(frozen=True)
class TanjiExtension:
    """Parsed extension data."""

    declarant_org: str
    declarant_address: str
    bill_of_materials: tuple[BomInput, ...]
    direct_emissions: tuple[DirectEmission, ...]
    emission_factors: tuple[EmissionFactorRef, ...]
    data_quality: dict[str, Decimal]
    standards: tuple[str, ...]
    co_products: tuple[BomInput, ...]
    cbam: CbamData | None = None
    evidence: tuple[EvidenceDocument, ...] = ()


class _Reader:
    """Collects every violation while reading the extension data."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.violations: list[Violation] = []

    def fail(self, path: str, message: str) -> None:
        self.violations.append(Violation(self.base + path, message))

    def text(self, obj: dict[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.fail(f"{path}/{key}", "is required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{path}/{key}", f"{value!r} must be a non-empty string")
            return None
        return value

    def decimal(self, obj: dict[str, Any], key: str, path: str, kind: str, *, required: bool = True) -> Decimal | None:
        if key not in obj:
            if required:
                self.fail(f"{path}/{key}", "is required")
            return None
        problem = decimal_problem(obj[key], kind)
        if problem:
            self.fail(f"{path}/{key}", problem)
            return None
        return parse_decimal(obj[key])

    def unit(self, obj: dict[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
        value = self.text(obj, key, path, required=required)
        if value is not None and value not in pact_units():
            self.fail(f"{path}/{key}", f"unknown unit {value!r}; use a PACT declared unit: {', '.join(pact_units())}")
            return None
        return value

    def objects(self, data: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
        items = data.get(key, [])
        if not isinstance(items, list):
            self.fail(f"/{key}", "must be a list")
            return []
        good = []
        for index, item in enumerate(items):
            if isinstance(item, dict):
                good.append((f"/{key}/{index}", item))
            else:
                self.fail(f"/{key}/{index}", f"{item!r} must be an object")
        return good
