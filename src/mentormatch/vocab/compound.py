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
_JOINED = re.compile(_PARTS.pattern + r"|\s*&\s*|\s+and\s+|\s*\+\s*", re.IGNORECASE)


def _tokens(text: str, joined: bool) -> list[tuple[int, int]]:
    """(start, end) of each run of text between separators."""
    spans, at = [], 0
    for separator in (_JOINED if joined else _PARTS).finditer(text):
        if separator.start() > at:
            spans.append((at, separator.start()))
        at = max(at, separator.end())
    if at < len(text):
        spans.append((at, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def parts_of(text: str, *, joined: bool = False) -> list[str]:
    """The smallest parts of a compound answer, in order, blanks dropped (`joined`: also split on 'and', '&')."""
    return list(dict.fromkeys(text[a:b].strip() for a, b in _tokens(text, joined)))


def read_compound(vocabulary: Vocabulary, text: str, *, joined: bool = False) -> tuple[str, ...]:
    """The canonical values an answer names: itself when known whole, else each recognised part's.

    A part is any run of the answer between separators, so a name that holds a separator itself
    ("Department of Finance (Northern Ireland) (DoF (NI))", "Great British Energy \u2013 Nuclear") is
    found whole, and the pieces inside a recognised run are not read again. Unrecognised parts are
    passed over when another part is recognised ("ONS - Titchfield" is ONS); an empty result means
    nothing in the answer was recognised.
    """
    whole = vocabulary.lookup(text)
    if whole is not None:
        return (whole,)
    tokens = _tokens(text, joined)
    recognised: list[tuple[int, int, str]] = []  # (first token, last token, value), longest runs first
    for length in range(len(tokens) - 1, 0, -1):
        for first in range(len(tokens) - length + 1):
            last = first + length - 1
            if any(a <= first and last <= b for a, b, _value in recognised):
                continue  # inside a run already recognised
            value = vocabulary.lookup(text[tokens[first][0]:tokens[last][1]])
            if value is not None:
                recognised.append((first, last, value))
    recognised.sort()
    return tuple(dict.fromkeys(value for _first, _last, value in recognised))


def names_whole(vocabulary: Vocabulary, text: str, *, joined: bool = False) -> bool:
    """True when an answer is one known name, or every part of it is ("DDaT - Digital, data and technology"):
    nothing in it would be passed over as unrecognised."""
    if vocabulary.lookup(text) is not None:
        return True
    tokens = _tokens(text, joined)
    covered = [False] * len(tokens)
    for length in range(len(tokens), 0, -1):
        for first in range(len(tokens) - length + 1):
            last = first + length - 1
            if not all(covered[first:last + 1]) and vocabulary.lookup(text[tokens[first][0]:tokens[last][1]]):
                covered[first:last + 1] = [True] * length
    return bool(tokens) and all(covered)
