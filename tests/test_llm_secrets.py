"""The LLM endpoint's secrets never appear in what argmap says: an endpoint that echoes the API
key in its 401 (some proxies do), and a base URL written with a login in it.

Through the real openai SDK, over a real socket, to the local server (``llm_server``).
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from argmap.graph.store import Store
from argmap.ingest.batch import ingest_batch
from argmap.ingest.extract.llm import make_llm_extractor
from llm_server import ChatServer
from llm_threads import make_thread
from pydantic import SecretStr

from argmap.core.config import LLMConfig
from argmap.core.errors import ExtractionError

KEY = "sk-test-Zq8v3RkP0aYt7LmN2xWc"
PASSWORD = "hunter2-Ub7wQx"
TREE = Path(__file__).parent / "fixtures" / "sources" / "comments.csv"


def config(base_url: str, tmp_path: Path) -> LLMConfig:
    return LLMConfig(
        api_key=SecretStr(KEY),
        base_url=base_url,
        max_retries=0,
        cache_path=tmp_path / "cache.sqlite3",
        batch_path=tmp_path / "batches.sqlite3",
    )


def leaks(text: str) -> list[str]:
    """Any secret, or a 12-character start of one (what a cut message would keep), in ``text``."""
    return [s for s in (KEY, KEY[:12], PASSWORD, PASSWORD[:8]) if s in text]


def test_a_key_the_endpoint_echoes_is_masked_in_every_error(tmp_path: Path) -> None:
    with ChatServer(refuse_key="Incorrect API key provided: {key}. Check it.") as server:
        ext = make_llm_extractor(config(server.base_url, tmp_path))
        results = list(ext.extract(make_thread(), {}))
    errors = [r.error or "" for r in results]
    assert errors and all(errors)  # nothing was extracted: every post says why
    assert "HTTP 401" in errors[0] and "Incorrect API key provided: ***. Check it." in errors[0]
    assert [e for e in errors if leaks(e)] == []


def test_a_key_the_endpoint_echoes_is_masked_in_a_batch_error(store: Store, tmp_path: Path) -> None:
    with ChatServer(refuse_key="invalid token {key}") as server:
        with pytest.raises(ExtractionError) as failed:
            ingest_batch(TREE, store, config(server.base_url, tmp_path))
    message = str(failed.value)
    assert "the Batch API call failed" in message and "invalid token ***" in message
    assert leaks(message) == []


def test_a_login_in_the_base_url_is_not_shown_when_the_endpoint_is_down(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nothing listens on once closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://argmap:{PASSWORD}@127.0.0.1:{port}/v1"
    results = list(make_llm_extractor(config(base, tmp_path)).extract(make_thread(), {}))
    error = results[0].error or ""
    assert f"cannot reach the LLM endpoint http://127.0.0.1:{port}/v1" in error
    assert leaks(error) == [] and "argmap:" not in error
