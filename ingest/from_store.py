"""Extract what waits for extraction from the store's own copy of its threads: no source needed.

A review leaves posts pending (a reply moved to another parent answers other claims now; a post
marked not spam was never extracted), and so does an interrupted run. The next ``argmap ingest``
of the source extracts them, but a scholar working in the dashboard may not have the source at
hand (or it was a URL): the store holds every post's text, author, time and parent, which is all
an extractor reads, so the thread is read back from the store (its argmap JSON) and the pending
posts are extracted as an ingest would, every human decision kept.
"""

from __future__ import annotations

import time

from argmap.graph.export_json import thread_posts
from argmap.graph.store import Store
from argmap.graph.summary_refresh import refresh_after_edit
from argmap.graph.thread_languages import told_language
from argmap.graph.writes import pending_posts
from argmap.ingest.extract import Extractor
from argmap.ingest.pipeline import (
    IngestSummary,
    Progress,
    count_extracted,
    count_thread,
    extract_posts,
)
from argmap.ingest.sources import stating_extractor

from argmap.core.models import Post, Thread


def stored_thread(store: Store, thread_id: str) -> Thread:
    """The thread as the store holds it (posts with their parents and flags as they stand, the
    language its first ingest told), without its extraction: what an extractor reads to extract
    its pending posts."""
    [row], posts = thread_posts(store, [thread_id])
    return Thread(
        **row,
        posts=[Post(**p) for p in posts],
        reply_tree="source",  # the parents as they stand are the tree: nothing is rebuilt
        # As the first ingest read it (its stance cues, its content words), not told again from
        # the posts read back: a caller may have told it where the text does not say.
        language=told_language(store, thread_id),
    )


def extract_pending(
    store: Store,
    extractor: Extractor,
    thread_ids: list[str] | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Extract the pending genuine posts of ``thread_ids`` (or of every thread) with
    ``extractor``, from the store's copy of their threads; returns what an ingest returns.

    Threads whose source states its own relations (a Kialo export) are left to an ingest of
    that source: their relations come from the file, not from an extractor.
    """
    started = time.perf_counter()
    summary = IngestSummary.of(extractor)
    for tid, _ in sorted(pending_posts(store, thread_ids).items()):
        thread = stored_thread(store, tid)
        if stating_extractor(thread.source_format):
            continue
        count_thread(summary, thread)
        extract_posts(store, thread, extractor, summary, progress)
        count_extracted(store, tid, summary)
    if summary.threads:
        # As after a review edit: a small graph's summary now, a big one's left stale (or to the
        # dashboard's background refresh) rather than a full ingest's refresh for a few posts.
        refresh_after_edit(store)
    summary.seconds = round(time.perf_counter() - started, 3)
    return summary
