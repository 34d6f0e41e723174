"""Blind EOI panel and shortlisting: `mentormatch panel`, `mentormatch shortlist` and `match --shortlist`.

Everything runs through the command line on generated rounds. Whether a set of juniors can all be
partnered at once is worked out here from the applicants' own answers (grade gap, department,
profession, do-not-match lists) with an independent maximum-matching helper, never read from the package.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from itertools import combinations
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import Facts, exited_cleanly, junior_row, most_pairs, read_sheet, read_table, senior_row
from mentormatch.cli.app import app

WIDE = {"COLUMNS": "200"}
EOI = "Expression of interest"
# The grade ladder as a user knows it, written out here rather than read from the package.
RANK = {"EO": 3, "HEO": 4, "SEO": 5, "G7": 6, "G6": 7, "SCS1": 8, "SCS2": 9,
        "Grade 7": 6, "Grade 6": 7, "Deputy Director": 8}
WORDS = ("amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbor", "iris", "juniper",
         "kestrel", "lagoon", "meadow", "nectar", "orchid", "prairie")


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

def invoke(*args: object) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args], env=WIDE)


def run_ok(*args: object) -> Any:
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return result


def statement(n: int) -> str:
    """A distinct, plain expression of interest (words separated by single spaces)."""
    return f"I would like to learn about {WORDS[n % len(WORDS)]} projects and grow as a leader number {n}"


def professions(row: dict[str, Any]) -> set[str]:
    return {p.strip() for p in str(row["Profession"]).split(";") if p.strip()}


def do_not_match(row: dict[str, Any]) -> set[str]:
    return {e.strip().lower() for e in str(row.get("Do not match with") or "").split(";") if e.strip()}


def facts(row: dict[str, Any]) -> Facts:
    """What the oracle knows of an application row."""
    return Facts(row["Email"].lower(), RANK[row["Grade"]], row["Department"], frozenset(professions(row)),
                 frozenset(do_not_match(row)))


def most_matchable(juniors: list[dict[str, Any]], seniors: list[dict[str, Any]]) -> int:
    """How many of these juniors can be partnered at the same time (seniors expanded into places)."""
    places = [s for s in seniors for _ in range(int(s["Capacity"] or 1))]
    return most_pairs([facts(j) for j in juniors], [facts(s) for s in places])


def jointly_matchable(juniors: list[dict[str, Any]], seniors: list[dict[str, Any]]) -> bool:
    return most_matchable(juniors, seniors) == len(juniors)


def best_total(juniors: list[dict[str, Any]], seniors: list[dict[str, Any]], means: dict[str, float],
               size: int) -> float:
    """Brute force: the highest total mean score of `size` juniors who can all be partnered at once."""
    totals = [sum(means[j["Email"]] for j in group) for group in combinations(juniors, size)
              if jointly_matchable(list(group), seniors)]
    return max(totals)


def make_panel(source: Path, output: Path, *args: object) -> list[dict[str, Any]]:
    run_ok("panel", source, "-o", output, *args)
    return read_sheet(output, "Panel")


def score_headers(path: Path) -> list[str]:
    headers = [c.value for c in next(openpyxl.load_workbook(path)["Panel"].iter_rows(max_row=1))]
    return [h for h in headers if h and "mark" in str(h).lower()]


def fill_panel(panel: Path, output: Path, scores: dict[str, list[Any]]) -> Path:
    """Type each EOI's scores into the score columns, as assessors would; None leaves a cell blank."""
    book = openpyxl.load_workbook(panel)
    ws = book["Panel"]
    headers = [c.value for c in ws[1]]
    at_eoi = headers.index(EOI)
    columns = [i for i, h in enumerate(headers) if h and "mark" in str(h).lower()]
    for row in ws.iter_rows(min_row=2):
        for i, value in zip(columns, scores.get(row[at_eoi].value, []), strict=False):
            row[i].value = value
    book.save(output)
    return output


def shortlist(source: Path, output: Path, *args: object) -> dict[str, list[dict[str, Any]]]:
    run_ok("shortlist", source, "-o", output, *args)
    return {name: read_sheet(output, name) for name in ("Selected", "Reserve", "Not selected", "Problems", "Settings")}


def emails(rows: list[dict[str, Any]]) -> list[str]:
    return [row["Email"] for row in rows]


def setting(book: dict[str, list[dict[str, Any]]], name: str) -> Any:
    return next(row["Value"] for row in book["Settings"] if row["Setting"] == name)


def mean(values: list[Any]) -> float:
    numbers = [v for v in values if v is not None]
    return sum(numbers) / len(numbers)


def roomy_seniors(n: int = 2, capacity: int = 4, department: str = "HMT") -> list[dict[str, Any]]:
    """Seniors who can partner any HEO junior outside `department` without a GES profession."""
    return [senior_row(Grade="G7", Department=department, Profession="GES", Capacity=capacity) for _ in range(n)]


# ---------------------------------------------------------------------------------------------
# 1. The blind panel
# ---------------------------------------------------------------------------------------------

def test_panel_is_blind_with_one_checked_row_per_eligible_junior(make_workbook, tmp_path):
    grades, departments = ("EO", "HEO", "SEO"), ("DfE", "DWP", "MoJ", "HMRC", "DHSC")
    juniors = [junior_row(Grade=grades[i % 3], Department=departments[i % 5], **{EOI: statement(i)})
               for i in range(12)]
    ineligible = [junior_row(Barriers="No", **{EOI: statement(12)}),
                  junior_row(Email="not an email", **{EOI: statement(13)})]
    seniors = roomy_seniors(2)
    rows = [*juniors[:5], ineligible[0], *juniors[5:], *seniors, ineligible[1]]
    source = make_workbook(rows)
    before = source.read_bytes()

    first, second = tmp_path / "panel.xlsx", tmp_path / "panel-again.xlsx"
    panel = make_panel(source, first)

    # One row per eligible junior, nobody else; the headers a panel expects.
    assert sorted(row[EOI] for row in panel) == sorted(j[EOI] for j in juniors)
    headers = list(panel[0].keys())
    assert headers == ["Reference", EOI, "Words", "Assessor 1 mark", "Assessor 2 mark", "Assessor 3 mark"]
    assert all(row["Words"] == len(row[EOI].split()) for row in panel)
    assert len({row["Reference"] for row in panel}) == len(panel)

    # Nothing that identifies an applicant, on any sheet.
    book = openpyxl.load_workbook(first)
    cells = [str(c) for ws in book for r in ws.iter_rows(values_only=True) for c in r if c is not None]
    people = [*juniors, *ineligible, *seniors]
    forbidden = {p["Email"] for p in people} | {p["Name"] for p in people} | {p["Department"] for p in people} \
        | {p["Grade"] for p in people} | {"Executive Officer", "Department for"}
    leaks = [(text, cell) for text in forbidden for cell in cells if text in cell]
    assert leaks == []
    assert not any(cell in ("Yes", "No") for cell in cells)  # the barriers answers

    # Each score column is checked: whole numbers from 1 to 5, on every applicant's row.
    ws = book["Panel"]
    checks = ws.data_validations.dataValidation
    for k in range(3):
        letter = openpyxl.utils.get_column_letter(4 + k)
        covering = [dv for dv in checks if all(f"{letter}{r}" in dv.sqref for r in range(2, len(panel) + 2))]
        assert covering, f"score column {letter} has no check"
        assert all(dv.type == "whole" and dv.operator == "between" and (dv.formula1, dv.formula2) == ("1", "5")
                   for dv in covering)
    for letter in "ABC":
        assert not any(f"{letter}2" in dv.sqref for dv in checks)

    instructions = " ".join(str(c) for r in book["Instructions"].iter_rows(values_only=True) for c in r if c)
    assert "blind" in instructions.lower()

    # Same file, same references; the references do not follow row order.
    again = make_panel(source, second)
    assert [(r["Reference"], r[EOI]) for r in again] == [(r["Reference"], r[EOI]) for r in panel]
    row_of = {j[EOI]: n for n, j in enumerate(juniors)}
    by_reference = [row_of[r[EOI]] for r in sorted(panel, key=lambda r: r["Reference"])]
    assert by_reference != sorted(by_reference)

    assert source.read_bytes() == before


def test_panel_assessors_option_and_config_scale(make_workbook, tmp_path):
    juniors = [junior_row(Department="DfE", **{EOI: statement(i)}) for i in range(3)]
    source = make_workbook([*juniors, *roomy_seniors(1)])

    five = make_panel(source, tmp_path / "five.xlsx", "--assessors", "5")
    assert [h for h in five[0] if "mark" in h.lower()] == [f"Assessor {k} mark" for k in range(1, 6)]

    config = tmp_path / "panel.toml"
    # min_score and max_score, as earlier versions named min_mark and max_mark, are still read.
    config.write_text("[panel]\nassessors = 2\nmin_score = 0\nmax_score = 10\n", encoding="utf-8")
    path = tmp_path / "ten.xlsx"
    ten = make_panel(source, path, "--config", config)
    assert [h for h in ten[0] if "mark" in h.lower()] == ["Assessor 1 mark", "Assessor 2 mark"]
    checks = openpyxl.load_workbook(path)["Panel"].data_validations.dataValidation
    for letter in "DE":
        covering = [dv for dv in checks if f"{letter}2" in dv.sqref]
        assert covering and all((dv.type, dv.formula1, dv.formula2) == ("whole", "0", "10") for dv in covering)


# ---------------------------------------------------------------------------------------------
# 2. A shortlist is a matchable selection, not a sort
# ---------------------------------------------------------------------------------------------

def test_shortlist_beats_naive_top_n_when_top_scorers_compete_for_one_senior(make_workbook, tmp_path):
    # Two seniors. The three best statements come from DWP juniors, whom only the HMT senior may
    # partner (the other senior is in DWP); the HMT juniors can only go to the DWP senior.
    s_hmt = senior_row(Grade="G7", Department="HMT", Profession="GES", Capacity=1)
    s_dwp = senior_row(Grade="G7", Department="DWP", Profession="GES", Capacity=1)
    a, b, c = (junior_row(Grade="HEO", Department="DWP", Profession="GSR", **{EOI: statement(i)}) for i in range(3))
    d, e = (junior_row(Grade="HEO", Department="HMT", Profession="GSR", **{EOI: statement(i)}) for i in (3, 4))
    f = junior_row(Grade="SEO", Department="DfT", Profession="GSR", **{EOI: statement(5)})  # grade gap too small
    juniors, seniors = [a, b, c, d, e, f], [s_hmt, s_dwp]
    source = make_workbook([f, e, d, s_hmt, c, b, a, s_dwp])
    marks = {a[EOI]: [5, 5, 5], b[EOI]: [5, 5, 4], c[EOI]: [5, 4, 4], d[EOI]: [3, 4, 3], e[EOI]: [3, 2, 3],
             f[EOI]: [1, 2, 1]}
    means = {j["Email"]: mean(marks[j[EOI]]) for j in juniors}

    panel = tmp_path / "panel.xlsx"
    make_panel(source, panel)
    filled = fill_panel(panel, tmp_path / "filled.xlsx", marks)
    out = shortlist(source, tmp_path / "shortlist.xlsx", "--places", 2, "--marks", filled)

    by_email = {j["Email"]: j for j in juniors}
    chosen = [by_email[e] for e in emails(out["Selected"])]
    naive = sorted(juniors, key=lambda j: -means[j["Email"]])[:2]
    assert not jointly_matchable(naive, seniors)  # the trap is real
    assert len(chosen) == 2
    assert jointly_matchable(chosen, seniors)
    assert sum(means[j["Email"]] for j in chosen) == pytest.approx(best_total(juniors, seniors, means, 2))
    assert {j["Email"] for j in chosen} != {j["Email"] for j in naive}
    # The selected scores are the panel's means.
    assert all(row["Mean mark"] == pytest.approx(means[row["Email"]], abs=0.01) for row in out["Selected"])

    # Those passed over say why; the junior nobody may partner is not offered a reserve place.
    reasons = {row["Email"]: row["Reason"] for row in out["Not selected"]}
    reasons |= {row["Email"]: row["Why not selected"] for row in out["Reserve"]}
    assert all(reasons.get(j["Email"]) for j in juniors if j not in chosen)
    assert f["Email"] not in emails(out["Reserve"])

    # 'auto' takes as many as can be matched at once: here, still two.
    auto = shortlist(source, tmp_path / "auto.xlsx", "--places", "auto", "--marks", filled)
    assert set(emails(auto["Selected"])) == {j["Email"] for j in chosen}

    # And matching the shortlist partners every selected junior.
    pairings = tmp_path / "pairings.xlsx"
    run_ok("match", source, "--shortlist", tmp_path / "shortlist.xlsx", "-o", pairings)
    assert {row["Junior email"] for row in read_sheet(pairings, "Pairings")} == {j["Email"] for j in chosen}


# ---------------------------------------------------------------------------------------------
# 3. The property: random small rounds with random panel scores
# ---------------------------------------------------------------------------------------------

GRADES_J, GRADES_S = ("EO", "HEO", "SEO"), ("G7", "G6", "SCS1")
DEPARTMENTS, PROFESSIONS = ("DfT", "HMT", "DWP"), ("GSR", "GES", "GSS")


@st.composite
def scored_rounds(draw: st.DrawFn) -> dict[str, Any]:
    score = st.integers(1, 5)
    n_juniors = draw(st.integers(1, 7))
    seniors = [senior_row(Email=f"s{i}@example.gov.uk", Grade=draw(st.sampled_from(GRADES_S)),
                          Department=draw(st.sampled_from(DEPARTMENTS)),
                          Profession=draw(st.sampled_from(PROFESSIONS)), Capacity=draw(st.integers(1, 2)))
               for i in range(draw(st.integers(1, 4)))]
    juniors, marks = [], {}
    for i in range(n_juniors):
        refuse = draw(st.sampled_from(["", "", "", *[s["Email"] for s in seniors]]))
        row = junior_row(Email=f"j{i}@example.gov.uk", Grade=draw(st.sampled_from(GRADES_J)),
                         Department=draw(st.sampled_from(DEPARTMENTS)),
                         Profession=draw(st.sampled_from(PROFESSIONS)),
                         **{EOI: statement(i), "Do not match with": refuse})
        juniors.append(row)
        marks[row[EOI]] = [draw(score), draw(st.none() | score), draw(st.none() | score)]
    ineligible = [junior_row(Email=f"x{i}@example.gov.uk", Barriers="No", **{EOI: statement(20 + i)})
                  for i in range(draw(st.integers(0, 2)))]
    places = draw(st.sampled_from(["auto"]) | st.integers(1, 8).map(str))
    order = draw(st.permutations([*juniors, *seniors, *ineligible]))
    return {"juniors": juniors, "seniors": seniors, "ineligible": ineligible, "marks": marks,
            "places": places, "rows": order}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scored_rounds())
def test_random_rounds_select_the_best_jointly_matchable_juniors(make_workbook, tmp_path, data):
    juniors, seniors, ineligible = data["juniors"], data["seniors"], data["ineligible"]
    source = make_workbook(data["rows"], name="round.xlsx")
    panel = tmp_path / "round-panel.xlsx"
    make_panel(source, panel)
    filled = fill_panel(panel, tmp_path / "round-filled.xlsx", data["marks"])
    out = shortlist(source, tmp_path / "round-shortlist.xlsx", "--places", data["places"], "--marks", filled)

    means = {j["Email"]: mean(data["marks"][j[EOI]]) for j in juniors}
    by_email = {j["Email"]: j for j in juniors}
    selected = emails(out["Selected"])
    assert len(selected) == len(set(selected))
    assert set(selected) <= set(by_email)
    chosen = [by_email[e] for e in selected]

    # Everyone selected can be partnered at the same time, and as many as were asked for.
    assert jointly_matchable(chosen, seniors)
    most = most_matchable(juniors, seniors)
    expected = most if data["places"] == "auto" else min(int(data["places"]), most)
    assert len(chosen) == expected
    # No other jointly matchable set of that size has a higher total score.
    if chosen:
        total = sum(means[e] for e in selected)
        assert total == pytest.approx(best_total(juniors, seniors, means, len(chosen)))
    assert [row["Rank"] for row in out["Selected"]] == list(range(1, len(selected) + 1))
    assert all(row["Mean mark"] == pytest.approx(means[row["Email"]], abs=0.01) for row in out["Selected"])

    # Everyone is accounted for: each eligible junior is selected or passed over with a reason;
    # rows with errors are passed over too.
    reserve, passed = emails(out["Reserve"]), emails(out["Not selected"])
    assert not set(selected) & (set(reserve) | set(passed))
    assert set(selected) | set(reserve) | set(passed) == set(by_email) | {x["Email"] for x in ineligible}
    assert all(n == 1 for n in Counter(passed).values()) and all(n == 1 for n in Counter(reserve).values())
    assert all(row["Reason"] for row in out["Not selected"])
    assert {x["Email"] for x in ineligible} <= set(passed)
    assert [row["Rank"] for row in out["Reserve"]] == list(range(1, len(reserve) + 1))


def test_each_junior_is_listed_on_exactly_one_of_selected_reserve_and_not_selected(make_workbook, tmp_path):
    juniors = [junior_row(Department="DfE", **{EOI: statement(i)}) for i in range(5)]
    ineligible = junior_row(Barriers="No", **{EOI: statement(9)})
    source = make_workbook([*juniors, ineligible, *roomy_seniors(2)])
    out = shortlist(source, tmp_path / "shortlist.xlsx", "--places", 2)
    listed = Counter([*emails(out["Selected"]), *emails(out["Reserve"]), *emails(out["Not selected"])])
    assert listed == Counter([*(j["Email"] for j in juniors), ineligible["Email"]])


# ---------------------------------------------------------------------------------------------
# 4. Scores are read back as the assessors filled them in
# ---------------------------------------------------------------------------------------------

def test_scores_read_back_as_filled_in(make_workbook, tmp_path):
    juniors = [junior_row(Department="DfE", **{EOI: statement(i)}) for i in range(6)]
    source = make_workbook([*juniors, *roomy_seniors(2)])
    panel = tmp_path / "panel.xlsx"
    rows = make_panel(source, panel)
    reference = {row[EOI]: row["Reference"] for row in rows}
    line = {row[EOI]: n for n, row in enumerate(rows, start=2)}
    j0, j1, j2, j3, j4, j5 = (j[EOI] for j in juniors)

    book = openpyxl.load_workbook(panel)
    ws = book["Panel"]
    headers = [c.value for c in ws[1]]
    ws.cell(row=1, column=headers.index("Assessor 2 mark") + 1, value="Panel member 2 mark (1-5)")
    columns = [i + 1 for i, h in enumerate(headers) if "mark" in h.lower()]
    marks = {j0: [2, 5, 5], j1: [4, None, 5], j2: [3, None, 5], j3: [None, 2, 3], j4: [1, 1, 2], j5: [3, 3, 3]}
    for text, values in marks.items():
        for column, value in zip(columns, values, strict=True):
            ws.cell(row=line[text], column=column, value=value)
    ws.cell(row=line[j4], column=headers.index("Reference") + 1, value="R-renamed")  # reference altered
    stray = ws.max_row + 1
    ws.cell(row=stray, column=headers.index("Reference") + 1, value="R999")
    ws.cell(row=stray, column=headers.index(EOI) + 1, value="A statement nobody in this round wrote.")
    for column in columns:
        ws.cell(row=stray, column=column, value=5)
    filled = tmp_path / "filled.xlsx"
    book.save(filled)

    out = shortlist(source, tmp_path / "shortlist.xlsx", "--places", "auto", "--marks", filled)
    score = {row["Email"]: row["Mean mark"] for row in out["Selected"]}
    email = {j[EOI]: j["Email"] for j in juniors}
    assert len(score) == len(juniors)
    assert score[email[j0]] == pytest.approx(4.0)  # the renamed column counts
    assert score[email[j1]] == pytest.approx(4.5)  # blank: mean of the others
    assert score[email[j2]] == pytest.approx(4.0)
    assert score[email[j3]] == pytest.approx(2.5)
    assert score[email[j4]] == pytest.approx(4 / 3, abs=0.01)  # credited by its EOI
    assert score[email[j5]] == pytest.approx(3.0)

    problems = out["Problems"]
    missing = {p["Value"]: p["Message"] for p in problems if p["Code"] == "missing-mark"}
    assert "Panel member 2 mark (1-5)" in missing[reference[j1]]  # names the assessor who did not score
    assert "Assessor 1 mark" in missing[reference[j3]]
    assert reference[j0] not in missing and reference[j5] not in missing
    unknown = [p for p in problems if p["Code"] == "panel-row-unknown"]
    assert [p["Row"] for p in unknown] == [stray]


# ---------------------------------------------------------------------------------------------
# 5. Ties and submission order
# ---------------------------------------------------------------------------------------------

def test_ties_follow_the_documented_rule(make_workbook, tmp_path):
    # (scores, submitted) per junior, in row order. Three pairs of equal means, each settled by a
    # different step of the rule: more scores, then earlier submission, then earlier row.
    spec = [([4, 4, None], "2024-01-01 09:00"),   # mean 4, two scores, earliest, first row
            ([3, 5, 4], "2024-01-09 09:00"),      # mean 4, three scores: ahead of the one above
            ([3, 3, 3], "2024-01-05 09:00"),      # mean 3
            ([2, 4, 3], "2024-01-02 09:00"),      # mean 3, submitted earlier: ahead of the one above
            ([2, 2, 2], ""),                      # mean 2, no time: row order
            ([1, 3, 2], ""),
            ([3, 1, 2], "")]
    juniors = [junior_row(Department="DfE", Submitted=when, **{EOI: statement(i)})
               for i, (_marks, when) in enumerate(spec)]
    source = make_workbook([*juniors, *roomy_seniors(2)])
    panel = tmp_path / "panel.xlsx"
    make_panel(source, panel)
    filled = fill_panel(panel, tmp_path / "filled.xlsx", {j[EOI]: m for j, (m, _w) in zip(juniors, spec, strict=True)})
    out = shortlist(source, tmp_path / "shortlist.xlsx", "--places", 3, "--marks", filled)

    def rule(n: int) -> tuple[Any, ...]:
        marks, when = spec[n]
        given_ = [m for m in marks if m is not None]
        return (-mean(marks), -len(given_), datetime.fromisoformat(when) if when else datetime.max, n)

    expected = [juniors[n]["Email"] for n in sorted(range(len(spec)), key=rule)]
    assert emails(out["Selected"]) + emails(out["Reserve"]) == expected
    assert [row["Rank"] for row in out["Reserve"]] == list(range(1, len(spec) - 2))
    rule_text = str(setting(out, "Ties broken by")).lower()
    assert "submission" in rule_text and "row" in rule_text


def test_without_marks_selection_follows_submission_order(make_workbook, tmp_path):
    times = ["2024-03-05 10:00", "2024-03-01 10:00", "", "2024-03-03 10:00", "2024-03-02 10:00"]
    juniors = [junior_row(Department="DfE", Submitted=when, **{EOI: statement(i)}) for i, when in enumerate(times)]
    source = make_workbook([*juniors, *roomy_seniors(2)])
    out = shortlist(source, tmp_path / "shortlist.xlsx", "--places", 2)

    def submitted(j: dict[str, Any]) -> datetime:
        return datetime.fromisoformat(j["Submitted"]) if j["Submitted"] else datetime.max

    by_time = [j["Email"] for j in sorted(juniors, key=submitted)]
    assert emails(out["Selected"]) == by_time[:2]
    assert emails(out["Reserve"]) == by_time[2:]
    assert "submission order" in str(setting(out, "Ranking")).lower()
    assert all(row["Mean mark"] in (None, "") for row in out["Selected"])


# ---------------------------------------------------------------------------------------------
# 6. Department share
# ---------------------------------------------------------------------------------------------

def test_max_share_caps_a_department_and_reserves_the_one_passed_over(make_workbook, tmp_path):
    departments = ["DfT", "DfT", "DfT", "HMRC", "DWP", "MoJ"]
    juniors = [junior_row(Department=d, **{EOI: statement(i)}) for i, d in enumerate(departments)]
    marks = {j[EOI]: [5 - i, 5 - i, 5 - i] if i < 5 else [1, 1, 1] for i, j in enumerate(juniors)}
    source = make_workbook([*juniors, *roomy_seniors(2)])
    panel = tmp_path / "panel.xlsx"
    make_panel(source, panel)
    filled = fill_panel(panel, tmp_path / "filled.xlsx", marks)
    dept = {j["Email"]: j["Department"] for j in juniors}
    third_dft = juniors[2]["Email"]

    free = shortlist(source, tmp_path / "free.xlsx", "--places", 4, "--marks", filled)
    assert third_dft in emails(free["Selected"])  # without the cap, three DfT juniors get in

    out = shortlist(source, tmp_path / "capped.xlsx", "--places", 4, "--marks", filled,
                    "--max-share", "department=0.5")
    selected = emails(out["Selected"])
    assert len(selected) == 4
    assert max(Counter(dept[e] for e in selected).values()) <= 2
    reserve = {row["Email"]: row["Why not selected"] for row in out["Reserve"]}
    assert third_dft in reserve
    assert "share" in reserve[third_dft].lower() and "DfT" in reserve[third_dft]


# ---------------------------------------------------------------------------------------------
# 7. Usage and bad inputs
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, option", [
    (["--places", "0"], "--places"),
    (["--places", "many"], "--places"),
    (["--places", "3", "--max-share", "region=0.5"], "--max-share"),
    (["--places", "3", "--max-share", "department=2"], "--max-share"),
])
def test_shortlist_usage_errors_exit_2(make_workbook, tmp_path, args, option):
    source = make_workbook([junior_row(**{EOI: statement(0)}), *roomy_seniors(1, department="HMT")])
    target = tmp_path / "shortlist.xlsx"
    result = invoke("shortlist", source, "-o", target, *args)
    assert result.exit_code == 2, result.output
    assert option in result.output and args[-1] in result.output
    assert exited_cleanly(result)
    assert not target.exists()


def test_scores_that_are_not_a_panel_workbook_exit_1(make_workbook, tmp_path):
    source = make_workbook([junior_row(**{EOI: statement(0)}), *roomy_seniors(1)])
    other = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Panel"
    book.active.append(["Ref", "Assessor 1 mark"])
    book.active.append(["R001", 4])
    book.save(other)
    for scores in (source, other, tmp_path / "missing.xlsx"):
        target = tmp_path / "shortlist.xlsx"
        result = invoke("shortlist", source, "--places", 1, "--marks", scores, "-o", target)
        assert result.exit_code == 1, result.output
        assert exited_cleanly(result) and scores.name in result.output
        assert not target.exists()


# ---------------------------------------------------------------------------------------------
# 8. match --shortlist
# ---------------------------------------------------------------------------------------------

def test_match_pairs_only_the_shortlisted_juniors(make_workbook, tmp_path):
    juniors = [junior_row(Department=d, **{EOI: statement(i)})
               for i, d in enumerate(["DfE", "DWP", "MoJ", "HMRC", "DfE"])]
    ineligible = junior_row(Barriers="No", **{EOI: statement(8)})
    source = make_workbook([*juniors, ineligible, *roomy_seniors(3, capacity=2)])
    short = tmp_path / "shortlist.xlsx"
    chosen = set(emails(shortlist(source, short, "--places", 2)["Selected"]))
    assert len(chosen) == 2

    pairings = tmp_path / "pairings.xlsx"
    run_ok("match", source, "--shortlist", short, "-o", pairings)
    assert {row["Junior email"] for row in read_sheet(pairings, "Pairings")} == chosen
    unmatched = {row["Email"]: row["Code"] for row in read_sheet(pairings, "Unmatched") if row["Role"] == "junior"}
    for junior in juniors:
        if junior["Email"] not in chosen:
            assert unmatched[junior["Email"]] == "not-shortlisted"
    assert unmatched[ineligible["Email"]] != "not-shortlisted"

    # Without the shortlist, the same round pairs everyone eligible: the filter did the excluding.
    everyone = tmp_path / "everyone.xlsx"
    run_ok("match", source, "-o", everyone)
    assert len(read_sheet(everyone, "Pairings")) == len(juniors)


def test_match_refuses_a_workbook_that_is_not_a_shortlist(make_workbook, tmp_path):
    source = make_workbook([junior_row(**{EOI: statement(0)}), *roomy_seniors(1)])
    panel = tmp_path / "panel.xlsx"
    make_panel(source, panel)
    no_email = tmp_path / "no-email.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Selected"
    book.active.append(["Name", "Reference"])
    book.active.append(["Junior", "R001"])
    book.save(no_email)
    for wrong in (panel, source, no_email):
        target = tmp_path / "pairings.xlsx"
        result = invoke("match", source, "--shortlist", wrong, "-o", target)
        assert result.exit_code == 1, result.output
        assert exited_cleanly(result) and wrong.name in result.output
        assert not target.exists()


# ---------------------------------------------------------------------------------------------
# A crafted round: three top scorers who compete for one senior
# ---------------------------------------------------------------------------------------------

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
    assert headers == ["Reference", "Expression of interest", "Words", "Assessor 1 mark", "Assessor 2 mark"]
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
    filled = fill_panel(panel, tmp_path / "filled.xlsx", scores)
    output = tmp_path / "shortlist.xlsx"
    result = invoke("shortlist", str(source), "--places", "2", "--marks", str(filled), "-o", str(output))
    assert result.exit_code == 0, result.output
    chosen = {row["Email"] for row in read_sheet(output, "Selected")}
    people = {p["Email"]: p for p in [*stars, *others]}
    naive = {s["Email"] for s in stars[:2]}  # the two best scores: they cannot both be paired
    assert not jointly_matchable([people[e] for e in naive], seniors)
    assert len(chosen) == 2 and jointly_matchable([people[e] for e in chosen], seniors)
    total = lambda group: sum(sum(scores[people[e]["Expression of interest"]]) for e in group)  # noqa: E731
    best = max(total(g) for g in combinations(people, 2) if jointly_matchable([people[e] for e in g], seniors))
    assert total(chosen) == best and chosen != naive
    reasons = {row["Email"]: row["Reason"] for row in read_sheet(output, "Not selected")}
    assert all("not matchable" in reasons[s["Email"]] for s in stars if s["Email"] not in chosen)
    matched = tmp_path / "pairings.xlsx"
    assert invoke("match", str(source), "--shortlist", str(output), "-o", str(matched)).exit_code == 0
    assert {row["Junior email"] for row in read_sheet(matched, "Pairings")} == chosen
    codes = {row["Email"]: row["Code"] for row in read_sheet(matched, "Unmatched")}
    assert all(codes[e] == "not-shortlisted" for e in people if e not in chosen)


def test_places_auto_takes_as_many_as_can_be_matched(make_workbook, tmp_path):
    stars, others, _seniors, _scores, source = crafted_round(make_workbook)
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
    filled = fill_panel(panel, tmp_path / "filled.xlsx", odd)
    book = openpyxl.load_workbook(filled)
    book["Panel"].cell(row=1, column=4).value = "Panel member 1 score (1-5)"
    book.save(filled)
    output = tmp_path / "shortlist.xlsx"
    stopped = invoke("shortlist", str(source), "--places", "2", "--marks", str(filled), "-o", str(output))
    assert stopped.exit_code == 1 and not output.exists()
    assert "Panel member 1 score (1-5) '9'" in stopped.output and "'seven'" in stopped.output
    fixed = {eoi: ([None, None, 5] if eoi.startswith("Star statement 0") else values) for eoi, values in scores.items()}
    fill_panel(panel, filled, fixed)
    assert invoke("shortlist", str(source), "--places", "2", "--marks", str(filled), "-o", str(output)).exit_code == 0
    missing = [row["Message"] for row in read_sheet(output, "Problems") if row["Code"] == "missing-mark"]
    assert missing == ["No mark from Assessor 1 mark, Assessor 2 mark; the mean of the other marks is used."]


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
        assert result.exit_code == 2 and exited_cleanly(result), bad
    wrong = invoke("shortlist", str(source), "--places", "2", "--marks", str(source))
    assert wrong.exit_code == 1 and "panel workbook" in wrong.output


def test_the_rule_without_marks_is_configurable_and_stated(make_workbook, tmp_path):
    rows = [junior_row(Department="DfT", Submitted=f"2026-09-0{9 - k} 10:00:00") for k in range(4)]
    rows += [senior_row(Department="HMT") for _ in range(2)]
    source = make_workbook(rows)
    picked = {}
    for rule in ("submission", "row", "random"):
        config = tmp_path / f"{rule}.toml"
        config.write_text(f'[panel]\nwithout_marks = "{rule}"\n')
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
    assert summary["Juniors shortlisted"] == 2
    breakdown = [row for row in read_sheet(pairings, "Breakdown") if row["Breakdown"] == "Grade"]
    assert sum(row["Juniors shortlisted"] for row in breakdown) == 2
    assert sum(row["Juniors"] for row in breakdown) == len(stars) + len(others)
    board = tmp_path / "board.xlsx"
    assert invoke("report", str(pairings), "-o", str(board)).exit_code == 0
    headline = {row["Measure"]: row["Value"] for row in read_table(board, "Headline")}
    assert headline["Juniors shortlisted"] == "[c]"  # 2 is a small count
    assert "Juniors shortlisted" in read_table(board, "Juniors by grade")[0]


def _panel_with(make_workbook, tmp_path, values: list[object]) -> tuple[Path, Path]:
    """A three-junior round and its panel, the first assessor column filled with `values`."""
    juniors = [junior_row(Department="DfE", **{EOI: statement(i)}) for i in range(3)]
    source = make_workbook([*juniors, *roomy_seniors(2)])
    panel = tmp_path / "panel.xlsx"
    make_panel(source, panel)
    book = openpyxl.load_workbook(panel)
    ws = book["Panel"]
    for row, value in enumerate(values, start=2):
        ws.cell(row=row, column=4, value=value)
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    return source, filled


@pytest.mark.parametrize("bad", ["seven", 4.5, 9, 0, -1])
def test_a_score_off_the_whole_number_scale_stops_the_shortlist_at_its_cell(make_workbook, tmp_path, bad):
    source, filled = _panel_with(make_workbook, tmp_path, [3, bad, 5])
    result = invoke("shortlist", source, "--places", "auto", "--marks", filled, "-o", tmp_path / "s.xlsx")
    assert result.exit_code == 1 and exited_cleanly(result) and not (tmp_path / "s.xlsx").exists()
    assert f"row 3 Assessor 1 mark {str(bad)!r}" in " ".join(result.output.split())


def test_a_panel_with_no_mark_entered_is_not_a_ranking(make_workbook, tmp_path):
    source, filled = _panel_with(make_workbook, tmp_path, [None, None, None])
    result = invoke("shortlist", source, "--places", "auto", "--marks", filled, "-o", tmp_path / "s.xlsx")
    assert result.exit_code == 1 and exited_cleanly(result) and "no marks entered" in result.output
    assert not (tmp_path / "s.xlsx").exists()


def test_the_panel_instructions_state_the_scale_and_the_whole_command(make_workbook, tmp_path):
    source = make_workbook([junior_row(), *roomy_seniors(1)])
    config = tmp_path / "round.toml"
    config.write_text("[panel]\nmin_mark = 1\nmax_mark = 4\n")
    run_ok("panel", source, "-o", tmp_path / "panel.xlsx", "--config", config)
    text = " ".join(row["Instructions"] or "" for row in read_sheet(tmp_path / "panel.xlsx", "Instructions"))
    assert "from 1 to 4" in text
    assert f"mentormatch shortlist {source.name} --places N --marks panel.xlsx --config round.toml" in text
