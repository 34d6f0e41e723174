"""A vocabulary: canonical values with the spellings seen in exports, extendable from config."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping

from mentormatch.vocab.text import vocab_key

_SEEN_LIMIT = 50_000


MIN_NEAR_LENGTH = 4  # shorter codes differ by one letter and mean different things (DfE, DfT)


def nearest_key(key: str, keys: list[str], cutoff: float = 0.88) -> str | None:
    """The one key of `keys` nearly identical to `key` (a typo away), or None."""
    if len(key) < MIN_NEAR_LENGTH:
        return None
    close = difflib.get_close_matches(key, keys, n=1, cutoff=cutoff)
    return close[0] if close else None


class Vocabulary:
    """Maps spellings to canonical values by a normalised key; unknown spellings give None.

    `grammar`, when given, reads a key the list of spellings does not hold (the grade ladder's
    "Senior Civil Service Pay Band 1"): a small grammar where a list of aliases would never end.
    """

    def __init__(self, entries: Mapping[str, Iterable[str]],
                 grammar: Callable[[str], str | None] | None = None) -> None:
        self._grammar = grammar
        self._lookup: dict[str, str] = {}
        self.canonical: tuple[str, ...] = tuple(entries)
        for canonical, aliases in entries.items():
            for spelling in (canonical, *aliases):
                self._lookup.setdefault(vocab_key(spelling), canonical)
        self._seen: dict[str, str | None] = {}
        self._long: list[str] | None = None

    def with_aliases(self, aliases: Mapping[str, str]) -> Vocabulary:
        """Return a copy where each alias spelling maps to the given canonical value."""
        clone = Vocabulary.__new__(Vocabulary)
        clone.canonical = self.canonical
        clone._grammar = self._grammar
        clone._lookup = dict(self._lookup)
        for spelling, canonical in aliases.items():
            target = self._lookup.get(vocab_key(canonical), canonical)
            clone._lookup[vocab_key(spelling)] = target
        clone._seen = {}
        clone._long = None
        return clone

    def lookup(self, spelling: str) -> str | None:
        """Return the canonical value for a spelling, or None when it is not known."""
        # Exports repeat a few spellings thousands of times: remember the answers (bounded).
        if spelling in self._seen:
            return self._seen[spelling]
        key = vocab_key(spelling)
        found = self._lookup.get(key)
        if found is None and self._grammar is not None:
            found = self._grammar(key)
        if len(self._seen) < _SEEN_LIMIT:
            self._seen[spelling] = found
        return found

    def nearest(self, spelling: str, cutoff: float = 0.88) -> str | None:
        """The canonical value of the one spelling nearly identical to `spelling` (a typo away), or None."""
        key = vocab_key(spelling)
        close = nearest_key(key, self._long_keys(), cutoff)
        return self._lookup[close] if close is not None else None

    def _long_keys(self) -> list[str]:
        if self._long is None:
            self._long = [k for k in self._lookup if len(k) >= MIN_NEAR_LENGTH]
        return self._long

    def suggest(self, spelling: str, limit: int = 3) -> list[str]:
        """Return up to `limit` canonical values whose spellings are closest to `spelling`."""
        close = difflib.get_close_matches(vocab_key(spelling), list(self._lookup), n=limit * 3, cutoff=0.6)
        found: dict[str, None] = {}
        for key in close:
            found.setdefault(self._lookup[key], None)
        return list(found)[:limit]
