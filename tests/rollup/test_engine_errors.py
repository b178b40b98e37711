"""Bad engine input is refused with the product and the offending value named; nothing partial is returned."""

from __future__ import annotations

import numpy as np
import pytest

from ledger.errors import InvalidQuantityError, SelfConsumptionError, UnknownProductError
from ledger.rollup.components import COLUMNS
from ledger.rollup.engine import RollupInput, compute_footprints


def chain(rows: list[int], cols: list[int], quantities: list[object], n: int = 3) -> RollupInput:
    return RollupInput(
        [f"p{i}" for i in range(n)],
        np.array(rows, dtype=np.int64),
        np.array(cols, dtype=np.int64),
        np.array(quantities, dtype=object),
        np.ones((n, len(COLUMNS))),
    )


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (chain([0], [1], [-0.5]), InvalidQuantityError, "'p0' declares quantity -0.5 of input 'p1'"),
        (chain([0], [1], [float("nan")]), InvalidQuantityError, "quantity nan"),
        (chain([0], [1], ["two"]), InvalidQuantityError, "must be numbers"),
        (chain([0, 0], [1, 1], [1.0, 2.0]), InvalidQuantityError, "'p0' lists input 'p1' more than once"),
        (chain([0], [7], [1.0]), UnknownProductError, "input product index 7"),
        (chain([2], [2], [1.5]), SelfConsumptionError, "'p2' consumes 1.5 units of itself"),
    ],
)
def test_bad_input_names_product_and_value(data: RollupInput, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        compute_footprints(data)


def test_a_converging_loop_with_self_use_below_one_unit_is_solved() -> None:
    """p0 uses 0.5 of itself: P = 1 / (1 - 0.5) = 2 per column."""
    result = compute_footprints(chain([0], [0], [0.5], n=1))
    assert result.footprint_matrix[0, 0] == pytest.approx(2.0)
