"""How long the certified sparse solver takes to prove a large round's pairing optimal (run by hand).

Above about 20,000 applicants `match` stops pricing after a few passes and states a proven bound
("Average score could be higher by at most …"). This script runs one round's match with pricing
left unbounded, so the bound reaches 0, and prints the passes, the time and the peak memory:

    .venv/bin/python benchmarks/bench_proof.py --size 100000

The round is generated as `bench_match.py` generates it (same seed), and cached in benchmarks/data.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_match  # noqa: E402

from mentormatch.config import load_config  # noqa: E402
from mentormatch.matching import solver  # noqa: E402
from mentormatch.matching.pipeline import run_matching  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()
    path = bench_match.round_file(args.size)
    config = load_config(ROOT / "examples" / "mentormatch.toml")
    solver.BOUNDED_PASSES = 0  # 0: no limit on the pricing passes, so the score is proven optimal
    passes: list[int] = []
    original = solver.assign

    def counted(*a: object, **k: object) -> object:
        made = original(*a, **k)  # type: ignore[arg-type]
        passes.append(made.pricing_passes)  # type: ignore[attr-defined]
        return made

    solver.assign = counted  # type: ignore[assignment]
    started = time.perf_counter()
    result = run_matching(path, config, solver="sparse")
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"applicants": args.size, "pairs": len(result.pairings), "score_gap": result.score_gap,
                      "passes": passes, "seconds": round(seconds, 1), "peak_mb": round(peak),
                      "solve_seconds": round(result.timings.get(bench_match.SOLVE, 0.0), 1)}))


if __name__ == "__main__":
    main()
