"""The roll-up engine: cradle-to-gate footprints of every product at once.

For products i and inputs j, ``Q[i, j]`` is the quantity of j (in j's declared unit) consumed per declared unit of
i, and ``E[i, c]`` is i's own emission of component c per declared unit. The footprints P solve

    (I - Q) P = E        one column per emission component and quality numerator, signs kept.

The system is never inverted. Strongly connected components are found first; everything outside loops is
solved level by level (each level is one sparse product with the levels below, so the work is one pass over
the edges), and each loop is solved as a block: a sparse LU factorisation of ``I - Q_SS`` (CSC, the orientation
SuperLU wants) up to ``direct_limit`` products, a checked fixed-point iteration above that. A loop in which a
product re-consumes a unit or more of itself has no meaningful solution and is refused with its products named;
with ``isolate_failures=True`` such products are not refused but recorded in ``RollupResult.failures`` (their rows,
and the rows of every product that consumes them, are NaN), so one bad loop fails only the roll-ups that need it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import splu

from ledger.errors import (
    DivergentLoopError,
    InvalidQuantityError,
    SelfConsumptionError,
    SupplyChainError,
    UnknownProductError,
)
from ledger.rollup.components import COLUMNS
from ledger.rollup.structure import INT, Structure, analyse

ENGINE_VERSION = "tanji-rollup/1.0"


@dataclass(frozen=True)
class RollupInput:
    """Products 0..n-1, input edges (consumer, input, quantity) and own emissions (n x columns; the ledger uses
    len(COLUMNS) columns, the CBAM roll-up two)."""

    product_ids: Sequence[str]
    consumer_array: np.ndarray
    input_array: np.ndarray
    quantity_array: np.ndarray
    direct_matrix: np.ndarray

    @property
    def size(self) -> int:
        """Number of products."""
        return len(self.product_ids)


@dataclass(frozen=True)
class RollupResult:
    """Footprints of all products (rows follow the input's product order)."""

    footprint_matrix: np.ndarray
    input_matrix: sp.csr_matrix
    consumers: sp.csr_matrix
    structure: Structure
    method: str
    residual: float
    loop_iterations: int
    failures: dict[int, SupplyChainError] = field(default_factory=dict)  # product -> why it has no footprint

    def column(self, name: str) -> np.ndarray:
        """One column (component or quality numerator) for all products."""
        return np.asarray(self.footprint_matrix[:, COLUMNS.index(name)])


def build_input_matrix(data: RollupInput) -> sp.csr_matrix:
    """The n x n input matrix; refuses negative, non-finite and duplicate quantities by product."""
    n = data.size
    for name, array in (("consumer", data.consumer_array), ("input", data.input_array)):
        outside = (np.asarray(array) < 0) | (np.asarray(array) >= n)
        if outside.any():
            raise UnknownProductError(
                f"edge {int(np.flatnonzero(outside)[0])} names {name} product index "
                f"{int(np.asarray(array)[outside][0])}, but only {n} products are declared"
            )
    try:
        quantities = np.asarray(data.quantity_array, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidQuantityError(f"quantities must be numbers: {exc}") from exc
    bad = ~np.isfinite(quantities) | (quantities < 0)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise InvalidQuantityError(
            f"product {data.product_ids[int(data.consumer_array[k])]!r} declares quantity {quantities[k]} of input "
            f"{data.product_ids[int(data.input_array[k])]!r}; quantities must be finite and >= 0"
        )
    rows, cols = np.asarray(data.consumer_array, dtype=INT), np.asarray(data.input_array, dtype=INT)
    keys = rows * n + cols
    unique, counts = np.unique(keys, return_counts=True)
    if unique.size != keys.size:
        duplicate = int(unique[np.flatnonzero(counts > 1)[0]])
        raise InvalidQuantityError(
            f"product {data.product_ids[duplicate // n]!r} lists input {data.product_ids[duplicate % n]!r} more than "
            "once; merge the quantities into one line"
        )
    return sp.csr_matrix((quantities, (rows, cols)), shape=(n, n))


def compute_footprints(
    data: RollupInput,
    *,
    direct_limit: int = 1_000,
    tolerance: float = 1e-12,
    max_iterations: int = 10_000,
    isolate_failures: bool = False,
) -> RollupResult:
    """Solve (I - Q) P = E for every product and column; see the module docstring."""
    n = data.size
    direct = np.asarray(data.direct_matrix, dtype=np.float64)
    if direct.ndim != 2 or direct.shape[0] != n or direct.shape[1] < 1:
        raise ValueError(f"direct_matrix must be {n} x columns (the ledger uses {len(COLUMNS)}), got {direct.shape}")
    matrix = build_input_matrix(data)
    diagonal = matrix.diagonal()
    failures: dict[int, SupplyChainError] = {}
    for k in np.flatnonzero(diagonal >= 1).tolist():
        failure = SelfConsumptionError(
            f"product {data.product_ids[k]!r} consumes {diagonal[k]:g} units of itself per "
            "unit made; a product cannot use up a unit or more of its own output"
        )
        if not isolate_failures:
            raise failure
        failures[k] = failure
    structure = analyse(matrix)
    order = structure.order
    inverse = np.empty(n, dtype=INT)
    inverse[order] = np.arange(n, dtype=INT)
    coo = matrix.tocoo()
    permuted = sp.csr_matrix((coo.data, (inverse[coo.row], inverse[coo.col])), shape=(n, n))
    labels = structure.labels[order]
    loops = set(structure.loop_components.tolist())
    solution = np.zeros_like(direct)
    direct_p = direct[order]
    diag_p = diagonal[order]
    iterations = 0
    failed_p = np.isin(order, list(failures))
    for level in range(structure.level_bounds.size - 1):
        start, end = int(structure.level_bounds[level]), int(structure.level_bounds[level + 1])
        if start == end:
            continue
        block = permuted[start:end]
        rhs = direct_p[start:end] + block @ solution  # same-level rows are still 0, so only lower levels count
        level_labels = labels[start:end]
        in_loop = np.isin(level_labels, list(loops)) if loops else np.zeros(end - start, dtype=bool)
        singles = ~in_loop
        with np.errstate(divide="ignore", invalid="ignore"):  # self-consumption >= 1 was recorded above
            solution[start:end][singles] = rhs[singles] / (1.0 - diag_p[start:end][singles, None])
        solution[start:end][failed_p[start:end]] = np.nan
        for label in np.unique(level_labels[in_loop]):
            members = start + np.flatnonzero(level_labels == label)
            loop_block = permuted[members][:, members]
            try:
                solution[members], used = _solve_loop(
                    loop_block,
                    rhs[members - start],
                    data,
                    order[members],
                    direct_limit=direct_limit,
                    tolerance=tolerance,
                    max_iterations=max_iterations,
                )
            except (SelfConsumptionError, DivergentLoopError) as failure:
                if not isolate_failures:
                    raise
                solution[members], used = np.nan, 0
                failures.update({int(p): failure for p in order[members]})
            iterations += used
    footprints = np.empty_like(solution)
    footprints[order] = solution
    residual = _residual(matrix, footprints, direct)
    method = "levels" if structure.acyclic else "levels+loops"
    return RollupResult(footprints, matrix, matrix.T.tocsr(), structure, method, residual, iterations, failures)


def _solve_loop(
    block: sp.csr_matrix,
    rhs: np.ndarray,
    data: RollupInput,
    products: np.ndarray,
    *,
    direct_limit: int,
    tolerance: float,
    max_iterations: int,
) -> tuple[np.ndarray, int]:
    """Solve (I - Q_SS) x = rhs for one loop; refuse loops that do not converge (spectral radius >= 1)."""
    size = block.shape[0]
    names = ", ".join(repr(data.product_ids[int(p)]) for p in products[:6]) + (" ..." if size > 6 else "")
    if size <= direct_limit:
        system = (sp.identity(size, format="csr") - block).tocsc()
        try:
            factor = splu(system)
        except RuntimeError as exc:  # exactly singular: re-consumption sums to one unit
            raise SelfConsumptionError(
                f"the loop through {names} re-consumes a full unit of its own output; "
                "check the input quantities around this loop"
            ) from exc
        probe = factor.solve(np.ones(size))
        if not np.all(np.isfinite(probe)) or probe.min() < 1.0 - 1e-9:  # (I-Q)^-1 >= I iff spectral radius < 1
            raise SelfConsumptionError(
                f"the loop through {names} consumes a unit or more of its own output per "
                "unit made (the loop does not converge); check the input quantities"
            )
        return factor.solve(rhs), 0
    solution = rhs.copy()
    scale = max(1.0, float(np.abs(rhs).max(initial=0.0)))
    for iteration in range(1, max_iterations + 1):
        updated = rhs + block @ solution
        change = float(np.abs(updated - solution).max(initial=0.0))
        solution = updated
        if not np.isfinite(change) or change > 1e12 * scale:
            break
        if change <= tolerance * max(scale, float(np.abs(solution).max(initial=0.0))):
            return solution, iteration
    raise DivergentLoopError(
        f"the loop through {names} ({size} products) did not converge in {max_iterations} "
        "iterations: its products re-consume too much of each other; check the quantities"
    )


def _residual(matrix: sp.csr_matrix, footprints: np.ndarray, direct: np.ndarray) -> float:
    """max |(I - Q) P - E| relative to max(1, max |E|): the arithmetic check an auditor can repeat."""
    if footprints.size == 0:
        return 0.0
    error = footprints - matrix @ footprints - direct
    finite = np.isfinite(error)  # rows of failed products (and their consumers) are NaN and not checked
    return float(np.abs(error[finite]).max(initial=0.0) / max(1.0, float(np.abs(direct).max())))
