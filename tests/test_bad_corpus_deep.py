"""Reply chains 500 deep, nested (Reddit JSON, deeper than Python's recursion limit) or
flattened (a WordPress page): stored with their tree, every comment as written (corpus:
``tests/bad_corpus.py``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from argmap.graph.store import Store
from bad_corpus import (
    ingest,
    runner,
    stored_posts,
    when,
    wordpress,
)

from argmap.cli import app


def _reddit_chain(depth: int) -> str:
    """A Reddit .json thread whose comments each answer the previous one, ``depth`` deep.

    Built as text: ``json.dumps`` itself recurses past Python's limit at this depth."""
    post = {
        "kind": "t3",
        "data": {
            "name": "t3_deep",
            "id": "deep",
            "title": "Deep",
            "author": "op",
            "selftext": "Open review improves the standard.",
            "created_utc": 1371000000,
            "is_self": True,
            "permalink": "/r/x/comments/deep/deep/",
        },
    }
    inner = '""'
    for i in range(depth - 1, -1, -1):
        data = {
            "name": f"t1_c{i}",
            "id": f"c{i}",
            "parent_id": f"t1_c{i - 1}" if i else "t3_deep",
            "author": f"user{i % 2}",
            "created_utc": 1371000060 + 60 * i,
            "body": f"Reply {i}: no, that is wrong because the tests are incomplete.",
        }
        comment = json.dumps({"kind": "t1", "data": data})
        inner_listing = (
            inner if inner == '""' else '{"kind": "Listing", "data": {"children": [' + inner + "]}}"
        )
        inner = comment[:-2] + ', "replies": ' + inner_listing + "}}"
    return (
        '[{"kind": "Listing", "data": {"children": [' + json.dumps(post) + "]}}, "
        '{"kind": "Listing", "data": {"children": [' + inner + "]}}]"
    )


def _depth_of(store: Store) -> dict[int, int | None]:
    rows = store.run_read(
        "MATCH (p:Post) OPTIONAL MATCH (p)-[:REPLIES_TO]->(q:Post) RETURN p.position AS pos, q.position AS parent"
    )
    return {r["pos"]: r["parent"] for r in rows}


def test_replies_500_deep_are_stored_with_their_tree(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "deep.json"
    path.write_text(_reddit_chain(500))
    # The file nests deeper than Python's default recursion limit; libraries imported by other
    # tests may have raised it, so put the default back for this ingest.
    saved = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        result = ingest(path, "--format", "reddit-json")
    finally:
        sys.setrecursionlimit(saved)
    assert result.exit_code == 0, result.output
    parents = _depth_of(store)
    assert len(parents) == 501
    assert all(parents[i] == i - 1 for i in range(1, 501)) and parents[0] is None
    # argmap JSON round trip of the same 500-deep chain keeps every edge.
    out = tmp_path / "deep-export.json"
    assert runner.invoke(app, ["export", "--format", "json", "-o", str(out)]).exit_code == 0
    doc = json.loads(out.read_text())
    by_id = {p["id"]: p["position"] for p in doc["posts"]}
    assert sorted((p["position"], by_id.get(p["parent_id"])) for p in doc["posts"]) == sorted(
        parents.items()
    )


def test_a_flattened_thread_500_replies_deep_is_ingested(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    # Two people answering each other 500 times: the page lost the nesting, the parser must not
    # recurse per level, and every comment is stored as written.
    comments = [
        (
            "Alice Smith" if i % 2 == 0 else "Bob Jones",
            when(7 * i),
            f"{'Bob' if i % 2 == 0 else 'Alice'}, no: reply {i} says the tests are incomplete.",
        )
        for i in range(500)
    ]
    path = tmp_path / "deep.txt"
    path.write_text(wordpress("Five hundred deep", comments), encoding="utf-8")
    result = ingest(path)
    assert result.exit_code == 0, result.output
    posts = stored_posts(store)
    assert [(p["author"], p["text"]) for p in posts[1:]] == [(a, b) for a, _, b in comments]
    parents = _depth_of(store)
    assert all(parents[i] is not None and parents[i] < i for i in range(1, 501))
