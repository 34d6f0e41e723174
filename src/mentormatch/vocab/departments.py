"""Departments: the register of government organisations as a vocabulary, and closed bodies that cannot be mapped.

Every organisation answers to its title, abbreviation and former names (see `organisations`).
A closed body whose work went to several successors (BEIS -> DESNZ, DSIT, DBT) maps to none of
them: it is reported, never guessed.
"""

from __future__ import annotations

import re
from functools import cache

from mentormatch.vocab.compound import read_compound
from mentormatch.vocab.lookup import Vocabulary
from mentormatch.vocab.organisations import (
    ambiguous_organisations,
    family_of,
    organisation_aliases,
)
from mentormatch.vocab.text import vocab_key

_NORTHERN_IRELAND = re.compile(r"\b(?:ni|n ireland|northern ireland|northern irish|nics)\b")
_NI_FAMILIES = ("NICS", "NIO")


@cache
def _register() -> Vocabulary:
    return Vocabulary(organisation_aliases())


@cache
def _closed() -> tuple[Vocabulary, dict[str, str]]:
    """Closed bodies split between several successors: one entry per body (its shortest spelling), and why."""
    spellings_by_note: dict[str, list[str]] = {}
    for spelling, why in ambiguous_organisations().items():
        spellings_by_note.setdefault(why, []).append(spelling)
    bodies = {min(spellings, key=len): (why, spellings) for why, spellings in spellings_by_note.items()}
    return (Vocabulary({name: tuple(spellings) for name, (_why, spellings) in bodies.items()}),
            {name: why for name, (why, _spellings) in bodies.items()})


def closed_body(spelling: str) -> tuple[str, str] | None:
    """(the body's short name, why it cannot be mapped) for a closed, split body ('BEIS'), else None."""
    vocabulary, notes = _closed()
    name = vocabulary.lookup(spelling)
    return (name, notes[name]) if name is not None else None


def department_vocabulary(extra: dict[str, str] | None = None) -> Vocabulary:
    """Return the department vocabulary (the organisations register), with any aliases from the config."""
    return _register().with_aliases(extra) if extra else _register()


def is_northern_ireland(text: str) -> bool:
    """True when an answer says Northern Ireland ('Department of Health NI', '... (Northern Ireland)')."""
    return _NORTHERN_IRELAND.search(vocab_key(text)) is not None


def without_northern_ireland(text: str) -> str:
    """The answer with its 'NI' / 'Northern Ireland' taken out ('DWP NI' -> 'dwp'), as a vocabulary key."""
    return " ".join(_NORTHERN_IRELAND.sub(" ", vocab_key(text)).split())


def northern_irish(vocabulary: Vocabulary, text: str) -> tuple[str, ...]:
    """The Northern Ireland bodies an answer names: read whole, or with 'NI' written as '(Northern Ireland)'.

    Its Great Britain namesakes are never among them: 'Department of Health NI' is not DHSC.
    """
    spelt_out = _NORTHERN_IRELAND.sub(" ", vocab_key(text)).strip() + " (Northern Ireland)"
    for spelling in (text, spelt_out):
        found = tuple(name for name in read_compound(vocabulary, spelling)
                      if family_of(name) in _NI_FAMILIES or is_northern_ireland(name))
        if found:
            return found[-1:] if len(found) > 1 and found[0] == "NICS" else found
    return ()
