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
from pathlib import Path

import openai

from ingest.errors import ExtractionError
from ingest.extract import PostResult
from ingest.extract.llm_cache import CACHE_FILE, AnswerCache, CachedAnswer, cache_key
from ingest.extract.llm_context import (
    PostRequest,
    Prompts,
    build_request,
    estimate_prompt_tokens,
    load_prompts,
)
from ingest.extract.llm_grounding import ground_answer, one_line
from ingest.extract.llm_schema import MalformedAnswer, PostAnswer, parse_answer, response_format
from ingest.extract.pricing import cost_usd, price_for
from ingest.extract.scheduler import Later, run_tree
from ingest.models import Claim, Thread
from ingest.settings import Settings, default_data_dir, get_settings

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


def _api_failure(exc: openai.OpenAIError, base_url: str) -> _Failure:
    if isinstance(exc, openai.APITimeoutError):
        return _Failure("the request timed out on every retry")
    if isinstance(exc, openai.APIConnectionError):
        return _Failure(f"cannot reach the LLM endpoint {base_url} ({one_line(str(exc), 120)})", True)
    if isinstance(exc, openai.BadRequestError):
        return _Failure(f"the endpoint rejected the request: {one_line(str(exc), 200)}")
    if isinstance(exc, openai.APIStatusError):
        return _Failure(f"the endpoint answered HTTP {exc.status_code}: {one_line(str(exc), 200)}", True)
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
        self.schema_format = response_format()
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
        yield from run_tree(todo, run.parent_of, run.start, run.finish, run.blocked, self.concurrency)

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
            messages=request.messages,
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
        if getattr(choice.message, "refusal", None):
            raise _Failure(f"the model refused: {one_line(choice.message.refusal, 150)}")
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
        grounded = ground_answer(request.post, answer, request.candidates, self.model, self.prompt_version)
        spam = answer.is_spam and request.post.kind == "comment"
        if spam:
            with self._lock:
                self.spam_flagged += 1
        result = PostResult(
            post_id=request.post.id, spam=spam, claims=grounded.claims, relations=grounded.relations,
            dropped_claims=grounded.dropped_claims, dropped_relations=grounded.dropped_relations,
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


def default_cache_path(settings: Settings) -> Path | None:
    """``ARGMAP_LLM_CACHE``, else ``llm-cache.sqlite3`` in the embedded store's data directory."""
    if settings.llm_cache is not None:
        value = settings.llm_cache.strip()
        return None if value.lower() in ("", "off", "none", "0") else Path(value).expanduser()
    if "://" in settings.db:  # a Neo4j URI: keep the cache in the user's data directory
        return default_data_dir() / CACHE_FILE
    return Path(settings.db).expanduser() / CACHE_FILE


def make_llm_extractor(
    model: str | None = None,
    concurrency: int | None = None,
    max_cost: float | None = None,
    cache_path: Path | str | None = None,
    settings: Settings | None = None,
    **_ignored: object,
) -> LLMExtractor:
    """An ``LLMExtractor`` configured from the settings, with overrides from the CLI."""
    s = settings or get_settings()
    if not s.llm_configured:
        raise ExtractionError(
            "the llm extractor needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local "
            "OpenAI-compatible server); or use --extractor offline"
        )
    model = model or s.model
    concurrency = concurrency if concurrency is not None else s.concurrency
    if concurrency < 1:
        raise ExtractionError(f"--concurrency must be at least 1, not {concurrency}")
    max_cost = max_cost if max_cost is not None else s.max_cost
    if max_cost is not None and price_for(model) is None:
        raise ExtractionError(
            f"--max-cost needs a price for model {model!r}; add one to ingest/extract/pricing.py"
        )
    api_key = s.openai_api_key.get_secret_value() if s.openai_api_key else "unused-by-local-server"
    client = openai.OpenAI(
        api_key=api_key, base_url=s.openai_base_url, max_retries=max(0, s.llm_max_retries),
        timeout=s.llm_timeout,
    )
    path = Path(cache_path) if cache_path is not None else default_cache_path(s)
    cache = AnswerCache(path) if path is not None else None
    return LLMExtractor(client, model, load_prompts(), cache, concurrency, max_cost)
