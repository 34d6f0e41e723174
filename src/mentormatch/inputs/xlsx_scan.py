"""Scans of a workbook's raw sheet XML, beside the reader: its used range, uncalculated formulas and error cells."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from mentormatch.errors import MentormatchError

_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ROW_OR_CELL = re.compile(rb"<(?:\w+:)?(row|c)(?=[\s/>])([^>]*)")
# XML lets an attribute be quoted either way, with spaces around '=': the scan reads both, as the reader does.
_REFERENCE = re.compile(rb'''\br\s*=\s*["']([A-Z]{0,3})(\d+)["']''')
# A row or cell tag that does not open with its own reference (or has a namespace prefix).
_UNREFERENCED = re.compile(rb'<\w+:(?:c|row)[\s/>]|<c(?:[/>]|\s(?!r="[A-Z]{1,3}\d+"))|<row(?:[/>]|\s(?!r="\d+"))')
_CELL_LETTERS = re.compile(rb'<c r="([A-Z]{1,3})')
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}(\d+)"')
_ROW_REF = re.compile(rb'<row r="(\d+)"')
_ERROR_TYPE = re.compile(rb'''\st\s*=\s*["']e["']''')
_SHARED_ITEM = re.compile(rb"<(?:\w+:)?si[\s>/]")
_SHARED_CELL = re.compile(rb'''<(?:\w+:)?c\s[^>]*?\bt\s*=\s*["']s["'][^>]*>\s*<(?:\w+:)?v>(\d+)<''')
MAX_TEXT_BYTES = 512 * 1024**2  # the text a sheet may expand to when read: far above any real export
MAX_CELLS = 50_000_000  # 500,000 rows of 100 columns
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


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


def scan_sheet(path: Path, sheet: str, max_text: int = MAX_TEXT_BYTES
               ) -> tuple[set[tuple[int, int]], dict[tuple[int, int], str]]:
    """Check a sheet before the reader loads it; return its formula cells with no saved value, and its error cells.

    1. Refuse a sheet whose cells span an absurd range (a stray cell far from the data): the
       reader fills in every cell of the range, so one cell at XFD1048576 would need hundreds of
       GB. The <dimension> element can lie, so the XML is streamed: when every row and cell carries
       its reference (as Excel writes them) the largest references give the range; otherwise each
       row and cell is placed as the reader places it (explicit, or the next one along).
    2. Refuse a sheet whose cells would expand to more than `max_text` bytes of text: one long shared
       string referenced by thousands of cells packs gigabytes into a few kilobytes, and the reader
       would build every copy (see `_shared_text`).
    3. Note, in the same pass, whether any cell holds a formula or an error value. Only then is the
       XML parsed (with defusedxml) for formulas that were never calculated and for error values
       ('#DIV/0!'): the reader would show both as blank, and an error is not an answer.
    """
    with zipfile.ZipFile(path) as archive:
        part = _sheet_part(archive, sheet)
        if part is None or part not in archive.namelist():
            return set(), {}
        formulas = [False, False]  # any formula, any error cell
        with archive.open(part) as stream:
            found = _explicit_range(_noting_formulas(_whole_tags(stream), formulas))
        if found is None:
            with archive.open(part) as stream:
                found = _place_each_cell(_noting_formulas(_whole_tags(stream), formulas))
        rows, columns = found
        if rows * columns > MAX_CELLS:
            raise MentormatchError(
                f"{path.name} sheet {sheet!r} has cells spread over {rows:,} rows by {columns:,} columns, far "
                "more than an application export: a stray cell is probably far from the data. "
                "Delete the empty rows and columns after your data, save, and try again.")
        expanded = _shared_text(archive, part, rows * columns, max_text)
        if expanded > max_text:
            raise MentormatchError(
                f"{path.name} sheet {sheet!r} would expand to {expanded / 1024**2:,.0f} MB of text when its cells "
                f"are read (long texts repeated in many cells), over the {max_text / 1024**2:,.0f} MB safety limit: "
                "no form export does that, so it was not read. Check where the file came from.")
        if not any(formulas):
            return set(), {}
        with archive.open(part) as stream:
            return _uncalculated(stream)


def _shared_text(archive: zipfile.ZipFile, part: str, cells: int, limit: int) -> int:
    """An upper bound on the bytes of text the sheet's shared-string cells expand to (0 when it is surely small).

    1. Each shared string's size is read off the table's XML (its markup included, so never less).
    2. When the longest of them times the sheet's cells cannot pass `limit`, nothing more is done.
    3. Otherwise the sheet's XML is streamed and the size of the string each cell names is added up,
       stopping as soon as the sum passes `limit`.
    """
    table = next((name for name in ("xl/sharedStrings.xml", "xl/sharedstrings.xml") if name in archive.namelist()),
                 None)
    if table is None:
        return 0
    data = archive.read(table)
    starts = [match.start() for match in _SHARED_ITEM.finditer(data)]
    if not starts:
        return 0
    sizes = [end - start for start, end in zip(starts, [*starts[1:], len(data)], strict=True)]
    if max(sizes) * cells <= limit:
        return 0
    total = 0
    with archive.open(part) as stream:
        for window in _whole_tags(stream):
            for index in _SHARED_CELL.findall(window):
                at = int(index)
                total += sizes[at] if at < len(sizes) else 0
            if total > limit:
                break
    return total


def _noting_formulas(chunks: Iterable[bytes], seen: list[bool]) -> Iterator[bytes]:
    """Pass chunks through, setting seen[0] once a formula element goes by and seen[1] once an error cell does."""
    for window in chunks:
        if not seen[0] and (b"<f" in window or b":f" in window) and _FORMULA_TAG.search(window):
            seen[0] = True
        if not seen[1] and _ERROR_TYPE.search(window):
            seen[1] = True
        yield window


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
        if _UNREFERENCED.search(window):
            return None
        # Distinct spellings first: a sheet has few column letters and each row number recurs per cell.
        letters.update(_CELL_LETTERS.findall(window))
        numbers = {*_CELL_ROW.findall(window), *_ROW_REF.findall(window)}
        rows = max(rows, max(map(int, numbers), default=0))
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


def _uncalculated(stream: IO[bytes]) -> tuple[set[tuple[int, int]], dict[tuple[int, int], str]]:
    """(Excel row, 0-based column) of formula cells that have no saved value, and of cells holding an error value."""
    from defusedxml.ElementTree import iterparse

    gaps: set[tuple[int, int]] = set()
    errors: dict[tuple[int, int], str] = {}
    for _event, node in iterparse(stream, events=("end",)):
        if node.tag != f"{_MAIN}c":
            continue
        value = node.find(f"{_MAIN}v")
        if node.get("r"):
            if node.get("t") == "e" and value is not None and value.text:
                errors[_coordinate(node.get("r", ""))] = value.text[:20]
            elif node.find(f"{_MAIN}f") is not None and (value is None or not value.text):
                gaps.add(_coordinate(node.get("r", "")))
        node.clear()
    return gaps, errors


def _coordinate(reference: str) -> tuple[int, int]:
    """'B12' -> (12, 1)."""
    letters = reference.rstrip("0123456789")
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return int(reference[len(letters):]), column - 1
