"""A corpus of bad and hostile inputs, each built by code, each run through the CLI.

Every case must end in one of two ways: exit 1 with one clear sentence naming the file and saying
what to do, or exit 0 with the problem reported where the data is still usable. Whatever happens:
no traceback, no internal error (exit 3), no partial output file, and the input is not touched.
`run` checks those invariants; each test then adds what is specific to its input.
"""

from __future__ import annotations

import csv
import os
import random
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
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
from mentormatch.vocab.text import CONTROL

runner = CliRunner()
WIDE = {"COLUMNS": "200"}
# A sentence that tells the user what to do next uses one of these verbs.
ADVICE = re.compile(r"\b(export|save|re-save|remove|check|fill|add|map|choose|use|give|correct|close|open|delete)\b",
                    re.IGNORECASE)


# --- the shared invariants ---------------------------------------------------------------------


def flat(output: str) -> str:
    """The output as one line of words: panel borders and line wraps removed."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", output).split())


def files_in(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def run(folder: Path, *args: object, inputs: Sequence[Path], new: Iterable[Path] = (),
        codes: Iterable[int] = (0, 1)):
    """Invoke the CLI and check what must hold for any input, good or hostile.

    `new` lists the files the command is expected to create in `folder`; nothing else may appear.
    """
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in inputs}
    existing = files_in(folder)
    result = runner.invoke(app, [str(a) for a in args], env=WIDE)
    assert exited_cleanly(result)
    # CliRunner turns an escaped exception into exit code 1: only a deliberate exit is allowed.
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code != 3, result.output
    assert result.exit_code in set(codes), result.output
    assert not [p for p in folder.rglob("*") if p.name.endswith(".part")], "a partial file was left behind"
    assert files_in(folder) == existing | {str(p.relative_to(folder)) for p in new}
    for path, (data, mtime) in before.items():
        assert (path.read_bytes(), path.stat().st_mtime_ns) == (data, mtime), f"{path.name} was changed"
    return result


def assert_refused(result, path: Path, *fragments: str) -> str:
    """Exit 1 with one clear message that names the file, says what is wrong and what to do."""
    text = flat(result.output)
    assert result.exit_code == 1, result.output
    assert path.name in text, text
    for fragment in fragments:
        assert fragment in text, text
    assert ADVICE.search(text.split(path.name, 1)[1]), f"no advice on what to do: {text}"
    return text


def problems(path: Path) -> set[tuple[Any, ...]]:
    """(row, column, code) of every problem in a written workbook."""
    return {(p["Row"], p["Column"], p["Code"]) for p in read_sheet(path, "Problems")}


def settings(path: Path) -> dict[str, Any]:
    return {row["Setting"]: row["Value"] for row in read_sheet(path, "Settings")}


def accounted_rows(path: Path) -> set[int]:
    """Excel rows of the input that a pairings workbook mentions anywhere."""
    rows = {p[key] for p in read_sheet(path, "Pairings") for key in ("Junior row", "Senior row")}
    rows |= {u["Row"] for u in read_sheet(path, "Unmatched")}
    rows |= {p["Row"] for p in read_sheet(path, "Problems") if p["Row"] is not None}
    return rows


def every_cell(path: Path) -> list[Any]:
    return [value for sheet in openpyxl.load_workbook(path) for row in sheet.iter_rows(values_only=True)
            for value in row]


# --- builders ----------------------------------------------------------------------------------


def book_of(path: Path, rows: Sequence[dict[str, Any]], headers: Sequence[str] = TEMPLATE_HEADERS, *,
            title_rows: Sequence[Sequence[Any]] = (), tweak: Callable[[Any, Any], None] | None = None) -> Path:
    """An .xlsx written with openpyxl; unlike conftest's write_rows, '=...' text becomes a formula."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Applications"
    for line in [*title_rows, headers, *[[row.get(h, "") for h in headers] for row in rows]]:
        sheet.append(list(line))
    if tweak is not None:
        tweak(book, sheet)
    book.save(path)
    return path


def row_values(row: dict[str, Any]) -> list[Any]:
    return [row[h] for h in TEMPLATE_HEADERS]


_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
</Types>"""
_PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<sheets><sheet name="Applications" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>\
</Relationships>"""
_EMPTY_SHARED_STRINGS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.'
                         'openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>')


class Xml(str):
    """A cell given as raw XML; '{ref}' stands for its reference."""


def _cell_xml(ref: str, value: Any) -> str:
    if isinstance(value, Xml):
        return value.format(ref=ref)
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    # Control characters cannot appear in XML: Excel writes them as _xHHHH_ escapes.
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: f"_x{ord(m.group()):04X}_", escape(str(value)))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def hand_built(path: Path, rows: Sequence[Sequence[Any]], *, shared_strings: str = _EMPTY_SHARED_STRINGS,
               extra_rows_xml: str = "", dimension: str = "") -> Path:
    """A minimal .xlsx written part by part, for what openpyxl cannot produce."""
    body = "".join(
        f'<row r="{r}">' + "".join(_cell_xml(f"{get_column_letter(c)}{r}", v)
                                    for c, v in enumerate(line, start=1) if v not in (None, "")) + "</row>"
        for r, line in enumerate(rows, start=1))
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.'
             f'openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>{body}{extra_rows_xml}</sheetData>'
             '</worksheet>')
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", shared_strings)
    return path


def csv_of(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(TEMPLATE_HEADERS)
        writer.writerows(row_values(row) for row in rows)
    return path


def a_round() -> list[dict[str, Any]]:
    """Two juniors and a senior with room for both: everyone can be paired."""
    return [junior_row(), junior_row(), senior_row(Capacity=2)]


# --- 1. a title block above the header ------------------------------------------------------------

TITLE = [["Cross-government mentoring scheme 2025"], ["Exported 3 March 2025 from Microsoft Forms"]]


def title_block(folder: Path) -> Path:
    rows = [junior_row(Email="ann@example.gov.uk"), junior_row(Email="not-an-email"),
            senior_row(Email="dev@example.gov.uk", Capacity=2)]
    return book_of(folder / "applications.xlsx", rows, title_rows=TITLE)  # header in row 3, data from row 4


@pytest.mark.parametrize("header_row", [[], ["--header-row", "3"]], ids=["found", "given"])
def test_title_block_above_the_header_keeps_excel_row_numbers(tmp_path, header_row):
    path, output = title_block(tmp_path), tmp_path / "out.xlsx"
    run(tmp_path, "match", path, "-o", output, *header_row, inputs=[path], new=[output], codes=[0])
    assert problems(output) == {(5, "Email", "invalid-email")}
    assert [(p["Junior row"], p["Senior row"]) for p in read_sheet(output, "Pairings")] == [(4, 6)]
    assert settings(output)["Header row"] == 3


@pytest.mark.parametrize("wrong", ["1", "4", "50"], ids=["title-row", "data-row", "past-the-end"])
def test_header_row_pointing_at_the_wrong_row_is_refused_clearly(tmp_path, wrong):
    path = title_block(tmp_path)
    result = run(tmp_path, "validate", path, "--header-row", wrong, inputs=[path], codes=[1])
    text = assert_refused(result, path)
    assert "--header-row" in text or "[columns]" in text, f"no pointer to the fix: {text}"


# --- 2. and 3. headers that are duplicated or merged ---------------------------------------------


def duplicated_email_header(folder: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([*TEMPLATE_HEADERS, "Email"])
    for n, row in enumerate(a_round()):
        sheet.append([*row_values(row), f"second-column-{n}@example.gov.uk"])
    book.save(folder / "applications.xlsx")
    return folder / "applications.xlsx"


def test_duplicated_header_warns_and_uses_the_first_column(tmp_path):
    path, output = duplicated_email_header(tmp_path), tmp_path / "out.xlsx"
    result = run(tmp_path, "match", path, "-o", output, inputs=[path], new=[output], codes=[0])
    assert (None, "Email", "duplicate-header") in problems(output)
    assert "duplicate-header" in result.output
    emails = {p["Junior email"] for p in read_sheet(output, "Pairings")}
    assert len(emails) == 2 and not any(e.startswith("second-column") for e in emails)


def merged_header(folder: Path) -> Path:
    headers = ["Email", "Name", "", *TEMPLATE_HEADERS[2:]]  # "Name" merged over B1:C1

    def merge(_book, sheet):
        sheet.merge_cells("B1:C1")

    return book_of(folder / "applications.xlsx", a_round(), headers, tweak=merge)


def test_merged_header_cells_are_still_read(tmp_path):
    path, output = merged_header(tmp_path), tmp_path / "out.xlsx"
    run(tmp_path, "match", path, "-o", output, inputs=[path], new=[output], codes=[0])
    assert settings(output)["column: name"] == "Name"
    names = {p["Junior name"] for p in read_sheet(output, "Pairings")}
    assert len(names) == 2 and all(name.startswith("Junior ") for name in names)
    assert not [p for p in read_sheet(output, "Problems") if p["Severity"] == "error"]


# --- 4. hidden sheets, rows and columns --------------------------------------------------------------


def hidden_lists_sheet_first(folder: Path) -> Path:
    book = openpyxl.Workbook()
    lists = book.active
    lists.title = "Lists"
    for line in [("Role", "Grade", "Department"), ("Junior partner", "HEO", "DfT"),
                 ("Senior partner", "Grade 7", "HMT"), ("", "Grade 6", "ONS")]:
        lists.append(line)
    lists.sheet_state = "hidden"
    data = book.create_sheet("Applications")
    data.append(list(TEMPLATE_HEADERS))
    for row in a_round():
        data.append(row_values(row))
    book.active = 1
    book.save(folder / "applications.xlsx")
    return folder / "applications.xlsx"


def test_hidden_sheet_of_lists_before_the_data_is_passed_over(tmp_path):
    path, output = hidden_lists_sheet_first(tmp_path), tmp_path / "out.xlsx"
    run(tmp_path, "match", path, "-o", output, inputs=[path], new=[output], codes=[0])
    assert settings(output)["Sheet"] == "Applications"
    assert len(read_sheet(output, "Pairings")) == 2


def hidden_row_and_column(folder: Path) -> Path:
    def hide(_book, sheet):
        sheet.row_dimensions[3].hidden = True
        sheet.column_dimensions["H"].hidden = True  # Expression of interest

    rows = [junior_row(Email="shown@example.gov.uk"), junior_row(Email="hidden@example.gov.uk"),
            senior_row(Email="senior@example.gov.uk", Capacity=2)]
    return book_of(folder / "applications.xlsx", rows, tweak=hide)


def test_hidden_rows_and_columns_are_read_and_accounted_for(tmp_path):
    path, output = hidden_row_and_column(tmp_path), tmp_path / "out.xlsx"
    run(tmp_path, "match", path, "-o", output, inputs=[path], new=[output], codes=[0])
    pairings, unmatched = read_sheet(output, "Pairings"), read_sheet(output, "Unmatched")
    seen = {p["Junior email"] for p in pairings} | {u["Email"] for u in unmatched}
    assert "hidden@example.gov.uk" in seen
    assert {(p["Junior email"], p["Junior row"]) for p in pairings} == {("shown@example.gov.uk", 2),
                                                                          ("hidden@example.gov.uk", 3)}
    assert not [p for p in read_sheet(output, "Problems") if p["Column"] == "Expression of interest"]


# --- 5. formulas in input cells ----------------------------------------------------------------------


def formula_without_value(folder: Path) -> Path:
    rows = [junior_row(Name='=CONCAT("A","nn")'), junior_row(), senior_row(Capacity=2)]
    return book_of(folder / "applications.xlsx", rows)  # openpyxl saves the formula with no value


def test_formula_never_calculated_is_reported_and_the_row_left_out(tmp_path):
    path, output = formula_without_value(tmp_path), tmp_path / "problems.xlsx"
    result = run(tmp_path, "validate", path, "-o", output, inputs=[path], new=[output], codes=[1])
    assert "formula-without-value" in result.output
    found = {(p["Row"], p["Column"], p["Code"], p["Severity"]) for p in read_sheet(output, "Problems")}
    assert found == {(2, "Name", "formula-without-value", "warning"), (2, "Name", "missing-value", "error")}
    pairings = tmp_path / "pairings.xlsx"
    run(tmp_path, "match", path, "-o", pairings, inputs=[path], new=[pairings], codes=[0])
    assert [(u["Row"], u["Code"]) for u in read_sheet(pairings, "Unmatched")] == [(2, "left-out")]


def formula_with_cached_value(folder: Path) -> Path:
    junior, senior = junior_row(), senior_row()
    rows = [list(TEMPLATE_HEADERS), row_values(junior), row_values(senior)]
    rows[1][1] = Xml('<c r="{ref}" t="str"><f>CONCAT("A","nn")</f><v>Ann</v></c>')
    return hand_built(folder / "applications.xlsx", rows)


def test_formula_with_a_saved_value_is_read_as_that_value(tmp_path):
    path, output = formula_with_cached_value(tmp_path), tmp_path / "out.xlsx"
    run(tmp_path, "match", path, "-o", output, inputs=[path], new=[output], codes=[0])
    assert [p["Junior name"] for p in read_sheet(output, "Pairings")] == ["Ann"]
    assert not any(code == "formula-without-value" for _row, _column, code in problems(output))


# --- 6. numbers, dates and booleans where text is expected -------------------------------------------


def typed_cells(folder: Path) -> Path:
    rows = [junior_row(Email="linked@example.gov.uk", Barriers=True),
            junior_row(Name=datetime(2024, 3, 1)),
            senior_row(Grade=7, Capacity=2.0)]

    def link(_book, sheet):
        sheet["A2"].hyperlink = "mailto:linked@example.gov.uk"

    return book_of(folder / "applications.xlsx", rows, tweak=link)


def test_numbers_dates_booleans_and_hyperlinks_are_read_as_their_text(tmp_path):
    path, output = typed_cells(tmp_path), tmp_path / "out.xlsx"
    run(tmp_path, "match", path, "-o", output, "--include-sensitive", inputs=[path], new=[output], codes=[0])
    pairings = read_sheet(output, "Pairings")
    assert len(pairings) == 2, "capacity 2.0 is 2 places"
    assert {p["Senior grade"] for p in pairings} == {"Grade 7"}
    by_row = {p["Junior row"]: p for p in pairings}
    assert by_row[2]["Junior email"] == "linked@example.gov.uk" and by_row[2]["Junior barriers"] == "yes"
    assert "2024-03-01" in by_row[3]["Junior name"]
    assert not [p for p in read_sheet(output, "Problems") if p["Severity"] == "error"]


# --- 7. control characters ------------------------------------------------------------------------------

NAME_WITH_CONTROLS = "Ann\x07 Lee\x1b[31m"
EOI_WITH_CONTROLS = "I would like\x1b[0m to learn\x07 how senior leaders decide.\x0b"


def control_characters_csv(folder: Path) -> Path:
    rows = [junior_row(Name=NAME_WITH_CONTROLS, **{"Expression of interest": EOI_WITH_CONTROLS}), senior_row()]
    return csv_of(folder / "applications.csv", rows)


def control_characters_xlsx(folder: Path) -> Path:
    rows = [junior_row(Name=NAME_WITH_CONTROLS, **{"Expression of interest": EOI_WITH_CONTROLS}), senior_row()]
    return hand_built(folder / "applications.xlsx", [list(TEMPLATE_HEADERS), *map(row_values, rows)])


@pytest.mark.parametrize("make", [control_characters_csv, control_characters_xlsx], ids=["csv", "xlsx"])
def test_control_characters_are_removed_with_a_warning(tmp_path, make):
    path, output = make(tmp_path), tmp_path / "out.xlsx"
    run(tmp_path, "match", path, "-o", output, inputs=[path], new=[output], codes=[0])
    assert problems(output) == {(2, "Name", "control-characters"), (2, "Expression of interest", "control-characters")}
    [pairing] = read_sheet(output, "Pairings")
    assert pairing["Junior name"] == "Ann Lee[31m"
    assert not [v for v in every_cell(output) if isinstance(v, str) and CONTROL.search(v)]


# --- 8. extremely long cells --------------------------------------------------------------------------------


def long_cells_xlsx(folder: Path, rows: Sequence[dict[str, Any]]) -> Path:
    # By hand: openpyxl itself cuts text at Excel's 32,767 characters, a hostile file need not.
    return hand_built(folder / "applications.xlsx", [list(TEMPLATE_HEADERS), *map(row_values, rows)])


def long_cells_csv(folder: Path, rows: Sequence[dict[str, Any]]) -> Path:
    return csv_of(folder / "applications.csv", rows)


@pytest.mark.parametrize("eoi_words", [20_000, 40_000], ids=["100k-chars", "200k-chars"])
@pytest.mark.parametrize("write", [long_cells_xlsx, long_cells_csv], ids=["xlsx", "csv"])
def test_extremely_long_cells_are_reported_or_shortened(tmp_path, write, eoi_words):
    rows = [junior_row(**{"Expression of interest": "word " * eoi_words}), junior_row(Name="N" * 40_000),
            senior_row()]
    path, output = write(tmp_path, rows), tmp_path / "out.xlsx"
    run(tmp_path, "match", path, "-o", output, inputs=[path], new=[output], codes=[0])
    [problem] = read_sheet(output, "Problems")
    assert (problem["Row"], problem["Code"], problem["Value"]) == (2, "eoi-too-long", f"{eoi_words} words")
    [pairing] = read_sheet(output, "Pairings")
    assert pairing["Junior row"] == 3 and 0 < len(pairing["Junior name"]) <= 32_767
    assert max(len(str(v)) for v in every_cell(output) if v is not None) <= 32_767


# --- 9. scripts, emoji, accents and invisible characters --------------------------------------------------


def international(folder: Path) -> Path:
    rows = [junior_row(Name="Ann 🦊 Smith", Email="ann\u200b@example.gov.uk", Grade="HEO\u00a0"),
            junior_row(Name="فاطمة الزهراء", Email="fatima@example.gov.uk", Grade="\u00a0SEO"),
            junior_row(Name="Zoe\u0308 First", Email="zoe\u0308@example.gov.uk"),
            junior_row(Name="Zo\u00eb Second", Email="ZO\u00cb@example.gov.uk"),
            senior_row(Name="דוד כהן", Email="\u00a0david@example.gov.uk\u00a0", Grade="Grade\u00a06", Capacity=3)]
    return book_of(folder / "applications.xlsx", rows)


def test_unicode_is_normalised_where_it_is_compared_and_kept_where_it_is_shown(tmp_path):
    path, output = international(tmp_path), tmp_path / "out.xlsx"
    run(tmp_path, "match", path, "-o", output, inputs=[path], new=[output], codes=[0])
    assert problems(output) == {(4, "Email", "duplicate-email")}
    pairings = read_sheet(output, "Pairings")
    assert {p["Junior email"] for p in pairings} == {"ann@example.gov.uk", "fatima@example.gov.uk",
                                                     "zo\u00eb@example.gov.uk"}
    assert {p["Senior email"] for p in pairings} == {"david@example.gov.uk"}
    assert {p["Junior name"] for p in pairings} == {"Ann 🦊 Smith", "فاطمة الزهراء", "Zo\u00eb Second"}
    assert {p["Senior name"] for p in pairings} == {"דוד כהן"}
    assert {(p["Junior email"], p["Junior grade"]) for p in pairings} >= {("ann@example.gov.uk", "HEO"),
                                                                          ("fatima@example.gov.uk", "SEO")}
    # The superseded row is reported in Problems only: Zoë is paired by her later row, and listed once.
    assert read_sheet(output, "Unmatched") == []


# --- 10. and 11. XML attacks and zip bombs --------------------------------------------------------------

_ENTITIES = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
_LAUGHS = f'<!DOCTYPE lolz [<!ENTITY lol0 "lol">{_ENTITIES}]>'


def billion_laughs(folder: Path, padding: str = "") -> Path:
    shared = (f'<?xml version="1.0" encoding="UTF-8"?>{padding}{_LAUGHS}<sst xmlns="http://schemas.openxmlformats.org/'
              'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')
    rows = [list(TEMPLATE_HEADERS), row_values(junior_row()), row_values(senior_row())]
    rows[1][1] = Xml('<c r="{ref}" t="s"><v>0</v></c>')
    return hand_built(folder / "applications.xlsx", rows, shared_strings=shared)


def test_billion_laughs_is_refused_before_it_is_parsed(tmp_path):
    path = billion_laughs(tmp_path)
    result = run(tmp_path, "validate", path, inputs=[path], codes=[1])
    assert_refused(result, path, "contains XML document type declarations")


def test_billion_laughs_hidden_behind_a_long_comment_is_still_refused(tmp_path):
    path = billion_laughs(tmp_path, padding="<!--" + "x" * 10_000 + "-->")
    for command in ("validate", "match"):
        assert_refused(run(tmp_path, command, path, inputs=[path], codes=[1]), path)


def padded_workbook(folder: Path) -> Path:
    small = write_rows(folder / "small.xlsx", a_round())
    path = folder / "applications.xlsx"
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        archive.writestr("xl/media/padding.bin", b"\0" * 2 * 1024**2)
    small.unlink()
    return path


def test_zip_bomb_limit_from_the_config_is_enforced(tmp_path):
    path = padded_workbook(tmp_path)
    config = tmp_path / "mentormatch.toml"
    config.write_text("[limits]\nmax_unzipped_mb = 1\n")
    assert path.stat().st_size < 100_000
    result = run(tmp_path, "match", path, "--config", config, inputs=[path, config], codes=[1])
    assert_refused(result, path, "zip bomb")
    output = tmp_path / "out.xlsx"
    run(tmp_path, "match", path, "-o", output, inputs=[path], new=[output], codes=[0])  # default limit: fine


# --- 12. safe writes -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["match", "validate"])
def test_read_only_output_folder_is_a_clear_error_and_changes_nothing(tmp_path, monkeypatch, command):
    path = write_rows(tmp_path / "applications.xlsx", a_round())
    folder = tmp_path / "out"
    folder.mkdir()
    output = folder / "pairings.xlsx"
    output.write_bytes(b"previous")
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):  # root ignores the mode: make creating the temporary file fail instead
            def refuse(*_args, **_kwargs):
                raise PermissionError(13, "Permission denied")

            monkeypatch.setattr(tempfile, "mkstemp", refuse)
        result = run(tmp_path, command, path, "-o", output, inputs=[path, output], codes=[1])
    finally:
        folder.chmod(0o700)
    assert_refused(result, output, "Close it")
    assert output.read_bytes() == b"previous"


@pytest.mark.parametrize("command", ["match", "validate"])
def test_output_locked_by_another_program_is_a_clear_error_and_changes_nothing(tmp_path, monkeypatch, command):
    path = write_rows(tmp_path / "applications.xlsx", a_round())
    output = tmp_path / "pairings.xlsx"
    output.write_bytes(b"previous")

    def locked(*_args, **_kwargs):
        raise PermissionError(13, "The process cannot access the file because it is being used by another process")

    monkeypatch.setattr(os, "replace", locked)
    result = run(tmp_path, command, path, "-o", output, inputs=[path, output], codes=[1])
    assert_refused(result, output, "Close it")
    assert output.read_bytes() == b"previous"


# --- 13. sensitive data ---------------------------------------------------------------------------------------

BARRIERS_ANSWER = "Zebra-Barrier-Answer"


def sensitive_round(folder: Path) -> Path:
    rows = [junior_row(Barriers=f"Yes ({BARRIERS_ANSWER})"), junior_row(Barriers=f"No ({BARRIERS_ANSWER})"),
            senior_row(Barriers=f"No ({BARRIERS_ANSWER})", Capacity=2)]
    return write_rows(folder / "applications.xlsx", rows)


def test_barriers_answers_stay_out_of_the_output_by_default(tmp_path):
    path, output = sensitive_round(tmp_path), tmp_path / "out.xlsx"
    run(tmp_path, "match", path, "-o", output, inputs=[path], new=[output], codes=[0])
    book = openpyxl.load_workbook(output)
    for sheet in book:
        assert not [c.value for c in sheet[1] if "barrier" in str(c.value).lower()], sheet.title
    assert not [v for v in every_cell(output) if BARRIERS_ANSWER in str(v)]
    assert not [v for v in every_cell(output) if "Special-category" in str(v)]
    assert (3, "Barriers", "no-barriers-declared") in problems(output)


def test_include_sensitive_adds_the_answers_and_a_note(tmp_path):
    path, output = sensitive_round(tmp_path), tmp_path / "out.xlsx"
    run(tmp_path, "match", path, "-o", output, "--include-sensitive", inputs=[path], new=[output], codes=[0])
    [pairing] = read_sheet(output, "Pairings")
    assert (pairing["Junior barriers"], pairing["Senior barriers"]) == ("yes", "no")
    assert "Special-category" in settings(output)["Barriers"]
    assert not [v for v in every_cell(output) if BARRIERS_ANSWER in str(v)]


MARKER = "Zebra-Marker-9137"


@pytest.mark.parametrize("command", ["validate", "match"])
def test_internal_error_on_a_row_never_shows_the_row(tmp_path, monkeypatch, command):
    import mentormatch.validation.checks as validation

    path = write_rows(tmp_path / "applications.xlsx", [junior_row(Name=MARKER), senior_row()])
    real = validation._check_row

    def check_row(number, raw, *args, **kwargs):
        if any(MARKER in str(value) for value in raw):
            raise RuntimeError(f"cannot check row {number}: {raw!r}")
        return real(number, raw, *args, **kwargs)

    monkeypatch.setattr(validation, "_check_row", check_row)
    before, files = (path.read_bytes(), path.stat().st_mtime_ns), files_in(tmp_path)
    result = runner.invoke(app, [command, str(path)], env=WIDE)  # not `run`: exit 3 is expected here
    assert result.exit_code == 3 and isinstance(result.exception, SystemExit)
    for text in (result.output, result.stdout, result.stderr):
        assert MARKER not in text and "Traceback" not in text
    assert "--debug" in flat(result.output)
    assert files_in(tmp_path) == files and (path.read_bytes(), path.stat().st_mtime_ns) == before


# --- 14. garbage of every type under the right headers -----------------------------------------------------

GARBAGE: list[Any] = [
    None, "", "   ", 0, -1, 7, 2.5, -0.0, 1e-300, 10**20, True, False, datetime(1900, 1, 1), date(2024, 2, 29),
    datetime(2099, 12, 31, 23, 59, 59), time(12, 30), timedelta(days=3, hours=4), "x" * 5_000, "word " * 400,
    "HEO", "Grade 7", "SCS1", "Junior partner", "Senior partner", "Yes", "no", "DfT", "GSR", "@", "a@b.c",
    "dup@example.gov.uk", "=1+1", "'quoted", "\u200b", "\u00a0", "🦊", "نعم", "1;2;3", "NaN", "-1", "1e3",
]


def garbage(folder: Path, seed: int) -> tuple[Path, set[int]]:
    """Rows of random cells of every type; returns the path and the Excel rows that are not blank."""
    rng = random.Random(seed)
    rows = [{h: rng.choice(GARBAGE) for h in TEMPLATE_HEADERS} for _ in range(25)]
    rows += [junior_row(), senior_row()]  # something matchable amid the noise
    rng.shuffle(rows)
    filled = {n for n, row in enumerate(rows, start=2)
              if any(v is not None and str(v).strip() for v in row.values())}
    return write_rows(folder / "applications.xlsx", rows), filled


@pytest.mark.parametrize("seed", range(6))
def test_garbage_of_mixed_types_is_accounted_for_row_by_row(tmp_path, seed):
    path, filled = garbage(tmp_path, seed)
    report = tmp_path / "problems.xlsx"
    run(tmp_path, "validate", path, "-o", report, inputs=[path], new=[report], codes=[0, 1])
    output = tmp_path / "out.xlsx"
    run(tmp_path, "match", path, "-o", output, inputs=[path], new=[output], codes=[0, 1])
    if output.exists():
        pairings, unmatched = read_sheet(output, "Pairings"), read_sheet(output, "Unmatched")
        placed = {p["Junior row"] for p in pairings} | {p["Senior row"] for p in pairings}
        placed |= {u["Row"] for u in unmatched}
        superseded = {p["Row"] for p in read_sheet(output, "Problems") if p["Code"] == "duplicate-email"}
        assert not placed & superseded, "a superseded row is not also paired or unmatched"
        assert placed | superseded == filled, "every non-blank row ends paired, unmatched or superseded"
        assert filled <= accounted_rows(output)


# --- found while building the corpus ------------------------------------------------------------------------


# Only values that fail at once: a capacity of 10**9 or 10**12 makes the solver try to allocate
# gigabytes to terabytes, which may get the whole test session killed.
@pytest.mark.parametrize("capacity", ["1e308", 2**63], ids=["1e308", "past-int64"])
def test_an_absurd_capacity_is_reported_on_its_row_not_an_internal_error(tmp_path, capacity):
    path = write_rows(tmp_path / "applications.xlsx", [junior_row(), senior_row(Capacity=capacity)])
    output = tmp_path / "out.xlsx"
    result = run(tmp_path, "match", path, "-o", output, inputs=[path], new=[output], codes=[0])
    assert result.exit_code == 0
    assert any(row == 3 and column == "Capacity" for row, column, _code in problems(output))


_FAR_CELL = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
# Cell references are optional in the file format: each cell without one is the next column along.
_FAR_CELL_WITHOUT_REFERENCE = '<row r="1048576">' + "<c/>" * 16_383 + '<c t="inlineStr"><is><t>x</t></is></c></row>'


def stray_cell_far_away(folder: Path, far: str = _FAR_CELL, dimension: str = "") -> Path:
    """A tiny workbook with one stray character in the last cell Excel allows (XFD1048576)."""
    rows = [list(TEMPLATE_HEADERS), row_values(junior_row()), row_values(senior_row())]
    return hand_built(folder / "applications.xlsx", rows, extra_rows_xml=far, dimension=dimension)


def _limit_memory() -> None:  # pragma: no cover - runs in the child process
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (8 * 1024**3, 8 * 1024**3))


@pytest.mark.parametrize(("far", "dimension"), [
    pytest.param(_FAR_CELL, "", id="cell-reference"),
    pytest.param(_FAR_CELL, '<dimension ref="A1:M3"/>', id="dimension-that-lies"),
    pytest.param(_FAR_CELL_WITHOUT_REFERENCE, "", id="no-cell-references"),
])
def test_a_stray_cell_in_the_far_corner_of_the_sheet_is_refused_not_a_crash(tmp_path, far, dimension):
    # Run in a child process: a reader that tries to fill in the whole 16384 x 1048576 grid
    # aborts its process outright, which would take the test session down with it.
    path = stray_cell_far_away(tmp_path, far, dimension)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    child = subprocess.run([sys.executable, "-m", "mentormatch", "validate", str(path)], capture_output=True,
                           text=True, timeout=300, env={**os.environ, **WIDE},
                           preexec_fn=_limit_memory if sys.platform != "win32" else None)
    output = child.stdout + child.stderr
    assert "Traceback" not in output and "panicked" not in output and "memory allocation" not in output, output[:2000]
    assert child.returncode == 1, (child.returncode, output[:2000])
    text = flat(output)
    assert path.name in text and ADVICE.search(text.split(path.name, 1)[1]), text
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert files_in(tmp_path) == {path.name}
