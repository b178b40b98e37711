"""Emission factors and datasets: exact values, the unit they are per, gas basis, scope, geography, year, source.

A dataset version is identified by its *hash*: keccak-256 of the RFC 8785 canonical JSON of its normalized form
(`FactorDataset.document`): name, version, description and the factors sorted by id, every decimal written without
trailing zeros, every unit, gas basis and scope in its canonical spelling, empty fields left out. The same rows in
another order, another file format or another number formatting therefore hash the same; any changed value does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import Any

from ledger.canonical import canonical_bytes, hex32, keccak_canonical

DOCUMENT_FORMAT = "tanji-factor-dataset/1"

# unit a factor is per -> (kind of quantity, PACT declared unit, how many of the PACT unit one of this unit is)
UNITS: dict[str, tuple[str, str, Decimal]] = {
    "kWh": ("energy", "kilowatt hour", Decimal(1)),
    "MWh": ("energy", "kilowatt hour", Decimal(1000)),
    "MJ": ("energy", "megajoule", Decimal(1)),
    "GJ": ("energy", "megajoule", Decimal(1000)),
    "TJ": ("energy", "megajoule", Decimal(1000000)),
    "kg": ("mass", "kilogram", Decimal(1)),
    "t": ("mass", "kilogram", Decimal(1000)),
    "m3": ("volume", "cubic meter", Decimal(1)),
    "L": ("volume", "liter", Decimal(1)),
    "tkm": ("transport work", "ton kilometer", Decimal(1)),
}
UNIT_ALIASES = {
    "kwh": "kWh",
    "kilowatt hour": "kWh",
    "mwh": "MWh",
    "mj": "MJ",
    "megajoule": "MJ",
    "gj": "GJ",
    "tj": "TJ",
    "kilogram": "kg",
    "tonne": "t",
    "m³": "m3",
    "cubic meter": "m3",
    "l": "L",
    "liter": "L",
    "litre": "L",
    "ton kilometer": "tkm",
}

# China's regional grids as the MEE/NBS electricity CO2 factor announcements list them (区域电网)
CN_GRID_REGIONS = {
    "CN-GRID-NORTH": "华北 North China",
    "CN-GRID-NORTHEAST": "东北 Northeast China",
    "CN-GRID-EAST": "华东 East China",
    "CN-GRID-CENTRAL": "华中 Central China",
    "CN-GRID-NORTHWEST": "西北 Northwest China",
    "CN-GRID-SOUTH": "南方 Southern China",
    "CN-GRID-SOUTHWEST": "西南 Southwest China",
}
GLOBAL = "GLO"  # a global default (e.g. IPCC default values)


class GasBasis(StrEnum):
    """What a factor counts: CO2 alone, or all greenhouse gases as CO2 equivalents."""

    CO2 = "CO2"
    CO2E = "CO2e"


class Scope(StrEnum):
    """Combustion (direct, at the point of use) or life cycle (cradle to gate of the energy or material)."""

    COMBUSTION = "combustion"
    LIFE_CYCLE = "life-cycle"


DQR_KEYS = ("technologicalDQR", "geographicalDQR", "temporalDQR")


@dataclass(frozen=True)
class Source:
    """Where a value is published: document title, publisher, number and/or URL, date, and where inside it."""

    title: str
    publisher: str
    date: str
    number: str = ""
    url: str = ""
    table: str = ""
    retrieved_from: str = ""  # the copy actually read, when it is not the publisher's own

    def as_dict(self) -> dict[str, str]:
        """Normalized JSON form (empty fields left out)."""
        data = {
            "title": self.title,
            "publisher": self.publisher,
            "date": self.date,
            "number": self.number,
            "url": self.url,
            "table": self.table,
            "retrievedFrom": self.retrieved_from,
        }
        return {key: value for key, value in data.items() if value}


@dataclass(frozen=True)
class Factor:
    """One emission factor: `value` kg of `gas_basis` per one `unit`, with its scope, geography, year and source."""

    id: str
    value: Decimal
    unit: str
    gas_basis: GasBasis
    scope: Scope
    geography: str
    year: int
    source: Source
    licence: str
    dqr: dict[str, Decimal] = field(default_factory=dict)
    description: str = ""
    product_id: str = ""  # the product this factor stands in for in a roll-up (optional)
    component: str = "fossil"  # the PACT emission component it feeds in a roll-up

    @property
    def unit_label(self) -> str:
        """E.g. ``kgCO2/kWh``."""
        return f"kg{self.gas_basis.value}/{self.unit}"

    def as_dict(self) -> dict[str, Any]:
        """Normalized JSON form (decimals without trailing zeros, empty fields left out)."""
        data: dict[str, Any] = {
            "id": self.id,
            "value": decimal_text(self.value),
            "unit": self.unit,
            "gasBasis": self.gas_basis.value,
            "scope": self.scope.value,
            "geography": self.geography,
            "year": self.year,
            "source": self.source.as_dict(),
            "licence": self.licence,
            "component": self.component,
        }
        if self.dqr:
            data["dqr"] = {key: decimal_text(value) for key, value in sorted(self.dqr.items())}
        if self.description:
            data["description"] = self.description
        if self.product_id:
            data["productId"] = self.product_id
        return data


@dataclass(frozen=True)
class FactorDataset:
    """A named, versioned set of factors (unique ids)."""

    name: str
    version: str
    factors: tuple[Factor, ...]
    description: str = ""

    @property
    def ref(self) -> str:
        """``name@version``."""
        return f"{self.name}@{self.version}"

    def document(self) -> dict[str, Any]:
        """The normalized form that is hashed, stored and exported (factors sorted by id)."""
        data: dict[str, Any] = {"format": DOCUMENT_FORMAT, "name": self.name, "version": self.version}
        if self.description:
            data["description"] = self.description
        data["factors"] = [factor.as_dict() for factor in sorted(self.factors, key=lambda f: f.id)]
        return data

    def canonical(self) -> bytes:
        """RFC 8785 bytes of `document()`."""
        return canonical_bytes(self.document())

    @cached_property
    def hash(self) -> str:
        """0x-prefixed keccak-256 of the canonical document: the dataset version's identity."""
        return hex32(keccak_canonical(self.document()))

    def factor(self, factor_id: str) -> Factor | None:
        """The factor with `factor_id`, or None."""
        return next((f for f in self.factors if f.id == factor_id), None)


def decimal_text(value: Decimal) -> str:
    """Plain decimal text without exponent or trailing zeros: Decimal("0.53660") -> "0.5366", 1E+2 -> "100"."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text
