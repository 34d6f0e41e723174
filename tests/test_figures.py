"""One round, one set of figures: every output shows the same numbers, and they add up.

The round's figures are checked against an independent count (the Pairings, Unmatched and Problems
sheets and the input itself), then each output is read as its user would read it — the terminal at
its width, the Summary and Breakdown sheets, the board workbook, the HTML page and `compare` — and
must show those same figures.
"""

from __future__ import annotations

import re
from collections import Counter
from html import unescape
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import (
    ROOT,
    exited_cleanly,
    generated_round,
    junior_row,
    read_sheet,
    read_table,
    senior_row,
)
from mentormatch.cli.app import app
from mentormatch.outcomes import CODES

CONFIG = str(ROOT / "examples" / "mentormatch.toml")


def invoke(*args: object) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and exited_cleanly(result), result.output
    return result.output


def terminal_figures(output: str, title: str) -> dict[str, str]:
    """The rows of one two-column table of the terminal, label -> value as printed."""
    block = output.split(title, 1)[1]
    rows = {}
    for line in block.splitlines()[1:]:
        cells = [c.strip() for c in line.strip().strip("│").split("│")]
        if line.strip().startswith("└"):
            break
        if len(cells) == 2 and cells[0]:
            rows[cells[0]] = cells[1]
    return rows


def html_tables(page: str) -> list[list[list[str]]]:
    """Every table of an HTML page as rows of cell texts."""
    tables = []
    for table in re.findall(r"<table>(.*?)</table>", page, re.S):
        tables.append([[unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
                       for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)])
    return tables


def shown(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


@pytest.fixture(scope="module")
def shortlisted_round(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("figures")
    applications = generated_round(folder / "applications.xlsx", 400, 11)
    shortlist, pairings = folder / "shortlist.xlsx", folder / "pairings.xlsx"
    invoke("shortlist", applications, "-c", CONFIG, "--places", "120", "-o", shortlist)
    terminal = invoke("match", applications, "-c", CONFIG, "--shortlist", shortlist, "-o", pairings)
    board, page = folder / "board.xlsx", folder / "board.html"
    invoke("report", pairings, "-o", board, "--html", page)
    return {"applications": applications, "pairings": pairings, "terminal": terminal, "board": board,
            "html": page.read_text(encoding="utf-8")}


def test_the_figures_agree_with_an_independent_count_and_add_up(shortlisted_round):
    pairings = shortlisted_round["pairings"]
    summary = {row["Measure"]: row["Value"] for row in read_sheet(pairings, "Summary")}
    pairs, unmatched = read_sheet(pairings, "Pairings"), read_sheet(pairings, "Unmatched")
    problems = read_sheet(pairings, "Problems")
    source = [row for row in openpyxl.load_workbook(shortlisted_round["applications"]).active.iter_rows(
        min_row=2, values_only=True) if any(v not in (None, "") for v in row)]
    superseded = {p["Row"] for p in problems if p["Code"] == "duplicate-email"}
    left_out = [u for u in unmatched if u["Code"] == "left-out"]
    alone = Counter(u["Code"] for u in unmatched if u["Role"] == "junior" and u["Code"] != "left-out")
    seniors_alone = Counter(u["Code"] for u in unmatched if u["Role"] == "senior" and u["Code"] != "left-out")
    juniors = len({p["Junior email"] for p in pairs}) + sum(alone.values())
    seniors = len({p["Senior email"] for p in pairs}) + sum(seniors_alone.values())
    assert summary["Rows read"] == len(source)
    assert summary["Rows left out for errors"] == len(left_out) > 0
    assert summary["Rows superseded by a later submission"] == len(superseded)
    assert (summary["Eligible juniors"], summary["Eligible seniors"]) == (juniors, seniors)
    assert summary["Juniors shortlisted"] == len(read_sheet(pairings, "Pairings")) + sum(
        n for code, n in alone.items() if code != "not-shortlisted") == 120
    assert summary["Pairs made"] == len(pairs)
    assert summary["Eligible juniors without a partner"] == sum(alone.values()) > 0
    for code, count in alone.items():
        title = CODES[code].title
        assert summary[f"Juniors without a partner: {title[0].lower()}{title[1:]}"] == count
    assert summary["Rows read"] == juniors + seniors + len(left_out) + len(superseded)
    assert summary["Cross-department pairs"] == sum(p["Junior department"] != p["Senior department"] for p in pairs)
    assert summary["Average score"] == round(sum(p["Score"] for p in pairs) / len(pairs), 1)
    # Every person once: nobody superseded is also listed, nobody unmatched is also paired.
    rows = [p["Junior row"] for p in pairs] + [u["Row"] for u in unmatched]
    assert len(rows) == len(set(rows)) and not set(rows) & superseded


def test_every_output_shows_the_same_figures(shortlisted_round):
    pairings = shortlisted_round["pairings"]
    summary = [(row["Measure"], row["Value"]) for row in read_sheet(pairings, "Summary")]
    # The terminal: the Round table holds every Summary row, reasons indented under their total.
    terminal = terminal_figures(shortlisted_round["terminal"], "Round")
    for label, value in summary:
        short = label.split(": ", 1)[1] if label.startswith(("Juniors without", "Seniors without")) else label
        assert terminal[short] == shown(value), label
    # The board workbook and the HTML page: the same numbers, or [c] where a count is suppressed.
    values = dict(summary)
    headline = {row["Measure"]: row["Value"] for row in read_table(shortlisted_round["board"], "Headline")}
    expected = {"Applications read": values["Rows read"], "Eligible juniors": values["Eligible juniors"],
                "Juniors shortlisted": values["Juniors shortlisted"], "Eligible seniors": values["Eligible seniors"],
                "Pairs made": values["Pairs made"],
                "Eligible juniors without a partner": values["Eligible juniors without a partner"]}
    page = {row[0]: row[1] for row in html_tables(shortlisted_round["html"])[0][1:]}
    for label, value in expected.items():
        assert headline[label] in (value, "[c]"), label
        assert page[label] == shown(headline[label]), label
    assert sum(isinstance(headline[label], int) for label in expected) >= 5  # not everything hidden
    reasons = {row["Reason"]: row["Juniors"] for row in read_table(shortlisted_round["board"], "Unmatched reasons")}
    for label, value in summary:  # each reason, or [c]; rare ones combined into "Other reasons"
        if label.startswith("Juniors without a partner: "):
            name = label.split(": ", 1)[1].capitalize()
            assert reasons.get(name, "Other reasons" in reasons) in (value, "[c]", True), label
    # Breakdown: each group's counts in the board's sheets and the page's tables, and the groups add up.
    breakdown = read_sheet(pairings, "Breakdown")
    tables = {rows[0][0]: rows for rows in html_tables(shortlisted_round["html"])}
    for label in ("Grade", "Department", "Profession"):
        source = {row["Group"]: row for row in breakdown if row["Breakdown"] == label}
        if label != "Profession":  # someone can have several professions
            assert sum(row["Juniors"] for row in source.values()) == values["Eligible juniors"]
            assert sum(row["Juniors shortlisted"] for row in source.values()) == values["Juniors shortlisted"]
            assert sum(row["Juniors matched"] for row in source.values()) == values["Pairs made"]
        for side, columns in (("Juniors", ("Juniors", "Juniors shortlisted", "Juniors matched")),
                              ("Seniors", ("Seniors", "Seniors matched"))):
            rows = read_table(shortlisted_round["board"], f"{side} by {label.lower()}")
            alone = {row[label] for row in rows}
            for row in rows:  # a group, or "Other": the sum of the groups not shown alone
                members = [source[row[label]]] if row[label] in source else [
                    g for name, g in source.items() if name not in alone and g[side]]
                for column in columns:
                    assert row[column] in (sum(g[column] for g in members), "[c]"), (side, label, row)
        assert tables[label][0][0] == label  # the page carries the same tables


def test_compare_shows_the_summary_of_the_same_round(tmp_path):
    applications = generated_round(tmp_path / "applications.xlsx", 200, 5)
    pairings, comparison = tmp_path / "pairings.xlsx", tmp_path / "compare.xlsx"
    invoke("match", applications, "-c", CONFIG, "-o", pairings)
    terminal = invoke("compare", applications, "-c", CONFIG, "--scenario", f"base={CONFIG}", "-o", comparison)
    summary = {row["Measure"]: row["Value"] for row in read_sheet(pairings, "Summary")}
    compared = {row["Measure"]: row["base"] for row in read_sheet(comparison, "Comparison")}
    compared["Average score"] = compared.pop("Average score (scored as base)")  # the baseline is its own yardstick
    assert {label: compared[label] for label in summary} == summary
    assert "Juniors shortlisted" not in summary  # an unshortlisted round says nothing of a shortlist
    breakdown_headers = [c.value for c in openpyxl.load_workbook(pairings)["Breakdown"][1]]
    assert "Juniors shortlisted" not in breakdown_headers
    assert f"{summary['Pairs made']:,}" in terminal


def test_an_unshortlisted_round_does_not_report_a_shortlist_to_the_board(tmp_path: Path):
    applications = generated_round(tmp_path / "applications.xlsx", 120, 2)
    pairings, board = tmp_path / "pairings.xlsx", tmp_path / "board.xlsx"
    invoke("match", applications, "-c", CONFIG, "-o", pairings)
    invoke("report", pairings, "-o", board)
    headline = {row["Measure"] for row in read_table(board, "Headline")}
    assert "Juniors shortlisted" not in headline
    assert "Juniors shortlisted" not in read_table(board, "Juniors by grade")[0]


def test_a_resubmission_is_one_person_in_match_explain_and_shortlist(make_workbook, tmp_path: Path):
    ann = {"Email": "ann@example.gov.uk", "Grade": "HEO", "Department": "DWP", "Profession": "GSS"}
    rows = [junior_row(Name="Ann first", **ann), junior_row(Department="DfT"), junior_row(Department="DfT"),
            senior_row(Grade="Grade 6", Department="HMT", Profession="GES"), junior_row(Name="Ann again", **ann)]
    applications = make_workbook(rows)
    pairings = tmp_path / "pairings.xlsx"
    output = invoke("match", applications, "-o", pairings, "--explain", "ann@example.gov.uk")
    explanation = output.split("Explanation for", 1)[1]
    assert ("Paired with" in explanation) != ("Not paired" in explanation)  # one outcome, never both
    assert "duplicate" not in explanation and "superseded" not in explanation
    listed = [u["Email"] for u in read_sheet(pairings, "Unmatched")]
    listed += [p["Junior email"] for p in read_sheet(pairings, "Pairings")]
    assert listed.count("ann@example.gov.uk") == 1
    shortlist = tmp_path / "shortlist.xlsx"
    invoke("shortlist", applications, "--places", "1", "-o", shortlist)
    places = [row["Email"] for sheet in ("Selected", "Reserve", "Not selected") for row in read_sheet(shortlist, sheet)]
    assert places.count("ann@example.gov.uk") == 1 and len(places) == len(set(places)) == 3
