"""Outcome records: problems in an export, why a row was left out, why someone has no partner.

One registry, in the manner of frictionless' errors: every code the tool can report is an
`OutcomeCode` with the kinds of record it appears in, a title (a few words for tables and charts)
and message templates whose `{slots}` the reporting code fills. Records carry their code; no code
is ever recovered from a sentence. The README's code tables are checked against this registry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    """How serious a problem is: an error leaves the row out, a warning keeps it."""

    ERROR = "error"
    WARNING = "warning"


class Kind(StrEnum):
    """Where an outcome code is reported."""

    PROBLEM = "problem"  # a cell or row of an input, in the Problems sheet
    LEFT_OUT = "left-out"  # why a row was not taken into matching (Unmatched sheet)
    UNMATCHED = "unmatched"  # why a valid applicant has no partner (Unmatched sheet)


@dataclass(frozen=True)
class OutcomeCode:
    """A registered code: where it appears, its title, and its message templates by variant."""

    code: str
    kinds: frozenset[Kind]
    title: str
    templates: Mapping[str, str] = field(default_factory=dict)  # variant ("" = default) -> template
    severity: Severity = Severity.ERROR  # for problems: the usual severity

    def message(self, variant: str = "", **slots: object) -> str:
        """The message for one record, its template's slots filled."""
        return self.templates[variant].format(**slots)


def _code(code: str, kinds: str, title: str, *templates: tuple[str, str] | str,
          severity: Severity = Severity.ERROR) -> OutcomeCode:
    variants = dict(t if isinstance(t, tuple) else ("", t) for t in templates)
    return OutcomeCode(code, frozenset(Kind(k) for k in kinds.split()), title, variants, severity)


_W = Severity.WARNING
CODES: dict[str, OutcomeCode] = {c.code: c for c in (
    # Problems that leave a row out (errors)
    _code("missing-value", "problem", "A required answer is blank.",
          "{what} is blank: fill it in, or remove the row."),
    _code("invalid-email", "problem", "The email address is not of the form name@domain.",
          "This is not an email address (name@domain): correct it."),
    _code("unknown-grade", "problem", "The grade is not on the grade ladder (closest spellings are suggested).",
          "This grade is not on the grade ladder (AA to SCS4); band codes differ between departments, so add an "
          "alias in [aliases.grades] or correct it.{hint}"),
    _code("unknown-role", "problem", "The role is neither junior nor senior partner.",
          "The role must say junior or senior partner: correct it, or say what the form's answers mean in "
          "[aliases.roles] of the config (\"Yes\" = \"senior\").",
          ("scheme", "In {scheme} mentoring both partners mentor, so '{word}' does not say which partner: say what "
                     "each answer means in [aliases.roles] of the config (\"Mentor\" = \"senior\").")),
    _code("junior-above-grade-limit", "problem", "A junior partner's grade is above the round's junior limit.",
          "Junior partners must be {limit} or below: apply as a senior partner, or correct the grade."),
    _code("senior-below-grade-limit", "problem", "A senior partner's grade is below the round's senior limit.",
          "Senior partners must be {limit} or above: apply as a junior partner, or correct the grade."),
    _code("no-barriers-declared", "problem",
          "A junior did not declare barriers to progression, which the round requires.",
          "Junior partners must consider there to be barriers to their progression (protected characteristics "
          "or socio-economic background)."),
    _code("eoi-too-long", "problem", "The expression of interest is over the round's word limit.",
          "The expression of interest has {words} words; the limit is {limit}. Ask for a shorter one, or raise "
          "round.eoi_word_limit."),
    _code("ambiguous-grade", "problem", "The grade answer names two different grades.",
          "This answer names {named}: correct it to one grade."),
    _code("invalid-capacity", "problem", "A senior's capacity is not one clear number from 1 to the maximum.",
          "Capacity must be one number of partners from 1 to {most} ('2', 'two', 'up to 2'): correct it."),
    _code("excel-error", "problem",
          "A cell holds an Excel error value (#DIV/0!, #VALUE!, #N/A…) instead of an answer: an error where the "
          "answer is required, else a warning and the answer is taken as blank.",
          "This cell holds the Excel error {error}, not an answer: correct the formula or type the answer, "
          "then run again.",
          ("optional", "This cell holds the Excel error {error}, not an answer; it was read as blank{default}. "
                       "Correct the formula or type the answer.")),
    _code("locked-pair-invalid", "problem",
          "A locked pair cannot be kept (unknown person, wrong roles or no capacity).",
          ("people", "A locked pair needs one valid junior and one valid senior applicant; this pair is not kept."),
          ("capacity", "This locked pair would give someone more partners than their capacity; it is not kept.")),
    # An edited Pairings sheet (`mentormatch check`)
    _code("pair-breaks-rule", "problem", "A pair in an edited Pairings sheet breaks a hard rule.",
          "This pair breaks a hard rule ({rules}): change one partner (the Check sheet suggests a swap)."),
    _code("paired-twice", "problem", "Someone is in two pairs: a junior twice, or a person as junior and senior.",
          "This junior is already paired in row {other}: a junior has one partner.",
          ("both", "This person is a junior in row {other} and a senior here: nobody is both.")),
    _code("over-capacity", "problem", "A senior is in more pairs than the partners they offered to take.",
          "This senior offered to take {capacity} partner(s) and is in more pairs from this row on."),
    _code("not-an-applicant", "problem", "An email in the Pairings sheet is not an applicant in that role.",
          ("unknown", "This email is not an applicant in the round's applications: check the spelling."),
          ("left-out", "This person applied but was left out for errors in the application (see Problems)."),
          ("other-role", "This person applied in the other role, not as a {role} partner."),
          ("withdrawn", "This person withdrew from the round (a rematch recorded it).")),
    _code("incomplete-pair", "problem", "A row of the Pairings sheet has only one partner.",
          "This row has no {role} partner's email: fill it in or delete the row."),
    _code("dropped-applicant", "problem", "An applicant is in no pair and not listed in Unmatched.",
          "This applicant is in no pair and not in Unmatched: pair them, or list them in Unmatched."),
    _code("not-shortlisted-paired", "problem", "A junior who was not shortlisted is paired.",
          "This junior was not selected in the round's shortlist, so is not paired in this round."),
    _code("cell-disagrees", "problem",
          "A cell of an edited Pairings row describes its partner differently from the applications (the emails "
          "are the truth); `check -o` writes the applications' value.",
          "This cell says {written!r}, but the applications say {expected!r} for {person}: the emails decide who "
          "is paired, so `check -o` writes the applications' value here.", severity=_W),
    # Check-in form exports (`mentormatch checkin`)
    _code("checkin-unreadable", "problem", "A check-in answer cannot be read; the row is not counted (a usefulness "
                                           "answer alone is left out and the rest counted).",
          ("email", "This is not an email address (name@domain): the answer cannot be matched to a pair."),
          ("date", "This date cannot be read, so the answer has no month: use a date such as 15/06/2026."),
          ("met", "This answer to 'have you met' is neither yes nor no."),
          ("usefulness", "Usefulness is a whole number from 1 to 5; this one is not counted.")),
    _code("checkin-not-paired", "problem", "A check-in comes from someone in no pair of the pairings workbook.",
          "This person is in no pair of the pairings workbook: check the email, or whether they were re-paired.",
          severity=_W),
    _code("checkin-ended-unclear", "problem",
          "Someone in several pairs answered that their partnership has ended, without saying which.",
          "This person is in {count} pairs and answered that their partnership has ended: ask which, and give it "
          "with --ended (no pair is ended until then).", severity=_W),
    _code("checkin-partner-unclear", "problem",
          "Someone with several partners answered a check-in without saying which partner it is about; it counts "
          "for none of their pairs.",
          "This person is in {count} pairs and this answer does not say which partner it is about (the 'Which "
          "partner' column, a name or an email), so it counts for none of them: ask them, or fill it in.",
          severity=_W),
    _code("kept-pair-ended", "problem", "A rematch's pair from before cannot stand; it is ended and both re-paired.",
          ("people", "an updated application no longer makes it a valid pair"),
          ("capacity", "the senior's capacity no longer allows it"),
          ("rules", "an updated application breaks a hard rule for this pair ({rules})")),
    # Problems that keep the row (warnings)
    _code("duplicate-email", "problem", "The same email applied more than once; the latest submission is kept.",
          ("problem", "This email applied again in row {latest}; only the latest submission counts, so this one "
                      "is set aside."),
          ("superseded", "superseded by the submission in row {latest}"), severity=_W),
    _code("ambiguous-department", "problem",
          "The department names two organisations (an error), or a closed body split between several successors "
          "(a warning: kept as its own).",
          ("parts", "This answer names {named}: correct it to one organisation."),
          ("closed", "{note}: it is kept as a department of its own; settle it with [aliases.departments] in "
                     "the config.")),
    _code("unknown-department", "problem",
          "The department is not in the register of government organisations; it is kept as an organisation of "
          "its own, never paired with a known one it may be a typo of (an error under "
          "rules.unknown_answers = \"error\").",
          ("own", "This department is not in the register of government organisations; it is treated as an "
                  "organisation of its own (spellings a typo apart count as one). Add an alias if it is another "
                  "name for a listed one."),
          ("near", "This department is not in the register of government organisations, and is a small edit away "
                   "from {known}: it may be {known}, so it is never paired with {known} or its other spellings. "
                   "Add an alias to say what it is."), severity=_W),
    _code("unknown-profession", "problem",
          "The profession is not in the register of professions; it is kept as the person's main area of work, "
          "never paired with a known one it may be a typo of (an error under rules.unknown_answers = \"error\").",
          ("own", "This profession is not in the register of professions; it is taken as its own profession "
                  "(main area of work)."),
          ("near", "This profession is not in the register of professions, and is a small edit away from {known}: "
                   "it may be {known}, so it is never paired with {known} or its other spellings. Add an alias to "
                   "say what it is."), severity=_W),
    _code("invalid-do-not-match", "problem",
          "A 'do not match with' entry gives no email address and no applicant of the round has that name; the "
          "other entries still count.",
          "{name!r} gives no email address and names no applicant of this round, so it is not used: give their "
          "email address.",
          ("several", "{name!r} gives no email address and {count} applicants have that name, so it is not used: "
                      "give their email address."), severity=_W),
    _code("do-not-match-by-name", "problem",
          "A 'do not match with' entry gave a name only; the one applicant of that name is kept apart.",
          "Read as {address}, the one applicant named {name!r} (the entry gives no email address): check it.",
          severity=_W),
    _code("capacity-read", "problem", "A capacity was read from a range or an open answer, with a warning.",
          ("range", "Read as {number}, the upper figure of the range: correct it if fewer is meant."),
          ("open", "Read as {number}, the round's maximum (round.max_capacity): give a number if fewer is meant."),
          severity=_W),
    _code("role-read", "problem", "A role answer was read through the round's scheme or the question's header.",
          ("scheme", "Read as the {role} partner: in {scheme} mentoring the {word} is the {role} partner."),
          ("header", "Read as the {role} partner, from the question {header!r}."), severity=_W),
    _code("lookalike-characters", "problem",
          "An answer held letters of another alphabet (or full-width letters) that look like Latin ones.",
          "Read as {read!r}: the answer holds letters that only look like Latin ones (another alphabet, or "
          "full-width).", severity=_W),
    _code("capacity-column-unmapped", "problem",
          "A column asks 'how many' but is not read as capacity: every senior gets the round's default.",
          "This column asks how many, but is not read as the seniors' capacity, so every senior gets "
          "round.default_capacity ({default}): map it with capacity = \"{header}\" in [columns] if it is.",
          severity=_W),
    _code("fast-stream-grade", "problem", "'Fast Stream' was read as the configured grade (HEO by default).",
          "Read as {grade}, the grade the Fast Stream enters at (round.fast_stream_grade): check the applicant's "
          "substantive grade.", severity=_W),
    _code("csv-not-utf8", "problem", "The CSV file is not UTF-8; it was read as Windows-1252.",
          "The file is not UTF-8; it was read as Windows-1252. Save it as 'CSV UTF-8' to be sure accents survive.",
          severity=_W),
    _code("duplicate-header", "problem", "Two columns carry the same field; the first is used.",
          "Two columns are headed {header!r}; the first (column {first}) is used for {field} and this one is "
          "ignored.", severity=_W),
    _code("formula-without-value", "problem", "A cell holds a formula with no saved value; it was read as blank.",
          "This cell holds a formula that was never calculated, so it was read as blank: open the file in Excel, "
          "save it, and run again.", severity=_W),
    _code("control-characters", "problem", "Invisible control characters were removed from a cell.",
          "Invisible control characters (pasted from another program) were removed from this cell.", severity=_W),
    _code("panel-row-unknown", "problem", "A panel row matches no eligible junior; its marks are not used.",
          "This panel row matches no eligible junior in the applications (reference and EOI both differ); its "
          "marks are not used.", severity=_W),
    _code("invalid-mark", "problem",
          "A panel mark is not a whole number on the scale: the shortlist stops until it is corrected.",
          "Marks are whole numbers from {low} to {high}: correct this one."),
    _code("missing-mark", "problem", "Some assessors did not mark an EOI; the mean of the others is used.",
          "No mark from {who}; the mean of the other marks is used.", severity=_W),
    _code("locked-pair-breaks-rule", "problem", "A locked pair breaks a hard rule; it is kept because it was locked.",
          "This locked pair breaks a hard rule; it is kept because it was locked.", severity=_W),
    # Why a row was left out of matching
    _code("left-out", "left-out", "Left out: errors in the application", "left out: {errors}"),
    # Why a valid applicant has no partner
    _code("no-feasible-partner", "unmatched", "No partner allowed by the rules",
          ("junior-none-senior-enough", "no senior at {grades} applied{detail}"),
          ("junior-blocked", "no senior at {grades}{outside}: of the {candidates} at that grade, {blockers}"),
          ("senior", "no eligible junior {gap} below{outside}")),
    _code("partners-taken", "unmatched", "Every possible partner was needed by others",
          ("junior", "all {seniors} who could partner them {verb} paired with others, and no rearrangement adds a "
                     "pair"),
          ("senior", "every junior they could partner is paired with someone else")),
    _code("not-shortlisted", "unmatched", "Not selected in the shortlist", "not selected in the shortlist"),
)}


def outcome(code: str, kind: Kind) -> OutcomeCode:
    """The registered code, checked to be one reported as `kind`."""
    found = CODES.get(code)
    if found is None or kind not in found.kinds:
        raise KeyError(f"{code!r} is not a registered {kind.value} code")
    return found


@dataclass(frozen=True)
class Unmatched:
    """Someone from the input who is not in a pair: a row left out, or an applicant without a partner."""

    row: int
    email: str
    name: str
    role: str
    code: str  # a registered left-out or unmatched code
    reason: str


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


_WHERE = frozenset(Problem.model_fields) - {"severity", "code", "message"}


def problem(code: str, severity: Severity | None = None, variant: str = "", **where_and_slots: object) -> Problem:
    """A problem record: the code's message with its slots filled, placed at row/column/value/email/sheet."""
    entry = outcome(code, Kind.PROBLEM)
    where = {k: v for k, v in where_and_slots.items() if k in _WHERE}
    slots = {k: v for k, v in where_and_slots.items() if k not in _WHERE}
    return Problem(severity=severity or entry.severity, code=code, message=entry.message(variant, **slots),
                   **where)


def error(code: str, variant: str = "", **where_and_slots: object) -> Problem:
    """An error-severity problem (the row is left out)."""
    return problem(code, Severity.ERROR, variant, **where_and_slots)


def warning(code: str, variant: str = "", **where_and_slots: object) -> Problem:
    """A warning-severity problem (the row is kept)."""
    return problem(code, Severity.WARNING, variant, **where_and_slots)
