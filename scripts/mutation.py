"""A small mutation run: does the test suite notice when one operator or constant of a module changes?

    python scripts/mutation.py src/mentormatch/round/rematch.py tests/test_rematch.py tests/test_round_trip.py

Each mutant changes one thing in the module: a comparison flipped (== and !=, < and <=, in and not in,
is and is not), `and` swapped with `or`, a `not` dropped, a small whole number (0, 1, 2) raised by
one, or True swapped with False. The tests given run against each mutant in a copy of the project (the
working files are never changed), stopping at the first failure, after checking that they pass
unmutated; a mutant no test notices is listed as surviving, with its line. Some survivors change nothing a user could see (an equivalent mutant):
read each one. Run by hand, not by CI: a module takes a few minutes to tens of minutes.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SWAPS = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
         ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
Site = tuple[str, int, int, int]  # (kind, line, the node's place in ast.walk order, operator index)


def sites(tree: ast.AST) -> list[Site]:
    """Every place one mutation can be made (each node apart, even when several share a line and column)."""
    found: list[Site] = []
    for at, node in enumerate(ast.walk(tree)):
        if isinstance(node, ast.Compare):
            found += [("compare", node.lineno, at, i) for i, op in enumerate(node.ops) if type(op) in SWAPS]
        elif isinstance(node, ast.BoolOp):
            found.append(("boolop", node.lineno, at, 0))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            found.append(("not", node.lineno, at, 0))
        elif isinstance(node, ast.Constant) and type(node.value) is int and node.value in (0, 1, 2):
            found.append(("int", node.lineno, at, 0))
        elif isinstance(node, ast.Constant) and type(node.value) is bool:
            found.append(("bool", node.lineno, at, 0))
    return found


class _Mutate(ast.NodeTransformer):
    """Apply one site's mutation to a tree (a fresh copy of the parsed module, so walk order is the same)."""

    def __init__(self, site: Site, tree: ast.AST) -> None:
        self.kind, _line, place, self.extra = site
        self.target = next(node for at, node in enumerate(ast.walk(tree)) if at == place)

    def generic_visit(self, node: ast.AST) -> ast.AST:
        if node is self.target:
            if isinstance(node, ast.Compare):
                node.ops[self.extra] = SWAPS[type(node.ops[self.extra])]()
            elif isinstance(node, ast.BoolOp):
                node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            elif isinstance(node, ast.UnaryOp):
                return super().generic_visit(node.operand)
            elif isinstance(node, ast.Constant):
                node.value = (not node.value) if self.kind == "bool" else node.value + 1
        return super().generic_visit(node)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", type=Path, help="the module to mutate, e.g. src/mentormatch/round/rematch.py")
    parser.add_argument("tests", nargs="+", help="the test files to run against each mutant")
    options = parser.parse_args()
    source = (ROOT / options.module).read_text(encoding="utf-8")
    tree = ast.parse(source)
    survivors = []
    with tempfile.TemporaryDirectory() as folder:
        copy_root = Path(folder)
        for part in ("src", "tests", "examples", "README.md", "pyproject.toml"):
            target = ROOT / part
            (shutil.copytree if target.is_dir() else shutil.copy)(target, copy_root / part)
        mutated_path = copy_root / options.module
        env = {**os.environ, "PYTHONPATH": str(copy_root / "src"), "ROUND_SEEDS": "3"}
        command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *options.tests]
        baseline = subprocess.run(command, cwd=copy_root, capture_output=True, text=True, env=env)
        if baseline.returncode != 0:  # a mutant "killed" by a test that fails anyway proves nothing
            raise SystemExit(f"The tests fail before any mutation; fix them first:\n{baseline.stdout[-3000:]}")
        found = sites(tree)
        for number, site in enumerate(found, start=1):
            fresh = copy.deepcopy(tree)
            mutated_path.write_text(ast.unparse(_Mutate(site, fresh).visit(fresh)), encoding="utf-8")
            started = time.perf_counter()
            run = subprocess.run(command, cwd=copy_root, capture_output=True, text=True, env=env)
            killed = run.returncode != 0
            print(f"{number}/{len(found)} {site[0]} at line {site[1]}: {'killed' if killed else 'SURVIVED'} "
                  f"({time.perf_counter() - started:.0f} s)", flush=True)
            if not killed:
                survivors.append(site)
        mutated_path.write_text(source, encoding="utf-8")
    print(f"{len(found) - len(survivors)} of {len(found)} mutants killed; surviving: "
          + (", ".join(f"{kind} at line {line}" for kind, line, _place, _extra in survivors) or "none"))


if __name__ == "__main__":
    main()
