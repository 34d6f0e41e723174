"""A matching round as a sequence: read -> validate -> encode -> rules -> score -> solve -> assemble."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mentormatch.config import Config
from mentormatch.errors import MentormatchError
from mentormatch.inputs.lists import read_round_inputs
from mentormatch.matching.costs import FORBIDDEN, to_score_points
from mentormatch.matching.encoding import encode
from mentormatch.matching.pairspace import PairSpace
from mentormatch.matching.priority import Priority, priority_of, solve_with_priority
from mentormatch.matching.reasons import (
    Reason,
    priority_note,
    unmatched_junior,
    unmatched_senior,
    why_paired,
)
from mentormatch.matching.rules import do_not_match_pairs
from mentormatch.models import Applicant, RoundInputs
from mentormatch.outcomes import (
    Kind,
    Problem,
    Severity,
    Unmatched,
    error,
    outcome,
    warning,
)
from mentormatch.validation.checks import ValidationResult, validate_file

Stage = Callable[[str, float | None], None]  # (stage name, share done or None)


@dataclass(frozen=True)
class Pairing:
    """A junior and a senior partner, with how well they fit and why."""

    junior: Applicant
    senior: Applicant
    score: int
    why: str
    locked: bool = False  # agreed in advance (--lock): held even when it breaks a rule, with a warning
    kept: bool = False  # kept by a rematch from the earlier pairings: held only while it still stands


@dataclass(frozen=True)
class KeptPair:
    """What became of a rematch's pair from before: kept as it was, or ended, and why (in words)."""

    junior: str
    senior: str
    kept: bool
    why: str = ""  # when ended: "the senior's capacity no longer allows it", "...breaks a hard rule (...)"


@dataclass
class MatchResult:
    """Everything a matching round produced; the CLI and the report only render it."""

    validation: ValidationResult
    config: Config
    pairings: list[Pairing]
    unmatched: list[Unmatched]
    problems: list[Problem]
    maximum_pairs: int
    senior_places: int
    seed: int | None
    seconds: float
    space: PairSpace | None = field(default=None, repr=False)
    timings: dict[str, float] = field(default_factory=dict)
    history_pairs: int = 0
    repeats_avoided: int = 0
    inputs: RoundInputs = field(default_factory=RoundInputs)  # what shaped the round besides the applications
    score_gap: float = 0.0  # proven bound on how many score points in total a better pairing could add (0: none)
    unsure_pairs: int = 0  # pairs every rule allowed but for an unsure answer ('0NS' may be ONS): not made
    kept_pairs: list[KeptPair] = field(default_factory=list)  # a rematch's pairs from before: kept or ended
    priority: Priority = field(default_factory=lambda: Priority("off"))  # people left out by earlier rounds
    priority_decided: set[str] = field(default_factory=set)  # of them, who is paired only because of priority
    solver: str = "sparse"  # which assignment solver paired the round: "dense" or "sparse"

    @property
    def unmatched_juniors(self) -> list[Unmatched]:
        """Juniors without a partner, rows left out included."""
        return [u for u in self.unmatched if u.role == "junior"]


class _Stages:
    """Reports each stage to the caller's callback and times it."""

    def __init__(self, callback: Stage | None) -> None:
        self.callback = callback
        self.started = time.perf_counter()
        self.timings: dict[str, float] = {}
        self.current: str | None = None
        self.since = time.perf_counter()

    def __call__(self, name: str) -> None:
        self.finish()
        self.current, self.since = name, time.perf_counter()
        if self.callback is not None:
            self.callback(name, None)

    def advance(self, done: float) -> None:
        """Report how much of the current stage is done (0..1)."""
        if self.callback is not None and self.current is not None:
            self.callback(self.current, done)

    def step(self, task: str, done: float) -> None:
        """Report progress through one step of the current stage."""
        if self.callback is not None and self.current is not None:
            self.callback(f"{self.current}: {task}", done)

    def finish(self) -> dict[str, float]:
        """Close the running stage and return seconds per stage."""
        if self.current is not None:
            self.timings[self.current] = time.perf_counter() - self.since
            self.current = None
        return self.timings


@dataclass
class _Held:
    """The pairs held before the solve: locked (agreed in advance) and kept (from before a rematch)."""

    locked: list[tuple[int, int]]
    kept: list[tuple[int, int]]
    capacity: np.ndarray  # places left per senior
    problems: list[Problem]  # about locked pairs (row and file of the lock list)
    kept_pairs: list[KeptPair]  # what became of each kept pair


def _hold(inputs: RoundInputs, juniors: list[Applicant], seniors: list[Applicant], space: PairSpace) -> _Held:
    """Hold the locked pairs, then the kept ones, while the people, places and rules allow.

    1. A locked pair needs a valid junior and senior and a free place; one that breaks a rule is held
       with a warning (someone agreed it) — each refusal or warning is a problem at its row of the list.
    2. A kept pair stands only while both are still applicants in their roles, the senior's capacity
       allows and every hard rule holds; otherwise it is ended, with why in words.
    """
    capacity = np.array([p.capacity for p in seniors], dtype=np.int64)
    junior_at = {p.email: i for i, p in enumerate(juniors)}
    senior_at = {p.email: i for i, p in enumerate(seniors)}
    held = _Held([], [], capacity, [], [])
    taken: set[int] = set()

    def place(a: str, b: str) -> tuple[int | None, int | None, str, list[str]]:
        """(junior, senior, why not, broken rules) of a pair of emails given in either order."""
        j, s = (junior_at.get(a), senior_at.get(b)) if a in junior_at else (junior_at.get(b), senior_at.get(a))
        if j is None or s is None:
            return j, s, "people", []
        if j in taken or capacity[s] == 0:
            return j, s, "capacity", []
        masks, _score = space.evaluate(np.array([j]), np.array([s]), paired=True)
        return j, s, "", [] if masks.feasible[0] else masks.broken(0)

    for row, a, b in inputs.locks:
        where: dict[str, Any] = {"row": row, "sheet": inputs.lock_source, "value": f"{a} + {b}"}
        j, s, refused, broken = place(a, b)
        if refused or j is None or s is None:
            held.problems.append(error("locked-pair-invalid", refused or "people", **where))
            continue
        if broken:
            held.problems.append(warning("locked-pair-breaks-rule", **where))
        held.locked.append((j, s))
        taken.add(j)
        capacity[s] -= 1
    ended = outcome("kept-pair-ended", Kind.PROBLEM)
    for _row, a, b in inputs.kept:
        j, s, refused, broken = place(a, b)
        if refused or broken or j is None or s is None:
            why = ended.message(refused or "rules", rules=", ".join(broken))
            held.kept_pairs.append(KeptPair(a, b, False, why))
            continue
        held.kept.append((j, s))
        held.kept_pairs.append(KeptPair(a, b, True))
        taken.add(j)
        capacity[s] -= 1
    return held


def run_matching(path: Path, config: Config, *, sheet: str | None = None, header_row: int | None = None,
                 lock: Path | None = None, do_not_match: Path | None = None, seed: int | None = None,
                 history: Sequence[Path] = (), shortlist: Path | None = None,
                 on_stage: Stage | None = None, solver: str = "auto") -> MatchResult:
    """Read and validate an export and its round files, then pair as many juniors as possible, as well as possible."""
    stage = _Stages(on_stage)
    stage("Reading and validating applications")
    inputs = read_round_inputs(lock=lock, do_not_match=do_not_match, history=history, shortlist=shortlist)
    validation = validate_file(path, config, sheet=sheet, header_row=header_row, on_progress=stage.advance)
    return match_validated(validation, config, inputs, seed=seed, stage=stage, solver=solver)


def match_validated(validation: ValidationResult, config: Config, inputs: RoundInputs = RoundInputs(), *,
                    seed: int | None = None, extra_seniors: Sequence[Applicant] = (),
                    stage: _Stages | None = None, solver: str = "auto") -> MatchResult:
    """Pair the applicants of a validation result (plus any `extra_seniors`, for what-if runs).

    Reads no files and changes none of its arguments. `inputs.locks` are held as given (and use up
    their seniors' places); `inputs.do_not_match` and `inputs.history` pairs are never made; with
    `inputs.shortlisted`, only those juniors are paired.
    """
    stage = stage or _Stages(None)
    eligible = len(validation.applicants) + len(extra_seniors)
    if eligible > config.limits.max_applicants:
        raise MentormatchError(
            f"{validation.source.name} has {eligible:,} eligible applicants, over the {config.limits.max_applicants:,} "
            "one match takes on (limits.max_applicants): a round that size needs more time and memory than a "
            "desktop has. Split it into smaller rounds (by scheme or by department group), or raise "
            "limits.max_applicants in the config if this machine can take it.")
    juniors = sorted(validation.juniors, key=lambda p: p.email)
    passed_over: list[Applicant] = []
    if inputs.shortlisted is not None:
        passed_over = [p for p in juniors if p.email not in inputs.shortlisted]
        juniors = [p for p in juniors if p.email in inputs.shortlisted]
    seniors = sorted([*validation.seniors, *extra_seniors], key=lambda p: p.email)
    earlier = set(inputs.history)

    stage("Scoring every allowed pair")
    junior_side, senior_side = encode(juniors, seniors)
    space = PairSpace(junior_side, senior_side, config,
                      do_not_match_pairs(junior_side, senior_side, [*inputs.do_not_match, *earlier]))
    repeats = _repeats_avoided(earlier, juniors, seniors, space)
    unsure = _unsure_pairs(juniors, seniors, space)
    places = sum(p.capacity for p in seniors)
    held = _hold(inputs, juniors, seniors, space)
    locked, capacity, lock_problems = [*held.locked, *held.kept], held.capacity, held.problems
    cost = space.cost_matrix(stage.advance)
    cost[[j for j, _ in locked]] = FORBIDDEN  # locked juniors already have their partner

    stage("Finding the best pairings")
    priority = priority_of(inputs, config)
    found, decided = solve_with_priority(cost, capacity, juniors, seniors, priority, config, seed=seed, solver=solver,
                                         on_progress=stage.step)
    del cost
    chosen = list(zip(found.rows.tolist(), found.cols.tolist(), strict=True))
    best = found.maximum + len(locked)

    stage("Explaining the result")
    everyone = [*locked, *chosen]
    _masks, score = space.evaluate(np.array([j for j, _ in everyone], dtype=np.intp),
                                 np.array([s for _, s in everyone], dtype=np.intp), paired=True)
    locked_pairs, kept_pairs = set(held.locked), set(held.kept)
    pairings = [Pairing(juniors[j], seniors[s], round(float(points)),
                        why_paired(juniors[j], seniors[s]) + priority_note(juniors[j], seniors[s], priority, decided),
                        locked=(j, s) in locked_pairs, kept=(j, s) in kept_pairs)
                for (j, s), points in zip(everyone, score, strict=True)]
    pairings.sort(key=lambda p: (p.junior.email, p.senior.email))
    unmatched = unmatched_people(validation, juniors, seniors, everyone, space)
    not_selected = outcome("not-shortlisted", Kind.UNMATCHED).message()
    unmatched += [Unmatched(p.row, p.email, p.name, "junior", "not-shortlisted", not_selected) for p in passed_over]
    unmatched.sort(key=lambda u: u.row)
    problems = sorted([*validation.problems, *lock_problems],
                      key=lambda p: (p.sheet != validation.sheet, p.row or 0, p.severity is not Severity.ERROR))
    return MatchResult(validation=validation, config=config, pairings=pairings, unmatched=unmatched,
                       problems=problems, maximum_pairs=best, senior_places=places, seed=seed,
                       seconds=time.perf_counter() - stage.started, space=space, timings=stage.finish(),
                       history_pairs=len(earlier), repeats_avoided=repeats, score_gap=to_score_points(found.gap),
                       inputs=inputs, unsure_pairs=unsure, kept_pairs=held.kept_pairs, solver=found.solver,
                       priority=priority,
                       priority_decided=decided)


def _repeats_avoided(earlier: set[tuple[str, str]], juniors: list[Applicant], seniors: list[Applicant],
                     space: PairSpace) -> int:
    """Earlier pairs that every other rule would have allowed again this round."""
    junior_at = {p.email: i for i, p in enumerate(juniors)}
    senior_at = {p.email: i for i, p in enumerate(seniors)}
    found = [(junior_at[a], senior_at[b]) for a, b in earlier if a in junior_at and b in senior_at]
    if not found:
        return 0
    masks, _score = space.evaluate(np.array([j for j, _ in found]), np.array([s for _, s in found]), paired=True)
    return int((masks.grade_ok & masks.department_ok & masks.profession_ok).sum())


def _unsure_pairs(juniors: list[Applicant], seniors: list[Applicant], space: PairSpace) -> int:
    """Pairs that only an unsure answer rules out: the rows of unsure juniors, then unsure seniors' other juniors."""
    def unsure(people: list[Applicant]) -> np.ndarray:
        return np.array([i for i, p in enumerate(people) if p.possibly_departments or p.possibly_professions],
                        dtype=np.intp)

    rows, cols = unsure(juniors), unsure(seniors)
    if not rows.size and not cols.size:
        return 0
    total = sum(int(masks.unsure.sum()) for _j, masks, _score in space.rows(rows))
    others = np.ones(len(juniors), dtype=bool)
    others[rows] = False
    total += sum(int(masks.unsure[others].sum()) for _s, masks, _score in space.columns(cols))
    return total


def unmatched_people(validation: ValidationResult, juniors: list[Applicant], seniors: list[Applicant],
               pairs: list[tuple[int, int]], space: PairSpace) -> list[Unmatched]:
    """Everyone not in a pair: unpaired applicants with a reason, then rows left out by validation."""
    paired_juniors = {j for j, _ in pairs}
    paired_seniors = {s for _, s in pairs}

    def entry(person: Applicant, reason: Reason) -> Unmatched:
        return Unmatched(person.row, person.email, person.name, person.role.value, reason.code, reason.text)

    lone_juniors = np.array([j for j in range(len(juniors)) if j not in paired_juniors], dtype=np.intp)
    lone_seniors = np.array([s for s in range(len(seniors)) if s not in paired_seniors], dtype=np.intp)
    found = [entry(juniors[j], unmatched_junior(juniors[j], masks, space.config))
             for j, masks, _score in space.rows(lone_juniors)]
    found += [entry(seniors[s], unmatched_senior(seniors[s], masks, space.config))
              for s, masks, _score in space.columns(lone_seniors)]
    found += validation.left_out
    return sorted(found, key=lambda u: u.row)
