"""The ``llm`` extractor's output: every post, parents before children, from a prompt holding
the title, the article, its ancestors and the claims it may answer; ungrounded quotes and
unoffered ids dropped and counted, quotes found after normalisation, spam flagged, and
``auto`` choosing it only when configured.

Through the real openai SDK, over a real socket, to the scripted local server
(``llm_server.ChatServer``, the ``server`` fixture); no client is patched.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from argmap.ingest.extract import get_extractor
from argmap.ingest.extract.llm_context import ARTICLE_CHARS, MAX_OFFERED_CLAIMS, trim
from llm_server import ChatRequest, ChatServer, Fault, sample_answer
from llm_threads import TEXTS, by_post, extractor, make_thread, request_for

from argmap.core.settings import Settings


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


def test_a_post_answered_with_hundreds_of_claims_offers_only_its_first_ones(
    server: ChatServer, tmp_path: Path
) -> None:
    article = " ".join(f"Point number{n} stands." for n in range(3 * MAX_OFFERED_CLAIMS))
    thread = make_thread([("Ann", None, article), TEXTS[1]])
    words = re.findall(r"number\d+", article)
    claims = [{"paraphrase": w, "quote": w, "relations": []} for w in words]
    server.inject(Fault(content=json.dumps({"is_spam": False, "claims": claims})))
    results = by_post(list(extractor(server, tmp_path).extract(thread, {})))
    assert len(results[thread.article.id].claims) == len(words)  # stored as the model said
    # ... but Bob's prompt, and every comment's after it, carries only the first ones.
    assert len(request_for(server, thread.posts[1].text)[0].offered) == MAX_OFFERED_CLAIMS


def test_the_endpoint_is_the_one_the_config_names_whatever_the_environment_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The library reads no environment variable: an LLMConfig without a base URL is OpenAI's
    endpoint, not whatever OPENAI_BASE_URL points at (the SDK's own fallback). Only the CLI
    reads OPENAI_BASE_URL, into the config."""
    from argmap.ingest.extract.llm import make_client
    from pydantic import SecretStr

    from argmap.core.config import LLMConfig

    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # never contacted
    client = make_client(LLMConfig(api_key=SecretStr("sk-test")))
    assert str(client.base_url) == "https://api.openai.com/v1/"
    named = make_client(LLMConfig(base_url="http://127.0.0.1:8/v1"))
    assert str(named.base_url) == "http://127.0.0.1:8/v1/"
    assert Settings().llm_config().base_url == "http://127.0.0.1:9/v1"  # the CLI's way in
