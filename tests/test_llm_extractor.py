"""The ``llm`` extractor through the real openai SDK, over a real socket, to a local test server.

No client is patched: the server (``llm_server.ChatServer``) speaks the chat-completions protocol
and is scripted per test (answers, injected 429/500, slow answers, malformed JSON).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph.store import Store
from argmap.graph.writes import extracted_claims
from argmap.ingest.extract import PostResult, get_extractor
from argmap.ingest.extract.llm import (
    MALFORMED_RETRIES,
    MAX_OUTPUT_TOKENS,
    LLMExtractor,
    make_llm_extractor,
)
from argmap.ingest.extract.llm_context import ARTICLE_CHARS, trim
from argmap.ingest.extract.llm_estimate import estimate_thread
from argmap.ingest.extract.llm_output import REPAIR_TOKENS
from argmap.ingest.extract.pricing import cost_usd, price_for
from argmap.ingest.pipeline import IngestSummary, ingest_thread
from llm_server import ChatRequest, ChatServer, Fault, sample_answer

from argmap.core.config import LLMConfig
from argmap.core.models import Post, Thread
from argmap.core.settings import Settings

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


@pytest.fixture
def server() -> Iterator[ChatServer]:
    with ChatServer() as s:
        yield s


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


def test_extracts_every_post_parent_before_child(server: ChatServer, tmp_path: Path) -> None:
    thread = make_thread()
    results = by_post(list(extractor(server, tmp_path, concurrency=4).extract(thread, {})))
    assert set(results) == {p.id for p in thread.posts}
    assert all(r.error is None for r in results.values())
    ids_so_far: dict[str, set[str]] = {}
    for post in thread.posts:
        r = results[post.id]
        assert r.claims, post.id
        for c in r.claims:
            assert post.text[c.start : c.end] == c.quote
            assert (c.extractor, c.model, c.prompt_version) == ("llm", "gpt-4o-mini", "extract.v2")
        for rel in r.relations:
            assert rel.model == "gpt-4o-mini" and rel.prompt_version == "extract.v2"
        ids_so_far[post.id] = {c.id for c in r.claims}
    # Every relation points at a claim of the article or of an ancestor.
    parent = {p.id: p.parent_id for p in thread.posts}
    for post in thread.comments:
        allowed = set(ids_so_far[thread.article.id])
        up = parent[post.id]
        while up:
            allowed |= ids_so_far[up]
            up = parent[up]
        assert {rel.target for rel in results[post.id].relations} <= allowed
    # The server saw each parent's request finish before its child's arrived.
    seen = {p.id: request_for(server, p.text)[0] for p in thread.posts}
    for post in thread.comments:
        assert seen[post.parent_id].seq_out < seen[post.id].seq_in
    assert len(server.requests) == len(thread.posts)


def test_model_sees_title_article_claims_ancestors_and_candidates_only(
    server: ChatServer, tmp_path: Path
) -> None:
    thread = make_thread()
    results = by_post(list(extractor(server, tmp_path, concurrency=1).extract(thread, {})))
    eve = thread.posts[4]  # replies to Cy, who replies to Bob, who replies to the article
    text = request_for(server, eve.text)[0].user_text
    assert thread.title in text
    for ancestor in (thread.posts[1], thread.posts[2]):
        assert ancestor.text in text
    for unrelated in (thread.posts[3], thread.posts[5]):
        assert unrelated.text not in text
    # The article is represented by its opening and its claims, before the comment's own part.
    assert text.index(trim(thread.article.text, ARTICLE_CHARS)) < text.index(thread.posts[1].text)
    offered = request_for(server, eve.text)[0].offered
    expected = [
        *results[thread.article.id].claims,
        *results[thread.posts[1].id].claims,
        *results[thread.posts[2].id].claims,
    ]
    assert len(offered) == len(expected)
    for claim in expected:
        assert claim.text in text
    assert (
        json.loads(json.dumps(server.requests[0].body["response_format"]))["type"] == "json_schema"
    )
    assert server.requests[0].body["response_format"]["json_schema"]["strict"] is True


def test_ungrounded_quote_and_unoffered_id_are_dropped_and_counted(
    server: ChatServer, tmp_path: Path
) -> None:
    thread = make_thread(TEXTS[:2])
    bob = thread.posts[1]

    def answer(req: ChatRequest) -> dict:
        if bob.text not in req.post_text:
            return sample_answer(req)
        return {
            "is_spam": False,
            "claims": [
                {
                    "paraphrase": "Small groups can reach workers.",
                    "quote": "Small groups can reach workers if they organise well.",
                    "relations": [
                        {
                            "target": req.offered[0],
                            "type": "rebuts",
                            "confidence": 0.9,
                            "rationale": "Denies it.",
                        },
                        {
                            "target": "C99",
                            "type": "rebuts",
                            "confidence": 0.9,
                            "rationale": "Not offered.",
                        },
                    ],
                },
                {
                    "paraphrase": "Invented.",
                    "quote": "Bob never wrote this sentence.",
                    "relations": [],
                },
            ],
        }

    server.answer = answer
    results = by_post(list(extractor(server, tmp_path).extract(thread, {})))
    r = results[bob.id]
    assert r.error is None
    assert [c.quote for c in r.claims] == ["Small groups can reach workers if they organise well."]
    assert r.dropped_claims == 1 and r.dropped_relations == 1
    assert len(r.relations) == 1
    assert r.relations[0].target == results[thread.article.id].claims[0].id


def test_quote_found_after_normalisation_keeps_the_source_text(
    server: ChatServer, tmp_path: Path
) -> None:
    thread = make_thread([("Ann", None, "The “party” isn’t   growing — it’s shrinking fast.")])

    server.answer = lambda req: {
        "is_spam": False,
        "claims": [
            {
                "paraphrase": "It is shrinking.",
                "quote": "the \"party\" isn't growing - it's shrinking fast",
                "relations": [],
            }
        ],
    }
    (r,) = extractor(server, tmp_path).extract(thread, {})
    assert r.dropped_claims == 0
    assert r.claims[0].quote == "The “party” isn’t   growing — it’s shrinking fast"


def test_429_500_and_timeouts_are_retried(server: ChatServer, tmp_path: Path) -> None:
    thread = make_thread(TEXTS[:2])
    server.inject(Fault(status=429), Fault(status=500), Fault(delay=2.0))
    results = list(extractor(server, tmp_path, timeout=0.5, retries=3).extract(thread, {}))
    assert all(r.error is None for r in results)
    article = request_for(server, thread.article.text)
    assert len(article) == 4  # 429, 500, a timeout (the client gave up), then the answer
    assert [r.status for r in article[:2]] == [429, 500] and article[3].status == 200
    assert len(request_for(server, thread.posts[1].text)) == 1


def test_exhausted_retries_leave_the_post_and_its_replies_pending(
    server: ChatServer, tmp_path: Path
) -> None:
    thread = make_thread()
    bob = thread.posts[1]
    server.inject(*[Fault(status=400, match=bob.text)])  # a request the endpoint rejects
    results = by_post(list(extractor(server, tmp_path, retries=2).extract(thread, {})))
    pending = {pid for pid, r in results.items() if r.error}
    below_bob = {thread.posts[2].id, thread.posts[4].id}
    assert pending == {bob.id} | below_bob
    assert "post 1 by Bob" in results[bob.id].error
    assert all("waiting for" in results[pid].error for pid in below_bob)
    assert len(request_for(server, bob.text)) == 1  # 400 is not retried
    assert not any(request_for(server, thread.posts[i].text) for i in (2, 4))


def test_server_errors_on_every_retry_stop_the_run(server: ChatServer, tmp_path: Path) -> None:
    thread = make_thread()
    server.inject(*[Fault(status=500) for _ in range(3)])
    results = list(extractor(server, tmp_path, retries=2).extract(thread, {}))
    assert len(results) == len(thread.posts)
    assert all(r.error for r in results)
    assert "HTTP 500" in results[0].error
    assert len(server.requests) == 3  # 1 try + 2 retries, then nothing more


def test_malformed_answer_is_asked_again_then_left_pending(
    server: ChatServer, tmp_path: Path
) -> None:
    thread = make_thread(TEXTS[:1])
    server.inject(Fault(content="{not json"))
    (ok,) = extractor(server, tmp_path, cache="a.sqlite3").extract(thread, {})
    assert ok.error is None and ok.claims
    assert len(server.requests) == 2
    assert ok.prompt_tokens == sum(r.usage[0] for r in server.requests)  # both were paid for

    server.inject(Fault(content='{"claims": "nope"}'), Fault(content="```json\n{"))
    (bad,) = extractor(server, tmp_path, cache="b.sqlite3").extract(thread, {})
    assert bad.error and "malformed answer" in bad.error
    assert len(server.requests) == 4


def test_spam_flag_yields_no_claims(server: ChatServer, tmp_path: Path) -> None:
    thread = make_thread(TEXTS[:4])
    dee = thread.posts[3]

    def answer(req: ChatRequest) -> dict:
        out = sample_answer(req)
        out["is_spam"] = dee.text in req.post_text
        return out

    server.answer = answer
    ext = extractor(server, tmp_path)
    results = by_post(list(ext.extract(thread, {})))
    assert results[dee.id].error is None and results[dee.id].claims == []
    assert all(results[p.id].claims for p in thread.posts if p.id != dee.id)
    assert ext.spam_flagged == 1


def test_cache_answers_a_rerun_without_requests(server: ChatServer, tmp_path: Path) -> None:
    thread = make_thread()
    first = by_post(list(extractor(server, tmp_path).extract(thread, {})))
    sent = len(server.requests)
    assert sent == len(thread.posts)
    again = extractor(server, tmp_path)  # a new process would open the same file
    second = by_post(list(again.extract(thread, {})))
    assert len(server.requests) == sent
    assert again.requests == 0
    assert all(r.cached and r.prompt_tokens == 0 and r.cost_usd == 0 for r in second.values())
    for pid, r in first.items():
        assert [c.model_dump() for c in second[pid].claims] == [c.model_dump() for c in r.claims]
        assert [x.model_dump() for x in second[pid].relations] == [
            x.model_dump() for x in r.relations
        ]
    # Another model is another key.
    other = extractor(server, tmp_path, model="gpt-4.1-mini").extract(thread, {})
    next(other)
    other.close()
    assert len(server.requests) == sent + 1


@pytest.mark.parametrize("n", [1, 4])
def test_never_more_than_n_requests_in_flight(tmp_path: Path, n: int) -> None:
    texts = [TEXTS[0]] + [
        (f"P{i}", 0, f"Comment number {i} makes a point. It has a reason.") for i in range(8)
    ]
    with ChatServer(latency=0.3) as slow:
        results = list(extractor(slow, tmp_path, concurrency=n).extract(make_thread(texts), {}))
        assert all(r.error is None for r in results)
        assert slow.max_in_flight == n  # bounded, and actually concurrent


def test_max_cost_stops_before_exceeding(server: ChatServer, tmp_path: Path) -> None:
    thread = make_thread()
    model = "gpt-4o-mini"
    assert price_for(model) is not None
    # Room for the article's worst case (every attempt with a 4096-token answer), not for all.
    budget = cost_usd(model, 2000, MAX_OUTPUT_TOKENS) + MALFORMED_RETRIES * cost_usd(
        model, 2000 + MAX_OUTPUT_TOKENS + REPAIR_TOKENS, MAX_OUTPUT_TOKENS
    )
    results = list(extractor(server, tmp_path, max_cost=budget, concurrency=1).extract(thread, {}))
    spent = sum(r.cost_usd for r in results)
    assert spent <= budget
    done = [r for r in results if r.error is None]
    stopped = [r for r in results if r.error]
    assert done and stopped
    assert any("max-cost" in r.error for r in stopped)
    assert len(server.requests) == len(done)


def test_max_cost_needs_a_known_price(server: ChatServer, tmp_path: Path) -> None:
    from argmap.core.errors import ExtractionError

    with pytest.raises(ExtractionError, match="price"):
        extractor(server, tmp_path, model="my-local-llama", max_cost=1.0)


def test_estimate_needs_no_server(tmp_path: Path) -> None:
    thread = make_thread()
    est = estimate_thread(thread, {}, "gpt-4o-mini")
    assert est.requests == len(thread.posts)
    assert est.prompt_tokens > est.requests * 100  # the system prompt and schema alone are that
    assert est.cost_usd is not None and est.cost_usd > 0
    assert estimate_thread(thread, {}, "my-local-llama").cost_usd is None


def test_auto_uses_llm_only_when_configured(
    argmap_env: Path, monkeypatch: pytest.MonkeyPatch, server: ChatServer, tmp_path: Path
) -> None:
    monkeypatch.setenv("ARGMAP_LLM_CACHE", str(tmp_path / "c.sqlite3"))
    assert get_extractor("auto").name == "offline"
    assert get_extractor("auto", Settings().llm_config()).name == "offline"
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    assert get_extractor("auto", Settings().llm_config()).name == "llm"
    monkeypatch.delenv("OPENAI_BASE_URL")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert get_extractor("auto", Settings().llm_config()).name == "llm"


def test_pipeline_keeps_failed_posts_pending_and_retries_only_them(
    server: ChatServer, store: Store, tmp_path: Path
) -> None:
    thread = make_thread()
    bob = thread.posts[1]
    server.inject(Fault(status=400, match=bob.text))
    first = IngestSummary()
    ingest_thread(store, thread, extractor(server, tmp_path), first)
    assert first.pending == 3 and first.extracted_now == 3  # Bob, and Cy and Eve below him
    assert first.prompt_tokens > 0 and first.cost_usd > 0
    stored = store.run_read(
        "MATCH (c:Claim) RETURN c.model AS model, c.prompt_version AS pv, count(*) AS n"
    )
    assert [(r["model"], r["pv"]) for r in stored] == [("gpt-4o-mini", "extract.v2")]
    sent = len(server.requests)

    second = IngestSummary()
    ingest_thread(store, thread, extractor(server, tmp_path), second)
    retried = [r.post_text for r in server.requests[sent:]]
    assert sorted(retried) == sorted([bob.text, thread.posts[2].text, thread.posts[4].text])
    assert second.pending == 0 and second.extracted_now == 3
    assert set(extracted_claims(store, thread.id)) == {p.id for p in thread.posts}
    rels = store.run_read(
        "MATCH (:Claim)-[r:REBUTS|SUPPORTS]->(:Claim) RETURN r.model AS model, r.prompt_version AS pv"
    )
    assert rels and all((r["model"], r["pv"]) == ("gpt-4o-mini", "extract.v2") for r in rels)

    third = IngestSummary()
    ingest_thread(store, thread, extractor(server, tmp_path), third)
    assert len(server.requests) == sent + 3 and third.to_extract == 0
