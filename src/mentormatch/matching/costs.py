"""Where scores become the solver's costs: the only place the two meet.

A pair's score is its 0-100 fit. The solver minimises whole-number costs, so each score point is
COST_PER_POINT cost steps (scores are compared to 0.1 of a point), a perfect pair costs 0, and a
pair a hard rule forbids is FORBIDDEN. Kept apart from the solver so that scoring does not import
scipy.
"""

from __future__ import annotations

import numpy as np

COST_PER_POINT = 10  # cost steps per score point
WORST = 100 * COST_PER_POINT  # the cost of a pair with score 0
FORBIDDEN = np.iinfo(np.int16).max  # in the int16 cost matrix, marks a pair that may not be made


def to_costs(scores: np.ndarray, feasible: np.ndarray) -> np.ndarray:
    """int16 costs for a block of 0-100 scores (0 = best, WORST = worst), FORBIDDEN where not `feasible`."""
    scaled = np.multiply(scores, np.float32(-COST_PER_POINT), dtype=np.float32)
    scaled += np.float32(WORST)
    cost = np.rint(scaled, out=scaled).astype(np.int16)
    np.copyto(cost, FORBIDDEN, where=~feasible)
    return cost


def to_score_points(cost: float) -> float:
    """A difference in total cost, in score points."""
    return cost / COST_PER_POINT
