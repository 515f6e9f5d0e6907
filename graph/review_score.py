"""How right the machine was on what people checked: precision per extractor and model.

Each relation a person decided on counts once, by its latest standing decision: accepted as
drawn is a hit; rejected, flipped or re-targeted is a miss. A relation a person drew is not the
machine's and does not count. Parents and spam flags a person confirmed or changed are scored
the same way (extractor ``reply-tree`` / ``spam``), and so are hidden guesses a person decided
(kind ``candidate``: accepted as guessed is a hit), so a scholar sees whether the guesses of an
extractor or stance model are worth reading.
"""

from __future__ import annotations

import json

from argmap.graph.review_records import list_reviews
from argmap.graph.store import Store
from pydantic import BaseModel

from argmap.core.json_v1 import ReviewRow


class Score(BaseModel):
    """Precision of one extractor (and model) on the items people checked."""

    kind: str
    extractor: str
    model: str | None = None
    accepted: int = 0
    rejected: int = 0

    @property
    def checked(self) -> int:
        return self.accepted + self.rejected

    @property
    def precision(self) -> float | None:
        return round(self.accepted / self.checked, 4) if self.checked else None

    def row(self) -> dict:
        return {**self.model_dump(), "checked": self.checked, "precision": self.precision}


def _machine_edge(
    review: ReviewRow, labels: tuple[str, ...] = ("REBUTS", "SUPPORTS")
) -> dict | None:
    before = json.loads(review.before)
    source, _, target = review.key.removeprefix("relation:").partition(">")
    for e in before.get("edges", []):
        if (
            (e["source"], e["target"]) == (source, target)
            and e["label"] in labels
            and e["props"].get("origin") != "human"
        ):
            return e
    return None


def score_reviews(store: Store, thread_ids: list[str] | None = None) -> list[Score]:
    """Precision of the machine on reviewed items, per kind, extractor and model."""
    latest: dict[str, ReviewRow] = {}
    for review in list_reviews(store, thread_ids):
        if not review.undone:
            latest[review.key] = review  # oldest first: the last one stands
    scores: dict[tuple[str, str, str | None], Score] = {}

    def count(kind: str, extractor: str, model: str | None, hit: bool) -> None:
        s = scores.setdefault(
            (kind, extractor, model), Score(kind=kind, extractor=extractor, model=model)
        )
        if hit:
            s.accepted += 1
        else:
            s.rejected += 1

    for review in latest.values():
        if review.kind == "relation" and review.action in ("accept", "reject", "flip", "retarget"):
            edge = _machine_edge(review)
            kind = "relation"
            if edge is None:  # the decision was on a hidden guess
                edge, kind = _machine_edge(review, ("CANDIDATE",)), "candidate"
            if edge is not None:
                props = edge["props"]
                hit = review.action == "accept"
                count(kind, props.get("extractor") or "?", props.get("model"), hit)
        elif review.kind == "parent":
            before = json.loads(review.before)["posts"][0]
            after = json.loads(review.after)["posts"][0]
            if before.get("parent_origin") != "human":
                count("parent", "reply-tree", None, before["parent_id"] == after["parent_id"])
        elif review.kind == "spam":
            before = json.loads(review.before)["posts"][0]
            if before.get("spam_origin") != "human":
                count("spam", "spam", None, before["is_spam"] == (review.action == "spam"))
    return sorted(scores.values(), key=lambda s: (s.kind, s.extractor, s.model or ""))


def review_score_lines(rows: list[dict]) -> list[str]:
    """``score_reviews`` rows (``Score.row()``) as lines for a terminal."""
    if not rows:
        return ["no review decisions yet: `argmap review list` shows what to check"]
    out = []
    for r in rows:
        p = "-" if r["precision"] is None else f"{r['precision']:.2f}"
        who = r["extractor"] + (f"/{r['model']}" if r["model"] else "")
        out.append(
            f"{r['kind']:9} {who}: precision {p} ({r['accepted']} right of {r['checked']} checked)"
        )
    return out
