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

from mentormatch.config import Config
from mentormatch.inputs.reading import Cell
from mentormatch.models import parse_yes
from mentormatch.outcomes import Severity
from mentormatch.validation.do_not_match import parse_do_not_match
from mentormatch.validation.notes import Note, Parsed, blank, note
from mentormatch.validation.roles import RoleReader
from mentormatch.validation.unknowns import Unknowns, Unrecognised
from mentormatch.vocab.compound import names_whole, parts_of, read_compound
from mentormatch.vocab.departments import (
    closed_body,
    department_vocabulary,
    is_northern_ireland,
    northern_irish,
    without_northern_ireland,
)
from mentormatch.vocab.emails import (
    EMAIL,
    email_address,
)
from mentormatch.vocab.grades import (
    BAND_CODE_USERS,
    BY_CODE,
    FAST_STREAM,
    SchemeCode,
    candidates,
    grade_vocabulary,
    label_of,
    scheme_code,
    scheme_grade,
    scheme_organisations,
    scheme_users,
)
from mentormatch.vocab.numbers import read_count
from mentormatch.vocab.organisations import family_of
from mentormatch.vocab.professions import profession_vocabulary
from mentormatch.vocab.text import (
    clean_text,
    fold_lookalikes,
    split_choices,
    split_known,
    vocab_key,
)

_REMEMBERED = 50_000  # distinct answers remembered per field; free text beyond that is parsed each time
_JOINED_NAMES = re.compile(r"\s*[,;&+]\s*|\s+and\s+", re.IGNORECASE)  # between several organisations' names
_FOLDED = ("role", "grade", "department", "profession", "capacity")  # answers read as words of a vocabulary


def parse_email(text: str) -> Parsed:
    """'Pat <Name@Dept.gov.uk>' -> 'name@dept.gov.uk'."""
    if not text:
        return blank("email", "Email")
    email = email_address(text)
    if not EMAIL.match(email):
        return None, (note("invalid-email", "email", text),)
    return email, ()


def parse_name(text: str) -> Parsed:
    """A name, which must not be blank."""
    return (text, ()) if text else blank("name", "Name")


def _parse_capacity(text: str, default: int, most: int) -> Parsed:
    """A number of partners from 1 to the round's maximum, as people write it ('2', 'two', 'Up to 2', 'Two (2)').

    A range ('1-2', '1 or 2') is its upper figure and an open answer ('as many as needed') the round's
    maximum, each with a warning; anything else that is not one clear number is an error.
    """
    if not text:
        return default, ()
    count = read_count(text)
    if count is None or (count.value is not None and not 1 <= count.value <= most):
        return None, (note("invalid-capacity", "capacity", text, most=most),)
    if count.how == "open":
        return most, (note("capacity-read", "capacity", text, "open", number=most),)
    if count.how == "range":
        return count.value, (note("capacity-read", "capacity", text, "range", number=count.value),)
    return count.value, ()


def _unknown_note(field: str, entry: Unrecognised, text: str, severity: Severity) -> Note:
    if entry.possibly:
        return note(f"unknown-{field}", field, text, "near", severity=severity, known=entry.possibly[0])
    return note(f"unknown-{field}", field, text, "own", severity=severity)


class FieldParser:
    """The round's vocabularies and defaults, and a parser per field that remembers its answers."""

    def __init__(self, config: Config, role_header: str = "") -> None:
        self.roles = RoleReader(config, role_header)
        self.grades = grade_vocabulary(config.aliases.grades)
        self.departments = department_vocabulary(config.aliases.departments)
        self.professions = profession_vocabulary(config.aliases.professions)
        self.fast_stream_grade = config.round.fast_stream_grade
        self.unknown_severity = Severity.ERROR if config.rules.unknown_answers == "error" else Severity.WARNING
        self.family_scope = config.rules.department_scope == "family"
        self.unknowns = {"department": Unknowns("department", self.departments),
                         "profession": Unknowns("profession", self.professions)}
        self.unknown_grades: dict[str, Unrecognised] = {}
        default_capacity, most = config.round.default_capacity, config.round.max_capacity
        self._parsers: dict[str, Callable[[str], Parsed]] = {
            "role": self._role, "grade": self._grade, "department": self._department,
            "profession": self._professions, "barriers": lambda text: (parse_yes(text), ()),
            "aims": lambda text: (tuple(split_choices(text, self.separators["aims"])), ()),
            "networks": lambda text: (tuple(split_choices(text, self.separators["networks"])), ()),
            "capacity": lambda text: _parse_capacity(text, default_capacity, most), "do_not_match": parse_do_not_match,
        }
        self._seen: dict[str, dict[str, Parsed]] = {name: {} for name in self._parsers}
        self.separators = {"aims": ",", "networks": ","}  # how each multi-select column was joined
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
            found = self._read(field, clean_text(key))
            if len(seen) < _REMEMBERED:
                seen[key] = found
        return found

    def _read(self, field: str, text: str) -> Parsed:
        """One answer read by its field's parser; look-alike letters (Cyrillic 'О', full-width 'Ｏ') read as plain ones."""
        if field in _FOLDED and not text.isascii() and (folded := fold_lookalikes(text)) != text:
            value, notes = self._parsers[field](folded)
            return value, (*notes, note("lookalike-characters", field, text, read=folded))
        return self._parsers[field](text)

    def department_key(self, department: str) -> str:
        """What the different-department rule compares: the group, else the family or the organisation."""
        group = self.groups.get(vocab_key(department)) if self.groups else None
        if group is not None:
            return group
        return family_of(department) if self.family_scope else department

    def possibly(self, field: str, value: str) -> tuple[str, ...]:
        """The known names an unrecognised answer kept as `value` may be (no pair is made with them), else ()."""
        entry = self.unknowns[field].by_key.get(vocab_key(value))
        return entry.possibly if entry is not None and entry.value == value else ()

    def unrecognised(self) -> list[Unrecognised]:
        """Every distinct value not in the vocabularies so far: grades, departments, professions, in the order met."""
        return [*self.unknown_grades.values(), *(entry for unknowns in self.unknowns.values() for entry in unknowns.found)]

    def _role(self, text: str) -> Parsed:
        """Junior or senior partner, as the form asks it (see `roles`)."""
        if not text:
            return blank("role", "Role")
        role, found = self.roles.read(text)
        return role, tuple(note(code, "role", text, variant, **dict(slots)) for code, variant, slots in found)

    def _grade(self, text: str) -> Parsed:
        """A grade code ('G7'); a departmental code is kept to be read with the department ('D6' in FCDO).

        Every part of a compound answer that names grades must agree: 'Economic Adviser (Grade 7)' is
        Grade 7, 'Assistant Economist (HEO)' is HEO, but 'Assistant Economist' alone (HEO or SEO) and
        'Economic Adviser (Grade 6)' are ambiguous. 'Fast Stream' becomes the configured grade, with a warning.
        """
        if not text:
            return blank("grade", "Grade")
        read = read_compound(self.grades, text)
        if read:
            read = (*read, *self._grades_inside(text))  # "G6 (substantive G7)", "EO (acting HEO)"
            agreed = set(candidates(read[0])).intersection(*(candidates(value) for value in read[1:]))
            if len(agreed) == 1:
                return agreed.pop(), ()
            named = " and ".join(label_of(value) for value in read) if not agreed else label_of(read[0])
            return None, (note("ambiguous-grade", "grade", text, named=named),)
        if FAST_STREAM.lookup(text) or any(FAST_STREAM.lookup(p) for p in parts_of(text)):
            code = self.fast_stream_grade
            return code, (note("fast-stream-grade", "grade", text, grade=BY_CODE[code].label),)
        departmental = scheme_code(text)
        if departmental is not None:  # unknown until read with the applicant's department (`departmental_grade`)
            return departmental, self.departmental_grade(departmental, None)[1]
        return None, (self._unknown_grade(text),)

    def _grades_inside(self, text: str) -> tuple[str, ...]:
        """Grades named inside the parts of an answer that are not grades themselves ('acting HEO', 'TDA Grade 6').

        A lone number ('6 months in post') names no grade here.
        """
        found: dict[str, None] = {}
        for part in parts_of(text):
            if self.grades.lookup(part) is not None:
                continue
            words = part.split()
            for size in (3, 2, 1):
                for at in range(len(words) - size + 1):
                    window = " ".join(words[at:at + size])
                    if not window.isdigit() and (code := self.grades.lookup(window)) is not None:
                        found.setdefault(code, None)
        return tuple(found)

    def _unknown_grade(self, text: str, hint: str = "") -> Note:
        hints = [h for h in self.grades.suggest(text) if h in BY_CODE] if not hint else []  # a band code: no guess
        if hints:
            hint = f" Did you mean {' or '.join(BY_CODE[h].label for h in hints)}?"
        self.unknown_grades.setdefault(text, Unrecognised("grade", text, (), tuple(hints), {text: None}))
        return note("unknown-grade", "grade", text, hint=hint)

    def departmental_grade(self, code: SchemeCode, department: object) -> tuple[str | None, tuple[Note, ...]]:
        """A departmental grade code read with the applicant's organisation; unknown elsewhere, saying who uses it."""
        organisation = department if isinstance(department, str) else ""
        for name in (organisation, family_of(organisation)) if organisation else ():
            found = scheme_grade(code, name)
            if found is not None:
                return found, ()
        users = scheme_users(code)
        if users:
            hint = (f" {code.text} is a grade code of {' and '.join(users)}, read only for applicants of "
                    f"{'that department' if len(users) == 1 else 'those departments'}: correct the grade or the "
                    "department.")
        else:
            shipped = ", ".join(scheme_organisations())
            hint = (f" Codes like {code.text} are band codes of departments such as {', '.join(BAND_CODE_USERS)}, "
                    f"where they mean different grades (only {shipped}'s codes are read, for its own staff).")
        return None, (self._unknown_grade(code.text, hint),)

    def _known_department(self, text: str) -> str | None:
        """The one organisation an answer names, or None."""
        found = self._organisations(text)
        return found[0] if len(found) == 1 else None

    def _organisations(self, text: str) -> tuple[str, ...]:
        """The organisations an answer names; a body named with its own department ('EA (Defra)') is the body.

        An answer that says Northern Ireland ('Department of Health NI') names only Northern Ireland
        bodies: never its Great Britain namesake.
        """
        if is_northern_ireland(text):
            return northern_irish(self.departments, text)
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
            return blank("department", "Department")
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
        northern = is_northern_ireland(text)
        named = self._named_in(text)
        if len(named) > 1 and not northern:  # "Home Office, ONS", "DWP and HMRC": which one?
            return None, (note("ambiguous-department", "department", text, "parts", named=" and ".join(named)),)
        entry = self.unknowns["department"].place(text, parts_of(text), near_known=not northern, named=named)
        return entry.value, (_unknown_note("department", entry, text, self.unknown_severity),)

    def _named_in(self, text: str) -> tuple[str, ...]:
        """Known organisations an unrecognised answer names among its pieces (split on ',', ';', '&', 'and')."""
        pieces = [p for p in _JOINED_NAMES.split(text) if p.strip()]
        if is_northern_ireland(text):  # 'DWP NI' names DWP without being it
            pieces.append(without_northern_ireland(text))
        found: dict[str, None] = {}
        for piece in pieces:
            found.update(dict.fromkeys(name for name in read_compound(self.departments, piece)
                                       if not is_northern_ireland(name)))
        return tuple(found)

    def _one_profession(self, piece: str) -> bool:
        """True when a run of comma-separated pieces is read whole ('Digital, Data and Technology (DDaT)'): every
        part of it is a known name, so splitting at its commas would lose nothing."""
        return names_whole(self.professions, piece, joined=True)

    def _professions(self, text: str) -> Parsed:
        """The canonical professions: several named in one answer all count; unknown ones are kept, with a warning.

        Answers are split on ';' and new lines, and on commas except inside a known name
        ('Digital, Data and Technology (DDaT)' is one profession).
        """
        found: dict[str, None] = {}
        notes = []
        for part in split_known(text, self._one_profession):
            known = read_compound(self.professions, part, joined=True)
            if known:
                found.update(dict.fromkeys(known))
                continue
            entry = self.unknowns["profession"].place(part, parts_of(part, joined=True))
            notes.append(_unknown_note("profession", entry, part, self.unknown_severity))
            found.setdefault(entry.value, None)
        if not found:
            return blank("profession", "Profession")
        return tuple(found), tuple(notes)
