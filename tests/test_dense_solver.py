"""The dense solver (scipy's linear_sum_assignment on the whole juniors x places matrix) against the sparse one.

Both must solve the same problem: never a forbidden pair, no column over its places, the most pairs, then
the least total cost. The sparse solver is checked against independent oracles in test_solver.py and
test_large_rounds.py; here the dense one must agree with it on every matrix, through whole rounds with
locked pairs, under --seed, and from the command line; and "auto" must really run the dense one.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import mentormatch.matching.dense
import mentormatch.matching.solve
import mentormatch.matching.solver
from conftest import (
    exited_cleanly,
    generated_round,
    junior_row,
    read_sheet,
    round_objective,
    senior_row,
)
from mentormatch.cli.app import app
from mentormatch.config import build_config, load_config
from mentormatch.matching.costs import FORBIDDEN
from mentormatch.matching.dense import assign_dense
from mentormatch.matching.pipeline import run_matching
from mentormatch.matching.solve import solve_round
from mentormatch.matching.solver import Assignment, assign

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = settings(max_examples=300, deadline=None)
DEFAULT = build_config({})
MakeWorkbook = Callable[..., Path]
F = FORBIDDEN


# --- (a) the two solvers on random matrices -------------------------------------------------------

@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray | None]:
    """Small int16 costs (FORBIDDEN where not allowed), few or many exact ties, capacities 0..3 or none."""
    n, m = draw(st.integers(0, 8)), draw(st.integers(0, 7))
    top = draw(st.sampled_from([0, 2, 1000]))  # 0 and 2: many exact ties; 1000: few
    p_forbidden = draw(st.sampled_from([0.0, 0.3, 0.7, 1.0]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    cost = np.where(rng.random((n, m)) < p_forbidden, FORBIDDEN, rng.integers(0, top + 1, size=(n, m)))
    capacity = draw(st.none() | st.lists(st.integers(0, 3), min_size=m, max_size=m))
    return cost.astype(np.int16), None if capacity is None else np.array(capacity, dtype=np.int64)


def check_valid(cost: np.ndarray, capacity: np.ndarray | None, found: Assignment) -> tuple[int, int]:
    """No forbidden pair, each row once, each column within its places; returns (pairs, total cost)."""
    places = np.ones(cost.shape[1], dtype=np.int64) if capacity is None else capacity
    assert len(found.rows) == len(found.cols) == found.maximum
    assert (cost[found.rows, found.cols] < FORBIDDEN).all()
    assert len(set(found.rows.tolist())) == len(found.rows)
    assert (np.bincount(found.cols, minlength=cost.shape[1]) <= places).all()
    return found.maximum, int(cost[found.rows, found.cols].astype(np.int64).sum())


# Row 0 is cheapest with column 0, but row 1 fits column 0 only: the most pairs need the dear pairs.
BLOCKING = np.array([[0, 1000], [1000, F]], dtype=np.int16)
# Two places in column 0 and nowhere else to go: a solver that gave each column one place makes 1 pair.
SHARED = np.array([[5, F], [7, F], [9, 0]], dtype=np.int16)


@SETTINGS
@given(problems(), st.none() | st.integers(0, 2**16))
@example((BLOCKING, None), None)
@example((SHARED, np.array([2, 0])), None)
@example((np.empty((0, 0), dtype=np.int16), None), 1)
@example((np.empty((0, 3), dtype=np.int16), np.array([1, 2, 0])), None)
@example((np.zeros((3, 0), dtype=np.int16), np.empty(0, dtype=np.int64)), None)
@example((np.zeros((3, 2), dtype=np.int16), np.array([0, 0])), 5)
def test_dense_and_sparse_make_as_many_pairs_at_the_same_total_cost(
        problem: tuple[np.ndarray, np.ndarray | None], seed: int | None) -> None:
    cost, capacity = problem
    before = cost.copy()
    dense = assign_dense(cost, capacity, seed=seed)
    sparse = assign(cost, capacity, seed=seed)
    assert check_valid(cost, capacity, dense) == check_valid(cost, capacity, sparse)
    assert (dense.solver, sparse.solver) == ("dense", "sparse")
    np.testing.assert_array_equal(cost, before)


def test_the_dense_solver_takes_the_most_pairs_before_the_cheapest() -> None:
    found = assign_dense(BLOCKING)
    assert (found.rows.tolist(), found.cols.tolist()) == ([0, 1], [1, 0])
    found = assign_dense(SHARED, np.array([2, 0]))
    assert (found.rows.tolist(), found.cols.tolist()) == ([0, 1], [0, 0])


def test_the_dense_solver_refuses_float_costs_and_the_dispatcher_unknown_solvers() -> None:
    with pytest.raises(TypeError, match="whole numbers"):
        assign_dense(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="dense, sparse"):
        solve_round(np.zeros((2, 2), dtype=np.int16), solver="hungarian")


def test_auto_is_dense_up_to_the_limit_and_sparse_above(monkeypatch: pytest.MonkeyPatch) -> None:
    cost, capacity = np.zeros((4, 3), dtype=np.int16), np.array([1, 2, 1])  # 4 x 4 places = 16 cells
    monkeypatch.setattr(mentormatch.matching.solve, "DENSE_MAX_CELLS", 16)
    assert solve_round(cost, capacity).solver == "dense"
    assert solve_round(cost, capacity, solver="sparse").solver == "sparse"
    monkeypatch.setattr(mentormatch.matching.solve, "DENSE_MAX_CELLS", 15)
    assert solve_round(cost, capacity).solver == "sparse"
    assert solve_round(cost, capacity, solver="dense").solver == "dense"


# --- whole rounds ------------------------------------------------------------------------------------

def random_round(seed: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Juniors and seniors of mixed grades, departments, professions, aims and capacities."""
    rng = random.Random(seed)
    aims = ("Leadership", "Wellbeing", "Coaching", "Networking", "Influencing")

    def some_aims() -> str:
        return "; ".join(rng.sample(aims, rng.randint(0, 3)))

    juniors = [junior_row(Grade=rng.choice(["EO", "HEO", "SEO", "Grade 7"]),
                          Department=rng.choice(["DfT", "HMT", "DWP", "ONS"]),
                          Profession=rng.choice(["GSS", "GES", "GSR", "GORS"]), **{"Development aims": some_aims()})
               for _ in range(14)]
    seniors = [senior_row(Grade=rng.choice(["Grade 7", "Grade 6", "Deputy Director"]),
                          Department=rng.choice(["DfT", "HMT", "DWP", "ONS"]),
                          Profession=rng.choice(["GSS", "GES", "GSR", "GORS"]), Capacity=rng.randint(1, 3),
                          **{"Development aims": some_aims()})
               for _ in range(6)]
    return juniors, seniors


@pytest.mark.parametrize("seed", range(6))
def test_whole_rounds_with_locked_pairs_agree(make_workbook: MakeWorkbook, tmp_path: Path, seed: int) -> None:
    # Locks use up their seniors' places and take their juniors out of the solve: the dense solver gets
    # the same reduced places and all-forbidden rows as the sparse one, and must agree with it.
    juniors, seniors = random_round(seed)
    path = make_workbook([*juniors, *seniors])
    lock = tmp_path / "lock.csv"
    lock.write_text("".join(f"{j['Email']},{s['Email']}\n" for j, s in zip(juniors[:2], seniors[:2], strict=True)),
                    encoding="utf-8")
    dense = run_matching(path, DEFAULT, lock=lock, solver="dense")
    sparse = run_matching(path, DEFAULT, lock=lock, solver="sparse")
    assert (dense.solver, sparse.solver) == ("dense", "sparse")
    locked = {(p.junior.email, p.senior.email) for p in dense.pairings if p.locked}
    assert locked == {(p.junior.email, p.senior.email) for p in sparse.pairings if p.locked}
    assert len(locked) == 2
    assert round_objective(dense) == round_objective(sparse)
    assert round_objective(dense)[0] > 4  # a real round, not an empty one


@pytest.mark.parametrize("solver", ["dense", "sparse"])
def test_seed_picks_among_equally_good_pairings(make_workbook: MakeWorkbook, solver: str) -> None:
    # Six juniors alike in every way and four seniors alike in every way but capacity: every pairing of
    # five is equally good, so only the seed decides who is paired with whom, and who waits.
    juniors = [junior_row(Grade="HEO", Department="DfT", Profession="GSR") for _ in range(6)]
    seniors = [senior_row(Grade="Grade 6", Department="HMT", Profession="GES", Capacity=c) for c in (2, 1, 1, 1)]
    path = make_workbook([*juniors, *seniors])
    pairings = set()
    for seed in range(12):
        result = run_matching(path, DEFAULT, seed=seed, solver=solver)
        assert result.solver == solver
        assert (len(result.pairings), sum(p.score for p in result.pairings)) == (5, 5 * result.pairings[0].score)
        found = frozenset((p.junior.email, p.senior.email) for p in result.pairings)
        pairings.add(found)
        again = run_matching(path, DEFAULT, seed=seed, solver=solver)
        assert frozenset((p.junior.email, p.senior.email) for p in again.pairings) == found  # reproducible
    assert len(pairings) > 3


def test_auto_solves_a_300_applicant_round_densely_and_as_well(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = generated_round(tmp_path / "applications.xlsx", 300, 5)
    config = load_config(ROOT / "examples" / "mentormatch.toml")
    calls: list[tuple[int, ...]] = []
    solve = mentormatch.matching.dense.linear_sum_assignment()

    def spy(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        calls.append(matrix.shape)
        return solve(matrix)

    monkeypatch.setattr(mentormatch.matching.dense, "linear_sum_assignment", lambda: spy)
    auto = run_matching(path, config, solver="auto")
    assert auto.solver == "dense" and len(calls) == 1
    sparse = run_matching(path, config, solver="sparse")
    assert sparse.solver == "sparse" and len(calls) == 1
    assert round_objective(auto) == round_objective(sparse)
    assert round_objective(auto)[0] > 100  # a real round, not an empty one
    assert sum(p.score for p in auto.pairings) == pytest.approx(sum(p.score for p in sparse.pairings),
                                                                abs=len(auto.pairings) / 2)  # scores are rounded
    monkeypatch.setattr(mentormatch.matching.solve, "DENSE_MAX_CELLS", 0)  # now the round counts as large
    assert run_matching(path, config).solver == "sparse" and len(calls) == 1


# --- (e) the command line ----------------------------------------------------------------------------

@pytest.mark.parametrize(("given_", "ran"), [("dense", "dense"), ("sparse", "sparse"), ("auto", "dense"), (None, "dense")])
def test_match_takes_a_solver_and_records_it(make_workbook: MakeWorkbook, given_: str | None, ran: str) -> None:
    path = make_workbook([junior_row(Grade="HEO"), junior_row(Grade="SEO"), senior_row(Grade="Grade 6", Capacity=2)])
    output = path.with_name("out.xlsx")
    result = CliRunner().invoke(app, ["match", str(path), "-o", str(output),
                                      *(["--solver", given_] if given_ else [])])
    assert result.exit_code == 0 and exited_cleanly(result), result.output
    assert len(read_sheet(output, "Pairings")) == 2
    assert {row["Setting"]: row["Value"] for row in read_sheet(output, "Settings")}["Solver"] == ran


def test_match_refuses_an_unknown_solver(make_workbook: MakeWorkbook) -> None:
    path = make_workbook([junior_row(), senior_row()])
    result = CliRunner().invoke(app, ["match", str(path), "--solver", "hungarian"], env={"COLUMNS": "200"})
    assert result.exit_code == 2 and exited_cleanly(result)
    assert "--solver" in result.output and not path.with_name("applications-pairings.xlsx").exists()


def test_a_forced_dense_solve_too_big_for_memory_is_refused(make_workbook: MakeWorkbook,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mentormatch.matching.solve, "DENSE_REFUSE_CELLS", 1)
    path = make_workbook([junior_row(), senior_row(), senior_row(Department="DWP")])
    result = CliRunner().invoke(app, ["match", str(path), "--solver", "dense"], env={"COLUMNS": "200"})
    assert result.exit_code == 1 and exited_cleanly(result) and "--solver sparse" in result.output
    assert CliRunner().invoke(app, ["match", str(path)]).exit_code == 0  # auto is never refused


def test_the_dense_solver_is_scipys_linear_sum_assignment_without_the_rest_of_scipy_optimize(tmp_path):
    """A small round pays for scipy's assignment solver only: `scipy.optimize` (linprog, linalg, fft…) stays
    unimported, and the function loaded is the very one `scipy.optimize` exports."""
    import subprocess
    import sys

    from conftest import ROOT

    code = ("import sys, numpy as np; from mentormatch.matching.dense import linear_sum_assignment as f; "
            "rows, cols = f()(np.array([[4, 1, 3], [2, 0, 5], [3, 2, 2]])); "
            "print('scipy.optimize' in sys.modules, cols.tolist()); "
            "import scipy.optimize as so; print(so.linear_sum_assignment.__doc__ == f().__doc__)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.split("\n")[:2] == ["False [1, 0, 2]", "True"]
    rng = np.random.default_rng(7)
    from scipy.optimize import linear_sum_assignment as packaged

    from mentormatch.matching.dense import linear_sum_assignment

    for _ in range(20):
        cost = rng.integers(0, 100, size=(rng.integers(1, 9), rng.integers(1, 9)))
        ours, theirs = linear_sum_assignment()(cost), packaged(cost)
        assert cost[ours].sum() == cost[theirs].sum()
