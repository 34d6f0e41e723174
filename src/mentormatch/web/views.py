"""What each page shows, taken from the library's results as they are: no figure is worked out here."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from mentormatch.errors import MentormatchError
from mentormatch.matching.figures import round_figures
from mentormatch.outputs.summary import summary_rows
from mentormatch.validation.checks import ValidationResult
from mentormatch.validation.unrecognised import UnrecognisedAnswer
from mentormatch.web.session import ALIAS_SECTIONS, Session


@dataclass(frozen=True)
class Answer:
    """One row of the answers table, with the field an alias for it would go under (None: no alias possible)."""

    answer: UnrecognisedAnswer
    field: str | None
    suggestion: str  # the closest known name, or for an answer read with a doubt, how it was read
    reading: bool = False  # `suggestion` is how the answer was read: setting it accepts the reading


def shown_folder(folder: Path) -> str:
    """A folder as people write it: "~/mentoring" under the home folder, else in full."""
    try:
        return "~/" + folder.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(folder)


def columns(validation: ValidationResult) -> dict[str, Any]:
    mapped = validation.columns
    return {"headers": mapped.headers, "chosen": {name: mapped.header(name) for name in mapped.index},
            "ignored": mapped.ignored, "header_row": mapped.header_row, "source": validation.source.name}


def _figures(validation: ValidationResult) -> list[tuple[str, int]]:
    return [("Rows read", validation.rows_read), ("Valid juniors", len(validation.juniors)),
            ("Valid seniors", len(validation.seniors)), ("Errors", len(validation.errors)),
            ("Warnings", len(validation.warnings))]


def problems(validation: ValidationResult) -> dict[str, Any]:
    """The validate table grouped by code, and every answer not recognised or read with a doubt."""
    ordered = sorted(validation.problems, key=lambda p: (p.severity != "error", p.code, p.row or 0))
    groups = [(code, list(items)) for code, items in groupby(ordered, key=lambda p: p.code)]
    by_header = {validation.columns.header(name): name for name in validation.columns.index}
    answers = []
    for entry in validation.unrecognised:
        if not entry.recognised:
            # Only a small edit of a known name is filled in, as `validate --aliases-out` writes it live.
            answers.append(Answer(entry, entry.field if entry.field in ALIAS_SECTIONS else None, entry.near_miss))
            continue
        name = by_header.get(entry.field)
        reading = _read_as(validation, name, entry) if name in ALIAS_SECTIONS else ""
        answers.append(Answer(entry, name if name in ALIAS_SECTIONS else None, reading, bool(reading)))
    return {"figures": _figures(validation), "groups": groups, "answers": answers}


def _read_as(validation: ValidationResult, name: str | None, entry: UnrecognisedAnswer) -> str:
    """How the rows that gave this answer were read: the value validation kept for the first of them."""
    rows = {p.row for p in validation.warnings if p.column == entry.field and p.value == entry.answers[0]}
    person = next((a for a in validation.applicants if a.row in rows), None)
    if person is None:
        return ""
    return {"grade": person.grade, "department": person.department, "role": person.role.value,
            "profession": person.professions[0] if person.professions else ""}.get(name or "", "")


def matched(session: Session) -> dict[str, Any]:
    """The round's figures (as the Summary sheet), its pairs and everyone unpaired, and a rematch's changes."""
    result = session.result
    assert result is not None
    return {"figures": summary_rows(round_figures(result)), "pairings": result.pairings,
            "unmatched": result.unmatched, "changes": session.rematched.changes if session.rematched else [],
            "rematch_notes": session.rematched.notes if session.rematched else []}


def email_at(session: Session, row: int) -> str:
    """The email of the applicant on this row of the export (the pages name people by row, never by email)."""
    result = session.result
    if result is None:
        raise MentormatchError("Match the round first.")
    for person in result.validation.applicants:
        if person.row == row:
            return person.email
    for unmatched in result.unmatched:
        if unmatched.row == row and unmatched.email:
            return unmatched.email
    raise MentormatchError(f"No applicant on row {row} is in this round.")
