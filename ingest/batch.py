"""``argmap ingest --batch``: extraction through the OpenAI Batch API, one round per run.

Each run writes the threads (as an online ingest does), collects the thread's batches that have
finished into the store, and, when none is still running, submits the next round. Running it
again until it says every post is extracted is the whole workflow; ``collect_batch`` and
``batch_status`` serve ``argmap batch collect|status ID``. Every step is safe to interrupt: a
batch is recorded once the API accepts it, its answers are written (idempotently) before it is
marked collected, and posts not answered go into a later round.
"""

from __future__ import annotations

import time
from pathlib import Path

from argmap.graph.store import Store
from argmap.graph.summary import refresh_summary
from argmap.graph.writes import extracted_claims, write_thread
from argmap.ingest.comment_pages import join_stored_pages
from argmap.ingest.extract import PostResult
from argmap.ingest.extract.llm import LLMExtractor, make_llm_extractor
from argmap.ingest.extract.llm_batch import Collected, batch_status, collect, submit_round
from argmap.ingest.extract.llm_batch_resume import resume_submissions
from argmap.ingest.extract.llm_batch_state import BatchState
from argmap.ingest.older_ids import keep_older_ids
from argmap.ingest.pipeline import (
    IngestSummary,
    add_result,
    count_extracted,
    count_thread,
    flush_results,
    keep_chosen_parents,
)
from argmap.ingest.sources import load_threads
from argmap.ingest.sources.fetch import DEFAULT_TIMEOUT
from pydantic import BaseModel

from argmap.core.config import LLMConfig
from argmap.core.errors import ExtractionError
from argmap.core.models import Thread
from argmap.core.wording import plural


class BatchReport(BaseModel):
    """What a batch run did: the usual counts, and one line per batch event."""

    summary: IngestSummary
    lines: list[str] = []
    running: list[str] = []  # batches still running
    submitted: list[str] = []  # batches started by this run
    held_back: int = 0  # posts --max-cost kept from being submitted (a rerun submits them)


def _setup(llm: LLMConfig, ext: LLMExtractor | None = None) -> tuple[LLMExtractor, BatchState]:
    if llm.batch_path is None:
        raise ExtractionError("batch mode needs a file to record batches in (LLMConfig.batch_path)")
    return ext or make_llm_extractor(llm), BatchState(llm.batch_path)


def _store(
    store: Store, ext: LLMExtractor, results: list[PostResult], summary: IngestSummary
) -> None:
    ok = []
    for result in results:
        add_result(summary, result)
        if result.error is None:
            ok.append(result)
    flush_results(store, ok, ext)


def _collect_into(
    store: Store, ext: LLMExtractor, state: BatchState, batch_id: str, report: BatchReport
) -> Collected:
    got = collect(ext, state, batch_id)
    if not got.results and got.status not in ("completed", "failed", "expired", "cancelled"):
        report.running.append(batch_id)
        report.lines.append(
            f"batch {batch_id} (round {got.batch.round}) is {got.status}: {got.done} of "
            f"{got.total} requests done; run the same command again later to collect it"
        )
        return got
    _store(store, ext, got.results, report.summary)
    state.set_status(batch_id, got.status)
    failed = sum(r.error is not None for r in got.results)
    line = (
        f"collected batch {batch_id} (round {got.batch.round}, {got.status}): "
        f"{len(got.results) - failed} posts extracted"
    )
    if failed:
        first = next(r.error for r in got.results if r.error)
        line += f", {failed} not ({first})"
    report.lines.append(line)
    return got


def ingest_batch(
    source: str | Path,
    store: Store,
    llm: LLMConfig,
    fmt: str = "auto",
    fetch_timeout: float = DEFAULT_TIMEOUT,
    ext: LLMExtractor | None = None,
    encoding: str | None = None,
) -> BatchReport:
    """One batch run over ``source``: collect finished batches, then submit the next round.

    ``ext``: the run's extractor when it reads several sources (its ``--max-cost`` budget bounds
    what they all submit); else one made from ``llm``. ``encoding``: a file's, where it has
    no byte-order mark."""
    started = time.perf_counter()
    notes: list[str] = []
    threads = [
        join_stored_pages(store, keep_older_ids(store, t))
        for t in load_threads(source, fmt, fetch_timeout, encoding, notes)
    ]
    ext, state = _setup(llm, ext)
    report = BatchReport(summary=IngestSummary.of(ext))
    report.summary.notes = notes
    try:
        for thread in threads:
            summary = report.summary
            write_thread(store, keep_chosen_parents(store, thread))
            count_thread(summary, thread)
            if thread.claims is not None:
                report.lines.append(
                    f"{thread.id}: carries its own extraction; ingest it without --batch"
                )
                continue
            # What this run found to do, whether it collects, submits or waits: the summary's
            # "extracted now" and "as an earlier run left them" are counted against it.
            before = extracted_claims(store, thread.id)
            summary.to_extract += sum(not p.is_spam and p.id not in before for p in thread.posts)
            report.lines += resume_submissions(ext, state, thread.id)
            for batch in state.open_batches(thread.id):
                _collect_into(store, ext, state, batch.id, report)
            if not any(b.thread_id == thread.id for b in state.open_batches(thread.id)):
                _next_round(store, ext, state, thread, str(source), report)
            count_extracted(store, thread.id, summary)
        refresh_summary(store)  # the last step, as in ``pipeline.ingest`` (graph.summary)
    finally:
        state.close()
    report.summary.seconds = round(time.perf_counter() - started, 3)
    return report


def _next_round(
    store: Store,
    ext: LLMExtractor,
    state: BatchState,
    thread: Thread,
    source: str,
    report: BatchReport,
) -> None:
    """Submit the thread's next round (answering from the cache what it can) and say so."""
    done = extracted_claims(store, thread.id)
    todo = [p for p in thread.posts if not p.is_spam and p.id not in done]
    sent = submit_round(ext, state, thread, done, source)
    _store(store, ext, sent.cached, report.summary)
    if sent.batch is not None:
        report.submitted.append(sent.batch.id)
        more = (
            f"about {sent.rounds_after} more rounds after this one"
            if sent.rounds_after
            else "the last round"
        )
        report.lines.append(
            f"submitted batch {sent.batch.id}: round {sent.batch.round}, {sent.posts} "
            f"posts ({more}); run the same command again (or `argmap batch collect "
            f"{sent.batch.id}`) to collect it, within 24 hours"
        )
    if sent.held_back:
        report.held_back += sent.held_back
        report.lines.append(
            f"{thread.id}: {plural(sent.held_back, 'post')} not submitted, "
            f"{ext.budget.stopped}; run the same command again to submit them"
        )
    elif sent.batch is None and len(sent.cached) == len(todo):
        report.lines.append(f"{thread.id}: every post is extracted")


def collect_batch(batch_id: str, store: Store, llm: LLMConfig) -> BatchReport:
    """Collect one batch into ``store`` (no new round is submitted)."""
    ext, state = _setup(llm)
    report = BatchReport(summary=IngestSummary.of(ext))
    try:
        got = _collect_into(store, ext, state, batch_id, report)
        if got.results:
            refresh_summary(store)
            report.lines.append(
                f"run `argmap ingest {got.batch.source} --batch` to submit the next round"
            )
    finally:
        state.close()
    return report


def status_line(batch_id: str, llm: LLMConfig) -> str:
    """One line on a batch: its status and progress."""
    ext = make_llm_extractor(llm)
    status, done, total = batch_status(ext, batch_id)
    return f"batch {batch_id}: {status}, {done} of {total} requests done"
