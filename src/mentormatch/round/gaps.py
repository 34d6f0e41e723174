"""Recruitment advice: which seniors, if they applied, would partner the juniors left unmatched."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mentormatch.config import Rule
from mentormatch.matching.pipeline import MatchResult, match_validated
from mentormatch.matching.reasons import professions_text
from mentormatch.matching.rules import RULE_LABELS
from mentormatch.models import Applicant, Role, RoundInputs
from mentormatch.vocab.grades import BY_CODE, BY_RANK, LADDER
from mentormatch.vocab.professions import short_name

TOP_RANK = LADDER[-1].rank
PAIRWISE_LIMIT = 200  # above this many unmatched juniors, only single profiles are candidates


@dataclass(frozen=True)
class Need:
    """What a partner for one unmatched junior must be, and how close the round came."""

    junior: Applicant
    min_rank: int
    max_rank: int
    avoid_department: str | None
    avoid_professions: tuple[str, ...]
    nearest_miss: str


@dataclass(frozen=True)
class RecruitLine:
    """Seniors of one profile, and the juniors they would partner."""

    seniors: int
    rank: int
    departments: tuple[str, ...]
    professions: tuple[str, ...]
    juniors: tuple[Applicant, ...]
    extra_pairs: int  # pairs gained when these seniors are added, for these juniors only, and the optimiser re-run

    @property
    def verified(self) -> bool:
        """True when the re-run paired every junior the line names.

        In the re-run the recruits may partner only the line's juniors, and the real seniors alone
        cannot make more pairs than before, so a gain of n pairs means the n named juniors were paired.
        """
        return self.extra_pairs >= len(self.juniors)

    def describe(self) -> str:
        """'4 seniors at Grade 6 or above, outside DWP and outside GSR, would match 7 juniors'."""
        parts = [f"{self.seniors} senior{'s' if self.seniors != 1 else ''} at {BY_RANK[self.rank].label} or above"]
        if self.departments:
            parts.append(f"outside {_join(self.departments)}")
        if self.professions:
            parts.append(f"outside {_join([short_name(p) for p in self.professions])}")
        juniors = len(self.juniors)
        return f"{', '.join(parts)}, would match {juniors} junior{'s' if juniors != 1 else ''}"


@dataclass
class GapReport:
    """Unmatched juniors' needs, the shopping list that covers them, and its verification."""

    result: MatchResult
    needs: list[Need]
    lines: list[RecruitLine]
    unreachable: list[Need]
    extra_pairs_all: int


def _join(items: list[str] | tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _needs(result: MatchResult) -> list[Need]:
    space, config = result.space, result.config
    assert space is not None
    unmatched = {u.email for u in result.unmatched if u.role == "junior" and u.code != "excluded"}
    partners: dict[str, list[str]] = {}
    for pairing in result.pairings:
        partners.setdefault(pairing.senior.email, []).append(pairing.junior.name)
    floor = BY_CODE[config.round.senior_min_grade].rank
    needs = []
    for j, person in enumerate(space.juniors.people):
        if person.email not in unmatched:
            continue
        low = max(person.rank + config.round.min_grade_gap, floor)
        high = min(person.rank + config.round.max_grade_gap, TOP_RANK) if config.round.max_grade_gap else TOP_RANK
        needs.append(Need(
            person, low, high,
            person.department_key if config.rules.department is Rule.HARD else None,
            person.professions if config.rules.profession is Rule.HARD else (),
            _nearest_miss(j, result, partners)))
    return needs


def _nearest_miss(j: int, result: MatchResult, partners: dict[str, list[str]]) -> str:
    """The best senior blocked only by capacity, else the best one blocked by a single rule."""
    space = result.space
    assert space is not None
    masks, score = space.row(j)
    seniors = space.seniors.people
    feasible = np.flatnonzero(masks.feasible)
    if feasible.size:
        s = int(feasible[np.argmax(score[feasible])])
        taken = ", ".join(partners.get(seniors[s].email, [])) or "others"
        return f"{seniors[s].name} ({seniors[s].grade_label}, {seniors[s].department}) fits but is paired with {taken}"
    broken = np.stack([~getattr(masks, name) for name, _label in RULE_LABELS])
    single = np.flatnonzero(broken.sum(axis=0) == 1)
    if not single.size:
        return "no senior is within one rule of fitting"
    s = int(single[np.argmax(score[single])])
    rule = RULE_LABELS[int(np.argmax(broken[:, s]))][1]
    return f"{seniors[s].name} ({seniors[s].grade_label}, {seniors[s].department}) would fit but for: {rule}"


def _cover(needs: list[Need]) -> list[list[int]]:
    """Greedy set cover of the needs by senior profiles; each group shares one profile.

    Candidate profiles are each need's own requirement, for each grade the union of the
    requirements of every need that grade could partner, and, for up to PAIRWISE_LIMIT needs, the
    union of every two compatible requirements. Greedy, lowest grade first (junior seniors are
    easier to recruit): at the lowest grade an uncovered need asks for, take the profile that covers
    the most uncovered needs (ties: fewer departments and professions to avoid).
    """
    departments = {d: i for i, d in enumerate(sorted({n.avoid_department for n in needs if n.avoid_department}))}
    professions = {p: i for i, p in enumerate(sorted({p for n in needs for p in n.avoid_professions}))}
    low = np.array([n.min_rank for n in needs])
    high = np.array([n.max_rank for n in needs])
    dept = np.array([departments.get(n.avoid_department, -1) if n.avoid_department else -1 for n in needs])
    prof = np.zeros((len(needs), max(1, len(professions))), dtype=bool)
    for i, need in enumerate(needs):
        prof[i, [professions[p] for p in need.avoid_professions]] = True
    singles = [(i,) for i in range(len(needs))]
    pairs = [(a, b) for a in range(len(needs)) for b in range(a + 1, len(needs))
             if max(low[a], low[b]) <= min(high[a], high[b])] if len(needs) <= PAIRWISE_LIMIT else []
    by_grade = [tuple(np.flatnonzero((low <= rank) & (rank <= high))) for rank in sorted(set(low.tolist()))]
    candidates = []
    for members in [*singles, *by_grade, *pairs]:
        rank = max(low[i] for i in members)  # the lowest grade every member can be partnered at
        avoid_d = {int(dept[i]) for i in members if dept[i] >= 0}
        avoid_p = np.logical_or.reduce([prof[i] for i in members])
        covers = (low <= rank) & (rank <= high) & ((dept < 0) | np.isin(dept, list(avoid_d))) & ~(prof & ~avoid_p).any(axis=1)
        candidates.append((covers, len(avoid_d) + int(avoid_p.sum()), rank))
    uncovered = np.ones(len(needs), dtype=bool)
    groups = []
    while uncovered.any():
        grade = low[uncovered].min()
        covers, _size, _rank = max((c for c in candidates if c[2] == grade),
                                   key=lambda c: (int((c[0] & uncovered).sum()), -c[1]))
        chosen = np.flatnonzero(covers & uncovered)
        groups.append([int(i) for i in chosen])
        uncovered[chosen] = False
    return groups


def _recruits(line_number: int, count: int, rank: int, capacity: int) -> list[Applicant]:
    """Synthetic seniors of a profile: a department and profession no junior has (already normalised)."""
    return [Applicant(row=0, email=f"recruit-{line_number}-{k}@recruit.invalid", name=f"Recruit {line_number}.{k}",
                      role=Role.SENIOR, grade=BY_RANK[rank].code, department=f"Recruit {line_number}",
                      department_key=f"recruit {line_number}", professions=(f"Recruit {line_number}",),
                      capacity=capacity, barriers=None, eoi="", interests=(), networks=(), exclusions=(),
                      submitted=None)
            for k in range(1, count + 1)]


def find_gaps(result: MatchResult) -> GapReport:
    """Describe, group and verify the seniors who would partner the unmatched juniors."""
    needs = _needs(result)
    reachable = [n for n in needs if n.min_rank <= n.max_rank]
    capacity = result.config.round.default_capacity
    base_pairs = len(result.pairings)
    juniors = [person.email for person in result.validation.juniors]
    lines, everyone, fences = [], [], []
    for number, group in enumerate(_cover(reachable) if reachable else [], start=1):
        members = [reachable[i] for i in group]
        rank = max(n.min_rank for n in members)
        seniors = math.ceil(len(members) / capacity)
        recruits = _recruits(number, seniors, rank, capacity)
        named = {n.junior.email for n in members}
        fence = [(junior, recruit.email) for recruit in recruits for junior in juniors if junior not in named]
        everyone += recruits
        fences += fence
        rerun = match_validated(result.validation, result.config, RoundInputs(forbidden=tuple(fence)),
                                extra_seniors=recruits)
        lines.append(RecruitLine(
            seniors, rank,
            tuple(sorted({n.avoid_department for n in members if n.avoid_department})),
            tuple(sorted({p for n in members for p in n.avoid_professions})),
            tuple(n.junior for n in members), len(rerun.pairings) - base_pairs))
    all_pairs = len(match_validated(result.validation, result.config, RoundInputs(forbidden=tuple(fences)),
                                    extra_seniors=everyone).pairings) if everyone else base_pairs
    return GapReport(result, needs, lines, [n for n in needs if n.min_rank > n.max_rank], all_pairs - base_pairs)


def need_text(need: Need) -> str:
    """'Grade 7 or above, outside DfT, outside GSR' for one junior."""
    if need.min_rank > need.max_rank:
        return "no grade on the ladder is far enough above them"
    grades = BY_RANK[need.min_rank].label + (" or above" if need.max_rank == TOP_RANK else f" to {BY_RANK[need.max_rank].label}")
    parts = [grades]
    if need.avoid_department:
        parts.append(f"outside {need.avoid_department}")
    if need.avoid_professions:
        parts.append(f"outside {professions_text(need.junior)}")
    return ", ".join(parts)
