"""Time `mentormatch match` end to end on generated rounds, beside mentor-match 7.0.1; print a README table.

Run by hand (not part of the test suite):

    .venv/bin/python benchmarks/bench_match.py                          # 2k, 10k, 20k and 100k
    .venv/bin/python benchmarks/bench_match.py --sizes 2000 10000 --runs 5

Each size is generated once with a fixed seed by examples/generate_example.py (the same kind of
messy form export as the shipped example). Then, each in a fresh process:

* the whole command (start-up, reading, validating, scoring, solving, explaining, writing the
  workbook) runs `--runs` times; the table gives the median wall time and the largest peak
  memory (resident set size of the process);
* once more through the library, to split the time into stages: "solve" is the bare assignment
  solver on the round's cost matrix; "reading to writing, outside the solve" is the rest of that
  run (reading, validating, building costs, explaining, writing the workbook); "start-up and exit"
  is the rest of that process (starting Python, importing numpy, scipy, pydantic, and exiting);
* mentor-match 7.0.1, installed into a throwaway venv (it is not a dependency of mentormatch), on
  the same rows at the sizes in `--mentor-match-sizes`, with a time limit; its median over
  `--mentor-match-runs` runs and the ratio to mentormatch's median.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
sys.path.insert(0, str(ROOT / "examples"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import mentor_match_adapter as mentor_match  # noqa: E402
from generate_example import generate_rows, write_workbook  # noqa: E402

SEED = 7
STAGES_SCRIPT = """
import json, sys, time
from pathlib import Path
from mentormatch.config import load_config
from mentormatch.matching.pipeline import run_matching
from mentormatch.outputs.sheets import write_pairings
started = time.perf_counter()
result = run_matching(Path(sys.argv[1]), load_config(Path(sys.argv[2])))
write_pairings(Path(sys.argv[3]), result)
print(json.dumps({"pairs": len(result.pairings), "maximum": result.maximum_pairs,
                  "total": time.perf_counter() - started, **result.timings}))
"""
SOLVE = "Finding the best pairings"


def round_file(size: int) -> Path:
    """Generate (once) a round of `size` applicants."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"round-{size}.xlsx"
    if not path.exists():
        write_workbook(generate_rows(size, SEED), path)
    return path


def run_once(args: list[str]) -> tuple[float, float, str]:
    """Run a command in a fresh process; return (seconds, peak MB, stdout)."""
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    stdout = process.stdout.read() if process.stdout else ""
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed")
    return seconds, usage.ru_maxrss / 1024, stdout


def mentor_match_median(size: int, runs: int, timeout: float, venv: Path) -> float | None:
    """Median seconds of mentor-match on the same rows, or None if it does not finish within `timeout`."""
    python = mentor_match.ensure_venv(venv)
    with tempfile.TemporaryDirectory() as folder:
        mentor_match.convert(generate_rows(size, SEED), folder)
        times = []
        for _ in range(runs):
            found = mentor_match.time_run(python, folder, timeout)
            if found is None:
                return None
            times.append(found[0])
    return statistics.median(times)


def main() -> None:
    """Benchmark each size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000, 20000, 100000])
    parser.add_argument("--runs", type=int, default=5, help="runs of the whole command per size")
    parser.add_argument("--max-runs-above", type=int, default=None,
                        help="sizes above this run the whole command once, for a quicker look (a 100k round "
                             "takes minutes); by default every size runs --runs times")
    parser.add_argument("--mentor-match-sizes", type=int, nargs="*", default=[2000])
    parser.add_argument("--mentor-match-runs", type=int, default=3)
    parser.add_argument("--mentor-match-timeout", type=float, default=600)
    parser.add_argument("--venv", type=Path, default=Path(tempfile.gettempdir()) / f"mentor-match-{mentor_match.VERSION}")
    options = parser.parse_args()
    config = ROOT / "examples" / "mentormatch.toml"
    limit = options.max_runs_above
    lines = [f"`mentormatch match`, {date.today():%Y-%m-%d}, {platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}; medians of {options.runs} runs"
             + (f" (one run above {limit:,} applicants)" if limit is not None else ""), "",
             "| applicants | pairs (= maximum) | end to end | peak memory | validate | score | solve | "
             "reading to writing, outside the solve | start-up and exit | mentor-match 7.0.1 | ratio |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size in options.sizes:
        path = round_file(size)
        output = DATA / f"round-{size}-pairings.xlsx"
        runs = options.runs if limit is None or size <= limit else 1
        walls, peaks = [], []
        for _ in range(runs):
            seconds, peak, _stdout = run_once(
                [sys.executable, "-m", "mentormatch", "match", str(path), "--config", str(config), "-o", str(output)])
            walls.append(seconds)
            peaks.append(peak)
        process, _peak, stdout = run_once([sys.executable, "-c", STAGES_SCRIPT, str(path), str(config), str(output)])
        stages = json.loads(stdout)
        wall = statistics.median(walls)
        theirs, ratio = "not run", ""
        if size in options.mentor_match_sizes:
            found = mentor_match_median(size, options.mentor_match_runs, options.mentor_match_timeout, options.venv)
            theirs = f"{found:.1f} s" if found is not None else f"over {options.mentor_match_timeout:.0f} s"
            ratio = f"{(found or options.mentor_match_timeout) / wall:.0f}x" + ("" if found is not None else "+")
        pairs = f"{stages['pairs']:,}" + ("" if stages["pairs"] == stages["maximum"] else f" (max {stages['maximum']:,})")
        lines.append(f"| {size:,} | {pairs} | {wall:.2f} s | {max(peaks):,.0f} MB "
                     f"| {stages['Reading and validating applications']:.2f} s | {stages['Scoring every allowed pair']:.2f} s "
                     f"| {stages[SOLVE]:.2f} s | {stages['total'] - stages[SOLVE]:.2f} s "
                     f"| {process - stages['total']:.2f} s | {theirs} | {ratio} |")
        print(lines[-1], file=sys.stderr, flush=True)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
