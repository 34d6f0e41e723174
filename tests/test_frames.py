"""The pandas face: `mentormatch.match` and `mentormatch.validate` on paths and DataFrames, against the CLI."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

import mentormatch
from conftest import TEMPLATE_HEADERS, junior_row, read_sheet, senior_row
from mentormatch.cli.app import app
from mentormatch.outputs.frames import MatchFrames
from mentormatch.outputs.sheets import (
    PAIRING_HEADERS,
    PROBLEM_HEADERS,
    UNMATCHED_HEADERS,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CONFIG = EXAMPLES / "mentormatch.toml"
APPLICANTS = 300
SHEETS = {"pairings": "Pairings", "unmatched": "Unmatched", "problems": "Problems", "summary": "Summary"}

# The README's notebook snippet, run as written (from a folder holding examples/, as the README's commands are).
README_SNIPPET = (ROOT / "README.md").read_text(encoding="utf-8").split("<!-- notebook -->\n```python\n", 1)[1].split(
    "```", 1)[0]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_example", EXAMPLES / "generate_example.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 300-applicant round shaped like the example, with its mess."""
    generator = _generator()
    return generator.write_workbook(generator.generate_rows(APPLICANTS, seed=7),
                                    tmp_path_factory.mktemp("round") / "applications.xlsx")


@pytest.fixture(scope="module")
def cli_workbook(generated: Path) -> Path:
    output = generated.with_name("cli-pairings.xlsx")
    result = CliRunner().invoke(app, ["match", str(generated), "--config", str(CONFIG), "--output", str(output)],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return output


@pytest.fixture(scope="module")
def applications(generated: Path) -> pd.DataFrame:
    return pd.read_excel(generated, sheet_name=0, engine="calamine")


@pytest.fixture(scope="module")
def from_frame(applications: pd.DataFrame) -> MatchFrames:
    import mentormatch.matching.dense as dense

    calls = []
    solve = dense.linear_sum_assignment
    dense.linear_sum_assignment = lambda *args, **kwargs: calls.append(1) or solve(*args, **kwargs)
    try:
        matched = mentormatch.match(applications, config=CONFIG)
    finally:
        dense.linear_sum_assignment = solve
    assert calls == [1]  # scipy's linear_sum_assignment solved the round
    return matched


@pytest.fixture(scope="module")
def from_path(generated: Path) -> MatchFrames:
    return mentormatch.match(str(generated), config=CONFIG)


def _pairs(rows: list[dict]) -> set[tuple[str, str, int]]:
    return {(row["Junior email"], row["Senior email"], int(row["Score"])) for row in rows}


def test_a_dataframe_is_paired_as_the_cli_pairs_its_file(from_frame: MatchFrames, cli_workbook: Path) -> None:
    assert from_frame.result.solver == "dense"  # a 300-applicant round is solved by linear_sum_assignment
    assert dict((row["Setting"], row["Value"]) for row in read_sheet(cli_workbook, "Settings"))["Solver"] == "dense"
    expected = _pairs(read_sheet(cli_workbook, "Pairings"))
    assert len(expected) > 80  # a real round, not two empty sets agreeing
    assert _pairs(from_frame.pairings.to_dict("records")) == expected
    cli_unmatched = {(row["Row"], row["Code"]) for row in read_sheet(cli_workbook, "Unmatched")}
    assert set(zip(from_frame.unmatched["Row"], from_frame.unmatched["Code"], strict=True)) == cli_unmatched


def test_path_and_dataframe_agree_and_columns_are_the_workbooks(from_frame: MatchFrames, from_path: MatchFrames,
                                                                cli_workbook: Path) -> None:
    book = openpyxl.load_workbook(cli_workbook, read_only=True)
    for attribute, sheet in SHEETS.items():
        by_frame, by_path = getattr(from_frame, attribute), getattr(from_path, attribute)
        headers = [cell.value for cell in next(book[sheet].iter_rows(max_row=1))]
        assert list(by_frame.columns) == list(by_path.columns) == headers, sheet
        pd.testing.assert_frame_equal(by_frame, by_path, obj=sheet)
    book.close()
    assert (list(from_frame.pairings.columns), list(from_frame.unmatched.columns), list(from_frame.problems.columns)) \
        == (list(PAIRING_HEADERS), list(UNMATCHED_HEADERS), list(PROBLEM_HEADERS))
    summary = {row["Measure"]: (row["Value"], type(row["Value"])) for row in read_sheet(cli_workbook, "Summary")}
    values = [(value, type(value)) for value in from_frame.summary["Value"]]  # counts stay whole numbers
    assert dict(zip(from_frame.summary["Measure"], values, strict=True)) == summary
    summary = {measure: value for measure, (value, _type) in summary.items()}
    assert summary["Rows read"] == APPLICANTS and summary["Pairs made"] == len(from_frame.pairings)


def test_every_row_of_the_dataframe_is_accounted_for(from_frame: MatchFrames, applications: pd.DataFrame) -> None:
    excel_rows = [position + 2 for position in range(len(applications))]
    juniors, unmatched = list(from_frame.pairings["Junior row"]), list(from_frame.unmatched["Row"])
    seniors = set(from_frame.pairings["Senior row"])  # a senior with two places is in two pairs
    assert len(set(juniors)) == len(juniors) and len(set(unmatched)) == len(unmatched)
    superseded = list(from_frame.problems.loc[from_frame.problems["Code"] == "duplicate-email", "Row"])
    # each row once: in a pair, unmatched, or set aside for the same person's later row
    assert sorted([*juniors, *seniors, *unmatched, *superseded]) == excel_rows
    # The row numbers point at the right rows: each pair's junior email is on that row of the DataFrame.
    emails = applications["Email"].str.strip().str.lower()
    for junior, row in zip(from_frame.pairings["Junior email"], from_frame.pairings["Junior row"], strict=True):
        assert emails.iloc[row - 2] == junior


def test_to_excel_writes_the_clis_workbook(from_frame: MatchFrames, cli_workbook: Path, tmp_path: Path) -> None:
    written = from_frame.to_excel(tmp_path / "frames-pairings.xlsx")
    assert written.exists()
    assert openpyxl.load_workbook(written, read_only=True).sheetnames == \
        openpyxl.load_workbook(cli_workbook, read_only=True).sheetnames
    for sheet in ("Pairings", "Unmatched", "Summary"):
        assert read_sheet(written, sheet) == read_sheet(cli_workbook, sheet), sheet


def _round(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(TEMPLATE_HEADERS))


def test_validate_places_a_broken_row_at_its_excel_row_and_column() -> None:
    frame = _round(junior_row(), senior_row(), junior_row(Grade="Band B"), senior_row())
    problems = mentormatch.validate(frame)
    assert list(problems.columns) == list(PROBLEM_HEADERS)
    errors = problems[problems["Severity"] == "error"]
    assert errors[["Row", "Column", "Code", "Value"]].values.tolist() == [[4, "Grade", "unknown-grade", "Band B"]]
    assert errors["Email"].iloc[0] == frame["Email"].iloc[2]  # position 2 is Excel row 4: header row 1, data from 2


def test_missing_values_and_numbers_where_text_is_expected() -> None:
    frame = _round(junior_row(Email="ann@example.gov.uk", Grade="HEO"),
                   junior_row(Email="ben@example.gov.uk", Grade="EO", Department="HMRC"),
                   senior_row(Email="cy@example.gov.uk", Grade=7, Department="ONS", Profession="GORS"))
    # Optional answers left blank come from pandas as NaN; the capacity column is all numbers (float64).
    for header in ("Development aims", "Networks", "Do not match with", "Submitted"):
        frame[header] = np.nan
    frame["Capacity"] = [np.nan, np.nan, 2.0]
    assert frame["Capacity"].dtype == np.float64
    matched = mentormatch.match(frame)
    assert matched.problems.empty, matched.problems.to_dict("records")  # no "nan" read as an answer
    assert sorted(matched.pairings["Junior email"]) == ["ann@example.gov.uk", "ben@example.gov.uk"]
    assert set(matched.pairings["Senior grade"]) == {"Grade 7"}  # 7 read as Grade 7, and capacity 2.0 as 2
    assert matched.unmatched.empty


def test_frame_options_that_only_fit_files_are_refused() -> None:
    frame = _round(junior_row(), senior_row())
    with pytest.raises(ValueError, match="sheet"):
        mentormatch.match(frame, sheet="Form1")
    with pytest.raises(TypeError, match="DataFrame"):
        mentormatch.validate([junior_row()])  # type: ignore[arg-type]
    assert {"match", "validate"} <= set(mentormatch.__all__)


def _imports_pandas(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return done.stdout.strip()


def test_the_cli_does_not_import_pandas() -> None:
    assert _imports_pandas("import mentormatch.cli.app, sys; print('pandas' in sys.modules)") == "False"
    # The probe sees pandas when it is imported: reaching for the pandas face loads it.
    assert _imports_pandas("import mentormatch, sys; mentormatch.match; print('pandas' in sys.modules)") == "True"


def test_the_readme_snippet_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "examples").mkdir()
    for name in ("applications.xlsx", "mentormatch.toml"):
        shutil.copy(EXAMPLES / name, tmp_path / "examples" / name)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(README_SNIPPET, "README.md", "exec"), namespace)
    matched, problems = namespace["matched"], namespace["problems"]
    assert isinstance(matched, MatchFrames) and isinstance(problems, pd.DataFrame)
    assert (problems["Severity"] == "error").any() and len(matched.pairings) > 0
    assert openpyxl.load_workbook(tmp_path / "pairings.xlsx", read_only=True).sheetnames[:4] == list(SHEETS.values())
    by_path = mentormatch.match(EXAMPLES / "applications.xlsx", config=CONFIG)
    assert _pairs(matched.pairings.to_dict("records")) == _pairs(by_path.pairings.to_dict("records"))
