"""Counts as people write them in a form: '2', 'two', '2 partners', 'Up to 2', 'Two (2)', '1-2', 'as many as needed'."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORDS = {word: n for n, word in enumerate(
    ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"], start=1)}
_NUMBER = re.compile(r"\b(?:\d+(?:\.0+)?|" + "|".join(_WORDS) + r")\b")
# Words around a count that do not change it ("up to 2 partners", "a maximum of 3 people").
_AROUND = {"up", "to", "partner", "partners", "people", "person", "mentee", "mentees", "junior", "juniors",
           "max", "maximum", "of", "a", "at", "most", "only", "just", "no", "more", "than", "happy", "with",
           "could", "can", "take", "i"}
_BETWEEN = {"-", "–", "—", "to", "or", "/"}  # a range: '1-2', '1 to 2', '1 or 2'
_OPEN = re.compile(r"^(?:as many as (?:needed|possible|required|you like|you need|necessary)|any|no limit|unlimited|"
                   r"as many as|no maximum|however many)\.?$")


@dataclass(frozen=True)
class Count:
    """A count read from an answer: its value, and how it was read ('' exact, 'range' upper figure, 'open')."""

    value: int | None  # None for an open answer: the caller's maximum applies
    how: str = ""


def read_count(text: str) -> Count | None:
    """The count an answer gives, or None when it cannot be read with certainty.

    1. An open answer ('as many as needed') is Count(None, 'open').
    2. The numbers in it (digits or words) are found; the words around them must be the usual
       ones ('up to', 'partners'), else the answer is unsure and not read.
    3. One number, or the same number twice ('Two (2)'), is that number; two joined by '-', 'to',
       'or' are a range, read as the upper figure; anything else is not read.
    """
    key = " ".join(text.casefold().replace("(", " ").replace(")", " ").split())
    if _OPEN.match(key):
        return Count(None, "open")
    if re.match(r"^[-–]\s*\d", key):
        return None  # a negative number
    numbers = [int(float(n)) if n[0].isdigit() else _WORDS[n] for n in _NUMBER.findall(key)]
    if not numbers:
        return None
    rest = _NUMBER.sub(" # ", key).replace("-", " - ").replace("–", " – ").replace("/", " / ")
    words = [w.strip(".,!") for w in rest.split()]
    if any(w and w != "#" and w not in _AROUND and w not in _BETWEEN for w in words):
        return None
    ranged = any(w in _BETWEEN and w != "to" for w in words) or _is_range(words)
    if len(set(numbers)) == 1 and not (ranged and len(numbers) > 1):
        return Count(numbers[0])
    if len(numbers) == 2 and ranged and numbers[0] < numbers[1]:
        return Count(numbers[1], "range")
    return None


def _is_range(words: list[str]) -> bool:
    """'# to #': 'to' between two numbers (not the 'to' of 'up to')."""
    return any(words[i] == "#" and words[i + 1] == "to" and words[i + 2] == "#" for i in range(len(words) - 2))
