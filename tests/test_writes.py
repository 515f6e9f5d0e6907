"""Graph writes are idempotent, keep text exactly, and record what is extracted."""

from __future__ import annotations

from datetime import datetime

from argmap.graph.export_json import export_json
from argmap.graph.store import Store
from argmap.graph.writes import extracted_claims, write_extractions, write_thread

from argmap.core.ids import claim_id, stable_id
from argmap.core.models import Claim, Post, Relation, Thread

NASTY = "He said \"MATCH (n) DETACH DELETE n\" -- and <script>alert('x')</script> \u05e9\u05dc\u05d5\u05dd \U0001f600"


def tiny_thread() -> Thread:
    tid = stable_id("t", "test", "tiny")
    texts = ["The party must grow. Papers matter.", "No, papers do not matter.", NASTY]
    posts = []
    for i, text in enumerate(texts):
        posts.append(
            Post(
                id=stable_id("p", tid, i),
                thread_id=tid,
                kind="article" if i == 0 else "comment",
                author=["Ann", "Bob", 'O\'Brien "the" <b>bold</b>'][i],
                posted_at=datetime(2013, 6, 24, 10 + i),
                position=i,
                text=text,
                parent_id=None if i == 0 else stable_id("p", tid, i - 1),
            )
        )
    return Thread(
        id=tid,
        title="Tiny",
        url="file://tiny",
        source_format="test",
        published_at=datetime(2013, 6, 24),
        posts=posts,
        reply_tree="source",
    )


def claims_of(thread: Thread) -> tuple[list[Claim], list[Relation]]:
    a, b = thread.posts[0], thread.posts[1]
    ca = Claim(
        id=claim_id(a.id, 0, 20),
        post_id=a.id,
        text="The party must grow",
        quote=a.text[0:20],
        start=0,
        end=20,
        extractor="offline",
    )
    cb = Claim(
        id=claim_id(b.id, 4, 24),
        post_id=b.id,
        text="papers do not matter",
        quote=b.text[4:24],
        start=4,
        end=24,
        extractor="offline",
    )
    rel = Relation(
        source=cb.id,
        target=ca.id,
        type="rebuts",
        confidence=0.8,
        rationale="negates",
        extractor="offline",
    )
    return [ca, cb], [rel]


def counts(store: Store) -> dict[str, int]:
    nodes = store.run_read("MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n")
    edges = store.run_read("MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS n")
    return {r["label"]: r["n"] for r in nodes} | {r["type"]: r["n"] for r in edges}


def test_writing_a_thread_twice_changes_nothing(store: Store) -> None:
    thread = tiny_thread()
    claims, rels = claims_of(thread)
    for _ in range(2):
        write_thread(store, thread)
        write_extractions(store, [p.id for p in thread.posts], claims, rels, "offline")
    assert counts(store) == {
        "Meta": 1,  # the graph's revision (graph.revision): one node, however often bumped
        "Thread": 1,
        "Post": 3,
        "Person": 3,
        "Claim": 2,
        "CONTAINS": 3,
        "WROTE": 3,
        "REPLIES_TO": 2,
        "MAKES": 2,
        "REBUTS": 1,
    }


def test_text_is_stored_exactly_whatever_it_looks_like(store: Store) -> None:
    thread = tiny_thread()
    write_thread(store, thread)
    rows = store.run_read("MATCH (p:Post {position: 2}) RETURN p.text AS text, p.author AS author")
    assert rows == [{"text": NASTY, "author": 'O\'Brien "the" <b>bold</b>'}]


def test_re_extraction_replaces_a_posts_claims(store: Store) -> None:
    thread = tiny_thread()
    claims, rels = claims_of(thread)
    write_thread(store, thread)
    write_extractions(store, [p.id for p in thread.posts], claims, rels, "offline")
    b = thread.posts[1]
    new = Claim(
        id=claim_id(b.id, 0, 3),
        post_id=b.id,
        text="No",
        quote=b.text[0:3],
        start=0,
        end=3,
        extractor="llm",
        model="m",
    )
    write_extractions(store, [b.id], [new], [], "llm")
    rows = store.run_read(
        "MATCH (:Post {id: $id})-[:MAKES]->(c:Claim) RETURN c.id AS id", {"id": b.id}
    )
    assert rows == [{"id": new.id}]
    assert counts(store).get("REBUTS", 0) == 0  # it went with the replaced claim


def test_re_extraction_replaces_the_relations_of_the_claims_it_keeps(store: Store) -> None:
    # The same claim extracted again (a reply moved to another parent) answers what the new
    # extraction says, not what the old one did; a relation a person checked stays.
    thread = tiny_thread()
    claims, [rel] = claims_of(thread)
    write_thread(store, thread)
    write_extractions(store, [p.id for p in thread.posts], claims, [rel], "offline")
    b = thread.posts[1]
    write_extractions(store, [b.id], claims[1:], [], "offline")
    assert counts(store).get("REBUTS", 0) == 0
    assert extracted_claims(store, thread.id)[b.id] == claims[1:]
    checked = rel.model_copy(update={"status": "accepted", "reviewed_by": "Ann"})
    write_extractions(store, [b.id], claims[1:], [checked], "offline")
    write_extractions(store, [b.id], claims[1:], [], "offline")
    rows = store.run_read("MATCH ()-[e:REBUTS]->() RETURN e.status AS status")
    assert rows == [{"status": "accepted"}]


def test_extracted_claims_lists_only_extracted_posts(store: Store) -> None:
    thread = tiny_thread()
    claims, rels = claims_of(thread)
    write_thread(store, thread)
    assert extracted_claims(store, thread.id) == {}
    write_extractions(store, [thread.posts[0].id], claims[:1], [], "offline")
    assert extracted_claims(store, thread.id) == {thread.posts[0].id: claims[:1]}


def test_a_rebuilt_parent_replaces_the_old_reply_edge(store: Store) -> None:
    thread = tiny_thread()
    write_thread(store, thread)
    thread.posts[2].parent_id = thread.posts[0].id
    write_thread(store, thread)
    rows = store.run_read(
        "MATCH (p:Post {position: 2})-[:REPLIES_TO]->(q:Post) RETURN q.position AS parent"
    )
    assert rows == [{"parent": 0}]


def test_export_is_argmap_json_v1(store: Store) -> None:
    thread = tiny_thread()
    claims, rels = claims_of(thread)
    write_thread(store, thread)
    write_extractions(store, [p.id for p in thread.posts], claims, rels, "offline")
    doc = export_json(store)
    assert (doc["format"], doc["version"]) == ("argmap-json", 1)
    # ``candidates`` (hidden low-confidence guesses) is additive: v1 readers that ignore it lose
    # nothing they had.
    assert list(doc) == [
        "format",
        "version",
        "threads",
        "posts",
        "claims",
        "relations",
        "candidates",
    ]
    assert set(doc["threads"][0]) == {"id", "title", "url", "source_format", "published_at"}
    assert doc["threads"][0]["published_at"] == "2013-06-24T00:00:00+00:00"
    assert [set(p) for p in doc["posts"]] == [
        {
            "id",
            "thread_id",
            "kind",
            "author",
            "posted_at",
            "position",
            "parent_id",
            "is_spam",
            "text",
        }
    ] * 3
    assert [p["parent_id"] for p in doc["posts"]] == [None, thread.posts[0].id, thread.posts[1].id]
    assert [p["position"] for p in doc["posts"]] == [0, 1, 2]
    assert doc["posts"][2]["text"] == NASTY and doc["posts"][2]["is_spam"] is False
    assert doc["claims"][1] == {
        "id": claims[1].id,
        "post_id": claims[1].post_id,
        "text": "papers do not matter",
        "quote": "papers do not matter",
        "start": 4,
        "end": 24,
        "extractor": "offline",
    }
    assert doc["relations"] == [
        {
            "source": claims[1].id,
            "target": claims[0].id,
            "type": "rebuts",
            "confidence": 0.8,
            "rationale": "negates",
        }
    ]
