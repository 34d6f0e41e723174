"""The pairings workbook's sheets that other commands read back (Pairings, Unmatched, Round): their
headers, how each is read, and the Round sheet's records, written and read here only.

A coordinator may sort, filter, add and delete rows, move columns and retype emails in any case or
as pasted from Outlook; the header row is found in the first rows by its "Junior email" (or "Email")
cell, and every email is read with the one address reader (`vocab.emails.email_address`). `check`,
`introduce`, `checkin`, `report`, `history` and `--history` read the sheets through here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mentormatch.errors import MentormatchError
from mentormatch.inputs.reading import Cell, read_grid
from mentormatch.models import RoundInputs
from mentormatch.vocab.emails import email_address
from mentormatch.vocab.text import clean_text

SHEET = "Pairings"
UNMATCHED = "Unmatched"
# The headers `match` writes; the readers below find them wherever a coordinator moved them.
PAIRING_HEADERS = ("Junior email", "Junior name", "Junior grade", "Junior department", "Junior profession",
                   "Senior email", "Senior name", "Senior grade", "Senior department", "Senior profession",
                   "Score", "Why", "Shared aims", "Locked", "Junior row", "Senior row")
UNMATCHED_HEADERS = ("Row", "Email", "Name", "Role", "Code", "Reason")
# Records and codes as workbooks from earlier versions wrote them.
FORMER_RECORDS = {"forbidden": "do-not-match"}
FORMER_CODES = {"excluded": "left-out"}
# The cells of a Pairings row that describe its partners: rebuilt from the applications, never trusted.
DESCRIBED = (*(f"{side} {what}" for side in ("Junior", "Senior") for what in ("name", "grade", "department",
                                                                              "profession")), "Shared aims")


@dataclass(frozen=True)
class SheetRow:
    """One row of a Pairings sheet as edited: its Excel row, the two emails, its cells by header, and the
    whole row as read (`values`, in the sheet's column order, so `rematch` can copy it verbatim)."""

    number: int
    junior: str
    senior: str
    cells: dict[str, Cell]
    values: tuple[Cell, ...] = ()

    @property
    def score(self) -> Cell:
        return self.cells.get("Score")

    @property
    def why(self) -> Cell:
        return self.cells.get("Why")



@dataclass(frozen=True)
class EditedSheet:
    """A Pairings sheet as read back: its headers, its rows with an email, and the Excel row of its headers
    (1 unless a coordinator put rows above them)."""

    headers: list[str]
    rows: list[SheetRow]
    header_row: int = 1


def read_edited_pairs(path: Path) -> EditedSheet:
    """The Pairings sheet, wherever its columns now are; rows with neither email are skipped."""
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
        return _cell(row, at.get(name))

    rows = []
    for number, row in enumerate(grid.rows[top + 1:], start=top + 2):
        junior, senior = (email_address(clean_text(value(row, name))) for name in ("Junior email", "Senior email"))
        if junior or senior:
            rows.append(SheetRow(number, junior, senior, {name: value(row, name) for name in at}, tuple(row)))
    return EditedSheet(headers, rows, top + 1)


def _cell(row: Sequence[Cell], index: int | None) -> Cell:
    """A row's cell in a column, or None when the sheet has no such column (deleted by hand)."""
    return None if index is None or index >= len(row) else row[index]


def _code(text: str) -> str:
    return FORMER_CODES.get(text, text)


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
        return _cell(row, at.get(name))

    found = []
    for row in grid.rows[top + 1:]:
        email = email_address(clean_text(value(row, "Email")))
        if email:
            found.append(UnmatchedRow(value(row, "Row"), email, clean_text(value(row, "Name")),
                                      clean_text(value(row, "Role")), _code(clean_text(value(row, "Code")))))
    return found


# The Round sheet of a pairings workbook: everything needed to continue the round, one record a row.
ROUND_SHEET = "Round"
ROUND_HEADERS = ("Record", "First", "Second", "Source")


@dataclass(frozen=True)
class NumberedPair:
    """A pair and its introduction number, fixed for the whole round (`pair-054.eml` is pair 54)."""

    junior: str
    senior: str
    number: int
    kept: bool = False  # kept by `rematch` from an earlier pairings workbook, so introduced already


@dataclass(frozen=True)
class PairNumbering:
    """The introduction number of every pair in a pairings workbook, in its row order."""

    pairs: tuple[NumberedPair, ...] = ()
    last: int = 0  # the highest number given so far in the round, ended pairs' included


def number_pairs(pairs: Sequence[tuple[str, str]], recorded: PairNumbering | None = None) -> PairNumbering:
    """Number the (junior, senior) pairs of a Pairings sheet, in row order, as the round recorded them.

    1. A pair the round recorded keeps its number, and whether it was kept from an earlier workbook.
    2. A row edited by hand keeps the number of the recorded pair it was: the one of its junior, else of
       its senior, when that pair is no longer in the sheet and was not introduced before (a kept pair's
       number names a draft already sent, so it is never given to another pair).
    3. Any other pair (no record: a workbook from an earlier version, or a row added by hand) is new,
       numbered after the highest number given so far, in row order: 1, 2, 3… when nothing is recorded.
    """
    records = recorded.pairs if recorded else ()
    known = {(p.junior, p.senior): p for p in records}
    last = max([recorded.last if recorded else 0, *(p.number for p in records)])
    numbered: list[NumberedPair | None] = [known.get(pair) for pair in pairs]
    used: set[int] = set()
    for at, pair in enumerate(numbered):  # a row copied by hand is a pair of its own
        if pair is not None and pair.number in used:
            numbered[at] = None
        elif pair is not None:
            used.add(pair.number)
    for side in (0, 1):  # an edited row: the number of its junior's pair, else of its senior's
        free = {(p.junior, p.senior)[side]: p for p in records if not p.kept and p.number not in used}
        for at, pair in enumerate(numbered):
            if pair is None and (earlier := free.pop(pairs[at][side], None)) is not None:
                numbered[at] = NumberedPair(*pairs[at], earlier.number)
                used.add(earlier.number)
    for at, pair in enumerate(numbered):
        if pair is None:
            last += 1
            numbered[at] = NumberedPair(*pairs[at], last)
    return PairNumbering(tuple(p for p in numbered if p is not None), last)


def numbering_records(numbering: PairNumbering) -> list[tuple[object, ...]]:
    """The Round sheet's records of each pair's introduction number, and of the last number given."""
    return [*(("kept pair" if p.kept else "pair", p.junior, p.senior, p.number) for p in numbering.pairs),
            ("last pair number", numbering.last, "", "")]


CELL_PIECE = 30_000  # characters of the recorded settings per cell: a cell holds at most 32,767


def round_records(*, applications: tuple[str, str, str], settings: dict[str, Any], inputs: RoundInputs,
                  numbering: PairNumbering, overrides: Sequence[str] = ()) -> list[tuple[object, ...]]:
    """The Round sheet's rows: everything needed to continue the round, one record a row.

    `applications` is (path from the workbook's folder, SHA-256, sheet); `settings` the config as data,
    kept in pieces because long alias lists pass a cell's limit; `overrides` what a rematch changed.
    """
    text = json.dumps(settings, sort_keys=True)
    return [
        ("applications", *applications),
        *(("config", text[start:start + CELL_PIECE], "", "") for start in range(0, max(1, len(text)), CELL_PIECE)),
        ("shortlist", "yes" if inputs.shortlisted is not None else "no", "", ""),
        *(("shortlisted", email, "", "") for email in sorted(inputs.shortlisted or ())),
        *(("reserve", email, rank, "") for rank, email in enumerate(inputs.reserves, start=1)),
        *(("withdrawn", email, "", "") for email in inputs.withdrawn),
        *(("do-not-match", a, b, "") for a, b in inputs.do_not_match),
        *(("history", a, b, "") for a, b in inputs.history),
        *(("priority", email, label, "") for email, label in inputs.priority),
        *(("lock", a, b, inputs.lock_source) for _row, a, b in inputs.locks),
        *(("file", what, name, digest) for what, name, digest in inputs.sources),
        *numbering_records(numbering),
        *(("override", text, "", "") for text in overrides),
    ]


@dataclass(frozen=True)
class RoundRecord:
    """What a pairings workbook's Round sheet recorded (all empty for a workbook from before it)."""

    settings: dict[str, Any] | None = None  # the config as data, or None when not recorded
    inputs: RoundInputs = RoundInputs()
    applications: str | None = None  # the applications' path from the workbook's folder
    applications_sha256: str | None = None  # their SHA-256 when the round was matched
    numbering: PairNumbering | None = None  # each pair's introduction number, when recorded
    overrides: tuple[str, ...] = ()  # what a rematch changed from the round it continued


def read_round_record(path: Path) -> RoundRecord:
    """The settings, round inputs and applications a pairings workbook recorded in its Round sheet."""
    try:
        grid = read_grid(path, ROUND_SHEET)
    except MentormatchError:
        return RoundRecord()
    settings: list[str] = []
    found: dict[str, list[tuple[str, str]]] = {"do-not-match": [], "history": [], "shortlisted": [], "reserve": [],
                                               "withdrawn": [], "priority": []}
    shortlisted, applications, digest, sources = False, None, None, []
    locks: list[tuple[int, str, str]] = []
    lock_source = "locked pairs"
    numbered: list[NumberedPair] = []
    last: int | None = None
    overrides: list[str] = []
    for row in grid.rows[1:]:
        record, first, second, source = (clean_text(row[i]) if i < len(row) else "" for i in range(4))
        record = FORMER_RECORDS.get(record, record)
        if record in ("pair", "kept pair"):
            numbered.append(NumberedPair(email_address(first), email_address(second), _number(path, source),
                                         kept=record == "kept pair"))
        elif record == "last pair number":
            last = _number(path, first)
        elif record == "config":
            settings.append(str(row[1]))  # as stored: the settings' own spacing must survive
        elif record == "applications":
            applications, digest = first, second or None
        elif record == "shortlist":
            shortlisted = first == "yes"
        elif record == "file":
            sources.append((first, second, source))
        elif record == "lock":  # a pair agreed in advance, as the match was given it (row unknown here)
            locks.append((0, first, second))
            lock_source = source or lock_source
        elif record == "override":
            overrides.append(first)
        elif record in found:
            found[record].append((first, second))
    try:
        data = json.loads("".join(settings)) if settings else None
    except ValueError:
        raise MentormatchError(f"{path.name}: the settings in its Round sheet are damaged (was the sheet edited?): "
                               "give the round's settings with --config or --preset.") from None
    inputs = RoundInputs(do_not_match=tuple(found["do-not-match"]), history=tuple(found["history"]),
                         shortlisted=frozenset(a for a, _ in found["shortlisted"]) if shortlisted else None,
                         reserves=tuple(a for a, _ in found["reserve"]), sources=tuple(sources),
                         withdrawn=tuple(a for a, _ in found["withdrawn"]), priority=tuple(found["priority"]),
                         locks=tuple(locks), lock_source=lock_source)
    numbering = PairNumbering(tuple(numbered), last or 0) if numbered or last is not None else None
    return RoundRecord(data, inputs, applications, digest, numbering, tuple(overrides))


def _number(path: Path, text: str) -> int:
    if not text.isdigit():
        raise MentormatchError(f"{path.name}: its Round sheet has {text!r} where a pair's number belongs (was the "
                               "sheet edited?): put back the number it had.")
    return int(text)
