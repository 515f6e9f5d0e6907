"""The model picks the parent on a flattened page: offered posts, the heuristic's guess and its
confidence, ``reply_to``, the fallback for an id not offered, scheduling after every offered
post, and the prompt-prefix caching figures. Real openai SDK over HTTP to ``llm_server``."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph.store import Store
from argmap.ingest.extract.llm import make_llm_extractor
from argmap.ingest.extract.llm_cache import cache_key
from argmap.ingest.extract.llm_parents import parent_options
from argmap.ingest.pipeline import IngestSummary, ingest_thread
from argmap.ingest.sources import load_threads
from llm_server import ChatRequest, ChatServer, sample_answer

from argmap.core.config import LLMConfig
from argmap.core.models import Thread

N_POSTS = 14


@pytest.fixture(scope="module")
def flat(sample_path: Path) -> Thread:
    """The sample's first posts: a flattened WordPress page, its tree rebuilt by the heuristic."""
    (thread,) = load_threads(sample_path)
    posts = [p for p in thread.posts[:N_POSTS] if not p.is_spam]
    assert thread.reply_tree == "reconstructed"
    return thread.model_copy(update={"posts": posts})


@pytest.fixture
def server() -> Iterator[ChatServer]:
    with ChatServer() as s:
        yield s


def extractor(server: ChatServer, tmp_path: Path, **options):
    config = LLMConfig(
        base_url=server.base_url, max_retries=1, cache_path=tmp_path / "c.sqlite3", **options
    )
    return make_llm_extractor(config)


def by_text(server: ChatServer, text: str) -> ChatRequest:
    return next(r for r in server.requests if r.post_text == text)


def test_flattened_page_offers_the_branch_and_asks_for_reply_to(
    server: ChatServer, tmp_path: Path, flat: Thread
) -> None:
    options = parent_options(flat)
    results = list(extractor(server, tmp_path, concurrency=4).extract(flat, {}))
    assert all(r.error is None for r in results) and len(results) == len(flat.posts)
    by_id = {p.id: p for p in flat.posts}
    for post in flat.comments:
        req = by_text(server, post.text)
        schema = req.body["response_format"]["json_schema"]["schema"]
        assert "reply_to" in schema["properties"] and "reply_to" in schema["required"]
        opts = options[post.id]
        assert opts.choosing and opts.heuristic == (post.parent_id or flat.article.id)
        # P0 (the article) and every offered post, oldest first, the heuristic's marked with its %.
        assert req.parents == [f"P{i}" for i in range(len(opts.offered) + 1)]
        guess = req.guess
        assert guess is not None
        guessed = flat.article.id if guess == "P0" else opts.offered[int(guess[1:]) - 1]
        assert guessed == opts.heuristic
        assert f"{opts.probability[guessed]:.0%} <- the layout's guess" in req.user_text
        if post.parent_id and post.parent_id != flat.article.id:
            assert post.parent_id in opts.offered
        # Scheduling by the possible parents: every offered post was answered before it was asked.
        for pid in opts.offered:
            assert by_text(server, by_id[pid].text).seq_out < req.seq_in
    # Any offered post, not only the guessed one, may be the relation's target.
    assert sum(len(o.offered) > 1 for o in options.values()) > 0


def test_source_tree_is_not_rebuilt_by_the_model(server: ChatServer, tmp_path: Path) -> None:
    from llm_threads import make_thread  # a thread whose source gave the tree

    thread = make_thread()
    list(extractor(server, tmp_path).extract(thread, {}))
    for req in server.requests:
        assert req.parents == []
        assert "reply_to" not in req.body["response_format"]["json_schema"]["schema"]["properties"]


def test_model_choice_moves_the_reply_and_a_bad_id_falls_back(
    server: ChatServer, store: Store, tmp_path: Path, flat: Thread, caplog: pytest.LogCaptureFixture
) -> None:
    options = parent_options(flat)
    movable = [p for p in flat.comments if len(options[p.id].offered) >= 1]
    moved, bogus = movable[-1], movable[-2]
    target = next(q for q in [flat.article.id, *options[moved.id].offered] if q != moved.parent_id)
    target_id = (
        "P0" if target == flat.article.id else f"P{options[moved.id].offered.index(target) + 1}"
    )

    def answer(req: ChatRequest) -> dict:
        out = sample_answer(req)
        if req.post_text == moved.text:
            out["reply_to"] = target_id
        elif req.post_text == bogus.text:
            out["reply_to"] = "P99"
        return out

    server.answer = answer
    summary = IngestSummary()
    with caplog.at_level(logging.WARNING, logger="argmap"):
        ingest_thread(store, flat, extractor(server, tmp_path), summary)
    assert summary.pending == 0
    assert summary.reparented == 1 and summary.reply_to_fallbacks == 1
    assert "not offered" in caplog.text

    def parent_of(pid: str) -> list[str]:
        rows = store.run_read(
            "MATCH (:Post {id: $id})-[:REPLIES_TO]->(q:Post) RETURN q.id AS id", {"id": pid}
        )
        return [r["id"] for r in rows]

    assert parent_of(moved.id) == [target]
    assert parent_of(bogus.id) == [bogus.parent_id or flat.article.id]  # the heuristic's kept
    # A re-run rewrites the thread from the source: the model's choice stays.
    again = IngestSummary()
    ingest_thread(store, flat, extractor(server, tmp_path), again)
    assert again.to_extract == 0 and parent_of(moved.id) == [target]


def test_cache_key_covers_the_offered_candidates() -> None:
    messages = [{"role": "user", "content": "same words"}]
    a = cache_key("m", "v", messages, {}, {"parents": {"P1": "x"}})
    b = cache_key("m", "v", messages, {}, {"parents": {"P1": "y"}})
    assert a != b and a == cache_key("m", "v", messages, {}, {"parents": {"P1": "x"}})


def test_prefix_is_shared_and_billed_as_cached(
    server: ChatServer, tmp_path: Path, flat: Thread
) -> None:
    results = {r.post_id: r for r in extractor(server, tmp_path, concurrency=1).extract(flat, {})}
    comments = [by_text(server, p.text) for p in flat.comments]
    # Everything the same for every comment comes first: the second comment on reuses it.
    assert comments[0].cached_tokens == 0
    assert all(r.cached_tokens >= 1024 for r in comments[1:])
    for post in flat.comments:
        req, res = by_text(server, post.text), results[post.id]
        assert res.cached_prompt_tokens == req.cached_tokens  # read from usage
        assert res.prompt_tokens == req.usage[0]
    uncached = [r.usage[0] - r.cached_tokens for r in comments[1:]]
    assert sum(uncached) / len(uncached) < sum(r.usage[0] for r in comments[1:]) / len(uncached)
