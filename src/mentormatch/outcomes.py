"""Problems found in an application export: records, not exceptions."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    """How serious a problem is: an error leaves the row out, a warning keeps it."""

    ERROR = "error"
    WARNING = "warning"


class Problem(BaseModel):
    """One thing wrong with one cell (or row), located as the user sees it in Excel."""

    model_config = ConfigDict(frozen=True)

    severity: Severity
    code: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str = ""
    email: str = ""
    sheet: str = ""


# Every code the tool can report, with a one-line meaning (the README table is checked against this).
PROBLEM_CODES: dict[str, str] = {
    "missing-value": "A required answer is blank.",
    "invalid-email": "The email address is not of the form name@domain.",
    "unknown-grade": "The grade is not on the grade ladder (closest spellings are suggested).",
    "unknown-role": "The role is neither junior nor senior partner.",
    "junior-above-grade-limit": "A junior partner's grade is above the round's junior limit.",
    "senior-below-grade-limit": "A senior partner's grade is below the round's senior limit.",
    "no-barriers-declared": "A junior did not declare barriers to progression, which the round requires.",
    "eoi-too-long": "The expression of interest is over the round's word limit.",
    "invalid-capacity": "A senior's capacity is not a whole number of at least 1.",
    "invalid-exclusion": "A 'do not match with' entry is not an email address.",
    "duplicate-email": "The same email applied more than once; the latest submission is kept.",
    "ambiguous-department": "The department no longer exists and maps to several successors.",
    "unknown-department": "The department is not in the built-in list; it is accepted as written.",
    "unknown-profession": "The profession is not in the built-in list; it is accepted as written.",
    "fast-stream-grade": "'Fast Stream' was read as the configured grade (HEO by default).",
    "csv-not-utf8": "The CSV file is not UTF-8; it was read as Windows-1252.",
    "duplicate-header": "Two columns carry the same field; the first is used.",
    "formula-without-value": "A cell holds a formula with no saved value; it was read as blank.",
    "control-characters": "Invisible control characters were removed from a cell.",
    "panel-row-unknown": "A panel row matches no eligible junior; its scores are not used.",
    "invalid-score": "A panel score is not a number on the scale; it is not used.",
    "missing-score": "Some assessors' scores are missing; the mean of the others is used.",
    "locked-pair-breaks-rule": "A locked pair breaks a hard rule; it is kept because it was locked.",
    "locked-pair-invalid": "A locked pair cannot be kept (unknown person, wrong roles or no capacity).",
}


def error(code: str, message: str, **where: object) -> Problem:
    """Return an error-severity problem."""
    return Problem(severity=Severity.ERROR, code=code, message=message, **where)  # type: ignore[arg-type]


def warning(code: str, message: str, **where: object) -> Problem:
    """Return a warning-severity problem."""
    return Problem(severity=Severity.WARNING, code=code, message=message, **where)  # type: ignore[arg-type]
