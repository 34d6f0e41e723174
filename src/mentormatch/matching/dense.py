"""The same assignment as `solver.assign`, solved on the whole juniors x places matrix at once.

For rounds small enough to hold every pair in memory, scipy's `linear_sum_assignment` (a dense
shortest-augmenting-path solver) on the full matrix is faster than building candidates and proving
them, and is exact by construction: there is nothing to prove, every pair is in the matrix.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from mentormatch.matching.cost_graph import Assignment
from mentormatch.matching.costs import FORBIDDEN


@cache
def linear_sum_assignment() -> Callable[..., Any]:
    """scipy's `linear_sum_assignment`, without the rest of `scipy.optimize`.

    `scipy.optimize` imports linprog, linalg, fft and special with it, which costs more than solving a
    2,000-applicant round; the function itself is the compiled module `scipy.optimize._lsap` (the package
    only re-exports it), loaded here on its own. When that module cannot be found or loaded (another
    scipy layout), the package is imported as usual: the same function either way.
    """
    name = "scipy.optimize._lsap"
    spec = importlib.util.find_spec("scipy")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = Path(folder) / "optimize" / f"_lsap{suffix}"
            if path.exists():
                try:
                    loader = importlib.machinery.ExtensionFileLoader(name, str(path))
                    found = importlib.util.spec_from_file_location(name, path, loader=loader)
                    if found is not None:
                        module = importlib.util.module_from_spec(found)
                        loader.exec_module(module)
                        return module.linear_sum_assignment
                except (ImportError, OSError, AttributeError):
                    break
    from scipy.optimize import linear_sum_assignment as packaged

    return packaged


def assign_dense(cost: np.ndarray, capacity: np.ndarray | None = None, *, seed: int | None = None,
                 gains: tuple[np.ndarray, np.ndarray] | None = None, first: bool = False) -> Assignment:
    """The most pairs, then the least total cost, by one dense assignment over every place.

    Takes what `solver.assign` takes (integer costs, FORBIDDEN where a pair may not be made; column c
    has `capacity[c]` places, default 1) and gives an answer with the same number of pairs and the
    same total cost. With a `seed`, rows and places are shuffled reproducibly before solving, so
    that a different one of several equally good pairings may be chosen.

    `gains` (one 0/1 per row and per column: people with priority) add a third measure, how many of
    them are paired: after the most pairs and the least cost (a tie-break), or, with `first`, before
    both (the most of them paired, then the most pairs, then the least cost).
    """
    if not np.issubdtype(cost.dtype, np.integer):
        raise TypeError("costs must be whole numbers in an integer array, FORBIDDEN where a pair is not allowed")
    n_cols = cost.shape[1]
    capacity = np.ones(n_cols, dtype=np.int64) if capacity is None else np.asarray(capacity, dtype=np.int64)
    allowed = cost < FORBIDDEN
    # Rows and columns without an allowed pair can only ever take forbidden cells, and a column never
    # fills more places than it has allowed rows: trimming both leaves the optimum as it is and can
    # shrink the matrix a lot (locked juniors, for one, are all FORBIDDEN).
    rows = np.flatnonzero(allowed.any(axis=1))
    places = np.minimum(capacity, allowed.sum(axis=0))
    cols = np.flatnonzero(places > 0)
    empty = np.empty(0, dtype=np.intp)
    if rows.size == 0 or cols.size == 0:
        return Assignment(empty, empty, 0, solver="dense")
    owner = np.repeat(cols, places[cols])  # place -> column
    first_place = np.ones(owner.size, dtype=bool)  # a priority senior counts once, at their first place
    first_place[1:] = owner[1:] != owner[:-1]
    if seed is not None:  # the seed changes only the order the solver meets rows and places in
        rng = np.random.default_rng(seed)
        rows = rng.permutation(rows)
        order = rng.permutation(owner.size)
        owner, first_place = owner[order], first_place[order]
    block = cost[np.ix_(rows, owner)]
    is_allowed = block < FORBIDDEN
    # linear_sum_assignment fills min(rows, places) cells, so every forbidden cell it takes is an
    # allowed pair it could not make. Each forbidden cell costs more than the allowed costs of any
    # pairing can add up to (at most min(rows, places) pairs of at most the dearest allowed cost),
    # so one forbidden cell fewer always outweighs any total of allowed costs: the solver takes the
    # most allowed pairs, and the least total cost among those. All sums stay exact in float64: even
    # 100,000 rows by 100,000 places at the dearest int16 cost total about 3.3e14, far below 2**53.
    dearest = float(block[is_allowed].max(initial=0))
    penalty = dearest * min(block.shape) + 1.0
    matrix = block.astype(np.float64)
    del block
    if gains is not None:
        # Each pair gains 0, 1 or 2 (a priority person on either side). As a tie-break a gain is worth
        # less than one cost step over the whole pairing; first, it is worth more than every pair and
        # every cost step together, so one more priority person paired outweighs anything else.
        pairs = min(matrix.shape)
        gain = gains[0][rows][:, None].astype(np.float64) + (gains[1][owner] * first_place)[None, :]
        weight = pairs * (penalty + dearest) + 1.0 if first else 1.0 / (2 * pairs + 1)
        penalty += 0.0 if first else 1.0
        matrix -= gain * weight
    matrix[~is_allowed] = penalty
    found_rows, found_places = linear_sum_assignment()(matrix)
    keep = is_allowed[found_rows, found_places]
    paired_rows, paired_cols = rows[found_rows[keep]], owner[found_places[keep]]
    order = np.argsort(paired_rows, kind="stable")
    return Assignment(paired_rows[order].astype(np.intp), paired_cols[order].astype(np.intp), int(keep.sum()),
                      solver="dense")
