"""Synthetic supply chains for benchmarks and property tests (seeded, numpy only).

Products sit in tiers (tier 0: finished goods ... last tier: raw materials); each product consumes 10-20 inputs
from the next one to three tiers. The cyclic variant adds a large strongly connected core among the base
materials (energy, chemicals, metals feeding each other), as real LCA databases have.
"""

from __future__ import annotations

import numpy as np

from ledger.rollup.components import COLUMNS, EXCLUDING_COLUMNS, INDEX
from ledger.rollup.engine import RollupInput


def generate(
    products: int, *, cyclic: bool = False, seed: int = 7, tiers: int = 12, core_share: float = 0.05
) -> RollupInput:
    """A random supply chain of `products` products."""
    rng = np.random.default_rng(seed)
    tier_of = np.sort(rng.integers(0, tiers, products))  # product index grows with tier
    tier_start = np.searchsorted(tier_of, np.arange(tiers + 1))
    degree = np.where(tier_of < tiers - 1, rng.integers(10, 21, products), 0)
    consumers = np.repeat(np.arange(products), degree)
    low = tier_start[np.minimum(tier_of + 1, tiers)][consumers]
    high = tier_start[np.minimum(tier_of + 4, tiers)][consumers]
    inputs = low + (rng.random(consumers.size) * np.maximum(high - low, 1)).astype(np.int64)
    inputs = np.minimum(inputs, products - 1)
    keep = inputs != consumers
    consumers, inputs = consumers[keep], inputs[keep]
    pairs = np.unique(consumers * products + inputs)  # one line per (consumer, input)
    consumers, inputs = pairs // products, pairs % products
    quantities = rng.uniform(0.005, 0.08, consumers.size)
    if cyclic:
        core = np.arange(tier_start[tiers - 3], products)[: max(2, int(products * core_share))]
        loop_consumers = np.repeat(core, 4)
        loop_inputs = rng.choice(core, loop_consumers.size)
        keep = loop_inputs != loop_consumers
        pairs = np.unique(
            np.concatenate([consumers * products + inputs, loop_consumers[keep] * products + loop_inputs[keep]])
        )
        consumers, inputs = pairs // products, pairs % products
        quantities = rng.uniform(0.005, 0.05, consumers.size)
    direct = np.zeros((products, len(COLUMNS)))
    direct[:, INDEX["fossil"]] = rng.uniform(0.1, 2.0, products)
    direct[:, INDEX["landUseChange"]] = rng.uniform(0.0, 0.1, products)
    direct[:, INDEX["biogenicNonCO2"]] = rng.uniform(0.0, 0.05, products)
    direct[:, INDEX["biogenicUptake"]] = -rng.uniform(0.0, 0.3, products)
    own_total = direct[:, list(EXCLUDING_COLUMNS)].sum(axis=1)
    primary = rng.random(products) < 0.6
    direct[:, INDEX["primaryEmissions"]] = np.where(primary, own_total, 0.0)
    for name in ("technologicalDQRWeighted", "geographicalDQRWeighted", "temporalDQRWeighted"):
        direct[:, INDEX[name]] = rng.uniform(1.0, 4.0, products) * own_total
    direct[:, INDEX["verifiedEmissions"]] = np.where(rng.random(products) < 0.3, own_total, 0.0)
    ids = [f"urn:tanji:synthetic:{i}" for i in range(products)]
    return RollupInput(ids, consumers.astype(np.int64), inputs.astype(np.int64), quantities, direct)
