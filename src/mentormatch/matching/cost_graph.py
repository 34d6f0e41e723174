"""The solver's view of a round: the cost matrix read in blocks, and the candidate edges gathered so far.

The full matrix is never expanded into a graph; the solver works on the candidate edges and reads
blocks of rows or columns of the matrix when it checks its answer against every pair.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from mentormatch.matching.costs import FORBIDDEN
from mentormatch.matching.parallel import BLOCK_CELLS

Progress = Callable[[str, float], None]  # (what the solver is doing, share of that pass done)


@dataclass(frozen=True)
class Assignment:
    """The pairs chosen (row and column indices), the most pairs the graph allows, and how it was found."""

    rows: np.ndarray
    cols: np.ndarray
    maximum: int
    candidate_pairs: int = 0
    pricing_passes: int = 0
    gap: float = 0.0  # proven bound on how much lower the total cost could be (0: optimal)
    solver: str = "sparse"  # which solver found it: "sparse" (assign) or "dense" (dense.assign_dense)


class CostGraph:
    """The cost matrix read in blocks of rows, and the candidate edges gathered so far."""

    def __init__(self, cost: np.ndarray, capacity: np.ndarray, on_progress: Progress | None) -> None:
        self.cost, self.capacity = cost, capacity
        self.n_rows, self.n_cols = cost.shape
        self.owner = np.repeat(np.arange(self.n_cols), capacity)  # slot -> column
        self.first_slot = np.concatenate([[0], np.cumsum(capacity)[:-1]]).astype(np.int64)
        self.block = max(1, BLOCK_CELLS // max(1, self.n_cols))
        self.keys = np.empty(0, dtype=np.int64)  # candidate edges as row * n_cols + col, sorted, unique
        self.live_rows = np.arange(self.n_rows)  # rows with at least one allowed column
        self.live_cols = np.ones(self.n_cols, dtype=bool)  # columns with at least one allowed row
        self.on_progress = on_progress

    def costs(self, rows: np.ndarray) -> np.ndarray:
        """Rows of the cost matrix as float64, inf where forbidden."""
        block = self.cost[rows].astype(np.float64)
        block[block >= FORBIDDEN] = np.inf
        return block

    def raw(self, rows: np.ndarray) -> np.ndarray:
        """Rows of the cost matrix as given (forbidden pairs sort last)."""
        return self.cost[rows]

    def raw_columns(self, start: int, stop: int) -> np.ndarray:
        """Columns start..stop of the cost matrix as given."""
        return self.cost[:, start:stop]

    @staticmethod
    def is_allowed(values: np.ndarray) -> np.ndarray:
        """Which raw cost values are allowed pairs."""
        return values < FORBIDDEN

    def allowed(self, rows: np.ndarray) -> np.ndarray:
        """Rows of the feasibility matrix."""
        return self.is_allowed(self.cost[rows])

    def blocks(self, rows: np.ndarray | None = None, task: str | None = None) -> Iterator[np.ndarray]:
        """Row indices (default: the live ones) in blocks small enough to expand; a `task` reports progress."""
        rows = self.live_rows if rows is None else rows
        for start in range(0, rows.size, self.block):
            if task is not None and self.on_progress is not None:
                self.on_progress(task, start / max(1, rows.size))
            yield rows[start:start + self.block]

    def add(self, rows: np.ndarray, cols: np.ndarray) -> int:
        """Add candidate edges; return how many were new."""
        before = self.keys.size
        keys = np.concatenate([self.keys, rows.astype(np.int64) * self.n_cols + cols])
        keys.sort()
        self.keys = keys[np.r_[True, keys[1:] != keys[:-1]]] if keys.size else keys
        return self.keys.size - before

    def edges(self) -> tuple[np.ndarray, np.ndarray]:
        return self.keys // self.n_cols, self.keys % self.n_cols

    def slot_edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Candidate edges expanded to one edge per place: (edge index, row, slot)."""
        rows, cols = self.edges()
        places = self.capacity[cols]
        edge = np.repeat(np.arange(rows.size), places)
        offset = np.arange(edge.size) - np.repeat(np.cumsum(places) - places, places)
        return edge, rows[edge], self.first_slot[cols][edge] + offset


def smallest(values: np.ndarray, k: int, axis: int) -> np.ndarray:
    """Indices of the k smallest entries along `axis` (all of them when there are at most k)."""
    if k >= values.shape[axis]:
        shape = [1, 1]
        shape[axis] = values.shape[axis]
        return np.broadcast_to(np.arange(values.shape[axis]).reshape(shape), values.shape)
    return np.take(np.argpartition(values, k - 1, axis=axis), np.arange(k), axis=axis)
