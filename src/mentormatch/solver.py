"""Maximum-cardinality, minimum-cost assignment. Numbers in, numbers out; knows nothing of grades."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching


def maximum_pairs(feasible: np.ndarray) -> int:
    """The largest number of pairs the feasibility graph allows (Hopcroft-Karp)."""
    if feasible.size == 0 or not feasible.any():
        return 0
    matched = maximum_bipartite_matching(csr_matrix(feasible), perm_type="column")
    return int((matched >= 0).sum())


@dataclass(frozen=True)
class Assignment:
    """The pairs chosen, and the most pairs the graph allows (counted independently of them)."""

    rows: np.ndarray
    cols: np.ndarray
    maximum: int


def solve(cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (rows, cols) of an assignment with the most pairs, and the least total cost among those."""
    found = assign(cost)
    return found.rows, found.cols


def assign(cost: np.ndarray) -> Assignment:
    """An assignment with the most pairs and the least total cost among those, and that maximum.

    1. Drop rows and columns with no finite cost: they can never be paired.
    2. Count k, the maximum number of pairs, on the graph of finite entries (Hopcroft-Karp).
    3. Add (rows - k) zero-cost "unpaired" columns open to every row, and solve the rectangular
       assignment. Every row is then assigned, and at most rows - k of them to an unpaired column,
       so exactly k real pairs are made whatever the costs: cardinality first is structural,
       not a matter of weights. Forbidden entries stay inf and can never be chosen.
    """
    feasible = np.isfinite(cost)
    row_idx = np.flatnonzero(feasible.any(axis=1))
    col_idx = np.flatnonzero(feasible.any(axis=0))
    if row_idx.size == 0:
        return Assignment(np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp), 0)
    sub = cost[np.ix_(row_idx, col_idx)]
    k = maximum_pairs(np.isfinite(sub))
    padded = np.hstack([sub, np.zeros((row_idx.size, row_idx.size - k))])
    rows, cols = linear_sum_assignment(padded)
    real = cols < col_idx.size
    return Assignment(row_idx[rows[real]], col_idx[cols[real]], k)
