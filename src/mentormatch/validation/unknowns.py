"""Answers not in a vocabulary: kept as values of their own, merged when a typo apart, and what known name each may be.

Two spellings of one body never count as two departments; an answer a small edit away from a known
name ('0NS', 'Goverment Statistical Servce') may be that name, so no pair is made with it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from mentormatch.vocab.lookup import MIN_NEAR_LENGTH, Vocabulary, nearest_key
from mentormatch.vocab.text import digits_as_letters, vocab_key

# Distinct unrecognised answers per field checked for typos (of each other and of known names) and
# given closest names: a form's option list never comes near it; free text beyond it is normalised only.
MERGED_LIMIT = 500


@dataclass
class Unrecognised:
    """One value mentormatch did not recognise in a field, and every spelling that was read as it."""

    field: str
    value: str  # what the answers are kept as: the first spelling met
    possibly: tuple[str, ...]  # known names it is a small edit away from: never paired with them, nor they with it
    closest: tuple[str, ...]  # the nearest known names, for the coordinator to choose from
    spellings: dict[str, None] = dataclasses.field(default_factory=dict)


class Unknowns:
    """Unrecognised answers to one field, merged when a typo away from each other, and what known name each may be."""

    def __init__(self, name: str, vocabulary: Vocabulary) -> None:
        self.name, self.vocabulary = name, vocabulary
        self.by_key: dict[str, Unrecognised] = {}
        self._long_keys: list[str] = []  # the keys typo matching compares against
        self.found: list[Unrecognised] = []

    def place(self, text: str, parts: list[str], *, near_known: bool = True,
              named: tuple[str, ...] = ()) -> Unrecognised:
        """The value an unrecognised answer (made of `parts`) is kept as; its parts become its spellings.

        `near_known` False: the answer may not be taken for a known name a small edit away (a Northern
        Ireland body is never its Great Britain namesake). `named`: known names the answer contains
        without being one of them ('HMRC (Northern Ireland)' names HMRC): it may be them, too.
        """
        # The whole answer is matched against every spelling met so far, and its parts become
        # spellings too ("Widget Office (WO)" makes a later "WO" the same body); a part alone never
        # decides, so answers sharing a word ("... (Northern Ireland)") stay apart.
        whole = vocab_key(text)
        keys = [k for k in dict.fromkeys([whole, *(vocab_key(p) for p in parts)]) if k]
        entry = self.by_key.get(whole) or self._near(whole)
        if entry is None:
            checked = len(self.found) < MERGED_LIMIT
            known = self._possibly(text) if checked and near_known else None
            closest = (known,) if known else tuple(self.vocabulary.suggest(text)) if checked else ()
            entry = Unrecognised(self.name, text, (known,) if known else (), closest)
            self.found.append(entry)
        if named:
            entry.possibly = tuple(dict.fromkeys((*entry.possibly, *named)))
        entry.spellings.setdefault(text, None)
        for key in keys:
            if key not in self.by_key:
                self.by_key[key] = entry
                if len(key) >= MIN_NEAR_LENGTH:
                    self._long_keys.append(key)
        return entry

    def _possibly(self, text: str) -> str | None:
        """The known name an answer is a small edit away from: a typo, or digits for letters ('0NS')."""
        near = self.vocabulary.nearest(text)
        if near is None and (lettered := digits_as_letters(text)) != text:
            near = self.vocabulary.lookup(lettered) or self.vocabulary.nearest(lettered)
        return near

    def _near(self, key: str) -> Unrecognised | None:
        """An unrecognised value already seen whose spelling is a typo away from this one.

        Beyond MERGED_LIMIT distinct unrecognised spellings in a field (free text, not a form's
        list), only normalisation merges answers: typo matching would cost seconds per answer.
        """
        if len(self._long_keys) > MERGED_LIMIT:
            return None
        close = nearest_key(key, self._long_keys)
        return self.by_key[close] if close is not None else None
