"""How the answer's shape is asked for: ``json_schema`` structured outputs, ``json_object``, or
no response format at all (``text``).

OpenAI, vLLM, recent llama.cpp servers, Ollama and LM Studio take a ``json_schema`` response
format and constrain the answer to it. A server that does not gets ``json_object`` (any JSON
object) with the schema written into the system prompt, and one that takes neither (LM Studio
refuses ``json_object``; proxies that know no ``response_format``) gets no response format, the
schema in the prompt; the answer is validated against the pydantic models either way, and a
malformed one is sent back once with what was wrong (a repair). ``auto`` (``ARGMAP_LLM_OUTPUT``)
starts with ``json_schema`` and, each time the server refuses a format, takes the next one for
the rest of the run.
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

OutputMode = Literal["auto", "json_schema", "json_object", "text"]
OUTPUT_MODES: tuple[str, ...] = ("auto", "json_schema", "json_object", "text")
# What ``auto`` tries after a format the server refused.
_NEXT = {"json_schema": "json_object", "json_object": "text"}
SCHEMA_INSTRUCTION = (
    "\n\nAnswer with one JSON object, and nothing else, that validates against this JSON schema:\n"
)


def response_format(mode: str, schema_format: dict[str, Any]) -> dict[str, Any] | None:
    """The ``response_format`` for ``mode`` (None: ``text`` sends none)."""
    if mode == "text":
        return None
    return schema_format if mode == "json_schema" else {"type": "json_object"}


def with_schema(
    messages: list[dict[str, str]], mode: str, schema: dict[str, Any]
) -> list[dict[str, str]]:
    """``messages`` as sent in ``mode``: in ``json_object`` and ``text`` the schema ends the
    system prompt (it is the same for every post, so it stays in the cached prefix)."""
    if mode == "json_schema":
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
    # Never a context overflow, whatever else it names (llm_limits handles those).
    if "context" in text and ("length" in text or "size" in text):
        return False
    return (
        "json_schema" in text
        or "json_object" in text
        or "response_format" in text
        or "structured output" in text
    )


class OutputChoice:
    """The mode of one run: fixed, or ``auto`` until the first refusal settles it."""

    def __init__(self, mode: str = "auto"):
        if mode not in OUTPUT_MODES:
            raise ValueError(f"unknown output mode {mode!r}")
        self.configured = mode
        self.current = "json_schema" if mode == "auto" else mode
        self.switched = False
        self._lock = threading.Lock()

    def fall_back(self, exc: openai.OpenAIError, mode: str) -> bool:
        """After ``exc`` in ``mode``: if ``auto`` and the server refused that format, take the
        next one (unless another request already did); say whether to ask again."""
        if self.configured != "auto" or not refuses_schema(exc):
            return False
        with self._lock:
            if self.current == mode:
                if mode not in _NEXT:
                    return False
                self.current = _NEXT[mode]
                self.switched = True
        return True
