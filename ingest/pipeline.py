"""The ingestion job: source -> threads -> graph, then extraction post by post.

Posts are written before extraction starts, and each batch of extracted posts is written as it
completes, so an interrupted run keeps its work and the next run extracts only what is pending.
Where the model picked another parent than the rebuilt tree's (a flattened page), the reply edge
follows the model, and later runs keep that choice.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from argmap.graph.counts import claims_and_relations
from argmap.graph.review_records import write_review_records
from argmap.graph.source_relations import drop_relations_not_given
from argmap.graph.store import Store
from argmap.graph.summary import refresh_summary
from argmap.graph.writes import (
    check_ids_free,
    chosen_parents,
    extracted_by,
    extracted_claims,
    human_post_decisions,
    set_parents,
    write_extractions,
    write_thread,
)
from argmap.ingest.comment_pages import join_stored_pages
from argmap.ingest.extract import Extractor, PostResult, get_extractor
from argmap.ingest.older_ids import keep_older_ids
from argmap.ingest.sources import load_threads, stating_extractor
from argmap.ingest.sources.fetch import DEFAULT_TIMEOUT
from pydantic import BaseModel, Field

from argmap.core.config import LLMConfig
from argmap.core.models import Thread

Progress = Callable[[int, int], None]
log = logging.getLogger(__name__)


class IngestSummary(BaseModel):
    """What one ingest did; ``pending`` posts failed extraction and will be retried next run."""

    threads: list[str] = []
    posts: int = 0  # every post: the articles, the comments and the spam
    articles: int = 0
    comments: int = 0  # comments not marked spam, as the Overview and credit lines count them
    spam: int = 0
    claims: int = 0
    relations: int = 0
    extracted_now: int = 0
    pending: int = 0
    to_extract: int = 0
    dropped_claims: int = 0
    dropped_relations: int = 0
    prompt_tokens: int = 0
    cached_prompt_tokens: int = 0  # of prompt_tokens, served from the provider's prompt cache
    completion_tokens: int = 0
    cost_usd: float = 0.0
    priced: bool = False  # the model's price is known: ``cost_usd`` is the cost, not a 0
    cached: int = 0
    reparented: int = 0  # comments whose parent the model moved (flattened pages)
    reply_to_fallbacks: int = 0  # answers naming a parent not offered: the heuristic's was kept
    extractor: str = ""
    model: str | None = None
    # Posts kept as an earlier run of ANOTHER extractor left them (by its name): a run with the
    # LLM after the offline demo extracts nothing unless asked to (--re-extract).
    kept_from_other: Counter[str] = Field(default_factory=Counter)
    seconds: float = 0.0
    errors: list[str] = []
    # What reading the source said, for the user (a file that was not UTF-8: as what it was read).
    notes: list[str] = []
    # A source of several threads (a WordPress export): each thread's own summary, in order.
    title: str | None = None
    parts: list[IngestSummary] = []

    @classmethod
    def of(cls, extractor: Extractor) -> IngestSummary:
        """An empty summary of a run by ``extractor`` (priced if it has a price: the llm one)."""
        price = getattr(extractor, "price", None)  # not in the Extractor protocol: llm only
        return cls(extractor=extractor.name, model=extractor.model, priced=price is not None)


def flush_results(store: Store, buffer: list[PostResult], extractor: Extractor) -> None:
    """Write the results in ``buffer`` (claims, relations, chosen parents) and empty it."""
    if not buffer:
        return
    write_extractions(
        store,
        [r.post_id for r in buffer],
        [c for r in buffer for c in r.claims],
        [rel for r in buffer for rel in r.relations],
        extractor.name,
        spam_post_ids=[r.post_id for r in buffer if r.spam],
    )
    moved = {r.post_id: r.parent_id for r in buffer if r.parent_id}
    if moved:
        set_parents(store, moved, extractor.name)
    buffer.clear()


def add_result(summary: IngestSummary, result: PostResult) -> None:
    """Count ``result``'s usage, drops and parent choice into ``summary``."""
    summary.dropped_claims += result.dropped_claims
    summary.dropped_relations += result.dropped_relations
    summary.prompt_tokens += result.prompt_tokens
    summary.cached_prompt_tokens += result.cached_prompt_tokens
    summary.completion_tokens += result.completion_tokens
    summary.cost_usd += result.cost_usd
    summary.cached += int(result.cached)
    summary.reparented += int(result.parent_id is not None and result.error is None)
    summary.reply_to_fallbacks += int(result.reply_to_fallback)
    if result.error is not None:
        summary.pending += 1
        summary.errors.append(result.error)
    else:
        summary.extracted_now += 1


def keep_chosen_parents(store: Store, thread: Thread) -> Thread:
    """``thread`` with the parents an extractor chose in earlier runs (not the rebuilt ones),
    and over those what people decided in review (parents, spam flags)."""
    chosen = chosen_parents(store, thread.id)
    if chosen:
        posts = [
            p.model_copy(update={"parent_id": chosen[p.id]}) if p.id in chosen else p
            for p in thread.posts
        ]
        thread = thread.model_copy(update={"posts": posts})
    return _with_human_decisions(store, thread)


def count_extracted(store: Store, thread_id: str, summary: IngestSummary) -> None:
    """Count the thread's claims and relations as stored now into ``summary``, as the Overview
    counts them (the claims of a post a reviewer marked spam are out of the debate)."""
    claims, relations = claims_and_relations(store, [thread_id])
    summary.claims += claims
    summary.relations += relations


def ingest_thread(
    store: Store,
    thread: Thread,
    extractor: Extractor,
    summary: IngestSummary,
    progress: Progress | None = None,
    reextract: bool = False,
) -> None:
    """Write one prepared thread and extract its pending posts into ``store``.

    What people decided in review (a post's parent, its spam flag) wins over what the source
    and the machine say, before anything is extracted; ``reextract`` extracts every post again
    (with ``extractor``), keeping every human decision (``graph.writes``).
    """
    thread = keep_chosen_parents(store, thread)
    write_thread(store, thread)
    count_thread(summary, thread)
    if thread.claims is not None:
        # The source carries its own extraction (argmap JSON): store it as it is.
        write_extractions(
            store,
            [p.id for p in thread.posts],
            thread.claims,
            thread.relations or [],
            "imported",
        )
        if thread.reviews is not None or thread.rejected_relations:
            write_review_records(store, thread.rejected_relations or [], thread.reviews or [])
    else:
        extract_posts(store, thread, extractor, summary, progress, reextract)
    count_extracted(store, thread.id, summary)


def count_thread(summary: IngestSummary, thread: Thread) -> None:
    """Count ``thread`` (its posts, comments and spam) into ``summary``."""
    summary.threads.append(thread.id)
    summary.posts += len(thread.posts)
    summary.articles += len(thread.posts) - len(thread.comments)
    summary.comments += sum(not p.is_spam for p in thread.comments)
    summary.spam += sum(p.is_spam for p in thread.posts)


def extract_posts(
    store: Store,
    thread: Thread,
    extractor: Extractor,
    summary: IngestSummary,
    progress: Progress | None = None,
    reextract: bool = False,
) -> None:
    """Extract the thread's pending genuine posts (every one with ``reextract``) into ``store``,
    a batch at a time, counting into ``summary``."""
    done = {} if reextract else extracted_claims(store, thread.id)
    if done:
        summary.kept_from_other.update(extracted_by(store, thread.id, extractor.name))
    todo = [p for p in thread.posts if not p.is_spam and p.id not in done]
    summary.to_extract += len(todo)
    buffer: list[PostResult] = []
    finished = 0
    fallbacks = summary.reply_to_fallbacks
    for result in extractor.extract(thread, done):
        finished += 1
        add_result(summary, result)
        if result.error is None:
            buffer.append(result)
            if len(buffer) >= extractor.batch_size:
                flush_results(store, buffer, extractor)
        if progress:
            progress(finished, len(todo))
    flush_results(store, buffer, extractor)
    if summary.reply_to_fallbacks > fallbacks:
        log.warning(
            "%d answers named a parent that was not offered; the rebuilt parent was kept",
            summary.reply_to_fallbacks - fallbacks,
        )


def _with_human_decisions(store: Store, thread: Thread) -> Thread:
    decisions = human_post_decisions(store, thread.id)
    if not decisions:
        return thread
    posts = [p.model_copy(update=decisions.get(p.id, {})) for p in thread.posts]
    return thread.model_copy(update={"posts": posts})


def ingest(
    source: str | Path,
    store: Store,
    fmt: str = "auto",
    extractor: str | Extractor = "auto",
    progress: Progress | None = None,
    llm: LLMConfig | None = None,
    fetch_timeout: float = DEFAULT_TIMEOUT,
    reextract: bool = False,
    refresh: bool = True,
    encoding: str | None = None,
) -> IngestSummary:
    """Ingest ``source`` into ``store``; returns counts (totals for the threads touched).

    ``extractor`` is a name (``auto``, ``offline``, ``llm``: see ``get_extractor``, which ``llm``
    configures) or an ``Extractor``. ``reextract`` extracts already-extracted posts again
    (a second opinion from another extractor); reviewed items keep their human decisions.
    ``refresh=False`` leaves the graph's derived data to the caller (``ingest.many`` refreshes
    it once after several sources). ``encoding``: a file's, where it has no byte-order mark
    (``argmap.core.text_encoding``). Raises ``SourceError`` before writing anything if the
    source cannot be used.
    """
    started = time.perf_counter()
    # A page of a post's comments joins the pages already stored (ingest.comment_pages).
    # A thread an older argmap stored under other ids is resumed there (ingest.older_ids).
    notes: list[str] = []
    threads = [
        join_stored_pages(store, keep_older_ids(store, t))
        for t in load_threads(source, fmt, fetch_timeout, encoding, notes)
    ]
    ext = get_extractor(extractor, llm) if isinstance(extractor, str) else extractor
    # A source carrying its own extraction (argmap JSON) is stored as it is: say so, not "offline".
    imported = all(t.claims is not None for t in threads)
    summary = IngestSummary(extractor="imported") if imported else IngestSummary.of(ext)
    summary.notes = notes
    for thread in threads:  # every thread checked before any is written
        check_ids_free(store, thread)
    _drop_relations_taken_back(store, threads)
    for thread in threads:
        if len(threads) == 1:
            ingest_thread(store, thread, ext, summary, progress, reextract)
            continue
        part = summary.model_copy(
            update={"threads": [], "errors": [], "parts": [], "notes": []}, deep=True
        )
        part = _emptied(part, thread.title)
        begun = time.perf_counter()
        ingest_thread(store, thread, ext, part, progress, reextract)
        part.seconds = round(time.perf_counter() - begun, 3)
        _add(summary, part)
        summary.parts.append(part)
    # The last step: the whole graph's derived data, once, for every reader (graph.summary).
    if refresh:
        refresh_summary(store)
    summary.seconds = round(time.perf_counter() - started, 3)
    return summary


def _emptied(summary: IngestSummary, title: str) -> IngestSummary:
    """``summary`` with every counter at zero (its extractor and model kept), for one thread."""
    for name, field in IngestSummary.model_fields.items():
        if field.annotation in (int, float):
            setattr(summary, name, type(getattr(summary, name))())
    summary.kept_from_other = Counter()
    summary.title = title
    return summary


def _add(total: IngestSummary, part: IngestSummary) -> None:
    """Add one thread's counts (``part``) into the source's ``total``."""
    for name, field in IngestSummary.model_fields.items():
        if field.annotation in (int, float) and name != "seconds":
            setattr(total, name, getattr(total, name) + getattr(part, name))
    total.threads += part.threads
    total.errors += part.errors
    total.kept_from_other.update(part.kept_from_other)


def _drop_relations_taken_back(store: Store, threads: list[Thread]) -> None:
    """Where the file states its relations (Kialo), drop those of its claims it no longer
    gives (a claim moved to another parent), over all its threads at once: a relation between
    two theses' claims is given with the later thread."""
    stated = [(t, stating_extractor(t.source_format)) for t in threads if t.claims is not None]
    for name in {n for _, n in stated if n}:
        ours = [t for t, n in stated if n == name]
        drop_relations_not_given(
            store,
            [c.id for t in ours for c in t.claims or []],
            [r for t in ours for r in t.relations or []],
            name,
        )
