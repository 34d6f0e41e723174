"""What more seniors would add to a round: exactly how many more pairs, and which juniors they could still help.

The hard rules see only a person's grade, department and professions (and do-not-match pairs), so
juniors alike in those are interchangeable, and so are seniors: the round becomes a small flow
network of *types* — source -> junior type (how many such juniors) -> senior type it may pair with ->
sink (the type's free places). Its maximum flow is the most pairs possible, the same number the
optimiser reaches; a group of new seniors is one more node, joined to the junior types it may partner
and to the sink by its places. The extra pairs they make is the difference in maximum flow: exact, and
far cheaper than matching the round again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mentormatch.config import Config
from mentormatch.matching.encoding import Side, encode
from mentormatch.matching.parallel import BLOCK_CELLS
from mentormatch.matching.pipeline import MatchResult
from mentormatch.matching.rules import rule_masks
from mentormatch.models import Applicant, Role

Recruits = Sequence[tuple[np.ndarray, int]]  # per group of new seniors: (junior types they may partner, places)


@dataclass
class Flow:
    """One maximum flow of the network: its value, and what it sent to each group of new seniors."""

    value: int
    sent: list[np.ndarray]  # per group: juniors of each type it partners
    graph: Any = field(repr=False)  # scipy sparse matrices
    flow: Any = field(repr=False)


@dataclass
class Network:
    """The juniors and seniors in play as types, and which junior type may pair with which senior type."""

    juniors: list[Applicant]  # one junior of each type
    counts: np.ndarray  # juniors of each type
    places: np.ndarray  # free places of each senior type (places held by locked pairs taken out)
    rows: np.ndarray  # allowed type pairs: junior type
    cols: np.ndarray  # allowed type pairs: senior type
    _most: int | None = field(default=None, repr=False)

    def solve(self, recruits: Recruits = ()) -> Flow:
        """The maximum flow with these groups of new seniors added."""
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import maximum_flow

        n_j, n_s = self.counts.size, self.places.size
        sink = 1 + n_j + n_s + len(recruits)
        tails = [np.zeros(n_j, dtype=np.int64), 1 + self.rows, 1 + n_j + np.arange(n_s)]
        heads = [1 + np.arange(n_j), 1 + n_j + self.cols, np.full(n_s, sink)]
        caps = [self.counts, self.counts[self.rows], self.places]
        members = []
        for k, (allowed, places) in enumerate(recruits):
            group = 1 + n_j + n_s + k
            members.append(np.flatnonzero(allowed))
            tails += [1 + members[-1], np.array([group])]
            heads += [np.full(members[-1].size, group), np.array([sink])]
            caps += [self.counts[members[-1]], np.array([places])]
        graph = csr_matrix((np.concatenate(caps).astype(np.int32), (np.concatenate(tails), np.concatenate(heads))),
                           shape=(sink + 1, sink + 1))
        found = maximum_flow(graph, 0, sink)
        flow = found.flow.tocoo()  # forward arcs carry the flow, reverse arcs its negative
        sent = []
        for k in range(len(recruits)):
            hit = (flow.col == 1 + n_j + n_s + k) & (flow.data > 0)  # only juniors have arcs into a group
            column = np.zeros(n_j, dtype=np.int64)
            column[flow.row[hit] - 1] = flow.data[hit]
            sent.append(column)
        return Flow(int(found.flow_value), sent, graph, found.flow)

    @property
    def most_pairs(self) -> int:
        """The most pairs the round allows (besides locked pairs)."""
        if self._most is None:
            self._most = self.solve().value
        return self._most

    @property
    def unpaired(self) -> int:
        """Juniors in play left without a partner when the most pairs possible are made."""
        return int(self.counts.sum()) - self.most_pairs

    def extra_pairs(self, recruits: Recruits) -> int:
        """How many more pairs the round would make with these groups of new seniors added."""
        return self.solve(recruits).value - self.most_pairs if recruits else 0

    def open_juniors(self, recruits: Recruits = ()) -> np.ndarray:
        """Junior types a further new senior could still help pair, once these groups are added (bool per type).

        They are the types the source reaches in the residual network of a maximum flow: unpaired juniors,
        and juniors who could hand their partner over to one along a chain of hand-overs. Seniors joined to
        no open type add no pair, and seniors joined to some add at most as many pairs as those types hold.
        """
        from scipy.sparse.csgraph import breadth_first_order

        found = self.solve(recruits)
        residual = (found.graph - found.flow).tocsr()  # capacity left, and flow that could be sent back
        residual.data = (residual.data > 0).astype(np.int8)
        residual.eliminate_zeros()
        reached = breadth_first_order(residual, 0, directed=True, return_predecessors=False)
        juniors = reached[(reached >= 1) & (reached <= self.counts.size)] - 1
        opened = np.zeros(self.counts.size, dtype=bool)
        opened[juniors] = True
        return opened


def _types(side: Side, single: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(one index per type, each person's type): alike in grade, department and professions; `single` apart."""
    key = np.column_stack([side.rank.astype(np.int64), side.department.astype(np.int64),
                           side.professions.view(np.int64), np.where(single, np.arange(single.size) + 1, 0)])
    _keys, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    return first, inverse.ravel()


def network_of(result: MatchResult) -> Network:
    """The round as a flow network of types; locked pairs are left out, with the places they hold."""
    space = result.space
    assert space is not None
    juniors, seniors = space.juniors, space.seniors
    junior_at = {p.email: i for i, p in enumerate(juniors.people)}
    senior_at = {p.email: i for i, p in enumerate(seniors.people)}
    in_play = np.ones(len(juniors.people), dtype=bool)
    free = np.array([p.capacity for p in seniors.people], dtype=np.int64)
    for pairing in result.pairings:
        if pairing.locked or pairing.kept:
            in_play[junior_at[pairing.junior.email]] = False
            free[senior_at[pairing.senior.email]] -= 1
    # Someone on a do-not-match pair is a type of their own: the pair's rule then holds between the two types.
    single_j = np.zeros(len(juniors.people), dtype=bool)
    single_s = np.zeros(len(seniors.people), dtype=bool)
    for j, s in space.do_not_match:
        single_j[j] = single_s[s] = True
    kept = np.flatnonzero(in_play)
    first_j, type_j = _types(juniors.take(kept), single_j[kept])
    first_s, type_s = _types(seniors, single_s) if seniors.people else (np.empty(0, np.intp), np.empty(0, np.intp))
    reps_j, reps_s = kept[first_j], first_s
    rows, cols = [], []
    step = max(1, BLOCK_CELLS // max(1, reps_s.size))
    for start in range(0, reps_j.size if reps_s.size else 0, step):
        masks, _score = space.evaluate(reps_j[start:start + step], reps_s)
        r, c = np.nonzero(masks.feasible)
        rows.append(r + start)
        cols.append(c)
    places = np.bincount(type_s, weights=np.maximum(free, 0), minlength=first_s.size).astype(np.int64)
    return Network([juniors.people[j] for j in reps_j.tolist()],
                   np.bincount(type_j, minlength=first_j.size).astype(np.int64), places,
                   np.concatenate(rows).astype(np.int64) if rows else np.empty(0, np.int64),
                   np.concatenate(cols).astype(np.int64) if cols else np.empty(0, np.int64))


def _hypothetical(grade: str, department_key: str, professions: tuple[str, ...]) -> Applicant:
    return Applicant(row=0, email="hypothetical@recruit.invalid", name="", role=Role.SENIOR, grade=grade,
                     department=department_key, department_key=department_key, professions=professions)


def rule_columns(juniors: list[Applicant], grades: Sequence[str], department_keys: Sequence[str],
                 professions: Sequence[str], config: Config) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which juniors a senior of each grade, each department and each profession may partner, by that rule alone.

    Three boolean matrices (juniors x grades, x departments, x professions); a senior of grade g, department
    d and profession p may partner a junior when all three say so (do-not-match answers aside).
    """
    unused = "recruit 0x7f no such answer"  # a department and profession no junior has
    anyone = grades[0] if grades else "SCS4"
    seniors = ([_hypothetical(g, unused, (unused,)) for g in grades]
               + [_hypothetical(anyone, d, (unused,)) for d in department_keys]
               + [_hypothetical(anyone, unused, (p,)) for p in professions])
    if not juniors or not seniors:  # nobody to pair, or nothing asked: each rule's matrix, with no rows or no columns
        g, d, p = (np.ones((len(juniors), n), dtype=bool) for n in (len(grades), len(department_keys), len(professions)))
        return g, d, p
    junior_side, senior_side = encode(juniors, seniors)
    masks = rule_masks(junior_side, senior_side, config, np.ones((len(juniors), len(seniors)), dtype=bool))
    g, d = len(grades), len(department_keys)
    return masks.grade_ok[:, :g], masks.department_ok[:, g:g + d], masks.profession_ok[:, g + d:]
