"""'Do not match with' answers: every address anywhere in the cell, and names looked up among the round's applicants.

A cell is read line by line (';' and new lines). In a line with addresses, whatever surrounds them
(a name, 'line manager', 'Email:', a sentence, Outlook's 'Smith, Jane <...>') is a note; a line with
none is a name, looked up among the round's applicants once every row is read (`resolve_names`).
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mentormatch.inputs.headers import ColumnMap
from mentormatch.models import Applicant
from mentormatch.outcomes import Problem, Unmatched, warning
from mentormatch.vocab.emails import addresses_in, says_nobody, without_addresses
from mentormatch.vocab.text import name_key

_NAME_NOTE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|^\s*(?:name|email|e-mail)\s*:\s*", re.IGNORECASE)


def parse_do_not_match(text: str) -> tuple[object, tuple[()]]:
    """Every email address anywhere in the answer; a line with no address is a name to look up in the round.

    Lines are split on ';' and new lines. In a line with addresses, whatever surrounds them (a name,
    'line manager', 'Email:', a sentence) is a note and ignored; a line without one is kept as a
    name (`NamedPerson`), which validation looks up among the round's applicants.
    """
    if says_nobody(text):
        return (), ()
    entries: dict[object, None] = {}
    for line in re.split(r"[;\n]+", text):
        line = line.strip()
        if not line or says_nobody(line):
            continue
        addresses = addresses_in(line)
        if addresses:
            entries.update(dict.fromkeys(addresses))
            continue
        entries.update(dict.fromkeys(NamedPerson(name) for name in _names_in(line)))
    return tuple(entries), ()


@dataclass(frozen=True)
class NamedPerson:
    """A do-not-match entry that gives a name and no address: looked up among the round's applicants."""

    text: str

    @property
    def keys(self) -> tuple[str, ...]:
        """How the name may be compared: 'jane smith', and 'jane smith' again for 'Smith, Jane'."""
        plain = name_key(self.text)
        if "," in self.text:
            last, _, first = self.text.partition(",")
            return (plain, name_key(f"{first} {last}"))
        return (plain,)


def _names_in(line: str) -> list[str]:
    """The names in a line that holds no address: notes in brackets and an 'Name:' label taken out."""
    line = _NAME_NOTE.sub(" ", without_addresses(line)).strip(" .,-")
    return [line] if line else []


def resolve_names(named: dict[int, tuple[NamedPerson, ...]], kept: dict[int, Applicant], columns: ColumnMap,
                   sheet: str, left_out: Sequence[Unmatched] = ()) -> list[Problem]:
    """Do-not-match entries given as a name only, looked up among everyone who applied (rows left out included).

    1. The whole entry is compared with every applicant's name ('Smith, Jane' also as 'Jane Smith').
    2. An entry naming nobody is tried again split on commas and 'and' ('Jane Smith, Raj Patel').
    3. One applicant of that name: kept apart from them, with a warning; none or several: a warning naming
       the entry, and it is not used. Nothing is dropped without a word.
    """
    if not named:
        return []
    by_name: dict[str, list[Applicant | Unmatched]] = defaultdict(list)
    everyone: list[Applicant | Unmatched] = [*kept.values(), *left_out]
    for someone in everyone:
        if someone.email:
            by_name[name_key(someone.name)].append(someone)
    found: list[Problem] = []
    column = columns.header("do_not_match")
    for row, entries in named.items():
        person = kept[row]
        where: dict[str, Any] = {"row": row, "column": column, "email": person.email, "sheet": sheet}
        added: dict[str, None] = {}
        for entry in entries:
            for part in _name_parts(entry, by_name):
                people = {p.email: p for key in part.keys for p in by_name.get(key, []) if p.email != person.email}
                if len(people) == 1:
                    email = next(iter(people))
                    added.setdefault(email, None)
                    found.append(warning("do-not-match-by-name", value=part.text, name=part.text, address=email, **where))
                elif people:
                    found.append(warning("invalid-do-not-match", "several", value=part.text, name=part.text,
                                         count=len(people), **where))
                else:
                    found.append(warning("invalid-do-not-match", value=part.text, name=part.text, **where))
        if added:
            kept[row] = dataclasses.replace(person, do_not_match=tuple(dict.fromkeys([*person.do_not_match, *added])))
    return found


def _name_parts(entry: NamedPerson, by_name: dict[str, list[Applicant | Unmatched]]) -> list[NamedPerson]:
    """The entry whole when it names someone, else its comma- or 'and'-separated parts (when one of them does)."""
    if any(key in by_name for key in entry.keys):
        return [entry]
    parts = [NamedPerson(p.strip()) for p in re.split(r",|\band\b|&", entry.text) if p.strip()]
    if len(parts) > 1 and any(key in by_name for part in parts for key in part.keys):
        return parts
    return [entry]
