"""Applicants as integer-coded numpy arrays: grade ranks, department codes and bitsets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from mentormatch.models import Applicant
from mentormatch.vocab.text import vocab_key


def bitsets(groups: Sequence[Iterable[str]], universe: dict[str, int]) -> np.ndarray:
    """Encode each group of labels as a row of uint64 words, one bit per label in `universe`."""
    words = max(1, -(-len(universe) // 64))
    masks = []
    for labels in groups:  # one Python int per group, split into 64-bit words below
        mask = 0
        for label in labels:
            mask |= 1 << universe[vocab_key(label)]
        masks.append(mask)
    low64 = (1 << 64) - 1
    out = np.empty((len(groups), words), dtype=np.uint64)
    for word in range(words):
        out[:, word] = [(mask >> (64 * word)) & low64 for mask in masks]
    return out


def overlap_counts(left: np.ndarray, right: np.ndarray, paired: bool = False) -> np.ndarray:
    """Count shared bits for every (left row, right row) pair: shape (len(left), len(right)).

    With `paired`, left[i] is compared with right[i] only: shape (len(left),).
    """
    if paired:
        return np.bitwise_count(left & right).sum(axis=1, dtype=np.int32)
    if left.shape[1] == 1:  # up to 64 labels, the usual case: one pass, small integers
        return np.bitwise_count(left[:, 0][:, None] & right[:, 0][None, :])
    total = np.zeros((left.shape[0], right.shape[0]), dtype=np.int32)
    for word in range(left.shape[1]):
        total += np.bitwise_count(left[:, word][:, None] & right[:, word][None, :])
    return total


@dataclass
class Side:
    """One side of the round (juniors or seniors) as arrays aligned with `people`."""

    people: list[Applicant]
    rank: np.ndarray
    department: np.ndarray
    professions: np.ndarray
    aims: np.ndarray
    aim_count: np.ndarray
    networks: np.ndarray
    # What the rules compare besides the answers as read: the organisations each person may be (their own and,
    # for an unsure answer, the known ones it may be), and their professions with the ones they may be.
    could_be: np.ndarray
    possible_professions: np.ndarray | None = None  # None when nobody in the round gave an unsure profession

    @property
    def unsure(self) -> bool:
        """True when someone on this side gave an answer that may be another organisation or profession."""
        return bool(self.could_be.any()) or self.possible_professions is not None

    @property
    def compared_professions(self) -> np.ndarray:
        """The professions the profession rule compares: with the ones an unsure answer may be."""
        return self.professions if self.possible_professions is None else self.possible_professions

    def take(self, indices: np.ndarray) -> Side:
        """The people at `indices`, in that order."""
        possible = None if self.possible_professions is None else self.possible_professions[indices]
        return Side([self.people[i] for i in indices.tolist()], self.rank[indices], self.department[indices],
                    self.professions[indices], self.aims[indices], self.aim_count[indices], self.networks[indices],
                    self.could_be[indices], possible)


def _universe(*groups: Iterable[Iterable[str]]) -> dict[str, int]:
    keys: dict[str, int] = {}
    for group in groups:
        for labels in group:
            for label in labels:
                keys.setdefault(vocab_key(label), len(keys))
    return keys


def encode(juniors: list[Applicant], seniors: list[Applicant]) -> tuple[Side, Side]:
    """Encode both sides against shared vocabularies so codes and bits are comparable."""
    departments: dict[str, int] = {}
    for person in (*juniors, *seniors):
        departments.setdefault(vocab_key(person.department_key), len(departments))
    professions = _universe([p.professions for p in juniors], [p.professions for p in seniors],
                            [p.possibly_professions for p in juniors], [p.possibly_professions for p in seniors])
    # Only the organisations an unsure answer touches need a bit: theirs and the known ones they may be.
    touched: dict[str, int] = {}
    for person in (*juniors, *seniors):
        if person.possibly_departments:
            for name in (person.department_key, *person.possibly_departments):
                touched.setdefault(vocab_key(name), len(touched))
    unsure_professions = any(p.possibly_professions for p in (*juniors, *seniors))
    aims = _universe([p.aims for p in juniors], [p.aims for p in seniors])
    networks = _universe([p.networks for p in juniors], [p.networks for p in seniors])

    def side(people: list[Applicant]) -> Side:
        aim_bits = bitsets([p.aims for p in people], aims)
        profession_bits = bitsets([p.professions for p in people], professions)
        could_be = bitsets([[name for name in (p.department_key, *p.possibly_departments) if vocab_key(name) in touched]
                            for p in people], touched)
        possible = bitsets([(*p.professions, *p.possibly_professions) for p in people], professions) if (
            unsure_professions) else None
        return Side(
            people=people,
            rank=np.array([p.rank for p in people], dtype=np.int16),
            department=np.array([departments[vocab_key(p.department_key)] for p in people], dtype=np.int32),
            professions=profession_bits,
            aims=aim_bits,
            aim_count=np.bitwise_count(aim_bits).sum(axis=1).astype(np.int32),
            networks=bitsets([p.networks for p in people], networks),
            could_be=could_be,
            possible_professions=possible,
        )

    return side(juniors), side(seniors)
