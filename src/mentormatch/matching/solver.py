"""Maximum-cardinality, minimum-cost assignment. Numbers in, numbers out; knows nothing of grades.

Rounds can be large (50,000 juniors by 40,000 seniors is two billion possible pairs), so the solver
never builds the full weighted graph. It works on a small candidate graph and proves, against the
full cost matrix read block by block, that what it found on the candidates is right for everyone:

1. Candidates: each row's `k` cheapest allowed columns and each column's `k` cheapest rows. A row
   or column left without any has no allowed partner at all and is left out of every later pass.
2. Most pairs: a maximum matching of the candidates (Hopcroft-Karp), then a breadth-first search
   for an augmenting path on the *full* graph. Finding none proves (Berge's theorem) that no
   pairing has more pairs; finding some adds the search-tree edges and repeats.
3. Least cost: the sparse assignment (LAPJVsp) on the candidates, with a private "unpaired" column
   per row at a cost higher than any pairing can save, so more pairs always win. Dual prices are
   then read off the solution (shortest paths) and every pair of the full matrix is checked against
   them: none priced below its cost proves the assignment optimal (LP duality); any that is gets
   added to the candidates, and the assignment is solved again.

The answer is therefore exact, not a heuristic: the same number of pairs and the same total cost
as solving the whole matrix densely, for a fraction of the time and memory. Small rounds are solved
densely all the same (`dense.assign_dense`), where that is faster: `solve.solve_round` chooses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import (
    maximum_bipartite_matching,
    min_weight_full_bipartite_matching,
)

from mentormatch.matching.cost_graph import Assignment, CostGraph, Progress, smallest
from mentormatch.matching.parallel import BLOCK_CELLS, parallel

CANDIDATES = 24  # cheapest columns kept per row, and cheapest rows per column, when pricing is bounded
# When pricing runs to the proof (up to EXACT_CELLS), fewer candidates make a smaller graph that each
# pass solves faster, in as many passes (20,000 applicants: 6.4-6.7 s against 7.7-9.4 s with 24, 4 passes
# each; 10,000: 1.9-2.0 s against 2.3-2.6 s). Bounded pricing keeps 24: with 12, three passes at 100,000
# applicants left the average score's bound at 5.1 points instead of 0.13.
CANDIDATES_PROVEN = 12
ADD_PER_ROW = 8  # most underpriced pairs added per row in each pricing check
EXACT_CELLS = 150_000_000  # up to this many rows x columns (about 20,000 applicants) the cost is proven optimal
BOUNDED_PASSES = 3  # above it, pricing stops after this many passes and reports its proven bound
# LAPJVsp needs strictly positive weights, so every cost is shifted up by one (a cost-0 pair would
# otherwise read as "no edge"); the shift is the same for every pair, so the optimum is unchanged.
SHIFT = 1.0
# Costs are whole numbers, so any genuine difference is at least 1: a difference under half of that
# is floating-point noise from the sums, not an underpriced pair.
TOLERANCE = 0.5

def _cheapest(graph: CostGraph, k: int) -> None:
    """Candidate pass: every row's k cheapest allowed columns, then every column's k cheapest rows."""

    def by_row(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        block = graph.raw(rows)
        pick = smallest(block, k, axis=1)
        ok = graph.is_allowed(np.take_along_axis(block, pick, axis=1))
        return np.broadcast_to(rows[:, None], pick.shape)[ok], pick[ok]

    def by_column(start: int) -> tuple[np.ndarray, np.ndarray]:
        block = graph.raw_columns(start, start + width)
        pick = smallest(block, k, axis=0)
        ok = graph.is_allowed(np.take_along_axis(block, pick, axis=0))
        return pick[ok], np.broadcast_to(np.arange(start, start + block.shape[1]), pick.shape)[ok]

    width = max(1, BLOCK_CELLS // max(1, graph.n_rows))
    found = [*parallel(by_row, graph.blocks(task="shortlisting each person's closest candidates")),
             *parallel(by_column, range(0, graph.n_cols, width))]
    graph.add(np.concatenate([r for r, _ in found]), np.concatenate([c for _, c in found]))
    # A row's cheapest column is a candidate whenever it is allowed, so a row (or column) with no
    # candidate has no allowed partner at all: later passes over the full matrix leave it out.
    rows, cols = graph.edges()
    graph.live_rows = np.unique(rows)
    graph.live_cols = np.bincount(cols, minlength=graph.n_cols) > 0


def _matching(graph: CostGraph) -> np.ndarray:
    """A maximum matching of the candidate graph: each row's column, or -1."""
    _edge, rows, slots = graph.slot_edges()
    adjacency = csr_matrix((np.ones(rows.size), (rows, slots)), shape=(graph.n_rows, graph.owner.size))
    slot = maximum_bipartite_matching(adjacency, perm_type="column")
    return np.where(slot >= 0, graph.owner[np.maximum(slot, 0)], -1)


def _augmenting_tree(graph: CostGraph, matched: np.ndarray, rng: np.random.Generator,
                     search: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Alternating breadth-first search from every unpaired row over the full graph.

    Returns the search-tree edges and how many columns with a free place it reached (each is the
    end of an augmenting path). Reaching none proves the matching maximum. Parents are drawn at
    random among the rows that reach a column, so that the tree holds many disjoint paths.
    """
    load = np.bincount(matched[matched >= 0], minlength=graph.n_cols)
    by_col = np.argsort(matched, kind="stable")
    col_of = matched[by_col]
    visited = np.zeros(graph.n_cols, dtype=bool)
    frontier = graph.live_rows[matched[graph.live_rows] < 0]
    tree_rows, tree_cols, free_reached = [], [], 0
    while frontier.size:
        # Each column newly reached in this layer gets a parent drawn at random from the whole layer.
        best = np.zeros(graph.n_cols, dtype=np.float32)
        parent = np.full(graph.n_cols, -1, dtype=np.int64)
        open_cols = np.flatnonzero(graph.live_cols & ~visited)
        for rows in graph.blocks(frontier, task=f"checking no pairing has more pairs (search {search})"):
            allowed = graph.allowed(rows)[:, open_cols]
            draw = rng.random(allowed.shape, dtype=np.float32)
            draw[~allowed] = 0.0
            top = draw.argmax(axis=0)
            value = draw[top, np.arange(open_cols.size)]
            better = value > best[open_cols]
            best[open_cols[better]] = value[better]
            parent[open_cols[better]] = rows[top[better]]
        cols = open_cols[parent[open_cols] >= 0]
        if not cols.size:
            break
        visited[cols] = True
        tree_rows.append(parent[cols])
        tree_cols.append(cols)
        free = load[cols] < graph.capacity[cols]
        free_reached += int(free.sum())
        frontier = by_col[np.isin(col_of, cols[~free])]
    if not tree_rows:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), 0
    return np.concatenate(tree_rows), np.concatenate(tree_cols), free_reached


def _most_pairs(graph: CostGraph, rng: np.random.Generator) -> int:
    """Grow the candidates until they hold a maximum matching of the full graph; return its size."""
    for search in range(1, graph.n_rows + 2):
        matched = _matching(graph)
        rows, cols, free_reached = _augmenting_tree(graph, matched, rng, search)
        if not free_reached:
            return int((matched >= 0).sum())
        graph.add(rows, cols)
    raise AssertionError("unreachable: every search that finds a path adds an edge")  # pragma: no cover


@dataclass
class _Priced:
    """An optimal assignment of the candidate graph and its dual prices."""

    slot_of: np.ndarray  # each row's slot, or n_slots + row when unpaired
    row_price: np.ndarray
    slot_price: np.ndarray
    pass_number: int


def _assign_candidates(graph: CostGraph, seed: int | None, pass_number: int) -> _Priced:
    """LAPJVsp on the candidates plus one 'unpaired' column per row; dual prices by Bellman-Ford."""
    edge, rows, slots = graph.slot_edges()
    cand_rows, cand_cols = graph.edges()
    n_rows, n_slots = graph.n_rows, graph.owner.size
    weight = graph.cost[cand_rows, cand_cols].astype(np.float64)[edge] + SHIFT
    unpaired = (float(np.max(weight, initial=1.0)) + 1.0) * min(n_rows, n_slots) + 1.0  # beats any saving
    rows = np.concatenate([rows, np.arange(n_rows)])
    slots = np.concatenate([slots, n_slots + np.arange(n_rows)])
    weight = np.concatenate([weight, np.full(n_rows, unpaired)])
    row_order, slot_order = np.arange(n_rows), np.arange(n_slots + n_rows)
    if seed is not None:  # the seed changes only the order the solver meets rows and places in
        rng = np.random.default_rng(seed)
        row_order[:] = rng.permutation(n_rows)
        slot_order[:n_slots] = rng.permutation(n_slots)
    matrix = csr_matrix((weight, (row_order[rows], slot_order[slots])), shape=(n_rows, n_slots + n_rows))
    found_rows, found_slots = min_weight_full_bipartite_matching(matrix)
    back_row, back_slot = np.argsort(row_order), np.argsort(slot_order)
    slot_of = np.empty(n_rows, dtype=np.int64)
    slot_of[back_row[found_rows]] = back_slot[found_slots]

    # Dual prices. scipy's LAPJVsp returns the assignment but not its duals, so they are rebuilt
    # here: the tightest slot prices v with v(slot) <= 0, 0 on free slots, and
    # v(c) <= v(slot_of[r]) + w(r, c) - w(r, slot_of[r]) for every candidate edge, are shortest
    # paths in the residual graph (Bellman-Ford, vectorised by target). They are what lets every
    # pair of the full matrix be checked without solving it.
    matched_weight = np.zeros(n_rows)
    is_matched = slot_of[rows] == slots
    matched_weight[rows[is_matched]] = weight[is_matched]
    source, target = slot_of[rows], slots
    length = weight - matched_weight[rows]
    keep = ~is_matched
    source, target, length = source[keep], target[keep], length[keep]
    order = np.argsort(target, kind="stable")
    source, target, length = source[order], target[order], length[order]
    starts = np.flatnonzero(np.r_[True, target[1:] != target[:-1]]) if target.size else np.empty(0, dtype=np.int64)
    heads = target[starts]
    price = np.zeros(n_slots + n_rows)
    for _ in range(n_slots + n_rows + 1):
        if not heads.size:
            break
        offer = np.minimum.reduceat(price[source] + length, starts)
        lower = offer < price[heads] - TOLERANCE
        if not lower.any():
            break
        price[heads[lower]] = offer[lower]
    else:  # pragma: no cover - an optimal assignment has no negative cycle
        raise RuntimeError("assignment prices did not settle")
    return _Priced(slot_of, matched_weight - price[slot_of], price, pass_number)


def _underpriced(graph: CostGraph, priced: _Priced) -> tuple[np.ndarray, np.ndarray, float]:
    """Pairs of the full matrix whose cost is below their dual price, and the gap they prove.

    None: the assignment is optimal. Otherwise the prices are made feasible in the cheaper of two
    ways: lower each row's price by its worst shortfall, or each column's price (on all its places)
    by its worst shortfall. What that costs the dual bounds how much lower the total cost of any
    pairing with as many pairs can be (weak LP duality).
    """
    n_slots = graph.owner.size
    col_price = np.full(graph.n_cols, -np.inf)
    np.maximum.at(col_price, graph.owner, priced.slot_price[:n_slots])
    k = min(ADD_PER_ROW, graph.n_cols)
    empty = np.empty(0, dtype=np.int64)

    def check(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, np.ndarray | None]:
        reduced = graph.costs(rows)
        reduced += SHIFT
        reduced -= priced.row_price[rows][:, None]
        reduced -= col_price[None, :]
        bad = reduced < -TOLERANCE
        if not bad.any():
            return empty, empty, 0.0, None
        row_shortfall = -float(np.minimum(reduced.min(axis=1), 0.0).sum())
        column_shortfall = -np.minimum(reduced.min(axis=0), 0.0)
        reduced[~bad] = np.inf
        pick = smallest(reduced, k, axis=1)
        ok = np.isfinite(np.take_along_axis(reduced, pick, axis=1))
        return np.broadcast_to(rows[:, None], pick.shape)[ok], pick[ok], row_shortfall, column_shortfall

    found = list(parallel(check, graph.blocks(task=f"checking no pairing scores better (pass {priced.pass_number})")))
    by_rows = sum(gap for _, _, gap, _ in found)
    columns = [shortfall for *_, shortfall in found if shortfall is not None]
    by_columns = float(np.maximum.reduce(columns) @ graph.capacity) if columns else 0.0
    return (np.concatenate([r for r, *_ in found]), np.concatenate([c for _, c, *_ in found]),
            min(by_rows, by_columns))


def assign(cost: np.ndarray, capacity: np.ndarray | None = None, *, seed: int | None = None,
           candidates: int | None = None, max_passes: int | None = None,
           on_progress: Progress | None = None) -> Assignment:
    """An assignment with the most pairs and the least total cost among those, and that maximum.

    `cost` is rows x columns of whole numbers >= 0 in an integer array, FORBIDDEN where a pair may
    not be made (as `costs.to_costs` builds it). Column c can take `capacity[c]` rows (default 1).
    With a `seed`, exact ties are broken in a different (reproducible) way; the pairs and the total
    cost stay optimal. `candidates` (default CANDIDATES_PROVEN where pricing runs to the proof, CANDIDATES where
    it is bounded) only trades the graph's size against pricing passes.

    The number of pairs is always proven maximal. The total cost is proven optimal unless pricing
    stops after `max_passes` passes (default: no limit up to EXACT_CELLS cells, BOUNDED_PASSES
    above); then `gap` is a proven bound on how much lower it could be.
    """
    if not np.issubdtype(cost.dtype, np.integer):
        raise TypeError("costs must be whole numbers in an integer array, FORBIDDEN where a pair is not allowed")
    n_rows, n_cols = cost.shape
    capacity = np.ones(n_cols, dtype=np.int64) if capacity is None else np.asarray(capacity, dtype=np.int64)
    empty = np.empty(0, dtype=np.intp)
    if n_rows == 0 or int(capacity.sum()) == 0:
        return Assignment(empty, empty, 0)
    if max_passes is None:
        max_passes = 0 if n_rows * n_cols <= EXACT_CELLS else BOUNDED_PASSES
    if candidates is None:
        candidates = CANDIDATES_PROVEN if max_passes == 0 else CANDIDATES
    graph = CostGraph(cost, capacity, on_progress)
    _cheapest(graph, max(1, candidates))
    maximum = _most_pairs(graph, np.random.default_rng(0 if seed is None else seed))
    if maximum == 0:
        return Assignment(empty, empty, 0, graph.keys.size)
    passes = 0
    while True:
        passes += 1
        priced = _assign_candidates(graph, seed, passes)
        rows, cols, gap = _underpriced(graph, priced)
        if not rows.size or passes == max_passes or not graph.add(rows, cols):
            break
    paired = np.flatnonzero(priced.slot_of < graph.owner.size)
    return Assignment(paired.astype(np.intp), graph.owner[priced.slot_of[paired]].astype(np.intp), maximum,
                      graph.keys.size, passes, gap)
