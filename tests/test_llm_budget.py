"""What an ``llm`` run spends: a rerun answered from the cache, never more than N requests in
flight, ``--max-cost`` stopping before it is exceeded (and needing a known price), and the
estimate made without a server.

Through the real openai SDK, over a real socket, to the scripted local server
(``llm_server.ChatServer``, the ``server`` fixture); no client is patched.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from argmap.ingest.extract.llm import MALFORMED_RETRIES, MAX_OUTPUT_TOKENS
from argmap.ingest.extract.llm_estimate import estimate_line, estimate_thread
from argmap.ingest.extract.llm_output import REPAIR_TOKENS
from argmap.ingest.extract.pricing import cost_usd, price_for
from llm_server import ChatServer
from llm_threads import TEXTS, by_post, extractor, make_thread


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
    price = price_for(model)
    budget = cost_usd(price, 2000, MAX_OUTPUT_TOKENS) + MALFORMED_RETRIES * cost_usd(
        price, 2000 + MAX_OUTPUT_TOKENS + REPAIR_TOKENS, MAX_OUTPUT_TOKENS
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
    local = estimate_thread(thread, {}, "my-local-llama")
    assert local.cost_usd is None
    assert "completion tokens, cost unknown (no price for this model: set ARGMAP_PRICE_INPUT" in (
        estimate_line(local)
    )
    assert "completion tokens, about $" in estimate_line(est)
