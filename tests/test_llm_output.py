"""Local models: ``json_schema`` structured outputs, ``json_object`` with the schema in the prompt
and one repair retry, and ``auto`` detecting a server that refuses ``json_schema`` once per run.
The real openai SDK over HTTP to ``llm_server`` (``structured_outputs=False`` plays a server
without structured outputs)."""

from __future__ import annotations

import json
from pathlib import Path

from argmap.ingest.extract.llm import make_llm_extractor
from llm_server import ChatServer, Fault
from llm_threads import make_thread

from argmap.core.config import LLMConfig
from argmap.core.settings import Settings


def run(server: ChatServer, tmp_path: Path, output: str, concurrency: int = 1):
    config = LLMConfig(
        base_url=server.base_url,
        max_retries=0,
        cache_path=tmp_path / f"{output}.sqlite3",
        output=output,
        concurrency=concurrency,
    )
    ext = make_llm_extractor(config)
    return ext, list(ext.extract(make_thread(), {}))


def test_auto_falls_back_to_json_object_once(tmp_path: Path) -> None:
    with ChatServer(structured_outputs=False) as server:
        ext, results = run(server, tmp_path, "auto")
        assert all(r.error is None and r.claims for r in results)
        kinds = [r.body["response_format"]["type"] for r in server.requests]
        assert kinds[0] == "json_schema" and server.requests[0].status == 400
        assert kinds[1:] == ["json_object"] * len(results)  # detected once, not per post
        assert ext.output.switched
        system = server.requests[1].body["messages"][0]["content"]
        assert '"claims"' in system and "JSON schema" in system  # the schema is in the prompt


def test_json_schema_mode_does_not_fall_back(tmp_path: Path) -> None:
    with ChatServer(structured_outputs=False) as server:
        _, results = run(server, tmp_path, "json_schema")
        # Every post would be refused alike: the run stops at once and names the setting.
        assert results[0].error and "set ARGMAP_LLM_OUTPUT=auto" in results[0].error
        assert all(r.error for r in results) and len(server.requests) == 1
        assert server.requests[0].body["response_format"]["type"] == "json_schema"


def test_json_object_mode_validates_and_repairs_once(tmp_path: Path) -> None:
    with ChatServer() as server:
        server.inject(Fault(content='{"claims": "not a list"}'))
        ext, results = run(server, tmp_path, "json_object")
        assert all(r.error is None for r in results)
        assert {r.body["response_format"]["type"] for r in server.requests} == {"json_object"}
        first, repaired = server.requests[0], server.requests[1]
        turns = repaired.body["messages"]
        assert turns[-2] == {"role": "assistant", "content": '{"claims": "not a list"}'}
        assert "not valid" in turns[-1]["content"] and "is_spam" in turns[-1]["content"]
        assert len(server.requests) == len(results) + 1
        assert results[0].prompt_tokens == first.usage[0] + repaired.usage[0]  # both paid for
        json.loads(json.dumps(first.body))  # the request was plain JSON


def test_output_setting(monkeypatch) -> None:
    monkeypatch.setenv("ARGMAP_LLM_OUTPUT", "json_object")
    assert Settings().llm_config().output == "json_object"
