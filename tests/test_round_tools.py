"""`match --history` and `match --suggest`: later rounds avoid earlier pairs; suggestions per junior."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from conftest import exited_cleanly, junior_row, read_sheet, senior_row
from mentormatch.cli.app import app

WIDE = {"COLUMNS": "200"}


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), env=WIDE)


def pairs(path: Path) -> set[tuple[str, str]]:
    return {(row["Junior email"], row["Senior email"]) for row in read_sheet(path, "Pairings")}


def round_of(make_workbook, juniors: int = 4, seniors: int = 4) -> Path:
    departments = ["DfT", "HMRC", "DWP", "ONS", "MoJ", "DfE"]
    rows = [junior_row(Department=departments[i % 3], Profession="GSR") for i in range(juniors)]
    rows += [senior_row(Department=departments[3 + i % 3], Profession="GES") for i in range(seniors)]
    return make_workbook(rows)


def test_history_pairs_never_recur_across_rounds(make_workbook, tmp_path):
    source = round_of(make_workbook)
    first, second, third = (tmp_path / f"round{n}.xlsx" for n in (1, 2, 3))
    assert invoke("match", str(source), "-o", str(first)).exit_code == 0
    assert invoke("match", str(source), "-o", str(second), "--history", str(first)).exit_code == 0
    assert invoke("match", str(source), "-o", str(third), "--history", str(first), "--history", str(second)).exit_code == 0
    assert len(pairs(first)) == len(pairs(second)) == len(pairs(third)) == 4  # everyone is still paired
    assert pairs(first).isdisjoint(pairs(second))
    assert pairs(third).isdisjoint(pairs(first) | pairs(second))
    summary = {row["Measure"]: row["Value"] for row in read_sheet(third, "Summary")}
    assert summary["Earlier pairs not repeated (history)"] == 8
    assert summary["Repeat pairs avoided"] == 8


def test_history_that_leaves_no_partner_is_explained(make_workbook, tmp_path):
    source = round_of(make_workbook, juniors=1, seniors=1)
    first, second = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    assert invoke("match", str(source), "-o", str(first)).exit_code == 0
    assert invoke("match", str(source), "-o", str(second), "--history", str(first)).exit_code == 0
    assert pairs(second) == set()
    junior = next(row for row in read_sheet(second, "Unmatched") if row["Role"] == "junior")
    assert junior["Code"] == "no-feasible-partner" and "do-not-match" in junior["Reason"]


def test_history_must_be_a_pairings_workbook(make_workbook):
    source = round_of(make_workbook)
    result = invoke("match", str(source), "--history", str(source))
    assert result.exit_code == 1 and "Pairings" in result.output and exited_cleanly(result)


def test_suggestions_list_allowed_seniors_by_fit_with_the_partner_first(make_workbook, tmp_path):
    source = round_of(make_workbook, juniors=3, seniors=5)
    output = tmp_path / "out.xlsx"
    assert invoke("match", str(source), "-o", str(output), "--suggest", "3").exit_code == 0
    assert "Suggestions" in openpyxl.load_workbook(output).sheetnames
    chosen = dict(pairs(output))
    rows = read_sheet(output, "Suggestions")
    for junior in {row["Junior email"] for row in rows}:
        mine = [row for row in rows if row["Junior email"] == junior]
        assert [row["Rank"] for row in mine] == list(range(1, len(mine) + 1)) and len(mine) == 3
        assert mine[0]["Senior email"] == chosen[junior] and mine[0]["Status"] == "their partner"
        assert [row["Score"] for row in mine[1:]] == sorted((row["Score"] for row in mine[1:]), reverse=True)
        assert all(row["Status"] != "their partner" for row in mine[1:])


def test_without_suggest_there_is_no_suggestions_sheet(make_workbook, tmp_path):
    output = tmp_path / "out.xlsx"
    assert invoke("match", str(round_of(make_workbook)), "-o", str(output)).exit_code == 0
    assert "Suggestions" not in openpyxl.load_workbook(output).sheetnames
