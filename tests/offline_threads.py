"""The offline extractor tests' small threads (``tests/test_offline_*.py``): a hand-built
thread with its reply tree under one article, the parent most of them reply to, the extractor
run on a thread, and the grounding check every quote must pass."""

from __future__ import annotations

from argmap.ingest.extract import PostResult
from argmap.ingest.extract.grounding import locate_quote
from argmap.ingest.extract.offline import PROMPT_VERSION, OfflineExtractor
from thread_builder import build_thread, post_id

from argmap.core.ids import claim_id
from argmap.core.models import Claim, Thread

ARTICLE = (
    "Why the League keeps shrinking\n\n"
    "Weekly newspaper sales waste hours of every member's time and recruit almost nobody. "
    "Internal elections are never competitive because the leadership always runs a single slate. "
    "Meetings before meetings leave members exhausted and burned out within two years."
)


def make_thread(
    comments: list[tuple[str, str, int | None]], spam: frozenset[int] = frozenset()
) -> Thread:
    """A thread from ``(author, text, parent position)``; position 0 is the article."""
    tid = "t_offline_test"
    return build_thread(
        tid,
        {"author": "Pat Writer", "text": ARTICLE},
        [
            {
                "author": author,
                "text": text,
                "parent_id": post_id(tid, parent if parent is not None else 0),
                "is_spam": i in spam,
            }
            for i, (author, text, parent) in enumerate(comments, start=1)
        ],
        title="Why the League keeps shrinking",
        source_format="test",
        reply_tree="source",
    )


def run(thread: Thread, done: dict[str, list[Claim]] | None = None) -> list[PostResult]:
    return list(OfflineExtractor().extract(thread, done or {}))


def by_post(results: list[PostResult]) -> dict[str, PostResult]:
    return {r.post_id: r for r in results}


def claim_containing(result: PostResult, words: str) -> Claim:
    matches = [c for c in result.claims if words in c.quote]
    assert len(matches) == 1, (words, [c.quote for c in result.claims])
    return matches[0]


def assert_grounded(thread: Thread, results: list[PostResult]) -> None:
    posts = {p.id: p for p in thread.posts}
    for r in results:
        text = posts[r.post_id].text
        for c in r.claims:
            assert c.post_id == r.post_id
            assert c.quote == text[c.start : c.end]
            assert locate_quote(text, c.quote, c.start) == (c.start, c.end)
            assert c.id == claim_id(r.post_id, c.start, c.end)
            assert c.extractor == "offline" and c.prompt_version == PROMPT_VERSION
            assert 0 < len(c.text) <= 201


SLATE_PARENT = (
    "Ann",
    "Paper sales are a ritual that nobody enjoys. Branch committees decide everything behind closed "
    "doors without asking the members. The slate system keeps the same leaders in charge forever.",
    None,
)
