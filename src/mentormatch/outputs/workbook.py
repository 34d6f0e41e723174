"""Writing workbooks and other outputs safely: atomically, never over an input, never as formulas."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from glob import escape as glob_escape
from pathlib import Path
from typing import Any

from mentormatch.errors import MentormatchError
from mentormatch.files import read_by_this_command, same_file
from mentormatch.inputs.reading import Cell
from mentormatch.matching.disclosure import Suppressed
from mentormatch.outputs.layout import MARGINS, PAPER_A4, numeric_columns, row_height
from mentormatch.outputs.xlsx_write import restamp
from mentormatch.vocab.text import CONTROL

_EXCEL_CELL_LIMIT = 32_767
CHART_WIDTH, CHART_HEIGHT = 22.0, 10.0  # centimetres: within an A4 landscape page beside nothing else


class Percent(float):
    """A share from 0 to 1, written as a number with a percent format."""




@dataclass
class Sheet:
    """A sheet to write: a header row, data rows, and how it should look."""

    name: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Cell]]
    wrap: frozenset[str] = frozenset()
    widths: Mapping[str, float] = field(default_factory=dict)
    chart_row: str | None = None  # first-column label of a row to draw as a bar chart across columns
    whole_numbers: dict[str, tuple[int, int]] = field(default_factory=dict)  # header -> allowed range
    chart_columns: tuple[str, ...] = ()  # headers of columns to draw as bars against the first column
    hidden: bool = False  # a record for mentormatch itself, not for people to read or print
    print_columns: int | None = None  # print only the first N columns (the rest are for audit or sensitive)
    title: str = ""  # printed at the top of every page


def safe_text(text: str) -> str:
    """Text as a cell can hold it: no control characters (illegal in XML), at most Excel's 32,767 characters."""
    if not text.isprintable():  # quick test first: control characters are never printable
        text = CONTROL.sub("", text)
    return text if len(text) <= _EXCEL_CELL_LIMIT else text[: _EXCEL_CELL_LIMIT - 1] + "…"


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def check_output_path(output: Path, *inputs: Path, suffix: str | None = None) -> None:
    """Refuse an output that would overwrite an input, that cannot be written where asked, or (with
    `suffix`) whose name says it is another kind of file."""
    if suffix is not None and output.suffix.lower() != suffix:
        raise MentormatchError(f"Cannot write {output.name}: mentormatch writes this as an Excel workbook, so the "
                               f"name must end {suffix}: use {output.with_suffix(suffix).name}.")
    for source in inputs:
        if same_file(output, source):
            raise MentormatchError(f"Refusing to write over the input file {source.name}: choose another --output.")
    read = read_by_this_command(output)
    if read is not None:
        raise MentormatchError(f"Refusing to write over {output.name}: this command reads it (as {read}). Choose "
                               "another name for the output.")
    if not output.parent.exists():
        raise MentormatchError(f"Cannot write {output.name}: the folder {output.parent} does not exist.")
    if output.is_dir():
        raise MentormatchError(f"Cannot write {output}: it is a folder; give a file name ending .xlsx.")


def _widths(spec: Sheet, rows: list[list[Cell]]) -> list[float]:
    """Column widths: as set in the spec, else fitted to the header and the first 300 rows (at most 60)."""
    widths = []
    for index, header in enumerate(spec.headers):
        sample = [len(str(row[index])) for row in rows[:300] if index < len(row)]
        widths.append(spec.widths.get(header) or min(max([len(header) + 4, *sample]) + 2, 60))
    return widths


def write_workbook(output: Path, sheets: Sequence[Sheet], *, inputs: Sequence[Path] = ()) -> Path:
    """Write sheets to an .xlsx file atomically: a temporary file beside it, then a rename.

    Plain tables are streamed by mentormatch.outputs.xlsx_write (fast at any size); workbooks with charts
    are written by openpyxl.
    """
    check_output_path(output, *inputs, suffix=".xlsx")
    if not any(spec.chart_row is not None or spec.chart_columns for spec in sheets):
        from mentormatch.outputs.xlsx_write import Table, write_xlsx

        tables = []
        for spec in sheets:
            rows = [[safe_text(v) if isinstance(v, str) else v for v in row] for row in spec.rows]
            headers = [safe_text(h) for h in spec.headers]
            checks = [(list(spec.headers).index(h), low, high, f"Enter a whole number from {low} to {high}.")
                      for h, (low, high) in spec.whole_numbers.items()]
            wrap = {i for i, h in enumerate(spec.headers) if h in spec.wrap}
            tables.append(Table(spec.name[:31], headers, rows, _widths(spec, rows), wrap, checks, spec.hidden,
                                spec.print_columns, safe_text(spec.title), numeric_columns(rows, len(headers))))
        return save_atomically(lambda path: write_xlsx(path, tables), output)
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook(write_only=True)
    bold, wrap, top = Font(name="Calibri", bold=True), Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    right = Alignment(horizontal="right", vertical="top")
    wrap_right = Alignment(horizontal="right", wrap_text=True, vertical="top")
    for spec in sheets:
        sheet = book.create_sheet(spec.name[:31])
        spec = _with_chart_data(spec)
        rows = [list(row) for row in spec.rows]
        print_setup(sheet, title=spec.title, hidden=spec.hidden, print_area=f"A1:{_letter(spec.print_columns)}"
                    f"{len(rows) + 1}" if spec.print_columns else None)
        sheet.freeze_panes = "A2"
        last = get_column_letter(max(1, len(spec.headers)))
        sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
        for header, (low, high) in spec.whole_numbers.items():
            letter = get_column_letter(list(spec.headers).index(header) + 1)
            check = DataValidation(type="whole", operator="between", formula1=str(low), formula2=str(high),
                                   allow_blank=True, showErrorMessage=True, error=f"Enter a whole number from {low} to {high}.")
            check.add(f"{letter}2:{letter}{max(len(rows), 1) + 1}")  # at least row 2, even with no rows
            sheet.data_validations.append(check)
        widths = _widths(spec, rows)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
            # the chart's own copies of its columns: hidden, so never printed
            sheet.column_dimensions[get_column_letter(index)].hidden = spec.headers[index - 1].endswith(CHART_SUFFIX)
        header_cells = []
        numeric = numeric_columns(rows, len(spec.headers))
        for index, header in enumerate(spec.headers):
            cell = WriteOnlyCell(sheet, safe_text(header))
            cell.font, cell.alignment = bold, wrap_right if index in numeric else wrap
            header_cells.append(cell)
        if height := row_height(list(spec.headers), widths, set(range(len(spec.headers)))):
            sheet.row_dimensions[1].height = height
        sheet.append(header_cells)
        wrap_at = {i for i, header in enumerate(spec.headers) if header in spec.wrap}
        for number, row in enumerate(rows, start=2):
            if wrap_at and (height := row_height(row, widths, wrap_at)):
                sheet.row_dimensions[number].height = height
            out = []
            for i, value in enumerate(row):
                if isinstance(value, str):
                    cell = WriteOnlyCell(sheet, safe_text(value))
                    cell.data_type = "s"  # applicant text is never a live formula
                else:
                    cell = WriteOnlyCell(sheet, value)
                cell.alignment = wrap if i in wrap_at else right if isinstance(value, Suppressed) else top
                if isinstance(value, Percent):
                    cell.number_format = "0%"
                out.append(cell)
            sheet.append(out)
        if spec.chart_row is not None:
            _add_bar_chart(sheet, spec, rows)
        if spec.chart_columns and rows:
            _add_column_chart(sheet, spec, len(rows))
    return save_atomically(book.save, output, book)


CHART_SUFFIX = " (chart)"


def _with_chart_data(spec: Sheet) -> Sheet:
    """A sheet with charts gets hidden copies of its charted columns holding numbers only: a suppressed
    count is a blank there, so the chart leaves a gap instead of drawing a zero."""
    if not spec.chart_columns:
        return spec
    rows = [list(row) for row in spec.rows]
    at = [list(spec.headers).index(h) for h in spec.chart_columns]
    plotted = [[*row, *(v if isinstance(v, int | float) and not isinstance(v, bool) else None
                        for v in (row[i] for i in at))] for row in rows]
    return dataclasses.replace(spec, headers=(*spec.headers, *(h + CHART_SUFFIX for h in spec.chart_columns)),
                               rows=plotted)  # hidden columns are not printed: no print area, so the chart is


def print_setup(sheet: Any, *, title: str = "", print_area: str | None = None, hidden: bool = False) -> None:
    """A4 landscape, one page wide, the header row on every page, the sheet's name and page in the footer."""
    from openpyxl.worksheet.page import PageMargins

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.page_margins = PageMargins(**MARGINS)
    sheet.oddFooter.left.text, sheet.oddFooter.right.text = "&A", "Page &P of &N"
    if title:
        sheet.oddHeader.center.text = safe_text(title).replace("&", "&&")
    if print_area:
        sheet.print_area = print_area
    if hidden:
        sheet.sheet_state = "hidden"


def _add_column_chart(sheet: object, spec: Sheet, count: int) -> None:
    """A native Excel bar chart of some columns, one bar group per row, labelled by the first column."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.series import SeriesLabel

    chart = BarChart()
    chart.title = spec.name
    chart.width, chart.height = CHART_WIDTH, CHART_HEIGHT
    for header in spec.chart_columns:
        column = list(spec.headers).index(header + CHART_SUFFIX) + 1
        chart.add_data(Reference(sheet, min_col=column, max_col=column, min_row=1, max_row=count + 1),
                       titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, max_col=1, min_row=2, max_row=count + 1))
    chart.visible_cells_only = False  # its data columns are hidden
    for series, header in zip(chart.series, spec.chart_columns, strict=True):
        series.tx = SeriesLabel(v=header)  # the legend says the column's name, not its hidden copy's
    sheet.add_chart(chart, f"A{count + 3}")  # type: ignore[attr-defined]  # below the table: it prints with it


def _add_bar_chart(sheet: object, spec: Sheet, rows: list[list[Cell]]) -> None:
    """A native Excel bar chart of one labelled row, with the headers as categories."""
    from openpyxl.chart import BarChart, Reference

    index = next(i for i, row in enumerate(rows) if row and row[0] == spec.chart_row)
    chart = BarChart()
    chart.title = spec.chart_row
    chart.legend = None
    chart.width, chart.height = CHART_WIDTH, CHART_HEIGHT
    last = len(spec.headers)
    chart.add_data(Reference(sheet, min_col=2, max_col=last, min_row=index + 2, max_row=index + 2),
                   from_rows=True, titles_from_data=False)
    chart.set_categories(Reference(sheet, min_col=2, max_col=last, min_row=1, max_row=1))
    sheet.add_chart(chart, f"A{len(rows) + 3}")  # type: ignore[attr-defined]  # below the table: it prints with it


def write_bytes(output: Path, data: bytes, *, inputs: Sequence[Path] = ()) -> Path:
    """Write a file atomically, never over an input."""
    check_output_path(output, *inputs)
    return save_atomically(lambda path: path.write_bytes(data), output)


def write_text(output: Path, text: str, *, inputs: Sequence[Path] = ()) -> Path:
    """Write a UTF-8 text file atomically, never over an input."""
    return write_bytes(output, text.encode("utf-8"), inputs=inputs)


def save_atomically(save: Callable[[Path], object], output: Path, book: object = None) -> Path:
    """Save to a temporary file beside `output` with `save(path)`, then rename it into place.

    On failure nothing is left behind, and the streams of a write-only `book` are closed.
    """
    temp: Path | None = None
    saved = False
    try:
        clear_leftovers(output.parent, output.stem)
        handle, temp_name = tempfile.mkstemp(prefix=f".{output.stem}-{os.getpid()}-", suffix=PART, dir=output.parent)
        os.close(handle)
        temp = Path(temp_name)
        save(temp)
        restamp(temp)  # SOURCE_DATE_EPOCH: the same bytes for the same inputs, whatever library saved them
        saved = True
        # mkstemp makes the file readable by its owner only; give it what a normal save would (the
        # user's umask), like any file they save themselves.
        os.chmod(temp, 0o666 & ~current_umask())
        os.replace(temp, output)
        temp = None
    except PermissionError:
        raise MentormatchError(f"Cannot write {output.name}: it is open in another program or the "
                               "folder is read-only. Close it and try again.") from None
    except OSError as exc:
        raise MentormatchError(f"Cannot write {output.name} ({exc.strerror or exc.__class__.__name__}); "
                               "nothing was changed.") from None
    finally:
        if book is not None and not saved:
            _discard(book)  # a save that failed or never started leaves the sheets' streams open
        if temp is not None:
            temp.unlink(missing_ok=True)
    return output


PART = ".part"  # the ending of a file or folder being written, renamed into place when complete


def clear_leftovers(folder: Path, stem: str) -> None:
    """Remove what a killed write of `stem` left in `folder`: its temporary files of processes no longer running.

    Temporary names are `.STEM-PID-XXXX.part`; one whose process still runs (a write under way) is left alone.
    """
    own = re.compile(rf"^\.{re.escape(stem)}-(\d+)-[a-z0-9_]+{re.escape(PART)}$")
    for leftover in folder.glob(f".{glob_escape(stem)}-*{PART}"):
        found = own.match(leftover.name)
        if found is None or _running(int(found.group(1))):
            continue  # another output's temporary file, or a write under way
        try:
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover)
            else:
                leftover.unlink()
        except OSError:
            continue  # someone else's file, or already gone: it is never read as an output either way


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else
    return True


def current_umask() -> int:
    """The process's umask (read by setting it and setting it back: there is no other way to ask)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _discard(book: object) -> None:
    """Close the XML streams of a write-only workbook whose save failed, so none is left to the collector."""
    for sheet in getattr(book, "worksheets", []):
        streams = [getattr(sheet, "_rows", None), getattr(getattr(sheet, "_writer", None), "xf", None)]
        for stream in streams:
            if stream is None:
                continue
            with contextlib.suppress(Exception):  # a half-written stream may fail to finish: the save failed anyway
                stream.close()
