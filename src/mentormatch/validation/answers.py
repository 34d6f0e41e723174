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
from mentormatch.vocab.departments import AMBIGUITIES, AMBIGUOUS, department_vocabulary
from mentormatch.vocab.grades import BY_CODE, FAST_STREAM, grade_vocabulary
from mentormatch.models import EMAIL, MAX_CAPACITY, parse_role, parse_yes
from mentormatch.vocab.professions import profession_vocabulary
from mentormatch.inputs.reading import Cell
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


Parsed = tuple[object, tuple[Note, ...]]


def _blank(field: str, what: str) -> Parsed:
    return None, (Note(True, "missing-value", f"{what} is blank: fill it in, or remove the row.", field),)


def parse_email(text: str) -> Parsed:
    """'Name@Dept.gov.uk' -> 'name@dept.gov.uk'."""
    if not text:
        return _blank("email", "Email")
    email = text.lower().removeprefix("mailto:")
    if not EMAIL.match(email):
        return None, (Note(True, "invalid-email", "This is not an email address (name@domain): correct it.",
                           "email", text),)
    return email, ()


def parse_name(text: str) -> Parsed:
    """A name, which must not be blank."""
    return (text, ()) if text else _blank("name", "Name")


def _parse_role(text: str) -> Parsed:
    if not text:
        return _blank("role", "Role")
    role = parse_role(text)
    if role is None:
        return None, (Note(True, "unknown-role", "The role must say junior or senior partner: correct it.",
                           "role", text),)
    return role, ()


def _parse_capacity(text: str, default: int) -> Parsed:
    if not text:
        return default, ()
    try:
        number = float(text)
    except ValueError:
        number = 0.5
    if not number.is_integer() or not 1 <= number <= MAX_CAPACITY:
        return None, (Note(True, "invalid-capacity", "Capacity must be a whole number of partners from 1 to "
                           f"{MAX_CAPACITY}.", "capacity", text),)
    return int(number), ()


def _parse_exclusions(text: str) -> Parsed:
    emails = [part.lower().removeprefix("mailto:") for part in split_list(text.replace(" ", ";"))]
    wrong = [part for part in emails if not EMAIL.match(part)]
    if wrong:
        return None, (Note(True, "invalid-exclusion", "Each 'do not match with' entry must be an email address, "
                           "separated by ';': correct this one.", "exclusions", wrong[0]),)
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
            return code, (Note(False, "fast-stream-grade", f"'Fast Stream' was read as {BY_CODE[code].label}; "
                               "check the applicant's substantive grade.", "grade", text),)
        hints = self.grades.suggest(text)
        hint = f" Did you mean {' or '.join(BY_CODE[h].label for h in hints)}?" if hints else ""
        return None, (Note(True, "unknown-grade", "This grade is not on the grade ladder (AA to SCS4); band codes "
                           "differ between departments, so add an alias in [aliases.grades] or correct it." + hint,
                           "grade", text),)

    def _department(self, text: str) -> Parsed:
        """The canonical department; one not in the list is kept as written, with a warning."""
        if not text:
            return _blank("department", "Department")
        known = self.departments.lookup(text)
        if known is not None:
            return known, ()
        ambiguity = AMBIGUITIES.lookup(text)
        if ambiguity:
            return text, (Note(False, "ambiguous-department", f"{AMBIGUOUS[ambiguity]}: it is kept as written; "
                               "settle it with [aliases.departments] in the config.", "department", text),)
        return text, (Note(False, "unknown-department", "This department is not in the built-in list; it is "
                           "treated as a department of its own. Add an alias if it is another name for a listed "
                           "one.", "department", text),)

    def _professions(self, text: str) -> Parsed:
        """The canonical professions, each one not in the list kept as written, with a warning."""
        found: dict[str, None] = {}
        notes = []
        for part in split_list(text):
            known = self.professions.lookup(part)
            if known is None:
                notes.append(Note(False, "unknown-profession", "This profession is not in the built-in list; it is "
                                  "taken as its own profession (main area of work).", "profession", part))
            found.setdefault(known or part, None)
        if not found:
            return _blank("profession", "Profession")
        return tuple(found), tuple(notes)
