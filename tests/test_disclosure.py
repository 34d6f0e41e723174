"""The board report's disclosure control, attacked: no suppressed count can be worked out.

An attacker holding only the board workbook writes down every sum its tables imply (a column adds up
to its headline total, juniors = juniors matched + those not matched, the reasons add up to the
juniors without a partner, the grade gaps and score bands add up to the pairs), fixes every count
shown, and asks an integer program for the smallest and largest value each [c] can take. Every [c]
must keep at least two possible values; every count shown must be the true one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp
from typer.testing import CliRunner

from conftest import generated_round, read_sheet
from mentormatch.cli.app import app
from mentormatch.matching.disclosure import Cells, interval, suppress

HIDDEN = "[c]"


class Attack:
    """Unknowns and equations an attacker writes from the published report."""

    def __init__(self) -> None:
        self.known: dict[str, float] = {}
        self.names: list[str] = []
        self.rows: list[dict[str, int]] = []

    def var(self, name: str, value: object = None) -> str:
        if name not in self.names:
            self.names.append(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.known[name] = float(value)
        return name

    def equal(self, total: str, parts: list[str]) -> None:
        row = {total: 1}
        for part in parts:
            row[part] = row.get(part, 0) - 1
        self.rows.append(row)

    def slack(self, name: str) -> str:
        return self.var(f"unseen:{name}")

    def range_of(self, name: str) -> tuple[float, float]:
        at = {n: i for i, n in enumerate(self.names)}
        matrix = np.zeros((len(self.rows), len(self.names)))
        for r, row in enumerate(self.rows):
            for n, coefficient in row.items():
                matrix[r, at[n]] = coefficient
        low = np.array([self.known.get(n, 0.0) for n in self.names])
        high = np.array([self.known.get(n, np.inf) for n in self.names])
        goal = np.zeros(len(self.names))
        goal[at[name]] = 1
        found = []
        for sign in (1, -1):
            result = milp(sign * goal, constraints=LinearConstraint(matrix, 0, 0), integrality=np.ones(len(goal)),
                          bounds=Bounds(low, high))
            assert result.status in (0, 3, 4), result.message  # solved, or unbounded above
            found.append(sign * result.fun if result.status == 0 else np.inf)
        return found[0], found[1]


def read_attack(board: Path) -> tuple[Attack, list[str]]:
    """The attacker's equations, and the names of the cells shown as [c]."""
    attack, hidden = Attack(), []

    def cell(name: str, value: object) -> str:
        if value == HIDDEN:
            hidden.append(name)
        return attack.var(name, value)

    head = {row["Measure"]: row["Value"] for row in read_sheet(board, "Headline")}
    juniors, seniors = cell("juniors", head["Eligible juniors"]), cell("seniors", head["Eligible seniors"])
    pairs, alone = cell("pairs", head["Pairs made"]), cell("alone", head["Eligible juniors without a partner"])
    attack.equal(cell("read", head["Applications read"]), [juniors, seniors, attack.slack("not eligible")])
    attack.equal(juniors, [pairs, alone])
    shortlisted = cell("shortlisted", head["Juniors shortlisted"]) if "Juniors shortlisted" in head else None
    for name in ("Cross-department pairs", "Cross-profession pairs"):
        share = head[name]
        count = cell(name, round(share * head["Pairs made"]) if isinstance(share, float) else HIDDEN)
        attack.equal(pairs, [count, attack.slack(name)])
    reasons = {row["Reason"]: cell(f"reason:{row['Reason']}", row["Juniors"])
               for row in read_sheet(board, "Unmatched reasons")}
    attack.equal(alone, list(reasons.values()))
    if shortlisted is not None:
        attack.equal(juniors, [shortlisted, reasons.get("Not selected in the shortlist", attack.slack("passed"))])
    matched_seniors = attack.slack("seniors matched")
    for sheet in ("By grade", "By department", "By profession"):
        columns: dict[str, list[str]] = {}
        for row in read_sheet(board, sheet):
            at = {c: cell(f"{sheet}:{row['Group']}:{c}", row[c]) for c in row if c != "Group" and
                  not c.endswith("(chart)")}
            for column, name in at.items():
                columns.setdefault(column, []).append(name)
            for whole, part in (("Juniors", "Juniors matched"), ("Juniors", "Juniors shortlisted"),
                                ("Juniors shortlisted", "Juniors matched"), ("Seniors", "Seniors matched")):
                if whole in at and part in at:
                    attack.equal(at[whole], [at[part], attack.slack(f"{at[whole]} not {part}")])
        totals = {"Juniors": juniors, "Juniors shortlisted": shortlisted, "Juniors matched": pairs,
                  "Seniors": seniors, "Seniors matched": matched_seniors}
        for column, names in columns.items():
            attack.equal(totals[column], names)
    for sheet, column in (("Grade gap", "Pairs"), ("Scores", "Pairs")):
        attack.equal(pairs, [cell(f"{sheet}:{row[next(iter(row))]}", row[column]) for row in read_sheet(board, sheet)])
    return attack, hidden


def invoke(*args: object) -> None:
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("count", "seed", "places"), [(60, 1, None), (120, 7, None), (200, 3, 60), (300, 4, None)])
def test_no_suppressed_count_can_be_worked_out_from_the_report(tmp_path, count, seed, places):
    applications = generated_round(tmp_path / "applications.xlsx", count, seed)
    pairings, board = tmp_path / "pairings.xlsx", tmp_path / "board.xlsx"
    if places:
        shortlist = tmp_path / "shortlist.xlsx"
        invoke("shortlist", applications, "--places", places, "-o", shortlist)
        invoke("match", applications, "--shortlist", shortlist, "-o", pairings)
    else:
        invoke("match", applications, "-o", pairings)
    invoke("report", pairings, "-o", board)
    attack, hidden = read_attack(board)
    assert hidden, "a round of this size has small counts to protect"
    for name in hidden:
        low, high = attack.range_of(name)
        assert low < high, f"{name} is pinned to {low:g} by the counts shown"
    # What is shown is true: the report's counts against the pairings workbook's own figures.
    summary = {row["Measure"]: row["Value"] for row in read_sheet(pairings, "Summary")}
    for name, label in (("pairs", "Pairs made"), ("juniors", "Eligible juniors"), ("seniors", "Eligible seniors")):
        if name in attack.known:
            assert attack.known[name] == summary[label]


def test_secondary_suppression_protects_a_difference_and_a_total():
    # Two groups whose juniors add up to a shown total: hiding the one small count alone would leave
    # it one subtraction away (11 - 10), so a second count is hidden with it; and 23 of 26 matched
    # leaves 3 unmatched, which must not be worked out either.
    cells = Cells()
    total = cells.add("juniors", 37, keep=2)
    groups = {"ONS": (11, 10), "HEO": (26, 23)}
    matched = []
    for group, (juniors, paired) in groups.items():
        whole, part = cells.add((group, "juniors"), juniors), cells.add((group, "matched"), paired)
        cells.tie(whole, [part, cells.add((group, "unmatched"), juniors - paired, published=False)])
        matched.append(part)
    cells.tie(total, [(g, "juniors") for g in groups])
    cells.tie(cells.add("pairs", 33, keep=3), matched)
    hidden = suppress(cells, 5)
    assert hidden  # something had to go
    for group in groups:
        low, high = interval(cells, hidden, (group, "unmatched"))
        assert low < high
    assert "pairs" not in hidden  # the headline total is kept when inner cells will do


def test_figures_that_do_not_add_up_are_refused_not_published():
    from mentormatch.errors import MentormatchError

    cells = Cells()
    total = cells.add("total", 10)
    cells.tie(total, [cells.add("a", 3), cells.add("b", 6), cells.add("c", 7)])  # 10 - 6 - 7 leaves no room for a
    with pytest.raises(MentormatchError, match="do not add up"):
        suppress(cells, 5)
