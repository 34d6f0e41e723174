"""The checked pairings workbook: the person's edits kept, what changed highlighted, the check's findings added."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mentormatch.matching.figures import round_figures
from mentormatch.outcomes import Severity
from mentormatch.outputs.layout import row_height
from mentormatch.outputs.sheets import (
    PAIRING_WIDTHS,
    PAIRING_WRAP,
    UNMATCHED_HEADERS,
    problems_sheet,
)
from mentormatch.outputs.summary import breakdown_sheet, summary_rows
from mentormatch.outputs.workbook import (
    Sheet,
    check_output_path,
    print_setup,
    safe_text,
    save_atomically,
)
from mentormatch.round.check import CheckReport

CHANGED = "FFF2CC"  # pale yellow: a cell mentormatch rewrote
BROKEN = "F4CCCC"  # pale red: a cell a problem points at


def check_rows(report: CheckReport) -> list[tuple[str, object]]:
    """The check's headline: the edited pairing against the best one under the same rules."""
    rows: list[tuple[str, object]] = [
        ("Rows with a pair", len(report.pairs)),
        ("Pairs that break no rule", report.valid_pairs),
        ("Problems", len(report.problems)),
        ("Rows whose Score and Why were brought up to date", sum(p.stale for p in report.pairs)),
        ("Cells rewritten from the applications (names, grades, departments, professions, shared aims)",
         sum(len(p.disagrees) for p in report.pairs)),
        ("Total score of the pairs that break no rule", report.total_score),
    ]
    if report.best_pairs is not None and report.best_score is not None:
        rows += [
            ("Best pairing under the same rules: pairs", report.best_pairs),
            ("Best pairing under the same rules: total score", report.best_score),
            ("The edits cost: pairs", report.best_pairs - report.valid_pairs),
            ("The edits cost: score", report.best_score - report.total_score),
            ("The one change that recovers most", report.swap.description if report.swap else "none helps"),
            *([("It recovers: pairs", report.swap.pairs_gain), ("It recovers: score", report.swap.score_gain)]
              if report.swap else []),
        ]
    return rows


def _put(sheet: Any, row: int, column: int, value: object) -> Any:
    """Write one cell; text is always text, never a live formula (it may come from an application)."""
    cell = sheet.cell(row, column, safe_text(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _fit_row(sheet: Any, row: int, headers: list[str]) -> None:
    """A rewritten row wraps its text at the top of its cells and is as tall as its longest text needs."""
    from openpyxl.styles import Alignment

    wrap = {index for index, name in enumerate(headers) if name in PAIRING_WRAP}
    widths = [sheet.column_dimensions[sheet.cell(1, index + 1).column_letter].width or PAIRING_WIDTHS.get(name, 14)
              for index, name in enumerate(headers)]
    values = [sheet.cell(row, index + 1).value for index in range(len(headers))]
    for index in wrap:
        sheet.cell(row, index + 1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[row].height = row_height(values, widths, wrap)


def write_checked(output: Path, report: CheckReport) -> Path:
    """Write the edited workbook with Score and Why brought up to date, changes and problems highlighted,
    the Summary, Breakdown and Unmatched recomputed for the pairs as they now stand, and Check and Check
    problems sheets added. The edited file is never changed."""
    from openpyxl import load_workbook
    from openpyxl.styles import PatternFill

    check_output_path(output, report.source, suffix=".xlsx")
    book = load_workbook(report.source)
    sheet = book["Pairings"]
    column = {name: index + 1 for index, name in enumerate(report.headers) if name}
    changed, broken = PatternFill("solid", fgColor=CHANGED), PatternFill("solid", fgColor=BROKEN)
    for pair in report.pairs:
        if pair.stale and pair.score is not None:
            for name, value in (("Score", pair.score), ("Why", pair.why)):
                if name in column:
                    _put(sheet, pair.row, column[name], value).fill = changed
        for name in pair.disagrees:  # the emails are the truth: the partners' details follow them
            _put(sheet, pair.row, column[name], pair.rebuilt[name]).fill = changed
        if pair.stale or pair.disagrees:
            _fit_row(sheet, pair.row, report.headers)
    for problem in report.problems:  # a rule broken is red; a cell rewritten from the applications stays yellow
        if (problem.severity is Severity.ERROR and problem.row is not None and problem.sheet == "Pairings"
                and problem.column in column):
            sheet.cell(problem.row, column[problem.column]).fill = broken
    figures = round_figures(report.result)
    added = [
        Sheet("Check", ("Measure", "Value"), check_rows(report), wrap=frozenset({"Value"}),
              widths={"Measure": 50, "Value": 70}),
        Sheet("Check problems", problems_sheet(report.problems).headers, problems_sheet(report.problems).rows,
              wrap=frozenset({"Message"}), widths={"Message": 70}),
        Sheet("Summary", ("Measure", "Value"), summary_rows(figures), widths={"Measure": 60}),
        breakdown_sheet(figures),
        Sheet("Unmatched", UNMATCHED_HEADERS, [(u.row, u.email, u.name, u.role, u.code, u.reason)
                                                for u in report.result.unmatched],
              wrap=frozenset({"Reason"}), widths={"Reason": 70}),
    ]
    for spec in added:
        if spec.name in book.sheetnames:
            position = book.sheetnames.index(spec.name)
            del book[spec.name]
        else:
            position = 1
        target = book.create_sheet(spec.name, position)
        for number, line in enumerate([spec.headers, *spec.rows], start=1):
            for index, cell in enumerate(line, start=1):
                _put(target, number, index, cell)
        for index, header in enumerate(spec.headers, start=1):
            target.column_dimensions[target.cell(1, index).column_letter].width = spec.widths.get(header, 14)
        print_setup(target)
    return save_atomically(book.save, output)
