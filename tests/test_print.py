"""Every workbook a round writes prints: landscape, one page wide, headers on every page, rows tall enough.

Rendering to PDF needs LibreOffice, so `scripts/render.py` does that by hand; these tests check what
the printed pages are made from: each sheet's print setup, and that each row with wrapped text is at
least as tall as its text needs (a line holds at most about 1.2 characters per unit of width).
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import ROOT, exited_cleanly
from mentormatch.cli.app import app
from mentormatch.outputs.layout import wrapped_lines


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("print")
    shutil.copy(ROOT / "examples" / "applications.xlsx", folder / "applications.xlsx")
    config = str(ROOT / "examples" / "mentormatch.toml")
    runner = CliRunner()

    def run(*args: str) -> None:
        result = runner.invoke(app, [*args], env={"COLUMNS": "200"})
        assert result.exit_code in (0, 1) and exited_cleanly(result), result.output

    source = str(folder / "applications.xlsx")
    run("validate", source, "-c", config, "-o", str(folder / "problems.xlsx"))
    run("panel", source, "-c", config, "-o", str(folder / "panel.xlsx"))
    run("shortlist", source, "-c", config, "--places", "40", "-o", str(folder / "shortlist.xlsx"))
    run("match", source, "-c", config, "--suggest", "2", "-o", str(folder / "pairings.xlsx"))
    run("report", str(folder / "pairings.xlsx"), "-o", str(folder / "board.xlsx"))
    run("compare", source, "-c", config, "-o", str(folder / "compare.xlsx"))
    run("gaps", source, "-c", config, "-o", str(folder / "gaps.xlsx"))
    run("template", str(folder / "template.xlsx"))
    written = sorted(p for p in folder.glob("*.xlsx") if p.name != "applications.xlsx")
    assert len(written) == 8
    return written


def test_every_visible_sheet_has_a_print_setup(outputs):
    for path in outputs:
        for sheet in openpyxl.load_workbook(path).worksheets:
            if sheet.sheet_state == "hidden":
                assert sheet.title == "Round"  # the record rematch reads; nobody prints it
                continue
            where = (path.name, sheet.title)
            assert sheet.page_setup.orientation == "landscape", where
            assert sheet.sheet_properties.pageSetUpPr.fitToPage, where
            assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0), where
            if path.name == "board.xlsx":  # the standard's layout: title, notes and source above the table
                header = next((c.row for row in sheet.iter_rows() for c in row[1:2] if c.value is not None), None)
                assert sheet.print_title_rows == (f"${header}:${header}" if header and sheet.title not in
                                                  ("Cover", "Contents", "Notes") else None), where
            else:
                assert sheet.print_title_rows == "$1:$1", where
            assert "&P" in sheet.oddFooter.right.text and sheet.oddFooter.left.text == "&A", where


def test_wrapped_rows_are_tall_enough_for_their_text(outputs):
    checked = 0
    for path in outputs:
        for sheet in openpyxl.load_workbook(path).worksheets:
            widths = {letter: d.width for letter, d in sheet.column_dimensions.items()}
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    if not (cell.alignment.wrap_text and isinstance(cell.value, str) and cell.value):
                        continue
                    width = widths.get(cell.column_letter) or 8.43
                    lines = sum(math.ceil(max(len(part), 1) / (1.2 * width)) for part in cell.value.split("\n"))
                    height = sheet.row_dimensions[cell.row].height or 15
                    assert height >= 15 * lines, (path.name, sheet.title, cell.coordinate, cell.value[:40])
                    checked += 1
    assert checked > 300


def test_the_pairings_print_without_the_audit_columns(outputs):
    book = openpyxl.load_workbook(next(p for p in outputs if p.name == "pairings.xlsx"))
    sheet = book["Pairings"]
    headers = [c.value for c in sheet[1]]
    area = sheet.print_area
    assert area.endswith(f"!$A$1:$M${sheet.max_row}")  # A to M: up to Shared aims, not Locked or the rows
    assert (headers[12], headers[13]) == ("Shared aims", "Locked")
    assert book["Round"].sheet_state == "hidden"


@pytest.mark.parametrize(("text", "width", "lines"), [
    ("short", 10, 1), ("two words", 6, 2), ("a" * 25, 10, 3), ("one\ntwo", 40, 2),
    ("the quick brown fox jumps", 10, 3),
])
def test_wrapped_lines_count_as_a_spreadsheet_wraps(text, width, lines):
    assert wrapped_lines(text, width) == lines


def test_number_columns_print_under_right_aligned_headers(outputs):
    """A header over a column of numbers sits right, as the numbers do, so each prints under its heading."""
    checked = 0
    for path in outputs:
        for sheet in openpyxl.load_workbook(path).worksheets:
            if sheet.sheet_state == "hidden" or sheet.max_row < 2:
                continue
            rows = list(sheet.iter_rows())
            top = next((i for i, row in enumerate(rows) if sum(c.value is not None for c in row) > 1), 0)
            for index, header in enumerate(rows[top][1:], start=1):
                values = [row[index].value for row in rows[top + 1:] if index < len(row) and row[index].value
                          not in (None, "")]
                if values and all((isinstance(v, int | float) and not isinstance(v, bool)) or v == "[c]" for v in values):
                    assert header.alignment.horizontal == "right", (path.name, sheet.title, header.value)
                    checked += 1
    assert checked > 30
