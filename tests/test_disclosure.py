"""The board report's disclosure control, attacked: no suppressed count can be worked out.

An attacker holding the board workbook writes down everything its tables imply, across tables: a column
adds up to its headline total; juniors = juniors matched + those not matched; the reasons add up to the
juniors without a partner; the grade gaps and score bands add up to the pairs; and, linking tables, the
pairs of each junior grade with each senior grade (unknowns, one for each pair of grades whose gap has a
row) add up to that junior grade's juniors matched and to that gap's row, while a senior grade's pairs
are at least its seniors matched and at most 20 times as many (the most places anyone may offer). They
fix every count shown and ask an integer program for the smallest and largest value each [c] can take.
Every [c] must keep at least two possible values; every count shown must be the true one. With check-ins,
their tables join the attack (their pairs and pairs by group are the board's), and the HTML page published
beside the workbook must show the same counts and the same [c]s.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp
from typer.testing import CliRunner

from conftest import generated_round, read_sheet, read_table
from mentormatch.cli.app import app
from mentormatch.matching.disclosure import Cells, interval, suppress

HIDDEN = "[c]"
RANKS = {"AA": 1, "AO": 2, "EO": 3, "HEO": 4, "SEO": 5, "Grade 7": 6, "Grade 6": 7, "Deputy Director": 8,
         "Director": 9, "Director General": 10, "Permanent Secretary": 11}  # the public grade ladder
MOST_PLACES = 20


class Attack:
    """Unknowns, equations and inequalities an attacker writes from the published report."""

    def __init__(self) -> None:
        self.known: dict[str, float] = {}
        self.names: list[str] = []
        self.rows: list[dict[str, int]] = []
        self.at_most: list[dict[str, int]] = []  # row . x <= 0

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

    def below(self, smaller: str, larger: str, factor: int = 1) -> None:
        self.at_most.append({smaller: 1, larger: -factor} if smaller != larger else {smaller: 1 - factor})

    def slack(self, name: str) -> str:
        return self.var(f"unseen:{name}")

    def range_of(self, name: str) -> tuple[float, float]:
        at = {n: i for i, n in enumerate(self.names)}

        def matrix(rows: list[dict[str, int]]) -> np.ndarray:
            found = np.zeros((len(rows), len(self.names)))
            for r, row in enumerate(rows):
                for n, coefficient in row.items():
                    found[r, at[n]] += coefficient
            return found

        constraints = [LinearConstraint(matrix(self.rows), 0, 0)]
        if self.at_most:
            constraints.append(LinearConstraint(matrix(self.at_most), -np.inf, 0))
        low = np.array([self.known.get(n, 0.0) for n in self.names])
        high = np.array([self.known.get(n, np.inf) for n in self.names])
        goal = np.zeros(len(self.names))
        goal[at[name]] = 1
        found = []
        for sign in (1, -1):
            result = milp(sign * goal, constraints=constraints, integrality=np.ones(len(goal)),
                          bounds=Bounds(low, high))
            assert result.status in (0, 3, 4), result.message  # solved, or unbounded above
            found.append(sign * result.fun if result.status == 0 else np.inf)
        return found[0], found[1]


def _members(label: str, shown: list[str]) -> list[str]:
    """The grades a row of a grade table holds, as anyone reads them: its grade, the grades an "Other: …"
    row names, or, for "Other (N grades)", any grade of the ladder not shown on its own."""
    if label in RANKS:
        return [label]
    if label.startswith("Other: "):
        return label.removeprefix("Other: ").split(", ")
    return [g for g in RANKS if g not in shown]


def read_attack(board: Path) -> tuple[Attack, list[str]]:
    """The attacker's equations, and the names of the cells shown as [c]."""
    attack, hidden = Attack(), []

    def cell(name: str, value: object) -> str:
        if value == HIDDEN:
            hidden.append(name)
        return attack.var(name, value)

    head = {row["Measure"]: row["Value"] for row in read_table(board, "Headline")}
    juniors, seniors = cell("juniors", head["Eligible juniors"]), cell("seniors", head["Eligible seniors"])
    pairs, alone = cell("pairs", head["Pairs made"]), cell("alone", head["Eligible juniors without a partner"])
    matched_seniors = cell("seniors matched", head["Seniors matched"])
    attack.below(matched_seniors, pairs)
    attack.below(pairs, matched_seniors, MOST_PLACES)
    attack.equal(cell("read", head["Applications read"]), [juniors, seniors, attack.slack("not eligible")])
    attack.equal(juniors, [pairs, alone])
    shortlisted = cell("shortlisted", head["Juniors shortlisted"]) if "Juniors shortlisted" in head else None
    for name in ("Cross-department pairs", "Cross-profession pairs"):
        attack.equal(pairs, [cell(name, head[name]), attack.slack(name)])
    sheets = __import__("openpyxl").load_workbook(board).sheetnames
    reasons = {row["Reason"]: cell(f"reason:{row['Reason']}", row["Juniors"])
               for row in (read_table(board, "Unmatched reasons") if "Unmatched reasons" in sheets else [])}
    if reasons:
        attack.equal(alone, list(reasons.values()))
    if shortlisted is not None:
        attack.equal(juniors, [shortlisted, reasons.get("Not selected in the shortlist", attack.slack("passed"))])
    totals = {"Juniors": juniors, "Juniors shortlisted": shortlisted, "Juniors matched": pairs,
              "Seniors": seniors, "Seniors matched": matched_seniors}
    grade_rows: dict[str, list[tuple[str, list[str], str]]] = {}
    for side in ("Juniors", "Seniors"):
        for label in ("grade", "department", "profession"):
            sheet = f"{side} by {label}"
            rows = read_table(board, sheet)
            columns: dict[str, list[str]] = {}
            for row in rows:
                group = row[label.capitalize()]
                at = {c: cell(f"{sheet}:{group}:{c}", v) for c, v in row.items() if c != label.capitalize()}
                for column, name in at.items():
                    columns.setdefault(column, []).append(name)
                for whole, part in (("Juniors", "Juniors matched"), ("Juniors", "Juniors shortlisted"),
                                    ("Juniors shortlisted", "Juniors matched"), ("Seniors", "Seniors matched")):
                    if whole in at and part in at:
                        attack.equal(at[whole], [at[part], attack.slack(f"{at[whole]} not {part}")])
                if label == "grade":
                    shown = [r["Grade"] for r in rows]
                    grade_rows.setdefault(side, []).append((group, _members(group, shown),
                                                            at["Juniors matched" if side == "Juniors" else "Seniors matched"]))
            for column, names in columns.items():
                if totals[column] is not None:
                    attack.equal(totals[column], names)
    gaps = {row["Grade gap"]: cell(f"gap:{row['Grade gap']}", row["Pairs"]) for row in read_table(board, "Grade gap")}
    attack.equal(pairs, list(gaps.values()))
    attack.equal(pairs, [cell(f"band:{row['Score band']}", row["Pairs"]) for row in read_table(board, "Scores")])

    def gap_row(gap: int) -> str:
        return "3 or more grades" if gap >= 3 else f"{gap} grade{'s' if gap != 1 else ''}"

    by_gap: dict[str, list[str]] = {}
    made: dict[str, list[str]] = {}
    for _junior_group, junior_grades, junior_matched in grade_rows.get("Juniors", []):
        mine = []
        for senior_group, senior_grades, _matched in grade_rows.get("Seniors", []):
            for low in junior_grades:
                for high in senior_grades:
                    label = gap_row(RANKS[high] - RANKS[low])
                    if label in gaps:
                        x = attack.var(f"pairs:{low}:{high}")
                        mine.append(x)
                        by_gap.setdefault(label, []).append(x)
                        made.setdefault(senior_group, []).append(x)
        attack.equal(junior_matched, mine)
    for label, names in by_gap.items():
        attack.equal(gaps[label], names)
    for senior_group, _grades, senior_matched in grade_rows.get("Seniors", []):
        total = attack.var(f"pairs with:{senior_group}")
        attack.equal(total, made.get(senior_group, []))
        attack.below(senior_matched, total)
        attack.below(total, senior_matched, MOST_PLACES)
    if "Check-ins" in sheets:
        _attack_checkins(board, attack, cell, pairs)
    return attack, hidden


def _attack_checkins(board: Path, attack: Attack, cell, pairs: str) -> None:
    """The check-ins are of the round's pairs: their pairs (by group) are the board's pairs (juniors matched by
    group); a share shown beside a count the attacker knows gives that count too."""
    head = {row["Measure"]: row["Value"] for row in read_table(board, "Check-ins")}
    months = int(head["Months of check-ins"])
    attack.equal(pairs, [cell("checkins:pairs", head["Pairs"])])
    known_pairs = attack.known.get(pairs)

    def counted(name: str, share: object, whole: float | None) -> str:
        """A count shown only as a share: known when the share and what it is a share of are."""
        value = round(share * whole) if isinstance(share, float | int) and whole is not None else None
        return attack.var(name, value)

    meetings = counted("checkins:meetings", head.get("Months with a meeting (%)"),
                       known_pairs * months if known_pairs is not None else None)
    answers = counted("checkins:answers", head.get("Response rate (%)"),
                      2 * known_pairs * months if known_pairs is not None else None)
    attack.equal(pairs, [cell(f"checkins:{k}", v) for k, v in head.items() if k.startswith("Pairs ")])
    month_meet, month_said = [], []
    for row in read_table(board, "Check-ins by month"):
        meet = cell(f"checkins:{row['Month']}:meet", row["Pairs meeting"])
        said = cell(f"checkins:{row['Month']}:answers", row["Answers"])
        attack.below(meet, pairs)
        attack.below(said, pairs, 2)
        month_meet.append(meet)
        month_said.append(said)
    attack.equal(meetings, month_meet)
    attack.equal(answers, month_said)
    by: dict[str, tuple[list[str], list[str], list[str]]] = {}
    rows = read_table(board, "Check-ins by group")
    board_rows = {b: [r[b] for r in read_table(board, f"Juniors by {b.lower()}")] for b in {r["Breakdown"] for r in rows}}
    apart: dict[str, dict[str, str]] = {}  # breakdown -> check-in group shown apart from the board's rows -> its count
    for row in rows:
        breakdown, group = row["Breakdown"], row["Group"]
        if group in board_rows[breakdown]:  # the same juniors as a row of the board: the board's cell
            count = cell(f"Juniors by {breakdown.lower()}:{group}:Juniors matched", row["Pairs"])
        else:
            count = cell(f"checkins:{breakdown}:{group}:pairs", row["Pairs"])
            apart.setdefault(breakdown, {})[group] = count
        known = attack.known.get(count)
        meet = counted(f"checkins:{breakdown}:{group}:meet", row["Months with a meeting (%)"],
                       known * months if known is not None else None)
        said = counted(f"checkins:{breakdown}:{group}:answers", row["Response rate (%)"],
                       2 * known * months if known is not None else None)
        attack.below(meet, count, months)
        attack.below(said, count, 2 * months)
        for at, name in enumerate((count, meet, said)):
            by.setdefault(breakdown, ([], [], []))[at].append(name)
    for counts, meets, saids in by.values():
        attack.equal(pairs, counts)
        attack.equal(meetings, meets)
        attack.equal(answers, saids)
    for breakdown, groups in apart.items():  # check-in groups that make up one of the board's combined rows
        if any(g.startswith("Other") for g in groups):
            continue  # the check-ins combined some groups of their own: which ones is not said
        for label in board_rows[breakdown]:
            if label.startswith("Other"):
                members = set(_members(label, board_rows[breakdown])) if breakdown == "Grade" else None
                inside = [v for g, v in groups.items() if members is None or g in members]
                if inside:
                    attack.equal(f"Juniors by {breakdown.lower()}:{label}:Juniors matched", inside)


def invoke(*args: object) -> None:
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output


# 21 generated rounds of 40 to 240 applicants: a third shortlisted, half with two months of check-ins
ROUNDS = [(40 + 10 * k, k, (20 + 2 * k) if k % 3 == 0 else None, k % 2 == 1) for k in range(21)]


MET, USEFUL = "Have you met your partner this month?", "How useful was it, 1-5?"
WHICH = "Which partner is this about? (if you have more than one)"


def _checkins(folder: Path, pairings: Path, seed: int) -> Path:
    """A tracker from two months of generated check-in answers: most partners answer, most pairs meet."""
    import random

    from conftest import write_rows

    rng = random.Random(seed)
    pairs = [(p["Junior email"], p["Senior email"]) for p in read_sheet(pairings, "Pairings")]
    files = []
    for month, day in (("June", "15/06/2026"), ("July", "15/07/2026")):
        rows = [{"Completion time": day, "Email": email, WHICH: junior, MET: "Yes" if rng.random() < 0.8 else "No",
                 USEFUL: rng.choice([3, 4, 5])} for junior, senior in pairs for email in (junior, senior)
                if rng.random() < 0.85]
        files.append(write_rows(folder / f"{month}.xlsx", rows))
    tracker = folder / "tracker.xlsx"
    invoke("checkin", pairings, *(x for f in files for x in ("--responses", f)), "-o", tracker)
    return tracker


def _board(tmp_path: Path, count: int, seed: int, places: int | None, checkins: bool = False) -> Path:
    applications = generated_round(tmp_path / "applications.xlsx", count, seed)
    pairings, board = tmp_path / "pairings.xlsx", tmp_path / "board.xlsx"
    if places:
        shortlist = tmp_path / "shortlist.xlsx"
        invoke("shortlist", applications, "--places", places, "-o", shortlist)
        invoke("match", applications, "--shortlist", shortlist, "-o", pairings)
    else:
        invoke("match", applications, "-o", pairings)
    tracker = ("--tracker", _checkins(tmp_path, pairings, seed)) if checkins else ()
    invoke("report", pairings, *tracker, "-o", board, "--html", tmp_path / "board.html")
    return board


def _html_is_the_workbook(board: Path) -> None:
    """The page published beside the workbook shows the same counts, and [c] in the same places."""
    import re
    from html import unescape

    page = board.with_suffix(".html").read_text(encoding="utf-8")
    tables = {unescape(name): [[unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
                               for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)][1:]
              for name, body in re.findall(r"<h2>(.*?)</h2>(?:<svg.*?</svg>)?<table>(.*?)</table>", page, re.S)}
    book = __import__("openpyxl").load_workbook(board)
    for name in [n for n in book.sheetnames if n not in ("Cover", "Contents", "Notes") and not n.startswith("Chart")]:
        cells = list(book[name].iter_rows())
        top = next(i for i, row in enumerate(cells) if sum(c.value is not None for c in row) > 1)
        rows = [[c for c in row if c.column <= len([h for h in cells[top] if h.value is not None])]
                for row in cells[top + 1:]]
        assert len(rows) == len(tables[name]), name
        for mine, shown in zip(rows, tables[name], strict=True):
            for cell, text in zip(mine, shown, strict=True):
                value = cell.value
                count = cell.number_format in ("General", "#,##0")  # not a share (0%) or a mean (0.0)
                if value == HIDDEN or (isinstance(value, int) and not isinstance(value, bool) and count):
                    assert text == (HIDDEN if value == HIDDEN else f"{value:,}"), (name, text, value)


def _recovered(board: Path) -> list[str]:
    attack, hidden = read_attack(board)
    return [name for name in hidden if (bounds := attack.range_of(name))[0] == bounds[1]]


@pytest.mark.parametrize(("count", "seed", "places", "checkins"), ROUNDS)
def test_no_suppressed_count_can_be_worked_out_from_the_report(tmp_path, count, seed, places, checkins):
    board = _board(tmp_path, count, seed, places, checkins)
    assert not _recovered(board)
    _html_is_the_workbook(board)
    # What is shown is true: the report's counts against the pairings workbook's own figures.
    attack, _hidden = read_attack(board)
    summary = {row["Measure"]: row["Value"] for row in read_sheet(tmp_path / "pairings.xlsx", "Summary")}
    for name, label in (("pairs", "Pairs made"), ("juniors", "Eligible juniors"), ("seniors", "Eligible seniors")):
        if name in attack.known:
            assert attack.known[name] == summary[label]
    if checkins:  # a figure two tables show is the same in both, [c] in both or in neither
        head = {row["Measure"]: row["Value"] for row in read_table(board, "Headline")}
        checkin_head = {row["Measure"]: row["Value"] for row in read_table(board, "Check-ins")}
        assert checkin_head["Pairs"] == head["Pairs made"]
        for row in read_table(board, "Check-ins by group"):
            juniors = {r[row["Breakdown"]]: r for r in read_table(board, f"Juniors by {row['Breakdown'].lower()}")}
            assert row["Pairs"] == juniors[row["Group"]]["Juniors matched"], row
    if checkins:  # the tracker's own figures are the board's: published side by side, they agree
        board_tables = {name: read_table(board, name) for name in ("Check-ins by month", "Check-ins by group")}
        tracker = tmp_path / "tracker.xlsx"
        for sheet, name in (("By month", "Check-ins by month"), ("By group", "Check-ins by group")):
            mine = [{k: row[k] for k in shown} for row, shown in zip(read_table(tracker, sheet), board_tables[name],
                                                                      strict=True)]
            assert mine == board_tables[name]


def test_the_attack_finds_cells_when_the_check_ins_are_protected_apart(tmp_path, monkeypatch):
    """The attack has teeth: with the check-ins protected on their own (not linked to the board's tables), it
    works out [c] counts from the board and the check-ins together in some of the same rounds."""
    from mentormatch.outputs import board

    def alone(cells, counts, smallest, links=None):  # as `checkin` used to: the check-ins' own groups, own cells
        from mentormatch.matching.disclosure import Cells, shown
        from mentormatch.outputs.checkin_cells import add_checkins
        from mentormatch.outputs.layout import SUPPRESSED

        own = Cells()
        ungrouped = add_checkins(own, counts, 1)  # no group combined
        value = shown(own, suppress(own, smallest), SUPPRESSED)
        return lambda _board_value: ungrouped(value)

    monkeypatch.setattr(board, "add_checkins", alone)
    found = 0
    for count, seed, places, checkins in [r for r in ROUNDS if r[3]][:6]:
        folder = tmp_path / f"{count}-{seed}"
        folder.mkdir()
        found += len(_recovered(_board(folder, count, seed, places, checkins)))
        if found:
            break
    assert found > 0


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
