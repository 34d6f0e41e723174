"""The Civil Service grade ladder: rank, canonical code, display label, and how answers name a grade.

Answers are read three ways, in this order:

1. a spelling of a grade ('Higher Executive Officer', 'G7', 'Deputy Director'), or a job title that
   is a grade in its profession ('Principal Research Officer' is Grade 7 in GSR, 'Economic Adviser'
   Grade 7 in GES);
2. the SCS grammar: 'SCS' or 'Senior Civil Service', then 'Pay Band N', 'Band N', 'PB N', 'PBN' or
   'N', with a sub-band letter or not ('Senior Civil Service Pay Band 1', 'SCS Band 2', 'SCS1A');
3. a departmental grade scheme (`grade-schemes.tsv`: FCDO's 'C4', 'D6', 'SMS1'), read only with the
   applicant's own department: the same code means different grades elsewhere.

A title that spans grades ('Assistant Economist': HEO or SEO) reads as every grade it may be, and
the answer is refused as ambiguous unless a grade given beside it settles which.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from mentormatch.vocab.lookup import Vocabulary
from mentormatch.vocab.text import vocab_key


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
SEPARATOR = "|"  # between the grades an answer may mean: "HEO|SEO" is HEO or SEO, never decided by a guess

# Spellings seen in exports. Bare band codes ("B2", "Band B") differ between departments and
# are deliberately absent: they must be reported, never guessed (see the departmental schemes).
ALIASES: dict[str, tuple[str, ...]] = {
    "AA": ("Administrative Assistant",),
    "AO": ("Administrative Officer", "AA/AO"),
    "EO": ("Executive Officer",),
    "HEO": ("Higher Executive Officer", "HEO(D)", "HEO D"),
    "SEO": ("Senior Executive Officer",),
    "G7": ("Grade 7", "Gr7", "Gr 7", "G 7", "7", "Principal"),
    "G6": ("Grade 6", "Gr6", "Gr 6", "G 6", "6", "Senior Principal"),
    "SCS1": ("Deputy Director", "DD", "SCS1A", "Grade 5", "PB1"),
    "SCS2": ("Director", "PB2"),
    "SCS3": ("Director General", "DG", "PB3"),
    "SCS4": ("Permanent Secretary", "Perm Sec"),
}
# Job titles that are grades in their profession: GSR's research officer ladder (GOV.UK, the GSR
# competency framework) and GES's adviser titles. Titles that span grades are every grade they may
# be: statistics titles have changed over time, and an Assistant Economist is HEO or SEO.
TITLES: dict[str, tuple[str, ...]] = {
    "HEO": ("Research Officer",),
    "SEO": ("Senior Research Officer",),
    "G7": ("Principal Research Officer", "Economic Adviser"),
    "G6": ("Senior Principal Research Officer", "Senior Economic Adviser"),
    "HEO|SEO": ("Assistant Economist", "Assistant Statistician"),
    "SEO|G7": ("Statistician",),
    "G7|G6": ("Senior Statistician",),
}
FAST_STREAM = Vocabulary({"Fast Stream": ("Fast Streamer", "Fast Stream (HEO)", "Analytical Fast Stream")})

_SCS = re.compile(r"^scs(?: (?:pay band|payband|band|pb|pay band number|grade))? ([1-4])(?: [ab])?$")
_ANY_SCS = "SCS1|SCS2|SCS3|SCS4"
# A departmental band code: a letter or two and a digit ('B2', 'C 4', 'SMS1', 'E1'), or 'Band X'.
_BAND_CODE = re.compile(r"^(?:band (?:[a-z]|\d{1,2})|[a-z]{1,3} ?\d{1,2}[a-z]?|eo ?i{1,2}|dp|so)$")
# Departments whose own band codes are commonly quoted but whose equivalences no source we can name
# confirms: a code from them is refused, and the message says who uses such codes.
BAND_CODE_USERS = ("MoD", "the Scottish Government", "NICS")


def _scs_grammar(key: str) -> str | None:
    """'scs pay band 1' -> SCS1; 'senior civil service' alone is any SCS band (ambiguous)."""
    key = key.replace("senior civil service", "scs").replace("senior civil servant", "scs")
    found = _SCS.match(key)
    if found:
        return f"SCS{found.group(1)}"
    return _ANY_SCS if key in ("scs", "scs grade", "scs pay band") else None


@cache
def _built_in() -> Vocabulary:
    """The built-in grade vocabulary, built once on first use."""
    entries = {code: (*ALIASES.get(code, ()), *TITLES.get(code, ())) for code in (*ALIASES, *TITLES)}
    return Vocabulary(entries, grammar=_scs_grammar)


def grade_vocabulary(extra: dict[str, str] | None = None) -> Vocabulary:
    """Return the grade vocabulary (spellings, titles and the SCS grammar), with any aliases from the config."""
    return _built_in().with_aliases(extra) if extra else _built_in()


def candidates(value: str) -> tuple[str, ...]:
    """The grade codes a read value may mean: 'G7' -> ('G7',); 'HEO|SEO' -> ('HEO', 'SEO')."""
    return tuple(value.split(SEPARATOR))


def label_of(value: str) -> str:
    """How people say a read value: 'Grade 7'; 'HEO or SEO' for a title spanning grades."""
    return " or ".join(BY_CODE[code].label for code in candidates(value))


def parse_grade_code(text: str) -> Grade:
    """Return the grade for a code or spelling used in configuration; raise ValueError if unknown."""
    code = Vocabulary(ALIASES, grammar=_scs_grammar).lookup(text)
    if code is None or code not in BY_CODE:
        raise ValueError(f"unknown grade {text!r}; use one of {', '.join(BY_CODE)}")
    return BY_CODE[code]


@dataclass(frozen=True)
class SchemeCode:
    """An answer that is a departmental grade code ('D6'): its grade depends on the applicant's department."""

    text: str
    key: str


@cache
def _schemes() -> dict[str, dict[str, str]]:
    """Organisation -> {code key -> grade code}, from the shipped grade-schemes.tsv (read on first use)."""
    text = resources.files("mentormatch.vocab").joinpath("grade-schemes.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    schemes: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        schemes.setdefault(row["organisation"], {})[vocab_key(row["code"])] = parse_grade_code(row["grade"]).code
    return schemes


def scheme_code(text: str) -> SchemeCode | None:
    """The answer as a departmental code when it is one in a shipped scheme or looks like a band code."""
    key = vocab_key(text)
    if any(key in codes for codes in _schemes().values()) or _BAND_CODE.match(key):
        return SchemeCode(text, key)
    return None


def scheme_grade(code: SchemeCode, organisation: str) -> str | None:
    """The grade a departmental code names in the applicant's organisation's scheme, or None."""
    return _schemes().get(organisation, {}).get(code.key)


def scheme_users(code: SchemeCode) -> list[str]:
    """The organisations whose shipped scheme has this code."""
    return sorted(name for name, codes in _schemes().items() if code.key in codes)


def scheme_organisations() -> list[str]:
    """The organisations whose grade schemes are shipped."""
    return sorted(_schemes())
