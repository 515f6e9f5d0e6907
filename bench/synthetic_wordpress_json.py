"""A rendered synthetic thread as argmap JSON v1: the true reply tree, the synthetic claims
grounded in the rendered words, and the synthetic relations between them."""

from __future__ import annotations

from typing import Any

from argmap.core.ids import claim_id, stable_id
from bench.synthetic_wordpress_page import thread_id
from bench.synthetic_wordpress_render import RenderedThread


def to_argmap_json(rt: RenderedThread) -> dict[str, Any]:
    """The same thread as argmap JSON v1: the true reply tree, the synthetic claims grounded in
    the rendered words, and the synthetic relations between them."""
    tid = thread_id(rt)
    pid = [stable_id("p", tid, p.position) for p in rt.posts]
    posts, claims, ids = [], [], {}
    for p in rt.posts:
        posts.append(
            {
                "id": pid[p.position],
                "thread_id": tid,
                "kind": "comment" if p.position else "article",
                "author": p.author,
                "posted_at": p.posted_at.isoformat(),
                "position": p.position,
                "parent_id": pid[p.parent] if p.parent is not None else None,
                "is_spam": False,
                "text": p.text,
            }
        )
        for ci, a, b in p.spans:
            cid = claim_id(pid[p.position], a, b)
            ids[ci] = cid
            claims.append(
                {
                    "id": cid,
                    "post_id": pid[p.position],
                    "text": p.text[a:b],
                    "quote": p.text[a:b],
                    "start": a,
                    "end": b,
                    "extractor": "synthetic",
                }
            )
    relations = [
        {
            "source": ids[r.source],
            "target": ids[r.target],
            "type": r.type,
            "confidence": 0.9,
            "rationale": f"synthetic {r.type}",
        }
        for r in rt.synth.relations
        if r.source in ids and r.target in ids
    ]
    return {
        "format": "argmap-json",
        "version": 1,
        "threads": [
            {
                "id": tid,
                "title": rt.title,
                "url": None,
                "source_format": "wordpress-text",
                "published_at": rt.published_at.isoformat(),
            }
        ],
        "posts": posts,
        "claims": claims,
        "relations": relations,
    }
