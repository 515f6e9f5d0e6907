"""What an LLM endpoint's failure means, and what the user can do about it, in one line.

The SDK has already retried what is worth retrying (429, 5xx, timeouts, broken connections)
when an error reaches here. Each failure says what went wrong, in the endpoint's own words where
it gave some (secrets masked by ``llm_secrets``), and what to change: "re-run to retry" alone
does not help with a wrong key, model name or base URL. ``fatal`` means every later request of
the run would fail the same way, so the run stops asking and the rest stays pending.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import openai
from argmap.ingest.extract.llm_grounding import one_line
from argmap.ingest.extract.llm_limits import context_advice, context_overflow
from argmap.ingest.extract.llm_output import refuses_schema
from argmap.ingest.extract.llm_secrets import scrub, shown_url

from argmap.core.config import local_endpoint

# The SDK prefixes the endpoint's message with this; the status is said once, our way.
_SDK_PREFIX = re.compile(r"^Error code: \d+\s*-?\s*")


class EndpointFailure(Exception):
    """A post's request failed; ``fatal`` means every later request would fail the same way."""

    def __init__(self, message: str, fatal: bool = False):
        super().__init__(message)
        self.fatal = fatal


def _said(exc: openai.APIStatusError, client: openai.OpenAI) -> str:
    text = _SDK_PREFIX.sub("", scrub(str(exc), client))
    return one_line(text or exc.response.reason_phrase, 160)


def _code(exc: openai.APIStatusError) -> str:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error", body)
    return str(error.get("code") or "") if isinstance(error, dict) else ""


def _url_hint(client: openai.OpenAI) -> str:
    path = urlsplit(str(client.base_url)).path.rstrip("/")
    if path.endswith("/v1"):
        return ""
    # OpenAI, Ollama, vLLM, llama.cpp and LM Studio all serve the API under /v1.
    return f"; OPENAI_BASE_URL {shown_url(client.base_url)} has no /v1, which most servers need"


def served_models(client: openai.OpenAI, shown: int = 10) -> str:
    """The model names ``GET /v1/models`` lists, for a line ("" if it answers none): Ollama
    wants the exact local name (``qwen2.5:7b-instruct``), vLLM the served one."""
    try:
        # A short look: the run stops on this 404 anyway, the list only says what to set.
        page = client.with_options(timeout=5.0, max_retries=0).models.list()
        names = sorted({str(m.id) for m in page.data})
    except openai.OpenAIError:
        return ""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def status_failure(
    exc: openai.APIStatusError, client: openai.OpenAI, model: str
) -> EndpointFailure:
    """The failure an HTTP error status means, with what to do about it."""
    status, said = exc.status_code, _said(exc, client)
    if context_overflow(exc):  # this post's prompt: shorter ones may still fit
        return EndpointFailure(
            f"the prompt does not fit the model's context on the server (HTTP {status}: {said}); "
            f"{context_advice(local_endpoint(str(client.base_url)))}"
        )
    if refuses_schema(exc):  # a fixed ARGMAP_LLM_OUTPUT the server does not take: every post
        return EndpointFailure(
            f"the endpoint does not take the response format asked for (HTTP {status}: {said}); "
            "set ARGMAP_LLM_OUTPUT=auto (json_schema, then json_object, then none)",
            True,
        )
    if status == 401:
        return EndpointFailure(
            f"the endpoint refused the API key (HTTP 401: {said}); check OPENAI_API_KEY", True
        )
    if status == 403:
        return EndpointFailure(
            f"the endpoint refused access (HTTP 403: {said}); check that the key in "
            f"OPENAI_API_KEY may use model {model!r}",
            True,
        )
    if status == 404:
        served = served_models(client)
        if served:  # the server answers /v1/models: the name is wrong, not the URL
            return EndpointFailure(
                f"the endpoint has no model {model!r} (HTTP 404: {said}); set --model or "
                f"ARGMAP_MODEL to one it serves: {served}",
                True,
            )
        return EndpointFailure(
            f"the endpoint has no model {model!r} or no chat completions there (HTTP 404: "
            f"{said}); check the model name (--model, ARGMAP_MODEL){_url_hint(client)}",
            True,
        )
    if status == 429 and _code(exc) == "insufficient_quota":
        return EndpointFailure(
            f"the account is out of quota (HTTP 429: {said}); check its plan and billing", True
        )
    if status == 429:
        return EndpointFailure(
            f"the endpoint's rate limit held on every retry (HTTP 429: {said}); wait, or lower "
            "--concurrency",
            True,
        )
    if status >= 500:
        return EndpointFailure(
            f"the endpoint failed on every retry (HTTP {status}: {said}); try again later", True
        )
    if isinstance(exc, openai.BadRequestError):  # this post's request, not every request
        return EndpointFailure(f"the endpoint rejected the request (HTTP 400: {said})")
    return EndpointFailure(f"the endpoint answered HTTP {status}: {said}", True)


def api_failure(
    exc: openai.OpenAIError, client: openai.OpenAI, model: str, concurrency: int = 1
) -> EndpointFailure:
    """The failure ``exc`` means for one post's request (after the SDK's retries); the run's
    ``concurrency`` is named when requests waiting their turn may be what timed out."""
    tries = f"{client.max_retries + 1} {'try' if client.max_retries == 0 else 'tries'}"
    if isinstance(exc, openai.APITimeoutError):
        # Every post would wait as long: stop rather than spend hours finding out post by post.
        timeout = getattr(client.timeout, "read", client.timeout)  # a float, or the SDK's Timeout
        # A server answering one request at a time keeps the others waiting: the wait counts.
        queued = f", or lower --concurrency (now {concurrency})" if concurrency > 1 else ""
        return EndpointFailure(
            f"the LLM endpoint {shown_url(client.base_url)} did not answer within {timeout:g} s "
            f"on any of {tries}; raise ARGMAP_LLM_TIMEOUT (a local model may need minutes){queued}"
            " or check the server",
            True,
        )
    if isinstance(exc, openai.APIConnectionError):
        url = shown_url(client.base_url)
        cause = exc.__cause__
        # The SDK's HTTP library (httpx, or httpx2 in newer SDKs) names it ConnectError.
        if cause is None or type(cause).__name__ in ("ConnectError", "ConnectTimeout"):
            said = one_line(scrub(str(cause or exc), client), 120)
            return EndpointFailure(
                f"cannot reach the LLM endpoint {url} ({said}); check that the server runs and "
                "OPENAI_BASE_URL",
                True,
            )
        # It was reached: the connection broke while the answer came (a proxy, a crash).
        return EndpointFailure(
            f"the connection to the LLM endpoint {url} broke on each of {tries} "
            f"({type(cause).__name__}); try again later",
            True,
        )
    if isinstance(exc, openai.APIStatusError):
        return status_failure(exc, client, model)
    return EndpointFailure(one_line(scrub(str(exc), client), 200))
