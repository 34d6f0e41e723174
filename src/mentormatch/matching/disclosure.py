"""Statistical disclosure control for published counts: primary and secondary cell suppression.

A report is a set of counts ("cells") tied by sums: a table's column adds up to a headline total,
juniors = juniors matched + juniors without a partner, and so on; and by limits (one count at most k
times another: a senior grade's pairs are at least its seniors matched, and at most so many each).
Some cells are published, others are only implied (juniors without a partner in one grade is the
difference of two published cells); a few implied cells only link others (the pairs of one junior
grade with one senior grade) and are not protected themselves. Following GSS practice, a count from 1 to `smallest - 1` must not be published, and must not be
recoverable from what is published by any arithmetic. So:

1. Primary suppression: every published cell from 1 to `smallest - 1` is hidden.
2. A small cell, published or implied, is *exposed* when the published cells and the sums pin it to
   one value: the smallest and largest values it can take, over whole numbers of at least 0 that
   satisfy every sum, are equal (two integer programs).
3. Secondary suppression: while a small cell is exposed, hide one more published cell on the edge of
   the unknowns around it (a cell sharing a sum with it, or with the hidden and implied cells it is
   tied to): among those whose hiding frees the small cell, one in a sum with it if any, then one in a
   sum with another small cell (hiding it serves both), then the one that matters least (inner cells
   before totals, then the smallest count); when none frees it alone, the least important (one in a
   sum with a small cell first), and look again. So little is lost. Hiding a cell only ever widens what the others can be, so a cell once safe stays safe and the loop ends.
4. A hidden count that the rest still pins to one value is shown after all: it protects nothing.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from mentormatch.errors import MentormatchError


class Suppressed(str):
    """A count withheld for disclosure control ("[c]"): aligned like the numbers around it, never plotted."""

    __slots__ = ()


SUPPRESSED = Suppressed("[c]")  # how every withheld count is shown, in every output

Key = Hashable


@dataclass
class Cells:
    """The counts of a report and the sums that tie them."""

    values: dict[Key, int] = field(default_factory=dict)
    published: set[Key] = field(default_factory=set)
    keep: dict[Key, int] = field(default_factory=dict)  # how much a published cell matters: hidden last if high
    sums: list[tuple[Key, tuple[Key, ...]]] = field(default_factory=list)  # total = sum of parts
    limits: list[tuple[Key, Key, int]] = field(default_factory=list)  # (a, b, k): a <= k * b
    unprotected: set[Key] = field(default_factory=set)  # unpublished links, not counts of anything published

    def add(self, key: Key, value: int, *, published: bool = True, keep: int = 0, protect: bool = True) -> Key:
        """Add a cell (once: adding a key again keeps the first); cells with a higher `keep` are hidden last.
        An unpublished cell with `protect` False only links others: it may be worked out."""
        if key not in self.values:
            self.values[key] = int(value)
            if published:
                self.published.add(key)
            elif not protect:
                self.unprotected.add(key)
            self.keep[key] = keep
        return key

    def tie(self, total: Key, parts: Sequence[Key]) -> None:
        """Record that `total` is the sum of `parts`."""
        self.sums.append((total, tuple(parts)))

    def at_most(self, smaller: Key, larger: Key, factor: int = 1) -> None:
        """Record that `smaller` is at most `factor` times `larger` (what anyone knows of, say, pairs per senior)."""
        self.limits.append((smaller, larger, factor))

    def links(self) -> list[tuple[Key, ...]]:
        """Each sum and each limit as the cells it ties together."""
        return [(total, *parts) for total, parts in self.sums] + [(a, b) for a, b, _k in self.limits]


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
    constraints = [LinearConstraint(matrix, 0, 0)] if cells.sums else []
    if cells.limits:
        limit = np.zeros((len(cells.limits), len(keys)))
        for row, (smaller, larger, factor) in enumerate(cells.limits):
            limit[row, at[smaller]] += 1
            limit[row, at[larger]] -= factor
        constraints.append(LinearConstraint(limit, -np.inf, 0))
    found = []
    for sign in (1, -1):
        result = milp(sign * goal, constraints=constraints, integrality=np.ones(len(keys)), bounds=Bounds(low, high))
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
        for members in cells.links():
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
    small = [k for k, v in cells.values.items() if 0 < v < smallest and k not in cells.unprotected]
    hidden = {k for k in small if k in cells.published}
    links, small_set = cells.links(), set(small)
    near_small = {k for members in links if small_set.intersection(members) for k in members}
    for key in small:
        near = {k for members in links if key in members for k in members}  # in a sum with it
        while (bounds := interval(cells, hidden, key))[0] == bounds[1]:
            candidates = sorted(_candidates(cells, key, hidden), key=lambda k: (
                k not in near, k not in near_small, cells.keep[k], cells.values[k], str(k)))
            if not candidates:
                break  # nothing left to hide around it: every cell near it is hidden already
            enough = (k for k in candidates if (low_high := interval(cells, hidden | {k}, key))[0] != low_high[1])
            fallback = min(candidates, key=lambda k: (cells.keep[k], k not in near_small, cells.values[k], str(k)))
            hidden.add(next(enough, fallback))
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
