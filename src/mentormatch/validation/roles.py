"""The role answer: junior or senior partner, as each form asks it.

Read in this order, the first that settles it deciding:

1. the config's own words for the form's answers (`[aliases.roles]`: "Yes" = "senior");
2. an answer that says junior or senior ("Junior partner (Grade 6 or below)", "Mentee (senior)");
3. a yes or no to a question whose header says which role "yes" means ("Do you want to sign up as a
   mentor?"); and "mentor" or "mentee" by the round's scheme: in reverse mentoring the junior partner
   mentors the senior, so the mentor is the junior partner. In mutual mentoring both partners mentor,
   so those words settle nothing and the answer is refused, saying how to map it.

Readings by the scheme or the header carry a warning that says how the answer was read.
"""

from __future__ import annotations

from typing import Any

from mentormatch.config import Config, Scheme
from mentormatch.models import Role, parse_role
from mentormatch.vocab.text import vocab_key

_YES = ("yes", "y", "true")
_NO = ("no", "n", "false")


def _mentoring_word(key: str) -> str | None:
    """'mentor' or 'mentee' when the text names one of them (and not both), else None."""
    words = set(key.split())
    mentor, mentee = bool(words & {"mentor", "mentors"}), bool(words & {"mentee", "mentees"})
    return "mentor" if mentor and not mentee else "mentee" if mentee and not mentor else None


class RoleReader:
    """Reads role answers for one round: its aliases, its scheme and the role column's header."""

    def __init__(self, config: Config, header: str = "") -> None:
        self.aliases = {vocab_key(answer): Role(role) for answer, role in config.aliases.roles.items()}
        self.scheme = config.scheme
        self.header = header
        said = parse_role(header) if header else None  # "Are you applying as a senior partner?"
        self.yes_means = said.value if said else _mentoring_word(vocab_key(header))

    def read(self, text: str) -> tuple[Role | None, tuple[tuple[str, str, dict[str, Any]], ...]]:
        """(role or None, notes as (code, variant, slots)) for one answer."""
        key = vocab_key(text)
        if key in self.aliases:
            return self.aliases[key], ()
        role = parse_role(text)
        if role is not None:
            return role, ()
        first = key.split(" ")[0] if key else ""
        if self.yes_means and first in (*_YES, *_NO):
            meaning = self._flip(self.yes_means) if first in _NO else self.yes_means
            role = self._by_scheme(meaning)
            if role is None:
                return None, (("unknown-role", "scheme", {"word": meaning, "scheme": self.scheme.value}),)
            return role, (("role-read", "header", {"role": role.value, "header": self.header}),)
        word = _mentoring_word(key)
        if word is not None:
            role = self._by_scheme(word)
            if role is None:
                return None, (("unknown-role", "scheme", {"word": word, "scheme": self.scheme.value}),)
            return role, (("role-read", "scheme", {"role": role.value, "word": word, "scheme": self.scheme.value}),)
        return None, (("unknown-role", "", {}),)

    @staticmethod
    def _flip(meaning: str) -> str:
        return {"junior": "senior", "senior": "junior", "mentor": "mentee", "mentee": "mentor"}[meaning]

    def _by_scheme(self, meaning: str) -> Role | None:
        """The role a word names: junior/senior as said; mentor/mentee only where the scheme settles it."""
        if meaning in ("junior", "senior"):
            return Role(meaning)
        if self.scheme is Scheme.REVERSE:
            return Role.JUNIOR if meaning == "mentor" else Role.SENIOR
        return None

