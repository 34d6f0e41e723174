"""Fuzzing the whole tool: random workbooks never crash it, lose a row, or produce a formula.

The budget is modest for `make test`; `make fuzz` raises it through MENTORMATCH_FUZZ_EXAMPLES.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import TEMPLATE_HEADERS, exited_cleanly, write_rows
from mentormatch.cli.app import app
from mentormatch.inputs.reading import is_blank

EXAMPLES = int(os.environ.get("MENTORMATCH_FUZZ_EXAMPLES", "25"))
REALISTIC: dict[str, list[object]] = {
    "Email": [f"person{i}@example.gov.uk" for i in range(12)] + ["not an email", " PERSON1@Example.gov.uk "],
    "Name": ["Ann", "Bob", "Zoë", "محمد", "=1+1", "@SUM(A1)"],
    "Role": ["Junior partner", "Senior partner", "junior", "SENIOR", "mentor", ""],
    "Grade": ["HEO", "SEO", "EO", "Grade 7", "G6", "Deputy Director", "Director", "Band B", "Fast Stream", 7, ""],
    "Department": ["DfT", "HMRC", "HM Treasury", "BEIS", "Ministry of Magic", "ONS", ""],
    "Profession": ["GSS", "GES", "GSR; GORS", "performance analysis", ""],
    "Barriers": ["Yes", "No", "Prefer not to say", True, ""],
    "Expression of interest": ["I would like to learn.", "word " * 160, "", "=HYPERLINK(\"x\")"],
    "Development aims": ["Leadership; Wellbeing", "Confidence", ""],
    "Networks": ["Race to the Top", "", "LGBT+ network; Carers network"],
    "Capacity": [1, 2, "two", 0, 1.5, ""],
    "Do not match with": ["", "person3@example.gov.uk", "someone"],
    "Submitted": [datetime(2026, 9, 1, 10, 0), "2026-09-02 11:00:00", "yesterday", ""],
}
text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
garbage = st.one_of(st.none(), text, st.integers(-5, 2000), st.booleans(),
                    st.floats(allow_nan=False, allow_infinity=False, width=32),
                    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)))


@st.composite
def workbooks(draw: st.DrawFn) -> tuple[list[str], list[dict[str, object]]]:
    """Headers (some dropped, maybe a junk one) and rows mixing realistic values with garbage."""
    headers = [h for h in TEMPLATE_HEADERS if draw(st.integers(0, 9)) > 0]
    if draw(st.booleans()):
        headers.insert(draw(st.integers(0, len(headers))), draw(st.sampled_from(["Notes", "ID", "Email"])))
    rows = []
    for _ in range(draw(st.integers(0, 14))):
        rows.append({h: draw(st.one_of(st.sampled_from(REALISTIC.get(h, [""])), garbage)) if draw(st.integers(0, 4))
                     else draw(garbage) for h in headers})
    return headers, rows


def _non_blank_rows(path: Path) -> set[int]:
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    return {number for number, row in enumerate(rows[1:], start=2) if not is_blank(list(row))}


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])
@given(case=workbooks())
def test_random_workbooks_are_handled_and_every_row_is_accounted_for(tmp_path_factory, case):
    headers, rows = case
    folder = tmp_path_factory.mktemp("fuzz")
    source = write_rows(folder / "applications.xlsx", rows, headers=headers)
    before = source.read_bytes()
    output = folder / "pairings.xlsx"
    result = CliRunner().invoke(app, ["match", str(source), "-o", str(output)], env={"COLUMNS": "200"})

    assert result.exit_code in (0, 1), result.output
    assert exited_cleanly(result)
    assert source.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == sorted([source.name, *([output.name] if output.exists() else [])])
    if result.exit_code == 1:
        assert not output.exists()  # a fatal input problem writes nothing
        return
    book = openpyxl.load_workbook(output)
    headers = [c.value for c in book["Pairings"][1]]
    at = [headers.index("Junior row"), headers.index("Senior row")]
    paired = [row[i] for row in book["Pairings"].iter_rows(min_row=2, values_only=True) for i in at]
    unmatched = [row[0] for row in book["Unmatched"].iter_rows(min_row=2, values_only=True)]
    superseded = {row[0] for row in book["Problems"].iter_rows(min_row=2, values_only=True)
                  if row[4] == "duplicate-email"}  # set aside for the same email's later row
    assert set(paired).isdisjoint(unmatched) and not (set(paired) | set(unmatched)) & superseded
    assert len(unmatched) == len(set(unmatched))
    assert set(paired) | set(unmatched) | superseded == _non_blank_rows(source)
    for sheet in book:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)
