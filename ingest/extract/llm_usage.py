"""Token accounting: what a request used, split into prompt tokens billed at the full rate and
those served from the provider's prompt cache (``usage.prompt_tokens_details.cached_tokens``).

``PrefixCache`` is the estimate of the latter for ``--dry-run``: like OpenAI's automatic prompt
caching, a request whose first 1,024 tokens or more repeat an earlier request's is served the
repeated part (in steps of 128 tokens) from the cache.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from argmap.ingest.extract.pricing import Price, cost_usd

CACHE_MIN_TOKENS = 1024  # OpenAI caches prefixes from this length ...
CACHE_STEP_TOKENS = 128  # ... in steps of this many tokens


def _get(obj: Any, name: str) -> Any:
    """``obj.name`` or ``obj[name]``: usage comes as SDK objects online and as dicts in batches."""
    if obj is None:
        return None
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


@dataclass
class Usage:
    """The tokens of one post's requests (retries and repairs included)."""

    prompt: int = 0
    completion: int = 0
    cached: int = 0  # of ``prompt``, served from the provider's prompt cache

    @property
    def uncached(self) -> int:
        """Prompt tokens billed at the full rate."""
        return max(self.prompt - self.cached, 0)

    def add(self, usage: Any) -> None:
        """Add a response's ``usage`` (an SDK object or a dict); a missing field counts as 0."""
        self.prompt += _get(usage, "prompt_tokens") or 0
        self.completion += _get(usage, "completion_tokens") or 0
        self.cached += _get(_get(usage, "prompt_tokens_details"), "cached_tokens") or 0

    def cost(self, price: Price | None, batch: bool = False) -> float:
        """What these tokens cost at ``price`` (half for the Batch API); 0.0 if unpriced."""
        return cost_usd(price, self.prompt, self.completion, self.cached, batch=batch)


def prompt_text(messages: list[dict[str, str]], response_format: dict[str, Any]) -> str:
    """A request's prompt as one string, in the order a provider reads it: schema, then turns."""
    turns = "".join(f"<{m['role']}>{m['content']}" for m in messages)
    return json.dumps(response_format, sort_keys=True) + turns


class PrefixCache:
    """Estimates the cached tokens of a run's requests from the prefixes they share."""

    def __init__(self, chars_per_token: int = 4):
        self.chars = chars_per_token
        self.seen: set[str] = set()

    def _block(self, tokens: int) -> int:
        return tokens * self.chars

    def cached(self, text: str) -> int:
        """Tokens of ``text`` served from the cache; ``text`` is then cached itself."""
        steps, hit = len(text) // self._block(CACHE_STEP_TOKENS), 0
        digest = hashlib.sha256()
        for k in range(1, steps + 1):
            digest.update(
                text[
                    self._block(CACHE_STEP_TOKENS) * (k - 1) : self._block(CACHE_STEP_TOKENS) * k
                ].encode()
            )
            key = digest.hexdigest()
            if key in self.seen and k * CACHE_STEP_TOKENS >= CACHE_MIN_TOKENS:
                hit = k * CACHE_STEP_TOKENS
            self.seen.add(key)
        return hit
