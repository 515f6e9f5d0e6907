"""The ``llm`` extractor against local OpenAI-compatible servers as users run them (llama.cpp's
``llama-server``, Ollama's ``/v1``, vLLM, LM Studio): answers around the JSON, response formats
refused, prompts over the model's context, a model name the server does not have, answers
without ``usage``, and a server that answers one request at a time.

Through the real openai SDK, over a real socket, to the scripted local server
(``llm_server.ChatServer`` with the servers' own error texts from ``llm_local``); no client is
patched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from llm_chat import _tokens
from llm_local import LLAMA_CPP_FORMAT, LM_STUDIO_FORMAT
from llm_server import ChatServer, Fault
from llm_threads import TEXTS, by_post, extractor, make_thread

from argmap.core.config import LLMConfig, Price


def _answer_for(thread_text: str) -> str:
    quote = thread_text.split(".")[0] + "."
    claim = {"paraphrase": "The article's first point.", "quote": quote, "relations": []}
    return json.dumps({"is_spam": False, "claims": [claim]})


WRAPPED = {
    "prose around a fence": "Sure! Here is the JSON you asked for:\n```json\n{answer}\n```\nHope it helps.",
    "a think block": "<think>\nThe user wants claims. The first sentence.\n</think>\n\n{answer}",
    "a think block and a fence": "<think>ok</think>\n```json\n{answer}\n```",
    "a sentence before the object": "Here is the extraction: {answer}",
}


@pytest.mark.parametrize("case", WRAPPED)
def test_json_wrapped_by_a_server_that_ignores_the_format_is_read_at_once(
    server: ChatServer, tmp_path: Path, case: str
) -> None:
    thread = make_thread(TEXTS[:1])
    answer = _answer_for(thread.article.text)
    server.inject(Fault(content=WRAPPED[case].replace("{answer}", answer)))
    (ok,) = extractor(server, tmp_path).extract(thread, {})
    assert ok.error is None and [c.quote for c in ok.claims] == [
        json.loads(answer)["claims"][0]["quote"]
    ]
    assert len(server.requests) == 1  # read as it came, not sent back for repair (paid twice)


def test_a_model_ollama_has_not_pulled_names_the_setting_and_what_it_serves(
    tmp_path: Path,
) -> None:
    with ChatServer(models=["llama3.2:3b", "qwen2.5:7b-instruct"]) as ollama:
        ext = extractor(ollama, tmp_path, model="qwen2.5", retries=0)
        results = by_post(list(ext.extract(make_thread(), {})))
    error = results[make_thread().posts[0].id].error
    assert error and "\n" not in error
    assert 'model "qwen2.5" not found' in error  # the server's own words
    assert "set --model or ARGMAP_MODEL to one it serves: llama3.2:3b, qwen2.5:7b-instruct" in error
    assert len(ollama.requests) == 1  # fatal: nothing more is asked
    assert all(r.error for r in results.values())  # every post stays pending


def test_lm_studio_refusing_json_object_stops_with_the_setting_to_change(tmp_path: Path) -> None:
    with ChatServer(refuse_formats={"json_object": (400, LM_STUDIO_FORMAT)}) as lm_studio:
        ext = extractor(lm_studio, tmp_path, output="json_object", retries=0)
        results = list(ext.extract(make_thread(), {}))
    error = results[0].error
    assert error and LM_STUDIO_FORMAT in error and "set ARGMAP_LLM_OUTPUT=auto" in error
    assert len(lm_studio.requests) == 1  # every post would be refused alike: asked once
    assert all(r.error for r in results)


def test_auto_goes_on_without_a_response_format_when_the_server_takes_none(tmp_path: Path) -> None:
    # An old llama-server refuses json_schema with a 500 (its words); this one json_object too.
    refused = {"json_schema": (500, LLAMA_CPP_FORMAT), "json_object": (400, LM_STUDIO_FORMAT)}
    with ChatServer(refuse_formats=refused) as server:
        ext = extractor(server, tmp_path, retries=0)
        results = list(ext.extract(make_thread(), {}))
        assert all(r.error is None and r.claims for r in results)
        kinds = [(r.body.get("response_format") or {}).get("type") for r in server.requests]
        assert kinds == ["json_schema", "json_object"] + [None] * len(results)
        system = server.requests[-1].body["messages"][0]["content"]
        assert "JSON schema" in system and '"claims"' in system  # the shape is in the prompt


def test_a_prompt_over_llama_servers_context_leaves_that_post_pending_and_says_what_to_do(
    tmp_path: Path,
) -> None:
    thread = make_thread()
    eve = thread.posts[4]  # the longest prompt: the article's claims and two posts above her
    for style in ("llama.cpp", "llama.cpp-500"):
        with ChatServer(n_ctx=700, context_style=style) as llama:
            ext = extractor(llama, tmp_path, cache=f"{style}.sqlite3", retries=1)
            results = by_post(list(ext.extract(thread, {})))
        assert {pid for pid, r in results.items() if r.error} == {eve.id}, style
        error = results[eve.id].error
        assert error and "\n" not in error and "post 4 by Eve" in error
        assert "does not fit the model's context" in error and "llama-server -c" in error, error


def test_vllm_counting_the_answer_in_its_context_gets_a_shorter_answer_asked_for(
    tmp_path: Path,
) -> None:
    with ChatServer(n_ctx=2000, context_style="vllm") as vllm:
        results = list(extractor(vllm, tmp_path, retries=0).extract(make_thread(), {}))
        assert all(r.error is None and r.claims for r in results)
        refused = [r for r in vllm.requests if r.status == 400]
        answered = vllm.answered()
        assert len(refused) == len(answered) == len(results)  # each asked once more, for less
        for r in answered:
            prompt = sum(_tokens(m["content"]) + 4 for m in r.body["messages"])  # as vLLM counts
            cap = r.body["max_completion_tokens"]
            assert cap + prompt == 2000 and r.body["max_tokens"] == cap  # all the room left


def test_a_local_server_is_sent_max_tokens_too(server: ChatServer, tmp_path: Path) -> None:
    # Ollama ignores max_completion_tokens: without max_tokens a looping model runs to the end
    # of its context (ollama/ollama#7125).
    list(extractor(server, tmp_path).extract(make_thread(TEXTS[:1]), {}))
    (request,) = server.requests
    assert request.body["max_tokens"] == request.body["max_completion_tokens"] == 4096


def test_answers_without_usage_still_count_towards_the_summary_and_max_cost(tmp_path: Path) -> None:
    # $0.001 a prompt token, answers free: a post's worst case (two tries, ~6,400 prompt tokens)
    # is about $6.4, what it really costs about $1.
    price = Price(input=1000.0, cached_input=1000.0, output=0.0)
    with ChatServer(usage=False) as proxy:
        ext = extractor(proxy, tmp_path, price=price, max_cost=9.0, concurrency=1)
        results = list(ext.extract(make_thread(), {}))
        sent = [r.usage[0] for r in proxy.answered()]  # what it would have reported
    done = [r for r in results if r.error is None]
    assert done and all(r.prompt_tokens > 0 and r.cost_usd > 0 for r in done)
    # The estimate is the dry run's (4 characters a token), near what the server counted.
    assert 0.8 < sum(r.prompt_tokens for r in done) / sum(sent) < 1.5
    assert any(r.error and "max-cost" in r.error for r in results)  # it stopped in time
    assert sum(r.cost_usd for r in results) <= 9.0


def test_a_local_server_gets_one_request_at_a_time_and_minutes_to_answer() -> None:
    for url in (
        "http://localhost:11434/v1",
        "http://127.0.0.1:8080/v1",
        "http://ollama:11434/v1",
        "http://192.168.1.20:8000/v1",
        "http://host.docker.internal:1234/v1",
    ):
        config = LLMConfig(base_url=url)
        assert (config.requests_at_once, config.wait_seconds) == (1, 600.0), url
    for url in (None, "https://api.openai.com/v1", "https://openrouter.ai/api/v1"):
        config = LLMConfig(base_url=url, api_key="sk-test")
        assert (config.requests_at_once, config.wait_seconds) == (4, 60.0), url
    set_ = LLMConfig(base_url="http://localhost:11434/v1", concurrency=3, timeout=30.0)
    assert (set_.requests_at_once, set_.wait_seconds) == (3, 30.0)  # what the user set wins


def test_a_server_answering_one_at_a_time_is_not_queued_into_timeouts(tmp_path: Path) -> None:
    # One slot, 0.3 s an answer, 0.5 s to wait: three comments queued at once (the default of 4
    # in flight) made the third wait 0.9 s, time out and stop the run.
    with ChatServer(serial=True, latency=0.3) as gpu:
        ext = extractor(gpu, tmp_path, timeout=0.5, retries=0)
        results = list(ext.extract(make_thread(), {}))
        assert all(r.error is None for r in results)
        assert gpu.max_in_flight == 1


def test_a_timeout_while_others_wait_names_concurrency_and_the_rerun_resumes(
    tmp_path: Path,
) -> None:
    thread = make_thread()
    with ChatServer(serial=True, latency=0.3) as gpu:
        ext = extractor(gpu, tmp_path, timeout=0.5, retries=0, concurrency=4)
        first = by_post(list(ext.extract(thread, {})))
        errors = {r.error for r in first.values() if r.error and "waiting for" not in r.error}
        (line,) = errors  # one line, the same for every post left
        assert "did not answer within 0.5 s" in line and "lower --concurrency (now 4)" in line
        done = {pid: r.claims for pid, r in first.items() if r.error is None}
        assert done and len(done) < len(thread.posts)
        for _ in range(100):  # the server still works through what was given up on, as they do
            if gpu.in_flight == 0:
                break
            time.sleep(0.05)
        sent = len(gpu.requests)

        again = extractor(gpu, tmp_path, timeout=0.5, retries=0, concurrency=1)
        second = list(again.extract(thread, done))
        assert {r.post_id for r in second} == set(first) - set(done)  # only what was left
        assert all(r.error is None for r in second)
        assert len(gpu.requests) - sent == len(second)


def test_json_a_server_puts_in_reasoning_content_is_read(
    server: ChatServer, tmp_path: Path
) -> None:
    server.inject(Fault(in_reasoning=True))
    (ok,) = extractor(server, tmp_path).extract(make_thread(TEXTS[:1]), {})
    assert ok.error is None and ok.claims
    assert len(server.requests) == 1  # not an "empty answer" sent back for repair


def test_argmap_ingest_with_a_model_ollama_lacks_says_so_in_one_line_and_a_rerun_goes_on(
    llm_env: Path, sample_path: Path, sample_todo: int
) -> None:
    def ingest(model: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "OPENAI_BASE_URL": ollama.base_url, "ARGMAP_MODEL": model}
        env.pop("OPENAI_API_KEY", None)  # as a local user runs it: no key at all
        command = [sys.executable, "-m", "argmap", "ingest", str(sample_path), "-q"]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)

    with ChatServer(models=["llama3.2:3b", "qwen2.5:7b-instruct"]) as ollama:
        wrong = ingest("llama3.2")
        assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
        line = next(x for x in wrong.stderr.splitlines() if "not found" in x)
        assert (
            "set --model or ARGMAP_MODEL to one it serves: llama3.2:3b, qwen2.5:7b-instruct" in line
        )
        assert len(ollama.requests) == 1  # the first answer said it all

        right = ingest("llama3.2:3b")
        assert right.returncode == 0, right.stderr
        assert len(ollama.answered()) == sample_todo  # every post, none twice
        assert ollama.max_in_flight == 1  # a local server: one request at a time
