"""What the library needs to be told: where the store is, and how to reach an LLM.

Plain values, built by the CLI or the dashboard from the settings (``argmap.core.settings``) or
by a Python caller directly; nothing below the CLI reads the environment.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, SecretStr

DEFAULT_GRAPH = "argmap"


NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


class StoreConfig(BaseModel):
    """A store: a directory (embedded FalkorDB) or a ``bolt://``/``neo4j://`` URI, and its login."""

    target: str
    graph: str = DEFAULT_GRAPH
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str | None = None
    connect_timeout: float = 5.0


@dataclass(frozen=True)
class Price:
    """What a model's tokens cost, in USD per million tokens: prompt, prompt served from the
    provider's prompt cache, completion."""

    input: float
    cached_input: float
    output: float


# Where an LLMConfig without a base URL sends its requests: OpenAI, as the SDK's own default.
OPENAI_URL = "https://api.openai.com/v1"
# Requests in flight and seconds to wait for an answer, unless set: a hosted API serves many
# requests at once within a minute; a local server usually runs one GPU (or a CPU) that answers
# one request at a time, the others queued, a long answer taking minutes.
HOSTED_CONCURRENCY, LOCAL_CONCURRENCY = 4, 1
HOSTED_TIMEOUT, LOCAL_TIMEOUT = 60.0, 600.0


def local_endpoint(base_url: str | None) -> bool:
    """Whether ``base_url`` is a server on this machine or its network (llama-server, Ollama,
    vLLM, LM Studio there): loopback or private addresses, ``localhost``, and single-label
    names (a compose service such as ``ollama``, ``host.docker.internal``)."""
    host = urlsplit(base_url or OPENAI_URL).hostname or ""
    if host in ("localhost", "host.docker.internal") or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host
    return address.is_loopback or address.is_private or address.is_unspecified


class LLMConfig(BaseModel):
    """An OpenAI-compatible endpoint and how to use it (no ``base_url``: ``OPENAI_URL``)."""

    api_key: SecretStr | None = None
    base_url: str | None = None
    model: str = "gpt-4o-mini"
    max_retries: int = 5
    timeout: float | None = None  # None: HOSTED_TIMEOUT, or LOCAL_TIMEOUT for a local server
    concurrency: int | None = None  # None: HOSTED_CONCURRENCY, or LOCAL_CONCURRENCY
    max_cost: float | None = None
    # The model's price when stated (ARGMAP_PRICE_*); None: the table's (ingest/extract/pricing.py).
    price: Price | None = None
    # A stated price argmap cannot use (only some ARGMAP_PRICE_* set), as one line saying what to
    # do: the llm extractor and the dry run refuse with it; an offline ingest never reads it.
    price_problem: str | None = None
    cache_path: Path | None = None  # None: no answer cache
    # How the answer's JSON shape is asked for: structured outputs (json_schema), any JSON object
    # with the schema in the prompt (json_object, for servers without json_schema), no response
    # format and the schema in the prompt (text, for servers that take neither), or auto.
    output: Literal["auto", "json_schema", "json_object", "text"] = "auto"
    # Batch API: where submitted batches are recorded, to collect them in a later run.
    batch_path: Path | None = None

    @property
    def local(self) -> bool:
        """The endpoint is a server on this machine or its network (``local_endpoint``)."""
        return local_endpoint(self.base_url)

    @property
    def requests_at_once(self) -> int:
        """``concurrency``, or its default for this endpoint."""
        if self.concurrency is not None:
            return self.concurrency
        return LOCAL_CONCURRENCY if self.local else HOSTED_CONCURRENCY

    @property
    def wait_seconds(self) -> float:
        """``timeout``, or its default for this endpoint."""
        if self.timeout is not None:
            return self.timeout
        return LOCAL_TIMEOUT if self.local else HOSTED_TIMEOUT

    @property
    def configured(self) -> bool:
        """An API key or a base URL was given: the ``auto`` extractor is then ``llm``."""
        return bool(self.api_key or self.base_url)
