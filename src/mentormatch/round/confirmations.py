"""Confirmation emails before matching: each applicant is shown what the round will use for them.

A published guide for running cross-government mentoring schemes has the coordinator send each
participant the grade, profession and organisation held for them before matching, to catch wrong
answers while there is time. `confirm` drafts one unsent email per applicant:

- an eligible applicant sees their role, grade, department, profession, capacity (seniors),
  development aims and the people they asked not to be matched with, as the round reads them, and
  is asked to reply if any of it is wrong;
- someone left out for errors is told which answers to correct, in words.

Never the barriers answer, never the expression of interest: they are special-category or private,
and are used for eligibility and the panel only. A submission superseded by a later one from the
same email gets no draft (the later one does), nor does a row without a usable email address.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from mentormatch.config import Config, Scheme
from mentormatch.matching.reasons import professions_text
from mentormatch.models import Applicant, Role
from mentormatch.outcomes import Problem, Severity
from mentormatch.round.introductions import Draft
from mentormatch.validation.checks import ValidationResult, validate_file
from mentormatch.vocab.emails import EMAIL

PROGRAMME = {Scheme.MUTUAL: "mutual mentoring programme", Scheme.REVERSE: "reverse mentoring scheme"}
# Problems whose value or wording would repeat a private answer: said in general words instead.
_PRIVATE_CODES = {"no-barriers-declared": "The answer to the eligibility question about barriers to progression "
                                          "does not meet the scheme's criteria for junior partners: if you think "
                                          "this is wrong, reply and we will look at it with you.",
                  "eoi-too-long": "Your expression of interest is over the word limit: please send a shorter one."}


@dataclass(frozen=True)
class Confirmations:
    """The drafts, and the rows no draft could be written for."""

    drafts: list[Draft]
    eligible: int
    to_correct: int
    no_address: int  # rows left out whose email cannot be read: nobody to write to


def _first(name: str) -> str:
    return name.split(" ")[0] if name else "applicant"


def _details(person: Applicant, config: Config) -> list[str]:
    """What the round will use for one applicant, as lines 'Label: value'."""
    lines = [f"Role: {'junior' if person.role is Role.JUNIOR else 'senior'} partner",
             f"Grade: {person.grade_label}", f"Department: {person.department}",
             f"Profession: {professions_text(person) or 'none given'}"]
    if person.role is Role.SENIOR:
        lines.append(f"Partners you can take on: {person.capacity}")
    lines.append(f"Development aims: {', '.join(person.aims) if person.aims else 'none given'}")
    lines.append("People you asked not to be matched with: "
                 f"{', '.join(person.do_not_match) if person.do_not_match else 'nobody'}")
    return lines


# What to tell the applicant, in their words, for the usual reasons a row is left out ({column}, {value}).
_TO_APPLICANT = {
    "missing-value": "{column} — no answer was given: please send it.",
    "unknown-grade": "{column} — we could not read {value!r} as a Civil Service grade (for example HEO, Grade 7 "
                     "or Deputy Director): please tell us your grade.",
    "ambiguous-grade": "{column} — {value!r} could mean more than one grade: please tell us which is yours.",
    "unknown-role": "{column} — we could not tell from {value!r} whether you are applying as a junior or a senior "
                    "partner: please tell us which.",
    "invalid-capacity": "{column} — please give the number of partners you can take on, as one number.",
    "ambiguous-department": "{column} — {value!r} names more than one organisation: please tell us which you "
                            "work in.",
    "unknown-department": "{column} — we could not recognise {value!r}: please give your organisation's full name.",
    "unknown-profession": "{column} — we could not recognise {value!r}: please give your profession or main area "
                          "of work in full.",
    "excel-error": "{column} — the answer could not be read: please send it again.",
}


def _correction(problem: Problem) -> str:
    """One answer to correct, in words for the applicant, never repeating a private answer."""
    if problem.code in _PRIVATE_CODES:
        return _PRIVATE_CODES[problem.code]
    template = _TO_APPLICANT.get(problem.code)
    if template is not None:
        return template.format(column=problem.column, value=problem.value)
    return f"{problem.column} — {problem.message}"


def draft_confirmations(validation: ValidationResult, config: Config) -> Confirmations:
    """One draft per applicant of a validated round: eligible ones confirm their details, others correct answers."""
    programme = PROGRAMME[config.scheme]
    name = f" ({config.round.name})" if config.round.name else ""
    drafts: list[tuple[int, str, str, str]] = []  # (row, email, subject, body)
    for person in validation.applicants:
        body = "\n\n".join([
            f"Dear {_first(person.name)},",
            f"Thank you for applying to the {programme}{name}. Before we match partners, please check the "
            "details we will use for you:",
            "\n".join(_details(person, config)),
            "If anything here is wrong, reply to this email with the correct answer before matching starts. If it "
            "is all correct, there is nothing you need to do.",
            "Best wishes,", "The programme team"])
        drafts.append((person.row, person.email, f"Please check your application to the {programme}", body + "\n"))
    errors: dict[int, list[Problem]] = defaultdict(list)
    for problem in validation.problems:
        if problem.severity is Severity.ERROR and problem.row is not None:
            errors[problem.row].append(problem)
    no_address = 0
    for row in validation.left_out:
        if not EMAIL.match(row.email):
            no_address += 1
            continue
        fixes = [_correction(p) for p in errors.get(row.row, [])] or ["Please contact the programme team."]
        body = "\n\n".join([
            f"Dear {_first(row.name)},",
            f"Thank you for applying to the {programme}{name}. We cannot include your application in the "
            "matching yet, because of the answers below:",
            "\n".join(f"- {fix}" for fix in dict.fromkeys(fixes)),
            "Please reply to this email with the corrected answers, so that we can include you before matching "
            "starts.", "Best wishes,", "The programme team"])
        drafts.append((row.row, row.email, f"Your application to the {programme}: please correct an answer",
                       body + "\n"))
    ordered = sorted(drafts)
    return Confirmations([Draft(f"confirm-{number:03d}.eml", (email,), subject, body, number)
                          for number, (_row, email, subject, body) in enumerate(ordered, start=1)],
                         len(validation.applicants), len(validation.left_out) - no_address, no_address)


def confirm_applications(path: Path, config: Config, *, sheet: str | None = None,
                         header_row: int | None = None) -> tuple[ValidationResult, Confirmations]:
    """Validate an export and draft its confirmation emails (the library behind `mentormatch confirm`)."""
    validation = validate_file(path, config, sheet=sheet, header_row=header_row)
    return validation, draft_confirmations(validation, config)
