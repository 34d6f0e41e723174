"""Shared fixtures: workbooks written from dicts, and row factories that give valid applications."""

from __future__ import annotations

import csv
import importlib.util
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import Result

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_HEADERS = ("Email", "Name", "Role", "Grade", "Department", "Profession", "Barriers",
                    "Expression of interest", "Development aims", "Networks", "Capacity",
                    "Do not match with", "Submitted")
_serial = count(1)


def kuhn(adjacent: list[list[int]], n_right: int) -> int:
    """Maximum-cardinality bipartite matching by augmenting paths (Kuhn's algorithm).

    An oracle independent of the solver: tests compare the tool's pair counts with it.
    """
    owner = [-1] * n_right

    def augment(r: int, seen: set[int]) -> bool:
        for c in adjacent[r]:
            if c not in seen:
                seen.add(c)
                if owner[c] == -1 or augment(owner[c], seen):
                    owner[c] = r
                    return True
        return False

    return sum(augment(r, set()) for r in range(len(adjacent)))


@dataclass(frozen=True)
class HardRules:
    """The round's hard rules as the tests state them (the programme's defaults unless given)."""

    min_gap: int = 2  # grades between junior and senior, at least
    max_gap: int = 0  # at most; 0 is no upper limit
    department: str = "hard"  # "hard", "prefer" or "ignore"
    profession: str = "hard"


@dataclass(frozen=True)
class Facts:
    """What the oracle knows of one applicant: the facts a test generated, never what the tool read."""

    email: str
    rank: int  # a grade's place in the ladder, as the test numbers it (two grades apart: 2)
    department: str
    professions: frozenset[str]
    avoid: frozenset[str] = frozenset()  # the emails of their do-not-match answer


def allowed(junior: Facts, senior: Facts, rules: HardRules = HardRules(),
            do_not_match: Collection[tuple[str, str]] = ()) -> bool:
    """The one test oracle of the hard rules: grade gap, department, profession, do-not-match both ways."""
    gap = senior.rank - junior.rank
    return (gap >= rules.min_gap and (not rules.max_gap or gap <= rules.max_gap)
            and (rules.department != "hard" or junior.department != senior.department)
            and (rules.profession != "hard" or not junior.professions & senior.professions)
            and senior.email not in junior.avoid and junior.email not in senior.avoid
            and (junior.email, senior.email) not in do_not_match)


def most_pairs(juniors: Sequence[Facts], places: Sequence[Facts], rules: HardRules = HardRules(),
               do_not_match: Collection[tuple[str, str]] = ()) -> int:
    """The largest number of pairs the hard rules allow; a senior appears in `places` once per place."""
    return kuhn([[k for k, s in enumerate(places) if allowed(j, s, rules, do_not_match)] for j in juniors],
                len(places))


def junior_row(**overrides: Any) -> dict[str, Any]:
    """A valid junior application in the template's headers; override one thing to break it."""
    n = next(_serial)
    row = {"Email": f"junior{n}@example.gov.uk", "Name": f"Junior {n}", "Role": "Junior partner",
           "Grade": "HEO", "Department": "DfT", "Profession": "GSR", "Barriers": "Yes",
           "Expression of interest": "I would like to learn how senior leaders make decisions.",
           "Development aims": "Leadership; Wellbeing", "Networks": "Race to the Top", "Capacity": "",
           "Do not match with": "", "Submitted": ""}
    row.update(overrides)
    return row


def senior_row(**overrides: Any) -> dict[str, Any]:
    """A valid senior application in the template's headers; override one thing to break it."""
    n = next(_serial)
    row = {"Email": f"senior{n}@example.gov.uk", "Name": f"Senior {n}", "Role": "Senior partner",
           "Grade": "Grade 7", "Department": "HMT", "Profession": "GES", "Barriers": "No",
           "Expression of interest": "Happy to share what I have learnt and to learn in return.",
           "Development aims": "Leadership", "Networks": "Race to the Top", "Capacity": 1,
           "Do not match with": "", "Submitted": ""}
    row.update(overrides)
    return row


def write_rows(path: Path, rows: Sequence[dict[str, Any]], headers: Sequence[str] | None = None,
               *, title_rows: Sequence[Sequence[Any]] = (), sheet: str = "Applications") -> Path:
    """Write rows (dicts keyed by header) to .xlsx or .csv, by the path's suffix."""
    headers = list(headers or (rows[0].keys() if rows else TEMPLATE_HEADERS))
    table = [*map(list, title_rows), headers, *[[row.get(h, "") for h in headers] for row in rows]]
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8-sig") as handle:
            csv.writer(handle).writerows(table)
        return path
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for line in table:
        ws.append(line)
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # form exports hold typed text, not formulas
    book.save(path)
    return path


@pytest.fixture
def make_workbook(tmp_path: Path) -> Callable[..., Path]:
    """make_workbook(rows, name="applications.xlsx", headers=None, title_rows=()) -> path."""

    def make(rows: Sequence[dict[str, Any]], name: str = "applications.xlsx", **kwargs: Any) -> Path:
        return write_rows(tmp_path / name, rows, **kwargs)

    return make


def read_sheet(path: Path, sheet: str) -> list[dict[str, Any]]:
    """Read a written sheet back as dicts keyed by its header row."""
    ws = openpyxl.load_workbook(path)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def read_table(path: Path, sheet: str) -> list[dict[str, Any]]:
    """Read a table of the board workbook (title, notes and source above it) as dicts keyed by its header row:
    the first row with more than one cell filled."""
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    top = next((i for i, row in enumerate(rows) if sum(v is not None for v in row) > 1), 0)
    return [dict(zip(rows[top], row, strict=False)) for row in rows[top + 1:]]


def exited_cleanly(result: Result) -> bool:
    """The command ended on purpose (typer.Exit or a normal return), not on an exception that escaped.

    CliRunner keeps an escaped exception in `result.exception` and turns it into exit code 1, so the
    exit code alone cannot tell a handled error from a crash, and its output holds no traceback text.
    """
    return result.exception is None or isinstance(result.exception, SystemExit)


def generated_round(path: Path, count: int, seed: int) -> Path:
    """A form export of `count` applications from the example's seeded generator."""
    spec = importlib.util.spec_from_file_location("generate_example", ROOT / "examples" / "generate_example.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_workbook(module.generate_rows(count, seed), path)


def round_objective(result: Any, rows: int | None = None) -> tuple[int, int, int]:
    """(pairs, most pairs, total cost), after checking every pair against the rules and places.

    With `rows`, also that every application row (2 to rows + 1) is paired, unmatched or superseded, only one.
    The total is the solver's objective (integer costs), not the rounded 0-100 scores: two equally good
    pairings can round to different score totals.
    """
    import numpy as np

    from mentormatch.matching.costs import to_costs

    space = result.space
    assert space is not None
    junior_at = {p.email: i for i, p in enumerate(space.juniors.people)}
    senior_at = {p.email: i for i, p in enumerate(space.seniors.people)}
    taken = np.bincount([senior_at[p.senior.email] for p in result.pairings], minlength=len(senior_at))
    assert all(n <= person.capacity for n, person in zip(taken, space.seniors.people, strict=True))
    assert len({p.junior.email for p in result.pairings}) == len(result.pairings)
    free = [p for p in result.pairings if not p.locked]
    masks, score = space.evaluate(np.array([junior_at[p.junior.email] for p in free], dtype=np.intp),
                                  np.array([senior_at[p.senior.email] for p in free], dtype=np.intp), paired=True)
    assert masks.feasible.all()
    if rows is not None:
        paired = {p.junior.row for p in result.pairings} | {p.senior.row for p in result.pairings}
        left = {u.row for u in result.unmatched}
        superseded = {u.row for u in result.validation.superseded}  # set aside for the same person's later row
        assert not paired & left and not (paired | left) & superseded
        assert paired | left | superseded == set(range(2, rows + 2))  # header on row 1, then one row per application
    return len(result.pairings), result.maximum_pairs, int(to_costs(score, masks.feasible).sum(dtype=np.int64))
