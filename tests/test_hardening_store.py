"""Issue 18: nothing overwrites another thread or leaves a stale quote: imported ids never touch
another thread, a changed post text re-extracts the post, two files sharing a title are two
threads. Each test failed before its fix (the reproduction is in its docstring)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from argmap.graph.store import Store
from argmap.ingest.pipeline import ingest
from hardening_data import ROWS, _count, _write_rows

from argmap.core.errors import SourceError

# --- 3. imported ids never touch another thread ---------------------------------------------


def test_an_import_reusing_another_threads_ids_is_refused_and_writes_nothing(
    store: Store, sample_path: Path, tmp_path: Path
) -> None:
    """Was: a one-post file reusing the sample's article id and a claim id deleted 24 claims and
    46 relations, rewrote a claim as "pwned thesis" and put the article in two threads."""
    ingest(sample_path, store, extractor="offline")
    article = store.run_read(
        "MATCH (p:Post {kind: 'article'})-[:MAKES]->(c:Claim) "
        "RETURN p.id AS pid, p.text AS text, c.id AS cid, c.start AS s, c.end AS e LIMIT 1"
    )[0]
    before = store.run_read(
        "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r"
    )
    quote = article["text"][article["s"] : article["e"]]
    doc = {
        "format": "argmap-json", "version": 1,
        "threads": [{"id": "t_mallory", "title": "pwned", "url": None, "source_format": "csv", "published_at": None}],
        "posts": [{"id": article["pid"], "thread_id": "t_mallory", "kind": "article", "author": "Mallory",
                   "posted_at": None, "position": 0, "parent_id": None, "is_spam": False, "text": article["text"]}],
        "claims": [{"id": article["cid"], "post_id": article["pid"], "text": "pwned thesis", "quote": quote,
                    "start": article["s"], "end": article["e"], "extractor": "offline"}],
        "relations": [],
    }  # fmt: skip
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(SourceError, match="already belongs to thread"):
        ingest(path, store)
    after = store.run_read(
        "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r"
    )
    assert after == before
    assert not store.run_read("MATCH (c:Claim {text: 'pwned thesis'}) RETURN c.id AS id")
    # The store's own export re-imports as before (same thread: not foreign).
    from argmap.graph.export_json import export_json

    own = tmp_path / "own.json"
    own.write_text(json.dumps(export_json(store)), encoding="utf-8")
    ingest(own, store)


# --- 4. a changed post text re-extracts the post ---------------------------------------------


def test_a_changed_post_text_re_extracts_it_and_quotes_stay_exact(
    store: Store, tmp_path: Path
) -> None:
    """Was: "(comment edited: removed)" while its claim still quoted the old sentence."""
    path = _write_rows(tmp_path / "t.csv", ROWS)
    ingest(path, store, extractor="offline")
    edited = [dict(r) for r in ROWS]
    edited[1]["text"] = (
        "I disagree strongly. Sunday closing is unfair to families who work all week."
    )
    _write_rows(path, edited)
    ingest(path, store, extractor="offline")
    rows = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(c:Claim) RETURN p.text AS text, c.quote AS quote, "
        "c.start AS s, c.end AS e"
    )
    assert rows and all(r["text"][r["s"] : r["e"]] == r["quote"] for r in rows)
    assert not any("Closing on Sunday" in r["quote"] for r in rows)
    assert any("unfair" in r["quote"] for r in rows)
    pending = store.run_read("MATCH (p:Post) WHERE p.extracted IS NULL RETURN count(p) AS n")
    assert pending[0]["n"] == 0


# --- 6 and 10. two threads stay two -------------------------------------------------------------


def test_two_files_sharing_a_title_and_first_id_are_two_threads(
    store: Store, tmp_path: Path
) -> None:
    """Was: merged into one thread."""
    a = [dict(r, title="Weekly thread") for r in ROWS]
    b = [
        dict(r, title="Weekly thread", author=f"{r['author']}2", posted_at="2025-01-01T00:00:00Z")
        for r in ROWS
    ]
    ingest(_write_rows(tmp_path / "a.csv", a), store, extractor="offline")
    ingest(_write_rows(tmp_path / "b.csv", b), store, extractor="offline")
    assert _count(store, "Thread") == 2 and _count(store, "Post") == 6
