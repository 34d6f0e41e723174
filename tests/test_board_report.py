"""`mentormatch report`: the programme board's workbook, with counts of 1 to 4 suppressed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from conftest import exited_cleanly, generated_round, junior_row, read_sheet, read_table, senior_row
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


TABLES = ["Headline", "Juniors by grade", "Seniors by grade", "Juniors by department", "Seniors by department",
          "Juniors by profession", "Seniors by profession", "Grade gap", "Scores"]


def test_breakdowns_show_true_counts_or_c_and_never_a_small_count(make_workbook, tmp_path):
    pairings = pairings_for(make_workbook, tmp_path)
    before = pairings.read_bytes()
    output = tmp_path / "board.xlsx"
    result = invoke("report", str(pairings), "-o", str(output))
    assert result.exit_code == 0 and "[c]" in result.output
    assert pairings.read_bytes() == before
    book = openpyxl.load_workbook(output)
    assert book.sheetnames[:3] == ["Cover", "Contents", "Notes"] and book.sheetnames[3:3 + len(TABLES)] == TABLES
    assert book.sheetnames[3 + len(TABLES):] == [f"Chart {name}" for name in TABLES[1:]]
    for name in TABLES:
        for row in book[name].iter_rows():
            counts = [c.value for c in row[1:] if c.number_format != "0%"]  # a share of 100% is stored as 1
            assert not any(isinstance(v, int) and 0 < v < 5 for v in counts), (name, row)
    source = {(r["Breakdown"], r["Group"]): r for r in read_sheet(pairings, "Breakdown")}
    for label in ("Grade", "Department", "Profession"):
        for side, columns in (("Juniors", ("Juniors", "Juniors matched")), ("Seniors", ("Seniors", "Seniors matched"))):
            rows = read_table(output, f"{side} by {label.lower()}")
            groups = [r for (b, _g), r in source.items() if b == label and r[side]]
            for row in rows:  # a group's own counts, or an "Other" row's sums; [c] where a count is withheld
                members = [r for r in groups if r["Group"] == row[label]] or [
                    r for r in groups if not any(other[label] == r["Group"] for other in rows)]
                for column in columns:
                    assert row[column] in (sum(r[column] for r in members), "[c]"), (side, label, row)


def test_the_workbook_follows_the_spreadsheet_standard(make_workbook, tmp_path):
    pairings = pairings_for(make_workbook, tmp_path)
    config = tmp_path / "round.toml"
    config.write_text('[round]\nname = "Mutual Mentoring 2027"\n[report]\ncontact = "Mentoring team, mm@example.gov.uk"\n')
    assert invoke("match", str(tmp_path / "applications.xlsx"), "-c", str(config), "-o", str(pairings)).exit_code == 0
    output = tmp_path / "board.xlsx"
    assert invoke("report", str(pairings), "-o", str(output)).exit_code == 0
    book = openpyxl.load_workbook(output)
    cover = [c.value for c in book["Cover"]["A"] if c.value]
    assert cover[0] == "Mutual Mentoring 2027" and "Mentoring team, mm@example.gov.uk" in cover
    assert any("Produced on" in line for line in cover)
    listed = [row["Sheet name"] for row in read_table(output, "Contents")]
    assert listed == TABLES
    notes = " ".join(str(row["Note text"]) for row in read_table(output, "Notes"))
    assert "[c]" in notes and "from 1 to 4" in notes and "Other" in notes
    for name in ["Cover", "Contents", "Notes", *TABLES]:
        sheet = book[name]
        assert not sheet.merged_cells.ranges, name
        assert sheet["A1"].value and not sheet["B1"].value, name  # the title, alone in A1
    for name in TABLES:  # one table per sheet: under its header, no blank row or column until it ends
        sheet = book[name]
        rows = [row for row in sheet.iter_rows(values_only=True)]
        top = next(i for i, row in enumerate(rows) if sum(v is not None for v in row) > 1)
        width = sum(v is not None for v in rows[top])
        body = rows[top + 1:]
        assert body and all(sum(v is not None for v in row[:width]) == width for row in body), name
        assert all(all(v is None for v in row[width:]) for row in rows), name
        header = next(iter(sheet.iter_rows(min_row=top + 1, max_row=top + 1)))
        for cell in header[1:]:  # number columns: header right-aligned over right-aligned numbers
            assert cell.alignment.horizontal == "right", (name, cell.value)
        assert sheet.print_title_rows == f"${top + 1}:${top + 1}", name


def test_suppressed_counts_are_not_plotted_and_every_series_is_charted(make_workbook, tmp_path):
    pairings = pairings_for(make_workbook, tmp_path)
    output = tmp_path / "board.xlsx"
    assert invoke("report", str(pairings), "-o", str(output)).exit_code == 0
    book = openpyxl.load_workbook(output)
    for name in TABLES[1:]:
        chart = book[f"Chart {name}"]._charts[0]
        sheet = book[name]
        rows = [row for row in sheet.iter_rows(values_only=True)]
        top = next(i for i, row in enumerate(rows) if sum(v is not None for v in row) > 1)
        headers = [h for h in rows[top] if h]
        wanted = [h for h in headers[1:] if h != "Juniors shortlisted"]
        refs = [s.val.numRef.f for s in chart.series]
        assert len(refs) == len(wanted), name  # every series, and nothing else
        last = top + len(rows[top + 1:]) + 1
        for ref, header in zip(refs, wanted, strict=True):
            column = openpyxl.utils.get_column_letter(headers.index(header) + 1)
            span = f"${column}${top + 2}" + (f":${column}${last}" if last > top + 2 else "")
            assert ref.endswith(f"!{span}"), (name, ref)  # all rows: a [c] shows no bar


def test_shares_are_numbers_with_a_percent_format(tmp_path):
    pairings, output = tmp_path / "pairings.xlsx", tmp_path / "board.xlsx"
    assert invoke("match", str(generated_round(tmp_path / "applications.xlsx", 300, 4)), "-o", str(pairings)).exit_code == 0
    assert invoke("report", str(pairings), "-o", str(output)).exit_code == 0
    headline = openpyxl.load_workbook(output)["Headline"]
    share = next(row[1] for row in headline.iter_rows() if row[0].value == "Cross-department pairs (%)")
    assert isinstance(share.value, int | float) and 0 < share.value <= 1 and share.number_format == "0%"
    count = next(row[1] for row in headline.iter_rows() if row[0].value == "Cross-department pairs")
    assert count.value in ("[c]", round(share.value * next(row[1].value for row in headline.iter_rows()
                                                           if row[0].value == "Pairs made")))


def test_grade_gaps_and_score_bands_count_the_pairs(make_workbook, tmp_path):
    pairings = pairings_for(make_workbook, tmp_path)
    output = tmp_path / "board.xlsx"
    assert invoke("report", str(pairings), "-o", str(output)).exit_code == 0
    grades = grade_vocabulary()
    pairs = read_sheet(pairings, "Pairings")
    gaps = Counter(min(BY_CODE[grades.lookup(p["Senior grade"])].rank - BY_CODE[grades.lookup(p["Junior grade"])].rank, 3)
                   for p in pairs)
    shown = {row["Grade gap"]: row["Pairs"] for row in read_table(output, "Grade gap")}
    for gap, count in gaps.items():  # the true count, or [c] (always for 1 to 4); 3 or more in one row
        label = "3 or more grades" if gap == 3 else f"{gap} grades"
        assert shown[label] in ({count, "[c]"} if count >= 5 else {"[c]"})
    bands = read_table(output, "Scores")
    assert len(bands) == 10 and sum(v for row in bands if isinstance(v := row["Pairs"], int)) <= len(pairs)
    headline = {row["Measure"]: row["Value"] for row in read_table(output, "Headline")}
    assert headline["Pairs made"] in ({len(pairs), "[c]"} if len(pairs) >= 5 else {"[c]"})


def test_on_the_example_round_most_counts_are_shown(tmp_path):
    import shutil

    from conftest import ROOT

    shutil.copy(ROOT / "examples" / "applications.xlsx", tmp_path / "applications.xlsx")
    pairings, output = tmp_path / "pairings.xlsx", tmp_path / "board.xlsx"
    config = str(ROOT / "examples" / "mentormatch.toml")
    assert invoke("match", str(tmp_path / "applications.xlsx"), "-c", config, "-o", str(pairings)).exit_code == 0
    assert invoke("report", str(pairings), "-o", str(output)).exit_code == 0
    for name in openpyxl.load_workbook(output).sheetnames:
        if name in ("Cover", "Contents", "Notes") or name.startswith("Chart"):
            continue
        rows = read_table(output, name)
        cells = [v for row in rows for k, v in row.items() if k not in (next(iter(row)),) and
                 not (isinstance(row.get("Measure"), str) and (row["Measure"].endswith("(%)") or row["Measure"] == "Mean score"))]
        hidden = sum(v == "[c]" for v in cells)
        assert hidden <= len(cells) / 4, (name, hidden, len(cells))


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
    assert html.startswith("<!doctype html>") and html.count("<svg") == 8 and "[c]" in html
    assert "<h1>Mutual Mentoring round</h1>" in html and "pairings" not in html.split("</h1>")[0]
    assert all(name in html for name in ("Juniors matched", "Seniors matched"))  # both sides, with a legend
    assert "src=" not in html and "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    for row in read_sheet(pairings, "Pairings"):
        assert row["Junior email"] not in html and row["Senior name"] not in html  # aggregates only


def test_group_names_as_applicants_wrote_them_are_shown_as_written(make_workbook, tmp_path):
    """A department answered as a note mark, a link or symbols only is printed as written: never turned into
    "[note 4]" or a live link, never a refusal to write the report."""
    written = ["$$evil$$", "[click](http://evil.example)", "???"]
    rows = [junior_row(Department=name) for name in written for _ in range(6)]
    rows += [senior_row(Department="ONS", Profession="GORS", Capacity=4) for _ in range(5)]
    pairings, board = tmp_path / "pairings.xlsx", tmp_path / "board.xlsx"
    config = tmp_path / "round.toml"
    config.write_text('[round]\nname = "Round $$2027$$ [x](http://e.example)"\n', encoding="utf-8")
    assert invoke("match", str(make_workbook(rows)), "-c", str(config), "-o", str(pairings)).exit_code == 0
    result = invoke("report", str(pairings), "-o", str(board), "--html", str(tmp_path / "board.html"))
    assert result.exit_code == 0 and exited_cleanly(result), result.output
    book = openpyxl.load_workbook(board)
    assert book["Cover"]["A1"].value == book["Headline"]["A2"].value == "Round $$2027$$ [x](http://e.example)"
    assert book["Headline"]["A2"].hyperlink is None
    sheet = book["Juniors by department"]
    cells = [c for row in sheet.iter_rows() for c in row[:1] if c.value in written]
    assert sorted(c.value for c in cells) == sorted(written)
    assert all(c.hyperlink is None and c.data_type == "s" for c in cells)
    assert not any(c.hyperlink for row in sheet.iter_rows() for c in row)


def test_each_table_points_to_the_notes_that_are_about_it(make_workbook, tmp_path):
    import re

    pairings, board = pairings_for(make_workbook, tmp_path), tmp_path / "board.xlsx"
    assert invoke("report", str(pairings), "-o", str(board)).exit_code == 0
    book = openpyxl.load_workbook(board)
    notes = {row["Note number"]: row["Note text"] for row in read_table(board, "Notes")}

    def about(sheet: str) -> str:
        return " ".join(notes[int(n)] for n in re.findall(r"\[note (\d+)\]", book[sheet]["A1"].value))

    assert "[c]" in about("Headline") and "Other" not in about("Headline")
    assert "[c]" in about("Juniors by department") and "Other" in about("Juniors by department")
    assert "Other" not in about("Scores")
