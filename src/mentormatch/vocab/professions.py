"""Professions of the Analysis Function, with their badges and common spellings."""

from __future__ import annotations

from mentormatch.vocab.lookup import Vocabulary

ALIASES: dict[str, tuple[str, ...]] = {
    "Statistics": ("GSS", "GSG", "Government Statistical Service", "Government Statistician Group",
                   "statistician", "statisticians"),
    "Economics": ("GES", "Government Economic Service", "economist", "economists"),
    "Social research": ("GSR", "Government Social Research", "social researcher", "social researchers"),
    "Operational research": ("GORS", "Government Operational Research Service", "OR",
                             "operational researcher", "operational researchers"),
    "Geography": ("GGP", "Government Geography Profession", "geographer", "geographers"),
    "Actuarial": ("actuary", "actuaries", "Government Actuarial Profession"),
    "Data science": ("data scientist", "data scientists", "Government Data Science"),
}
SHORT: dict[str, str] = {
    "Statistics": "GSS", "Economics": "GES", "Social research": "GSR",
    "Operational research": "GORS", "Geography": "GGP",
}


def profession_vocabulary(extra: dict[str, str] | None = None) -> Vocabulary:
    """Return the profession vocabulary, with any aliases from the config."""
    vocabulary = Vocabulary(ALIASES)
    return vocabulary.with_aliases(extra) if extra else vocabulary


def short_name(profession: str) -> str:
    """Return the badge abbreviation where there is one (GSS, GES…), else the name."""
    return SHORT.get(profession, profession)
