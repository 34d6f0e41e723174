"""`mentormatch report`: the programme board's workbook, with counts of 1 to 4 suppressed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from conftest import exited_cleanly, generated_round, junior_row, read_sheet, senior_row
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


def test_breakdowns_show_true_counts_or_c_and_never_a_small_count(make_workbook, tmp_path):
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
        for row in book[name].iter_rows(min_row=2):
            counts = [c.value for c in row[1:] if c.number_format != "0%"]  # a share of 100% is stored as 1
            assert not any(isinstance(v, int) and 0 < v < 5 for v in counts), (name, row)
    source = {(r["Breakdown"], r["Group"]): r for r in read_sheet(pairings, "Breakdown")}
    for sheet, label in (("By grade", "Grade"), ("By department", "Department"), ("By profession", "Profession")):
        for row in read_sheet(output, sheet):
            original = source[(label, row["Group"])]
            for column in ("Juniors", "Juniors matched", "Seniors", "Seniors matched"):
                assert row[column] in (original[column], "[c]"), (sheet, row)
                if 0 < original[column] < 5:
                    assert row[column] == "[c]"
        assert len(book[sheet]._charts) == 1


def test_suppressed_counts_are_not_plotted_and_sit_like_numbers(make_workbook, tmp_path):
    pairings = pairings_for(make_workbook, tmp_path)
    output = tmp_path / "board.xlsx"
    assert invoke("report", str(pairings), "-o", str(output)).exit_code == 0
    sheet = openpyxl.load_workbook(output)["By grade"]
    headers = [c.value for c in sheet[1]]
    chart = sheet._charts[0]
    assert [s.tx.v for s in chart.series] == ["Juniors", "Juniors matched", "Seniors", "Seniors matched"]
    assert chart.legend is not None
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.value == "[c]":
                assert cell.alignment.horizontal == "right"
                plotted = row[headers.index(f"{headers[cell.column - 1]} (chart)")]
                assert plotted.value is None  # a gap in the chart, not a zero bar
        for name in ("Juniors", "Seniors"):
            if isinstance(row[headers.index(name)].value, int):
                assert row[headers.index(f"{name} (chart)")].value == row[headers.index(name)].value
    assert all(sheet.column_dimensions[c.column_letter].hidden for c in sheet[1] if c.value.endswith("(chart)"))


def test_shares_are_numbers_with_a_percent_format(tmp_path):
    pairings, output = tmp_path / "pairings.xlsx", tmp_path / "board.xlsx"
    assert invoke("match", str(generated_round(tmp_path / "applications.xlsx", 300, 4)), "-o", str(pairings)).exit_code == 0
    assert invoke("report", str(pairings), "-o", str(output)).exit_code == 0
    headline = openpyxl.load_workbook(output)["Headline"]
    share = next(row[1] for row in headline.iter_rows(min_row=2) if row[0].value == "Cross-department pairs")
    assert isinstance(share.value, int | float) and 0 < share.value <= 1 and share.number_format == "0%"


def test_grade_gaps_and_score_bands_count_the_pairs(make_workbook, tmp_path):
    pairings = pairings_for(make_workbook, tmp_path)
    output = tmp_path / "board.xlsx"
    assert invoke("report", str(pairings), "-o", str(output)).exit_code == 0
    grades = grade_vocabulary()
    pairs = read_sheet(pairings, "Pairings")
    gaps = Counter(BY_CODE[grades.lookup(p["Senior grade"])].rank - BY_CODE[grades.lookup(p["Junior grade"])].rank
                   for p in pairs)
    shown = {row["Grade gap"]: row["Pairs"] for row in read_sheet(output, "Grade gap")}
    for gap, count in gaps.items():  # the true count, or [c] (always for 1 to 4)
        assert shown[f"{gap} grades"] in ({count, "[c]"} if count >= 5 else {"[c]"})
    bands = read_sheet(output, "Scores")
    assert len(bands) == 10 and sum(v for row in bands if isinstance(v := row["Pairs"], int)) <= len(pairs)
    headline = {row["Measure"]: row["Value"] for row in read_sheet(output, "Headline")}
    assert headline["Pairs made"] in ({len(pairs), "[c]"} if len(pairs) >= 5 else {"[c]"})


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
    assert "<h1>Mutual Mentoring round</h1>" in html and "pairings" not in html.split("</h1>")[0]
    assert all(name in html for name in ("Juniors matched", "Seniors matched"))  # both sides, with a legend
    assert "src=" not in html and "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    for row in read_sheet(pairings, "Pairings"):
        assert row["Junior email"] not in html and row["Senior name"] not in html  # aggregates only
