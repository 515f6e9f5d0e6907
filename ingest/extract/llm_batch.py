"""The extraction requests sent through the OpenAI Batch API: half the price, answers within a day.

A round uploads the requests of every post whose offered posts are all extracted (a JSONL file,
``files.create(purpose="batch")``) and starts a batch on it (``batches.create``). Collecting a
batch (``batches.retrieve``, then ``files.content`` of its ``output_file_id`` and
``error_file_id``) grounds its answers exactly as the online path does and stores them in the
answer cache too. Posts a batch did not answer (it failed, expired or was cancelled, or one
request erred) stay pending and go into the next round. Replies wait for the claims of the posts
they are offered, so a thread takes as many rounds as its longest chain of such waits; answers
already in the answer cache settle at once and do not wait for a round. ``--max-cost`` bounds
what a run submits, over all its threads (``llm_budget``): a post it cannot hold waits.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

import openai
from argmap.ingest.extract import PostResult, taken_away
from argmap.ingest.extract.llm import LLMExtractor, request_body
from argmap.ingest.extract.llm_batch_state import (
    SUBMITTING,
    UPLOADING,
    BatchRecord,
    BatchState,
    name_key,
    upload_key,
    upload_name,
)
from argmap.ingest.extract.llm_budget import worst_case
from argmap.ingest.extract.llm_cache import CachedAnswer
from argmap.ingest.extract.llm_context import PostRequest, estimate_prompt_tokens
from argmap.ingest.extract.llm_errors import api_failure
from argmap.ingest.extract.llm_grounding import one_line, post_result
from argmap.ingest.extract.llm_parents import rounds
from argmap.ingest.extract.llm_run import ThreadRequests
from argmap.ingest.extract.llm_schema import MalformedAnswer, answer_schema, parse_answer
from argmap.ingest.extract.llm_secrets import scrub
from argmap.ingest.extract.llm_usage import Usage
from openai.types import Batch

from argmap.core.errors import ExtractionError
from argmap.core.models import Claim, Thread

ENDPOINT: Final = "/v1/chat/completions"
FINISHED = ("completed", "failed", "expired", "cancelled")


@dataclass
class Submitted:
    """What one round did: answers settled from the cache, and the batch it started (if any)."""

    cached: list[PostResult] = field(default_factory=list)
    batch: BatchRecord | None = None
    posts: int = 0
    rounds_after: int = 0  # rounds still needed once this one is collected
    held_back: int = 0  # posts ready but not sent: the run's --max-cost could not hold them


@dataclass
class Collected:
    """A batch's state and, once it finished, one result per request it carried."""

    batch: BatchRecord
    status: str
    done: int = 0
    total: int = 0
    results: list[PostResult] = field(default_factory=list)
    problem: str = ""


def api_error(exc: openai.OpenAIError, ext: LLMExtractor) -> ExtractionError:
    """The Batch API's failure as one line (the key and URL login masked) and what to do."""
    return ExtractionError(f"the Batch API call failed: {api_failure(exc, ext.client, ext.model)}")


def submit_round(
    ext: LLMExtractor,
    state: BatchState,
    thread: Thread,
    done: Mapping[str, list[Claim]],
    source: str,
) -> Submitted:
    """Start the thread's next round: a batch of every post ready to extract (a post the cache
    answers, or a removed/deleted comment, is settled in ``cached`` instead of sent)."""
    reqs = ThreadRequests(thread, done, ext)
    in_flight = {r.post.id for b in state.open_batches(thread.id) for _, r, _ in _rows(state, b)}
    pending = [p.id for p in thread.posts if not p.is_spam and p.id not in done]
    waiting = set(pending)  # not extracted yet (sent in this round or not)
    out = Submitted()
    lines: list[tuple[str, PostRequest, str]] = []
    queued: set[str] = set(in_flight)
    held_back: set[str] = set()
    progress = True
    while progress:  # a cached answer may free the posts that wait for it
        progress = False
        for pid in pending:
            if pid in queued or pid not in waiting or pid in held_back:
                continue
            if taken_away(reqs.posts[pid].text):
                # A removed or deleted comment: nothing to ask, extracted with no claims now (as
                # online, llm_run), so it never stays pending and its replies need not wait.
                out.cached.append(PostResult(post_id=pid))
                reqs.claims[pid] = []
                waiting.discard(pid)
                progress = True
                continue
            if any(d in waiting for d in reqs.deps.get(pid, [])):
                continue
            request, key = reqs.request(pid)
            hit = reqs.cached(request, key)
            if hit is not None:
                out.cached.append(hit)
                reqs.claims[pid] = hit.claims
                waiting.discard(pid)
                progress = True
            elif not _affordable(ext, request):
                held_back.add(pid)  # pending: a later run (a fresh budget) submits it
            else:
                queued.add(pid)
                lines.append((f"post-{request.post.position}", request, key))
    out.held_back = len(held_back)
    left = [pid for pid in pending if pid in waiting and pid not in queued]
    # The rounds the rest needs once this one is in (the posts sent now count as extracted).
    out.rounds_after = rounds(left, reqs.deps) if left else 0
    if not lines:
        return out
    mode = "json_object" if ext.output.configured == "json_object" else "json_schema"
    jsonl = "".join(
        json.dumps(
            {
                "custom_id": cid,
                "method": "POST",
                "url": ENDPOINT,
                "body": request_body(ext.model, r.messages, r.choosing, mode),
            }
        )
        + "\n"
        for cid, r, _ in lines
    )
    number = state.last_round(thread.id) + 1
    name = upload_name(thread.id, number)
    # Kept before the upload, and again before the batch is asked for: stopped while the API
    # took the file or made the batch, the next run finds it (llm_batch_resume) rather than
    # leaving the file unused, or paying for the same requests twice.
    named = BatchRecord(name_key(name), thread.id, source, number, UPLOADING, ext.model)
    state.record(named, lines)
    try:
        upload = ext.client.files.create(file=(name, io.BytesIO(jsonl.encode())), purpose="batch")
    except openai.APIConnectionError as exc:  # it may have been taken: the next run looks
        raise api_error(exc, ext) from None
    except openai.OpenAIError as exc:  # refused: nothing was uploaded, the posts go again
        state.forget(named.id)
        raise api_error(exc, ext) from None
    uploaded = BatchRecord(upload_key(upload.id), thread.id, source, number, SUBMITTING, ext.model)
    state.submitted(named.id, uploaded.id, SUBMITTING)
    try:
        batch = create_batch(ext, upload.id, thread.id, number)
    except openai.APIConnectionError as exc:  # it may have been made: the next run looks
        raise api_error(exc, ext) from None
    except openai.OpenAIError as exc:  # refused: nothing was made, the posts go again
        state.forget(uploaded.id)
        raise api_error(exc, ext) from None
    state.submitted(uploaded.id, batch.id, batch.status)
    out.batch = BatchRecord(batch.id, thread.id, source, number, batch.status, ext.model)
    out.posts = len(lines)
    return out


def create_batch(ext: LLMExtractor, file_id: str, thread_id: str, number: int) -> Batch:
    """Start the batch of round ``number`` on the uploaded requests file ``file_id``."""
    return ext.client.batches.create(
        input_file_id=file_id,
        endpoint=ENDPOINT,
        completion_window="24h",
        metadata={"argmap_thread": thread_id[:500], "argmap_round": str(number)},
    )


def _affordable(ext: LLMExtractor, request: PostRequest) -> bool:
    """Whether the run's budget can hold ``request`` at its worst case (held for the whole run:
    the batch is billed when it finishes, after this run)."""
    if ext.max_cost is None:
        return True
    prompt = estimate_prompt_tokens(request.messages, answer_schema(request.choosing))
    return ext.budget.hold(request.post.id, worst_case(ext.price, prompt, batch=True))


def _rows(state: BatchState, batch: BatchRecord) -> list[tuple[str, PostRequest, str]]:
    return state.requests(batch.id)


def batch_status(ext: LLMExtractor, batch_id: str) -> tuple[str, int, int]:
    """The batch's status and how many of its requests are done, of how many."""
    try:
        batch = ext.client.batches.retrieve(batch_id)
    except openai.NotFoundError:
        raise ExtractionError(f"no batch {batch_id!r} at this endpoint") from None
    except openai.OpenAIError as exc:
        raise api_error(exc, ext) from None
    counts = batch.request_counts
    done = (counts.completed + counts.failed) if counts else 0
    return batch.status, done, counts.total if counts else 0


def _lines(ext: LLMExtractor, file_id: str | None) -> dict[str, dict]:
    if not file_id:
        return {}
    text = ext.client.files.content(file_id).text
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return {row["custom_id"]: row for row in rows if "custom_id" in row}


def _why(row: dict | None, status: str, client: openai.OpenAI) -> str:
    if row is None:
        return f"not answered (the batch {status})"
    error = row.get("error") or ((row.get("response") or {}).get("body") or {}).get("error")
    if error:
        said = str(error.get("message") or error.get("code") or error)
        return one_line(scrub(said, client), 150)
    return f"HTTP {(row.get('response') or {}).get('status_code')}"


def collect(ext: LLMExtractor, state: BatchState, batch_id: str) -> Collected:
    """The batch's results once it finished (grounded, cached); its status while it runs."""
    record = state.get(batch_id)
    if record is None:
        raise ExtractionError(f"batch {batch_id!r} was not submitted from this data directory")
    try:
        batch = ext.client.batches.retrieve(batch_id)
        counts = batch.request_counts
        out = Collected(record, batch.status)
        out.total = counts.total if counts else 0
        out.done = (counts.completed + counts.failed) if counts else 0
        if batch.status not in FINISHED:
            return out
        answered = _lines(ext, batch.output_file_id)
        errors = _lines(ext, batch.error_file_id)
    except openai.OpenAIError as exc:
        raise api_error(exc, ext) from None
    if batch.status == "failed" and batch.errors and batch.errors.data:
        out.problem = one_line(scrub(batch.errors.data[0].message or "", ext.client), 150)
    for cid, request, key in state.requests(batch_id):
        out.results.append(
            _result(
                ext, request, key, answered.get(cid), errors.get(cid), batch.status, out.problem
            )
        )
    return out


def _result(
    ext: LLMExtractor,
    request: PostRequest,
    key: str,
    row: dict | None,
    error_row: dict | None,
    status: str,
    problem: str,
) -> PostResult:
    post = request.post
    label = f"post {post.position} by {post.author}: "
    response = (row or {}).get("response") or {}
    if row is None or response.get("status_code") != 200:
        why = problem or _why(error_row or row, status, ext.client)
        return PostResult(post_id=post.id, error=f"{label}{why}; it goes into the next round")
    body = response.get("body") or {}
    usage = Usage()
    usage.add(body.get("usage"))
    content = ((body.get("choices") or [{}])[0].get("message") or {}).get("content") or ""
    try:
        answer = parse_answer(content, request.choosing)
    except MalformedAnswer as exc:
        return PostResult(
            post_id=post.id,
            error=f"{label}malformed answer ({exc}); it goes into the next round",
            prompt_tokens=usage.prompt,
            cached_prompt_tokens=usage.cached,
            completion_tokens=usage.completion,
            cost_usd=usage.cost(ext.price, batch=True),
        )
    if ext.cache is not None:
        ext.cache.put(
            key,
            ext.model,
            ext.prompt_version,
            CachedAnswer(content, usage.prompt, usage.completion),
        )
    return post_result(
        request, answer, ext.model, ext.prompt_version, usage, batch=True, price=ext.price
    )
