"""Incremental roll-up: when upstream declarations change, recompute only the products that depend on them.

The footprints are linear in the own emissions, so a change ``dE`` at some products moves the footprints by
``dP`` solving ``(I - Q) dP = dE``, which is zero outside the consumers of the changed products. A changed input
row (new quantities) is turned into the same form: the changed product's new footprint is computed from its
inputs' (unchanged) footprints, and the difference propagates. Loops reached by a change are re-solved whole.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp

from ledger.rollup.engine import RollupResult
from ledger.rollup.structure import INT, consumers_closure


@dataclass(frozen=True)
class Change:
    """A new version of product `index`: its own emissions and, optionally, its new inputs {input index: qty}."""

    index: int
    direct_row: np.ndarray
    inputs: dict[int, float] | None = None


@dataclass(frozen=True)
class IncrementalResult:
    """The updated roll-up and the products that were recomputed."""

    result: RollupResult
    direct_matrix: np.ndarray
    affected: np.ndarray


def apply_changes(result: RollupResult, direct_matrix: np.ndarray, changes: list[Change]) -> IncrementalResult:
    """Update `result` for `changes`, touching only the changed products and their consumers."""
    matrix = result.input_matrix
    direct = direct_matrix.copy()
    changed = np.array(sorted({c.index for c in changes}), dtype=INT)
    if any(c.inputs is not None for c in changes):
        matrix = _replace_rows(matrix, changes)
    consumers = matrix.T.tocsr() if matrix is not result.input_matrix else result.consumers
    affected = consumers_closure(consumers, changed)
    labels = result.structure.labels
    if np.isin(labels[affected], result.structure.loop_components).any() or (
        matrix is not result.input_matrix and _creates_loop(matrix, changes, affected)
    ):
        from ledger.rollup.engine import RollupInput, compute_footprints

        for change in changes:
            direct[change.index] = change.direct_row
        coo = matrix.tocoo()
        data = RollupInput([str(i) for i in range(matrix.shape[0])], coo.row, coo.col, coo.data, direct)
        return IncrementalResult(compute_footprints(data), direct, np.arange(matrix.shape[0], dtype=INT))
    footprints = result.footprint_matrix.copy()
    for change in changes:
        direct[change.index] = change.direct_row
    levels = result.structure.component_levels[labels[affected]]
    affected = affected[np.argsort(levels, kind="stable")]
    sub = matrix[affected]
    diagonal = matrix.diagonal()[affected]
    level_sorted = np.sort(levels)
    bounds = np.flatnonzero(np.diff(level_sorted)) + 1
    for start, end in zip(np.concatenate([[0], bounds]), np.concatenate([bounds, [affected.size]]), strict=True):
        rows = affected[start:end]
        footprints[rows] = (
            direct[rows] + sub[start:end] @ footprints - diagonal[start:end, None] * footprints[rows]
        ) / (1.0 - diagonal[start:end, None])
    updated = replace(
        result,
        footprint_matrix=footprints,
        input_matrix=matrix,
        consumers=consumers,
        residual=_residual_rows(matrix, footprints, direct, affected),
    )
    return IncrementalResult(updated, direct, affected)


def _replace_rows(matrix: sp.csr_matrix, changes: list[Change]) -> sp.csr_matrix:
    lil = matrix.tolil(copy=True)
    for change in changes:
        if change.inputs is not None:
            lil.rows[change.index] = sorted(change.inputs)
            lil.data[change.index] = [float(change.inputs[j]) for j in sorted(change.inputs)]
    return lil.tocsr()


def _creates_loop(matrix: sp.csr_matrix, changes: list[Change], affected: np.ndarray) -> bool:
    """A new input that is itself a consumer of the changed product closes a loop."""
    members = set(affected.tolist())
    return any(j in members and j != c.index for c in changes if c.inputs for j in c.inputs)


def _residual_rows(matrix: sp.csr_matrix, footprints: np.ndarray, direct: np.ndarray, rows: np.ndarray) -> float:
    sub = matrix[rows]
    error = footprints[rows] - sub @ footprints - direct[rows]
    return float(np.abs(error).max(initial=0.0) / max(1.0, float(np.abs(direct[rows]).max(initial=0.0))))
