"""Property tests: on random supply chains the engine agrees with a naive recursive traversal, is linear,
ignores zero-emission inputs, and incremental updates equal full recomputation."""

from __future__ import annotations

from functools import cache

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ledger.rollup.components import COLUMNS
from ledger.rollup.engine import RollupInput, compute_footprints
from ledger.rollup.incremental import Change, apply_changes

K = len(COLUMNS)


@st.composite
def dags(draw: st.DrawFn, max_products: int = 12) -> RollupInput:
    """Random DAGs: product i may consume products j > i (so no loops), shuffled so order proves nothing."""
    n = draw(st.integers(min_value=0, max_value=max_products))
    edges = (
        draw(
            st.lists(
                st.tuples(
                    st.integers(0, max(n - 1, 0)), st.integers(0, max(n - 1, 0)), st.floats(0.0, 3.0, allow_nan=False)
                ),
                max_size=3 * n,
            )
        )
        if n
        else []
    )
    pairs = {(min(a, b), max(a, b)): q for a, b, q in edges if a != b}
    direct = np.array(
        draw(st.lists(st.lists(st.floats(-2.0, 5.0, allow_nan=False), min_size=K, max_size=K), min_size=n, max_size=n)),
        dtype=float,
    ).reshape(n, K)
    shuffle = np.array(draw(st.permutations(range(n)))) if n else np.array([], dtype=int)
    rows = np.array([shuffle[a] for a, _ in pairs], dtype=np.int64)
    cols = np.array([shuffle[b] for _, b in pairs], dtype=np.int64)
    permuted = np.zeros_like(direct)
    permuted[shuffle] = direct
    return RollupInput([f"p{i}" for i in range(n)], rows, cols, np.array(list(pairs.values()), dtype=float), permuted)


def naive(data: RollupInput) -> np.ndarray:
    """P_i = E_i + sum_j Q_ij P_j by memoised recursion over the inputs."""
    inputs: dict[int, list[tuple[int, float]]] = {i: [] for i in range(data.size)}
    for i, j, q in zip(data.consumer_array, data.input_array, data.quantity_array, strict=True):
        inputs[int(i)].append((int(j), float(q)))

    @cache
    def footprint(i: int) -> tuple[float, ...]:
        total = data.direct_matrix[i].copy()
        for j, q in inputs[i]:
            total += q * np.array(footprint(j))
        return tuple(total)

    return np.array([footprint(i) for i in range(data.size)]).reshape(data.size, K)


EMPTY = RollupInput([], np.array([], np.int64), np.array([], np.int64), np.array([]), np.zeros((0, K)))
SINGLE = RollupInput(["p0"], np.array([], np.int64), np.array([], np.int64), np.array([]), np.ones((1, K)))


@settings(max_examples=60, deadline=None)
@given(dags())
@example(EMPTY)
@example(SINGLE)
def test_engine_equals_naive_traversal(data: RollupInput) -> None:
    result = compute_footprints(data)
    np.testing.assert_allclose(result.footprint_matrix, naive(data), rtol=1e-9, atol=1e-9)
    assert result.residual < 1e-12


@settings(max_examples=40, deadline=None)
@given(dags(), st.floats(0.1, 10.0))
def test_scaling_the_emissions_scales_every_footprint(data: RollupInput, factor: float) -> None:
    scaled = RollupInput(
        data.product_ids, data.consumer_array, data.input_array, data.quantity_array, data.direct_matrix * factor
    )
    np.testing.assert_allclose(
        compute_footprints(scaled).footprint_matrix,
        factor * compute_footprints(data).footprint_matrix,
        rtol=1e-9,
        atol=1e-9,
    )


@settings(max_examples=40, deadline=None)
@given(dags(), st.data())
def test_adding_a_zero_emission_input_changes_nothing(data: RollupInput, draw: st.DataObject) -> None:
    if data.size == 0:
        return
    consumer = draw.draw(st.integers(0, data.size - 1))
    extended = RollupInput(
        [*data.product_ids, "zero"],
        np.append(data.consumer_array, consumer),
        np.append(data.input_array, data.size),
        np.append(data.quantity_array, 2.5),
        np.vstack([data.direct_matrix, np.zeros((1, K))]),
    )
    np.testing.assert_allclose(
        compute_footprints(extended).footprint_matrix[:-1],
        compute_footprints(data).footprint_matrix,
        rtol=1e-12,
        atol=1e-12,
    )


@settings(max_examples=40, deadline=None)
@given(dags(), st.data())
def test_incremental_update_equals_full_recomputation(data: RollupInput, draw: st.DataObject) -> None:
    if data.size == 0:
        return
    index = draw.draw(st.integers(0, data.size - 1))
    new_row = np.array(draw.draw(st.lists(st.floats(-2.0, 5.0, allow_nan=False), min_size=K, max_size=K)))
    updated = apply_changes(compute_footprints(data), data.direct_matrix, [Change(index, new_row)])
    direct = data.direct_matrix.copy()
    direct[index] = new_row
    full = compute_footprints(
        RollupInput(data.product_ids, data.consumer_array, data.input_array, data.quantity_array, direct)
    )
    np.testing.assert_allclose(updated.result.footprint_matrix, full.footprint_matrix, rtol=1e-9, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(dags(), st.data())
def test_incremental_update_of_input_quantities_equals_full_recomputation(
    data: RollupInput, draw: st.DataObject
) -> None:
    if data.size == 0:
        return
    index = draw.draw(st.integers(0, data.size - 1))
    mask = data.consumer_array == index
    scale = draw.draw(st.floats(0.0, 3.0))
    new_inputs = {
        int(j): float(q) * scale for j, q in zip(data.input_array[mask], data.quantity_array[mask], strict=True)
    }
    updated = apply_changes(
        compute_footprints(data), data.direct_matrix, [Change(index, data.direct_matrix[index], new_inputs)]
    )
    quantities = data.quantity_array.copy()
    quantities[mask] *= scale
    full = compute_footprints(
        RollupInput(data.product_ids, data.consumer_array, data.input_array, quantities, data.direct_matrix)
    )
    np.testing.assert_allclose(updated.result.footprint_matrix, full.footprint_matrix, rtol=1e-9, atol=1e-9)
