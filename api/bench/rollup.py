"""`tanji bench rollup`: all-products roll-up on synthetic supply chains, measured side by side in one run.

Each size runs in a fresh process so its peak RSS is its own. Reported: the engine's time for all products
(matrix build included, generation excluded), the floor (one sparse matrix-vector product over the same graph),
an incremental update after one upstream change touching at most 1 % of the products, and, when bw2calc is
installed (optional benchmark extra), bw2calc's time for the footprint of one product on the same graph.
"""

from __future__ import annotations

import multiprocessing
import resource
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from ledger.rollup.components import EXCLUDING_COLUMNS


def measure(products: int, cyclic: bool, seed: int = 7) -> dict[str, Any]:
    """Measure one graph (runs in the current process)."""
    from ledger.rollup.engine import compute_footprints
    from ledger.rollup.incremental import Change, apply_changes
    from ledger.rollup.structure import consumers_closure
    from ledger.rollup.synthetic import generate

    data = generate(products, cyclic=cyclic, seed=seed)
    started = time.perf_counter()
    result = compute_footprints(data)
    all_products_s = time.perf_counter() - started
    vector = np.ones(products)
    started = time.perf_counter()
    result.input_matrix @ vector
    spmv_s = time.perf_counter() - started
    started = time.perf_counter()
    result.input_matrix @ result.footprint_matrix
    spmm_s = time.perf_counter() - started
    index, _ = _one_percent_product(result, consumers_closure, products, seed)
    change = Change(index, data.direct_matrix[index] * 0.8)
    started = time.perf_counter()
    updated = apply_changes(result, data.direct_matrix, [change])
    incremental_ms = (time.perf_counter() - started) * 1000
    totals = result.footprint_matrix[:, list(EXCLUDING_COLUMNS)].sum(axis=1)
    return {
        "products": products,
        "edges": int(data.quantity_array.size),
        "cyclic": cyclic,
        "largest_loop": int(np.bincount(result.structure.labels).max()) if products else 0,
        "method": result.method,
        "levels": int(result.structure.level_bounds.size - 1),
        "all_products_s": round(all_products_s, 3),
        "spmv_s": round(spmv_s, 4),
        "spmm_all_columns_s": round(spmm_s, 4),
        "ratio_to_spmv": round(all_products_s / spmv_s, 1),
        "incremental_ms": round(incremental_ms, 2),
        "incremental_affected": int(updated.affected.size),
        "incremental_affected_share": round(updated.affected.size / products, 4),
        "residual": result.residual,
        "mean_pcf_excluding_uptake": round(float(totals.mean()), 6),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _one_percent_product(result: Any, closure: Any, products: int, seed: int) -> tuple[int, int]:
    """A product whose change reaches the most products without exceeding 1 % of them."""
    rng = np.random.default_rng(seed)
    best, best_size = 0, 0
    for candidate in rng.integers(0, products, 200):
        size = int(closure(result.consumers, np.array([candidate])).size)
        if best_size < size <= max(1, products // 100):
            best, best_size = int(candidate), size
    return best, best_size


def _child(products: int, cyclic: bool, queue: Any) -> None:
    queue.put(measure(products, cyclic))


def _bw2calc_child(products: int, cyclic: bool, queue: Any) -> None:
    import warnings

    from ledger.rollup.bw2calc_bridge import one_product_score
    from ledger.rollup.engine import compute_footprints
    from ledger.rollup.synthetic import generate

    warnings.simplefilter("ignore")  # bw2calc warns that pypardiso is missing
    data = generate(products, cyclic=cyclic)
    seconds, score = one_product_score(data, 0)
    ours = float(compute_footprints(data).footprint_matrix[0, list(EXCLUDING_COLUMNS)].sum())
    queue.put({"seconds": seconds, "score": score, "tanji": ours})


def bw2calc_one_product(products: int, cyclic: bool, timeout: float) -> dict[str, Any]:
    """bw2calc's time for product 0 on the same graph, in its own process; a lower bound when it times out."""
    try:
        import bw2calc  # noqa: F401
    except ImportError:
        return {"bw2calc_one_product_s": None, "bw2calc": "not installed (pip install -e '.[bench]')"}
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_bw2calc_child, args=(products, cyclic, queue))
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.kill()
        process.join()
        return {
            "bw2calc_one_product_s": timeout,
            "bw2calc_timed_out": True,
            "bw2calc": f"did not finish within {timeout:.0f} s: the figure is a lower bound",
        }
    found = queue.get()
    return {
        "bw2calc_one_product_s": round(found["seconds"], 3),
        "bw2calc_timed_out": False,
        "bw2calc_score_matches": abs(found["score"] - found["tanji"]) <= 1e-9 * max(1.0, abs(found["tanji"])),
    }


def run(
    sizes: list[int],
    *,
    cyclic: bool,
    bw2calc_products: int | None = 200_000,
    bw2calc_timeout: float = 900.0,
    on_step: Callable[[int], None] = lambda _n: None,
) -> dict[str, Any]:
    """Measure every size in its own process; return the JSON object (the largest size's keys at top level).

    `on_step(1)` is called after each size and after the bw2calc comparison (len(sizes) + 1 steps).
    """
    context = multiprocessing.get_context("spawn")
    runs = []
    for size in sizes:
        queue = context.Queue()
        process = context.Process(target=_child, args=(size, cyclic, queue))
        process.start()
        runs.append(queue.get())
        process.join()
        on_step(1)
    largest = runs[-1]
    result: dict[str, Any] = {"benchmark": "rollup", **largest, "runs": runs}
    if bw2calc_products:
        same = next((r for r in runs if r["products"] == bw2calc_products), None)
        comparison = bw2calc_one_product(bw2calc_products, cyclic, bw2calc_timeout)
        result.update(comparison)
        result["bw2calc_products"] = bw2calc_products
        if same and comparison.get("bw2calc_one_product_s"):
            result["ratio_tanji_all_products_to_bw2calc_one_product"] = round(
                same["all_products_s"] / comparison["bw2calc_one_product_s"], 5
            )
    on_step(1)
    return result
