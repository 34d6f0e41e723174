"""A small, fast streaming .xlsx writer for plain tables (no charts).

openpyxl builds a Python object per cell (about 25 microseconds each); a 100,000-applicant round
writes over a million cells. This writer streams each sheet's XML straight into the zip archive:
inline strings (text is never a formula), a bold header row frozen under a filter, column widths,
wrapped columns with rows tall enough for their text, whole-number checks and the print setup of
`mentormatch.outputs.layout`. Workbooks with charts still go through openpyxl.
"""

from __future__ import annotations

import math
import numbers
import os
import re
import zipfile
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

from mentormatch.outputs.layout import FOOTER, MARGINS, PAPER_A4, row_height

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_EPOCH = datetime(1899, 12, 30)
BOLD, WRAP, DATE, BOLD_RIGHT, RIGHT = 1, 2, 3, 4, 5  # cell style indexes in styles.xml below
_HIDDEN = ' state="hidden"'

_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" applyAlignment="1"><alignment vertical="top"/></xf></cellStyleXfs>
<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top"/></xf>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="right" vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment horizontal="right" vertical="top"/></xf></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""


class Table(NamedTuple):
    """One sheet for the streaming writer."""

    name: str
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]
    widths: Sequence[float]
    wrap: set[int]
    checks: Sequence[tuple[int, int, int, str]]  # (column index, lowest, highest, error message)
    hidden: bool = False
    print_columns: int | None = None  # print only the first N columns
    title: str = ""  # printed at the top of every page
    numeric: frozenset[int] = frozenset()  # columns of numbers: their header right-aligned over them


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: str, value: object, style: int) -> str:
    """One <c> element; text is written as an inline string, so it can never be a live formula."""
    s = f' s="{style}"' if style else ""
    if type(value) is str and value:  # most cells: tested first
        return _text_cell(ref, s, value)
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, numbers.Integral):
        return f'<c r="{ref}"{s}><v>{int(value)}</v></c>'
    if isinstance(value, numbers.Real) and math.isfinite(value):
        return f'<c r="{ref}"{s}><v>{float(value)!r}</v></c>'
    if isinstance(value, datetime | date) and not isinstance(value, time):
        moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        serial = (moment.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="{DATE}"><v>{serial!r}</v></c>'
    return _text_cell(ref, s, str(value))


def _text_cell(ref: str, s: str, text: str) -> str:
    """Text as an inline string, its spaces at either end kept."""
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def _sheet_xml(table: Table) -> Iterator[str]:
    """One worksheet's XML, in schema order, a few thousand rows at a time."""
    headers, rows, widths, wrap = table.headers, table.rows, table.widths, table.wrap
    letters = [column_letter(i + 1) for i in range(max(1, len(headers), *(len(r) for r in rows[:1])))]
    last = letters[max(0, len(headers) - 1)]
    yield (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
           '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
           '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
           'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
           '<sheetFormatPr defaultRowHeight="15"/>')
    if widths:
        yield "<cols>" + "".join(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
                                 for i, w in enumerate(widths, start=1)) + "</cols>"
    yield "<sheetData>"
    height = row_height(headers, widths, set(range(len(headers)))) if widths else None
    tall = f' ht="{height:g}" customHeight="1"' if height else ""
    yield (f'<row r="1"{tall}>' + "".join(_cell(f"{letters[i]}1", h, BOLD_RIGHT if i in table.numeric else BOLD)
                                       for i, h in enumerate(headers)) + "</row>")
    chunk: list[str] = []
    for number, row in enumerate(rows, start=2):
        if len(row) > len(letters):
            letters += [column_letter(i + 1) for i in range(len(letters), len(row))]
        cells = "".join(_cell(f"{letters[i]}{number}", v, WRAP if i in wrap else RIGHT if i in table.numeric and
                              isinstance(v, str) else 0) for i, v in enumerate(row))  # [c] sits like a number
        height = row_height(row, widths, wrap) if wrap else None
        tall = f' ht="{height:g}" customHeight="1"' if height else ""
        chunk.append(f'<row r="{number}"{tall}>{cells}</row>')
        if len(chunk) >= 2000:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk) + "</sheetData>"
    yield f'<autoFilter ref="A1:{last}{len(rows) + 1}"/>'
    if table.checks:
        yield f'<dataValidations count="{len(table.checks)}">'
        for column, low, high, message in table.checks:
            letter = letters[column]
            yield (f'<dataValidation type="whole" operator="between" allowBlank="1" showErrorMessage="1" '
                   f'error={quoteattr(message)} sqref="{letter}2:{letter}{max(len(rows), 1) + 1}">'
                   f"<formula1>{low}</formula1><formula2>{high}</formula2></dataValidation>")
        yield "</dataValidations>"
    yield ("<pageMargins " + " ".join(f'{side}="{inches:g}"' for side, inches in MARGINS.items()) + "/>"
           f'<pageSetup paperSize="{PAPER_A4}" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
           "<headerFooter>" + (f"<oddHeader>{escape('&C' + table.title.replace('&', '&&'))}</oddHeader>"
                               if table.title else "") + f"<oddFooter>{escape(FOOTER)}</oddFooter></headerFooter>")
    yield "</worksheet>"


def source_date() -> datetime | None:
    """The time SOURCE_DATE_EPOCH gives (seconds since 1970, the reproducible-builds convention), or None."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return datetime.fromtimestamp(int(fixed), UTC) if fixed.isdigit() else None


def run_at() -> datetime:
    """Now, or SOURCE_DATE_EPOCH's time, so that two runs on the same inputs write identical workbooks."""
    return source_date() or datetime.now(UTC)


_STAMPS = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*")  # the package's own dates, in docProps/core.xml


def restamp(path: Path) -> None:
    """With SOURCE_DATE_EPOCH set, give a saved workbook's parts and its created and modified dates that time,
    whichever library wrote it (openpyxl and XlsxWriter stamp the time of saving); otherwise leave it alone."""
    fixed = source_date()
    if fixed is None or not zipfile.is_zipfile(path):
        return
    when = max(fixed.timetuple()[:6], (1980, 1, 1, 0, 0, 0))  # a zip cannot hold an earlier time
    iso = fixed.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for info, data in parts:
            if info.filename == "docProps/core.xml":
                data = _STAMPS.sub(lambda m: m.group(1) + iso, data)
            stamped = zipfile.ZipInfo(info.filename, date_time=when)
            stamped.compress_type, stamped.external_attr = info.compress_type, info.external_attr
            target.writestr(stamped, data)


def write_xlsx(path: Path, sheets: Sequence[Table]) -> None:
    """Write the tables to `path`, one sheet each."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=3) as archive:
        overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_TYPE}"/>'
                            for i in range(1, len(sheets) + 1))
        archive.writestr("[Content_Types].xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                         f'<Types xmlns="{_TYPES}"><Default Extension="rels" '
                         'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                         '<Default Extension="xml" ContentType="application/xml"/>'
                         '<Override PartName="/xl/workbook.xml" '
                         'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                         '<Override PartName="/xl/styles.xml" '
                         'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                         f"{overrides}</Types>")
        archive.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                         f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
                         f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        filters = "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                          f"{escape(_quoted(t.name))}!$A$1:${column_letter(max(1, len(t.headers)))}${len(t.rows) + 1}"
                          "</definedName>" for i, t in enumerate(sheets))
        filters += "".join(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">{escape(_quoted(t.name))}!$1:$1'
                           "</definedName>" for i, t in enumerate(sheets))
        filters += "".join(f'<definedName name="_xlnm.Print_Area" localSheetId="{i}">{escape(_quoted(t.name))}!'
                           f"$A$1:${column_letter(t.print_columns)}${len(t.rows) + 1}</definedName>"
                           for i, t in enumerate(sheets) if t.print_columns)
        archive.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                         f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
                         + "".join(f'<sheet name={quoteattr(t.name)} sheetId="{i}"{_HIDDEN if t.hidden else ""} '
                                   f'r:id="rId{i}"/>' for i, t in enumerate(sheets, start=1))
                         + f"</sheets>{'<definedNames>' + filters + '</definedNames>' if filters else ''}</workbook>")
        archive.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                         f'<Relationships xmlns="{_PKG}">'
                         + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                                   for i in range(1, len(sheets) + 1))
                         + f'<Relationship Id="rId{len(sheets) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
                         "</Relationships>")
        archive.writestr("xl/styles.xml", _STYLES)
        for i, table in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{i}.xml", "w") as stream:
                for part in _sheet_xml(table):
                    stream.write(part.encode("utf-8"))


def _quoted(name: str) -> str:
    """A sheet name as a formula reference: 'My sheet'."""
    return "'" + name.replace("'", "''") + "'"
