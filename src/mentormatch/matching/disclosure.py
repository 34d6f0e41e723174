"""Statistical disclosure control for published counts: primary and secondary cell suppression.

A report is a set of counts ("cells") tied by sums: a table's column adds up to a headline total,
juniors = juniors matched + juniors without a partner, and so on. Some cells are published, others
are only implied (juniors without a partner in one grade is the difference of two published cells).
Following GSS practice, a count from 1 to `smallest - 1` must not be published, and must not be
recoverable from what is published by any arithmetic. So:

1. Primary suppression: every published cell from 1 to `smallest - 1` is hidden.
2. A small cell, published or implied, is *exposed* when the published cells and the sums pin it to
   one value: the smallest and largest values it can take, over whole numbers of at least 0 that
   satisfy every sum, are equal (two integer programs).
3. Secondary suppression: while a small cell is exposed, hide one more published cell on the edge of
   the unknowns around it (a cell sharing a sum with it, or with the hidden and implied cells it is
   tied to), preferring the cells that matter least (inner cells before totals) and then the smallest
   count, so little is lost. Hiding a cell only ever
   widens what the others can be, so a cell once safe stays safe and the loop ends.
4. A hidden count that the rest still pins to one value is shown after all: it protects nothing.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from mentormatch.errors import MentormatchError

Key = Hashable


@dataclass
class Cells:
    """The counts of a report and the sums that tie them."""

    values: dict[Key, int] = field(default_factory=dict)
    published: set[Key] = field(default_factory=set)
    keep: dict[Key, int] = field(default_factory=dict)  # how much a published cell matters: hidden last if high
    sums: list[tuple[Key, tuple[Key, ...]]] = field(default_factory=list)  # total = sum of parts

    def add(self, key: Key, value: int, *, published: bool = True, keep: int = 0) -> Key:
        """Add a cell (once: adding a key again keeps the first); cells with a higher `keep` are hidden last."""
        if key not in self.values:
            self.values[key] = int(value)
            if published:
                self.published.add(key)
            self.keep[key] = keep
        return key

    def tie(self, total: Key, parts: Sequence[Key]) -> None:
        """Record that `total` is the sum of `parts`."""
        self.sums.append((total, tuple(parts)))


def interval(cells: Cells, hidden: set[Key], key: Key) -> tuple[int, int]:
    """The smallest and largest whole value `key` can take given the published, unhidden cells and the sums."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    keys = list(cells.values)
    at = {k: i for i, k in enumerate(keys)}
    matrix = np.zeros((len(cells.sums), len(keys)))
    for row, (total, parts) in enumerate(cells.sums):
        matrix[row, at[total]] += 1
        for part in parts:
            matrix[row, at[part]] -= 1
    known = [k in cells.published and k not in hidden for k in keys]
    low = np.array([cells.values[k] if seen else 0 for k, seen in zip(keys, known, strict=True)], dtype=float)
    high = np.array([cells.values[k] if seen else np.inf for k, seen in zip(keys, known, strict=True)], dtype=float)
    goal = np.zeros(len(keys))
    goal[at[key]] = 1
    found = []
    for sign in (1, -1):
        result = milp(sign * goal, constraints=LinearConstraint(matrix, 0, 0) if cells.sums else (),
                      integrality=np.ones(len(keys)), bounds=Bounds(low, high))
        if result.status == 0:
            found.append(round(sign * result.fun))
        elif sign == -1 and result.status in (3, 4):  # nothing bounds it from above: not pinned
            found.append(10**9)
        else:  # the shown figures contradict each other: suppressing on them would protect nothing
            raise MentormatchError("The report's figures do not add up (was the workbook edited by hand?): run "
                                   "`mentormatch check -o` on it and report on the checked workbook.")
    return found[0], found[1]


def _candidates(cells: Cells, key: Key, hidden: set[Key]) -> list[Key]:
    """Published, unhidden cells that share a sum with the unknown cells around `key`.

    The unknowns around a cell are those reached from it through sums, passing only through hidden and
    implied cells: hiding a cell on their edge is what can leave the small cell's sums unsolved.
    """
    unknown = {key}
    frontier = [key]
    edge: dict[Key, None] = {}
    while frontier:
        reached = set(frontier)
        frontier = []
        for total, parts in cells.sums:
            members = (total, *parts)
            if not reached & set(members):
                continue
            for member in members:
                if member in cells.published and member not in hidden:
                    edge[member] = None
                elif member not in unknown:
                    unknown.add(member)
                    frontier.append(member)
    return list(edge)


def suppress(cells: Cells, smallest: int) -> set[Key]:
    """The published cells to hide so that no count from 1 to `smallest - 1` is shown or can be worked out."""
    small = [k for k, v in cells.values.items() if 0 < v < smallest]
    hidden = {k for k in small if k in cells.published}
    for key in small:
        while (bounds := interval(cells, hidden, key))[0] == bounds[1]:
            candidates = _candidates(cells, key, hidden)
            if not candidates:
                break  # nothing left to hide around it: every cell near it is hidden already
            hidden.add(min(candidates, key=lambda k: (cells.keep[k], cells.values[k], str(k))))
    # A hidden count the rest pins down anyway protects nothing: show it (showing what can already be
    # worked out changes nothing anyone can work out).
    for key in sorted(hidden - set(small), key=str):
        low, high = interval(cells, hidden, key)
        if low == high:
            hidden.discard(key)
    return hidden


def shown(cells: Cells, hidden: set[Key], marker: str) -> Mapping[Key, object]:
    """Each published cell as published: its count, or `marker` where it is hidden."""
    return {k: marker if k in hidden else v for k, v in cells.values.items() if k in cells.published}
