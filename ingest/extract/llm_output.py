"""How the answer's shape is asked for: ``json_schema`` structured outputs, or ``json_object``.

OpenAI, vLLM, recent llama.cpp servers, Ollama and LM Studio take a ``json_schema`` response
format and constrain the answer to it. A server that does not gets ``json_object`` (any JSON
object) with the schema written into the system prompt; the answer is validated against the
pydantic models either way, and a malformed one is sent back once with what was wrong (a repair).
``auto`` (``ARGMAP_LLM_OUTPUT``) starts with ``json_schema`` and, the first time a server refuses
it, switches to ``json_object`` for the rest of the run.
"""

from __future__ import annotations

import json
import threading
from typing import Any, Literal

import openai

MAX_OUTPUT_TOKENS = 4096  # per answer; also what --max-cost reserves for a request in flight
MALFORMED_RETRIES = (
    1  # a malformed answer is sent back once to be repaired (paid for), then pending
)
REPAIR_TOKENS = 60  # the repair request's own words, about

OutputMode = Literal["auto", "json_schema", "json_object"]
OUTPUT_MODES: tuple[str, ...] = ("auto", "json_schema", "json_object")
SCHEMA_INSTRUCTION = (
    "\n\nAnswer with one JSON object, and nothing else, that validates against this JSON schema:\n"
)


def response_format(mode: str, schema_format: dict[str, Any]) -> dict[str, Any]:
    """The ``response_format`` for ``mode`` (``json_schema`` or ``json_object``)."""
    return schema_format if mode == "json_schema" else {"type": "json_object"}


def with_schema(
    messages: list[dict[str, str]], mode: str, schema: dict[str, Any]
) -> list[dict[str, str]]:
    """``messages`` as sent in ``mode``: in ``json_object`` the schema ends the system prompt
    (it is the same for every post, so it stays in the cached prefix)."""
    if mode != "json_object":
        return messages
    first, *rest = messages
    text = first["content"] + SCHEMA_INSTRUCTION + json.dumps(schema, separators=(",", ":"))
    return [{"role": first["role"], "content": text}, *rest]


def repair(messages: list[dict[str, str]], content: str, problem: str) -> list[dict[str, str]]:
    """The conversation asking the model to correct its malformed ``content``."""
    return [
        *messages,
        {"role": "assistant", "content": content},
        {
            "role": "user",
            "content": f"That answer is not valid ({problem}). Answer again with only the "
            "corrected JSON object, in the shape asked for.",
        },
    ]


def refuses_schema(exc: openai.OpenAIError) -> bool:
    """Whether an error says the server does not take a ``json_schema`` response format."""
    if not isinstance(exc, openai.APIStatusError) or exc.status_code not in (
        400,
        404,
        422,
        500,
        501,
    ):
        return False
    text = str(exc).lower()
    return "json_schema" in text or "response_format" in text or "structured output" in text


class OutputChoice:
    """The mode of one run: fixed, or ``auto`` until the first refusal settles it."""

    def __init__(self, mode: str = "auto"):
        if mode not in OUTPUT_MODES:
            raise ValueError(f"unknown output mode {mode!r}")
        self.configured = mode
        self.current = "json_schema" if mode == "auto" else mode
        self.switched = False
        self._lock = threading.Lock()

    def fall_back(self, exc: openai.OpenAIError) -> bool:
        """After ``exc`` in ``json_schema`` mode: switch to ``json_object`` if ``auto`` and the
        server refused the schema (or another request already switched); say whether to retry."""
        if self.configured != "auto" or not refuses_schema(exc):
            return False
        with self._lock:
            self.current = "json_object"
            self.switched = True
        return True
