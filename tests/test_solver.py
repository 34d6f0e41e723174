"""Properties of the assignment solver: never a forbidden pair, the most pairs, then the least cost.

Matrices are written with inf for a forbidden pair (easy to read) and handed to the solver as the
integer costs production passes. The properties run with one to three candidates per row as well as
the default: the candidate graph is then far smaller than the matrix, so the proofs (augmenting-path
search, dual-price check) must add the pairs the optimum needs, and a no-op proof fails these tests.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import kuhn
from mentormatch.matching.costs import FORBIDDEN
from mentormatch.matching.solver import assign

INF = math.inf
SETTINGS = settings(max_examples=100, deadline=None)
CANDIDATES = st.sampled_from([1, 2, 3, None])  # None: the solver's default


def solve(cost: np.ndarray, candidates: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(rows, cols) the solver picks for a float matrix with inf where forbidden."""
    found = assign(np.where(np.isfinite(cost), cost, FORBIDDEN).astype(np.int16), candidates=candidates)
    return found.rows, found.cols


def most_pairs(feasible: np.ndarray) -> int:
    """The independent maximum for a boolean feasibility matrix."""
    return kuhn([list(np.flatnonzero(row)) for row in feasible], feasible.shape[1])


def brute_force(cost: np.ndarray) -> tuple[int, float]:
    """(most pairs, least total cost among matchings with that many pairs), by enumeration."""
    n, m = cost.shape
    best = (0, 0.0)  # stored as (-pairs, total) so that min() prefers more pairs, then less cost

    def extend(r: int, used: frozenset[int], pairs: int, total: float) -> None:
        nonlocal best
        if r == n:
            best = min(best, (-pairs, total))
            return
        extend(r + 1, used, pairs, total)
        for c in range(m):
            if c not in used and math.isfinite(cost[r, c]):
                extend(r + 1, used | {c}, pairs + 1, total + cost[r, c])

    extend(0, frozenset(), 0, 0.0)
    return -best[0], best[1]


@st.composite
def cost_matrices(draw: st.DrawFn, max_side: int = 8) -> np.ndarray:
    """Costs 0..1000 or inf (forbidden), with some rows and columns wholly forbidden."""
    n = draw(st.integers(0, max_side))
    m = draw(st.integers(0, max_side))
    p_forbidden = draw(st.sampled_from([0.0, 0.3, 0.6, 0.9]))
    entry = st.one_of(st.just(INF), st.integers(0, 1000).map(float)) if p_forbidden else st.integers(0, 1000).map(float)
    values = draw(st.lists(entry, min_size=n * m, max_size=n * m))
    cost = np.array(values, dtype=np.float64).reshape(n, m)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if p_forbidden:
        cost[rng.random((n, m)) < p_forbidden] = INF
    if n:
        cost[draw(st.lists(st.integers(0, n - 1), max_size=2)), :] = INF
    if m:
        cost[:, draw(st.lists(st.integers(0, m - 1), max_size=2))] = INF
    return cost


# A cheap pair that, if taken, blocks two others: row 0 is cheapest with col 0, but row 1 only fits col 0.
BLOCKING = np.array([[0.0, 1000.0], [1000.0, INF]])


@SETTINGS
@given(cost_matrices(), CANDIDATES)
@example(BLOCKING, 1)
@example(np.empty((0, 0)), 1)
@example(np.full((3, 4), INF), 1)
def test_pairs_are_allowed_and_one_to_one(cost: np.ndarray, k: int | None) -> None:
    rows, cols = solve(cost, k)
    assert len(rows) == len(cols)
    assert all(math.isfinite(cost[r, c]) for r, c in zip(rows, cols, strict=True))
    assert len(set(rows.tolist())) == len(rows)
    assert len(set(cols.tolist())) == len(cols)
    assert all(0 <= r < cost.shape[0] for r in rows) and all(0 <= c < cost.shape[1] for c in cols)


@SETTINGS
@given(cost_matrices(), CANDIDATES)
@example(BLOCKING, 1)
@example(np.array([[0.0, 1.0, INF], [2.0, INF, INF], [INF, 0.0, 5.0]]), 1)
def test_number_of_pairs_is_the_maximum_whatever_the_costs(cost: np.ndarray, k: int | None) -> None:
    rows, _cols = solve(cost, k)
    assert len(rows) == most_pairs(np.isfinite(cost))


@SETTINGS
@given(cost_matrices(max_side=5), CANDIDATES)
@example(BLOCKING, 1)
def test_total_cost_is_least_among_matchings_with_most_pairs(cost: np.ndarray, k: int | None) -> None:
    rows, cols = solve(cost, k)
    pairs, least = brute_force(cost)
    assert len(rows) == pairs
    assert float(cost[rows, cols].sum()) == least


@SETTINGS
@given(cost_matrices(), CANDIDATES)
def test_deterministic_and_input_left_alone(cost: np.ndarray, k: int | None) -> None:
    before = cost.copy()
    first = solve(cost, k)
    second = solve(cost.copy(), k)
    np.testing.assert_array_equal(cost, before)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


@pytest.mark.parametrize("k", [1, None])
def test_cheapest_pair_is_given_up_to_pair_everyone(k: int | None) -> None:
    # Junior A fits seniors X and Y, junior B fits only X, and A-X is by far the cheapest pair.
    # Taking the best pair first would leave B alone; the solver must pair both.
    a, b, x, y = 0, 1, 0, 1
    cost = np.full((2, 2), INF)
    cost[a, x] = 0.0
    cost[a, y] = 900.0
    cost[b, x] = 900.0
    rows, cols = solve(cost, k)
    assert sorted(zip(rows.tolist(), cols.tolist(), strict=True)) == [(a, y), (b, x)]


@pytest.mark.parametrize("k", [1, None])
def test_cheaper_of_two_full_matchings_is_chosen(k: int | None) -> None:
    # Both ways of pairing everyone are allowed; the cheaper one (total 2 against 20) is chosen.
    cost = np.array([[1.0, 10.0], [10.0, 1.0]])
    rows, cols = solve(cost, k)
    assert sorted(zip(rows.tolist(), cols.tolist(), strict=True)) == [(0, 0), (1, 1)]


@pytest.mark.parametrize("k", [1, None])
def test_people_with_no_allowed_partner_are_left_out(k: int | None) -> None:
    cost = np.array([[INF, INF, INF], [INF, 3.0, INF], [INF, INF, INF]])
    rows, cols = solve(cost, k)
    assert list(zip(rows.tolist(), cols.tolist(), strict=True)) == [(1, 1)]


def random_matrices(count: int, seed: int = 7) -> list[np.ndarray]:
    """Seeded small matrices with 30% of pairs forbidden: varied enough that one candidate per row misses."""
    rng = np.random.default_rng(seed)
    found = []
    for _ in range(count):
        n, m = rng.integers(1, 6, size=2)
        cost = rng.integers(0, 1000, size=(n, m)).astype(np.float64)
        cost[rng.random((n, m)) < 0.3] = INF
        found.append(cost)
    return found


def test_pricing_finds_the_optimum_the_candidates_miss() -> None:
    # With one candidate per row and column, about one matrix in fifteen has its optimum outside the
    # candidate graph: only the dual-price check over the whole matrix brings those pairs in.
    for cost in random_matrices(300):
        rows, cols = solve(cost, 1)
        assert (len(rows), float(cost[rows, cols].sum())) == brute_force(cost), cost


def test_pair_count_is_proven_even_when_pricing_is_cut_short() -> None:
    # Above the exact limit pricing stops early; the augmenting-path search alone must then prove
    # that no pairing has more pairs.
    for cost in random_matrices(300, seed=11):
        found = assign(np.where(np.isfinite(cost), cost, FORBIDDEN).astype(np.int16), candidates=1, max_passes=1)
        assert len(found.rows) == found.maximum == most_pairs(np.isfinite(cost)), cost


def test_float_costs_are_refused() -> None:
    with pytest.raises(TypeError, match="whole numbers"):
        assign(np.zeros((2, 2)))
