"""Soft preferences -> a 0..1 quality for every pair, and the integer cost the solver minimises."""

from __future__ import annotations

import numpy as np

from mentormatch.blocks import FORBIDDEN
from mentormatch.config import Config, Rule
from mentormatch.eligibility import RuleMasks
from mentormatch.encoding import Side, overlap_counts

COST_SCALE = 1000  # quality is compared in steps of 0.1 score points


def quality(juniors: Side, seniors: Side, masks: RuleMasks, config: Config, paired: bool = False) -> np.ndarray:
    """Weighted mean of the soft criteria for every pair (or, `paired`, each i-th pair), in [0, 1] (float32)."""
    weights = config.weights
    total = np.zeros(masks.gap.shape, dtype=np.float32)
    weight_sum = 0.0
    if weights.aims:
        shared = overlap_counts(juniors.aims, seniors.aims, paired)
        aim_count = np.maximum(juniors.aim_count, 1)
        total += weights.aims * np.minimum(shared / (aim_count if paired else aim_count[:, None]), 1.0)
        weight_sum += weights.aims
    if weights.networks:
        total += weights.networks * (overlap_counts(juniors.networks, seniors.networks, paired) > 0)
        weight_sum += weights.networks
    if weights.grade_gap:
        distance = np.abs(masks.gap - config.round.ideal_grade_gap).clip(max=3)
        total += weights.grade_gap * (1.0 - distance / 3.0)
        weight_sum += weights.grade_gap
    if config.rules.department is Rule.PREFER and weights.department:
        total += weights.department * ~masks.same_department
        weight_sum += weights.department
    if config.rules.profession is Rule.PREFER and weights.profession:
        total += weights.profession * ~masks.shared_profession
        weight_sum += weights.profession
    return total / weight_sum if weight_sum else total


def costs(quality_block: np.ndarray, feasible: np.ndarray) -> np.ndarray:
    """Integer costs for the solver (0 = best, 1000 = worst), FORBIDDEN where a hard rule forbids the pair."""
    cost = np.rint((1.0 - quality_block.astype(np.float64)) * COST_SCALE).astype(np.int16)
    cost[~feasible] = FORBIDDEN
    return cost
