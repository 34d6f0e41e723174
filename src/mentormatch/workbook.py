"""Reading application exports (.xlsx, .csv) and writing workbooks safely and atomically."""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from mentormatch.errors import MentormatchError

Cell = object
MAX_UNZIPPED_BYTES = 2 * 1024**3  # a workbook that inflates past this is refused as a zip bomb
_EXCEL_CELL_LIMIT = 32_767
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ROW_OR_CELL = re.compile(rb"<(?:\w+:)?(row|c)(?=[\s/>])([^>]*)")
_REFERENCE = re.compile(rb'\br="([A-Z]{0,3})(\d+)"')
_PREFIXED_TAG = re.compile(rb"<\w+:(?:c|row)[\s/>]")
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"')
_ROW_REF = re.compile(rb'<row r="(\d+)"')
MAX_CELLS = 50_000_000  # 500,000 rows of 100 columns
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass
class Grid:
    """The cells of one sheet as read: row i of `rows` is Excel row i + 1."""

    source: Path
    sheet: str
    rows: list[list[Cell]]
    encoding_note: str = ""
    formula_gaps: set[tuple[int, int]] = field(default_factory=set)  # (Excel row, 0-based column)


def _refuse(path: Path, what: str) -> MentormatchError:
    return MentormatchError(f"{path.name} {what}")


def _sniff_zip(path: Path, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and b"opendocument" in archive.read("mimetype"):
                raise _refuse(path, "is an OpenDocument (.ods) spreadsheet: open it and save it as "
                                    "Excel Workbook (.xlsx), then try again.")
            if "xl/workbook.xml" not in names:
                raise _refuse(path, "is a zip file but not an Excel workbook: export the "
                                    "applications as .xlsx or .csv.")
            for info in archive.infolist():
                if info.filename.endswith((".xml", ".rels")) and _DOCTYPE.search(archive.open(info).read(4096)):
                    raise _refuse(path, "contains XML document type declarations, which Excel never writes "
                                        "and XML attacks use: it was not read. Open and re-save it in Excel, "
                                        "or check where it came from.")
            inflated = sum(info.file_size for info in archive.infolist())
            if inflated > max_bytes:
                raise _refuse(path, f"would inflate to {inflated / 1024**2:,.0f} MB, over the "
                                    f"{max_bytes / 1024**2:,.0f} MB safety limit: it may be a zip "
                                    "bomb; check where it came from.")
    except zipfile.BadZipFile:
        raise _refuse(path, "is damaged or incomplete (not a valid .xlsx file): export it again "
                            "or open and re-save it in Excel.") from None


def _sniff_ole(path: Path) -> MentormatchError:
    with path.open("rb") as handle:
        head = handle.read(8 * 1024 * 1024)
    if _ENCRYPTED_MARK in head:
        return _refuse(path, "is password-protected: open it in Excel, remove the password "
                             "(File > Info > Protect Workbook), save it as .xlsx and try again.")
    return _refuse(path, "is an old Excel 97-2003 (.xls) workbook: open it in Excel and save it "
                         "as Excel Workbook (.xlsx), then try again.")


def read_grid(path: Path, sheet: str | None = None, *, max_bytes: int = MAX_UNZIPPED_BYTES) -> Grid:
    """Read every cell of one sheet (the named one, else the first with data) or of a CSV file."""
    if not path.exists():
        raise MentormatchError(f"{path} does not exist: check the file name and folder.")
    if path.is_dir():
        raise MentormatchError(f"{path} is a folder, not a spreadsheet.")
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise MentormatchError(f"{path.name} cannot be opened ({exc.strerror or exc.__class__.__name__}).") from None
    if not head:
        raise _refuse(path, "is empty (0 bytes): export the applications again.")
    if head.startswith(_OLE_MAGIC):
        raise _sniff_ole(path)
    if head.startswith(b"PK"):
        _sniff_zip(path, max_bytes)
        return _read_xlsx(path, sheet)
    if path.suffix.lower() in {".csv", ".txt"}:
        return _read_csv(path)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        raise _refuse(path, "is damaged or not really an Excel workbook: export it again or "
                            "open and re-save it in Excel.")
    raise _refuse(path, "is not a spreadsheet mentormatch can read: save it as .xlsx or .csv.")


def _read_xlsx(path: Path, sheet: str | None) -> Grid:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        if sheet is not None and sheet not in names:
            raise _refuse(path, f"has no sheet named {sheet!r}; its sheets are: {', '.join(names)}.")
        # Visible sheets first: a hidden sheet of drop-down lists is not the applications.
        visible = {meta.name: str(meta.visible).endswith("Visible") for meta in book.sheets_metadata}
        candidates = [sheet] if sheet is not None else sorted(names, key=lambda name: not visible.get(name, True))
        for name in candidates:
            _check_used_range(path, name)
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            if sheet is not None or any(_filled(row) for row in rows):
                return Grid(path, name, rows, formula_gaps=_formula_gaps(path, name))
    except MentormatchError:
        raise
    except Exception as exc:  # the reader's own errors carry no applicant data, only their type
        raise _refuse(path, f"cannot be read as an Excel workbook ({exc.__class__.__name__}): "
                            "open and re-save it in Excel, or export it as .csv.") from None
    raise _refuse(path, "has no sheet with any data in it: check it is the right file, or export the "
                        "applications again.")


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding a sheet's XML, found through the workbook's relationships."""
    from defusedxml.ElementTree import fromstring

    workbook = fromstring(archive.read("xl/workbook.xml"))
    rel_id = next((node.get(f"{_REL}id") for node in workbook.iter(f"{_MAIN}sheet") if node.get("name") == sheet), None)
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next((node.get("Target") for node in rels.iter(f"{_PACKAGE_REL}Relationship") if node.get("Id") == rel_id), None)
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _check_used_range(path: Path, sheet: str) -> None:
    """Refuse a sheet whose cells span an absurd range (a stray cell far from the data).

    The reader fills in every cell of the range, so one cell at XFD1048576 would need hundreds of
    GB. The <dimension> element can lie, so the sheet's XML is streamed: when every row and cell
    carries its reference (as Excel writes them) the largest references give the range; otherwise
    each row and cell is placed as the reader places it (explicit, or the next one along).
    """
    with zipfile.ZipFile(path) as archive:
        part = _sheet_part(archive, sheet)
        if part is None or part not in archive.namelist():
            return
        with archive.open(part) as stream:
            found = _explicit_range(_whole_tags(stream))
        if found is None:
            with archive.open(part) as stream:
                found = _place_each_cell(_whole_tags(stream))
    rows, columns = found
    if rows * columns > MAX_CELLS:
        raise _refuse(path, f"sheet {sheet!r} has cells spread over {rows:,} rows by {columns:,} columns, far "
                            "more than an application export: a stray cell is probably far from the data. "
                            "Delete the empty rows and columns after your data, save, and try again.")


def _whole_tags(stream: IO[bytes]) -> Iterator[bytes]:
    """Chunks of XML that never cut a tag in two."""
    tail = b""
    while chunk := stream.read(1 << 20):
        window = tail + chunk
        cut = window.rfind(b"<")
        yield window[:cut]
        tail = window[cut:]
    yield tail


def _explicit_range(chunks: Iterable[bytes]) -> tuple[int, int] | None:
    """(rows, columns) from the references Excel writes on every row and cell; None if any is missing."""
    rows = 0
    letters: set[bytes] = set()
    for window in chunks:
        cells = window.count(b"<c ") + window.count(b"<c>") + window.count(b"<c/>")
        row_tags = window.count(b"<row ") + window.count(b"<row>") + window.count(b"<row/>")
        if (cells != window.count(b'<c r="') or row_tags != window.count(b'<row r="')
                or _PREFIXED_TAG.search(window)):
            return None
        references = _CELL_REF.findall(window)
        letters.update({letter for letter, _digits in references})
        numbers = [int(digits) for _letter, digits in references]
        numbers += map(int, _ROW_REF.findall(window))
        rows = max(rows, max(numbers, default=0))
    columns = max((_coordinate(letter.decode() + "1")[1] + 1 for letter in letters), default=0)
    return rows, columns


def _place_each_cell(chunks: Iterable[bytes]) -> tuple[int, int]:
    """The exact range when some rows or cells omit their reference (slow, and rare)."""
    rows = columns = row = column = 0
    for window in chunks:
        for match in _ROW_OR_CELL.finditer(window):
            reference = _REFERENCE.search(match.group(2))
            if match.group(1) == b"row":
                row = int(reference.group(2)) if reference else row + 1
                column = 0
            elif reference and reference.group(1):
                row, column = _coordinate((reference.group(1) + reference.group(2)).decode())
                column += 1
            else:
                column += 1
            rows, columns = max(rows, row), max(columns, column)
    return rows, columns


def _formula_gaps(path: Path, sheet: str) -> set[tuple[int, int]]:
    """Cells holding a formula with no saved value (Excel row, 0-based column).

    The reader returns saved values only, so such a cell would look blank. A quick byte scan skips
    sheets without formulas; otherwise the sheet's XML is streamed with defusedxml.
    """
    from defusedxml.ElementTree import iterparse

    gaps: set[tuple[int, int]] = set()
    with zipfile.ZipFile(path) as archive:
        part = _sheet_part(archive, sheet)
        if part is None or part not in archive.namelist():
            return gaps
        with archive.open(part) as stream:
            tail = b""
            while chunk := stream.read(1 << 20):
                window = tail + chunk
                if (b"<f" in window or b":f" in window) and _FORMULA_TAG.search(window):
                    break
                tail = chunk[-8:]
            else:
                return gaps
        with archive.open(part) as stream:
            for _event, node in iterparse(stream, events=("end",)):
                if node.tag != f"{_MAIN}c":
                    continue
                value = node.find(f"{_MAIN}v")
                if node.find(f"{_MAIN}f") is not None and (value is None or not value.text) and node.get("r"):
                    gaps.add(_coordinate(node.get("r", "")))
                node.clear()
    return gaps


def _coordinate(reference: str) -> tuple[int, int]:
    """'B12' -> (12, 1)."""
    letters = reference.rstrip("0123456789")
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return int(reference[len(letters):]), column - 1


def _read_csv(path: Path) -> Grid:
    raw = path.read_bytes()
    note = ""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text, note = raw.decode("cp1252", errors="replace"), "cp1252"
    try:
        delimiter = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # Only the delimiter is sniffed: Excel and form exports always escape quotes by doubling them.
    # A cell may be far longer than the csv module's default 128 KB limit; it is reported, not fatal.
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    try:
        rows: list[list[Cell]] = [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise _refuse(path, f"is not a well-formed CSV file ({exc}): export it again.") from None
    return Grid(path, "", rows, encoding_note=note)


def _filled(row: Sequence[Cell]) -> bool:
    return any(cell is not None and str(cell).strip() != "" for cell in row)


def is_blank(row: Sequence[Cell]) -> bool:
    """Return True when no cell of the row holds anything but white space."""
    return not _filled(row)


# --- writing -------------------------------------------------------------------------------


@dataclass
class Sheet:
    """A sheet to write: a header row, data rows, and how it should look."""

    name: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Cell]]
    wrap: frozenset[str] = frozenset()
    widths: dict[str, float] = field(default_factory=dict)
    chart_row: str | None = None  # first-column label of a row to draw as a bar chart across columns
    whole_numbers: dict[str, tuple[int, int]] = field(default_factory=dict)  # header -> allowed range
    chart_columns: tuple[str, ...] = ()  # headers of columns to draw as bars against the first column


def _safe_text(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text if len(text) <= _EXCEL_CELL_LIMIT else text[: _EXCEL_CELL_LIMIT - 1] + "…"


def check_output_path(output: Path, *inputs: Path) -> None:
    """Refuse an output that would overwrite an input, or that cannot be written where asked."""
    for source in inputs:
        if output.resolve() == source.resolve():
            raise MentormatchError(f"Refusing to write over the input file {source.name}: choose another --output.")
    if not output.parent.exists():
        raise MentormatchError(f"Cannot write {output.name}: the folder {output.parent} does not exist.")
    if output.is_dir():
        raise MentormatchError(f"Cannot write {output}: it is a folder; give a file name ending .xlsx.")


def write_workbook(output: Path, sheets: Sequence[Sheet], *, inputs: Sequence[Path] = ()) -> Path:
    """Write sheets to an .xlsx file atomically: a temporary file beside it, then a rename."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    check_output_path(output, *inputs)
    book = Workbook(write_only=True)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for spec in sheets:
        sheet = book.create_sheet(spec.name[:31])
        rows = [list(row) for row in spec.rows]
        sheet.freeze_panes = "A2"
        last = get_column_letter(max(1, len(spec.headers)))
        sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
        for header, (low, high) in spec.whole_numbers.items():
            letter = get_column_letter(list(spec.headers).index(header) + 1)
            check = DataValidation(type="whole", operator="between", formula1=str(low), formula2=str(high),
                                   allow_blank=True, showErrorMessage=True, error=f"Enter a whole number from {low} to {high}.")
            check.add(f"{letter}2:{letter}{len(rows) + 1}")
            sheet.data_validations.append(check)
        for index, header in enumerate(spec.headers, start=1):
            letter = get_column_letter(index)
            sample = [len(str(row[index - 1])) for row in rows[:300] if index - 1 < len(row)]
            width = spec.widths.get(header) or min(max([len(header) + 4, *sample]) + 2, 60)
            sheet.column_dimensions[letter].width = width
        header_cells = []
        for header in spec.headers:
            cell = WriteOnlyCell(sheet, _safe_text(header))
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        wrap_at = {i for i, header in enumerate(spec.headers) if header in spec.wrap}
        for row in rows:
            out = []
            for i, value in enumerate(row):
                if isinstance(value, str):
                    cell = WriteOnlyCell(sheet, _safe_text(value))
                    cell.data_type = "s"  # applicant text is never a live formula
                else:
                    cell = WriteOnlyCell(sheet, value)
                if i in wrap_at:
                    cell.alignment = wrap
                out.append(cell)
            sheet.append(out)
        if spec.chart_row is not None:
            _add_bar_chart(sheet, spec, rows)
        if spec.chart_columns and rows:
            _add_column_chart(sheet, spec, len(rows))
    return save_atomically(book.save, output, book)


def _add_column_chart(sheet: object, spec: Sheet, count: int) -> None:
    """A native Excel bar chart of some columns, one bar group per row, labelled by the first column."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    chart = BarChart()
    chart.title = spec.name
    chart.width, chart.height = 18, 9
    for header in spec.chart_columns:
        column = list(spec.headers).index(header) + 1
        chart.add_data(Reference(sheet, min_col=column, max_col=column, min_row=1, max_row=count + 1),
                       titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, max_col=1, min_row=2, max_row=count + 1))
    sheet.add_chart(chart, f"{get_column_letter(len(spec.headers) + 2)}2")  # type: ignore[attr-defined]


def _add_bar_chart(sheet: object, spec: Sheet, rows: list[list[Cell]]) -> None:
    """A native Excel bar chart of one labelled row, with the headers as categories."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    index = next(i for i, row in enumerate(rows) if row and row[0] == spec.chart_row)
    chart = BarChart()
    chart.title = spec.chart_row
    chart.legend = None
    last = len(spec.headers)
    chart.add_data(Reference(sheet, min_col=2, max_col=last, min_row=index + 2, max_row=index + 2),
                   from_rows=True, titles_from_data=False)
    chart.set_categories(Reference(sheet, min_col=2, max_col=last, min_row=1, max_row=1))
    sheet.add_chart(chart, f"{get_column_letter(last + 2)}2")  # type: ignore[attr-defined]


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
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{output.stem}-", suffix=".part", dir=output.parent)
        os.close(handle)
        temp = Path(temp_name)
        save(temp)
        os.replace(temp, output)
        temp = None
    except PermissionError:
        raise MentormatchError(f"Cannot write {output.name}: it is open in another program or the "
                               "folder is read-only. Close it and try again.") from None
    except OSError as exc:
        raise MentormatchError(f"Cannot write {output.name} ({exc.strerror or exc.__class__.__name__}); "
                               "nothing was changed.") from None
    finally:
        if temp is not None:
            if book is not None:
                _discard(book)
            temp.unlink(missing_ok=True)
    return output


def _discard(book: object) -> None:
    """Close the streams of a write-only workbook whose save failed, so nothing lingers."""
    for sheet in getattr(book, "worksheets", []):
        if getattr(sheet, "closed", True):
            continue
        try:
            sheet.close()
        except Exception:  # noqa: BLE001 - the save already failed; this is only clean-up
            pass
