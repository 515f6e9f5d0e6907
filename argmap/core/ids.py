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
