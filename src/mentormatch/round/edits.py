"""The one change to a hand-edited pairing that recovers most of what the edits cost.

Three kinds of change are tried, each scored by the pairs it adds (a pair that breaks a rule does not
count) and then by the score it adds:

1. swap the seniors of an edited or rule-breaking row and any other row;
2. give an edited or rule-breaking row's junior a senior with a place left;
3. pair a junior left without a partner with a senior who has a place left (or with the senior of a
   row that breaks a rule).

Only rows the edits touched are moved, so the search is the edited rows times the round, not the
round squared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from mentormatch.matching.pairspace import PairSpace
from mentormatch.models import Applicant


class Row(Protocol):
    """What the search needs of an edited row."""

    @property
    def row(self) -> int: ...
    @property
    def junior(self) -> str: ...
    @property
    def senior(self) -> str: ...
    @property
    def score(self) -> int | None: ...
    @property
    def stale(self) -> bool: ...
    @property
    def valid(self) -> bool: ...


@dataclass(frozen=True)
class Swap:
    """One change and what it would recover."""

    description: str
    rows: tuple[int, ...]
    pairs_gain: int
    score_gain: int


def _fit(space: PairSpace, juniors: Sequence[int], seniors: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """(allowed, score as a whole number) of each (junior, senior) pair."""
    if not len(juniors):
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=np.int64)
    masks, score = space.evaluate(np.asarray(juniors, dtype=np.intp), np.asarray(seniors, dtype=np.intp), paired=True)
    return masks.feasible, np.where(masks.feasible, np.rint(score), 0).astype(np.int64)


def best_swap(rows: Sequence[Row], juniors: Sequence[Applicant], seniors: Sequence[Applicant],
              junior_at: dict[str, int], senior_at: dict[str, int], space: PairSpace,
              shortlisted: Collection[str] | None = None) -> Swap | None:
    """The single change that adds the most pairs, then the most score; None when nothing helps."""
    known = [r for r in rows if r.junior in junior_at and r.senior in senior_at]
    worth = {r.row: (int(r.valid), r.score or 0 if r.valid else 0) for r in known}
    touched = [r for r in known if r.stale or not r.valid]
    taken = Counter(r.senior for r in known)  # a place in a rule-breaking row is still taken: replace that row
    free = [s for s, person in enumerate(seniors) if person.capacity > taken[person.email]]
    paired = {r.junior for r in rows}
    waiting = [j for j, person in enumerate(juniors) if person.email not in paired
               and (shortlisted is None or person.email in shortlisted)]
    best: tuple[int, int, Swap] | None = None

    def consider(pairs_gain: int, score_gain: int, text: str, at: tuple[int, ...]) -> None:
        nonlocal best
        if (pairs_gain, score_gain) > (0, 0) and (best is None or (pairs_gain, score_gain) > best[:2]):
            best = (pairs_gain, score_gain, Swap(text, at, pairs_gain, score_gain))

    for row in touched:
        j, s = junior_at[row.junior], senior_at[row.senior]
        here = worth[row.row]
        others = [r for r in known if r.row != row.row]
        if others:
            mine, mine_score = _fit(space, [j] * len(others), [senior_at[r.senior] for r in others])
            theirs, theirs_score = _fit(space, [junior_at[r.junior] for r in others], [s] * len(others))
            for k, other in enumerate(others):
                there = worth[other.row]
                consider(int(mine[k]) + int(theirs[k]) - here[0] - there[0],
                         int(mine_score[k] + theirs_score[k]) - here[1] - there[1],
                         f"swap the seniors of rows {row.row} and {other.row}", (row.row, other.row))
        if free:
            fits, fit_score = _fit(space, [j] * len(free), free)
            for k, senior in enumerate(free):
                if senior != s:
                    consider(int(fits[k]) - here[0], int(fit_score[k]) - here[1],
                             f"give row {row.row}'s junior {seniors[senior].email} instead", (row.row,))
    for junior in waiting:
        targets = [(s, None) for s in free] + [(senior_at[r.senior], r) for r in known if not r.valid]
        if not targets:
            continue
        fits, fit_score = _fit(space, [junior] * len(targets), [s for s, _r in targets])
        for k, (senior, replaced) in enumerate(targets):
            where = f" in place of row {replaced.row}'s junior" if replaced else ""
            consider(int(fits[k]), int(fit_score[k]),
                     f"pair {juniors[junior].email} with {seniors[senior].email}{where}",
                     (replaced.row,) if replaced else ())
    return None if best is None else best[2]
