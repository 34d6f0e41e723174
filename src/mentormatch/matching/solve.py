"""Which solver runs a round: scipy's linear_sum_assignment on the whole matrix for small rounds,
the certified sparse solver above.

Each solver's scipy modules are imported when it runs, not before: scipy.optimize (dense) and
scipy.sparse.csgraph (sparse) each take a few tenths of a second to import, and a round needs one.
"""

from __future__ import annotations

import numpy as np

from mentormatch.errors import MentormatchError
from mentormatch.matching.cost_graph import Assignment, Progress

SOLVERS = ("auto", "dense", "sparse")  # what solve_round accepts
# "auto" solves a round densely up to this many juniors x places (about 2,000 applicants; an 8 MB float64
# matrix). In benchmarks/bench_solvers.py dense is 2-9x faster below it, level at it, and slower above
# (1.6x slower at 1.6 million cells, 5x at 25 million), while its memory grows with every cell.
DENSE_MAX_CELLS = 1_000_000
# Forced dense solves stop here: 100 million cells is 800 MB of float64, plus scipy's own copies.
DENSE_REFUSE_CELLS = 100_000_000


def solve_round(cost: np.ndarray, capacity: np.ndarray | None = None, *, seed: int | None = None,
                solver: str = "auto", on_progress: Progress | None = None) -> Assignment:
    """Solve a round with `dense.assign_dense` or `assign`; "auto" is dense up to DENSE_MAX_CELLS juniors x places."""
    if solver not in SOLVERS:
        raise ValueError(f"solver must be one of {', '.join(SOLVERS)}, not {solver!r}")
    places = cost.shape[1] if capacity is None else int(np.sum(capacity))
    cells = cost.shape[0] * places
    if solver == "dense" and cells > DENSE_REFUSE_CELLS:
        raise MentormatchError(f"--solver dense would build a matrix of {cells:,} juniors x places "
                               f"(about {cells * 8 / 1024**3:,.1f} GB) for this round: use --solver sparse or auto.")
    if solver == "dense" or (solver == "auto" and cells <= DENSE_MAX_CELLS):
        from mentormatch.matching.dense import assign_dense

        return assign_dense(cost, capacity, seed=seed)
    from mentormatch.matching.solver import assign

    return assign(cost, capacity, seed=seed, on_progress=on_progress)
