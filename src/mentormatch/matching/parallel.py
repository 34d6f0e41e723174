"""Block-wise passes over juniors x seniors: how many pairs a block holds, and a threaded map over blocks."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

BLOCK_CELLS = 1 << 21  # pairs handled at once: about 40 MB of masks and scores, 16 MB of costs as float64
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
