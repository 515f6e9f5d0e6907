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
from pathlib import Path

import pytest
from llm_server import ChatServer, Fault
from llm_threads import TEXTS, by_post, extractor, make_thread


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
