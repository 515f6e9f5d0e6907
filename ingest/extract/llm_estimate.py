"""``--dry-run``: the tokens and cost an LLM ingest would need, without calling the model.

The requests are rendered exactly as a real run renders them, except that the claims a post's
context would offer are not known before the model answers: for posts not yet extracted they are
simulated as the post's first sentences (``ASSUMED_CLAIMS`` of them), and each simulated claim's
answer as a paraphrase, the quote and one relation. Tokens are counted at ~4 characters a token
(``llm_context.approx_tokens``), so this is an estimate, good to tens of percent, not a quote.
Prompt tokens a provider would serve from its prompt cache (the prefix a request repeats from an
earlier one, ``llm_usage.PrefixCache``) are counted apart and priced at the cached rate.
Posts already extracted in the store are not asked about again, and a post whose request the
answer cache holds an answer for costs nothing: its cached answer (grounded as a run grounds it)
gives the claims later posts are offered, so their requests, and cache keys, are a run's too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from pathlib import Path

from argmap.graph.store import Store
from argmap.ingest.extract import taken_away
from argmap.ingest.extract.llm_budget import Budget, worst_case
from argmap.ingest.extract.llm_cache import AnswerCache
from argmap.ingest.extract.llm_context import (
    CHARS_PER_TOKEN,
    MAX_ARTICLE_CLAIMS,
    approx_tokens,
    build_request,
    estimate_prompt_tokens,
    load_prompts,
)
from argmap.ingest.extract.llm_grounding import post_result
from argmap.ingest.extract.llm_output import MAX_OUTPUT_TOKENS, response_format
from argmap.ingest.extract.llm_parents import parent_options
from argmap.ingest.extract.llm_run import cached_answer, request_key
from argmap.ingest.extract.llm_schema import (
    ClaimAnswer,
    PostAnswer,
    RelationAnswer,
    ReplyAnswer,
    answer_schema,
)
from argmap.ingest.extract.llm_schema import response_format as schema_format
from argmap.ingest.extract.llm_usage import PrefixCache, Usage, prompt_text
from argmap.ingest.extract.pricing import Price, cost_usd, price_for
from argmap.ingest.extract.sentences import split_sentences
from pydantic import BaseModel, Field, PrivateAttr

from argmap.core.ids import claim_id
from argmap.core.models import Claim, Post, Thread
from argmap.core.wording import plural

LLM_NAME = "llm"  # LLMExtractor.name (importing it here would pull in the openai SDK)

ASSUMED_CLAIMS = {"article": MAX_ARTICLE_CLAIMS, "comment": 2}


class Estimate(BaseModel):
    """What a run would send: requests, tokens, and their cost (None if the price is unknown)."""

    model: str
    batch: bool = False  # through the Batch API: half the standard rates
    posts: int = 0  # posts to extract (not spam, not extracted yet) ...
    from_cache: int = 0  # ... of them answered from the answer cache (no request, no cost)
    kept: int = 0  # posts an earlier run extracted into the store: not asked about again
    requests: int = 0
    prompt_tokens: int = 0
    cached_prompt_tokens: int = 0  # of prompt_tokens, a prefix the provider would have cached
    completion_tokens: int = 0
    max_prompt_tokens: int = 0
    cost_usd: float | None = 0.0
    later_requests: int = 0  # requests after the first of each thread ...
    later_uncached_tokens: int = 0  # ... and their uncached prompt tokens
    kept_from_other: Counter[str] = Field(default_factory=Counter)  # kept from other extractors
    # --max-cost, one budget for the whole run (llm_budget): how many of the requests a run
    # would send before the next could pass it, each held at its worst case until answered.
    max_cost: float | None = None
    concurrency: int = 1  # requests in flight at once (-j): each held at its worst case
    within_budget: int = 0
    over_budget: bool = False
    _budget: Budget | None = PrivateAttr(None)  # the run's, as a run would keep it
    # Requests in flight, oldest first: (post id, worst case, what it would cost).
    _in_flight: list[tuple[str, float, float]] = PrivateAttr(default_factory=list)
    # The threads estimated so far, by id: a later page of a post's comments joins its earlier
    # pages (the article and their comments counted once), and its prompts share their prefix.
    _threads: dict[str, Thread] = PrivateAttr(default_factory=dict)
    _prefixes: dict[str, PrefixCache] = PrivateAttr(default_factory=dict)

    @property
    def prompt_tokens_per_post(self) -> float:
        return self.prompt_tokens / self.requests if self.requests else 0.0

    @property
    def uncached_tokens_per_post(self) -> float:
        """Uncached prompt tokens per post after the first of its thread (the target figure)."""
        return self.later_uncached_tokens / self.later_requests if self.later_requests else 0.0


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
    thread: Thread,
    done: Mapping[str, list[Claim]],
    model: str,
    into: Estimate | None = None,
    price: Price | None = None,
    cache: AnswerCache | None = None,
    counted: Collection[str] = (),
) -> Estimate:
    """Add the requests ``thread``'s pending posts would make to ``into`` (or a new estimate):
    none for a post ``cache`` answers; priced at ``price`` (else the table's for ``model``).
    ``counted``: posts ``into`` holds already (another page of the same post's comments)."""
    est = into or Estimate(model=model)
    price = price_for(model, price)
    prompts = load_prompts()
    options = parent_options(thread)
    claims = {p.id: list(done[p.id]) if p.id in done else simulated_claims(p) for p in thread.posts}
    first = thread.id not in est._prefixes
    prefixes = est._prefixes.setdefault(thread.id, PrefixCache(CHARS_PER_TOKEN))
    cost = 0.0
    for post in thread.posts:
        if post.id in counted:
            continue
        if post.is_spam or post.id in done:
            est.kept += int(not post.is_spam)
            continue
        if taken_away(post.text):
            claims[post.id] = []  # a run asks nothing about it (llm_run)
            continue
        est.posts += 1
        request = build_request(thread, post, claims, prompts, options.get(post.id))
        answer = cached_answer(cache, request, request_key(request, model, prompts.label))
        if answer is not None:  # a run takes it from the cache, and offers its claims later
            hit = post_result(request, answer, model, prompts.label, Usage(), cached=True)
            claims[post.id] = hit.claims
            est.from_cache += 1
            continue
        schema = answer_schema(request.choosing)
        prompt = estimate_prompt_tokens(request.messages, schema)
        fmt = response_format("json_schema", schema_format(request.choosing)) or {}
        cached = min(prefixes.cached(prompt_text(request.messages, fmt)), prompt)
        target = next(iter(request.candidates), "C1")
        answer_type = ReplyAnswer if request.choosing else PostAnswer
        extra = {"reply_to": next(iter(request.parents), "P0")} if request.choosing else {}
        answer = answer_type(
            **extra,
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
        completion = min(approx_tokens(answer.model_dump_json()), MAX_OUTPUT_TOKENS)
        est.requests += 1
        est.prompt_tokens += prompt
        est.cached_prompt_tokens += cached
        est.completion_tokens += completion
        est.max_prompt_tokens = max(est.max_prompt_tokens, prompt)
        if not first:
            est.later_requests += 1
            est.later_uncached_tokens += prompt - cached
        first = False
        step = cost_usd(price, prompt, completion, cached, batch=est.batch)
        cost += step
        _charge(est, price, post.id, prompt, step, alone=post.kind == "article")
    if price is None:
        est.cost_usd = None
    elif est.cost_usd is not None:
        est.cost_usd += cost
    return est


def _charge(
    est: Estimate, price: Price | None, key: str, prompt: int, cost: float, alone: bool
) -> None:
    """Count one request against ``est.max_cost`` as a run would (``llm_budget.Budget``): held at
    its worst case while it is one of the ``concurrency`` in flight, then (online) at its cost; a
    batch is billed later, so its requests stay held at their worst. ``alone``: every later post
    waits for its answer (the article's claims are offered to all), so it is answered before
    they start."""
    if est.max_cost is None or price is None or est.over_budget:
        return
    if est._budget is None:
        est._budget = Budget(est.max_cost)
    _settle(est, max(est.concurrency, 1) - 1)  # a request starts when one in flight is done
    worst = worst_case(price, prompt, batch=est.batch)
    if not est._budget.hold(key, worst):
        est.over_budget = True
        return
    est.within_budget += 1
    est._in_flight.append((key, worst, cost))
    if alone:
        _settle(est, 0)


def _settle(est: Estimate, keep: int) -> None:
    """Answer the oldest requests in flight until ``keep`` are left."""
    while len(est._in_flight) > keep and est._budget is not None:
        key, worst, cost = est._in_flight.pop(0)
        est._budget.settle(key, worst if est.batch else cost)


def estimate_ingest(
    source: str | Path,
    store: Store | None = None,
    fmt: str = "auto",
    model: str = "gpt-4o-mini",
    reextract: bool = False,
    price: Price | None = None,
    cache_path: Path | None = None,
    batch: bool = False,
    into: Estimate | None = None,
    encoding: str | None = None,
    notes: list[str] | None = None,
) -> Estimate:
    """Estimate an LLM ingest of ``source``; posts already extracted in ``store`` are skipped
    (unless ``reextract``) and posts the answer cache at ``cache_path`` answers are free, as in
    the ingest itself. ``price``: the model's stated price (else the table's); ``batch``: priced
    as the Batch API bills (half); ``into``: an estimate of other sources to add this one to;
    ``encoding``, ``notes``: how a file is read, as ``load_threads`` takes them."""
    from argmap.graph.writes import extracted_by, extracted_claims
    from argmap.ingest.comment_pages import join_stored_pages
    from argmap.ingest.older_ids import keep_older_ids
    from argmap.ingest.sources import load_threads

    est = into if into is not None else Estimate(model=model, batch=batch)
    # Read only, and only if it exists: a dry run creates nothing.
    cache = AnswerCache(cache_path, read_only=True) if cache_path and cache_path.is_file() else None
    try:
        for thread in load_threads(source, fmt, encoding=encoding, notes=notes):
            # A page of comments joins its stored pages, as in the ingest, and the pages this
            # dry run read before it (nothing was stored): the article is asked about once.
            thread = keep_older_ids(store, thread)
            earlier = est._threads.get(thread.id)
            thread = join_stored_pages(store, thread, earlier.comments if earlier else ())
            done = extracted_claims(store, thread.id) if store is not None and not reextract else {}
            if done and store is not None:
                est.kept_from_other.update(extracted_by(store, thread.id, LLM_NAME))
            counted = {p.id for p in earlier.posts} if earlier else set()
            estimate_thread(thread, done, model, est, price, cache, counted)
            est._threads[thread.id] = thread
    finally:
        if cache is not None:
            cache.close()
    return est


def estimate_line(est: Estimate) -> str:
    """The one line ``--dry-run`` prints."""
    head = f"dry run [{est.model}{', Batch API at half price' if est.batch else ''}]: "
    if est.kept:
        head += f"{plural(est.kept, 'post')} extracted by an earlier run, kept; "
    if est.from_cache:
        head += (
            f"{est.from_cache} of {plural(est.posts, 'post')} to extract answered from the cache; "
        )
    if not est.requests:  # nothing to send costs nothing, priced or not
        return head + "0 requests, $0; nothing was sent or written"
    cost = (
        f"about ${est.cost_usd:.4f}"
        if est.cost_usd is not None
        else "cost unknown (no price for this model: set ARGMAP_PRICE_INPUT and ARGMAP_PRICE_OUTPUT)"
    )
    return (
        f"{head}{est.requests} requests, ~{est.prompt_tokens} prompt tokens "
        f"(~{est.cached_prompt_tokens} of them a repeated prefix a provider may bill at its cached "
        f"rate; ~{est.prompt_tokens_per_post:.0f} per post, ~{est.uncached_tokens_per_post:.0f} "
        f"uncached per post after a thread's first; largest ~{est.max_prompt_tokens}) and "
        f"~{est.completion_tokens} completion tokens, {cost}{_budget_part(est)}; "
        "nothing was sent or written"
    )


def _budget_part(est: Estimate) -> str:
    """How far ``--max-cost`` takes the run the estimate is of (every source of it)."""
    if est.max_cost is None or est.cost_usd is None:
        return ""
    limit = f"--max-cost ${est.max_cost:g}"
    if not est.over_budget:
        return f", within {limit}"
    return (
        f"; {limit} would stop the run after about {est.within_budget} of {est.requests} "
        "requests (each in flight held at its worst case until answered), the rest left for a "
        "rerun"
    )
