"""How cells were stored, before their answers are read: uncalculated formulas, control characters, Excel errors."""

from __future__ import annotations

from typing import Any

from mentormatch.inputs.headers import ColumnMap
from mentormatch.inputs.reading import Cell
from mentormatch.outcomes import Problem, error, warning
from mentormatch.vocab.text import CONTROL, clean_text, is_excel_error


def short(value: Cell) -> str:
    """A cell's text for a problem record, cut to 200 characters."""
    text = clean_text(value)
    return text if len(text) <= 200 else text[:199] + "…"


def cell_warnings(number: int, cells: dict[str, Cell], columns: ColumnMap, gaps: set[tuple[int, int]],
                   where: dict[str, Any]) -> list[Problem]:
    """Warnings about how cells were stored: formulas without values, control characters."""
    found = []
    for name, value in cells.items():
        if gaps and (number, columns.index[name]) in gaps:
            found.append(warning("formula-without-value", column=columns.header(name), **where))
        # isprintable() is a cheap first test: control characters are never printable.
        if isinstance(value, str) and not value.isprintable() and CONTROL.search(value):
            found.append(warning("control-characters", column=columns.header(name), value=short(value), **where))
    return found


def excel_errors(cells: dict[str, Cell], columns: ColumnMap, required: frozenset[str], default_capacity: int,
                 where: dict[str, Any]) -> dict[str, Problem]:
    """Cells holding an Excel error value: each a problem at its cell, and read as blank from then on.

    An error where the round needs the answer (the row is left out), a warning where it does not.
    """
    found: dict[str, Problem] = {}
    for name, value in cells.items():
        if not is_excel_error(value):
            continue
        cells[name] = None
        column, shown = columns.header(name), clean_text(value)
        if name in required or name == "do_not_match":  # unread do-not-match answers could make a pair legal
            found[name] = error("excel-error", column=column, value=shown, error=shown, **where)
        else:
            default = (f", so the round's default capacity ({default_capacity}) applies"
                       if name == "capacity" else "")
            found[name] = warning("excel-error", "optional", column=column, value=shown, error=shown, default=default,
                                  **where)
    return found
