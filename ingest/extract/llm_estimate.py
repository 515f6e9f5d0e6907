"""``--dry-run``: the tokens and cost an LLM ingest would need, without calling the model.

The requests are rendered exactly as a real run renders them, except that the claims a post's
context would offer are not known before the model answers: for posts not yet extracted they are
simulated as the post's first sentences (``ASSUMED_CLAIMS`` of them), and each simulated claim's
answer as a paraphrase, the quote and one relation. Tokens are counted at ~4 characters a token
(``llm_context.approx_tokens``), so this is an estimate, good to tens of percent, not a quote.
The answer cache is not consulted: the estimate is for a run that asks about every pending post.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from argmap.graph.store import Store
from argmap.ingest.extract.llm_context import (
    MAX_ARTICLE_CLAIMS,
    approx_tokens,
    build_request,
    estimate_prompt_tokens,
    load_prompts,
)
from argmap.ingest.extract.llm_schema import ClaimAnswer, PostAnswer, RelationAnswer, answer_schema
from argmap.ingest.extract.pricing import cost_usd, price_for
from argmap.ingest.extract.sentences import split_sentences
from pydantic import BaseModel

from argmap.core.ids import claim_id
from argmap.core.models import Claim, Post, Thread

ASSUMED_CLAIMS = {"article": MAX_ARTICLE_CLAIMS, "comment": 2}


class Estimate(BaseModel):
    """What a run would send: requests, tokens, and their cost (None if the price is unknown)."""

    model: str
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    max_prompt_tokens: int = 0
    cost_usd: float | None = 0.0

    @property
    def prompt_tokens_per_post(self) -> float:
        return self.prompt_tokens / self.requests if self.requests else 0.0


def simulated_claims(post: Post) -> list[Claim]:
    """Stand-ins for the claims the model will find in ``post``: its first sentences."""
    spans = split_sentences(post.text)[: ASSUMED_CLAIMS[post.kind]]
    return [
        Claim(
            id=claim_id(post.id, s, e),
            post_id=post.id,
            text=post.text[s:e],
            quote=post.text[s:e],
            start=s,
            end=e,
            extractor="estimate",
        )
        for s, e in spans
    ]


def estimate_thread(
    thread: Thread, done: Mapping[str, list[Claim]], model: str, into: Estimate | None = None
) -> Estimate:
    """Add the requests ``thread``'s pending posts would make to ``into`` (or a new estimate)."""
    est = into or Estimate(model=model)
    prompts = load_prompts()
    schema = answer_schema()
    claims = {p.id: list(done[p.id]) if p.id in done else simulated_claims(p) for p in thread.posts}
    for post in thread.posts:
        if post.is_spam or post.id in done:
            continue
        request = build_request(thread, post, claims, prompts)
        prompt = estimate_prompt_tokens(request.messages, schema)
        target = next(iter(request.candidates), "C1")
        answer = PostAnswer(
            is_spam=False,
            claims=[
                ClaimAnswer(
                    paraphrase=c.text,
                    quote=c.quote,
                    relations=[
                        RelationAnswer(
                            target=target,
                            type="rebuts",
                            confidence=0.8,
                            rationale="It says the opposite of the claim it answers.",
                        )
                    ]
                    if request.candidates
                    else [],
                )
                for c in claims[post.id]
            ],
        )
        completion = approx_tokens(answer.model_dump_json())
        est.requests += 1
        est.prompt_tokens += prompt
        est.completion_tokens += completion
        est.max_prompt_tokens = max(est.max_prompt_tokens, prompt)
    est.cost_usd = (
        cost_usd(model, est.prompt_tokens, est.completion_tokens) if price_for(model) else None
    )
    return est


def estimate_ingest(
    source: str | Path, store: Store | None = None, fmt: str = "auto", model: str = "gpt-4o-mini"
) -> Estimate:
    """Estimate an LLM ingest of ``source``; posts already extracted in ``store`` are skipped."""
    from argmap.graph.writes import extracted_claims
    from argmap.ingest.sources import load_threads

    est = Estimate(model=model)
    for thread in load_threads(source, fmt):
        done = extracted_claims(store, thread.id) if store is not None else {}
        estimate_thread(thread, done, model, est)
    return est


def estimate_line(est: Estimate) -> str:
    """The one line ``--dry-run`` prints."""
    cost = (
        f"${est.cost_usd:.4f}"
        if est.cost_usd is not None
        else "cost unknown (no price for this model)"
    )
    return (
        f"dry run [{est.model}]: {est.requests} requests, ~{est.prompt_tokens} prompt tokens "
        f"(~{est.prompt_tokens_per_post:.0f} per post, largest ~{est.max_prompt_tokens}) and "
        f"~{est.completion_tokens} completion tokens, about {cost}; nothing was sent or written"
    )
