"""What the graph needs of a declaration and of a secondary emission factor."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ledger.declarations.extension import BomInput, CbamData
from ledger.declarations.extension_parse import parse_extension
from ledger.rollup.components import PACT_FIELDS

COMPONENT_FIELDS = PACT_FIELDS  # Tanji extension component -> PACT field name for the output


@dataclass(frozen=True)
class DeclaredProduct:
    """One declaration as a node: own emissions per declared unit, inputs, quality, identity."""

    product_id: str
    declaration_id: str
    digest: str
    org: str
    declared_unit: str
    declared_amount: Decimal
    mass_per_unit: Decimal | None
    direct: dict[str, Decimal]
    dqr: dict[str, Decimal]
    primary_share: Decimal  # 0..100 of the own emissions that come from primary data
    inputs: tuple[BomInput, ...]
    co_products: tuple[BomInput, ...] = ()
    secondary_sources: tuple[tuple[str, str], ...] = ()  # (name, version) declared in pcf
    characterization: tuple[str, ...] = ()  # ipccCharacterizationFactors
    status: str = "active"  # active | superseded | revoked
    cbam: CbamData | None = None  # EU CBAM data of the good, when declared (ledger.cbam)
    verified: bool = False  # a standing positive attestation (verified or qualified, not withdrawn) covers it

    @classmethod
    def from_payload(
        cls, payload: dict[str, Any], *, digest: str, status: str = "active", verified: bool = False
    ) -> DeclaredProduct:
        """Build from a validated ProductFootprint with its Tanji extension (`verified`: the chain holds a standing
        positive attestation of it, see ledger.service.supply_chain)."""
        extension = parse_extension(payload)
        pcf = payload["pcf"]
        direct: dict[str, Decimal] = {}
        for emission in extension.direct_emissions:
            direct[emission.component] = direct.get(emission.component, Decimal(0)) + emission.amount
        quality = extension.data_quality
        dqr: dict[str, Decimal] = {
            key: quality[key] for key in ("technologicalDQR", "geographicalDQR", "temporalDQR") if key in quality
        }
        mass = pcf.get("productMassPerDeclaredUnit")
        return cls(
            product_id=str(payload["productIds"][0]),
            declaration_id=str(payload["id"]),
            digest=digest,
            org=extension.declarant_org,
            declared_unit=str(pcf["declaredUnitOfMeasurement"]),
            declared_amount=Decimal(pcf["declaredUnitAmount"]),
            mass_per_unit=Decimal(mass) if mass is not None and Decimal(mass) > 0 else None,
            direct=direct,
            dqr=dqr,
            primary_share=quality.get("primaryDataShare", Decimal(0)),
            inputs=extension.bill_of_materials,
            co_products=extension.co_products,
            secondary_sources=tuple(
                (str(s["name"]), str(s["version"])) for s in pcf.get("secondaryEmissionFactorSources", [])
            ),
            characterization=tuple(pcf.get("ipccCharacterizationFactors", [])),
            status=status,
            cbam=extension.cbam,
            verified=verified,
        )


@dataclass(frozen=True)
class EmissionFactor:
    """A secondary emission factor for a product no supplier has declared (per one `unit`)."""

    id: str
    version: str
    source: str
    product_id: str
    unit: str
    values: dict[str, Decimal]
    dqr: dict[str, Decimal]
    dataset_hash: str
