"""Deterministic ids: the same input always lands on the same nodes, so re-running never duplicates."""

from __future__ import annotations

import hashlib


def stable_id(prefix: str, *parts: object) -> str:
    """A short deterministic id: ``prefix`` + the first 16 hex digits of sha1 over ``parts``."""
    # surrogatepass: a lone surrogate in a title must reach the one-line "not text" refusal
    # (ingest.sources) instead of failing here; ids of real text are unchanged.
    text = "\x1f".join(str(p) for p in parts)
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{prefix}_{digest[:16]}"


def person_id(name: str) -> str:
    """People are identified by their display name, case- and space-insensitively."""
    return stable_id("u", " ".join(name.split()).casefold())


def claim_id(post_id: str, start: int, end: int) -> str:
    """The same span of the same post is the same claim, whichever extractor found it."""
    return stable_id("c", post_id, start, end)


# Sites whose comment ids are unique site-wide: their posts' ids do not depend on the thread.
REDDIT = "reddit"
HN = "hn"


def post_id(scope: str, *key: object) -> str:
    """A post's id from its key in the source: ``scope`` is the thread's id, or a site (``REDDIT``,
    ``HN``) whose ids are unique site-wide. Re-reading a source gives every post the same id."""
    return stable_id("p", scope, *key)


def post_ids_for(thread_id: str, key: str) -> list[str]:
    """The ids a post named ``key`` in a hand-made label file may have, in any source format:
    the id itself, a CSV/JSONL row id or WordPress comment (``comment-N`` or ``N``) of the
    thread, a Reddit id with or without ``t1_`` (or the post's ``t3_``), a Hacker News item."""
    bare = key.removeprefix("t1_").removeprefix("t3_")
    return [
        key,
        post_id(thread_id, key),
        post_id(thread_id, f"comment-{key}"),
        post_id(REDDIT, key),
        post_id(REDDIT, f"t1_{bare}"),
        post_id(REDDIT, f"t3_{bare}"),
        post_id(HN, key),
    ]
