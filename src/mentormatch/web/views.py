"""What each page shows, taken from the library's results as they are: no figure is worked out here."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
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
    suggestion: str


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
        name = by_header.get(entry.field) if entry.recognised else entry.field
        answers.append(Answer(entry, name if name in ALIAS_SECTIONS else None,
                              "" if entry.recognised or not entry.closest else entry.closest[0]))
    return {"figures": _figures(validation), "groups": groups, "answers": answers}


def matched(session: Session) -> dict[str, Any]:
    """The round's figures (as the Summary sheet), its pairs and everyone unpaired, and a rematch's changes."""
    result = session.result
    assert result is not None
    return {"figures": summary_rows(round_figures(result)), "pairings": result.pairings,
            "unmatched": result.unmatched, "changes": session.rematched.changes if session.rematched else [],
            "rematch_notes": session.rematched.notes if session.rematched else [], "solver": result.solver}


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
