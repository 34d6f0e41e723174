"""UK government organisations: the curated register shipped as package data, read on first use.

organisations.tsv is derived from GOV.UK's organisations register by scripts/build_organisations.py and
carries the Open Government Licence attribution; organisations-ambiguous.tsv lists the spellings of
closed bodies whose work went to several successors, which must be reported rather than guessed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from mentormatch.vocab.text import vocab_key

_PACKAGE = "mentormatch.vocab"
_REGISTER = "organisations.tsv"
_AMBIGUOUS = "organisations-ambiguous.tsv"


@dataclass(frozen=True)
class Organisation:
    """One organisation: its canonical name, GOV.UK title and abbreviation, and where it belongs."""

    name: str
    title: str
    abbreviation: str
    format: str
    family: str  # canonical name of the department at the top of its parents (its own for a department)
    aliases: tuple[str, ...]

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every spelling besides the name: title, abbreviation and aliases, blanks left out."""
        return tuple(s for s in (self.title, self.abbreviation, *self.aliases) if s)


def _rows(filename: str) -> list[dict[str, str]]:
    """The data rows of one shipped TSV, its leading '#' attribution lines skipped."""
    text = resources.files(_PACKAGE).joinpath(filename).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@cache
def _load() -> tuple[dict[str, Organisation], dict[str, str]]:
    """Read both files once, on first use: importing the module reads nothing."""
    register = {}
    for row in _rows(_REGISTER):
        aliases = tuple(alias for alias in row["aliases"].split(";") if alias)
        register[row["name"]] = Organisation(row["name"], row["title"], row["abbreviation"], row["format"],
                                             row["family"], aliases)
    ambiguous = {row["spelling"]: row["note"] for row in _rows(_AMBIGUOUS)}
    return register, ambiguous


@cache
def _by_key() -> dict[str, str]:
    """vocab_key of every spelling -> canonical name (the build script guarantees one owner per key)."""
    return {vocab_key(spelling): org.name for org in _load()[0].values() for spelling in (org.name, *org.spellings)}


def organisations() -> dict[str, Organisation]:
    """Every organisation in the register, keyed by canonical name."""
    return dict(_load()[0])  # a copy: the cached register is shared by every caller


def organisation_aliases() -> dict[str, tuple[str, ...]]:
    """Canonical name -> every other spelling, in the shape Vocabulary takes."""
    return {name: org.spellings for name, org in organisations().items()}


def ambiguous_organisations() -> dict[str, str]:
    """Spellings of closed bodies split between several successors -> why none can be picked."""
    return dict(_load()[1])


def family_of(name: str) -> str:
    """The canonical name of the organisation's department family; an unknown name is its own family."""
    register = _load()[0]
    if name in register:
        return register[name].family
    canonical = _by_key().get(vocab_key(name))
    return register[canonical].family if canonical else name
