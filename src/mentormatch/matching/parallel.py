"""Shared by the block-wise passes over juniors x seniors: the forbidden-pair mark and a threaded map.

Kept apart from the solver so that evaluating rules and scores does not import scipy.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

import numpy as np

FORBIDDEN = np.iinfo(np.int16).max  # in an integer cost matrix, marks a pair that may not be made
WORKERS = min(4, os.cpu_count() or 1)  # numpy releases the GIL, so block passes use every core
T = TypeVar("T")
R = TypeVar("R")


def parallel(work: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
    """`work` over `items` on up to WORKERS threads, results in order, a few blocks in flight at a time."""
    if WORKERS == 1:
        yield from map(work, items)
        return
    with ThreadPoolExecutor(WORKERS) as pool:
        pending: deque[Future[R]] = deque()
        for item in items:
            pending.append(pool.submit(work, item))
            if len(pending) >= 2 * WORKERS:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
