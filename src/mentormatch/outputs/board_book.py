"""The board report as a workbook that follows the Analysis Function's standard for releasing statistics in
spreadsheets, built with gptables (the ONS package made for it).

A cover sheet (the round's name, what the report covers, the date, the contact from `report.contact`), a
contents sheet, a notes sheet (what [c] means and the threshold, how the counts are made), then one table
per sheet with its title in A1 — no merged cells, no blank rows or columns inside a table, shorthand in
square brackets, numbers right-aligned under right-aligned headers — and then one chart per sheet
(chartsheets: each prints on one page, with no header row over it). Every figure is the `BoardReport`'s:
this module only lays them out.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mentormatch.matching.disclosure import SUPPRESSED
from mentormatch.outputs.board import BoardReport, chart_series
from mentormatch.outputs.layout import FOOTER, MARGINS, PAPER_A4, row_height
from mentormatch.outputs.workbook import Percent, check_output_path, safe_text, save_atomically
from mentormatch.outputs.xlsx_write import run_at

MARKUP = re.compile(r"\$\$|\[[^\]]*\]\(")  # what gptables reads in a cell as a note reference or a link
COVER_WIDTH = 85  # characters: the cover's one column


def _table_name(sheet: str) -> str:
    """An Excel table name for a sheet: letters, digits and underscores, starting with a letter."""
    return "t_" + re.sub(r"\W+", "_", sheet).strip("_").lower()


def _cell(value: object) -> object:
    if isinstance(value, str):
        return safe_text(value)
    return value


@dataclass(frozen=True)
class _Table:
    sheet: str
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[object, ...]]
    charted: tuple[str, ...] = ()  # the columns its chart shows


def _tables(report: BoardReport) -> list[_Table]:
    """Each table, in the order the contents list them."""
    found = [_Table("Headline", "Headline figures of the round", ("Measure", "Value"), [tuple(r) for r in report.headline])]
    for name, (headers, rows) in report.breakdowns.items():
        found.append(_Table(name, f"{name}: applicants and those matched", headers, rows, chart_series(headers)))
    found.append(_Table("Grade gap", "Pairs by the number of grades between the partners", ("Grade gap", "Pairs"),
                        [tuple(r) for r in report.grade_gaps], ("Pairs",)))
    found.append(_Table("Scores", "Pairs by score band (the pair's fit, 0 to 100)", ("Score band", "Pairs"),
                        [tuple(r) for r in report.scores], ("Pairs",)))
    if report.reasons:
        found.append(_Table("Unmatched reasons", "Eligible juniors without a partner, by reason", ("Reason", "Juniors"),
                            [tuple(r) for r in report.reasons], ("Juniors",)))
    for name, (headers, rows) in report.checkins.items():
        charted = ("Pairs meeting",) if "Pairs meeting" in headers else ()
        found.append(_Table(name[:31], f"{name}: the pairs' monthly check-ins", headers, rows, charted))
    return found


def _formats(headers: tuple[str, ...], rows: list[tuple[object, ...]]) -> list[dict[str, Any]]:
    """Shares as percentages, means to one decimal place, counts with thousands separators (row 0 is the header)."""
    found: list[dict[str, Any]] = []
    numbers = [c for c in range(1, len(headers)) if all(
        (isinstance(row[c], int | float) and not isinstance(row[c], bool)) or row[c] in (SUPPRESSED, "") for row in rows)]
    if numbers:  # right-aligned under a right-aligned header, even when every count is [c]
        found.append({"column": {"columns": numbers, "format": {"align": "right"}, "include_names": True}})
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, Percent):
                found.append({"cell": {"cells": [(r, c)], "format": {"num_format": "0%"}}})
            elif isinstance(value, float):
                found.append({"cell": {"cells": [(r, c)], "format": {"num_format": "0.0"}}})
            elif isinstance(value, int) and not isinstance(value, bool):
                found.append({"cell": {"cells": [(r, c)], "format": {"num_format": "#,##0"}}})
    return found


def write_board(output: Path, report: BoardReport) -> Path:
    """Write the board's workbook atomically (never over an input)."""
    check_output_path(output, report.source, *([report.tracker] if report.tracker else []), suffix=".xlsx")
    return save_atomically(lambda path: _write(path, report), output)


def _write(path: Path, report: BoardReport) -> None:
    import gptables as gpt
    import pandas as pd

    tables = [table for table in _tables(report) if table.rows]  # a table with no row is left out (nobody to count)
    # The round's name as the config gives it: gptables would read "$$…$$" or "[…](…)" in it as markup.
    name = safe_text(report.title)
    shown_name = "Mentoring round" if MARKUP.search(name) else name
    sheets = {}
    verbatim: list[tuple[str, int, int, str]] = []  # (sheet, row, column, text) written after gptables
    for table in tables:
        sheet, title, headers, rows = table.sheet, table.title, table.headers, table.rows
        cells = [[_cell(v) for v in row] for row in rows]
        for r, row in enumerate(cells):
            for c, value in enumerate(row):
                if isinstance(value, str) and value and (MARKUP.search(value) or not any(ch.isalnum() for ch in value)):
                    # gptables would turn it into a note mark or a link, or refuse text of symbols only: the
                    # frame holds a stand-in, and the text is written as it is afterwards
                    verbatim.append((sheet, r, c, value))
                    row[c] = "x"
        frame = pd.DataFrame(cells, columns=list(headers), dtype=object)
        grouped = sheet in report.breakdowns or sheet == "Check-ins by group"
        marks = " $$suppressed$$ $$counts$$" + (" $$grouped$$" if grouped else "")
        sheets[sheet] = gpt.GPTable(
            table=frame, table_name=_table_name(sheet), title=f"{safe_text(title)}{marks}",
            subtitles=[shown_name], instructions="This worksheet contains one table. [c] marks a "
            "count not shown (see the notes worksheet).", source="Source: mentormatch, from the round's pairings workbook",
            index_columns={2: 0}, additional_formatting=_formats(headers, rows))
    produced = run_at()
    intro = ["The programme board's report of one mentoring round: who applied, who was paired and how well, by "
             "grade, department and profession, with the pairs' check-ins when given.",
             f"Produced on {produced.day} {produced:%B %Y}."]
    about = [f"Counts from 1 to {report.smallest - 1} are shown as [c], and so is any count they could be worked out "
             "from, across every table of this report (and the page published with it).",
             "Tables come first, one per sheet; the charts follow, one per sheet."]
    contact = [safe_text(report.contact) if report.contact else "The programme's coordinator."]
    cover = gpt.Cover(title=shown_name, intro=intro, about=about, contact=contact, width=COVER_WIDTH)
    cover_lines = [report.title, "Introductory information", *intro, "About these data", *about, "Contact", *contact]
    texts = {  # each note by the reference the tables' titles give it
        "suppressed": f"[c]: a count from 1 to {report.smallest - 1}, or one it could be worked out from, is not shown.",
        "counts": "Counts are of eligible applicants and pairs; a senior with several partners is one senior.",
        "grouped": f"Groups with a count from 1 to {report.smallest - 1} are combined into one 'Other' row first.",
    }
    notes = pd.DataFrame({"Note reference": list(texts), "Note text": list(texts.values())})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # gptables warns when a note goes unreferenced on some sheet
        book = gpt.produce_workbook(
            filename=str(path), sheets=sheets, cover=cover, notes_table=notes,
            workbook_options={"strings_to_formulas": False, "strings_to_urls": False,
                              "strings_to_numbers": False})
    text = book.add_format({"font_name": "Arial", "font_size": 12, "align": "left", "text_wrap": True})  # the theme's
    for sheet, r, c, value in verbatim:  # a group's name as the applicant wrote it, never a note mark or a link
        top, first, _last_row, _last_col = sheets[sheet].data_range
        book.get_worksheet_by_name(sheet).write_string(top + 1 + r, first + c, value, text)
    if shown_name != name:  # the theme's title and subtitle styles, with the name as written
        book.get_worksheet_by_name("Cover").write_string(0, 0, name, book.add_format(
            {"font_name": "Arial", "font_size": 16, "bold": True, "text_wrap": True}))
        subtitle = book.add_format({"font_name": "Arial", "font_size": 14})
        for sheet in sheets:
            book.get_worksheet_by_name(sheet).write_string(1, 0, name, subtitle)
    for worksheet in book.worksheets():
        if worksheet.name in sheets:  # the table's header row on every printed page
            worksheet.repeat_rows(sheets[worksheet.name].data_range[0])
        if worksheet.name == "Cover":  # tall enough for each paragraph's lines
            for at, line in enumerate(cover_lines):
                if height := row_height([line], [COVER_WIDTH], {0}):
                    worksheet.set_row(at, height)
        worksheet.set_landscape()
        worksheet.set_paper(PAPER_A4)
        worksheet.fit_to_pages(1, 0)
        worksheet.set_margins(MARGINS["left"], MARGINS["right"], MARGINS["top"], MARGINS["bottom"])
        worksheet.set_footer(FOOTER)
    for table in tables:
        sheet, headers, rows, charted = table.sheet, table.headers, table.rows, table.charted
        if not charted:
            continue
        top, first, _last_row, _last_col = sheets[sheet].data_range
        chart = book.add_chart({"type": "bar"})
        for column in charted:
            at = first + headers.index(column)
            chart.add_series({"name": [sheet, top, at], "categories": [sheet, top + 1, first, top + len(rows), first],
                              "values": [sheet, top + 1, at, top + len(rows), at], "gap": 60})
        chart.set_title({"name": f"{sheet} (a [c] count has no bar)"})
        chart.set_y_axis({"reverse": True})  # the table's order, top to bottom
        chart.set_legend({"position": "bottom"} if len(charted) > 1 else {"none": True})
        chartsheet = book.add_chartsheet(f"Chart {sheet}"[:31])
        chartsheet.set_chart(chart)
        chartsheet.set_landscape()
        chartsheet.set_paper(PAPER_A4)
    book.close()

