"""Time the dense and the sparse assignment solvers on the same rounds; print a README table.

Run by hand (not part of the test suite):

    .venv/bin/python benchmarks/bench_solvers.py
    .venv/bin/python benchmarks/bench_solvers.py --sizes 1000 2000 --runs 5

Each size is generated once with a fixed seed by examples/generate_example.py (the same kind of
messy form export as the shipped example), validated with the example config, and turned into the
round's cost matrix exactly as `match_validated` does it (encode, PairSpace, cost_matrix). Both
solvers then run on that one matrix `--runs` times in this process; the table gives the median of
each, and checks that both found the same number of pairs and the same total cost. The dense
solver's float64 matrix of juniors x places is 8 bytes a cell; its size is shown so that memory can
be weighed beside time when choosing `solve.DENSE_MAX_CELLS`.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples"))

from generate_example import generate_rows, write_workbook  # noqa: E402

from mentormatch.config import load_config  # noqa: E402
from mentormatch.matching.dense import assign_dense  # noqa: E402
from mentormatch.matching.encoding import encode  # noqa: E402
from mentormatch.matching.pairspace import PairSpace  # noqa: E402
from mentormatch.matching.rules import do_not_match_pairs  # noqa: E402
from mentormatch.matching.cost_graph import Assignment  # noqa: E402
from mentormatch.matching.solve import DENSE_MAX_CELLS  # noqa: E402
from mentormatch.matching.solver import assign  # noqa: E402
from mentormatch.validation.checks import validate_file  # noqa: E402

SEED = 7
SIZES = (200, 500, 1000, 2000, 3000, 5000)


def round_costs(count: int, folder: Path) -> tuple[np.ndarray, np.ndarray]:
    """The cost matrix and senior capacities of a generated round of `count` applications."""
    path = write_workbook(generate_rows(count, SEED), folder / f"applications-{count}.xlsx")
    config = load_config(ROOT / "examples" / "mentormatch.toml")
    validation = validate_file(path, config)
    juniors = sorted(validation.juniors, key=lambda p: p.email)
    seniors = sorted(validation.seniors, key=lambda p: p.email)
    junior_side, senior_side = encode(juniors, seniors)
    space = PairSpace(junior_side, senior_side, config, do_not_match_pairs(junior_side, senior_side))
    return space.cost_matrix(), np.array([p.capacity for p in seniors], dtype=np.int64)


def timed(solve: Callable[[], Assignment], runs: int) -> tuple[float, Assignment]:
    """Median wall time of `runs` calls, and the last answer."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        found = solve()
        times.append(time.perf_counter() - started)
    return statistics.median(times), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    print(f"dense against sparse solver, {date.today()}, {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; medians of {args.runs} runs in one process; "
          f"DENSE_MAX_CELLS = {DENSE_MAX_CELLS:,}\n")
    print("| applicants | juniors x places | cells | dense matrix | pairs | dense s | sparse s | ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for count in args.sizes:
            cost, capacity = round_costs(count, Path(folder))
            places = int(capacity.sum())
            dense_s, dense = timed(lambda: assign_dense(cost, capacity), args.runs)  # noqa: B023
            sparse_s, sparse = timed(lambda: assign(cost, capacity), args.runs)  # noqa: B023
            totals = [int(cost[f.rows, f.cols].astype(np.int64).sum()) for f in (dense, sparse)]
            if dense.maximum != sparse.maximum or totals[0] != totals[1]:
                raise SystemExit(f"{count}: the solvers disagree: pairs {dense.maximum} and {sparse.maximum}, "
                                 f"total cost {totals[0]} and {totals[1]}")
            cells = cost.shape[0] * places
            print(f"| {count:,} | {cost.shape[0]:,} x {places:,} | {cells / 1e6:.2f} M | {cells * 8 / 1e6:,.0f} MB "
                  f"| {dense.maximum:,} | {dense_s:.3f} | {sparse_s:.3f} | {sparse_s / dense_s:.1f}x |", flush=True)


if __name__ == "__main__":
    main()
