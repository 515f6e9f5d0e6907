"""Graph writes: batched ``UNWIND`` + ``MERGE`` on deterministic ids, so re-running changes nothing.

A thread's posts are written before any extraction starts; each post's claims and relations are
written as its extraction completes, and the post is then marked ``extracted``. A post without
that mark is pending: the next run extracts it (and only it). Every write raises the graph's
revision (``graph.revision``), which is what the dashboard's cache is keyed on.

**A machine write never overwrites a human decision** (``graph.review_*``): a parent or spam
flag a reviewer set stays (``parent_origin`` / ``spam_origin`` = "human"); a claim a review
touched is never deleted and its edited paraphrase stays; a relation a person accepted, drew or
re-typed keeps its properties; and a relation a person rejected (a ``REJECTED`` edge with its
``type``) is never written again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from argmap.graph.relation_writes import REVIEWED_EDGE, batches, write_relations
from argmap.graph.review_machine import claim_reading, machine_reading, mark_machine_changes
from argmap.graph.revision import bump_revision
from argmap.graph.schema import backfill_search_text, id_seek
from argmap.graph.search_words import SEARCH_PROPERTY, search_text
from argmap.graph.store import Store
from argmap.graph.thread_languages import post_languages, thread_language

from argmap.core.errors import SourceError
from argmap.core.ids import person_id
from argmap.core.models import Claim, Post, Relation, Thread
from argmap.core.times import utc_iso


def _iso(value) -> str | None:
    return utc_iso(value)  # one convention for every stored time: aware UTC


def post_row(post: Post) -> dict[str, Any]:
    return {
        "id": post.id,
        "thread_id": post.thread_id,
        "kind": post.kind,
        "author": post.author,
        "author_id": person_id(post.author),
        "posted_at": _iso(post.posted_at),
        "position": post.position,
        "text": post.text,
        "is_spam": post.is_spam,
        "parent_id": post.parent_id,
        "parent_confidence": post.parent_confidence,
        "spam_margin": post.spam_margin,
        "parent_origin": post.parent_origin,
        "spam_origin": post.spam_origin,
    }


def check_ids_free(store: Store, thread: Thread) -> None:
    """Refuse (``SourceError``, nothing written) a thread whose ids belong to another thread.

    Ids argmap derives itself include the thread, so they never collide; ids read from a file
    (argmap JSON) are the file's word. Without this check a one-post file reusing another
    thread's post or claim id would move that post into its thread and replace its claims
    (and the relations into them): ids from a file must never touch another thread's nodes.
    """
    post_ids = [p.id for p in thread.posts]
    taken = store.run_read(
        "UNWIND $ids AS pid MATCH (p:Post {id: pid}) WHERE p.thread_id <> $tid "
        "RETURN p.id AS id, p.thread_id AS owner LIMIT 1",
        {"ids": post_ids, "tid": thread.id},
    )
    if not taken and thread.claims:
        taken = store.run_read(
            "UNWIND $ids AS cid MATCH (c:Claim {id: cid}) "
            "OPTIONAL MATCH (p:Post {id: c.post_id}) WITH c, p "
            "WHERE p IS NULL OR p.thread_id <> $tid "
            "RETURN c.id AS id, p.thread_id AS owner LIMIT 1",
            {"ids": [c.id for c in thread.claims], "tid": thread.id},
        )
    if taken:
        owner = taken[0]["owner"] or "another thread"
        raise SourceError(
            f"id {taken[0]['id']!r} in thread {thread.id!r} already belongs to thread "
            f"{owner!r} in this store; nothing was written (give the file its own ids, or "
            "ingest it into another store with --db)"
        )


def _forget_changed_posts(store: Store, rows: Sequence[dict[str, Any]]) -> None:
    """Posts whose text changed since the last ingest lose their claims and their mark, and so
    do their replies' marks: the next extraction redoes them, so every quote stays
    ``text[start:end]`` of the text stored now (and replies relate to the new claims)."""
    changed: list[str] = []
    for batch in batches([{"id": r["id"], "text": r["text"]} for r in rows]):
        changed += [
            row["id"]
            for row in store.run_read(
                "UNWIND $rows AS r MATCH (p:Post {id: r.id}) WHERE p.text <> r.text "
                "RETURN p.id AS id",
                {"rows": batch},
            )
        ]
    if not changed:
        return
    replies = {r["id"] for r in rows if r["parent_id"] in set(changed)}
    replies |= {
        row["id"]
        for row in store.run_read(
            "UNWIND $ids AS pid MATCH (c:Post)-[:REPLIES_TO]->(:Post {id: pid}) RETURN c.id AS id",
            {"ids": changed},
        )
    }
    said = machine_reading(store, changed)
    store.run(
        "UNWIND $ids AS pid MATCH (p:Post {id: pid})-[:MAKES]->(c:Claim) DETACH DELETE c",
        {"ids": changed},
    )
    mark_machine_changes(store, said, {})  # their relations are gone: a page showing one is stale
    store.run(
        "UNWIND $ids AS pid MATCH (p:Post {id: pid}) REMOVE p.extracted",
        {"ids": sorted(set(changed) | replies)},
    )


# A post whose parent / spam flag a person set: the machine leaves it alone.
HUMAN_PARENT = "p.parent_origin = 'human'"
HUMAN_SPAM = "p.spam_origin = 'human'"


def write_thread(store: Store, thread: Thread) -> None:
    """Write the thread, its posts, their authors and the reply edges (idempotent).

    A post whose text changed is written with its new text and left to re-extract
    (``_forget_changed_posts``).
    """
    rows = [post_row(p) for p in thread.posts]
    _forget_changed_posts(store, rows)
    language = thread.language or thread_language(thread)
    before = store.run(
        "MERGE (t:Thread {id: $id}) WITH t, t.language AS before "
        "REMOVE t.deleting "  # whole again: no longer being deleted
        "SET t.title = $title, t.url = $url, t.source_format = $source_format, "
        "t.published_at = $published_at, t.reply_tree = $reply_tree, t.language = $language "
        "RETURN before",
        {
            "language": language,
            "id": thread.id,
            "title": thread.title,
            "url": thread.url,
            "source_format": thread.source_format,
            "published_at": _iso(thread.published_at),
            "reply_tree": thread.reply_tree,
        },
    )
    for batch in batches(rows):
        store.run(
            "UNWIND $rows AS r "
            "MERGE (p:Post {id: r.id}) "
            "SET p.thread_id = r.thread_id, p.kind = r.kind, p.author = r.author, "
            "p.posted_at = r.posted_at, p.position = r.position, p.text = r.text, "
            f"p.is_spam = CASE WHEN {HUMAN_SPAM} THEN p.is_spam ELSE r.is_spam END, "
            "p.spam_origin = coalesce(p.spam_origin, r.spam_origin), "
            "p.parent_confidence = r.parent_confidence, p.spam_margin = r.spam_margin "
            "MERGE (u:Person {id: r.author_id}) SET u.name = r.author "
            "MERGE (u)-[:WROTE]->(p) "
            "WITH p, r MATCH (t:Thread {id: r.thread_id}) MERGE (t)-[:CONTAINS]->(p)",
            {"rows": batch},
        )
    # A re-run may have rebuilt a different parent: drop reply edges that no longer hold,
    # except where a person chose the parent.
    parents = [
        {"id": r["id"], "parent_id": r["parent_id"], "origin": r["parent_origin"]} for r in rows
    ]
    for batch in batches(parents):
        store.run(
            "UNWIND $rows AS r MATCH (p:Post {id: r.id})-[e:REPLIES_TO]->(q:Post)"
            f"{id_seek(store, 'p', 'Post')} WHERE NOT coalesce({HUMAN_PARENT}, false) "
            "AND (r.parent_id IS NULL OR q.id <> r.parent_id) DELETE e",
            {"rows": batch},
        )
    edges = [r for r in parents if r["parent_id"]]
    for batch in batches(edges):
        store.run(
            "UNWIND $rows AS r "
            "MATCH (p:Post {id: r.id}), (q:Post {id: r.parent_id}) "
            f"WITH p, q, r WHERE NOT coalesce({HUMAN_PARENT}, false) "
            "MERGE (p)-[:REPLIES_TO]->(q) SET p.parent_origin = r.origin",
            {"rows": batch},
        )
    if before and before[0]["before"] not in (None, language):
        # New posts told another language: the claims' copies were stemmed in the old one.
        store.run(
            "MATCH (:Thread {id: $id})-[:CONTAINS]->(:Post)-[:MAKES]->(c:Claim) "
            f"REMOVE c.{SEARCH_PROPERTY}",
            {"id": thread.id},
        )
        backfill_search_text(store)
    bump_revision(store)


def claim_row(claim: Claim, language: str | None) -> dict[str, Any]:
    # The words the claims' full-text index reads (graph.search_words), beside the text.
    return {**claim.model_dump(), "search_text": search_text(claim.text, language)}


def write_extractions(
    store: Store,
    post_ids: Sequence[str],
    claims: Sequence[Claim],
    relations: Sequence[Relation],
    extractor: str,
    spam_post_ids: Sequence[str] = (),
) -> None:
    """Replace the claims of ``post_ids`` with ``claims`` and their relations with
    ``relations``, and mark the posts extracted.

    Replacing (not only merging) keeps a re-extraction from leaving the old claims behind, and
    the old relations of the claims it keeps: a reply re-extracted against another parent (a
    reviewer moved it) answers that parent only. What a person decided stays (a claim a review
    touched, a relation a person checked, drew or rejected); the claims of other posts, and
    relations into them, are untouched.
    """
    keep = [c.id for c in claims]
    # What the machine said about these posts' relations: a pair it now says otherwise (or drops)
    # gets a new version, so a decision made on the old reading is a conflict (graph.review_machine).
    said = machine_reading(store, post_ids)
    worded = claim_reading(store, post_ids)
    # Post first, by its id index, then its claims: written as one pattern, FalkorDB scans every
    # Claim for each post (quadratic in the graph's size). A claim a review touched stays.
    store.run(
        "UNWIND $posts AS pid MATCH (p:Post) WHERE p.id = pid "
        "WITH p MATCH (p)-[:MAKES]->(c:Claim) WHERE NOT c.id IN $keep "
        "AND NOT (c)<-[:TOUCHES]-(:Review) DETACH DELETE c",
        {"posts": list(post_ids), "keep": keep},
    )
    store.run(
        "UNWIND $posts AS pid MATCH (p:Post) WHERE p.id = pid "
        "WITH p MATCH (p)-[:MAKES]->(:Claim)-[e:REBUTS|SUPPORTS|CANDIDATE]->(:Claim) "
        f"WHERE NOT coalesce({REVIEWED_EDGE}, false) DELETE e",
        {"posts": list(post_ids)},
    )
    languages = post_languages(store, {c.post_id for c in claims})
    for batch in batches([claim_row(c, languages.get(c.post_id)) for c in claims]):
        store.run(
            # Only for a post still stored: a thread deleted meanwhile leaves no stray claims.
            f"UNWIND $rows AS r MATCH (p:Post {{id: r.post_id}}){id_seek(store, 'p', 'Post')} "
            "MERGE (c:Claim {id: r.id}) "
            "WITH p, c, r, coalesce(c.text_origin = 'human', false) AS held "
            "SET c.post_id = r.post_id, c.extractor = r.extractor, c.model = r.model, "
            "c.prompt_version = r.prompt_version, "
            "c.text = CASE WHEN held THEN c.text ELSE r.text END, "
            f"c.{SEARCH_PROPERTY} = CASE WHEN held THEN c.{SEARCH_PROPERTY} ELSE r.search_text END, "
            "c.quote = CASE WHEN held THEN c.quote ELSE r.quote END, "
            "c.start = CASE WHEN held THEN c.start ELSE r.start END, "
            "c.end = CASE WHEN held THEN c.end ELSE r.end END, "
            "c.grounding = CASE WHEN held THEN c.grounding ELSE r.grounding END, "
            "c.text_origin = coalesce(c.text_origin, r.text_origin) MERGE (p)-[:MAKES]->(c)",
            {"rows": batch},
        )
    write_relations(store, relations)
    if said:  # a first extraction changed nothing anyone could have read: no second look
        mark_machine_changes(store, said, machine_reading(store, post_ids))
    if worded:
        mark_machine_changes(store, worded, claim_reading(store, post_ids))
    store.run(
        "UNWIND $posts AS pid MATCH (p:Post {id: pid}) SET p.extracted = $extractor",
        {"posts": list(post_ids), "extractor": extractor},
    )
    if spam_post_ids:
        store.run(
            "UNWIND $posts AS pid MATCH (p:Post {id: pid}) "
            f"WHERE NOT coalesce({HUMAN_SPAM}, false) SET p.is_spam = true",
            {"posts": list(spam_post_ids)},
        )
    bump_revision(store)


def extracted_claims(store: Store, thread_id: str) -> dict[str, list[Claim]]:
    """Claims of the thread's posts that are already extracted, by post id (for resuming)."""
    rows = store.run_read(
        "MATCH (p:Post {thread_id: $tid}) WHERE p.extracted IS NOT NULL "
        "OPTIONAL MATCH (p)-[:MAKES]->(c:Claim) "
        "RETURN p.id AS post_id, collect(c) AS claims",
        {"tid": thread_id},
    )
    return {
        row["post_id"]: sorted(
            (Claim(**c) for c in row["claims"] if c), key=lambda c: (c.start, c.end)
        )
        for row in rows
    }


def pending_posts(store: Store, thread_ids: list[str] | None = None) -> dict[str, int]:
    """How many genuine posts of each thread (of ``thread_ids``, or all) wait for extraction: an
    interrupted run's, a reply a review moved, a post marked not spam."""
    rows = store.run_read(
        "MATCH (p:Post) WHERE p.extracted IS NULL AND NOT coalesce(p.is_spam, false) "
        "AND ($tids IS NULL OR p.thread_id IN $tids) RETURN p.thread_id AS tid, count(p) AS n",
        {"tids": thread_ids},
    )
    return {str(r["tid"]): int(r["n"]) for r in rows}


def extracted_by(store: Store, thread_id: str, other_than: str) -> dict[str, int]:
    """How many of the thread's posts each extractor but ``other_than`` has extracted
    (``offline``, ``llm``, ``imported``...), so an ingest can say what it kept of theirs."""
    rows = store.run_read(
        "MATCH (p:Post {thread_id: $tid}) WHERE p.extracted IS NOT NULL "
        "AND p.extracted <> $other RETURN p.extracted AS extractor, count(p) AS posts",
        {"tid": thread_id, "other": other_than},
    )
    return {str(r["extractor"]): int(r["posts"]) for r in rows}


def set_parents(store: Store, parents: dict[str, str], chosen_by: str) -> None:
    """Re-point the reply edges of ``parents`` (post id -> parent id), marking each post with
    who chose the parent (``chosen_by``, e.g. ``llm``), so a re-run keeps the choice."""
    rows = [{"id": pid, "parent_id": parent} for pid, parent in parents.items()]
    for batch in batches(rows):
        # A parent a person set in review stays, whatever the machine chooses.
        store.run(
            "UNWIND $rows AS r MATCH (p:Post {id: r.id})-[e:REPLIES_TO]->(q:Post)"
            f"{id_seek(store, 'p', 'Post')} "
            f"WHERE q.id <> r.parent_id AND NOT coalesce({HUMAN_PARENT}, false) DELETE e",
            {"rows": batch},
        )
        store.run(
            "UNWIND $rows AS r MATCH (p:Post {id: r.id}), (q:Post {id: r.parent_id}) "
            f"WITH p, q WHERE NOT coalesce({HUMAN_PARENT}, false) "
            "MERGE (p)-[:REPLIES_TO]->(q) SET p.parent_chosen_by = $by",
            {"rows": batch, "by": chosen_by},
        )
    bump_revision(store)


def chosen_parents(store: Store, thread_id: str) -> dict[str, str]:
    """The parents ``set_parents`` chose for the thread's posts (post id -> parent id)."""
    rows = store.run_read(
        "MATCH (p:Post {thread_id: $tid})-[:REPLIES_TO]->(q:Post) "
        "WHERE p.parent_chosen_by IS NOT NULL RETURN p.id AS id, q.id AS parent",
        {"tid": thread_id},
    )
    return {r["id"]: r["parent"] for r in rows}


def human_post_decisions(store: Store, thread_id: str) -> dict[str, dict[str, Any]]:
    """What people decided about the thread's posts, by post id: ``parent_id`` (with
    ``parent_origin``) and ``is_spam`` (with ``spam_origin``), to apply before extracting."""
    rows = store.run_read(
        "MATCH (p:Post {thread_id: $tid}) "
        f"WHERE coalesce({HUMAN_PARENT}, false) OR coalesce({HUMAN_SPAM}, false) "
        "OPTIONAL MATCH (p)-[:REPLIES_TO]->(q:Post) "
        "RETURN p.id AS id, p.parent_origin AS parent_origin, q.id AS parent_id, "
        "p.spam_origin AS spam_origin, p.is_spam AS is_spam",
        {"tid": thread_id},
    )
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        d: dict[str, Any] = {}
        if r["parent_origin"] == "human":
            d.update(parent_id=r["parent_id"], parent_origin="human")
        if r["spam_origin"] == "human":
            d.update(is_spam=bool(r["is_spam"]), spam_origin="human")
        out[r["id"]] = d
    return out
