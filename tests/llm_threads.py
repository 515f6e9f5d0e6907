"""The ``llm`` extractor tests' threads and client (``tests/test_llm_*.py``): a six-post
thread whose source gave the reply tree (one spam post), an extractor configured against the
local chat server, and lookups of results and requests."""

from __future__ import annotations

from pathlib import Path

from argmap.ingest.extract import PostResult
from argmap.ingest.extract.llm import LLMExtractor, make_llm_extractor
from llm_server import ChatRequest, ChatServer

from argmap.core.config import LLMConfig
from argmap.core.models import Post, Thread

TEXTS = [
    (
        "Ann",
        None,
        "Parties must grow to matter. Small groups fail to reach workers. "
        "Democracy matters inside any party.",
    ),
    (
        "Bob",
        0,
        "I disagree with this entirely. Small groups can reach workers if they organise well.",
    ),
    ("Cy", 1, "That is not true at all. Organising well is not enough for a small group."),
    ("Dee", 0, "Buy cheap watches today at the best price online. Visit our shop now."),
    ("Eve", 2, "Cy is right about this point. Good organisation still needs numbers behind it."),
    ("Fay", 0, "Democracy is the real test here. Members must be able to vote on the line."),
]


def make_thread(texts: list[tuple[str, int | None, str]] = TEXTS, tid: str = "t1") -> Thread:
    posts = [
        Post(
            id=f"{tid}_p{i}",
            thread_id=tid,
            kind="article" if i == 0 else "comment",
            author=author,
            position=i,
            text=text,
            parent_id=f"{tid}_p{parent}" if parent is not None else None,
        )
        for i, (author, parent, text) in enumerate(texts)
    ]
    return Thread(
        id=tid,
        title="Should small groups grow?",
        source_format="test",
        posts=posts,
        reply_tree="source",
    )


def extractor(
    server: ChatServer, tmp_path: Path, cache: str = "cache.sqlite3", **options
) -> LLMExtractor:
    config = LLMConfig(
        base_url=server.base_url,
        max_retries=options.pop("retries", 3),
        timeout=options.pop("timeout", 10.0),
        cache_path=tmp_path / cache,
        **options,
    )
    return make_llm_extractor(config)


def by_post(results: list[PostResult]) -> dict[str, PostResult]:
    return {r.post_id: r for r in results}


def request_for(server: ChatServer, text: str) -> list[ChatRequest]:
    return [r for r in server.requests if text in r.post_text]
