"""A model's context, as local servers report running out of it.

A local server is often started with a context far smaller than the model's (llama-server's
``-c``, vLLM's ``--max-model-len``, Ollama's ``OLLAMA_CONTEXT_LENGTH``, LM Studio's context
length), so a long post's prompt may not fit. Each server says so in its own words: llama.cpp
``the request exceeds the available context size`` (a 400, or ``Context size has been exceeded``
with a 500), vLLM and OpenAI ``This model's maximum context length is N tokens`` (a 400 that also
counts the answer's ``max_completion_tokens``). Where only the room for the answer is short, the
request can go again asking for less (``answer_room``); where the prompt itself does not fit,
only a longer context helps (``context_advice``).
"""

from __future__ import annotations

import re

import openai

_OVERFLOW = re.compile(
    r"exceeds? the available context size|exceed_context_size_error|context size has been "
    r"exceeded|maximum context length is|context_length_exceeded|is too long and exceeds limit",
    re.IGNORECASE,
)
_LIMIT = re.compile(r"maximum context length is (\d+)", re.IGNORECASE)
_PROMPT = re.compile(
    r"\((\d+) in the messages|(\d+) input tokens|prompt contains at least (\d+)", re.IGNORECASE
)
MIN_ANSWER_TOKENS = 512  # less room than this for the answer: a post's claims would not fit
CONTEXT_ADVICE = (
    "start the server with a longer context (llama-server -c, vllm serve --max-model-len, "
    "OLLAMA_CONTEXT_LENGTH for Ollama, LM Studio's context length) and re-run"
)
HOSTED_ADVICE = "use a model with a longer context (--model, ARGMAP_MODEL) for this post"


def context_advice(local: bool) -> str:
    """What to do when a post does not fit: a local server's context is set when it starts."""
    return CONTEXT_ADVICE if local else HOSTED_ADVICE


def context_overflow(exc: openai.OpenAIError) -> bool:
    """Whether ``exc`` says the request does not fit the model's context."""
    return isinstance(exc, openai.APIStatusError) and bool(_OVERFLOW.search(str(exc)))


def answer_room(exc: openai.OpenAIError) -> int | None:
    """The tokens left for the answer when the prompt fits the context and only the answer's
    ``max_completion_tokens`` did not (vLLM counts both); None when asking for less would not
    help (the prompt itself does not fit, or the server does not say its numbers)."""
    if not context_overflow(exc):
        return None
    text = str(exc)
    limit, prompt = _LIMIT.search(text), _PROMPT.search(text)
    if limit is None or prompt is None:
        return None
    used = int(next(g for g in prompt.groups() if g is not None))
    room = int(limit.group(1)) - used
    return room if room >= MIN_ANSWER_TOKENS else None
