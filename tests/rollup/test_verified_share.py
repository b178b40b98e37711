"""The verified share: the part of a footprint's gross emissions that a standing positive attestation covers, rolled
up through the tiers like the primary-data share (hand-computed chains)."""

from __future__ import annotations

import pytest
from rollup_helpers import factor, product, roll


def three_tiers(*, verified: str | None) -> list:
    """part (tier 0) uses 2 kg coil; coil (tier 1) uses 0.5 kg ore; ore (tier 2). Own fossil 3, 1, 2 per kg."""
    return [
        product(
            "urn:t:part", own={"fossil": "3"}, inputs=[("urn:t:coil", "2", "kilogram")], verified=verified == "part"
        ),
        product(
            "urn:t:coil", own={"fossil": "1"}, inputs=[("urn:t:ore", "0.5", "kilogram")], verified=verified == "coil"
        ),
        product("urn:t:ore", own={"fossil": "2"}, verified=verified == "ore"),
    ]


@pytest.mark.parametrize(
    ("attested", "share"),
    [
        # part = 3 + 2 x (1 + 0.5 x 2) = 7 kgCO2e
        (None, 0.0),
        ("coil", 100 * (2 * 1) / 7),  # coil's own 1 kg, twice
        ("ore", 100 * (2 * 0.5 * 2) / 7),  # ore's own 2 kg, 2 x 0.5 times
        ("part", 100 * 3 / 7),  # the product's own emissions only: its inputs are not covered
    ],
)
def test_the_verified_share_of_a_three_tier_chain_with_one_attested_declaration(
    attested: str | None, share: float
) -> None:
    found = roll(three_tiers(verified=attested), target="urn:t:part")
    assert found.pcf_excluding_biogenic_uptake == pytest.approx(7.0)
    assert found.verified_share == pytest.approx(share)


def test_secondary_factors_are_never_verified_and_weigh_in_the_share() -> None:
    chain = [
        product("urn:t:coil", own={"fossil": "1"}, inputs=[("urn:t:zinc", "1", "kilogram")], verified=True),
    ]
    found = roll(chain, [factor("urn:t:zinc", "3")], target="urn:t:coil")
    assert found.verified_share == pytest.approx(25.0)  # 1 of 1 + 3
    assert found.primary_data_share == pytest.approx(25.0)
