"""Every junior-senior pair of a round, evaluated on demand in blocks: rules, scores and solver costs.

A round of 50,000 juniors and 40,000 seniors has two billion pairs, far too many to hold as the
seven rule masks and the score matrix at once. PairSpace computes them for any block of rows or
columns when asked (a row for one junior's explanation, a block of rows for the solver's costs),
so memory follows the block, not the round.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from mentormatch.config import Config
from mentormatch.matching.costs import to_costs
from mentormatch.matching.encoding import Side
from mentormatch.matching.parallel import BLOCK_CELLS, parallel
from mentormatch.matching.rules import RuleMasks, rule_masks
from mentormatch.matching.scoring import scores


@dataclass
class PairSpace:
    """The encoded round and its do-not-match pairs (junior index, senior index)."""

    juniors: Side
    seniors: Side
    config: Config
    do_not_match: set[tuple[int, int]]

    def __post_init__(self) -> None:
        width = max(1, len(self.seniors.people))
        self._do_not_match_keys = np.array(sorted(j * width + s for j, s in self.do_not_match), dtype=np.int64)

    def _not_listed(self, rows: np.ndarray, cols: np.ndarray, paired: bool) -> np.ndarray:
        width = max(1, len(self.seniors.people))
        if paired:  # the keys are sorted and distinct: a binary search (np.isin would also import numpy.ma)
            wanted = rows.astype(np.int64) * width + cols
            keys = self._do_not_match_keys
            if not keys.size:
                return np.ones(wanted.shape, dtype=bool)
            return keys[np.minimum(np.searchsorted(keys, wanted), keys.size - 1)] != wanted
        mask = np.ones((rows.size, cols.size), dtype=bool)
        if self._do_not_match_keys.size:
            row_at = np.full(len(self.juniors.people), -1)
            row_at[rows] = np.arange(rows.size)
            col_at = np.full(width, -1)
            col_at[cols] = np.arange(cols.size)
            r, c = row_at[self._do_not_match_keys // width], col_at[self._do_not_match_keys % width]
            hit = (r >= 0) & (c >= 0)
            mask[r[hit], c[hit]] = False
        return mask

    def evaluate(self, rows: np.ndarray | None = None, cols: np.ndarray | None = None,
                 paired: bool = False) -> tuple[RuleMasks, np.ndarray]:
        """Rule masks and scores (0-100) for juniors `rows` x seniors `cols` (all when None), or `paired` pairs."""
        juniors = self.juniors if rows is None else self.juniors.take(np.asarray(rows, dtype=np.intp))
        seniors = self.seniors if cols is None else self.seniors.take(np.asarray(cols, dtype=np.intp))
        rows = np.arange(len(self.juniors.people)) if rows is None else np.asarray(rows, dtype=np.intp)
        cols = np.arange(len(self.seniors.people)) if cols is None else np.asarray(cols, dtype=np.intp)
        masks = rule_masks(juniors, seniors, self.config, self._not_listed(rows, cols, paired), paired=paired)
        return masks, scores(juniors, seniors, masks, self.config, paired)

    def row(self, j: int) -> tuple[RuleMasks, np.ndarray]:
        """Junior j against every senior."""
        masks, score = self.evaluate(np.array([j]))
        return masks.pick(0), score[0]

    def column(self, s: int) -> tuple[RuleMasks, np.ndarray]:
        """Senior s against every junior."""
        masks, score = self.evaluate(cols=np.array([s]))
        return masks.pick((slice(None), 0)), score[:, 0]

    def rows(self, indices: np.ndarray) -> Iterator[tuple[int, RuleMasks, np.ndarray]]:
        """(junior, masks, score) for each junior in `indices`, evaluated a block at a time."""
        step = max(1, BLOCK_CELLS // max(1, len(self.seniors.people)))
        for start in range(0, len(indices), step):
            block = np.asarray(indices[start:start + step], dtype=np.intp)
            masks, score = self.evaluate(block)
            for i, j in enumerate(block.tolist()):
                yield j, masks.pick(i), score[i]

    def columns(self, indices: np.ndarray) -> Iterator[tuple[int, RuleMasks, np.ndarray]]:
        """(senior, masks, score) for each senior in `indices`, evaluated a block at a time."""
        step = max(1, BLOCK_CELLS // max(1, len(self.juniors.people)))
        for start in range(0, len(indices), step):
            block = np.asarray(indices[start:start + step], dtype=np.intp)
            masks, score = self.evaluate(cols=block)
            for i, s in enumerate(block.tolist()):
                yield s, masks.pick((slice(None), i)), score[:, i]

    def cost_matrix(self, on_progress: Callable[[float], None] | None = None) -> np.ndarray:
        """The solver's integer costs for every pair (int16, FORBIDDEN where a hard rule forbids it)."""
        n_rows, n_cols = len(self.juniors.people), len(self.seniors.people)
        cost = np.empty((n_rows, n_cols), dtype=np.int16)
        step = max(1, BLOCK_CELLS // max(1, n_cols))

        def fill(start: int) -> None:
            masks, score = self.evaluate(np.arange(start, min(n_rows, start + step)))
            cost[start:start + step] = to_costs(score, masks.feasible)

        def starts() -> Iterator[int]:
            for start in range(0, n_rows, step):
                if on_progress is not None:
                    on_progress(start / n_rows)
                yield start

        for _ in parallel(fill, starts()):
            pass
        return cost
