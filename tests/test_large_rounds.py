"""The sparse solver on rounds where its candidate graph is too small: it must still find the dense optimum.

`assign` starts from each person's few cheapest partners and has to prove, against the full cost matrix,
that no more pairs and no cheaper pairs exist. These tests make that proof do real work (one candidate
per person, decoy "popular" partners, optimal pairs far from the cheapest) and check the answer against
an independent dense oracle: scipy's linear_sum_assignment on the matrix with each column repeated
capacity times, forbidden pairs priced so high that avoiding one always beats any saving in cost.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

import mentormatch.matching.solver
from conftest import generated_round, kuhn, round_objective
from mentormatch.config import load_config
from mentormatch.matching.costs import FORBIDDEN
from mentormatch.matching.figures import round_figures
from mentormatch.matching.pipeline import run_matching
from mentormatch.matching.solver import Assignment, assign
from mentormatch.outputs.summary import summary_rows

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = settings(max_examples=300, deadline=None)


def allowed(cost: np.ndarray) -> np.ndarray:
    return cost < FORBIDDEN


def slots(cost: np.ndarray, capacity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Costs as float (inf = forbidden) with column c repeated capacity[c] times, and each slot's column."""
    owner = np.repeat(np.arange(cost.shape[1]), capacity)
    return np.where(allowed(cost), cost.astype(np.float64), np.inf)[:, owner], owner


def oracle(cost: np.ndarray, capacity: np.ndarray) -> tuple[int, int]:
    """(most pairs, least total cost with that many pairs), by one dense assignment of the slot matrix.

    The assignment pairs min(rows, slots) rows; a forbidden pair costs more than all allowed pairs
    together could, so the optimum uses as few forbidden pairs (as many allowed ones) as possible, and
    the least allowed cost among those. Forbidden pairs are then dropped from the count.
    """
    expanded, _owner = slots(cost, capacity)
    if expanded.size == 0:
        return 0, 0
    finite = np.isfinite(expanded)
    big = (float(expanded[finite].max(initial=0.0)) + 1.0) * min(expanded.shape) + 1.0
    rows, cols = linear_sum_assignment(np.where(finite, expanded, big))
    ok = finite[rows, cols]
    return int(ok.sum()), int(expanded[rows[ok], cols[ok]].sum())


def slot_kuhn(cost: np.ndarray, capacity: np.ndarray) -> int:
    """Most pairs by augmenting paths on the slot-expanded feasibility: a second, unrelated oracle."""
    expanded, _owner = slots(cost, capacity)
    return kuhn([np.flatnonzero(np.isfinite(row)).tolist() for row in expanded], expanded.shape[1])


def total(cost: np.ndarray, found: Assignment) -> int:
    return int(cost[found.rows, found.cols].astype(np.int64).sum())


def check_valid(cost: np.ndarray, capacity: np.ndarray, found: Assignment) -> None:
    """No forbidden pair, each row at most once, each column at most its capacity, maximum reported."""
    assert len(found.rows) == len(found.cols) == found.maximum
    assert allowed(cost)[found.rows, found.cols].all()
    assert len(set(found.rows.tolist())) == len(found.rows)
    assert (np.bincount(found.cols, minlength=cost.shape[1]) <= capacity).all()


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Small int16 costs (FORBIDDEN where not allowed), few or many ties, capacities 0..3."""
    n, m = draw(st.integers(0, 7)), draw(st.integers(0, 6))
    top = draw(st.sampled_from([2, 1000]))  # 2: many exact ties; 1000: few
    p_forbidden = draw(st.sampled_from([0.0, 0.3, 0.7]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    cost = rng.integers(0, top + 1, size=(n, m))
    forbidden = rng.random((n, m)) < p_forbidden
    matrix = np.where(forbidden, FORBIDDEN, cost).astype(np.int16)
    capacity = np.array(draw(st.lists(st.integers(0, 3), min_size=m, max_size=m)), dtype=np.int64)
    return matrix, capacity


@SETTINGS
@given(problems(), st.sampled_from([1, 2, 3]))
def test_small_candidate_graphs_give_the_dense_optimum(problem: tuple[np.ndarray, np.ndarray], k: int) -> None:
    cost, capacity = problem
    found = assign(cost, capacity, candidates=k)
    check_valid(cost, capacity, found)
    assert found.maximum == slot_kuhn(cost, capacity)
    assert (found.maximum, total(cost, found)) == oracle(cost, capacity)


@SETTINGS
@given(problems(), st.integers(0, 2**16), st.integers(0, 2**16))
def test_seeds_and_candidate_counts_never_change_the_optimum(problem: tuple[np.ndarray, np.ndarray],
                                                             seed: int, other: int) -> None:
    cost, capacity = problem
    plain = assign(cost, capacity)
    best = (plain.maximum, total(cost, plain))
    for found in (assign(cost, capacity, seed=seed), assign(cost, capacity, seed=other, candidates=1),
                  assign(cost, capacity, seed=seed, candidates=2)):
        check_valid(cost, capacity, found)
        assert (found.maximum, total(cost, found)) == best
    again, first = assign(cost, capacity, seed=seed), assign(cost, capacity, seed=seed)
    np.testing.assert_array_equal(again.rows, first.rows)
    np.testing.assert_array_equal(again.cols, first.cols)


def decoy_round(n: int, popular: int, seed: int) -> np.ndarray:
    """Everyone's cheapest partners are the same `popular` seniors, and every senior's cheapest
    juniors the same `popular` juniors; pairing everyone needs the dear pairs among the rest.

    The rest are allowed sparsely, around a hidden perfect matching, so that a maximum exists only
    through pairs no candidate list holds.
    """
    rng = np.random.default_rng(seed)
    cost = np.full((n, n), FORBIDDEN, dtype=np.int16)
    dear = rng.integers(500, 1000, size=(n, n)).astype(np.int16)
    hidden = rng.permutation(n)
    sparse = rng.random((n, n)) < 0.02
    sparse[np.arange(n), hidden] = True
    cost[sparse] = dear[sparse]
    cost[:, :popular] = rng.integers(0, 5, size=(n, popular))  # every junior's favourites
    cost[:popular, :] = rng.integers(5, 10, size=(popular, n))  # every senior's favourites
    return cost


@pytest.mark.parametrize(("n", "k", "popular"), [(300, 3, 3), (1000, None, 30)])  # None: default CANDIDATES
def test_decoy_favourites_do_not_cost_anyone_a_partner(n: int, k: int | None, popular: int) -> None:
    cost = decoy_round(n, popular, seed=5)
    capacity = np.ones(n, dtype=np.int64)
    solver = mentormatch.matching.solver
    assert popular >= (k or max(solver.CANDIDATES, solver.CANDIDATES_PROVEN))  # no candidate list reaches past the decoys
    found = assign(cost, capacity, candidates=k)
    check_valid(cost, capacity, found)
    assert found.maximum == n == len(set(found.cols.tolist()))
    # Every first candidate touches a popular junior or senior, so they hold at most 2 * popular pairs; the rest of
    # everyone's partners are dear pairs that only the search over the full matrix can have found.
    assert (cost[found.rows, found.cols] >= 500).sum() >= n - 2 * popular
    assert (found.maximum, total(cost, found)) == oracle(cost, capacity)
    assert found.candidate_pairs < n * n // 10  # solved on a sparse graph, not the full matrix


def test_pricing_finds_optimal_pairs_outside_the_first_candidates() -> None:
    # Two cheap shifts compete to be favourites (junior i with senior i+1, senior j with junior j+2), a
    # third (i+7) is a little dearer and nobody's favourite, the rest are dear. The cheapest way to pair
    # all 40 mixes the shifts; one favourite per person cannot even pair everyone, so the solver has to
    # search, and then price, its way to pairs that were in no one's first choice.
    n = 40
    rng = np.random.default_rng(11)
    cost = (rng.permutation(n * n).reshape(n, n) % 997 + 200).astype(np.int16)
    idx = np.arange(n)
    cost[idx, (idx + 1) % n] = rng.integers(0, 50, size=n)
    cost[(idx + 2) % n, idx] = rng.integers(0, 50, size=n)
    cost[idx, (idx + 7) % n] = rng.integers(60, 70, size=n)
    capacity = np.ones(n, dtype=np.int64)
    first = np.zeros((n, n), dtype=bool)
    first[idx, np.argmin(cost, axis=1)] = first[np.argmin(cost, axis=0), idx] = True
    best = oracle(cost, capacity)
    assert best[0] == n
    assert oracle(np.where(first, cost, FORBIDDEN).astype(np.int16), capacity)[0] < n
    found = assign(cost, capacity, candidates=1)
    check_valid(cost, capacity, found)
    assert (found.maximum, total(cost, found)) == best
    assert not first[found.rows, found.cols].all()
    assert found.pricing_passes > 1
    assert found.candidate_pairs < n * n // 4



@SETTINGS
@given(problems(), st.sampled_from([1, 2]))
def test_bounded_pricing_keeps_the_most_pairs_and_bounds_what_it_gives_up(
        problem: tuple[np.ndarray, np.ndarray], passes: int) -> None:
    # Above EXACT_CELLS pricing stops after a few passes: the pair count must still be the maximum,
    # and the reported gap must be at least what the stopped solution really gives up.
    cost, capacity = problem
    found = assign(cost, capacity, candidates=1, max_passes=passes)
    check_valid(cost, capacity, found)
    most, least = oracle(cost, capacity)
    assert found.maximum == len(found.rows) == most
    assert found.gap >= total(cost, found) - least >= 0
    if found.gap == 0:
        assert total(cost, found) == least


def test_large_rounds_report_the_bound_in_the_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = generated_round(tmp_path / "applications.xlsx", 300, 5)
    config = load_config(ROOT / "examples" / "mentormatch.toml")
    exact = run_matching(path, config, solver="sparse")
    monkeypatch.setattr(mentormatch.matching.solver, "EXACT_CELLS", 0)  # treat the round as a huge one
    monkeypatch.setattr(mentormatch.matching.solver, "BOUNDED_PASSES", 1)
    monkeypatch.setattr(mentormatch.matching.solver, "CANDIDATES", 1)
    bounded = run_matching(path, config, solver="sparse")
    assert len(bounded.pairings) == bounded.maximum_pairs == exact.maximum_pairs
    assert exact.score_gap == 0
    given_up = sum(p.score for p in exact.pairings) - sum(p.score for p in bounded.pairings)
    assert bounded.score_gap > 0 and bounded.score_gap >= given_up - len(exact.pairings)  # scores are rounded
    rows = dict(summary_rows(round_figures(bounded)))
    assert rows["Average score could be higher by at most"] == round(bounded.score_gap / len(bounded.pairings), 2)
    assert "Average score could be higher by at most" not in dict(summary_rows(round_figures(exact)))


@pytest.mark.parametrize("seed", [3, 2026])
def test_whole_round_is_the_same_on_one_candidate_per_person(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              seed: int) -> None:
    count = 300
    path = generated_round(tmp_path / "applications.xlsx", count, seed)
    config = load_config(ROOT / "examples" / "mentormatch.toml")
    found: list[Assignment] = []
    sparse = mentormatch.matching.solver.assign

    def spy(*args: Any, **kwargs: Any) -> Assignment:
        found.append(sparse(*args, **kwargs))
        return found[-1]

    monkeypatch.setattr(mentormatch.matching.solver, "assign", spy)
    normal = round_objective(run_matching(path, config, solver="sparse"), count)
    monkeypatch.setattr(mentormatch.matching.solver, "CANDIDATES_PROVEN", 1)  # the round is proven: these are used
    narrow = round_objective(run_matching(path, config, solver="sparse"), count)
    assert normal[0] > 100  # a real round, not an empty one
    assert narrow == normal
    assert found[1].candidate_pairs < found[0].candidate_pairs  # the narrow run really was narrower
    assert found[1].pricing_passes > 1
