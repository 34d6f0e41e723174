"""What a partner for each unpaired junior must be, and how close the round came to pairing them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mentormatch.config import Rule
from mentormatch.matching.pipeline import MatchResult
from mentormatch.matching.reasons import professions_text
from mentormatch.matching.rules import RULE_LABELS
from mentormatch.models import Applicant
from mentormatch.vocab.grades import BY_CODE, BY_RANK, LADDER

TOP_RANK = LADDER[-1].rank


@dataclass(frozen=True)
class Need:
    """What a partner for one unmatched junior must be, and how close the round came."""

    junior: Applicant
    min_rank: int
    max_rank: int
    avoid_department: str | None
    avoid_professions: tuple[str, ...]
    nearest_miss: str


def find_needs(result: MatchResult) -> list[Need]:
    """One Need per eligible junior left without a partner (rows left out and juniors not shortlisted aside)."""
    space, config = result.space, result.config
    assert space is not None
    unmatched = {u.email for u in result.unmatched if u.role == "junior" and u.code != "left-out"}
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


def need_text(need: Need) -> str:
    """'Grade 7 or above, outside DfT, outside GSR' for one junior."""
    if need.min_rank > need.max_rank:
        return "no grade on the ladder is far enough above them"
    top = " or above" if need.max_rank == TOP_RANK else f" to {BY_RANK[need.max_rank].label}"
    grades = BY_RANK[need.min_rank].label + top
    parts = [grades]
    if need.avoid_department:
        parts.append(f"outside {need.avoid_department}")
    if need.avoid_professions:
        parts.append(f"outside {professions_text(need.junior)}")
    return ", ".join(parts)
