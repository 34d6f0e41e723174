"""One form answer -> its canonical value, or what is wrong with it.

Exports repeat a few hundred answers thousands of times ("Grade 7", "ONS", "Yes"), so each field's
parser sees each distinct answer once: `FieldParser.parse` remembers the result. The parsers are
plain functions of the cleaned cell text; where a problem belongs (row, column, sheet) is added by
validation, which places each `Note` at its row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mentormatch.config import Config
from mentormatch.inputs.reading import Cell
from mentormatch.models import EMAIL, MAX_CAPACITY, parse_role, parse_yes
from mentormatch.outcomes import Kind, Severity, outcome
from mentormatch.vocab.departments import AMBIGUITIES, AMBIGUOUS, department_vocabulary
from mentormatch.vocab.grades import BY_CODE, FAST_STREAM, grade_vocabulary
from mentormatch.vocab.professions import profession_vocabulary
from mentormatch.vocab.text import clean_text, split_list

_REMEMBERED = 50_000  # distinct answers remembered per field; free text beyond that is parsed each time


@dataclass(frozen=True)
class Note:
    """A problem with one answer, before validation places it at a row and column."""

    error: bool
    code: str
    message: str
    field: str
    value: str = ""


def note(code: str, field: str, value: str = "", variant: str = "", **slots: object) -> Note:
    """A note with the registered code's severity and message."""
    entry = outcome(code, Kind.PROBLEM)
    return Note(entry.severity is Severity.ERROR, code, entry.message(variant, **slots), field, value)


Parsed = tuple[object, tuple[Note, ...]]


def _blank(field: str, what: str) -> Parsed:
    return None, (note("missing-value", field, what=what),)


def parse_email(text: str) -> Parsed:
    """'Name@Dept.gov.uk' -> 'name@dept.gov.uk'."""
    if not text:
        return _blank("email", "Email")
    email = text.lower().removeprefix("mailto:")
    if not EMAIL.match(email):
        return None, (note("invalid-email", "email", text),)
    return email, ()


def parse_name(text: str) -> Parsed:
    """A name, which must not be blank."""
    return (text, ()) if text else _blank("name", "Name")


def _parse_role(text: str) -> Parsed:
    if not text:
        return _blank("role", "Role")
    role = parse_role(text)
    if role is None:
        return None, (note("unknown-role", "role", text),)
    return role, ()


def _parse_capacity(text: str, default: int) -> Parsed:
    if not text:
        return default, ()
    try:
        number = float(text)
    except ValueError:
        number = 0.5
    if not number.is_integer() or not 1 <= number <= MAX_CAPACITY:
        return None, (note("invalid-capacity", "capacity", text, most=MAX_CAPACITY),)
    return int(number), ()


def _parse_exclusions(text: str) -> Parsed:
    emails = [part.lower().removeprefix("mailto:") for part in split_list(text.replace(" ", ";"))]
    wrong = [part for part in emails if not EMAIL.match(part)]
    if wrong:
        return None, (note("invalid-exclusion", "exclusions", wrong[0]),)
    return tuple(emails), ()


class FieldParser:
    """The round's vocabularies and defaults, and a parser per field that remembers its answers."""

    def __init__(self, config: Config) -> None:
        self.grades = grade_vocabulary(config.aliases.grades)
        self.departments = department_vocabulary(config.aliases.departments)
        self.professions = profession_vocabulary(config.aliases.professions)
        self.fast_stream_grade = config.round.fast_stream_grade
        self.groups = {self.departments.lookup(d) or d: group
                       for group, members in config.department_groups.items() for d in members}
        default_capacity = config.round.default_capacity
        self._parsers: dict[str, Callable[[str], Parsed]] = {
            "role": _parse_role, "grade": self._grade, "department": self._department,
            "profession": self._professions, "barriers": lambda text: (parse_yes(text), ()),
            "interests": lambda text: (tuple(split_list(text)), ()), "networks": lambda text: (tuple(split_list(text)), ()),
            "capacity": lambda text: _parse_capacity(text, default_capacity), "exclusions": _parse_exclusions,
        }
        self._seen: dict[str, dict[str, Parsed]] = {field: {} for field in self._parsers}

    def parse(self, field: str, value: Cell) -> Parsed:
        """The value of one answer (a cell as read) to `field` and its problems; each answer is parsed once."""
        # Remembered by the text as read: a cell of the same text has the same answer. Other cells
        # (numbers, dates) are keyed by their clean text, so True and 1 (equal in Python) stay apart.
        key = value if type(value) is str else clean_text(value)
        seen = self._seen[field]
        found = seen.get(key)
        if found is None:
            found = self._parsers[field](clean_text(key))
            if len(seen) < _REMEMBERED:
                seen[key] = found
        return found

    def _grade(self, text: str) -> Parsed:
        """A grade code ('G7'); 'Fast Stream' becomes the configured grade, with a warning."""
        if not text:
            return _blank("grade", "Grade")
        code = self.grades.lookup(text)
        if code is not None:
            return code, ()
        if FAST_STREAM.lookup(text):
            code = self.fast_stream_grade
            return code, (note("fast-stream-grade", "grade", text, grade=BY_CODE[code].label),)
        hints = self.grades.suggest(text)
        hint = f" Did you mean {' or '.join(BY_CODE[h].label for h in hints)}?" if hints else ""
        return None, (note("unknown-grade", "grade", text, hint=hint),)

    def _department(self, text: str) -> Parsed:
        """The canonical department; one not in the list is kept as written, with a warning."""
        if not text:
            return _blank("department", "Department")
        known = self.departments.lookup(text)
        if known is not None:
            return known, ()
        ambiguity = AMBIGUITIES.lookup(text)
        if ambiguity:
            return text, (note("ambiguous-department", "department", text, note=AMBIGUOUS[ambiguity]),)
        return text, (note("unknown-department", "department", text),)

    def _professions(self, text: str) -> Parsed:
        """The canonical professions, each one not in the list kept as written, with a warning."""
        found: dict[str, None] = {}
        notes = []
        for part in split_list(text):
            known = self.professions.lookup(part)
            if known is None:
                notes.append(note("unknown-profession", "profession", part))
            found.setdefault(known or part, None)
        if not found:
            return _blank("profession", "Profession")
        return tuple(found), tuple(notes)
