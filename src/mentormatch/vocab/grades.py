"""The Civil Service grade ladder: rank, canonical code, display label and export spellings."""

from __future__ import annotations

from dataclasses import dataclass

from mentormatch.vocab.lookup import Vocabulary


@dataclass(frozen=True)
class Grade:
    """One rung of the grade ladder."""

    rank: int
    code: str
    label: str


LADDER: tuple[Grade, ...] = (
    Grade(1, "AA", "AA"),
    Grade(2, "AO", "AO"),
    Grade(3, "EO", "EO"),
    Grade(4, "HEO", "HEO"),
    Grade(5, "SEO", "SEO"),
    Grade(6, "G7", "Grade 7"),
    Grade(7, "G6", "Grade 6"),
    Grade(8, "SCS1", "Deputy Director"),
    Grade(9, "SCS2", "Director"),
    Grade(10, "SCS3", "Director General"),
    Grade(11, "SCS4", "Permanent Secretary"),
)
BY_CODE: dict[str, Grade] = {grade.code: grade for grade in LADDER}
BY_RANK: dict[int, Grade] = {grade.rank: grade for grade in LADDER}

# Spellings seen in exports. Bare band codes ("B2", "Band B") differ between departments and
# are deliberately absent: they must be reported, never guessed.
ALIASES: dict[str, tuple[str, ...]] = {
    "AA": ("Administrative Assistant",),
    "AO": ("Administrative Officer", "AA/AO"),
    "EO": ("Executive Officer",),
    "HEO": ("Higher Executive Officer", "HEO(D)", "HEO D", "Assistant Statistician",
            "Assistant Economist", "Research Officer"),
    "SEO": ("Senior Executive Officer", "Senior Research Officer", "Statistician", "Economic Adviser"),
    "G7": ("Grade 7", "Gr7", "Gr 7", "G 7", "7", "Principal", "Principal Research Officer",
           "Senior Statistician", "Senior Economic Adviser"),
    "G6": ("Grade 6", "Gr6", "Gr 6", "G 6", "6", "Senior Principal", "Senior Principal Research Officer"),
    "SCS1": ("Deputy Director", "DD", "SCS Pay Band 1", "SCS PB1", "SCS 1", "SCS1A", "Grade 5", "PB1"),
    "SCS2": ("Director", "SCS Pay Band 2", "SCS PB2", "SCS 2", "PB2"),
    "SCS3": ("Director General", "DG", "SCS Pay Band 3", "SCS PB3", "SCS 3", "PB3"),
    "SCS4": ("Permanent Secretary", "Perm Sec", "SCS Pay Band 4", "SCS 4"),
}
FAST_STREAM = Vocabulary({"Fast Stream": ("Fast Streamer", "Fast Stream (HEO)", "Analytical Fast Stream")})


def grade_vocabulary(extra: dict[str, str] | None = None) -> Vocabulary:
    """Return the grade vocabulary, with any aliases from the config."""
    vocabulary = Vocabulary(ALIASES)
    return vocabulary.with_aliases(extra) if extra else vocabulary


def parse_grade_code(text: str) -> Grade:
    """Return the grade for a code or spelling used in configuration; raise ValueError if unknown."""
    code = Vocabulary(ALIASES).lookup(text)
    if code is None:
        raise ValueError(f"unknown grade {text!r}; use one of {', '.join(BY_CODE)}")
    return BY_CODE[code]
