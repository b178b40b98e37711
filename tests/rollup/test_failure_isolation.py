"""A product that cannot be evaluated fails only the roll-ups that need it, with the reason; the rest of the
ledger still rolls up."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from rollup_helpers import approx, product, roll

from ledger.errors import DivergentLoopError, SelfConsumptionError, SupplyChainError, UnitConversionError
from ledger.rollup.components import COLUMNS
from ledger.rollup.engine import RollupInput, compute_footprints

GLASS = product("glass", own={"fossil": "0.7"})


def test_two_current_declarations_fail_only_their_consumers() -> None:
    first, second = product("ore", own={"fossil": "0.1"}), product("ore", own={"fossil": "0.2"})
    second = replace(second, declaration_id="decl-ore-second")
    steel = product("steel", own={"fossil": "0.5"}, inputs=[("ore", "1", "kilogram")])
    chain = [first, second, steel, GLASS]
    assert roll(chain, target="glass").components["fossil"] == approx(0.7)
    with pytest.raises(SupplyChainError, match=r"cannot roll up 'steel': it needs 'ore'.*two current declarations"):
        roll(chain, target="steel")


def test_a_missing_unit_conversion_fails_the_consumer_and_its_consumers_only() -> None:
    """tank declares 3 liter of power (kWh): no conversion.  power itself (0.5) and glass (0.7) still roll up."""
    power = product("power", unit="kilowatt hour", own={"fossil": "0.5"})
    tank = product("tank", own={"fossil": "1"}, inputs=[("power", "3", "liter")])
    truck = product("truck", unit="piece", own={"fossil": "9"}, inputs=[("tank", "2", "kilogram")])
    chain = [power, tank, truck, GLASS]
    assert roll(chain, target="power").components["fossil"] == approx(0.5)
    assert roll(chain, target="glass").components["fossil"] == approx(0.7)
    with pytest.raises(UnitConversionError, match=r"cannot roll up 'truck': it needs 'tank'.*'liter' to 'kilowatt"):
        roll(chain, target="truck")


def test_a_divergent_loop_fails_only_what_draws_from_it() -> None:
    """a uses 1.2 b, b uses 1 a (re-consumes 1.2 units per unit); d uses a; glass and c (uses glass) are fine:
    c = 2 + 3 x 0.7 = 4.1."""
    chain = [
        product("a", own={"fossil": "1"}, inputs=[("b", "1.2", "kilogram")]),
        product("b", own={"fossil": "1"}, inputs=[("a", "1", "kilogram")]),
        product("d", own={"fossil": "1"}, inputs=[("a", "1", "kilogram")]),
        GLASS,
        product("c", own={"fossil": "2"}, inputs=[("glass", "3", "kilogram")]),
    ]
    assert roll(chain, target="c").components["fossil"] == approx(4.1)
    with pytest.raises((SelfConsumptionError, DivergentLoopError), match=r"cannot roll up 'd': it needs 'a'"):
        roll(chain, target="d")


def test_the_engine_records_failures_when_asked_and_raises_by_default() -> None:
    """p0 consumes 1.5 of itself; p1 uses p0; p2 stands alone (own 1 per column)."""
    data = RollupInput(
        ["p0", "p1", "p2"],
        np.array([0, 1]),
        np.array([0, 0]),
        np.array([1.5, 1.0]),
        np.ones((3, len(COLUMNS))),
    )
    with pytest.raises(SelfConsumptionError, match=r"'p0' consumes 1\.5 units of itself"):
        compute_footprints(data)
    result = compute_footprints(data, isolate_failures=True)
    assert list(result.failures) == [0]
    assert np.isnan(result.footprint_matrix[:2]).all() and result.footprint_matrix[2, 0] == 1.0
    assert result.residual == 0.0
