"""Priority for people an earlier round left unpaired or off its shortlist (`--history`, `round.priority`).

1. *tie-break*: among the pairings with the most pairs and the best score, one that pairs the most
   of them (exact: a gain is worth less than one cost step over the whole round).
2. *bonus*: `weights.priority` points on the score of each of their pairs, as the solver sees it
   (the Score shown stays the pair's own).
3. *first*: the most of them paired before anything else, then the most pairs, then the best score.

Tie-break and first are solved on the whole juniors x places matrix (`dense`), where the three
measures can be weighed exactly. The same round is also solved without priority, so that each pair
that priority decided (a person paired who otherwise would not be) can be named.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mentormatch.config import Config
from mentormatch.errors import MentormatchError
from mentormatch.matching.cost_graph import Assignment, Progress
from mentormatch.matching.costs import COST_PER_POINT, FORBIDDEN
from mentormatch.matching.solve import DENSE_REFUSE_CELLS, solve_round
from mentormatch.models import Applicant, RoundInputs

FIRST_MAX_PAIRS = 5_000  # beyond this, "first"'s weights would pass float64's exact range


@dataclass(frozen=True)
class Priority:
    """Who has priority this round, and why (the earlier round that left them out)."""

    mode: str
    earlier: dict[str, str] = field(default_factory=dict)  # email -> the earlier round that left them unpaired

    def flags(self, people: list[Applicant]) -> np.ndarray:
        """1 for each person with priority, 0 for the others."""
        return np.array([p.email in self.earlier for p in people], dtype=np.int8)

    @property
    def active(self) -> bool:
        return self.mode != "off" and bool(self.earlier)


def priority_of(inputs: RoundInputs, config: Config) -> Priority:
    """This round's priority: everyone the earlier rounds left unpaired, by the round that did (the latest given)."""
    return Priority(config.round.priority, dict(inputs.priority))


def solve_with_priority(cost: np.ndarray, capacity: np.ndarray, juniors: list[Applicant], seniors: list[Applicant],
                        priority: Priority, config: Config, *, seed: int | None, solver: str,
                        on_progress: Progress | None) -> tuple[Assignment, set[str]]:
    """The round's pairs under its priority setting, and the emails of the people priority paired."""
    plain = solve_round(cost, capacity, seed=seed, solver=solver, on_progress=on_progress)
    if not priority.active:
        return plain, set()
    rows, cols = priority.flags(juniors), priority.flags(seniors)
    if not rows.any() and not cols.any():
        return plain, set()
    if priority.mode == "bonus":
        steps = round(config.weights.priority * COST_PER_POINT)
        extra = (steps * (1 - rows.astype(np.int32)))[:, None] + (steps * (1 - cols.astype(np.int32)))[None, :]
        bonus = np.where(cost < FORBIDDEN, np.minimum(cost.astype(np.int32) + extra, FORBIDDEN - 1), FORBIDDEN)
        found = solve_round(bonus.astype(np.int16), capacity, seed=seed, solver=solver, on_progress=on_progress)
    else:
        places = int(np.sum(capacity))
        if cost.shape[0] * places > DENSE_REFUSE_CELLS or (priority.mode == "first" and
                                                             min(cost.shape[0], places) > FIRST_MAX_PAIRS):
            raise MentormatchError(
                f"round.priority = \"{priority.mode}\" weighs every pair of the round at once, which this round is "
                "too big for: use \"bonus\", or \"off\".")
        from mentormatch.matching.dense import assign_dense

        found = assign_dense(cost, capacity, seed=seed, gains=(rows, cols), first=priority.mode == "first")
    before = {juniors[j].email for j in plain.rows.tolist()} | {seniors[s].email for s in plain.cols.tolist()}
    now = {juniors[j].email for j in found.rows.tolist()} | {seniors[s].email for s in found.cols.tolist()}
    return found, {email for email in now - before if email in priority.earlier}
