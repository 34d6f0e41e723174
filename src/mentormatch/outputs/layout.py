"""How a written sheet looks on screen and on paper: row heights for wrapped text and the print setup.

Both workbook writers (the streaming one and openpyxl, for sheets with charts) use these, so every
sheet prints the same way: A4 landscape, one page wide, the header row on every page, and a footer
with the sheet's name and the page number.
"""

from __future__ import annotations

from collections.abc import Sequence

from mentormatch.matching.disclosure import SUPPRESSED

LINE_HEIGHT = 15.0  # points per line of 11-point Calibri, Excel's default row height
MAX_ROW_HEIGHT = 409.0  # the tallest row Excel allows, in points
FOOTER = "&L&A&RPage &P of &N"  # left: the sheet's name; right: page N of M
MARGINS = {"left": 0.3, "right": 0.3, "top": 0.5, "bottom": 0.6, "header": 0.3, "footer": 0.3}  # inches
PAPER_A4 = 9


def wrapped_lines(text: str, width: float) -> int:
    """How many lines `text` takes in a wrapped column `width` characters wide.

    Words are not split, so a line breaks before a word that would not fit, as a spreadsheet does;
    a column's width counts digit widths and most letters are narrower, so one character of
    width is kept in hand and the count errs towards a line too many, never one too few.
    """
    room = max(1, int(width) - 1)
    if len(text) <= room and "\n" not in text:
        return 1
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split(" "):
            size = len(word)
            if used and used + 1 + size > room:
                lines += 1
                used = 0
            if size > room:  # a word longer than the column is broken across lines
                lines += (size - 1) // room
                size = size % room or room
            used += size + (1 if used else 0)
    return lines


def row_height(row: Sequence[object], widths: Sequence[float], wrap: set[int]) -> float | None:
    """The height in points that shows every line of a row's wrapped cells, or None for the default."""
    lines = 1
    for index in wrap:
        if index < len(row) and isinstance(value := row[index], str) and value:
            lines = max(lines, wrapped_lines(value, widths[index]))
    return None if lines == 1 else min(lines * LINE_HEIGHT, MAX_ROW_HEIGHT)


def numeric_columns(rows: Sequence[Sequence[object]], count: int) -> frozenset[int]:
    """The columns (after the first) that hold numbers only — counts, shares, scores, or [c] — so their
    headers sit right-aligned over them as the numbers do."""
    found = set()
    for index in range(1, count):
        values = [row[index] for row in rows if index < len(row) and row[index] not in (None, "")]
        if values and all((isinstance(v, int | float) and not isinstance(v, bool)) or v == SUPPRESSED for v in values):
            found.add(index)
    return frozenset(found)
