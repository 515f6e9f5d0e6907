"""A review edit (and its undo) raises the graph's revision together with the decision's record
(one unit, ``graph.review_commit``): a reader that sees the new revision (the dashboard caches on
it) sees the record too, and one that sees the old revision sees no record. Checked just before
and just after the write that raises it, so the order is tested, not a timing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from argmap.graph import review_actions as act
from argmap.graph.review_history import undo
from argmap.graph.review_queue import review_queue
from argmap.graph.review_records import list_reviews
from argmap.graph.revision import REVISION_ID, current_revision
from argmap.graph.store import Store
from argmap.graph.summary import is_fresh
from argmap.ingest.pipeline import ingest

Statement = tuple[str, dict[str, Any]]


class Watching:
    """The real store (every query goes to it), looking at the revision and at what a reader
    sees just before and just after each write that raises the revision."""

    def __init__(self, store: Store, look: Callable[[Store], Any]) -> None:
        self.store, self.look, self.seen = store, look, []

    def _watch(self, statements: list[Statement], write: Callable[[], Any]) -> Any:
        raises = any(p.get("id") == REVISION_ID and "MERGE (m:Meta" in q for q, p in statements)
        if raises:
            self.seen.append((current_revision(self.store), self.look(self.store)))
        out = write()
        if raises:
            self.seen.append((current_revision(self.store), self.look(self.store)))
        return out

    def run(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self._watch([(query, params or {})], lambda: self.store.run(query, params))

    def run_unit(self, statements: list[Statement]) -> list[list[dict[str, Any]]]:
        return self._watch(statements, lambda: self.store.run_unit(statements))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def test_the_revision_moves_only_with_the_decision_recorded(
    store: Store, sample_path: Path
) -> None:
    ingest(sample_path, store, extractor="offline")
    item = review_queue(store, kinds=["parent"], limit=1)[0]
    watched = Watching(store, lambda s: [(r.key, r.undone) for r in list_reviews(s)])
    review = act.set_parent(watched, item.source, item.target, "Ann", item.version)
    (old, before), (new, after) = watched.seen
    assert (before, after) == ([], [(review.key, False)]) and new > old
    assert is_fresh(store)  # the summary was refreshed after the bump
    undo(watched, review.id, "Ann")
    (old, before), (new, after) = watched.seen[2:]
    assert (before, after) == ([(review.key, False)], [(review.key, True)]) and new > old
    assert is_fresh(store)
