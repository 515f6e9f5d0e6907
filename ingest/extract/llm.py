"""The ``llm`` extractor: any OpenAI-compatible endpoint through the official ``openai`` SDK.

One Chat Completions request per post, with structured outputs (``llm_schema``), the context
of ``llm_context``, answers grounded by ``llm_grounding`` and cached by ``llm_cache``. Posts run
parent before child with at most ``concurrency`` requests in flight (``scheduler``); 429s, 5xx
and timeouts are retried by the SDK with exponential backoff (``ARGMAP_LLM_MAX_RETRIES``). A
post that still fails comes back with ``error`` set and stays pending for the next run; errors
that would fail every post (endpoint unreachable, key refused, unknown model) and reaching
``max_cost`` stop new requests, and the remaining posts stay pending too.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping

import openai
from argmap.ingest.extract import PostResult
from argmap.ingest.extract.llm_cache import AnswerCache, CachedAnswer, cache_key
from argmap.ingest.extract.llm_context import (
    PostRequest,
    Prompts,
    build_request,
    estimate_prompt_tokens,
    load_prompts,
)
from argmap.ingest.extract.llm_grounding import ground_answer, one_line
from argmap.ingest.extract.llm_schema import (
    MalformedAnswer,
    PostAnswer,
    parse_answer,
    response_format,
)
from argmap.ingest.extract.pricing import cost_usd, price_for
from argmap.ingest.extract.scheduler import Later, run_tree
from openai.types.chat import ChatCompletionMessageParam
from openai.types.shared_params import ResponseFormatJSONSchema

from argmap.core.config import LLMConfig
from argmap.core.errors import ExtractionError
from argmap.core.models import Claim, Thread

MAX_OUTPUT_TOKENS = 4096  # per answer; also what --max-cost reserves for a request in flight
MALFORMED_RETRIES = 1  # a malformed answer is asked again once (it is paid for), then pending


class LLMPostResult(PostResult):
    """A ``PostResult`` that can say its error would fail every later request too."""

    fatal: bool = False


class _Failure(Exception):
    """A post's request failed; ``fatal`` means every later request would fail the same way."""

    def __init__(self, message: str, fatal: bool = False):
        super().__init__(message)
        self.fatal = fatal


def _chat_messages(messages: list[dict[str, str]]) -> list[ChatCompletionMessageParam]:
    """``build_request``'s messages (system and user turns of plain text) as the SDK types them."""
    typed: list[ChatCompletionMessageParam] = []
    for m in messages:
        if m["role"] == "system":
            typed.append({"role": "system", "content": m["content"]})
        elif m["role"] == "user":
            typed.append({"role": "user", "content": m["content"]})
        else:
            raise ValueError(f"unexpected message role {m['role']!r}")
    return typed


def _response_format() -> ResponseFormatJSONSchema:
    """``llm_schema.response_format()`` (a ``json_schema`` format) as the SDK types it."""
    return {"type": "json_schema", "json_schema": response_format()["json_schema"]}


def _api_failure(exc: openai.OpenAIError, base_url: str) -> _Failure:
    if isinstance(exc, openai.APITimeoutError):
        return _Failure("the request timed out on every retry")
    if isinstance(exc, openai.APIConnectionError):
        return _Failure(
            f"cannot reach the LLM endpoint {base_url} ({one_line(str(exc), 120)})", True
        )
    if isinstance(exc, openai.BadRequestError):
        return _Failure(f"the endpoint rejected the request: {one_line(str(exc), 200)}")
    if isinstance(exc, openai.APIStatusError):
        return _Failure(
            f"the endpoint answered HTTP {exc.status_code}: {one_line(str(exc), 200)}", True
        )
    return _Failure(one_line(str(exc), 200))


class LLMExtractor:
    """Extracts each post with one structured-output chat completion."""

    name = "llm"
    batch_size = 1  # each answer is paid for: store it as soon as it arrives

    def __init__(
        self,
        client: openai.OpenAI,
        model: str,
        prompts: Prompts,
        cache: AnswerCache | None = None,
        concurrency: int = 4,
        max_cost: float | None = None,
    ):
        self.client = client
        self.model = model
        self.prompts = prompts
        self.cache = cache
        self.concurrency = concurrency
        self.max_cost = max_cost
        self.schema_format = _response_format()
        self.requests = 0  # chat completions answered (retries inside the SDK not counted)
        self.spam_flagged = 0
        self._lock = threading.Lock()

    @property
    def prompt_version(self) -> str:
        return self.prompts.label

    def extract(self, thread: Thread, done: Mapping[str, list[Claim]]) -> Iterator[PostResult]:
        """Yield one result per non-spam post not in ``done``, parents before children."""
        run = _Run(self, thread, done)
        todo = [p.id for p in thread.posts if not p.is_spam and p.id not in done]
        yield from run_tree(
            todo, run.parent_of, run.start, run.finish, run.blocked, self.concurrency
        )

    # -- one request, in a pool thread ------------------------------------------------------

    def ask(self, request: PostRequest, key: str) -> PostResult:
        """Ask the model about one post; errors come back as a result with ``error`` set."""
        post = request.post
        tokens = [0, 0, 0]  # prompt, completion, prompt served from the provider's cache
        try:
            problem = ""
            for _ in range(MALFORMED_RETRIES + 1):
                answer, content, problem = self._complete(request, tokens)
                if answer is not None:
                    if self.cache is not None:
                        cached = CachedAnswer(content, tokens[0], tokens[1])
                        self.cache.put(key, self.model, self.prompt_version, cached)
                    return self.result(request, answer, tokens)
            raise _Failure(f"malformed answer ({problem})")
        except openai.OpenAIError as exc:
            failure = _api_failure(exc, str(self.client.base_url))
        except _Failure as exc:
            failure = exc
        except Exception as exc:  # one post's surprise must not sink the run
            failure = _Failure(f"unexpected {type(exc).__name__}: {one_line(str(exc), 200)}")
        label = "" if failure.fatal else f"post {post.position} by {post.author}: "
        result = LLMPostResult(post_id=post.id, error=f"{label}{failure}", fatal=failure.fatal)
        self._add_usage(result, tokens)
        return result

    def _complete(
        self, request: PostRequest, tokens: list[int]
    ) -> tuple[PostAnswer | None, str, str]:
        """One request: (the answer, or None and why not); ``tokens`` accumulates usage."""
        response = self.client.chat.completions.create(
            model=self.model,
            messages=_chat_messages(request.messages),
            response_format=self.schema_format,
            max_completion_tokens=MAX_OUTPUT_TOKENS,
        )
        with self._lock:
            self.requests += 1
        if response.usage is not None:
            tokens[0] += response.usage.prompt_tokens or 0
            tokens[1] += response.usage.completion_tokens or 0
            details = getattr(response.usage, "prompt_tokens_details", None)
            tokens[2] += (getattr(details, "cached_tokens", 0) or 0) if details else 0
        if not response.choices:
            return None, "", "no choices in the answer"
        choice = response.choices[0]
        refusal = choice.message.refusal
        if refusal:
            raise _Failure(f"the model refused: {one_line(refusal, 150)}")
        content = choice.message.content or ""
        if choice.finish_reason == "length":
            return None, content, f"cut off at {MAX_OUTPUT_TOKENS} tokens"
        try:
            return parse_answer(content), content, ""
        except MalformedAnswer as exc:
            return None, content, str(exc)

    def result(
        self, request: PostRequest, answer: PostAnswer, tokens: list[int], cached: bool = False
    ) -> PostResult:
        """The grounded result of ``answer`` for ``request``'s post."""
        grounded = ground_answer(
            request.post, answer, request.candidates, self.model, self.prompt_version
        )
        spam = answer.is_spam and request.post.kind == "comment"
        if spam:
            with self._lock:
                self.spam_flagged += 1
        result = PostResult(
            post_id=request.post.id,
            spam=spam,
            claims=grounded.claims,
            relations=grounded.relations,
            dropped_claims=grounded.dropped_claims,
            dropped_relations=grounded.dropped_relations,
            cached=cached,
        )
        self._add_usage(result, tokens)
        return result

    def _add_usage(self, result: PostResult, tokens: list[int]) -> None:
        result.prompt_tokens, result.completion_tokens = tokens[0], tokens[1]
        result.cost_usd = cost_usd(self.model, tokens[0], tokens[1], tokens[2])


class _Run:
    """The state of one thread's extraction: finished claims, money spent, why it stopped."""

    def __init__(self, ext: LLMExtractor, thread: Thread, done: Mapping[str, list[Claim]]):
        self.ext = ext
        self.thread = thread
        self.posts = {p.id: p for p in thread.posts}
        self.claims: dict[str, list[Claim]] = {pid: list(cs) for pid, cs in done.items()}
        article = thread.article.id
        # A comment with no known parent answers the article.
        self.parent_of = {
            p.id: p.parent_id or (article if p.id != article else None) for p in thread.posts
        }
        self.spent = 0.0
        self.reserved: dict[str, float] = {}
        self.stopped: str | None = None

    def start(self, post_id: str) -> PostResult | Later[PostResult]:
        ext = self.ext
        post = self.posts[post_id]
        if self.stopped:
            return PostResult(post_id=post_id, error=self.stopped)
        request = build_request(self.thread, post, self.claims, ext.prompts)
        schema = ext.schema_format["json_schema"]["schema"]
        key = cache_key(ext.model, ext.prompt_version, request.messages, schema)
        hit = ext.cache.get(key) if ext.cache is not None else None
        if hit is not None:
            try:
                return ext.result(request, parse_answer(hit.content), [0, 0, 0], cached=True)
            except MalformedAnswer:
                pass  # written by another version of the schema: ask again
        if ext.max_cost is not None:
            # The worst case: every attempt paid for, each with the longest answer allowed.
            prompt = estimate_prompt_tokens(request.messages, schema)
            worst = (MALFORMED_RETRIES + 1) * cost_usd(ext.model, prompt, MAX_OUTPUT_TOKENS)
            if self.spent + sum(self.reserved.values()) + worst > ext.max_cost:
                committed = self.spent + sum(self.reserved.values())
                self.stopped = (
                    f"stopped before exceeding --max-cost ${ext.max_cost:g} (${committed:.4f} spent "
                    f"or held for requests in flight; the next post could cost up to ${worst:.4f})"
                )
                return PostResult(post_id=post_id, error=self.stopped)
            self.reserved[post_id] = worst
        return Later(lambda: ext.ask(request, key))

    def finish(self, post_id: str, result: PostResult) -> bool:
        self.reserved.pop(post_id, None)
        self.spent += result.cost_usd
        if result.error is None:
            self.claims[post_id] = result.claims
            return True
        if getattr(result, "fatal", False) and self.stopped is None:
            self.stopped = result.error  # a fatal error: no point asking again this run
        return False

    def blocked(self, post_id: str) -> PostResult:
        parent = self.posts.get(self.parent_of.get(post_id) or "")
        where = f"post {parent.position}" if parent else "its parent"
        return PostResult(post_id=post_id, error=f"waiting for {where} to be extracted")


def make_llm_extractor(config: LLMConfig) -> LLMExtractor:
    """An ``LLMExtractor`` for the endpoint, model and limits in ``config``."""
    if not config.configured:
        raise ExtractionError(
            "the llm extractor needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local "
            "OpenAI-compatible server); or use --extractor offline"
        )
    if config.concurrency < 1:
        raise ExtractionError(f"--concurrency must be at least 1, not {config.concurrency}")
    if config.max_cost is not None and price_for(config.model) is None:
        raise ExtractionError(
            f"--max-cost needs a price for model {config.model!r}; add one to ingest/extract/pricing.py"
        )
    api_key = config.api_key.get_secret_value() if config.api_key else "unused-by-local-server"
    client = openai.OpenAI(
        api_key=api_key,
        base_url=config.base_url,
        max_retries=config.max_retries,
        timeout=config.timeout,
    )
    cache = AnswerCache(config.cache_path) if config.cache_path is not None else None
    return LLMExtractor(
        client, config.model, load_prompts(), cache, config.concurrency, config.max_cost
    )
