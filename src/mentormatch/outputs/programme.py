"""The programme record workbook of `mentormatch history`: figures by round, then each person across the rounds."""

from __future__ import annotations

from pathlib import Path

from mentormatch.matching.disclosure import SUPPRESSED
from mentormatch.outputs.workbook import Sheet, write_workbook
from mentormatch.round.programme import Programme


def write_programme(output: Path, programme: Programme) -> Path:
    """Write the Rounds (figures, disclosure-controlled), People (names: for the coordinator only) and Notes sheets."""
    rounds = Sheet("Rounds", ("Round", "Applicants", "Pairs", "Applicants without a partner", "Repeat applicants"),
                   [(line.name, line.applicants, line.pairs, line.unpaired, line.repeat) for line in programme.figures],
                   widths={"Round": 30})
    people = Sheet("People", ("Email", "Name", "Rounds", *programme.rounds),
                   [(p.email, p.name, len(p.rounds),
                     *(_outcome(p.rounds.get(name)) for name in programme.rounds)) for p in programme.people],
                   wrap=frozenset(programme.rounds), widths={name: 36 for name in programme.rounds})
    notes = Sheet("Notes", ("Note", "Text"), [
        ("Rounds", ", ".join(programme.rounds) + " (in the order given)"),
        (SUPPRESSED, f"Counts from 1 to {programme.smallest - 1}, and any count they could be worked out from, are "
                     "not shown (disclosure control, as in the board report)."),
        ("Repeat applicants", "Applicants of the round who were in an earlier round listed here."),
        ("People", "Names every applicant: for the coordinator only, never for the board."),
    ], wrap=frozenset({"Text"}), widths={"Text": 90})
    return write_workbook(output, [rounds, people, notes], inputs=list(programme.sources))


def _outcome(entry: tuple[str, tuple[str, ...]] | None) -> str:
    if entry is None:
        return ""
    role, partners = entry
    return f"{role}: {'paired with ' + ', '.join(partners) if partners else 'not paired'}"
