"""The roll-up's PCF totals follow the selected rule; contributions come in two named conventions."""

from __future__ import annotations

import pytest
from rollup_helpers import approx, product, roll

from ledger.errors import SupplyChainError

OWN = {
    "fossil": "1",
    "landManagementFossil": "0.3",
    "biogenicNonCO2": "0.2",
    "technologicalRemovals": "-0.4",
    "biogenicUptake": "-1",
}


@pytest.mark.parametrize(
    ("rule", "excluding"),
    [
        ("pact-v3-description", 1 + 0.3 + 0.2 - 0.4),  # 1.1: everything but uptake, removals netted
        ("pact-v3-x-comment", 1 + 0.2 - 0.4),  # 0.8: no land-management fossil
        ("pact-v3-examples", 1 + 0.3 - 0.4),  # 0.9: no biogenic non-CO2
    ],
)
def test_totals_follow_the_selected_rule(rule: str, excluding: float) -> None:
    """part: own components OWN per kg; widget: 2 kg of part.  Totals are twice the part's, including = excluding
    + 2 x (-1) uptake."""
    chain = [product("part", own=OWN), product("widget", unit="piece", own={}, inputs=[("part", "2", "kilogram")])]
    found = roll(chain, target="widget", totals=rule)
    assert found.pcf_excluding_biogenic_uptake == approx(2 * excluding)
    assert found.pcf_including_biogenic_uptake == approx(2 * excluding - 2)
    assert found.totals_rule == f"{rule}/1" and found.provenance["parameters"]["totalsRule"] == f"{rule}/1"


def test_the_default_rule_nets_removals() -> None:
    assert roll([product("part", own=OWN)], target="part").pcf_excluding_biogenic_uptake == approx(1.1)


LOOP = [
    product("power", unit="kilowatt hour", org="grid", own={"fossil": "0.6"}, inputs=[("steel", "0.1", "kilogram")]),
    product("steel", org="mill", own={"fossil": "1.0"}, inputs=[("power", "2", "kilowatt hour")]),
]


def test_direct_contributions_in_a_loop_add_up() -> None:
    """P_power = 0.875, P_steel = 2.75 (test_golden).  Supply for 1 kWh: s_power = 1 + 2 s_steel, s_steel =
    0.1 s_power  =>  s_power = 1.25, s_steel = 0.125.  Direct: power 1.25 x 0.6 = 0.75, steel 0.125 x 1 = 0.125."""
    found = roll(LOOP, target="power", convention="direct")
    assert found.contribution_convention == "direct"
    assert found.by_supplier == approx({"grid": 0.75, "mill": 0.125})
    assert sum(h["kgCO2e"] for h in found.hotspots) == approx(0.875)


def test_upstream_contributions_in_a_loop_use_the_loop_factor() -> None:
    """(I - Q) = [[1, -0.1], [-2, 1]], det 0.8, diagonal of the inverse 1.25 and 1.25.  Upstream of steel:
    s_steel P_steel / 1.25 = 0.125 x 2.75 / 1.25 = 0.275 (not 0.34375: the loop is not counted twice);
    upstream of power: 1.25 x 0.875 / 1.25 = 0.875 = the total.  By direct line: own 0.6 + 0.1 kg steel x 2.75
    = 0.6 + 0.275 = 0.875."""
    found = roll(LOOP, target="power", convention="upstream")
    hotspots = {h["productId"]: h["kgCO2e"] for h in found.hotspots}
    assert hotspots == approx({"power": 0.875, "steel": 0.275})
    assert found.by_supplier == approx({"grid": 0.6, "mill": 0.275})


def test_upstream_results_nest_while_direct_lines_add_up() -> None:
    """t: own 1, uses 1 a and 1 b; a: own 1, uses 2 b; b: own 1.  P_b = 1, P_a = 3, P_t = 5; supply s = (t 1, a 1,
    b 3).  Direct: 1 + 1 + 3 = 5.  Upstream: a 1 x 3 = 3, b 3 x 1 = 3 (b reached twice), t 5; by line of t: own 1
    + a 3 + b 1 = 5."""
    chain = [
        product("b", org="B", own={"fossil": "1"}),
        product("a", org="A", own={"fossil": "1"}, inputs=[("b", "2", "kilogram")]),
        product("t", org="T", own={"fossil": "1"}, inputs=[("a", "1", "kilogram"), ("b", "1", "kilogram")]),
    ]
    direct = roll(chain, target="t", convention="direct")
    upstream = roll(chain, target="t", convention="upstream")
    assert direct.by_supplier == approx({"T": 1.0, "A": 1.0, "B": 3.0})
    assert {h["productId"]: h["kgCO2e"] for h in upstream.hotspots} == approx({"t": 5.0, "a": 3.0, "b": 3.0})
    assert upstream.by_supplier == approx({"T": 1.0, "A": 3.0, "B": 1.0})


def test_self_use_is_corrected_by_the_loop_factor() -> None:
    """x uses 0.5 of itself, own 1: P = 1 / 0.5 = 2, s = 2, [(I - Q)^-1]_xx = 2, upstream = 2 x 2 / 2 = 2."""
    chain = [product("x", own={"fossil": "1"}, inputs=[("x", "0.5", "kilogram")])]
    assert roll(chain, target="x", convention="upstream").hotspots[0]["kgCO2e"] == approx(2.0)
    assert roll(chain, target="x", convention="direct").hotspots[0]["kgCO2e"] == approx(2.0)


def test_an_unknown_convention_is_refused_with_the_choices() -> None:
    with pytest.raises(SupplyChainError, match="unknown contribution convention 'cumulative'; use one of: direct"):
        roll(LOOP, target="power", convention="cumulative")
