"""Time `mentormatch match` end to end on generated rounds; print a Markdown table for the README.

Run by hand (not part of the test suite):

    .venv/bin/python benchmarks/bench_match.py                 # 200, 2,000 and 10,000 applicants
    .venv/bin/python benchmarks/bench_match.py --sizes 2000 --runs 5

Each size is generated once with a fixed seed by examples/generate_example.py (the same kind of
messy form export as the shipped example), then the whole command (reading, validating,
matching, explaining, writing the workbook) runs `--runs` times in a fresh process. The table
gives the median wall time, the peak memory of the slowest process, and the median time spent
in each stage as the library reports it (so the solver's share is visible).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
sys.path.insert(0, str(ROOT / "examples"))

from generate_example import generate_rows, write_workbook  # noqa: E402

STAGES_SCRIPT = """
import json, sys
from pathlib import Path
from mentormatch.config import load_config
from mentormatch.pipeline import run_matching
from mentormatch.report import write_pairings
result = run_matching(Path(sys.argv[1]), load_config(Path(sys.argv[2])))
write_pairings(Path(sys.argv[3]), result)
print(json.dumps({"pairs": len(result.pairings), "maximum": result.maximum_pairs, **result.timings}))
"""


def round_file(size: int, seed: int = 7) -> Path:
    """Generate (once) a round of `size` applicants."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"round-{size}.xlsx"
    if not path.exists():
        write_workbook(generate_rows(size, seed), path)
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


def main() -> None:
    """Benchmark each size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    config = ROOT / "examples" / "mentormatch.toml"
    print(f"`mentormatch match`, {date.today():%Y-%m-%d}, {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; median of {options.runs} runs\n")
    print("| applicants | pairs | end to end | peak memory | validate | rules + scores | solve | explain |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in options.sizes:
        path = round_file(size)
        output = DATA / f"round-{size}-pairings.xlsx"
        walls, peaks, stages = [], [], []
        for _ in range(options.runs):
            seconds, peak, stdout = run_once(
                [sys.executable, "-m", "mentormatch", "match", str(path), "--config", str(config), "-o", str(output)])
            walls.append(seconds)
            peaks.append(peak)
            stages.append(json.loads(run_once([sys.executable, "-c", STAGES_SCRIPT, str(path), str(config),
                                               str(output)])[2]))
        median = {key: statistics.median(s[key] for s in stages) for key in stages[0]}
        print(f"| {size:,} | {int(median['pairs']):,} | {statistics.median(walls):.2f} s | {max(peaks):,.0f} MB "
              f"| {median['Reading and validating applications']:.2f} s | {median['Applying the rules']:.2f} s "
              f"| {median['Finding the best pairings']:.2f} s | {median['Explaining the result']:.2f} s |")


if __name__ == "__main__":
    main()
