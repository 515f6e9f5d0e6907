"""A review edit (and its undo) raises the graph's revision only once the decision is recorded:
a reader that sees the new revision (the dashboard caches on it) sees the record too. Checked
at the very moment the revision is raised, so the order is tested, not a timing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from argmap.graph import review_actions as act
from argmap.graph.review_history import undo
from argmap.graph.review_queue import review_queue
from argmap.graph.review_records import list_reviews
from argmap.graph.revision import REVISION_ID
from argmap.graph.store import Store
from argmap.graph.summary import is_fresh
from argmap.ingest.pipeline import ingest


class Watching:
    """The real store (every query goes to it), looking at what a reader sees each time just
    before the revision is raised."""

    def __init__(self, store: Store, look: Callable[[Store], Any]) -> None:
        self.store, self.look, self.seen = store, look, []

    def run(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        if (params or {}).get("id") == REVISION_ID and query.startswith("MERGE (m:Meta"):
            self.seen.append(self.look(self.store))
        return self.store.run(query, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def test_the_revision_moves_only_after_the_decision_is_recorded(
    store: Store, sample_path: Path
) -> None:
    ingest(sample_path, store, extractor="offline")
    item = review_queue(store, kinds=["parent"], limit=1)[0]
    watched = Watching(store, lambda s: [(r.key, r.undone) for r in list_reviews(s)])
    review = act.set_parent(watched, item.source, item.target, "Ann", item.version)
    assert watched.seen == [[(review.key, False)]]
    assert is_fresh(store)  # the summary was refreshed after the bump
    undo(watched, review.id, "Ann")
    assert watched.seen[-1] == [(review.key, True)] and len(watched.seen) == 2
    assert is_fresh(store)
