"""bw2calc on the same supply chain: an independent engine for the agreement test and the roll-up benchmark.

Tanji's Q[i, j] (j consumed per unit of i) becomes Brightway's technosphere A = I - Q^T: activity i produces one
unit of product i and consumes Q[i, j] of product j. One biosphere flow carries each activity's own emissions
(pcfExcludingBiogenicUptake), characterised with factor 1, so the LCA score of product p equals Tanji's footprint.
"""

from __future__ import annotations

import time
from typing import Any

import bw2calc
import bw_processing as bwp
import numpy as np

from ledger.rollup.components import EXCLUDING_COLUMNS
from ledger.rollup.engine import RollupInput


def datapackage(data: RollupInput) -> Any:
    """A bw_processing datapackage of the chain."""
    n = data.size
    package = bwp.create_datapackage()
    ids = np.arange(n, dtype=np.int64) + 1  # Brightway ids are positive integers
    indices = np.empty(n + data.quantity_array.size, dtype=bwp.INDICES_DTYPE)
    indices["row"] = np.concatenate([ids, ids[data.input_array]])
    indices["col"] = np.concatenate([ids, ids[data.consumer_array]])
    values = np.concatenate([np.ones(n), data.quantity_array])
    flips = np.concatenate([np.zeros(n, dtype=bool), np.ones(data.quantity_array.size, dtype=bool)])
    package.add_persistent_vector(
        matrix="technosphere_matrix", indices_array=indices, data_array=values, flip_array=flips
    )
    flow = np.int64(n + 10)
    biosphere = np.empty(n, dtype=bwp.INDICES_DTYPE)
    biosphere["row"], biosphere["col"] = flow, ids
    package.add_persistent_vector(
        matrix="biosphere_matrix",
        indices_array=biosphere,
        data_array=data.direct_matrix[:, list(EXCLUDING_COLUMNS)].sum(axis=1),
    )
    characterization = np.empty(1, dtype=bwp.INDICES_DTYPE)
    characterization["row"], characterization["col"] = flow, flow
    package.add_persistent_vector(
        matrix="characterization_matrix", indices_array=characterization, data_array=np.array([1.0])
    )
    return package


def one_product_score(data: RollupInput, product: int) -> tuple[float, float]:
    """(seconds, score) for bw2calc's LCA of one unit of `product` (matrix build, LCI and LCIA)."""
    package = datapackage(data)
    started = time.perf_counter()
    lca = bw2calc.LCA(demand={int(product) + 1: 1.0}, data_objs=[package])
    lca.lci()
    lca.lcia()
    return time.perf_counter() - started, float(lca.score)


def one_product_seconds(data: RollupInput) -> float:
    """bw2calc's time for the footprint of product 0."""
    return round(one_product_score(data, 0)[0], 3)
