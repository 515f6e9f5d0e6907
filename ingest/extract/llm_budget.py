"""``--max-cost``: one spending limit for a whole run, whatever it reads.

A run is one command: every thread of every source it is given, online or through the Batch API.
The extractor of the run holds one ``Budget``, so two threads that each stay under the limit
cannot pass it together. Each request is held at its worst case (``worst_case``) until its
answer says what it cost; a request that could pass the limit is not sent, the run stops there
(answers from the cache still come in: they cost nothing), and the posts left are pending for
a rerun, which starts with a fresh budget. With ``--batch`` the limit bounds what a run submits
(the batch is billed later, so each request stays held at its worst case for the whole run).
"""

from __future__ import annotations

from argmap.ingest.extract.llm_output import MALFORMED_RETRIES, MAX_OUTPUT_TOKENS, REPAIR_TOKENS
from argmap.ingest.extract.pricing import Price, cost_usd


def worst_case(price: Price | None, prompt_tokens: int, batch: bool = False) -> float:
    """What one post's request could cost at most: every attempt paid for, each with the longest
    answer, no prompt token from the provider's cache. Online a malformed answer is sent back for
    repair (``MALFORMED_RETRIES`` more requests); a batch request is one request, at half price."""
    if batch:
        return cost_usd(price, prompt_tokens, MAX_OUTPUT_TOKENS, batch=True)
    repaired = prompt_tokens + MAX_OUTPUT_TOKENS + REPAIR_TOKENS  # the bad answer is sent back
    return cost_usd(price, prompt_tokens, MAX_OUTPUT_TOKENS) + MALFORMED_RETRIES * cost_usd(
        price, repaired, MAX_OUTPUT_TOKENS
    )


class Budget:
    """The money of one run: what was spent, what requests in flight may still cost, and why
    the run stopped (None while it goes on). Called from the scheduling thread only."""

    def __init__(self, limit: float | None):
        self.limit = limit
        self.spent = 0.0
        self.held: dict[str, float] = {}  # a request in flight (or submitted): its worst case
        self.prompt_tokens = 0
        self.cached_tokens = 0
        self.stopped: str | None = None

    @property
    def committed(self) -> float:
        """Spent, plus what the requests still held may cost."""
        return self.spent + sum(self.held.values())

    def hold(self, key: str, worst: float) -> bool:
        """Hold ``worst`` for request ``key`` if the run may still spend it; else stop the run
        (``stopped`` says why) and say no."""
        if self.limit is None:
            return True
        if self.stopped is not None:
            return False
        if self.committed + worst > self.limit:
            self.stopped = (
                f"stopped before exceeding --max-cost ${self.limit:g} (${self.committed:.4f} spent "
                f"or held for requests in flight, {self.prompt_tokens} prompt tokens so far of "
                f"which {self.cached_tokens} cached; the next post could cost up to ${worst:.4f})"
            )
            return False
        self.held[key] = worst
        return True

    def settle(self, key: str, cost: float, prompt_tokens: int = 0, cached_tokens: int = 0) -> None:
        """Request ``key`` was answered (or failed): count what it really cost."""
        self.held.pop(key, None)
        self.spent += cost
        self.prompt_tokens += prompt_tokens
        self.cached_tokens += cached_tokens

    def stop_line(self) -> str | None:
        """The line a stopped run ends with: the limit, and what the run spent (None if the
        limit was not reached)."""
        if self.stopped is None or self.limit is None:
            return None
        return f"stopped before exceeding --max-cost ${self.limit:g}: ${self.committed:.4f} spent"
