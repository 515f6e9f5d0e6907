"""The chat-completion test server's vocabulary (``llm_server``): a request as the server saw
it, a scripted fault, the sample model's answer, and the prefix cache it reports.

Kept apart from the server itself so that each stays small; ``llm_server`` re-exports them.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
from dataclasses import dataclass
from typing import Any

POST_RE = re.compile(r"<post>\n(.*)\n</post>", re.S)
OFFERED_RE = re.compile(r"^\[(C\d+)\]", re.M)
PARENTS_RE = re.compile(r"\[(P\d+)\]")
GUESS_RE = re.compile(r"\[(P\d+)\][^\n]*?<- the layout's guess")
CACHE_MIN, CACHE_STEP, CHARS = 1024, 128, 4  # tokens, tokens, characters a token


@dataclass
class ChatRequest:
    """One request as the server saw it."""

    body: dict[str, Any]
    seq_in: int = 0
    seq_out: int | None = None
    status: int | None = None
    usage: tuple[int, int] = (0, 0)  # the prompt and completion tokens reported
    cached_tokens: int = 0  # of the prompt tokens, reported as served from the prefix cache

    @property
    def user_text(self) -> str:
        return "\n".join(
            m["content"] for m in self.body.get("messages", []) if m.get("role") == "user"
        )

    @property
    def post_text(self) -> str:
        """The post the prompt asks about (between ``<post>`` tags)."""
        found = POST_RE.search(self.user_text)
        return found.group(1) if found else ""

    @property
    def offered(self) -> list[str]:
        """The candidate ids the prompt offers, in order."""
        return OFFERED_RE.findall(self.user_text)

    @property
    def is_article(self) -> bool:
        return "the article that opens the thread" in self.user_text

    @property
    def parents(self) -> list[str]:
        """The post ids offered for ``reply_to`` (empty when the parent is not asked for)."""
        if "reply_to" not in self.user_text:
            return []
        return list(dict.fromkeys(PARENTS_RE.findall(self.user_text)))

    @property
    def guess(self) -> str | None:
        """The offered post marked as the layout's guess."""
        found = GUESS_RE.search(self.user_text)
        return found.group(1) if found else None


@dataclass
class Fault:
    """What to do instead of (or before) answering the next request whose post contains ``match``."""

    status: int | None = None  # answer with this HTTP error
    delay: float = 0.0  # sleep this long first (longer than the client timeout = a timeout)
    content: str | None = None  # send this as the assistant's content (e.g. malformed JSON)
    match: str | None = None  # only for a request whose post text contains this
    retry_after_ms: int | None = 10  # keeps the SDK's backoff short in tests (None: no header)
    message: str | None = None  # the error's message (default "injected <status>")
    code: str | None = None  # the error's code (default from the status)
    refusal: str | None = None  # answer with this refusal instead of content
    finish_reason: str = "stop"  # e.g. "length": the answer was cut off
    # the answer in ``reasoning_content`` and an empty ``content``, as LM Studio gives a reasoning
    # model's answer constrained by a json_schema (lmstudio-bug-tracker#1773)
    in_reasoning: bool = False
    drop: bool = False  # send the headers and half the body, then close the connection


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``, each an exact substring of it."""
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) >= 15]


def sample_answer(request: ChatRequest) -> dict[str, Any]:
    """A plausible model: the post's first sentences as claims, related to the last offered id."""
    limit = 4 if request.is_article else 2
    offered = request.offered
    claims = []
    for sentence in split_sentences(request.post_text)[:limit]:
        quote = sentence[:200]
        relations = []
        if offered and not request.is_article:
            negative = re.search(r"\b(no|not|wrong|disagree|but|never)\b", sentence, re.I)
            relations.append(
                {
                    "target": offered[-1],
                    "type": "rebuts" if negative else "supports",
                    "confidence": 0.7,
                    "rationale": "It answers the nearest claim above it.",
                }
            )
        claims.append(
            {"paraphrase": f"The author says {quote[:80]}", "quote": quote, "relations": relations}
        )
    answer: dict[str, Any] = {"is_spam": False, "claims": claims}
    if request.parents:
        answer = {"reply_to": request.guess or request.parents[0], **answer}
    return answer


def _tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS)


def prompt_of(body: dict[str, Any]) -> str:
    """The prompt as a provider reads it: the response format, then each turn."""
    turns = "".join(f"<{m.get('role')}>{m.get('content') or ''}" for m in body.get("messages", []))
    return json.dumps(body.get("response_format") or {}, sort_keys=True) + turns


class PrefixCache:
    """The prompt prefixes seen so far, in blocks of ``CACHE_STEP`` tokens."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.lock = threading.Lock()

    def cached_tokens(self, prompt: str) -> int:
        block = CACHE_STEP * CHARS
        digest, hit = hashlib.sha1(), 0
        with self.lock:
            for k in range(1, len(prompt) // block + 1):
                digest.update(prompt[(k - 1) * block : k * block].encode())
                key = digest.hexdigest()
                if key in self.seen and k * CACHE_STEP >= CACHE_MIN:
                    hit = k * CACHE_STEP
                self.seen.add(key)
        return hit
