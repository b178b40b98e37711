"""Which goods CBAM covers (Regulation (EU) 2023/956, Annex I), which count direct emissions only (Annex II), and
which origins count as the Union. CN codes are matched on their leading digits (a heading covers its subheadings).

Annex I sectors by CN prefix (the sector names are informative; the CN codes decide):
cement 2507 00 80, 2523 10, 2523 21, 2523 29, 2523 30, 2523 90; fertilisers 2808, 2814, 2834 21, 3102, 3105;
iron and steel 2601 12, chapter 72 (except ferro-alloys 7202 2, 7202 30, 7202 50, 7202 70, 7202 80,
7202 91-93, 7202 99 and waste and scrap 7204), 7301-7311, 7318, 7326; aluminium 7601, 7603-7614, 7616; hydrogen 2804 10;
electricity 2716. Annex II (only direct emissions): iron and steel, aluminium and hydrogen. Electricity is a CBAM
good priced per MWh, not per tonne, and is out of scope here.
"""

from __future__ import annotations

from dataclasses import dataclass

SECTORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cement", ("25070080", "252310", "252321", "252329", "252330", "252390")),
    ("fertilisers", ("2808", "2814", "283421", "3102", "3105")),
    (
        "iron and steel",
        (
            "260112",
            "72",
            "7301",
            "7302",
            "7303",
            "7304",
            "7305",
            "7306",
            "7307",
            "7308",
            "7309",
            "7310",
            "7311",
            "7318",
            "7326",
        ),
    ),
    (
        "aluminium",
        (
            "7601",
            "7603",
            "7604",
            "7605",
            "7606",
            "7607",
            "7608",
            "7609",
            "7610",
            "7611",
            "7612",
            "7613",
            "7614",
            "7616",
        ),
    ),
    ("hydrogen", ("280410",)),
    ("electricity", ("2716",)),
)
NOT_IN_ANNEX_I = ("72022", "720230", "720250", "720270", "720280", "720291", "720292", "720293", "720299", "7204")
DIRECT_ONLY_SECTORS = ("iron and steel", "aluminium", "hydrogen")  # Annex II
EU_MEMBER_STATES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)  # ISO 3166-1 alpha-2; Greece is GR (EL is the EU's own abbreviation and accepted too)


@dataclass(frozen=True)
class GoodClass:
    """What CBAM says about one CN code."""

    cn_code: str
    sector: str | None  # None: not a CBAM good (not in Annex I)

    @property
    def is_cbam_good(self) -> bool:
        """Listed in Annex I."""
        return self.sector is not None

    @property
    def direct_only(self) -> bool:
        """Listed in Annex II: only direct emissions are taken into account."""
        return self.sector in DIRECT_ONLY_SECTORS


def classify(cn_code: str) -> GoodClass:
    """The Annex I sector of a CN code (digits only), or None when CBAM does not cover it."""
    if cn_code.startswith(NOT_IN_ANNEX_I):
        return GoodClass(cn_code, None)
    for sector, prefixes in SECTORS:
        if cn_code.startswith(prefixes):
            return GoodClass(cn_code, sector)
    return GoodClass(cn_code, None)


def is_union_origin(country: str) -> bool:
    """True for an EU member state (ISO 3166-1 alpha-2, or EL for Greece)."""
    return country in EU_MEMBER_STATES or country == "EL"
