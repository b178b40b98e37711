"""Structure of the input matrix: strongly connected components and the order to solve them in.

Q[i, j] is how much of product j one unit of product i consumes, so i depends on j. Components are solved in
*levels*: a component's level is one more than the highest level among the components it consumes from, and
leaves (no inputs) are level 0. Everything on one level can be computed at once from lower levels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

INT = np.int64


@dataclass(frozen=True)
class Structure:
    """SCC labels, which components are loops, component levels and the level order of the products."""

    labels: np.ndarray  # component of each product
    loop_components: np.ndarray  # ids of components with more than one product (cycles)
    component_levels: np.ndarray  # level of each component
    order: np.ndarray  # products sorted by level (then component)
    level_bounds: np.ndarray  # order[level_bounds[k]:level_bounds[k+1]] is level k

    @property
    def acyclic(self) -> bool:
        """True when no loop spans more than one product."""
        return self.loop_components.size == 0


def analyse(input_matrix: sp.csr_matrix) -> Structure:
    """Find loops and levels of `input_matrix` (self-loops do not count as loops here)."""
    count, labels = connected_components(input_matrix, directed=True, connection="strong")
    sizes = np.bincount(labels, minlength=count)
    loop_components = np.flatnonzero(sizes > 1)
    coo = input_matrix.tocoo()
    keep = labels[coo.row] != labels[coo.col]
    component_graph = sp.csr_matrix(
        (np.ones(int(keep.sum()), dtype=np.int8), (labels[coo.row[keep]], labels[coo.col[keep]])), shape=(count, count)
    )
    component_graph.sum_duplicates()
    levels = component_levels(component_graph)
    product_levels = levels[labels]
    order = np.lexsort((labels, product_levels)).astype(INT)
    bounds = np.searchsorted(product_levels[order], np.arange(int(levels.max(initial=-1)) + 2)).astype(INT)
    return Structure(labels.astype(INT), loop_components.astype(INT), levels, order, bounds)


def component_levels(graph: sp.csr_matrix) -> np.ndarray:
    """Longest-path levels of an acyclic graph whose edges point from consumer to input (Kahn, vectorised)."""
    count = graph.shape[0]
    remaining = np.diff(graph.indptr).astype(INT)  # inputs still unresolved per component
    consumers = graph.T.tocsr()  # consumers[j] lists components that consume j
    levels = np.full(count, -1, dtype=INT)
    frontier = np.flatnonzero(remaining == 0)
    level = 0
    while frontier.size:
        levels[frontier] = level
        starts, ends = consumers.indptr[frontier], consumers.indptr[frontier + 1]
        lengths = ends - starts
        if lengths.sum() == 0:
            break
        positions = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
        touched = consumers.indices[positions]
        remaining -= np.bincount(touched, minlength=count)
        candidates = np.unique(touched)
        frontier = candidates[(remaining[candidates] == 0) & (levels[candidates] < 0)]
        level += 1
    return levels


def consumers_closure(consumers: sp.csr_matrix, seeds: np.ndarray) -> np.ndarray:
    """Every product that consumes, directly or indirectly, one of `seeds` (seeds included)."""
    seen = np.zeros(consumers.shape[0], dtype=bool)
    seen[seeds] = True
    frontier = np.asarray(seeds, dtype=INT)
    while frontier.size:
        starts, ends = consumers.indptr[frontier], consumers.indptr[frontier + 1]
        lengths = ends - starts
        total = int(lengths.sum())
        if total == 0:
            break
        positions = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        found = consumers.indices[positions]
        found = np.unique(found[~seen[found]])
        seen[found] = True
        frontier = found
    return np.flatnonzero(seen)
