"""Soft preferences -> every pair's score: its 0-100 fit."""

from __future__ import annotations

import numpy as np

from mentormatch.config import Config, Rule
from mentormatch.matching.encoding import Side, overlap_counts
from mentormatch.matching.rules import RuleMasks


def scores(juniors: Side, seniors: Side, masks: RuleMasks, config: Config, paired: bool = False) -> np.ndarray:
    """Score of every pair (or, `paired`, each i-th pair): the weighted mean of the soft criteria, 0-100 (float32).

    Each criterion is added in place in float32, so a block of pairs costs a few passes over memory.
    """
    weights = config.weights
    total = np.zeros(masks.gap.shape, dtype=np.float32)
    weight_sum = 0.0
    if weights.aims:
        # Share of the junior's aims the senior has, capped at 1: shared x (weight / junior's aim count).
        per_aim = (weights.aims / np.maximum(juniors.aim_count, 1)).astype(np.float32)
        term = overlap_counts(juniors.aims, seniors.aims, paired) * (per_aim if paired else per_aim[:, None])
        total += np.minimum(term, np.float32(weights.aims), out=term)
        weight_sum += weights.aims
    if weights.networks:
        np.add(total, np.float32(weights.networks), out=total,
               where=overlap_counts(juniors.networks, seniors.networks, paired) > 0)
        weight_sum += weights.networks
    if weights.grade_gap:
        # 1 at the ideal gap, falling by a third per grade away from it, 0 from three grades away.
        low = int(masks.gap.min(initial=0))
        distance = np.abs(np.arange(low, int(masks.gap.max(initial=0)) + 1) - config.round.ideal_grade_gap)
        table = (weights.grade_gap * (1.0 - np.minimum(distance, 3) / 3.0)).astype(np.float32)
        total += table[masks.gap - low]
        weight_sum += weights.grade_gap
    if config.rules.department is Rule.PREFER and weights.department:
        np.add(total, np.float32(weights.department), out=total, where=~masks.same_department)
        weight_sum += weights.department
    if config.rules.profession is Rule.PREFER and weights.profession:
        np.add(total, np.float32(weights.profession), out=total, where=~masks.shared_profession)
        weight_sum += weights.profession
    if weight_sum:
        total /= np.float32(weight_sum)
    total *= np.float32(100)
    return total

