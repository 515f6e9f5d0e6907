"""argmap JSON v1 with several threads: each imports, but a relation from one thread's claim to
another's is refused, as review refuses to draw one, with one line naming it, before anything is
written. The exception is a Kialo debate's cross-links between its theses, which argmap's own
Kialo reader stores, so an export of such a store must read back.

Like ``test_argmap_json`` (the same ``exported`` file, from conftest), on ``any_store``: a
FalkorDB graph, and the session's Neo4j.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from argmap.graph.export_json import export_json
from argmap.graph.store import Store
from argmap.ingest.pipeline import ingest
from test_argmap_json import canonical

from argmap.core.errors import SourceError

KIALO_TWO_THESES = (
    "Discussion Title: Which day?\n\n1. Close on Sundays.\n1.1. Con: Parents need it.\n"
    "2. Close on Mondays.\n2.1. Pro: Fewest visits.\n2.1.1. Con: -> See 1.1.\n"
)


def with_second_thread(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` (one thread) plus a copy of its thread under new ids: two valid threads."""
    out = copy.deepcopy(doc)
    [thread] = doc["threads"]
    new = {thread["id"]: thread["id"] + "-2"}
    new |= {p["id"]: p["id"] + "-2" for p in doc["posts"]}
    new |= {c["id"]: c["id"] + "-2" for c in doc["claims"]}

    def moved(row: dict[str, Any], *keys: str) -> dict[str, Any]:
        return {**row, **{k: new[row[k]] for k in keys if row.get(k) is not None}}

    out["threads"].append(moved(thread, "id"))
    out["posts"] += [moved(p, "id", "thread_id", "parent_id") for p in doc["posts"]]
    out["claims"] += [moved(c, "id", "post_id") for c in doc["claims"]]
    out["relations"] += [moved(r, "source", "target") for r in doc["relations"]]
    return out


def write(doc: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_file_of_two_threads_imports_both(exported, any_store: Store, tmp_path: Path) -> None:
    doc, _ = exported
    two = with_second_thread(doc)
    summary = ingest(write(two, tmp_path / "two.json"), any_store)
    assert len(summary.threads) == 2
    # Each thread counts its relations as the Overview does: none of a spam post's.
    spam = {p["id"] for p in doc["posts"] if p.get("is_spam")}
    post_of = {c["id"]: c["post_id"] for c in doc["claims"]}
    counted = [
        r for r in doc["relations"] if not {post_of[r["source"]], post_of[r["target"]]} & spam
    ]
    assert 0 < len(counted) < len(doc["relations"])  # the file holds both kinds
    assert summary.relations == 2 * len(counted)
    assert canonical(export_json(any_store)) == canonical(two)


def test_a_relation_across_threads_is_refused_before_anything_is_written(
    exported, any_store: Store, tmp_path: Path
) -> None:
    doc, path = exported
    ingest(path, any_store)
    before = export_json(any_store)
    two = with_second_thread(doc)
    first, second = two["claims"][0], two["claims"][-1]
    two["relations"].append(
        {"source": second["id"], "target": first["id"], "type": "rebuts", "confidence": 0.9}
    )
    bad = write(two, tmp_path / "across.json")
    with pytest.raises(SourceError) as info:
        ingest(bad, any_store)
    line = str(info.value)
    assert "\n" not in line and line.startswith(f"{bad}: relations[{len(two['relations']) - 1}]")
    threads = [t["id"] for t in two["threads"]]
    for said in (repr(second["id"]), repr(first["id"]), repr(threads[0]), repr(threads[1])):
        assert said in line
    assert "its own thread" in line and "remove it from the file" in line
    assert export_json(any_store) == before  # the second thread was not written either


def test_a_hidden_guess_across_threads_is_refused_too(exported, tmp_path: Path) -> None:
    from argmap.ingest.sources import argmap_json

    doc, _ = exported
    two = with_second_thread(doc)
    two["candidates"] = [
        {
            "source": two["claims"][-1]["id"],
            "target": two["claims"][0]["id"],
            "type": "supports",
            "confidence": 0.2,
        }
    ]
    with pytest.raises(SourceError, match=r"candidates\[0\] \(supports\) from claim"):
        argmap_json.parse(json.dumps(two), "guess.json")


def test_a_kialo_debates_cross_links_between_theses_move_with_it(
    source: Store, any_store: Store, tmp_path: Path
) -> None:
    debate = tmp_path / "debate.txt"
    debate.write_text(KIALO_TWO_THESES, encoding="utf-8")
    ingest(debate, source)
    doc = export_json(source)
    claims = {c["id"]: c for c in doc["claims"]}
    thread_of = {p["id"]: p["thread_id"] for p in doc["posts"]}
    across = [
        r
        for r in doc["relations"]
        if thread_of[claims[r["source"]]["post_id"]] != thread_of[claims[r["target"]]["post_id"]]
    ]
    assert len(across) == 1  # "2.1.1. Con: -> See 1.1.": thesis 1's claim rebuts thesis 2's
    ingest(write(doc, tmp_path / "kialo.json"), any_store)
    assert canonical(export_json(any_store)) == canonical(doc)
