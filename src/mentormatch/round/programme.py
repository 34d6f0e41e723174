"""One programme record across rounds: each person's rounds, roles and partners, and the figures by round.

Read from the pairings workbooks of the rounds, in the order given: each round is named by its Round
sheet's `round.name`, else by the workbook's file name. A person is in a round when its Pairings or
Unmatched sheet lists them. The figures by round — applicants, pairs, applicants left without a
partner, and repeat applicants (in an earlier round given) — are published under the same disclosure
control as the board report: counts from 1 to `report.smallest_count - 1`, and any count they could be
worked out from, are shown as [c].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mentormatch.config import build_config
from mentormatch.errors import MentormatchError
from mentormatch.inputs.pairings_book import read_edited_pairs, read_round_record, read_unmatched
from mentormatch.matching.disclosure import SUPPRESSED, Cells, shown, suppress
from mentormatch.vocab.text import clean_text


@dataclass
class Person:
    """Someone across the rounds: by round, their role and their partners (none when unpaired)."""

    email: str
    name: str
    rounds: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # round -> (role, partners)


@dataclass(frozen=True)
class RoundLine:
    """One round's figures, as published (a count, or [c])."""

    name: str
    applicants: object
    pairs: object
    unpaired: object
    repeat: object


@dataclass
class Programme:
    """The programme record of the rounds given."""

    rounds: list[str]
    people: list[Person]
    figures: list[RoundLine]
    sources: tuple[Path, ...]
    smallest: int


def _label(path: Path) -> str:
    settings = read_round_record(path).settings or {}
    return clean_text(settings.get("round", {}).get("name", "")) or path.stem


def programme_record(paths: Sequence[Path]) -> Programme:
    """Read each round's pairings workbook and build the record (the library behind `mentormatch history`)."""
    if not paths:
        raise MentormatchError("Give the pairings workbook of at least one round.")
    people: dict[str, Person] = {}
    names: list[str] = []
    counts: list[tuple[str, int, int, int, int]] = []  # (round, applicants, pairs, unpaired, repeat)
    smallest = 0
    seen: set[str] = set()
    for path in paths:
        name = _label(path)
        if name in names:
            name = f"{name} ({path.name})"
        names.append(name)
        smallest = max(smallest, build_config(read_round_record(path).settings or {}).report.smallest_count)
        here: dict[str, tuple[str, str, list[str]]] = {}  # email -> (name, role, partners)
        pairs = 0
        for row in read_edited_pairs(path).rows:
            junior, senior = row.junior, row.senior
            if not junior or not senior:
                continue
            pairs += 1
            junior_name, senior_name = clean_text(row.cells.get("Junior name")), clean_text(row.cells.get("Senior name"))
            here.setdefault(junior, (junior_name, "junior", []))[2].append(senior_name or senior)
            here.setdefault(senior, (senior_name, "senior", []))[2].append(junior_name or junior)
        unpaired = 0
        for listed in read_unmatched(path):
            if listed.email not in here:
                here[listed.email] = (listed.name, listed.role or "?", [])
                unpaired += 1
        for email, (person_name, role, partners) in here.items():
            person = people.setdefault(email, Person(email, person_name))
            person.name = person_name or person.name
            person.rounds[name] = (role, tuple(partners))
        counts.append((name, len(here), pairs, unpaired, len(set(here) & seen)))
        seen |= set(here)
    return Programme(names, sorted(people.values(), key=lambda p: (p.name.casefold(), p.email)),
                     _published(counts, smallest), tuple(paths), smallest)


def _published(counts: list[tuple[str, int, int, int, int]], smallest: int) -> list[RoundLine]:
    """The figures by round under primary and secondary suppression (applicants = paired + unpaired)."""
    cells = Cells()
    for name, applicants, pairs, unpaired, repeat in counts:
        total = cells.add((name, "applicants"), applicants, keep=2)
        left = cells.add((name, "unpaired"), unpaired)
        cells.add((name, "pairs"), pairs, keep=1)
        cells.add((name, "repeat"), repeat)
        cells.tie(total, [left, cells.add((name, "paired"), applicants - unpaired, published=False)])
    value = shown(cells, suppress(cells, smallest), SUPPRESSED)
    return [RoundLine(name, value[(name, "applicants")], value[(name, "pairs")], value[(name, "unpaired")],
                      value[(name, "repeat")]) for name, *_rest in counts]
