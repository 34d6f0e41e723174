"""Compound answers: a name and its abbreviation or code in one option text.

Form option lists pair a name with its code ("Grade 7 (G7)", "Office for National Statistics
(ONS)", "HMRC - HM Revenue and Customs", "Deputy Director / SCS1"). An answer that the vocabulary
does not know whole is split into its parts and each part is looked up; the caller decides what
it means when the recognised parts name one thing, several things, or nothing.
"""

from __future__ import annotations

import re

from mentormatch.vocab.lookup import Vocabulary

# Between the parts of a compound answer: brackets, a spaced dash, a slash, a colon, a bar, "or".
_PARTS = re.compile(r"\s*[()\[\]]\s*|\s+[-\u2013\u2014]+\s+|\s*[/\\|]\s*|\s*:\s+|\s+or\s+", re.IGNORECASE)
# Professions may also be joined by "and" or "&": "GSS & GES", "Statistics and Data Science".
_JOINED = re.compile(r"\s*&\s*|\s+and\s+|\s*\+\s*", re.IGNORECASE)


def parts_of(text: str, *, joined: bool = False) -> list[str]:
    """The parts of a compound answer, in order, blanks dropped (`joined`: also split on 'and', '&')."""
    parts = [p.strip() for p in _PARTS.split(text)]
    if joined:
        parts = [q.strip() for p in parts for q in _JOINED.split(p)]
    return [p for p in dict.fromkeys(parts) if p]


def read_compound(vocabulary: Vocabulary, text: str, *, joined: bool = False) -> tuple[str, ...]:
    """The canonical values an answer names: itself when known whole, else each recognised part's.

    Unrecognised parts are passed over when another part is recognised ("ONS - Titchfield" is ONS);
    an empty result means nothing in the answer was recognised.
    """
    whole = vocabulary.lookup(text)
    if whole is not None:
        return (whole,)
    found: dict[str, None] = {}
    for part in parts_of(text, joined=joined):
        value = vocabulary.lookup(part)
        if value is not None:
            found.setdefault(value, None)
    return tuple(found)
