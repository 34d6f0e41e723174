"""Recruitable profiles of senior: the departments and professions to recruit from, and the search for them.

The search is steps 2 to 5 of `round.gaps` (see its docstring): candidates, then lines lowest grade
first, each the profile that pairs the most more juniors, widened while that count holds.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from mentormatch.config import Rule
from mentormatch.matching.pipeline import MatchResult
from mentormatch.matching.recruits import Network
from mentormatch.validation.answers import FieldParser
from mentormatch.vocab.grades import BY_RANK, LADDER
from mentormatch.vocab.professions import analytical_professions, short_name

TOP_RANK = LADDER[-1].rank
MAX_LINES = 5  # lines recommended
MAX_NAMED = 3  # departments, and professions, named on one line
MAX_BUILT = 12  # lines worked out before the largest are kept
MAX_TRIED = 40  # exact counts per line; the profiles not tried could help fewer juniors than one tried
DEPARTMENT_POOL = 12
PROFESSION_POOL = 10
COMMON_SHARE = 0.05  # a department or profession held by this share of the applicants is tried first
# Large departments, offered after the round's own (names as the organisations register spells them).
LARGE_DEPARTMENTS = ("HMRC", "DWP", "MoJ", "Home Office", "MOD", "ONS", "DfE", "DHSC", "HMT", "Cabinet Office",
                     "DfT", "Defra")


def _or(items: list[str] | tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


@dataclass(frozen=True)
class Profile:
    """Seniors to recruit: a grade band, and the departments and professions to recruit from (none: any)."""

    low: int
    high: int
    departments: tuple[str, ...]
    professions: tuple[str, ...]
    department_keys: tuple[str, ...] = ()  # what the department rule compares, one per department

    @property
    def grades(self) -> str:
        """'Grade 7', 'Grade 7 or Grade 6', 'Deputy Director or above'."""
        if self.low == self.high:
            return BY_RANK[self.low].label
        if self.high == TOP_RANK:
            return f"{BY_RANK[self.low].label} or above"
        return _or([BY_RANK[rank].label for rank in range(self.low, self.high + 1)])

    def text(self) -> str:
        """'at Grade 7 or above, from DWP, HMRC or DfE, in GES or GSR'."""
        parts = [f"at {self.grades}"]
        if self.departments:
            parts.append(f"from {_or(self.departments)}")
        if self.professions:
            parts.append(f"in {_or([short_name(p) for p in self.professions])}")
        if not self.departments and not self.professions:
            parts.append("any department or profession")
        elif not self.departments:
            parts.append("any department")
        elif not self.professions:
            parts.append("any profession")
        return ", ".join(parts)


@dataclass
class Rules:
    """What the hard rules allow some juniors (one per type, or every junior in play), and the candidates."""

    floor: int
    departments: list[tuple[str, str]]  # (name, key); empty when any department will do
    professions: list[str]
    common: tuple[int, int]  # how many of the departments and professions (the first ones) are common
    grade_ok: np.ndarray
    department_ok: np.ndarray
    profession_ok: np.ndarray

    def allowed(self, low: int, high: int, ds: tuple[int, ...], ps: tuple[int, ...]) -> np.ndarray:
        """The juniors every senior of the profile may partner."""
        return (self.grade_ok[:, low - self.floor:high - self.floor + 1].all(axis=1)
                & self.department_ok[:, list(ds)].all(axis=1) & self.profession_ok[:, list(ps)].all(axis=1))

    def profile(self, low: int, high: int, ds: tuple[int, ...], ps: tuple[int, ...]) -> Profile:
        """The profile in words."""
        return Profile(low, high, tuple(self.departments[d][0] for d in ds), tuple(self.professions[p] for p in ps),
                       tuple(self.departments[d][1] for d in ds))


Candidate = tuple[int, int, tuple[int, ...], tuple[int, ...]]  # (low rank, high rank, departments, professions)
Chosen = list[tuple[np.ndarray, int]]  # lines so far: (junior types their seniors may partner, places)


def pools(result: MatchResult) -> tuple[list[tuple[str, str]], list[str], tuple[int, int]]:
    """Candidate departments (name, key) and professions, the likeliest to recruit from first; and how many of
    each are common (held by COMMON_SHARE of the round's applicants, or a large department)."""
    config, applicants = result.config, result.validation.applicants
    common_count = max(2, math.ceil(COMMON_SHARE * len(applicants)))

    def ranked(counts: Counter[str]) -> tuple[list[str], list[str]]:
        order = sorted(counts, key=lambda item: (-counts[item], item))
        return [i for i in order if counts[i] >= common_count], [i for i in order if counts[i] < common_count]

    departments: list[tuple[str, str]] = []
    common = [0, 0]
    if config.rules.department is Rule.HARD:
        keys = Counter(a.department_key for a in applicants)
        names = {key: Counter(a.department for a in applicants if a.department_key == key).most_common(1)[0][0]
                 for key in keys}
        usual, rare = ranked(keys)
        parser = FieldParser(config)
        large: list[tuple[str, str]] = []
        for name in LARGE_DEPARTMENTS:
            canonical = str(parser.parse("department", name)[0] or name)
            key = parser.department_key(canonical)
            if key not in keys and key not in {k for _n, k in large}:
                large.append((canonical, key))
        departments = [*((names[k], k) for k in usual), *large, *((names[k], k) for k in rare)]
        common[0] = len(usual) + len(large)
    professions: list[str] = []
    if config.rules.profession is Rule.HARD:
        counts = Counter(p for a in applicants for p in a.professions)
        usual, rare = ranked(counts)
        professions = [*usual, *rare, *(p for p in analytical_professions() if p not in counts)]
        common[1] = len(usual)
    departments, professions = departments[:DEPARTMENT_POOL], professions[:PROFESSION_POOL]
    return departments, professions, (min(common[0], len(departments)), min(common[1], len(professions)))


def _best_at(rank: int, network: Network, rules: Rules, chosen: Chosen, total: int) -> tuple[Candidate, int] | None:
    """The profile starting at this grade (widened while its count holds) that pairs the most more juniors."""
    left = network.unpaired - total
    open_types = network.open_juniors(chosen)

    def solve(candidate: Candidate) -> tuple[int, np.ndarray]:
        found = network.solve([*chosen, (rules.allowed(*candidate), left)])
        return found.value - network.most_pairs - total, found.sent[-1]

    best, choice, sent, departments, professions = 0, None, np.zeros(0), 0, 0
    for departments, professions in (rules.common, (len(rules.departments), len(rules.professions))):
        # Common departments and professions first; the others only when none of those helps.
        # No department (profession) named means any: only where that rule is not hard.
        options: list[Candidate] = [(rank, rank, ds, ps)
                                    for ds in ([(d,) for d in range(departments)] if rules.departments else [()])
                                    for ps in ([(p,) for p in range(professions)] if rules.professions else [()])]
        bounds = [min(left, int(network.counts[rules.allowed(*option) & open_types].sum())) for option in options]
        for tried, i in enumerate(sorted(range(len(options)), key=lambda i: -bounds[i])):  # stable: commonest first
            if bounds[i] <= best or tried >= MAX_TRIED:
                break
            count, used = solve(options[i])
            if count > best:
                best, choice, sent = count, options[i], used
        if choice is not None:
            break
    if choice is None:
        return None

    def holds(candidate: Candidate) -> bool:
        nonlocal sent
        allowed = rules.allowed(*candidate)
        if not (sent[~allowed] > 0).any():
            return True  # the same flow still fits: the count cannot fall
        count, used = solve(candidate)
        sent = used if count == best else sent
        return count == best

    low, high, ds, ps = choice
    for wider in (TOP_RANK, low + 1):
        if high < wider <= TOP_RANK and holds((low, wider, ds, ps)):
            high = wider
            break
    for d in range(departments):  # widened within the tier the profile came from
        if len(ds) < MAX_NAMED and d not in ds and holds((low, high, (*ds, d), ps)):
            ds = (*ds, d)
    for p in range(professions):
        if len(ps) < MAX_NAMED and p not in ps and holds((low, high, ds, (*ps, p))):
            ps = (*ps, p)
    return (low, high, ds, ps), best


def build(network: Network, rules: Rules, capacity: int) -> list[tuple[Candidate, int]]:
    """Lines (profile, seniors), lowest grade first, each pairing more juniors on top of those before it."""
    chosen: Chosen = []
    lines: list[tuple[Candidate, int]] = []
    total = 0
    for rank in range(rules.floor, TOP_RANK + 1):
        while len(lines) < MAX_BUILT and total < network.unpaired:
            found = _best_at(rank, network, rules, chosen, total)
            if found is None:
                break
            candidate, count = found
            seniors = math.ceil(count / capacity)
            chosen.append((rules.allowed(*candidate), seniors * capacity))
            total = network.extra_pairs(chosen)
            lines.append((candidate, seniors))
    return lines


