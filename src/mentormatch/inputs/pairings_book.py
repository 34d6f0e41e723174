"""The pairings workbook's Pairings sheet as other commands read it back: one reader, wherever its columns now are.

A coordinator may sort, filter, add and delete rows, move columns and retype emails in any case or
as pasted from Outlook; the header row is found in the first rows by its "Junior email" cell, and
every email is read with the one address reader (`vocab.emails.email_address`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mentormatch.errors import MentormatchError
from mentormatch.inputs.reading import Cell, read_grid
from mentormatch.vocab.emails import email_address
from mentormatch.vocab.text import clean_text

SHEET = "Pairings"
# The cells of a Pairings row that describe its partners: rebuilt from the applications, never trusted.
DESCRIBED = (*(f"{side} {what}" for side in ("Junior", "Senior") for what in ("name", "grade", "department",
                                                                              "profession")), "Shared aims")


@dataclass(frozen=True)
class SheetRow:
    """One row of a Pairings sheet as edited: its Excel row, the two emails, and its other cells by header."""

    number: int
    junior: str
    senior: str
    cells: dict[str, Cell]

    @property
    def score(self) -> Cell:
        return self.cells.get("Score")

    @property
    def why(self) -> Cell:
        return self.cells.get("Why")



def read_edited_pairs(path: Path) -> tuple[list[str], list[SheetRow]]:
    """(headers, rows) of the Pairings sheet, wherever its columns now are; rows with neither email are skipped."""
    try:
        grid = read_grid(path, SHEET)
    except MentormatchError:
        raise MentormatchError(f"{path.name} is not a pairings workbook written by `mentormatch match` "
                               f"(it has no {SHEET} sheet).") from None
    top = next((i for i, row in enumerate(grid.rows[:10]) if "Junior email" in [clean_text(c) for c in row]), None)
    if top is None:
        raise MentormatchError(f"{path.name}: its {SHEET} sheet has no 'Junior email' column in its first rows; "
                               "put the headers back (Junior email, Senior email) and check again.")
    headers = [clean_text(h) for h in grid.rows[top]]
    if "Senior email" not in headers:
        raise MentormatchError(f"{path.name}: its {SHEET} sheet has no 'Senior email' column.")
    at = {name: headers.index(name) for name in ("Junior email", "Senior email", "Score", "Why", *DESCRIBED)
          if name in headers}

    def value(row: list[Cell], name: str) -> Cell:
        index = at.get(name)
        return row[index] if index is not None and index < len(row) else None

    rows = []
    for number, row in enumerate(grid.rows[top + 1:], start=top + 2):
        junior, senior = (email_address(clean_text(value(row, name))) for name in ("Junior email", "Senior email"))
        if junior or senior:
            rows.append(SheetRow(number, junior, senior, {name: value(row, name) for name in at}))
    return headers, rows
