"""A synthetic thread as argmap's boundary models (``Thread``, ``Claim``, ``Relation``) and as
argmap JSON v1: positions in document order, claims grounded in the posts' text, ids stable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from argmap.core.ids import claim_id, stable_id
from argmap.core.models import Claim, Post, Relation, Thread
from bench.synthetic_structure import SynthThread

EXTRACTOR = "synthetic"


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
