"""A problem with one answer, before validation places it at a row and column; why a row is left out, in short."""

from __future__ import annotations

from dataclasses import dataclass

from mentormatch.models import MAX_CAPACITY
from mentormatch.outcomes import Kind, Problem, Severity, outcome


@dataclass(frozen=True)
class Note:
    """A problem with one answer, before validation places it at a row and column; why a row is left out, in short."""

    error: bool
    code: str
    message: str
    field: str
    value: str = ""


def note(code: str, field: str, value: str = "", variant: str = "", *, severity: Severity | None = None,
         **slots: object) -> Note:
    """A note with the registered code's message and (unless given) its usual severity."""
    entry = outcome(code, Kind.PROBLEM)
    return Note((severity or entry.severity) is Severity.ERROR, code, entry.message(variant, **slots), field, value)


Parsed = tuple[object, tuple[Note, ...]]


def blank(field: str, what: str) -> Parsed:
    return None, (note("missing-value", field, what=what),)


_SHORT_REASONS: dict[str, str] = {
    "missing-value": "{column} is blank",
    "invalid-email": "invalid email ({value})",
    "unknown-grade": "unknown grade ({value})",
    "unknown-role": "unknown role ({value})",
    "junior-above-grade-limit": "grade too senior for a junior partner ({value})",
    "senior-below-grade-limit": "grade too junior for a senior partner ({value})",
    "no-barriers-declared": "did not declare barriers to progression",
    "eoi-too-long": "EOI of {value}, over the {limit}-word limit",
    "invalid-capacity": "capacity is not one number from 1 to {most} ({value})",
    "excel-error": "{column} holds the Excel error {value}",
    "ambiguous-grade": "the grade names two grades ({value})",
    "ambiguous-department": "the department names two organisations ({value})",
    "unknown-department": "department not recognised ({value})",
    "unknown-profession": "profession not recognised ({value})",
}


def left_out_reason(problems: list[Problem], limit: int, most: int = MAX_CAPACITY) -> str:
    """A short 'left out: ...' reason listing each error once."""
    parts = [_SHORT_REASONS.get(p.code, p.code.replace("-", " ")).format(column=p.column, value=p.value, limit=limit,
                                                                     most=most)
             for p in problems if p.severity is Severity.ERROR]
    return outcome("left-out", Kind.LEFT_OUT).message(errors="; ".join(dict.fromkeys(parts)))
