"""The pairings workbook's Pairings and Unmatched sheets as other commands read them back: one reader each.

A coordinator may sort, filter, add and delete rows, move columns and retype emails in any case or
as pasted from Outlook; the header row is found in the first rows by its "Junior email" (or "Email")
cell, and every email is read with the one address reader (`vocab.emails.email_address`). `check`,
`introduce`, `checkin`, `report`, `history` and `--history` read the sheets through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mentormatch.errors import MentormatchError
from mentormatch.inputs.reading import Cell, read_grid
from mentormatch.vocab.emails import email_address
from mentormatch.vocab.text import clean_text

SHEET = "Pairings"
UNMATCHED = "Unmatched"
# The headers `match` writes; the readers below find them wherever a coordinator moved them.
PAIRING_HEADERS = ("Junior email", "Junior name", "Junior grade", "Junior department", "Junior profession",
                   "Senior email", "Senior name", "Senior grade", "Senior department", "Senior profession",
                   "Score", "Why", "Shared aims", "Locked", "Junior row", "Senior row")
UNMATCHED_HEADERS = ("Row", "Email", "Name", "Role", "Code", "Reason")
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
    at = {name: index for index, name in reversed(list(enumerate(headers))) if name}  # the first of a repeated header

    def value(row: list[Cell], name: str) -> Cell:
        index = at.get(name)
        return row[index] if index is not None and index < len(row) else None

    rows = []
    for number, row in enumerate(grid.rows[top + 1:], start=top + 2):
        junior, senior = (email_address(clean_text(value(row, name))) for name in ("Junior email", "Senior email"))
        if junior or senior:
            rows.append(SheetRow(number, junior, senior, {name: value(row, name) for name in at}))
    return headers, rows


@dataclass(frozen=True)
class UnmatchedRow:
    """One person of the Unmatched sheet: their row in the applications, email, name, role and reason code."""

    row: Cell
    email: str
    name: str
    role: str
    code: str


def read_unmatched(path: Path) -> list[UnmatchedRow]:
    """Everyone the Unmatched sheet lists (nobody when the workbook has no such sheet)."""
    try:
        grid = read_grid(path, UNMATCHED)
    except MentormatchError:
        return []
    top = next((i for i, row in enumerate(grid.rows[:10]) if "Email" in [clean_text(c) for c in row]), None)
    if top is None:
        return []
    headers = [clean_text(h) for h in grid.rows[top]]
    at: dict[str, int] = {name: headers.index(name) for name in ("Row", "Email", "Name", "Role", "Code")
                          if name in headers}

    def value(row: list[Cell], name: str) -> Cell:
        index = at.get(name)
        return row[index] if index is not None and index < len(row) else None

    found = []
    for row in grid.rows[top + 1:]:
        email = email_address(clean_text(value(row, "Email")))
        if email:
            found.append(UnmatchedRow(value(row, "Row"), email, clean_text(value(row, "Name")),
                                      clean_text(value(row, "Role")), clean_text(value(row, "Code"))))
    return found
