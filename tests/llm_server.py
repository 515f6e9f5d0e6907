"""A local OpenAI-compatible server, for tests and benchmarks.

It listens on a real loopback socket and answers ``POST /v1/chat/completions`` with the JSON the
``openai`` SDK expects (``choices``, ``usage``), so the extractor is exercised through the real
SDK and its real HTTP stack. It also serves the Files and Batches endpoints the SDK calls for
the Batch API (``batch_server``). It is scriptable:

- ``answer(request) -> dict | str``: the assistant's content for a request (a dict is sent as
  JSON; a str is sent as it is, so it can be malformed). ``sample_answer`` plays a model that
  reads argmap's prompt: it quotes the post's first sentences, relates them to offered ids and,
  where it is asked for ``reply_to``, takes the layout's guess.
- ``inject(Fault(...))``: the next matching request gets an HTTP error (429/500 with a short
  ``retry-after-ms``, or none), a delay, raw content instead of the answer, a refusal, another
  ``finish_reason`` (``length``), or a connection closed halfway through the answer.
- ``latency``: seconds every answer takes.
- ``refuse_key``: every request (chat, files, batches) gets a 401 whose message is this text
  with ``{key}`` replaced by the bearer token it was sent, as a proxy that echoes what it was
  given does (``None``, the default: keys are not checked).
- ``structured_outputs=False``: it refuses a ``json_schema`` response format with a 400, as
  servers without structured outputs do (``json_object`` still works); ``refuse_formats`` maps
  other response format types (``"text"``: none sent) to the (status, message) refusing them.
- local servers (``llm_local``): ``n_ctx`` with ``context_style`` (``llama.cpp``,
  ``llama.cpp-500``, ``vllm``) refuses a prompt over the context in that server's words;
  ``models`` (Ollama) answers ``GET /v1/models`` and a 404 for any other model; ``usage=False``
  leaves ``usage`` out of answers; ``serial=True`` answers one request at a time, the others
  waiting their turn (one GPU, one slot).
- usage reports ``prompt_tokens_details.cached_tokens`` as a prefix-caching provider does: the
  part of the prompt (response format, then the messages, ~4 characters a token) that repeats
  an earlier request's, counted in steps of 128 tokens once it reaches 1,024.

It records every request (``requests``), the order requests arrived and finished (a sequence
number, not a clock), and the most requests it ever had in flight at once (``max_in_flight``).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from llm_chat import (
    CACHE_MIN,
    CACHE_STEP,
    CHARS,
    ChatRequest,
    Fault,
    PrefixCache,
    _tokens,
    prompt_of,
    sample_answer,
    split_sentences,
)
from llm_local import context_error, model_error, models_list

__all__ = [
    "CACHE_MIN",
    "CACHE_STEP",
    "CHARS",
    "ChatRequest",
    "ChatServer",
    "Fault",
    "PrefixCache",
    "prompt_of",
    "sample_answer",
    "split_sentences",
]


@dataclass
class ChatServer:
    """The server; use as a context manager or call ``start``/``stop``."""

    answer: Callable[[ChatRequest], dict[str, Any] | str] = sample_answer
    latency: float = 0.0
    structured_outputs: bool = True
    refuse_formats: dict[str, tuple[int, str]] = field(default_factory=dict)
    n_ctx: int | None = None
    context_style: str = "llama.cpp"
    models: list[str] | None = None
    usage: bool = True
    serial: bool = False
    refuse_key: str | None = None
    port: int = 0
    requests: list[ChatRequest] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    _seq: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self.prefixes = PrefixCache()
        self.batches = BatchStore(self)
        self._slot = threading.Lock()  # held while answering when ``serial``

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def inject(self, *faults: Fault) -> None:
        """Queue faults; each is used once, by the first request it matches."""
        with self._lock:
            self.faults.extend(faults)

    def answered(self) -> list[ChatRequest]:
        """The requests that got a 200."""
        return [r for r in self.requests if r.status == 200]

    def start(self) -> ChatServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as separate writes

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def refused(self) -> bool:
                if server.refuse_key is None:
                    return False
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                error = {"message": server.refuse_key.replace("{key}", token)}
                self._send(401, {"error": {**error, "type": "invalid_request_error"}})
                return True

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.refused():
                    return
                path = self.path.split("?")[0].rstrip("/")
                if path.endswith("/chat/completions"):
                    status, payload, headers = server.complete(json.loads(raw or b"{}"))
                    self._send(status, payload, headers)
                else:
                    ctype = self.headers.get("Content-Type", "")
                    self._reply(server.batches.post(path, raw, ctype))

            def do_DELETE(self) -> None:
                if self.refused():
                    return
                self._reply(server.batches.delete(self.path.split("?")[0].rstrip("/")))

            def do_GET(self) -> None:
                if self.refused():
                    return
                path = self.path.split("?")[0].rstrip("/")
                if path.endswith("/models") and server.models is not None:
                    self._send(200, models_list(server.models))
                    return
                self._reply(server.batches.get(self.path.split("?")[0].rstrip("/")))

            def _reply(self, reply: tuple[int, dict[str, Any] | bytes]) -> None:
                status, payload = reply
                if status == 0:  # batch_server.DROPPED: the connection dies unanswered
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if isinstance(payload, bytes):
                    self._send_bytes(status, payload, "application/octet-stream")
                else:
                    self._send(status, payload)

            def _send(
                self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
            ) -> None:
                self._send_bytes(status, json.dumps(payload).encode(), "application/json", headers)

            def _send_bytes(
                self, status: int, data: bytes, ctype: str, headers: dict[str, str] | None = None
            ) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(data)))
                    headers = dict(headers or {})
                    drop = headers.pop("x-drop", None)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    if drop:  # the connection dies mid-answer
                        self.wfile.write(data[: len(data) // 2])
                        self.wfile.flush()
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)
                        return
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (a timeout we injected): nothing to tell it

        self._httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> ChatServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _take_fault(self, request: ChatRequest) -> Fault | None:
        for i, fault in enumerate(self.faults):
            if fault.match is None or fault.match in request.post_text:
                return self.faults.pop(i)
        return None

    def complete(
        self, body: dict[str, Any], batch: bool = False
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """Answer one chat completion: (HTTP status, JSON body, headers)."""
        with self._lock:
            self._seq += 1
            request = ChatRequest(body, seq_in=self._seq)
            self.requests.append(request)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            fault = self._take_fault(request)
        if self.serial and not batch:
            with self._slot:
                return self._answer(request, body, fault, batch)
        return self._answer(request, body, fault, batch)

    def _refusal(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        """What a local server says instead of answering ``body``, if anything."""
        model = body.get("model", "")
        if self.models is not None and model not in self.models:
            return model_error(model)
        fmt = (body.get("response_format") or {}).get("type") or "text"
        if fmt in self.refuse_formats:
            status, message = self.refuse_formats[fmt]
            error = {
                "message": message,
                "type": "invalid_request_error",
                "param": "response_format",
            }
            return status, {"error": error}
        if self.n_ctx is not None:
            prompt = sum(_tokens(m.get("content") or "") + 4 for m in body.get("messages", []))
            asked = body.get("max_completion_tokens") or body.get("max_tokens") or 0
            return context_error(self.context_style, self.n_ctx, prompt, asked)
        return None

    def _answer(
        self, request: ChatRequest, body: dict[str, Any], fault: Fault | None, batch: bool
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        try:
            if not batch:
                time.sleep(self.latency + (fault.delay if fault else 0.0))
            if fault and fault.status:
                request.status = fault.status
                kind = "rate_limit_exceeded" if fault.status == 429 else "server_error"
                message = fault.message or f"injected {fault.status}"
                error = {"message": message, "type": kind, "code": fault.code or kind}
                wait = fault.retry_after_ms
                return (
                    fault.status,
                    {"error": error},
                    {} if wait is None else {"retry-after-ms": str(wait)},
                )
            fmt = (body.get("response_format") or {}).get("type")
            if fmt == "json_schema" and not self.structured_outputs:
                request.status = 400
                message = "response_format type 'json_schema' is not supported by this server"
                error = {"message": message, "type": "invalid_request_error"}
                return 400, {"error": {**error, "param": "response_format"}}, {}
            refusal = self._refusal(body)
            if refusal is not None:
                request.status = refusal[0]
                return refusal[0], refusal[1], {}
            if fault and fault.content is not None:
                content = fault.content
            else:
                answer = self.answer(request)
                content = answer if isinstance(answer, str) else json.dumps(answer)
            prompt = sum(_tokens(m.get("content") or "") + 4 for m in body.get("messages", []))
            prompt += _tokens(json.dumps(body.get("response_format") or {}))
            cached = min(self.prefixes.cached_tokens(prompt_of(body)), prompt)
            completion = _tokens(content)
            request.status = 200
            request.usage = (prompt, completion)
            request.cached_tokens = cached
            payload: dict[str, Any] = {
                "id": f"chatcmpl-test-{request.seq_in}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", "test-model"),
                "choices": [
                    {
                        "index": 0,
                        "message": {
                            "role": "assistant",
                            "content": None if fault and fault.refusal else content,
                            "refusal": fault.refusal if fault else None,
                        },
                        "finish_reason": fault.finish_reason if fault else "stop",
                        "logprobs": None,
                    }
                ],
            }
            if fault and fault.in_reasoning:
                message = payload["choices"][0]["message"]
                message["reasoning_content"], message["content"] = message["content"], ""
            if self.usage:  # some servers and proxies leave it out
                payload["usage"] = {
                    "prompt_tokens": prompt,
                    "completion_tokens": completion,
                    "total_tokens": prompt + completion,
                    "prompt_tokens_details": {"cached_tokens": cached},
                }
            return 200, payload, {"x-drop": "1"} if fault and fault.drop else {}
        finally:
            with self._lock:
                self._seq += 1
                request.seq_out = self._seq
                self.in_flight -= 1


from batch_server import BatchStore  # noqa: E402  (it answers through ChatServer.complete)
