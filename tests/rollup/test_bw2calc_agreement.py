"""Brightway's bw2calc (in the `dev` extra, so `make test` runs this) computes the same footprints on one graph."""

from __future__ import annotations

import warnings

import pytest

from ledger.rollup.components import EXCLUDING_COLUMNS
from ledger.rollup.engine import compute_footprints
from ledger.rollup.synthetic import generate


@pytest.mark.parametrize("cyclic", [False, True])
def test_bw2calc_scores_equal_tanji_footprints(cyclic: bool) -> None:
    data = generate(300, cyclic=cyclic, seed=3)
    ours = compute_footprints(data).footprint_matrix[:, list(EXCLUDING_COLUMNS)].sum(axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bw2calc warns on import and use that pypardiso is not installed
        from ledger.rollup.bw2calc_bridge import one_product_score

        for product in (0, 150, 299):
            _, score = one_product_score(data, product)
            assert score == pytest.approx(float(ours[product]), rel=1e-9)
