"""The ``llm`` extractor when the endpoint fails: 429, 500 and timeouts retried, exhausted or
rejected posts left pending with their replies, a malformed answer asked again, and the
pipeline retrying only the pending posts on the next run.

Through the real openai SDK, over a real socket, to the scripted local server
(``llm_server.ChatServer``, the ``server`` fixture); no client is patched.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from argmap.graph.store import Store
from argmap.graph.writes import extracted_claims
from argmap.ingest.extract.llm import make_llm_extractor
from argmap.ingest.pipeline import IngestSummary, ingest_thread
from llm_server import ChatServer, Fault
from llm_threads import TEXTS, by_post, extractor, make_thread, request_for

from argmap.core.config import LLMConfig


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


def test_an_answer_in_a_code_fence_or_with_an_extra_field_is_read_as_it_is(
    server: ChatServer, tmp_path: Path
) -> None:
    thread = make_thread(TEXTS[:1])
    quote = thread.article.text.split(".")[0] + "."
    answer = {
        "is_spam": False,
        "claims": [{"paraphrase": "The article's first point.", "quote": quote, "relations": []}],
        "explanation": "a field nobody asked for",
    }
    server.inject(Fault(content="```json\n" + json.dumps(answer) + "\n```"))
    (ok,) = extractor(server, tmp_path).extract(thread, {})
    assert ok.error is None and [c.quote for c in ok.claims] == [quote]
    assert len(server.requests) == 1  # read at once, not asked again


# What a real endpoint answers when every request would fail, and what the one line must tell
# the user to do about it (re-running alone would fail the same way).
FATAL = {
    "key refused": (
        Fault(status=401, message="Incorrect API key provided"),
        "check OPENAI_API_KEY",
    ),
    "no access": (Fault(status=403, message="Project lacks access"), "may use model 'gpt-4o-mini'"),
    "no such model": (
        Fault(status=404, message="The model `gpt-4o-mini` does not exist", code="model_not_found"),
        "check the model name (--model, ARGMAP_MODEL)",
    ),
    "out of quota": (
        Fault(status=429, message="You exceeded your current quota", code="insufficient_quota"),
        "check its plan and billing",
    ),
    "rate limited": (Fault(status=429, retry_after_ms=None), "lower --concurrency"),
    "server down": (Fault(status=503, message="Service Unavailable"), "try again later"),
    "hung": (
        Fault(delay=2.0),
        "did not answer within 0.5 s on any of 2 tries; raise ARGMAP_LLM_TIMEOUT",
    ),
    "connection dropped mid-answer": (Fault(drop=True), "broke on each of 2 tries"),
}


@pytest.mark.parametrize("case", FATAL)
def test_a_failure_every_request_would_meet_says_what_to_do_and_stops_asking(
    server: ChatServer, tmp_path: Path, case: str
) -> None:
    fault, advice = FATAL[case]
    thread = make_thread()
    bob = thread.posts[1]
    server.inject(*[replace(fault, match=bob.text) for _ in range(2)])  # the first try and 1 retry
    ext = extractor(server, tmp_path, timeout=0.5, retries=1, concurrency=1)
    results = by_post(list(ext.extract(thread, {})))
    error = results[bob.id].error
    assert error and advice in error and "\n" not in error
    retried = fault.status is None or fault.status >= 429  # the SDK gives up at once on 4xx
    assert len(request_for(server, bob.text)) == (2 if retried else 1)
    # Fay answers the article too, after Bob: she is not asked, and stays pending with the cause.
    fay = thread.posts[5]
    assert request_for(server, fay.text) == [] and results[fay.id].error == error


def test_a_base_url_without_v1_is_named_when_the_endpoint_answers_404(
    server: ChatServer, tmp_path: Path
) -> None:
    server.inject(Fault(status=404, message="404 page not found"))
    config = LLMConfig(base_url=server.base_url.removesuffix("/v1"), max_retries=0)
    (result,) = make_llm_extractor(config).extract(make_thread(TEXTS[:1]), {})
    assert result.error and "OPENAI_BASE_URL" in result.error and "has no /v1" in result.error


def test_an_answer_cut_off_says_where_it_was_cut(server: ChatServer, tmp_path: Path) -> None:
    thread = make_thread(TEXTS[:1])
    cut = Fault(content='{"is_spam": false, "claims": [{"parap', finish_reason="length")
    server.inject(cut, cut)
    (result,) = extractor(server, tmp_path).extract(thread, {})
    tokens = server.requests[-1].usage[1]
    assert result.error and f"cut off at {tokens} tokens, the server's output" in result.error
    assert len(server.requests) == 2  # asked once more, then left pending
