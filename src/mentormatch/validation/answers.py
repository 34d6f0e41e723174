"""One form answer -> its canonical value, or what is wrong with it.

Exports repeat a few hundred answers thousands of times ("Grade 7", "ONS", "Yes"), so each field's
parser sees each distinct answer once: `FieldParser.parse` remembers the result. The parsers are
plain functions of the cleaned cell text; where a problem belongs (row, column, sheet) is added by
validation, which places each `Note` at its row.

Grades, departments and professions are read whole, else as compound option texts ("Grade 7
(G7)", "Office for National Statistics (ONS)", see `vocab.compound`). An answer that names nothing
known is kept only as a value of its own after the same normalisation, merged with any answer a
typo away from it (`Unrecognised`), so two spellings of one body never count as two departments.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from mentormatch.config import Config
from mentormatch.inputs.reading import Cell
from mentormatch.models import MAX_CAPACITY, parse_role, parse_yes
from mentormatch.outcomes import Kind, Severity, outcome
from mentormatch.vocab.compound import parts_of, read_compound
from mentormatch.vocab.departments import closed_body, department_vocabulary
from mentormatch.vocab.emails import EMAIL, email_address, says_nobody
from mentormatch.vocab.grades import BY_CODE, FAST_STREAM, grade_vocabulary
from mentormatch.vocab.lookup import MIN_NEAR_LENGTH, Vocabulary, nearest_key
from mentormatch.vocab.organisations import family_of
from mentormatch.vocab.professions import profession_vocabulary
from mentormatch.vocab.text import clean_text, split_list, vocab_key

_REMEMBERED = 50_000  # distinct answers remembered per field; free text beyond that is parsed each time
# Distinct unrecognised answers per field checked for typos (of each other and of known names) and
# given closest names: a form's option list never comes near it; free text beyond it is normalised only.
_MERGED_LIMIT = 500
_NUMBER_WORDS = {word: n for n, word in enumerate(
    "one two three four five six seven eight nine ten".split(), start=1)}
_WHOLE_NUMBER = re.compile(r"^\d+(?:\.0+)?$")


@dataclass(frozen=True)
class Note:
    """A problem with one answer, before validation places it at a row and column."""

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


def _blank(field: str, what: str) -> Parsed:
    return None, (note("missing-value", field, what=what),)


def parse_email(text: str) -> Parsed:
    """'Pat <Name@Dept.gov.uk>' -> 'name@dept.gov.uk'."""
    if not text:
        return _blank("email", "Email")
    email = email_address(text)
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
    """A whole number of partners from 1 to MAX_CAPACITY, in digits ('2', '2.0') or a word ('two')."""
    if not text:
        return default, ()
    word = _NUMBER_WORDS.get(text.strip().casefold())
    number = word if word is not None else int(float(text)) if _WHOLE_NUMBER.match(text.strip()) else None
    if number is None or not 1 <= number <= MAX_CAPACITY:
        return None, (note("invalid-capacity", "capacity", text, most=MAX_CAPACITY),)
    return number, ()


def _parse_exclusions(text: str) -> Parsed:
    """Emails separated by ';', ',', new lines (or spaces); 'N/A' and the like mean nobody.

    An entry that is not an email is a warning on that entry: the others still count.
    """
    if says_nobody(text):
        return (), ()
    entries = []
    for part in split_list(text):
        if "<" not in part and part.count("@") > 1:
            entries += part.split()  # addresses separated by spaces only
        else:
            entries.append(part)
    emails: dict[str, None] = {}
    notes = []
    for entry in entries:
        if says_nobody(entry):
            continue
        email = email_address(entry)
        if EMAIL.match(email):
            emails.setdefault(email, None)
        else:
            notes.append(note("invalid-exclusion", "exclusions", entry))
    return tuple(emails), tuple(notes)


@dataclass
class Unrecognised:
    """One value mentormatch did not recognise in a field, and every spelling that was read as it."""

    field: str
    value: str  # what the answers are kept as (the first spelling, or the known name they are a typo of)
    read_as_known: bool  # True: a typo of a known name, read as that name
    closest: tuple[str, ...]  # the nearest known names, for the coordinator to choose from
    spellings: dict[str, None] = field(default_factory=dict)


class _Unknowns:
    """Unrecognised answers to one field, merged when a typo away from each other or from a known name."""

    def __init__(self, name: str, vocabulary: Vocabulary) -> None:
        self.name, self.vocabulary = name, vocabulary
        self.by_key: dict[str, Unrecognised] = {}
        self._long_keys: list[str] = []  # the keys typo matching compares against
        self.found: list[Unrecognised] = []

    def place(self, text: str, parts: list[str]) -> Unrecognised:
        """The value an unrecognised answer (made of `parts`) is kept as; its parts become its spellings."""
        # The whole answer is matched against every spelling met so far, and its parts become
        # spellings too ("Widget Office (WO)" makes a later "WO" the same body); a part alone never
        # decides, so answers sharing a word ("... (Northern Ireland)") stay apart.
        whole = vocab_key(text)
        keys = [k for k in dict.fromkeys([whole, *(vocab_key(p) for p in parts)]) if k]
        entry = self.by_key.get(whole) or self._near(whole)
        if entry is None:
            checked = len(self.found) < _MERGED_LIMIT
            known = self.vocabulary.nearest(text) if checked else None
            closest = (known,) if known else tuple(self.vocabulary.suggest(text)) if checked else ()
            entry = Unrecognised(self.name, known or text, known is not None, closest)
            self.found.append(entry)
        entry.spellings.setdefault(text, None)
        for key in keys:
            if key not in self.by_key:
                self.by_key[key] = entry
                if len(key) >= MIN_NEAR_LENGTH:
                    self._long_keys.append(key)
        return entry

    def _near(self, key: str) -> Unrecognised | None:
        """An unrecognised value already seen whose spelling is a typo away from this one.

        Beyond _MERGED_LIMIT distinct unrecognised spellings in a field (free text, not a form's
        list), only normalisation merges answers: typo matching would cost seconds per answer.
        """
        if len(self._long_keys) > _MERGED_LIMIT:
            return None
        close = nearest_key(key, self._long_keys)
        return self.by_key[close] if close is not None else None


class FieldParser:
    """The round's vocabularies and defaults, and a parser per field that remembers its answers."""

    def __init__(self, config: Config) -> None:
        self.grades = grade_vocabulary(config.aliases.grades)
        self.departments = department_vocabulary(config.aliases.departments)
        self.professions = profession_vocabulary(config.aliases.professions)
        self.fast_stream_grade = config.round.fast_stream_grade
        self.unknown_severity = Severity.ERROR if config.rules.unknown_answers == "error" else Severity.WARNING
        self.family_scope = config.rules.department_scope == "family"
        self.unknowns = {"department": _Unknowns("department", self.departments),
                         "profession": _Unknowns("profession", self.professions)}
        self.unknown_grades: dict[str, Unrecognised] = {}
        default_capacity = config.round.default_capacity
        self._parsers: dict[str, Callable[[str], Parsed]] = {
            "role": _parse_role, "grade": self._grade, "department": self._department,
            "profession": self._professions, "barriers": lambda text: (parse_yes(text), ()),
            "interests": lambda text: (tuple(split_list(text)), ()), "networks": lambda text: (tuple(split_list(text)), ()),
            "capacity": lambda text: _parse_capacity(text, default_capacity), "exclusions": _parse_exclusions,
        }
        self._seen: dict[str, dict[str, Parsed]] = {name: {} for name in self._parsers}
        # Groups are matched through the same reading as answers: case, spelling and abbreviation do not matter.
        self.groups = {vocab_key(self._known_department(member) or member): group
                       for group, members in config.department_groups.items() for member in members}

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

    def department_key(self, department: str) -> str:
        """What the different-department rule compares: the group, else the family or the organisation."""
        group = self.groups.get(vocab_key(department)) if self.groups else None
        if group is not None:
            return group
        return family_of(department) if self.family_scope else department

    def unrecognised(self) -> list[Unrecognised]:
        """Every distinct value not in the vocabularies so far: grades, departments, professions, in the order met."""
        return [*self.unknown_grades.values(), *(entry for unknowns in self.unknowns.values() for entry in unknowns.found)]

    def _grade(self, text: str) -> Parsed:
        """A grade code ('G7'); 'Fast Stream' becomes the configured grade, with a warning."""
        if not text:
            return _blank("grade", "Grade")
        codes = read_compound(self.grades, text)
        if len(codes) == 1:
            return codes[0], ()
        if codes:
            named = " and ".join(BY_CODE[c].label for c in codes)
            return None, (note("ambiguous-grade", "grade", text, named=named),)
        if FAST_STREAM.lookup(text) or any(FAST_STREAM.lookup(p) for p in parts_of(text)):
            code = self.fast_stream_grade
            return code, (note("fast-stream-grade", "grade", text, grade=BY_CODE[code].label),)
        hints = self.grades.suggest(text)
        hint = f" Did you mean {' or '.join(BY_CODE[h].label for h in hints)}?" if hints else ""
        self.unknown_grades.setdefault(text, Unrecognised("grade", text, False, tuple(hints), {text: None}))
        return None, (note("unknown-grade", "grade", text, hint=hint),)

    def _known_department(self, text: str) -> str | None:
        """The one organisation an answer names, or None."""
        found = self._organisations(text)
        return found[0] if len(found) == 1 else None

    def _organisations(self, text: str) -> tuple[str, ...]:
        """The organisations an answer names; a body named with its own department ('EA (Defra)') is the body."""
        found = read_compound(self.departments, text)
        if len(found) > 1:
            families = {family_of(name) for name in found}
            specific = [name for name in found if name not in families]
            if len(families) == 1 and len(specific) == 1:
                return (specific[0],)
        return found

    def _department(self, text: str) -> Parsed:
        """The canonical organisation; one not in the register is kept after normalisation, with a warning."""
        if not text:
            return _blank("department", "Department")
        found = self._organisations(text)
        if len(found) == 1:
            return found[0], ()
        if found:
            return None, (note("ambiguous-department", "department", text, "parts", named=" and ".join(found)),)
        for spelling in (text, *parts_of(text)):
            closed = closed_body(spelling)
            if closed is not None:
                return closed[0], (note("ambiguous-department", "department", text, "closed",
                                        severity=Severity.WARNING, note=closed[1]),)
        entry = self.unknowns["department"].place(text, parts_of(text))
        variant = "near" if entry.read_as_known else "own"
        return entry.value, (note("unknown-department", "department", text, variant, severity=self.unknown_severity,
                                  known=entry.value),)

    def _professions(self, text: str) -> Parsed:
        """The canonical professions: several named in one answer all count; unknown ones are kept, with a warning."""
        found: dict[str, None] = {}
        notes = []
        for part in split_list(text):
            known = read_compound(self.professions, part, joined=True)
            if known:
                found.update(dict.fromkeys(known))
                continue
            entry = self.unknowns["profession"].place(part, parts_of(part, joined=True))
            variant = "near" if entry.read_as_known else "own"
            notes.append(note("unknown-profession", "profession", part, variant, severity=self.unknown_severity,
                              known=entry.value))
            found.setdefault(entry.value, None)
        if not found:
            return _blank("profession", "Profession")
        return tuple(found), tuple(notes)
