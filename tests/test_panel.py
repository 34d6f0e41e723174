"""`panel`, `shortlist` and `match --shortlist`: blind scoring, then the best jointly matchable juniors."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import openpyxl
from conftest import junior_row, kuhn, read_sheet, senior_row
from typer.testing import CliRunner

from mentormatch.cli.app import app

WIDE = {"COLUMNS": "200"}


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), env=WIDE)


def fill_scores(panel: Path, scores_by_eoi: dict[str, list[object]], target: Path) -> Path:
    """Fill the panel as assessors would: one score per assessor column, found by EOI."""
    book = openpyxl.load_workbook(panel)
    sheet = book["Panel"]
    headers = [c.value for c in sheet[1]]
    columns = [i for i, h in enumerate(headers) if "score" in str(h).lower()]
    for row in sheet.iter_rows(min_row=2):
        for column, value in zip(columns, scores_by_eoi[row[1].value], strict=False):
            row[column].value = value
    book.save(target)
    return target


def can_all_be_paired(juniors: list[dict], seniors: list[dict]) -> bool:
    """Independent check: every junior gets a distinct senior (capacity 1) they may be paired with."""
    rank = {"EO": 3, "HEO": 4, "SEO": 5, "Grade 7": 6, "Grade 6": 7, "Deputy Director": 8}

    def allowed(j: dict, s: dict) -> bool:
        return (rank[s["Grade"]] - rank[j["Grade"]] >= 2 and j["Department"] != s["Department"]
                and j["Profession"] != s["Profession"])

    adjacent = [[s for s, senior in enumerate(seniors) if allowed(junior, senior)] for junior in juniors]
    return kuhn(adjacent, len(seniors)) == len(juniors)


def crafted_round(make_workbook):
    """Three top-scoring juniors who can only be partnered by the same senior, and two others."""
    stars = [junior_row(Grade="SEO", Department="DfT", Profession="GSR",
                        **{"Expression of interest": f"Star statement {k}."}) for k in range(3)]
    others = [junior_row(Grade="HEO", Department="DWP", Profession="GSS",
                         **{"Expression of interest": f"Other statement {k}."}) for k in range(2)]
    seniors = [senior_row(Grade="Grade 6", Department="HMT", Profession="GES"),       # can take anyone
               senior_row(Grade="Grade 7", Department="DfT", Profession="GSR")]       # only the HEOs
    scores = {**{s["Expression of interest"]: [5, 5, 5] for s in stars},
              **{o["Expression of interest"]: [3, 3, 2] for o in others}}
    return stars, others, seniors, scores, make_workbook([*stars, *others, *seniors])


def test_panel_is_blind_and_checked(make_workbook, tmp_path):
    stars, others, seniors, _scores, source = crafted_round(make_workbook)
    panel = tmp_path / "panel.xlsx"
    result = invoke("panel", str(source), "--assessors", "2", "-o", str(panel))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(panel)
    headers = [c.value for c in book["Panel"][1]]
    assert headers == ["Reference", "Expression of interest", "Words", "Assessor 1 score", "Assessor 2 score"]
    text = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)
    for person in [*stars, *others, *seniors]:
        assert person["Email"] not in text and person["Name"] not in text
    assert "DfT" not in text and "SEO" not in text and "blind" in text.lower()
    checks = book["Panel"].data_validations.dataValidation
    assert len(checks) == 2 and all((c.formula1, c.formula2) == ("1", "5") for c in checks)
    assert len(list(book["Panel"].iter_rows(min_row=2))) == 5  # juniors only
    again = tmp_path / "again.xlsx"
    assert invoke("panel", str(source), "--assessors", "2", "-o", str(again)).exit_code == 0
    assert read_sheet(panel, "Panel") == read_sheet(again, "Panel")  # references are reproducible


def test_shortlist_picks_a_jointly_matchable_set_that_beats_naive_top_n(make_workbook, tmp_path):
    stars, others, seniors, scores, source = crafted_round(make_workbook)
    panel = tmp_path / "panel.xlsx"
    assert invoke("panel", str(source), "-o", str(panel)).exit_code == 0
    filled = fill_scores(panel, scores, tmp_path / "filled.xlsx")
    output = tmp_path / "shortlist.xlsx"
    result = invoke("shortlist", str(source), "--places", "2", "--scores", str(filled), "-o", str(output))
    assert result.exit_code == 0, result.output
    chosen = {row["Email"] for row in read_sheet(output, "Selected")}
    people = {p["Email"]: p for p in [*stars, *others]}
    naive = {s["Email"] for s in stars[:2]}  # the two best scores: they cannot both be paired
    assert not can_all_be_paired([people[e] for e in naive], seniors)
    assert len(chosen) == 2 and can_all_be_paired([people[e] for e in chosen], seniors)
    total = lambda group: sum(sum(scores[people[e]["Expression of interest"]]) for e in group)  # noqa: E731
    best = max(total(g) for g in combinations(people, 2) if can_all_be_paired([people[e] for e in g], seniors))
    assert total(chosen) == best and chosen != naive
    reasons = {row["Email"]: row["Reason"] for row in read_sheet(output, "Not selected")}
    assert all("not matchable" in reasons[s["Email"]] for s in stars if s["Email"] not in chosen)
    matched = tmp_path / "pairings.xlsx"
    assert invoke("match", str(source), "--shortlist", str(output), "-o", str(matched)).exit_code == 0
    assert {row["Junior email"] for row in read_sheet(matched, "Pairings")} == chosen
    codes = {row["Email"]: row["Code"] for row in read_sheet(matched, "Unmatched")}
    assert all(codes[e] == "not-shortlisted" for e in people if e not in chosen)


def test_places_auto_takes_as_many_as_can_be_matched(make_workbook, tmp_path):
    stars, others, seniors, scores, source = crafted_round(make_workbook)
    output = tmp_path / "shortlist.xlsx"
    assert invoke("shortlist", str(source), "--places", "auto", "-o", str(output)).exit_code == 0
    selected = read_sheet(output, "Selected")
    assert len(selected) == 2  # two seniors: at most two juniors can be partnered at once
    settings = {row["Setting"]: row["Value"] for row in read_sheet(output, "Settings")}
    assert "submission order" in settings["Ranking"]
    everyone = [row["Email"] for sheet in ("Selected", "Not selected") for row in read_sheet(output, sheet)]
    assert sorted(everyone) == sorted(p["Email"] for p in [*stars, *others])


def test_scores_are_read_as_filled_in_with_problems_reported(make_workbook, tmp_path):
    _stars, _others, _seniors, scores, source = crafted_round(make_workbook)
    panel = tmp_path / "panel.xlsx"
    assert invoke("panel", str(source), "-o", str(panel)).exit_code == 0
    odd = {eoi: ([9, "seven", None] if eoi.startswith("Star statement 0") else values) for eoi, values in scores.items()}
    filled = fill_scores(panel, odd, tmp_path / "filled.xlsx")
    book = openpyxl.load_workbook(filled)
    book["Panel"].cell(row=1, column=4).value = "Panel member 1 score (1-5)"
    book.save(filled)
    output = tmp_path / "shortlist.xlsx"
    assert invoke("shortlist", str(source), "--places", "2", "--scores", str(filled), "-o", str(output)).exit_code == 0
    codes = [row["Code"] for row in read_sheet(output, "Problems")]
    assert codes.count("invalid-score") == 2 and "missing-score" in codes


def test_department_share_and_usage_errors(make_workbook, tmp_path):
    rows = [junior_row(Department="DfT") for _ in range(3)] + [junior_row(Department="DWP")]
    rows += [senior_row(Department="HMT") for _ in range(4)]
    source = make_workbook(rows)
    output = tmp_path / "shortlist.xlsx"
    assert invoke("shortlist", str(source), "--places", "2", "--max-share", "department=0.5", "-o", str(output)).exit_code == 0
    departments = [next(r["Department"] for r in rows if r["Email"] == row["Email"]) for row in read_sheet(output, "Selected")]
    assert sorted(departments) == ["DWP", "DfT"]
    assert any("department share" in row["Why not selected"] for row in read_sheet(output, "Reserve"))
    for bad in (["--places", "0"], ["--places", "many"], ["--places", "2", "--max-share", "region=0.5"],
                ["--places", "2", "--max-share", "department=2"]):
        result = invoke("shortlist", str(source), *bad)
        assert result.exit_code == 2 and "Traceback" not in result.output, bad
    wrong = invoke("shortlist", str(source), "--places", "2", "--scores", str(source))
    assert wrong.exit_code == 1 and "panel workbook" in wrong.output


def test_the_rule_without_scores_is_configurable_and_stated(make_workbook, tmp_path):
    rows = [junior_row(Department="DfT", Submitted=f"2026-09-0{9 - k} 10:00:00") for k in range(4)]
    rows += [senior_row(Department="HMT") for _ in range(2)]
    source = make_workbook(rows)
    picked = {}
    for rule in ("submission", "row", "random"):
        config = tmp_path / f"{rule}.toml"
        config.write_text(f'[panel]\nwithout_scores = "{rule}"\n')
        output = tmp_path / f"{rule}.xlsx"
        assert invoke("shortlist", str(source), "-c", str(config), "--places", "2", "-o", str(output)).exit_code == 0
        picked[rule] = [row["Email"] for row in read_sheet(output, "Selected")]
        ranking = {row["Setting"]: row["Value"] for row in read_sheet(output, "Settings")}["Ranking"]
        assert {"submission": "submission order", "row": "row order", "random": "random"}[rule] in ranking
    assert picked["submission"] == [rows[3]["Email"], rows[2]["Email"]]  # latest rows were submitted first
    assert picked["row"] == [rows[0]["Email"], rows[1]["Email"]]
    again = tmp_path / "random-again.xlsx"
    assert invoke("shortlist", str(source), "-c", str(tmp_path / "random.toml"), "--places", "2", "-o", str(again)).exit_code == 0
    assert [row["Email"] for row in read_sheet(again, "Selected")] == picked["random"]  # reproducible


def test_shortlisted_juniors_are_counted_in_the_pairings_and_the_board_report(make_workbook, tmp_path):
    stars, others, _seniors, _scores, source = crafted_round(make_workbook)
    shortlist = tmp_path / "shortlist.xlsx"
    assert invoke("shortlist", str(source), "--places", "2", "-o", str(shortlist)).exit_code == 0
    pairings = tmp_path / "pairings.xlsx"
    assert invoke("match", str(source), "--shortlist", str(shortlist), "-o", str(pairings)).exit_code == 0
    summary = {row["Measure"]: row["Value"] for row in read_sheet(pairings, "Summary")}
    assert summary["Shortlisted"] == 2
    breakdown = [row for row in read_sheet(pairings, "Breakdown") if row["Breakdown"] == "Grade"]
    assert sum(row["Juniors shortlisted"] for row in breakdown) == 2
    assert sum(row["Juniors"] for row in breakdown) == len(stars) + len(others)
    board = tmp_path / "board.xlsx"
    assert invoke("report", str(pairings), "-o", str(board)).exit_code == 0
    headline = {row["Measure"]: row["Value"] for row in read_sheet(board, "Headline")}
    assert headline["Shortlisted"] == "[c]"  # 2 is a small count
    assert "Juniors shortlisted" in [c.value for c in openpyxl.load_workbook(board)["By grade"][1]]
