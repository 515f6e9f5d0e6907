"""Which earlier posts a comment's prompt offers, and which posts it therefore waits for.

Where the source gave the reply tree (Reddit, HN, a CSV with parent ids), a comment is shown its
parent and nearest ancestors, as before. Where the tree was rebuilt (a flattened page), the
heuristic's parent may be wrong, so the model picks: the prompt offers the heuristic's parent and
its nearest ancestors, plus the other places on the page's current branch the heuristic gives at
least ``MIN_PROBABILITY`` (``ingest.thread.parent_choices``), each marked with the heuristic's
probability. The article is always a possible parent.

A comment is extracted after every post it is offered (so their claims are candidates); places
the heuristic all but rules out are not offered, which keeps that wait short: on the sample,
20 levels instead of 14 for the heuristic tree alone (not 187, one per comment), while the
labelled parent is among the offered posts for 94% of comments (87% with the tree alone).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from argmap.ingest.thread import parent_choices

from argmap.core.models import Thread

MIN_PROBABILITY = 0.02  # a place the heuristic gives less is not offered (nor waited for)
MAX_OFFERED = 5  # posts offered besides the article
MAX_ANCESTORS = 4  # where the source gave the tree: the nearest ones


@dataclass(frozen=True)
class ParentOptions:
    """The posts offered to one comment (oldest first, without the article) and the heuristic's
    view: its parent and each offered post's probability (``None`` where the source gave the
    tree and nothing is chosen)."""

    offered: list[str]
    heuristic: str | None = None
    probability: dict[str, float] = field(default_factory=dict)

    @property
    def choosing(self) -> bool:
        """The model picks the parent (the source lost the tree)."""
        return bool(self.probability)


def _ancestors(by_id: dict, post_id: str | None, article: str, limit: int) -> list[str]:
    chain: list[str] = []
    while post_id and post_id != article and post_id not in chain and len(chain) < limit:
        chain.append(post_id)
        post_id = by_id[post_id].parent_id if post_id in by_id else None
    return chain


def parent_options(thread: Thread) -> dict[str, ParentOptions]:
    """The ``ParentOptions`` of every comment of ``thread``."""
    by_id = {p.id: p for p in thread.posts}
    article = thread.article.id
    choices = parent_choices(thread)
    position = {p.id: p.position for p in thread.posts}
    out: dict[str, ParentOptions] = {}
    for post in thread.comments:
        chain = _ancestors(by_id, post.parent_id, article, MAX_ANCESTORS)
        if post.id not in choices:
            out[post.id] = ParentOptions(sorted(chain, key=position.__getitem__))
            continue
        probability = dict(choices[post.id])
        offered = [q for q in chain if not by_id[q].is_spam]
        for q, p in sorted(choices[post.id], key=lambda item: -item[1]):
            if len(offered) >= MAX_OFFERED:
                break
            if p >= MIN_PROBABILITY and q != article and q not in offered and not by_id[q].is_spam:
                offered.append(q)
        offered = sorted(offered[:MAX_OFFERED], key=position.__getitem__)
        shown = {q: probability.get(q, 0.0) for q in [article, *offered]}
        out[post.id] = ParentOptions(offered, post.parent_id or article, shown)
    return out


def dependencies(thread: Thread, options: dict[str, ParentOptions]) -> dict[str, list[str]]:
    """The posts each post waits for: the article and every post its prompt offers."""
    article = thread.article.id
    return {
        p.id: ([] if p.id == article else [article, *options[p.id].offered]) for p in thread.posts
    }


def rounds(nodes: list[str], deps: dict[str, list[str]]) -> int:
    """How many rounds extracting ``nodes`` takes when a post waits for its pending ``deps``."""
    pending = set(nodes)
    level: dict[str, int] = {}
    for node in nodes:  # posts come in document order: every dependency is earlier
        level[node] = 1 + max(
            (level.get(d, 0) for d in deps.get(node, []) if d in pending), default=0
        )
    return max(level.values(), default=0)
