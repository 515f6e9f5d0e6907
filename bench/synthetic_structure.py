"""The structure of a synthetic thread: posts in chronological order with their reply parent and
author, the claims each post makes and the rebuts/supports relations between claims, cycles
included. ``generate(spec)`` builds it; the same spec and seed always give the same thread.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from bench.synthetic_text import FILLER, sentence


class SyntheticSpec(BaseModel):
    """What to generate. Probabilities are per claim unless said otherwise."""

    comments: int = Field(1000, ge=0)
    seed: int = 0
    authors: int | None = Field(None, description="distinct commenters (default: comments/6 + 2)")
    article_claims: int = Field(8, ge=1)
    claims_per_comment: tuple[int, ...] = (1, 1, 1, 2, 2, 3)  # drawn uniformly
    reply_to_article: float = 0.25  # per comment: a top-level comment
    reply_to_recent: float = 0.6  # per reply: to one of the last few comments (deep threads)
    rebut: float = 0.45  # a claim rebuts a claim of the post it replies to
    support: float = 0.2  # ... or supports one
    cross_rebut: float = 0.04  # also rebuts a claim further up the reply chain
    cycle: float = 0.02  # a claim up the chain is (also) said to rebut this one
    spam: float = 0.0  # per comment: marked spam, makes no claims
    thread_id: str = "synthetic"


@dataclass
class SynthPost:
    index: int  # chronological: 0 is the article
    parent: int | None
    author: str
    minute: int
    claims: list[int] = field(default_factory=list)
    filler: str | None = None
    spam: bool = False


@dataclass
class SynthClaim:
    index: int
    post: int
    sentence: str


@dataclass
class SynthRelation:
    source: int  # claim indexes
    target: int
    type: Literal["rebuts", "supports"]


@dataclass
class SynthThread:
    spec: SyntheticSpec
    posts: list[SynthPost]
    claims: list[SynthClaim]
    relations: list[SynthRelation]

    def document_order(self) -> list[int]:
        """Post indexes as a WordPress page prints them: depth first, siblings in time order."""
        children: dict[int, list[int]] = {}
        for p in self.posts[1:]:
            children.setdefault(p.parent if p.parent is not None else 0, []).append(p.index)
        order, stack = [], [0]
        while stack:
            i = stack.pop()
            order.append(i)
            stack.extend(reversed(children.get(i, [])))
        return order


def _pick_parent(rng: random.Random, spec: SyntheticSpec, i: int, slots: list[int]) -> int:
    """Article, a recent comment, or an earlier one with probability growing with its replies."""
    if i == 1 or rng.random() < spec.reply_to_article:
        return 0
    if rng.random() < spec.reply_to_recent:
        return rng.randint(max(1, i - 8), i - 1)
    return rng.choice(slots)


def generate(spec: SyntheticSpec) -> SynthThread:
    """Build a thread's structure: reply tree, claims and relations (deterministic in the seed)."""
    rng = random.Random(spec.seed)
    n_authors = spec.authors or spec.comments // 6 + 2
    # Zipf-like activity: a few people write much of the thread.
    cum_weights = list(itertools.accumulate(1.0 / (k + 1) for k in range(n_authors)))
    names = [f"Person {k:05d}" for k in range(n_authors)]
    posts = [SynthPost(0, None, "The Author", 0)]
    claims: list[SynthClaim] = []
    relations: list[SynthRelation] = []
    pairs: set[tuple[int, int]] = set()

    def add_claims(post: SynthPost, n: int) -> None:
        for _ in range(n):
            c = SynthClaim(len(claims), post.index, sentence(rng))
            claims.append(c)
            post.claims.append(c.index)

    def relate(source: int, target: int, kind: Literal["rebuts", "supports"]) -> None:
        if source != target and (source, target) not in pairs:
            pairs.add((source, target))
            relations.append(SynthRelation(source, target, kind))

    add_claims(posts[0], spec.article_claims)
    slots: list[int] = []  # each comment once, plus once per reply it drew
    minute = 0
    for i in range(1, spec.comments + 1):
        minute += rng.randint(1, 30)
        parent = _pick_parent(rng, spec, i, slots)
        post = SynthPost(i, parent, rng.choices(names, cum_weights=cum_weights)[0], minute)
        post.spam = rng.random() < spec.spam
        if rng.random() < 0.3:
            post.filler = rng.choice(FILLER)
        posts.append(post)
        slots.append(i)
        if parent:
            slots.append(parent)
        if post.spam:
            continue
        add_claims(post, rng.choice(spec.claims_per_comment))
        ancestors = []
        up = posts[parent]
        while up.parent is not None and len(ancestors) < 3:
            ancestors.append(posts[up.parent])
            up = posts[up.parent]
        for c in post.claims:
            target_post = posts[parent]
            if not target_post.claims:
                continue
            r = rng.random()
            if r < spec.rebut:
                relate(c, rng.choice(target_post.claims), "rebuts")
            elif r < spec.rebut + spec.support:
                relate(c, rng.choice(target_post.claims), "supports")
            candidates = [a for a in ancestors if a.claims]
            if candidates and rng.random() < spec.cross_rebut:
                relate(c, rng.choice(rng.choice(candidates).claims), "rebuts")
            # Real threads have these: two commenters contradicting each other read as mutual
            # rebuttals, closing a loop (2-cycles with the parent, longer ones further up).
            # The article never answers a comment.
            earlier = [a for a in (target_post, *candidates) if a.index != 0]
            if earlier and rng.random() < spec.cycle:
                relate(rng.choice(rng.choice(earlier).claims), c, "rebuts")
    return SynthThread(spec, posts, claims, relations)
