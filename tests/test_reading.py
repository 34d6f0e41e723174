"""Reading exports: files mentormatch cannot read are refused with advice; CSVs in their usual shapes are read."""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import (
    TEMPLATE_HEADERS,
    exited_cleanly,
    junior_row,
    read_sheet,
    senior_row,
    write_rows,
)
from mentormatch.cli.app import app
from mentormatch.config import load_config
from mentormatch.errors import MentormatchError
from mentormatch.inputs.reading import read_grid
from mentormatch.validation.checks import validate_file

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A sentence that tells the user what to do next starts from one of these verbs.
ADVICE = re.compile(r"\b(export|save|re-save|remove|check|fill|add|map|choose|use|give|correct)\b", re.IGNORECASE)


def validate_cli(*args: object):
    return CliRunner().invoke(app, ["validate", *map(str, args)], env={"COLUMNS": "200"})


def flat(output: str) -> str:
    """The output as one line of words: panel borders and line wraps removed."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", output).split())


def two_rows(path: Path) -> Path:
    return write_rows(path, [junior_row(), senior_row()])


# --- files that cannot be read ---------------------------------------------------------------


def not_a_spreadsheet(tmp_path: Path) -> Path:
    path = tmp_path / "applications.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" * 20)
    return path


def truncated_xlsx(tmp_path: Path) -> Path:
    whole = two_rows(tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / "applications.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def old_xls(tmp_path: Path) -> Path:
    path = tmp_path / "applications.xls"
    path.write_bytes(OLE_MAGIC + b"\0" * 4096)
    return path


def password_protected(tmp_path: Path) -> Path:
    path = tmp_path / "applications.xlsx"
    path.write_bytes(OLE_MAGIC + b"\0" * 2048 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 2048)
    return path


def opendocument(tmp_path: Path) -> Path:
    path = tmp_path / "applications.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return path


def word_document(tmp_path: Path) -> Path:
    path = tmp_path / "applications.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return path


def zero_bytes(tmp_path: Path) -> Path:
    path = tmp_path / "applications.xlsx"
    path.write_bytes(b"")
    return path


def empty_sheet(tmp_path: Path) -> Path:
    path = tmp_path / "applications.xlsx"
    openpyxl.Workbook().save(path)
    return path


def header_only(tmp_path: Path) -> Path:
    return write_rows(tmp_path / "applications.xlsx", [], headers=TEMPLATE_HEADERS)


def no_grade_column(tmp_path: Path) -> Path:
    rows = [{k: v for k, v in row.items() if k != "Grade"} for row in (junior_row(), senior_row())]
    return write_rows(tmp_path / "applications.xlsx", rows)


READ_REFUSALS = [  # refused by read_grid, before any row is looked at
    pytest.param(not_a_spreadsheet, ["damaged or not really an Excel workbook"], id="pdf-named-xlsx"),
    pytest.param(truncated_xlsx, ["damaged or incomplete"], id="truncated-xlsx"),
    pytest.param(old_xls, [".xls", "save it as Excel Workbook (.xlsx)"], id="old-xls"),
    pytest.param(password_protected, ["password-protected", "remove the password"], id="password"),
    pytest.param(opendocument, ["OpenDocument", "save it as Excel Workbook (.xlsx)"], id="ods"),
    pytest.param(word_document, ["not an Excel workbook"], id="zip-not-workbook"),
    pytest.param(zero_bytes, ["empty (0 bytes)"], id="zero-bytes"),
    pytest.param(empty_sheet, ["no sheet with any data"], id="empty-sheet"),
]
BAD_FILES = [
    *READ_REFUSALS,
    pytest.param(header_only, ["no applications below it"], id="header-only"),
    pytest.param(no_grade_column, ["no column for grade", "[columns]"], id="missing-column"),
]


@pytest.mark.parametrize(("make", "expected"), BAD_FILES)
def test_unreadable_file_is_refused_naming_the_file_and_what_to_do(tmp_path, make: Callable[[Path], Path], expected):
    path = make(tmp_path)
    result = validate_cli(path)
    text = flat(result.output)
    assert result.exit_code == 1
    assert exited_cleanly(result)
    assert path.name in text
    for fragment in expected:
        assert fragment in text
    assert ADVICE.search(text.split(path.name, 1)[1]), f"no advice on what to do: {text}"


@pytest.mark.parametrize(("make", "expected"), READ_REFUSALS)
def test_read_grid_refuses_the_same_files(tmp_path, make, expected):
    with pytest.raises(MentormatchError, match=re.escape(expected[0])):
        read_grid(make(tmp_path))


def test_a_zip_that_would_inflate_past_the_limit_is_refused_as_a_possible_zip_bomb(tmp_path):
    path = tmp_path / "applications.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 5_000_000)
    assert path.stat().st_size < 100_000
    with pytest.raises(MentormatchError, match="zip bomb") as caught:
        read_grid(path, max_bytes=1_000_000)
    assert path.name in str(caught.value)


def test_an_ordinary_workbook_is_within_the_default_limit(tmp_path):
    grid = read_grid(two_rows(tmp_path / "applications.xlsx"))
    assert grid.sheet == "Applications" and grid.rows[0][:2] == ["Email", "Name"] and len(grid.rows) == 3


def test_a_missing_file_is_refused_with_advice(tmp_path):
    result = validate_cli(tmp_path / "nowhere.xlsx")
    assert result.exit_code == 1 and exited_cleanly(result)
    assert "nowhere.xlsx does not exist: check the file name" in flat(result.output)


def test_a_folder_is_a_usage_error(tmp_path):
    result = validate_cli(tmp_path)
    assert result.exit_code == 2 and "is a directory" in flat(result.output)


# --- sheets ----------------------------------------------------------------------------------


def two_sheets(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    data = book.create_sheet("Applications")
    data.append(list(TEMPLATE_HEADERS))
    for row in (junior_row(), senior_row(Grade="SEO")):
        data.append([row[h] for h in TEMPLATE_HEADERS])
    book.save(path)
    return path


def test_sheet_that_does_not_exist_lists_the_sheets(tmp_path):
    path = two_sheets(tmp_path / "applications.xlsx")
    result = validate_cli(path, "--sheet", "Responses")
    text = flat(result.output)
    assert result.exit_code == 1 and exited_cleanly(result)
    assert "applications.xlsx" in text and "'Responses'" in text and "Notes, Applications" in text


def test_first_sheet_with_data_is_read_and_problems_name_it(tmp_path):
    path = two_sheets(tmp_path / "applications.xlsx")
    result = validate_file(path, load_config())
    assert result.sheet == "Applications"
    assert {(p.sheet, p.row, p.column, p.code) for p in result.problems} == {
        ("Applications", 3, "Grade", "senior-below-grade-limit")}
    empty = validate_cli(path, "--sheet", "Notes")
    assert empty.exit_code == 1 and exited_cleanly(empty)


# --- CSV in its usual shapes --------------------------------------------------------------------

ROWS = [junior_row(Name="Zo\u00eb Bront\u00eb", **{"Development aims": "Leadership; Wellbeing"}),
        senior_row(**{"Expression of interest": "Happy to help, and to learn in return."}),
        senior_row(Capacity=2)]


def write_csv(path: Path, rows=ROWS, *, encoding="utf-8", delimiter=",") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(TEMPLATE_HEADERS)
        writer.writerows([[row[h] for h in TEMPLATE_HEADERS] for row in rows])
    return path


def applicants_of(path: Path):
    return validate_file(path, load_config()).applicants


def test_csv_with_and_without_a_byte_order_mark_reads_like_the_workbook(tmp_path):
    with_bom = applicants_of(write_csv(tmp_path / "bom.csv", encoding="utf-8-sig"))
    without = applicants_of(write_csv(tmp_path / "plain.csv"))
    workbook = applicants_of(write_rows(tmp_path / "applications.xlsx", ROWS))
    assert with_bom == without == workbook
    assert [a.email for a in with_bom] == [row["Email"] for row in ROWS]
    assert with_bom[0].name == "Zo\u00eb Bront\u00eb" and with_bom[0].aims == ("Leadership", "Wellbeing")


def test_windows_1252_csv_is_read_with_a_warning(tmp_path):
    path = write_csv(tmp_path / "applications.csv", encoding="cp1252")
    result = validate_file(path, load_config())
    assert result.applicants == applicants_of(write_csv(tmp_path / "utf8.csv"))
    assert result.applicants[0].name == "Zo\u00eb Bront\u00eb"
    assert [(p.row, p.column, p.code, p.severity.value) for p in result.problems] == [
        (None, None, "csv-not-utf8", "warning")]
    assert "CSV UTF-8" in result.problems[0].message


def test_semicolon_separated_csv(tmp_path):
    path = write_csv(tmp_path / "applications.csv", delimiter=";")
    assert applicants_of(path) == applicants_of(write_csv(tmp_path / "comma.csv"))


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_text_with_quotes_and_separators_stays_in_its_column(tmp_path, delimiter):
    eoi = 'I said "yes, please"; then I asked "why?"'
    rows = [junior_row(**{"Expression of interest": eoi}), senior_row()]
    result = validate_file(write_csv(tmp_path / "applications.csv", rows, delimiter=delimiter), load_config())
    assert not result.problems
    assert [a.eoi for a in result.applicants] == [eoi, rows[1]["Expression of interest"]]
    assert result.applicants[0].aims == ("Leadership", "Wellbeing")


def test_csv_rows_keep_their_spreadsheet_numbers_across_blank_lines(tmp_path):
    path = write_csv(tmp_path / "applications.csv", [junior_row(), dict.fromkeys(TEMPLATE_HEADERS, ""),
                                                      junior_row(Email="nobody")])
    result = validate_file(path, load_config())
    assert {(p.row, p.column, p.code) for p in result.problems} == {(4, "Email", "invalid-email")}


# --- the validate command -------------------------------------------------------------------


def test_validate_exits_0_on_a_clean_file_even_with_warnings(make_workbook):
    path = make_workbook([junior_row(), senior_row(Department="Ministry of Magic")])
    result = validate_cli(path)
    assert result.exit_code == 0, result.output
    assert "unknown-department" in result.output and exited_cleanly(result)


def test_validate_exits_1_when_a_row_has_an_error(make_workbook):
    result = validate_cli(make_workbook([junior_row(), senior_row(Grade="SEO")]))
    assert result.exit_code == 1 and "senior-below-grade-limit" in result.output


def test_validate_output_writes_a_problems_sheet_ready_to_filter(make_workbook, tmp_path):
    path = make_workbook([junior_row(), junior_row(Email="nobody"), senior_row(Capacity="a couple")])
    output = tmp_path / "problems.xlsx"
    result = validate_cli(path, "--output", output)
    assert result.exit_code == 1 and output.exists()
    sheet = openpyxl.load_workbook(output)["Problems"]
    assert [c.value for c in sheet[1]] == ["Row", "Email", "Column", "Severity", "Code", "Value", "Message"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    rows = read_sheet(output, "Problems")
    assert {(r["Row"], r["Column"], r["Code"]) for r in rows} == {(3, "Email", "invalid-email"),
                                                                 (4, "Capacity", "invalid-capacity")}
    assert {r["Value"] for r in rows} == {"nobody", "a couple"}


def test_applicant_text_starting_with_equals_is_written_as_text(tmp_path):
    formula = '=HYPERLINK("http://x")'
    path = write_csv(tmp_path / "applications.csv",
                     [junior_row(Grade=formula), senior_row(Email=formula, Department=formula)])
    output = tmp_path / "problems.xlsx"
    assert validate_cli(path, "-o", output).exit_code == 1
    sheet = openpyxl.load_workbook(output)["Problems"]
    values = [row[5] for row in sheet.iter_rows(min_row=2)]
    assert len(values) == 3 and all(cell.value == formula and cell.data_type == "s" for cell in values)
    assert not [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


def test_validate_refuses_to_write_over_its_input(make_workbook):
    path = make_workbook([junior_row(), senior_row(Grade="SEO")])
    before = path.read_bytes()
    result = validate_cli(path, "--output", path)
    assert result.exit_code == 1 and exited_cleanly(result)
    assert "Refusing to write over the input" in flat(result.output)
    assert path.read_bytes() == before


def test_validate_never_changes_the_input(make_workbook, tmp_path):
    path = make_workbook([junior_row(), senior_row(Grade="SEO")])
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    assert validate_cli(path).exit_code == 1
    assert validate_cli(path, "-o", tmp_path / "problems.xlsx").exit_code == 1
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


# --- small things that lose trust ----------------------------------------------------------------


def test_a_part_packed_tighter_than_any_spreadsheet_writes_is_refused_fast_and_small(tmp_path):
    import resource
    import subprocess
    import sys
    import time

    path = two_rows(tmp_path / "applications.xlsx")
    bombed = tmp_path / "bombed.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(bombed, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != "xl/sharedStrings.xml":
                archive.writestr(info, source.read(info))
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:  # 600 MB of one character
            for _ in range(600):
                part.write(b" " * 1024**2)
    assert bombed.stat().st_size < 2_000_000
    started = time.perf_counter()
    child = subprocess.run([sys.executable, "-m", "mentormatch", "validate", str(bombed)], capture_output=True,
                           text=True, env={"COLUMNS": "200", "PATH": ""})
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert child.returncode == 1 and "zip bomb" in child.stdout + child.stderr and "Traceback" not in child.stderr
    assert seconds < 10 and peak_mb < 1024


def test_an_output_that_is_not_xlsx_is_refused_with_the_right_name(make_workbook, tmp_path):
    source = make_workbook([junior_row(), senior_row()])
    result = CliRunner().invoke(app, ["match", str(source), "-o", str(tmp_path / "pairings.csv")],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 1 and exited_cleanly(result)
    assert "pairings.xlsx" in result.output and not (tmp_path / "pairings.csv").exists()


def test_outputs_get_the_permissions_a_normal_save_gets(make_workbook, tmp_path):
    import os
    import stat

    source = make_workbook([junior_row(), senior_row()])
    previous = os.umask(0o022)
    try:
        CliRunner().invoke(app, ["match", str(source), "-o", str(tmp_path / "pairings.xlsx")])
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "pairings.xlsx").stat().st_mode) == 0o644


def test_a_header_row_that_is_really_an_application_is_never_echoed(make_workbook):
    applicant = junior_row(Email="private.person@example.gov.uk",
                           **{"Expression of interest": "My private statement about my grade and my network."})
    result = validate_cli(make_workbook([applicant, senior_row()]), "--header-row", "2")
    assert result.exit_code == 1 and exited_cleanly(result) and "does not look like the header row" in result.output
    assert "private" not in result.output
