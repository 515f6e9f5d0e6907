"""The ``llm`` extractor when the endpoint fails: 429, 500 and timeouts retried, exhausted or
rejected posts left pending with their replies, a malformed answer asked again, and the
pipeline retrying only the pending posts on the next run.

Through the real openai SDK, over a real socket, to the scripted local server
(``llm_server.ChatServer``, the ``server`` fixture); no client is patched.
"""

from __future__ import annotations

import json
from pathlib import Path

from argmap.graph.store import Store
from argmap.graph.writes import extracted_claims
from argmap.ingest.pipeline import IngestSummary, ingest_thread
from llm_server import ChatServer, Fault
from llm_threads import TEXTS, by_post, extractor, make_thread, request_for


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
