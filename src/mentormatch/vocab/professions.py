"""The Civil Service's professions and functions: the shipped register (`professions.tsv`) as a vocabulary.

Applicants who are not badged give their main area of work, so the register holds every profession
and function GOV.UK lists, not only the Analysis Function's. Beyond its spellings, an answer is read
by a small grammar: the words that wrap a profession's name ('Government ...', '... Profession',
'... Function', '... Service') do not change which profession it is ('Policy Profession' is Policy).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from mentormatch.vocab.lookup import Vocabulary
from mentormatch.vocab.text import vocab_key

# Words around a profession's name that do not change which profession it is.
_WRAPPING = re.compile(r"\b(?:the|government|civil service|cross government|profession|professions|function|"
                       r"service|badged|member of|head of)\b")


@dataclass(frozen=True)
class Profession:
    """One profession or function of the register."""

    name: str
    short: str  # its usual abbreviation (GSS, DDaT), or blank
    analytical: bool  # a profession of the Analysis Function
    aliases: tuple[str, ...]


@cache
def register() -> dict[str, Profession]:
    """Every profession of the shipped register, keyed by name (read on first use)."""
    text = resources.files("mentormatch.vocab").joinpath("professions.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    found = {}
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        found[row["name"]] = Profession(row["name"], row["short"], row["analytical"] == "yes",
                                        tuple(a for a in row["aliases"].split(";") if a))
    return found


def unwrapped(key: str) -> str:
    """A profession key without the words that wrap a name: 'government finance function' -> 'finance'."""
    return " ".join(_WRAPPING.sub(" ", key).split())


@cache
def _unwrapped_keys() -> dict[str, str]:
    """Unwrapped key of every spelling -> profession (spellings that unwrap to nothing are left out)."""
    keys: dict[str, str] = {}
    for profession in register().values():
        for spelling in (profession.name, *profession.aliases):
            key = unwrapped(vocab_key(spelling))
            if key:
                keys.setdefault(key, profession.name)
    return keys


def _grammar(key: str) -> str | None:
    stripped = unwrapped(key)
    if not stripped or stripped == key or len(stripped) < 3:  # 'or', 'it' left over are not professions
        return None
    return _unwrapped_keys().get(stripped)


@cache
def _built_in() -> Vocabulary:
    """The register as a vocabulary, built once on first use."""
    return Vocabulary({p.name: p.aliases for p in register().values()}, grammar=_grammar)


def profession_vocabulary(extra: dict[str, str] | None = None) -> Vocabulary:
    """Return the profession vocabulary, with any aliases from the config."""
    return _built_in().with_aliases(extra) if extra else _built_in()


def analytical_professions() -> list[str]:
    """The professions of the Analysis Function, in the register's order."""
    return [p.name for p in register().values() if p.analytical]


def short_name(profession: str) -> str:
    """Return the profession's abbreviation where there is one (GSS, DDaT…), else the name."""
    found = register().get(profession)
    return found.short if found is not None and found.short else profession
