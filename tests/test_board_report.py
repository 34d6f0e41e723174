"""`mentormatch report`: the programme board's workbook, with counts of 1 to 4 suppressed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
from conftest import exited_cleanly, junior_row, read_sheet, senior_row
from typer.testing import CliRunner

from mentormatch.cli.app import app
from mentormatch.vocab.grades import BY_CODE, grade_vocabulary

WIDE = {"COLUMNS": "200"}


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), env=WIDE)


def pairings_for(make_workbook, tmp_path: Path) -> Path:
    rows = [junior_row(Grade="HEO", Department="DfT") for _ in range(7)]
    rows += [junior_row(Grade="SEO", Department="HMRC") for _ in range(2)]
    rows += [senior_row(Grade="Grade 7", Department="HMT") for _ in range(6)]
    rows += [senior_row(Grade="Deputy Director", Department="ONS", Profession="GORS") for _ in range(2)]
    output = tmp_path / "pairings.xlsx"
    assert invoke("match", str(make_workbook(rows)), "-o", str(output)).exit_code == 0
    return output


def test_breakdowns_suppress_small_counts_and_keep_the_rest(make_workbook, tmp_path):
    pairings = pairings_for(make_workbook, tmp_path)
    before = pairings.read_bytes()
    output = tmp_path / "board.xlsx"
    result = invoke("report", str(pairings), "-o", str(output))
    assert result.exit_code == 0 and "[c]" in result.output
    assert pairings.read_bytes() == before
    book = openpyxl.load_workbook(output)
    assert book.sheetnames == ["Headline", "By grade", "By department", "By profession", "Grade gap", "Scores",
                               "Unmatched reasons"]
    for name in book.sheetnames:
        for row in book[name].iter_rows(min_row=2, values_only=True):
            assert not any(isinstance(v, int) and 0 < v < 5 for v in row[1:]), (name, row)
    source = {(r["Breakdown"], r["Group"]): r for r in read_sheet(pairings, "Breakdown")}
    for sheet, label in (("By grade", "Grade"), ("By department", "Department"), ("By profession", "Profession")):
        for row in read_sheet(output, sheet):
            original = source[(label, row["Group"])]
            for column in ("Juniors", "Juniors matched", "Seniors", "Seniors matched"):
                expected = original[column] if original[column] == 0 or original[column] >= 5 else "[c]"
                assert row[column] == expected, (sheet, row)
        assert len(book[sheet]._charts) == 1


def test_grade_gaps_and_score_bands_count_the_pairs(make_workbook, tmp_path):
    pairings = pairings_for(make_workbook, tmp_path)
    output = tmp_path / "board.xlsx"
    assert invoke("report", str(pairings), "-o", str(output)).exit_code == 0
    grades = grade_vocabulary()
    pairs = read_sheet(pairings, "Pairings")
    gaps = Counter(BY_CODE[grades.lookup(p["Senior grade"])].rank - BY_CODE[grades.lookup(p["Junior grade"])].rank
                   for p in pairs)
    shown = {row["Grade gap"]: row["Pairs"] for row in read_sheet(output, "Grade gap")}
    for gap, count in gaps.items():
        assert shown[f"{gap} grades"] == (count if count >= 5 else "[c]")
    bands = read_sheet(output, "Scores")
    assert len(bands) == 10 and sum(v for row in bands if isinstance(v := row["Pairs"], int)) <= len(pairs)
    headline = {row["Measure"]: row["Value"] for row in read_sheet(output, "Headline")}
    assert headline["Pairs made"] == (len(pairs) if len(pairs) >= 5 else "[c]")


def test_report_needs_a_pairings_workbook(make_workbook, tmp_path):
    applications = make_workbook([junior_row(), senior_row()])
    result = invoke("report", str(applications), "-o", str(tmp_path / "board.xlsx"))
    assert result.exit_code == 1 and "pairings workbook" in result.output and exited_cleanly(result)
    assert not (tmp_path / "board.xlsx").exists()


def test_html_report_is_one_self_contained_page(make_workbook, tmp_path):
    pairings = pairings_for(make_workbook, tmp_path)
    page = tmp_path / "board.html"
    result = invoke("report", str(pairings), "-o", str(tmp_path / "board.xlsx"), "--html", str(page))
    assert result.exit_code == 0 and page.exists()
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and html.count("<svg") == 6 and "[c]" in html
    assert "src=" not in html and "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    for row in read_sheet(pairings, "Pairings"):
        assert row["Junior email"] not in html and row["Senior name"] not in html  # aggregates only
