"""The comments a page rebuild has not placed yet, counted by time.

The decoder (``ingest.thread``) asks, for each path it keeps, how many comments still to come are
older than that path's open top-level comment (each will have to break the time order). A
Fenwick tree over time ranks answers in O(log n) per question and per placed comment; it is
written here (30 lines) because the standard library has none (a plain sorted list costs O(n) per
removal) and one counter does not warrant a dependency such as sortedcontainers.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence


class Pending:
    """The comments not placed yet (``times[1:]``; ``None``: no time), counted by time."""

    def __init__(self, times: Sequence[float | None]) -> None:
        self.sorted = sorted({t for t in times[1:] if t is not None})
        self.rank = {t: i + 1 for i, t in enumerate(self.sorted)}
        self.tree = [0] * (len(self.sorted) + 1)
        for t in times[1:]:
            if t is not None:
                self._add(self.rank[t], 1)

    def _add(self, i: int, delta: int) -> None:
        while i < len(self.tree):
            self.tree[i] += delta
            i += i & -i

    def remove(self, t: float | None) -> None:
        if t is not None:
            self._add(self.rank[t], -1)

    def older_than(self, t: float | None) -> int:
        """How many pending comments are older than ``t``."""
        if t is None:
            return 0
        i, total = bisect_left(self.sorted, t), 0
        while i > 0:
            total += self.tree[i]
            i -= i & -i
        return total
