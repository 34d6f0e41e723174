"""An applicant as validated: canonical values, ready for matching."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from mentormatch.vocab.grades import BY_CODE
from mentormatch.vocab.text import count_words, vocab_key

_YES = ("yes", "y", "true", "1")
MAX_CAPACITY = 20  # partners one senior can take on; also keeps the solver's columns bounded


class Role(StrEnum):
    """Which side of a partnership an applicant is on."""

    JUNIOR = "junior"
    SENIOR = "senior"


def parse_role(text: str) -> Role | None:
    """Return the role a form answer names ('Junior partner (Grade 6 or below)' -> junior)."""
    key = vocab_key(text)
    junior = "junior" in key or "reverse mentor" in key
    senior = "senior" in key or key.startswith("scs") or "reverse mentee" in key
    if junior != senior:
        return Role.JUNIOR if junior else Role.SENIOR
    return None


def parse_yes(text: str) -> bool | None:
    """Return True for yes-like answers, False for any other answer, None for blank."""
    key = vocab_key(text)
    if not key:
        return None
    return key.split(" ")[0] in _YES


@dataclass(frozen=True, slots=True)
class Applicant:
    """One validated application, its answers in canonical form (parsed by mentormatch.validation.answers)."""

    row: int
    email: str
    name: str
    role: Role
    grade: str
    department: str
    department_key: str
    professions: tuple[str, ...]
    barriers: bool | None = None
    eoi: str = ""
    aims: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()
    capacity: int = 1
    do_not_match: tuple[str, ...] = ()
    submitted: datetime | None = None
    # Known names an unrecognised answer is a small edit away from ('0NS' may be ONS): never paired with them.
    possibly_departments: tuple[str, ...] = ()
    possibly_professions: tuple[str, ...] = ()

    @property
    def rank(self) -> int:
        """The applicant's rank on the grade ladder."""
        return BY_CODE[self.grade].rank

    @property
    def grade_label(self) -> str:
        """The grade as people say it ('Grade 7', 'Deputy Director')."""
        return BY_CODE[self.grade].label

    @property
    def eoi_words(self) -> int:
        """Words in the expression of interest."""
        return count_words(self.eoi)


@dataclass(frozen=True)
class RoundInputs:
    """Everything besides the applications that shapes a round, as plain data (read by `inputs.lists`)."""

    locks: tuple[tuple[int, str, str], ...] = ()  # (row in its file, email, email): pairs agreed in advance
    lock_source: str = "locked pairs"  # where the locks came from, for their problems' Sheet column
    kept: tuple[tuple[int, str, str], ...] = ()  # (row, junior, senior): a rematch's pairs from before, held only
    #                                              while both are valid, capacity allows and every rule still holds
    do_not_match: tuple[tuple[str, str], ...] = ()  # email pairs never to make, either order
    history: tuple[tuple[str, str], ...] = ()  # (junior, senior) pairs of earlier rounds, never made again
    shortlisted: frozenset[str] | None = None  # when given, only these juniors are paired
    reserves: tuple[str, ...] = ()  # the shortlist's reserves, in the order to offer them places
    withdrawn: tuple[str, ...] = ()  # people who left the round (rematch): never paired again in it
    priority: tuple[tuple[str, str], ...] = ()  # (email, earlier round): left unpaired or not shortlisted there
    sources: tuple[tuple[str, str, str], ...] = ()  # (what it gave, file name, SHA-256), for the audit
