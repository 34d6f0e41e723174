"""Reading application exports (.xlsx, .csv) into a grid of cells, refusing what is unsafe."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mentormatch.errors import MentormatchError
from mentormatch.files import note_read
from mentormatch.inputs.xlsx_scan import scan_sheet
from mentormatch.vocab.text import clean_text

Cell = object
MAX_UNZIPPED_BYTES = 2 * 1024**3  # a workbook that inflates past this is refused as a zip bomb
# Sheet XML from Excel, Forms or LibreOffice compresses about 5 to 30 times (a little more for very
# repetitive sheets); a large part packed hundreds of times tighter is a zip bomb, not an export.
SUSPECT_PART_BYTES = 64 * 1024**2
MAX_RATIO = 200
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


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
            for info in archive.infolist():
                ratio = info.file_size / max(1, info.compress_size)
                if info.file_size > SUSPECT_PART_BYTES and ratio > MAX_RATIO:
                    raise _refuse(path, f"has a part ({info.filename}) that would inflate {ratio:,.0f} times, to "
                                        f"{info.file_size / 1024**2:,.0f} MB: no spreadsheet program writes that, "
                                        "so it was not read (it may be a zip bomb); check where it came from.")
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
    note_read(path)
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
        return _read_xlsx(path, sheet, max_bytes // 4)
    if path.suffix.lower() in {".csv", ".txt"}:
        return _read_csv(path)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        raise _refuse(path, "is damaged or not really an Excel workbook: export it again or "
                            "open and re-save it in Excel.")
    raise _refuse(path, "is not a spreadsheet mentormatch can read: save it as .xlsx or .csv.")


def _read_xlsx(path: Path, sheet: str | None, max_text: int) -> Grid:
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
            gaps, errors = scan_sheet(path, name, max_text)
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for (row, column), text in errors.items():  # the reader shows an error value as blank: put it back
                if row <= len(rows):
                    cells = rows[row - 1]
                    cells.extend([""] * (column + 1 - len(cells)))
                    cells[column] = text
            if sheet is not None or any(_filled(row) for row in rows):
                return Grid(path, name, rows, formula_gaps=gaps)
    except MentormatchError:
        raise
    except Exception as exc:  # the reader's own errors carry no applicant data, only their type
        raise _refuse(path, f"cannot be read as an Excel workbook ({exc.__class__.__name__}): "
                            "open and re-save it in Excel, or export it as .csv.") from None
    raise _refuse(path, "has no sheet with any data in it: check it is the right file, or export the "
                        "applications again.")


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


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    note_read(path)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_records(path: Path, sheet: str, kind: str = "a pairings workbook written by `mentormatch match`"
                 ) -> list[dict[str, Cell]]:
    """A sheet of a workbook mentormatch wrote, as {header: cell} per non-blank row (headers in row 1).

    Refused, saying it is not `kind` and which sheet is missing, when the workbook has no such sheet.
    """
    try:
        grid = read_grid(path, sheet)
    except MentormatchError:
        raise MentormatchError(f"{path.name} is not {kind} (it has no {sheet} sheet).") from None
    headers = [clean_text(h) for h in grid.rows[0]] if grid.rows else []
    return [dict(zip(headers, row, strict=False)) for row in grid.rows[1:] if any(clean_text(c) for c in row)]
