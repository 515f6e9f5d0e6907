"""The ``llm`` extractor: any OpenAI-compatible endpoint through the official ``openai`` SDK.

One Chat Completions request per post, asking for the answer's shape (``llm_schema``) as
``llm_output`` says, with the context of ``llm_context``, answers grounded by ``llm_grounding``
and cached by ``llm_cache``. Posts run after the posts they are offered, at most ``concurrency``
requests in flight (``llm_run``, ``scheduler``); 429s, 5xx and timeouts are retried by the SDK
with exponential backoff (``ARGMAP_LLM_MAX_RETRIES``). A post that still fails comes back with
``error`` set and stays pending for the next run; errors that would fail every post (endpoint
unreachable, key refused, unknown model) and reaching ``max_cost`` stop new requests, and the
remaining posts stay pending too. ``max_cost`` is the budget of everything the extractor sends,
over all the threads it is given (``llm_budget``). ``llm_batch`` sends the same requests through the Batch API.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from typing import Any

import openai
from argmap.ingest.extract import PostResult
from argmap.ingest.extract.llm_budget import Budget
from argmap.ingest.extract.llm_cache import AnswerCache, CachedAnswer
from argmap.ingest.extract.llm_context import (
    PostRequest,
    Prompts,
    approx_tokens,
    estimate_prompt_tokens,
    load_prompts,
)
from argmap.ingest.extract.llm_errors import EndpointFailure, api_failure
from argmap.ingest.extract.llm_grounding import one_line, post_result
from argmap.ingest.extract.llm_limits import answer_room, context_advice
from argmap.ingest.extract.llm_output import (
    MALFORMED_RETRIES,
    MAX_OUTPUT_TOKENS,
    OutputChoice,
    repair,
    response_format,
    with_schema,
)
from argmap.ingest.extract.llm_run import Run
from argmap.ingest.extract.llm_schema import Answer, MalformedAnswer, answer_schema, parse_answer
from argmap.ingest.extract.llm_schema import response_format as schema_format
from argmap.ingest.extract.llm_secrets import UNUSED_KEY, scrub
from argmap.ingest.extract.llm_usage import Usage
from argmap.ingest.extract.pricing import Price, price_for
from argmap.ingest.extract.scheduler import run_tree
from openai.types.chat import ChatCompletionMessageParam

from argmap.core.config import OPENAI_URL, LLMConfig, local_endpoint
from argmap.core.errors import ExtractionError
from argmap.core.models import Claim, Thread

__all__ = ["MALFORMED_RETRIES", "MAX_OUTPUT_TOKENS", "LLMExtractor", "make_llm_extractor"]


class LLMPostResult(PostResult):
    """A ``PostResult`` that can say its error would fail every later request too."""

    fatal: bool = False


def chat_messages(messages: list[dict[str, str]]) -> list[ChatCompletionMessageParam]:
    """Messages of plain text (system, user and assistant turns) as the SDK types them."""
    typed: list[ChatCompletionMessageParam] = []
    for m in messages:
        if m["role"] == "system":
            typed.append({"role": "system", "content": m["content"]})
        elif m["role"] == "user":
            typed.append({"role": "user", "content": m["content"]})
        elif m["role"] == "assistant":
            typed.append({"role": "assistant", "content": m["content"]})
        else:
            raise ValueError(f"unexpected message role {m['role']!r}")
    return typed


def _content(message: Any) -> str:
    """The answer's text: ``content``, or, when that is empty, the ``reasoning_content`` a local
    server (LM Studio, llama-server with a reasoning parser) put a reasoning model's JSON in."""
    content = message.content or ""
    if content.strip():
        return content
    reasoning = getattr(message, "reasoning_content", None)
    return reasoning if isinstance(reasoning, str) and "{" in reasoning else content


def request_body(
    model: str, messages: list[dict[str, str]], choosing: bool, mode: str
) -> dict[str, Any]:
    """The chat-completion arguments for ``messages`` in output ``mode`` (online and in batches)."""
    fmt = schema_format(choosing)
    body: dict[str, Any] = {
        "model": model,
        "messages": with_schema(messages, mode, fmt["json_schema"]["schema"]),
        "max_completion_tokens": MAX_OUTPUT_TOKENS,
    }
    wanted = response_format(mode, fmt)
    if wanted is not None:
        body["response_format"] = wanted
    return body


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
        output: str = "auto",
        price: Price | None = None,
    ):
        self.client = client
        # Only to a local server: hosted ones (Azure's reasoning models) refuse max_tokens.
        self.local = local_endpoint(str(client.base_url))
        self.model = model
        self.prompts = prompts
        self.cache = cache
        self.concurrency = concurrency
        self.max_cost = max_cost
        # One budget for every thread this extractor extracts: the run's (llm_budget).
        self.budget = Budget(max_cost)
        self.price = price  # None: unknown (its cost counts as 0, --max-cost refused)
        self.output = OutputChoice(output)
        self.requests = 0  # chat completions answered (retries inside the SDK not counted)
        self.spam_flagged = 0
        self._lock = threading.Lock()

    @property
    def prompt_version(self) -> str:
        return self.prompts.label

    def extract(self, thread: Thread, done: Mapping[str, list[Claim]]) -> Iterator[PostResult]:
        """Yield one result per non-spam post not in ``done``, after the posts it is offered."""
        run = Run(self, thread, done)
        todo = [p.id for p in thread.posts if not p.is_spam and p.id not in done]
        yield from run_tree(todo, run.deps, run.start, run.finish, run.blocked, self.concurrency)

    # -- one request, in a pool thread ------------------------------------------------------

    def ask(self, request: PostRequest, key: str) -> PostResult:
        """Ask the model about one post; errors come back as a result with ``error`` set."""
        post = request.post
        usage = Usage()
        try:
            messages, problem = request.messages, ""
            for _ in range(MALFORMED_RETRIES + 1):
                answer, content, problem = self._complete(request, messages, usage)
                if answer is not None:
                    if self.cache is not None:
                        cached = CachedAnswer(content, usage.prompt, usage.completion)
                        self.cache.put(key, self.model, self.prompt_version, cached)
                    return self.result(request, answer, usage)
                messages = repair(request.messages, content, problem) if content else messages
            raise EndpointFailure(f"malformed answer ({problem})")
        except openai.OpenAIError as exc:
            failure = api_failure(exc, self.client, self.model, self.concurrency)
        except EndpointFailure as exc:
            failure = exc
        except Exception as exc:  # one post's surprise must not sink the run
            said = one_line(scrub(str(exc), self.client), 200)
            failure = EndpointFailure(f"unexpected {type(exc).__name__}: {said}")
        label = "" if failure.fatal else f"post {post.position} by {post.author}: "
        return LLMPostResult(
            post_id=post.id,
            error=f"{label}{failure}",
            fatal=failure.fatal,
            prompt_tokens=usage.prompt,
            cached_prompt_tokens=usage.cached,
            completion_tokens=usage.completion,
            cost_usd=usage.cost(self.price),
        )

    def _create(self, request: PostRequest, messages: list[dict[str, str]]) -> Any:
        """One chat completion in the run's output mode (``auto`` falls back if refused), asking
        for a shorter answer when only the answer would overflow the server's context."""
        cap = MAX_OUTPUT_TOKENS
        while True:
            mode = self.output.current
            body = request_body(self.model, messages, request.choosing, mode)
            try:
                return self.client.chat.completions.create(
                    model=body["model"],
                    messages=chat_messages(body["messages"]),
                    response_format=body.get("response_format", openai.NOT_GIVEN),
                    max_completion_tokens=cap,
                    # Ollama ignores max_completion_tokens, so a looping model would run to the end
                    # of its context; every local server reads max_tokens.
                    extra_body={"max_tokens": cap} if self.local else None,
                )
            except openai.APIStatusError as exc:
                room = answer_room(exc)
                if room is not None and room < cap:
                    cap = room  # vLLM counts the answer's room in the context: ask for less
                    continue
                if mode == "text" or not self.output.fall_back(exc, mode):
                    raise

    def _complete(
        self, request: PostRequest, messages: list[dict[str, str]], usage: Usage
    ) -> tuple[Answer | None, str, str]:
        """One request: (the answer, or None and why not); ``usage`` accumulates its tokens."""
        response = self._create(request, messages)
        with self._lock:
            self.requests += 1
        choice = response.choices[0] if response.choices else None
        content = _content(choice.message) if choice else ""
        if response.usage is None:
            # Some servers and proxies send no usage: count an estimate (as --dry-run does), not
            # nothing, so the summary, the cost and the --max-cost budget still see the tokens.
            prompt = estimate_prompt_tokens(messages, answer_schema(request.choosing))
            usage.add({"prompt_tokens": prompt, "completion_tokens": approx_tokens(content)})
        else:
            usage.add(response.usage)
        if choice is None:
            return None, "", "no choices in the answer"
        refusal = getattr(choice.message, "refusal", None)
        if refusal:
            raise EndpointFailure(f"the model refused: {one_line(refusal, 150)}")
        if choice.finish_reason == "length":
            # A local server may stop well short of MAX_OUTPUT_TOKENS (its context is full).
            got = response.usage.completion_tokens if response.usage else approx_tokens(content)
            return (
                None,
                "",
                f"cut off at {got} tokens, the server's output or context limit: "
                f"{context_advice(self.local)}",
            )
        try:
            return parse_answer(content, request.choosing), content, ""
        except MalformedAnswer as exc:
            return None, content, str(exc)

    def result(
        self, request: PostRequest, answer: Answer, usage: Usage, cached: bool = False
    ) -> PostResult:
        """The grounded result of ``answer`` for ``request``'s post."""
        result = post_result(
            request, answer, self.model, self.prompt_version, usage, cached, price=self.price
        )
        if result.spam:
            with self._lock:
                self.spam_flagged += 1
        return result


def make_client(config: LLMConfig) -> openai.OpenAI:
    """The SDK client for ``config``'s endpoint."""
    api_key = config.api_key.get_secret_value() if config.api_key else UNUSED_KEY
    return openai.OpenAI(
        api_key=api_key,
        # Never None: the SDK would then read OPENAI_BASE_URL, and a script's post texts would
        # go wherever the environment points, not where its LLMConfig says.
        base_url=config.base_url or OPENAI_URL,
        max_retries=config.max_retries,
        timeout=config.wait_seconds,
    )


def check_config(config: LLMConfig) -> None:
    """Raise ``ExtractionError`` (one line, what to do) if ``config`` cannot run the extractor."""
    if not config.configured:
        raise ExtractionError(
            "the llm extractor needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local "
            "OpenAI-compatible server); or use --extractor offline"
        )
    if config.price_problem:  # only some ARGMAP_PRICE_* set
        raise ExtractionError(config.price_problem)
    if config.requests_at_once < 1:
        raise ExtractionError(f"--concurrency must be at least 1, not {config.requests_at_once}")
    if config.max_cost is not None and price_for(config.model, config.price) is None:
        raise ExtractionError(
            f"--max-cost needs a price for model {config.model!r}: set ARGMAP_PRICE_INPUT and "
            "ARGMAP_PRICE_OUTPUT (USD per million tokens; 0 for a local model)"
        )


def make_llm_extractor(config: LLMConfig) -> LLMExtractor:
    """An ``LLMExtractor`` for the endpoint, model and limits in ``config``."""
    check_config(config)
    cache = AnswerCache(config.cache_path) if config.cache_path is not None else None
    return LLMExtractor(
        make_client(config),
        config.model,
        load_prompts(),
        cache,
        config.requests_at_once,
        config.max_cost,
        config.output,
        price_for(config.model, config.price),
    )
