"""One thread's online extraction: what each post is offered, when it may start, the money spent.

A post starts once every post it is offered has its claims (``llm_parents.dependencies``); its
request is answered from the answer cache when it can be, else sent, if the run's budget
(``llm_budget``, shared by every thread of the run) can hold its worst case.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from argmap.ingest.extract import PostResult, taken_away
from argmap.ingest.extract.llm_budget import worst_case
from argmap.ingest.extract.llm_cache import AnswerCache, cache_key
from argmap.ingest.extract.llm_context import PostRequest, build_request, estimate_prompt_tokens
from argmap.ingest.extract.llm_parents import dependencies, parent_options
from argmap.ingest.extract.llm_schema import Answer, MalformedAnswer, answer_schema, parse_answer
from argmap.ingest.extract.llm_usage import Usage
from argmap.ingest.extract.scheduler import Later

from argmap.core.models import Claim, Thread

if TYPE_CHECKING:
    from argmap.ingest.extract.llm import LLMExtractor


def request_key(request: PostRequest, model: str, prompt_version: str) -> str:
    """The answer-cache key of ``request``: what it asks, and the ids it offers."""
    offered = {"claims": request.candidates, "parents": request.parents}
    if request.heuristic_parent:
        offered["heuristic"] = {"parent": request.heuristic_parent}
    schema = answer_schema(request.choosing)
    return cache_key(model, prompt_version, request.messages, schema, offered)


def cached_answer(cache: AnswerCache | None, request: PostRequest, key: str) -> Answer | None:
    """The answer ``cache`` holds for ``key``, if it parses for ``request`` (``--dry-run``
    counts these as free too)."""
    hit = cache.get(key) if cache is not None else None
    if hit is None:
        return None
    try:
        return parse_answer(hit.content, request.choosing)
    except MalformedAnswer:
        return None  # written by another version of the schema: ask again


class ThreadRequests:
    """The requests of one thread's posts, built from the claims extracted so far."""

    def __init__(self, thread: Thread, done: Mapping[str, list[Claim]], ext: LLMExtractor):
        self.thread = thread
        self.ext = ext
        self.posts = {p.id: p for p in thread.posts}
        self.claims: dict[str, list[Claim]] = {pid: list(cs) for pid, cs in done.items()}
        self.options = parent_options(thread)
        self.deps = dependencies(thread, self.options)

    def request(self, post_id: str) -> tuple[PostRequest, str]:
        """The request for ``post_id`` and its answer-cache key."""
        ext = self.ext
        request = build_request(
            self.thread,
            self.posts[post_id],
            self.claims,
            ext.prompts,
            self.options.get(post_id),
        )
        return request, request_key(request, ext.model, ext.prompt_version)

    def cached(self, request: PostRequest, key: str) -> PostResult | None:
        """The result from the answer cache, if it holds a valid answer for ``key``."""
        answer = cached_answer(self.ext.cache, request, key)
        if answer is None:
            return None
        return self.ext.result(request, answer, Usage(), cached=True)

    def waiting_for(self, post_id: str) -> str:
        """Which offered post ``post_id`` still waits for, as the error of a blocked post."""
        for dep in self.deps.get(post_id, []):
            if dep not in self.claims and dep in self.posts:
                return f"waiting for post {self.posts[dep].position} to be extracted"
        return "waiting for its parent to be extracted"


class Run(ThreadRequests):
    """The state of one thread's online extraction: finished claims, why it stopped (the money
    is the run's: ``ext.budget``)."""

    def __init__(self, ext: LLMExtractor, thread: Thread, done: Mapping[str, list[Claim]]):
        super().__init__(thread, done, ext)
        self.stopped: str | None = None  # a fatal error: every later request would meet it

    def start(self, post_id: str) -> PostResult | Later[PostResult]:
        ext = self.ext
        if self.stopped:
            return PostResult(post_id=post_id, error=self.stopped)
        if taken_away(self.posts[post_id].text):
            return PostResult(post_id=post_id)  # extracted, with no claims: nothing to ask
        request, key = self.request(post_id)
        hit = self.cached(request, key)
        if hit is not None:
            return hit
        if ext.max_cost is not None:
            prompt = estimate_prompt_tokens(request.messages, answer_schema(request.choosing))
            if not ext.budget.hold(post_id, worst_case(ext.price, prompt)):
                return PostResult(post_id=post_id, error=ext.budget.stopped)
        return Later(lambda: ext.ask(request, key))

    def finish(self, post_id: str, result: PostResult) -> bool:
        self.ext.budget.settle(
            post_id, result.cost_usd, result.prompt_tokens, result.cached_prompt_tokens
        )
        if result.error is None:
            self.claims[post_id] = result.claims
            return True
        if getattr(result, "fatal", False) and self.stopped is None:
            self.stopped = result.error  # a fatal error: no point asking again this run
        return False

    def blocked(self, post_id: str) -> PostResult:
        return PostResult(post_id=post_id, error=self.waiting_for(post_id))
