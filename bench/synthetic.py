"""Synthetic comment threads with a known argument structure, for benchmarks and tests.

Generation and output are separate:

- ``generate(spec)`` builds the *structure*: posts in chronological order with their reply
  parent and author, the claims each post makes (one generated sentence each) and the
  rebuts/supports relations between claims, including cycles.
- ``to_models`` renders that structure as argmap's boundary models (``Thread``, ``Claim``,
  ``Relation``); ``write_to_store`` writes it through ``graph.writes``; ``to_argmap_json`` dumps
  argmap JSON v1. Other renderers (e.g. a flattened WordPress text) build on ``to_models``.

The same spec and seed always give the same thread, ids included.

    python bench/synthetic.py --comments 1000 --seed 1 -o thread.json      # argmap JSON v1
    python bench/synthetic.py --comments 100000 --db /tmp/argmap-bench      # into a store
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from argmap.core.ids import claim_id, stable_id
from argmap.core.models import Claim, Post, Relation, Thread

EXTRACTOR = "synthetic"

_SUBJECTS = (
    "the standard",
    "the committee",
    "open review",
    "the vendor",
    "the format",
    "the process",
    "national bodies",
    "the editor",
    "the draft",
    "the fast track",
    "the ballot",
    "interoperability",
    "the specification",
    "the community",
    "the market",
    "backward compatibility",
    "the schema",
    "the reference implementation",
    "the patent pledge",
    "the test suite",
)
_VERBS = (
    "undermines",
    "improves",
    "ignores",
    "protects",
    "delays",
    "weakens",
    "clarifies",
    "complicates",
    "favours",
    "threatens",
    "requires",
    "replaces",
    "duplicates",
    "enables",
)
_OBJECTS = (
    "transparency",
    "accessibility",
    "competition",
    "document portability",
    "long-term archiving",
    "small developers",
    "public procurement",
    "user freedom",
    "translation quality",
    "the technical merit",
    "consensus building",
    "independent implementations",
    "legal certainty",
    "vendor neutrality",
    "the review schedule",
    "spreadsheet formulas",
)
_REASONS = (
    "the comments were ignored",
    "nobody read the full text",
    "the votes were bought",
    "the deadlines were too short",
    "the experts disagreed",
    "the tests are incomplete",
    "the history shows it",
    "the numbers say so",
    "the drafts kept changing",
    "the meetings were closed",
    "two formats cost twice",
    "users never asked for it",
)
_FILLER = (
    "Thanks for writing this up.",
    "I have followed this for years.",
    "Just my two cents.",
    "Interesting post.",
    "Let me add one thing.",
    "Well said.",
    "I am not so sure.",
)


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


def _sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(_SUBJECTS).capitalize()} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
        f"because {rng.choice(_REASONS)}."
    )


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
            c = SynthClaim(len(claims), post.index, _sentence(rng))
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
            post.filler = rng.choice(_FILLER)
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


def to_models(synth: SynthThread) -> tuple[Thread, list[Claim], list[Relation]]:
    """The structure as argmap's models: positions in document order, claims grounded in text."""
    spec = synth.spec
    start = datetime(2013, 5, 1, 9, 0, tzinfo=UTC)
    order = synth.document_order()
    position = {idx: pos for pos, idx in enumerate(order)}
    post_ids = {idx: stable_id("p", spec.thread_id, position[idx]) for idx in order}
    posts: list[Post] = []
    claims: list[Claim] = []
    for idx in order:
        sp = synth.posts[idx]
        parts: list[str] = [sp.filler] if sp.filler else []
        spans: list[tuple[int, int, int]] = []
        offset = len(sp.filler) + 1 if sp.filler else 0
        for ci in sp.claims:
            sentence = synth.claims[ci].sentence
            spans.append((ci, offset, offset + len(sentence)))
            parts.append(sentence)
            offset += len(sentence) + 1
        text = " ".join(parts) if parts else "Buy cheap watches at example dot com."
        pid = post_ids[idx]
        posts.append(
            Post(
                id=pid,
                thread_id=spec.thread_id,
                kind="article" if idx == 0 else "comment",
                author=sp.author,
                posted_at=start + timedelta(minutes=sp.minute),
                position=position[idx],
                text=text,
                parent_id=post_ids[sp.parent] if sp.parent is not None else None,
                is_spam=sp.spam,
            )
        )
        for _, s, e in spans:
            claims.append(
                Claim(
                    id=claim_id(pid, s, e),
                    post_id=pid,
                    text=text[s:e],
                    quote=text[s:e],
                    start=s,
                    end=e,
                    extractor=EXTRACTOR,
                )
            )
    ids = {c_idx: c.id for c_idx, c in zip(_claim_indexes(synth, order), claims, strict=True)}
    relations = [
        Relation(
            source=ids[r.source],
            target=ids[r.target],
            type=r.type,
            confidence=0.9,
            rationale=f"synthetic {r.type}",
            extractor=EXTRACTOR,
        )
        for r in synth.relations
    ]
    thread = Thread(
        id=spec.thread_id,
        title=f"Synthetic thread ({spec.comments} comments)",
        url=None,
        source_format="synthetic",
        published_at=start,
        posts=posts,
        reply_tree="source",
    )
    return thread, claims, relations


def _claim_indexes(synth: SynthThread, order: list[int]) -> list[int]:
    return [ci for idx in order for ci in synth.posts[idx].claims]


def claim_ids(synth: SynthThread) -> dict[int, str]:
    """Claim index -> the id ``to_models`` gives it (for tests that reason on the structure)."""
    _, claims, _ = to_models(synth)
    return dict(
        zip(_claim_indexes(synth, synth.document_order()), (c.id for c in claims), strict=True)
    )


def write_to_store(store, synth: SynthThread, chunk: int = 2000) -> None:
    """Write the thread and its extraction through ``graph.writes`` (idempotent, chunked)."""
    from argmap.graph.writes import write_extractions, write_thread

    thread, claims, relations = to_models(synth)
    write_thread(store, thread)
    # Extractions go in chronological chunks, each relation with the later of its two posts,
    # so both ends of every relation exist when it is written.
    chron = {p.id: i for i, p in zip(synth.document_order(), thread.posts, strict=True)}
    claim_post = {c.id: c.post_id for c in claims}
    by_chunk: dict[int, tuple[list[str], list[Claim], list[Relation]]] = {}
    for p in thread.posts:
        by_chunk.setdefault(chron[p.id] // chunk, ([], [], []))[0].append(p.id)
    for c in claims:
        by_chunk[chron[c.post_id] // chunk][1].append(c)
    for r in relations:
        k = max(chron[claim_post[r.source]], chron[claim_post[r.target]]) // chunk
        by_chunk[k][2].append(r)
    for k in sorted(by_chunk):
        post_ids, cs, rs = by_chunk[k]
        write_extractions(store, post_ids, cs, rs, EXTRACTOR)


def to_argmap_json(synth: SynthThread) -> dict[str, Any]:
    """The thread as argmap JSON v1 (what ``argmap export --format json`` writes)."""
    thread, claims, relations = to_models(synth)
    return {
        "format": "argmap-json",
        "version": 1,
        "threads": [
            {
                "id": thread.id,
                "title": thread.title,
                "url": thread.url,
                "source_format": thread.source_format,
                "published_at": thread.published_at.isoformat(),
            }
        ],
        "posts": [
            {
                "id": p.id,
                "thread_id": p.thread_id,
                "kind": p.kind,
                "author": p.author,
                "posted_at": p.posted_at.isoformat() if p.posted_at else None,
                "position": p.position,
                "parent_id": p.parent_id,
                "is_spam": p.is_spam,
                "text": p.text,
            }
            for p in thread.posts
        ],
        "claims": [
            {
                "id": c.id,
                "post_id": c.post_id,
                "text": c.text,
                "quote": c.quote,
                "start": c.start,
                "end": c.end,
                "extractor": c.extractor,
            }
            for c in claims
        ],
        "relations": [
            {
                "source": r.source,
                "target": r.target,
                "type": r.type,
                "confidence": r.confidence,
                "rationale": r.rationale,
            }
            for r in relations
        ],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--thread-id", default="synthetic")
    parser.add_argument("-o", "--output", type=Path, help="write argmap JSON v1 here ('-': stdout)")
    parser.add_argument("--db", help="write into this store (directory or bolt:// URI)")
    parser.add_argument("--graph", default=None, help="graph name inside the store")
    args = parser.parse_args(argv)
    synth = generate(
        SyntheticSpec(comments=args.comments, seed=args.seed, thread_id=args.thread_id)
    )
    if args.db:
        from argmap.graph.store import open_store

        store = open_store(args.db, args.graph)
        try:
            write_to_store(store, synth)
        finally:
            store.close()
    if args.output:
        text = json.dumps(to_argmap_json(synth), ensure_ascii=False)
        if str(args.output) == "-":
            sys.stdout.write(text + "\n")
        else:
            args.output.write_text(text + "\n", encoding="utf-8")
    print(
        json.dumps(
            {
                "posts": len(synth.posts),
                "claims": len(synth.claims),
                "relations": len(synth.relations),
            }
        ),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
