"""`mentormatch check`: a hand-edited Pairings sheet, checked against an oracle that knows every applicant.

Rounds are built from people whose grade, department, profession and capacity the oracle knows;
after `match`, the Pairings sheet is edited as a coordinator would (seniors swapped, rows deleted or
added, emails retyped, the sheet sorted, filtered and its columns moved) and every problem `check`
reports must be the oracle's, at the row the edited sheet shows it on.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import Facts, exited_cleanly, junior_row, read_sheet, read_table, senior_row, write_rows
from conftest import allowed as rules_allow
from mentormatch.cli.app import app
from mentormatch.outputs.checked import BROKEN, CHANGED

RANK = {"EO": 3, "HEO": 4, "SEO": 5, "Grade 7": 6, "Grade 6": 7, "Deputy Director": 8}
DEPARTMENTS = ["DfT", "HMRC", "DWP", "ONS"]
PROFESSIONS = ["GSS", "GES", "GSR"]


def invoke(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def make_round(folder: Path, seed: int) -> tuple[Path, dict[str, dict]]:
    """Applications and what the oracle knows of each applicant, then `match`'s pairings workbook."""
    rng = random.Random(seed)
    rows, truth = [], {}
    for n in range(16):
        junior = n < 10
        grade = rng.choice(["EO", "HEO", "SEO"] if junior else ["Grade 7", "Grade 6", "Deputy Director"])
        row = (junior_row if junior else senior_row)(
            Email=f"{'j' if junior else 's'}{n}@example.gov.uk", Grade=grade, Department=rng.choice(DEPARTMENTS),
            Profession=rng.choice(PROFESSIONS), Capacity="" if junior else rng.choice([1, 2]))
        rows.append(row)
        truth[row["Email"]] = {"junior": junior, "rank": RANK[grade], "department": row["Department"],
                               "profession": row["Profession"], "capacity": row["Capacity"] or 1}
    applications = write_rows(folder / "applications.xlsx", rows)
    result = invoke("match", applications, "-o", folder / "pairings.xlsx")
    assert result.exit_code == 0, result.output
    return folder / "pairings.xlsx", truth


def facts(truth: dict[str, dict], email: str) -> Facts:
    t = truth[email]
    return Facts(email, t["rank"], t["department"], frozenset({t["profession"]}))


def allowed(truth: dict[str, dict], junior: str, senior: str) -> bool:
    return rules_allow(facts(truth, junior), facts(truth, senior))


def expected(sheet: list[tuple[int, str, str]], truth: dict[str, dict], listed: set[str]) -> set[tuple]:
    """The oracle's (row, column, code) of an edited sheet of (row, junior, senior)."""
    found: set[tuple] = set()
    first: dict[str, int] = {}
    used: dict[str, int] = {}
    for row, junior, senior in sheet:
        known = True
        for email, role, column in ((junior, True, "Junior email"), (senior, False, "Senior email")):
            if email not in truth or truth[email]["junior"] is not role:
                found.add((row, column, "not-an-applicant"))
                known = False
        if junior in first:
            found.add((row, "Junior email", "paired-twice"))
        first.setdefault(junior, row)
        if senior in truth:
            used[senior] = used.get(senior, 0) + 1
            if used[senior] == truth[senior]["capacity"] + 1:
                found.add((row, "Senior email", "over-capacity"))
        if known and not allowed(truth, junior, senior):
            found.add((row, "Senior email", "pair-breaks-rule"))
    present = {email for _row, j, s in sheet for email in (j, s)}
    found |= {(None, None, "dropped-applicant") for email in truth if email not in present and email not in listed}
    return found


def reported(folder: Path, workbook: Path) -> tuple[int, set[tuple]]:
    output = folder / "checked.xlsx"
    output.unlink(missing_ok=True)
    result = invoke("check", workbook, "-o", output)
    assert exited_cleanly(result) and result.exit_code in (0, 1), result.output
    problems = read_sheet(output, "Check problems")  # cells that describe a partner are checked on their own
    return result.exit_code, {(p["Row"], p["Column"], p["Code"]) if p["Code"] != "dropped-applicant"
                              else (None, None, p["Code"]) for p in problems if p["Code"] != "cell-disagrees"}


def edit(pairings: Path, target: Path, change) -> list[tuple[int, str, str]]:
    """Apply `change(rows)` to the Pairings sheet's rows (lists of cell values) and save as `target`;
    returns the edited sheet as (row, junior, senior)."""
    book = openpyxl.load_workbook(pairings)
    sheet = book["Pairings"]
    headers = [c.value for c in sheet[1]]
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    rows = change(rows, headers)
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append(row)
    book.save(target)
    j, s = headers.index("Junior email"), headers.index("Senior email")
    return [(n, str(r[j]).strip().lower(), str(r[s]).strip().lower()) for n, r in enumerate(rows, start=2)]


@pytest.mark.parametrize("seed", range(6))
def test_each_edit_is_reported_at_its_row_with_the_oracles_reason(tmp_path, seed):
    pairings, truth = make_round(tmp_path, seed)
    listed = {u["Email"] for u in read_sheet(pairings, "Unmatched")}
    rng = random.Random(seed)

    def swap(rows, headers):
        s = headers.index("Senior email")
        a, b = rng.sample(range(len(rows)), 2)
        rows[a][s], rows[b][s] = rows[b][s], rows[a][s]
        return rows

    def delete(rows, headers):
        del rows[rng.randrange(len(rows))]
        return rows

    def add_twice(rows, headers):
        extra = list(rows[rng.randrange(len(rows))])
        extra[headers.index("Senior email")] = rng.choice([e for e, t in truth.items() if not t["junior"]])
        return [*rows, extra]

    def retype(rows, headers):
        j = headers.index("Junior email")
        at = rng.randrange(len(rows))
        rows[at][j] = rows[at][j].replace("@", "x@")  # a typo: no longer an applicant
        return rows

    for name, change in (("swap", swap), ("delete", delete), ("add", add_twice), ("retype", retype)):
        target = tmp_path / f"{name}.xlsx"
        sheet = edit(pairings, target, change)
        code, found = reported(tmp_path, target)
        assert found == expected(sheet, truth, listed), name
        assert code == (1 if found else 0), name


def retype(pairings: Path, target: Path, header: str, value: object) -> Path:
    """The workbook with one cell of the first pair's row typed over, as a coordinator would."""
    def typed(rows, headers):
        rows[0][headers.index(header)] = value
        return rows

    edit(pairings, target, typed)
    return target


def test_an_edit_that_breaks_nothing_passes_and_is_written_back_unchanged(tmp_path):
    pairings, _truth = make_round(tmp_path, 11)
    before = read_sheet(pairings, "Pairings")

    def tidy(rows, headers):  # sorted by senior, emails retyped as pasted from Outlook
        j = headers.index("Junior email")
        for row in rows:
            row[j] = f"Someone <{row[j].upper()}>"
        return sorted(rows, key=lambda r: r[headers.index("Senior email")], reverse=True)

    target = tmp_path / "tidied.xlsx"
    edit(pairings, target, tidy)
    book = openpyxl.load_workbook(target)
    book["Pairings"].auto_filter.ref = "A1:P20"
    book["Pairings"].row_dimensions[3].hidden = True  # filtered out of view, still a pair
    book.save(target)
    result = invoke("check", target, "-o", tmp_path / "checked.xlsx")
    assert result.exit_code == 0 and exited_cleanly(result), result.output
    check = {r["Measure"]: r["Value"] for r in read_sheet(tmp_path / "checked.xlsx", "Check")}
    assert check["The edits cost: pairs"] == 0 and check["The edits cost: score"] == 0
    assert check["Rows whose Score and Why were brought up to date"] == 0
    after = read_sheet(tmp_path / "checked.xlsx", "Pairings")
    assert sorted((r["Score"], r["Why"]) for r in after) == sorted((r["Score"], r["Why"]) for r in before)
    sheet = openpyxl.load_workbook(tmp_path / "checked.xlsx")["Pairings"]
    assert not [c.coordinate for row in sheet.iter_rows(min_row=2) for c in row if c.fill.fgColor.rgb
                in (f"00{CHANGED}", f"00{BROKEN}")]


def test_a_swap_is_priced_and_the_swap_back_is_suggested(tmp_path):
    for seed in range(20):  # a round where swapping two rows' seniors breaks a rule
        folder = tmp_path / str(seed)
        folder.mkdir()
        pairings, truth = make_round(folder, seed)
        rows = read_sheet(pairings, "Pairings")
        pairs = [(r["Junior email"], r["Senior email"]) for r in rows]
        broken = [(a, b) for a in range(len(pairs)) for b in range(a + 1, len(pairs))
                  if not allowed(truth, pairs[a][0], pairs[b][1]) and not allowed(truth, pairs[b][0], pairs[a][1])]
        if broken:
            break
    a, b = broken[0]

    def swap(rows, headers):
        s = headers.index("Senior email")
        rows[a][s], rows[b][s] = rows[b][s], rows[a][s]
        return rows

    target = folder / "swapped.xlsx"
    edit(pairings, target, swap)
    before = target.read_bytes()
    result = invoke("check", target, "-o", folder / "checked.xlsx")
    assert result.exit_code == 1 and target.read_bytes() == before
    check = {r["Measure"]: r["Value"] for r in read_sheet(folder / "checked.xlsx", "Check")}
    assert check["The edits cost: pairs"] == 2
    assert check["The one change that recovers most"] == f"swap the seniors of rows {a + 2} and {b + 2}"
    assert check["It recovers: pairs"] == 2
    summary = {r["Measure"]: r["Value"] for r in read_sheet(folder / "checked.xlsx", "Summary")}
    assert summary["Pairs made"] == len(pairs) - 2  # the Summary counts the pairs that break no rule
    sheet = openpyxl.load_workbook(folder / "checked.xlsx")["Pairings"]
    headers = [c.value for c in sheet[1]]
    for row in (a + 2, b + 2):
        assert sheet.cell(row, headers.index("Senior email") + 1).fill.fgColor.rgb == f"00{BROKEN}"
        assert sheet.cell(row, headers.index("Why") + 1).fill.fgColor.rgb == f"00{CHANGED}"


def test_commands_that_build_on_a_broken_workbook_refuse_it(tmp_path):
    pairings, _truth = make_round(tmp_path, 3)

    def twice(rows, headers):
        return [*rows, list(rows[0])]  # the first pair again: its junior in two rows

    target = tmp_path / "edited.xlsx"
    edit(pairings, target, twice)
    row = len(read_sheet(target, "Pairings")) + 1
    junior = read_sheet(target, "Pairings")[0]["Junior email"]
    for args in (("report", target, "-o", tmp_path / "board.xlsx"), ("introduce", target, "-o", tmp_path / "out"),
                 ("rematch", target, "--withdrawn", junior, "-o", tmp_path / "after.xlsx")):
        result = invoke(*args)
        assert result.exit_code == 1 and exited_cleanly(result), args
        assert f"row {row}" in " ".join(result.output.split()) and "mentormatch check" in result.output
        assert not (tmp_path / "board.xlsx").exists() and not (tmp_path / "out").exists()
        assert not (tmp_path / "after.xlsx").exists()
    shutil.copy(pairings, tmp_path / "fine.xlsx")
    assert invoke("report", tmp_path / "fine.xlsx", "-o", tmp_path / "board.xlsx").exit_code == 0


def test_a_checked_edit_reaches_the_board_with_its_own_figures_and_odd_scores(tmp_path):
    pairings, _truth = make_round(tmp_path, 5)
    gone = read_sheet(pairings, "Pairings")[-1]

    def drop_last(rows, headers):  # the pair is ended by hand, both people listed in Unmatched
        rows[0][headers.index("Score")] = 1e300 if rows else None  # a hand-typed score no band holds
        return rows[:-1]

    target = tmp_path / "edited.xlsx"
    edit(pairings, target, drop_last)
    book = openpyxl.load_workbook(target)
    for email in (gone["Junior email"], gone["Senior email"]):
        book["Unmatched"].append([None, email, "", "", "withdrawn", "ended by hand"])
    book.save(target)
    assert invoke("check", target).exit_code == 0
    board = tmp_path / "board.xlsx"
    result = invoke("report", target, "-o", board)
    assert result.exit_code == 0 and exited_cleanly(result), result.output
    headline = {r["Measure"]: r["Value"] for r in read_table(board, "Headline")}
    assert headline["Pairs made"] in (len(read_sheet(target, "Pairings")), "[c]")
    checked = tmp_path / "checked.xlsx"
    assert invoke("check", target, "-o", checked).exit_code == 0
    summary = {r["Measure"]: r["Value"] for r in read_sheet(checked, "Summary")}
    matched = sum(r["Juniors matched"] for r in read_sheet(checked, "Breakdown") if r["Breakdown"] == "Grade")
    assert summary["Pairs made"] == matched == len(read_sheet(target, "Pairings"))  # Breakdown recounted too


def test_the_suggested_change_never_fills_a_senior_past_their_places(make_workbook, tmp_path):
    j1 = junior_row(Email="j1@example.gov.uk", Department="DfT", **{"Do not match with": "s2@example.gov.uk"})
    j2 = junior_row(Email="j2@example.gov.uk", Department="DWP")
    s1 = senior_row(Email="s1@example.gov.uk", Department="ONS", Profession="GORS", Capacity=1)
    s2 = senior_row(Email="s2@example.gov.uk", Department="HMRC", Profession="GORS", Capacity=1)
    source = write_rows(tmp_path / "applications.xlsx", [j1, j2, s1, s2])
    assert invoke("match", source, "-o", tmp_path / "pairings.xlsx").exit_code == 0

    def break_it(rows, headers):  # j1 moved onto s2 (do not match), j2's row deleted
        j, s = headers.index("Junior email"), headers.index("Senior email")
        kept = [r for r in rows if r[j] == "j1@example.gov.uk"]
        kept[0][s] = "s2@example.gov.uk"
        return kept

    target = tmp_path / "edited.xlsx"
    edit(tmp_path / "pairings.xlsx", target, break_it)
    assert invoke("check", target, "-o", tmp_path / "checked.xlsx").exit_code == 1
    change = {r["Measure"]: r["Value"] for r in read_sheet(tmp_path / "checked.xlsx", "Check")}[
        "The one change that recovers most"]
    # s2's one place is held by the rule-breaking row: any change that gives s2 a junior must replace it.
    assert "s2@example.gov.uk" not in change or "in place of row 2" in change or change.startswith("swap")


def test_a_score_typed_as_words_is_brought_up_to_date_by_check(tmp_path):
    pairings, _truth = make_round(tmp_path, 7)
    before = read_sheet(pairings, "Pairings")

    target = retype(pairings, tmp_path / "edited.xlsx", "Score", "very good")
    assert invoke("check", target, "-o", tmp_path / "checked.xlsx").exit_code == 0
    check = {r["Measure"]: r["Value"] for r in read_sheet(tmp_path / "checked.xlsx", "Check")}
    assert check["Rows whose Score and Why were brought up to date"] == 1
    assert read_sheet(tmp_path / "checked.xlsx", "Pairings")[0]["Score"] == before[0]["Score"]


def test_a_workbook_without_its_round_record_finds_its_applications_by_the_settings_sheet(tmp_path):
    pairings, _truth = make_round(tmp_path, 2)
    book = openpyxl.load_workbook(pairings)
    del book["Round"]  # as older versions wrote it: the applications named only on the Settings sheet
    older = tmp_path / "older.xlsx"
    book.save(older)
    result = invoke("check", older)
    assert result.exit_code == 0 and "were not found" not in result.output, result.output
    (tmp_path / "applications.xlsx").rename(tmp_path / "moved.xlsx")
    lost = invoke("check", older)
    assert lost.exit_code == 1 and exited_cleanly(lost)
    assert "(applications.xlsx is not beside it): give them with --applications" in " ".join(lost.output.split())


def test_the_board_counts_the_scores_of_the_pairs_as_checked(tmp_path):
    pairings, _truth = make_round(tmp_path, 4)
    scores = [r["Score"] for r in read_sheet(pairings, "Pairings")]
    assert invoke("report", pairings, "-o", tmp_path / "board.xlsx").exit_code == 0
    headline = {r["Measure"]: r["Value"] for r in read_table(tmp_path / "board.xlsx", "Headline")}
    assert abs(headline["Mean score"] - sum(scores) / len(scores)) <= 0.05 + 1e-9


def test_a_workbook_apart_from_its_applications_is_reported_on_with_a_note(tmp_path):
    pairings, _truth = make_round(tmp_path, 6)
    apart = tmp_path / "apart"
    apart.mkdir()
    shutil.copy(pairings, apart / "pairings.xlsx")
    result = invoke("report", apart / "pairings.xlsx", "-o", apart / "board.xlsx")
    assert result.exit_code == 0 and exited_cleanly(result), result.output
    assert "were not found, so only the Pairings sheet's own consistency was checked" in " ".join(result.output.split())


def test_rows_that_are_not_pairs_of_the_round_are_not_counted_as_pairs(tmp_path):
    pairings, _truth = make_round(tmp_path, 8)
    count = len(read_sheet(pairings, "Pairings"))

    def spoil(rows, headers):  # a stranger in one row, and the first pair's junior in a second row
        rows[1][headers.index("Junior email")] = "stranger@example.gov.uk"
        return [*rows, list(rows[0])]

    target = tmp_path / "edited.xlsx"
    edit(pairings, target, spoil)
    assert invoke("check", target, "-o", tmp_path / "checked.xlsx").exit_code == 1
    check = {r["Measure"]: r["Value"] for r in read_sheet(tmp_path / "checked.xlsx", "Check")}
    assert check["Pairs that break no rule"] == count - 1
    assert check["Rows whose Score and Why were brought up to date"] == 0


def _problems(path: Path) -> list[dict]:
    return read_sheet(path, "Check problems")


def test_an_email_that_is_not_an_applicant_says_why_at_its_row(make_workbook, tmp_path):
    seniors = [senior_row(Department="ONS", Profession="GORS") for _ in range(4)]
    juniors = [junior_row(Department=d) for d in ("DfT", "HMRC", "DWP", "MoJ")]
    left_out = junior_row(Barriers="No")  # an error in the application: left out of matching
    source = make_workbook([*juniors, *seniors, left_out])
    pairings = tmp_path / "pairings.xlsx"
    assert invoke("match", source, "-o", pairings).exit_code == 0
    leaver = read_sheet(pairings, "Pairings")[3]["Junior email"]
    after = tmp_path / "after.xlsx"
    assert invoke("rematch", pairings, "--withdrawn", leaver, "-o", after).exit_code == 0

    def strangers(rows, headers):
        j = headers.index("Junior email")
        rows[0][j] = left_out["Email"]
        rows[1][j] = seniors[0]["Email"]  # a senior in the junior's column
        rows[2][j] = "nobody@example.gov.uk"
        return [*rows, [leaver if h == "Junior email" else rows[2][headers.index("Senior email")]
                        if h == "Senior email" else None for h in headers]]

    target = tmp_path / "edited.xlsx"
    edit(after, target, strangers)
    assert invoke("check", target, "-o", tmp_path / "checked.xlsx").exit_code == 1
    said = {p["Row"]: p["Message"] for p in _problems(tmp_path / "checked.xlsx") if p["Code"] == "not-an-applicant"}
    assert "left out for errors" in said[2] and "the other role, not as a junior partner" in said[3]
    assert "check the spelling" in said[4] and "withdrew from the round" in said[len(read_sheet(target, "Pairings")) + 1]


def test_a_junior_off_the_shortlist_is_not_paired_and_stays_off_it(make_workbook, tmp_path):
    import openpyxl as xl

    chosen, passed = junior_row(Department="DfT"), junior_row(Department="HMRC")
    seniors = [senior_row(Department="ONS", Profession="GORS") for _ in range(2)]
    source = make_workbook([chosen, passed, *seniors])
    book = xl.Workbook()
    book.active.title = "Selected"
    book["Selected"].append(["Email"])
    book["Selected"].append([chosen["Email"]])
    shortlist = tmp_path / "shortlist.xlsx"
    book.save(shortlist)
    pairings = tmp_path / "pairings.xlsx"
    assert invoke("match", source, "--shortlist", shortlist, "-o", pairings).exit_code == 0
    assert invoke("check", pairings, "-o", tmp_path / "fine.xlsx").exit_code == 0
    unmatched = {u["Email"]: u["Code"] for u in read_sheet(tmp_path / "fine.xlsx", "Unmatched")}
    assert unmatched[passed["Email"]] == "not-shortlisted"
    spare = [s["Email"] for s in seniors if s["Email"] in unmatched]
    assert spare and all(unmatched[email] != "not-shortlisted" for email in spare)  # the shortlist is of juniors

    def add_passed(rows, headers):
        return [*rows, [passed["Email"] if h == "Junior email" else seniors[1]["Email"] if h == "Senior email"
                        else None for h in headers]]

    target = tmp_path / "edited.xlsx"
    edit(pairings, target, add_passed)
    assert invoke("check", target, "-o", tmp_path / "checked.xlsx").exit_code == 1
    flagged = [p["Row"] for p in _problems(tmp_path / "checked.xlsx") if p["Code"] == "not-shortlisted-paired"]
    assert flagged == [len(read_sheet(target, "Pairings")) + 1]


def test_a_shared_aim_typed_where_the_partners_share_none_is_listed_as_blank_in_the_applications(make_workbook,
                                                                                                tmp_path):
    junior = junior_row(Department="DfT", **{"Development aims": "Coaching"})
    senior = senior_row(Department="ONS", Profession="GORS", **{"Development aims": "Leadership"})
    pairings = tmp_path / "pairings.xlsx"
    assert invoke("match", make_workbook([junior, senior]), "-o", pairings).exit_code == 0

    target = retype(pairings, tmp_path / "edited.xlsx", "Shared aims", "Leadership")
    assert invoke("check", target, "-o", tmp_path / "checked.xlsx").exit_code == 0
    said = [p["Message"] for p in _problems(tmp_path / "checked.xlsx") if p["Code"] == "cell-disagrees"]
    assert len(said) == 1 and "says 'Leadership', but the applications say 'blank'" in said[0]
    assert read_sheet(tmp_path / "checked.xlsx", "Pairings")[0]["Shared aims"] in (None, "")
