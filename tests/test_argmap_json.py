"""argmap JSON v1 read back: export -> ingest into another store -> export gives the same JSON.

The target is ``any_store`` (a second FalkorDB graph, and Neo4j when NEO4J_URI is set), so the
same tests move a graph from the embedded store to Neo4j. Bad files are refused with one line
before anything is written.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from argmap.graph import counts
from argmap.graph.catalog import thread_summaries
from argmap.graph.export_json import export_json
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection, select_subgraph
from argmap.graph.writes import write_extractions, write_thread
from argmap.ingest.pipeline import IngestSummary, ingest, ingest_thread
from argmap.ingest.sources import argmap_json, detect_format
from store_contract_data import contract_extraction, contract_thread
from typer.testing import CliRunner

from argmap.cli import app
from argmap.core.errors import SourceError

runner = CliRunner()


def canonical(doc: dict[str, Any]) -> dict[str, Any]:
    """The document with every list in a fixed order: equality "up to ordering"."""
    return {
        key: sorted(json.dumps(row, sort_keys=True) for row in value)
        if isinstance(value, list)
        else value
        for key, value in doc.items()
    }


# -- the round trip ---------------------------------------------------------------------------------


def test_export_ingest_export_is_the_same_json(exported, any_store: Store) -> None:
    doc, path = exported
    summary = ingest(path, any_store, extractor="offline")
    assert summary.extracted_now == 0 and summary.to_extract == 0  # nothing re-extracted
    again = export_json(any_store)
    assert canonical(again) == canonical(doc)
    # Each claim keeps the extractor that found it; relations take their source claim's.
    assert {c["extractor"] for c in again["claims"]} == {"offline", "llm"}
    rel_extractors = any_store.run_read(
        "MATCH (a:Claim)-[r:REBUTS|SUPPORTS]->() RETURN a.extractor AS a, r.extractor AS r"
    )
    assert rel_extractors and all(row["a"] == row["r"] for row in rel_extractors)


def test_ingesting_the_same_export_twice_changes_nothing(exported, any_store: Store) -> None:
    doc, path = exported
    ingest(path, any_store, extractor="offline")
    first = export_json(any_store)
    ingest(path, any_store, extractor="offline")
    assert export_json(any_store) == first


def test_spam_flags_in_the_file_are_kept(exported, any_store: Store) -> None:
    doc, path = exported
    ingest(path, any_store, extractor="offline")
    flags = {p["id"]: p["is_spam"] for p in export_json(any_store)["posts"]}
    assert flags == {p["id"]: p["is_spam"] for p in doc["posts"]}
    assert [p["is_spam"] for p in doc["posts"]] == [False, False, True, False, False]


def test_the_cli_moves_a_graph(
    exported, store: Store, falkordb_dir: Path, graph_name: str, tmp_path: Path
) -> None:
    """``store`` is the (emptied afterwards) target graph the CLI writes to."""
    doc, _ = exported
    src = ["--db", str(falkordb_dir), "--graph", f"{graph_name}_src"]
    dst = ["--db", str(falkordb_dir), "--graph", graph_name]
    out = tmp_path / "cli-export.json"
    result = runner.invoke(app, ["export", "--format", "json", "-o", str(out), *src])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["ingest", str(out), "-q", *dst])
    assert result.exit_code == 0, result.output
    # The claim of the post a moderator marked spam is stored, but counted as the Overview
    # counts (it is out of the debate, with its relations): 3 of the file's 4, 1 relation of 3.
    assert "1 article, 3 comments (1 spam left out), 3 claims, 1 relation " in result.output
    assert "[extractor: imported]" in result.output
    result = runner.invoke(app, ["export", "--format", "json", *dst])
    assert result.exit_code == 0, result.output
    assert canonical(json.loads(result.stdout)) == canonical(doc)


def test_the_sample_thread_survives_the_round_trip(
    source: Store, any_store: Store, sample_path: Path, tmp_path: Path
) -> None:
    first = ingest(sample_path, source, extractor="offline")
    assert first.claims > 50 and first.relations > 10  # a real graph, not an empty one
    doc = export_json(source)
    path = tmp_path / "sample.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    moved = ingest(path, any_store)
    assert (moved.posts, moved.claims, moved.relations) == (
        first.posts,
        first.claims,
        first.relations,
    )
    assert canonical(export_json(any_store)) == canonical(doc)
    # The page's tree was rebuilt, and the moved graph still says so.
    query = "MATCH (t:Thread) RETURN t.reply_tree AS tree"
    assert any_store.run_read(query) == source.run_read(query) == [{"tree": "reconstructed"}]


# -- detection and refusals ------------------------------------------------------------------------------


def test_detects_its_own_format(exported) -> None:
    doc, path = exported
    assert detect_format(path.read_text(encoding="utf-8")) == "argmap-json"
    assert argmap_json.detect(json.dumps({"version": 1, "format": "argmap-json"}))
    assert not argmap_json.detect(json.dumps({"threads": [], "posts": []}))
    assert not argmap_json.detect('Comments\n\n"format": "argmap-json"')


def _mutations() -> dict[str, tuple[Any, str]]:
    def drop(key: str, index: int, field: str):
        def f(d):
            del d[key][index][field]

        return f

    def setv(key: str, index: int, field: str, value: Any):
        def f(d):
            d[key][index][field] = value

        return f

    def dup_post(d):
        d["posts"].append(copy.deepcopy(d["posts"][1]))

    def cycle(d):
        d["posts"][1]["parent_id"] = d["posts"][2]["id"]

    def own_parent(d):
        d["posts"][2]["parent_id"] = d["posts"][2]["id"]

    def two_articles(d):
        d["posts"][1]["kind"] = "article"

    return {
        "version 2": (lambda d: d.update(version=2), "version 2 is not supported"),
        "no version": (lambda d: d.pop("version"), "version None is not supported"),
        "other format": (
            lambda d: d.update(format="aif"),
            'expected an object with "format": "argmap-json"',
        ),
        "missing text": (drop("posts", 1, "text"), "posts[1].text: Field required"),
        "bad kind": (
            setv("posts", 0, "kind", "op"),
            "posts[0].kind: Input should be 'article' or 'comment'",
        ),
        "bad date": (setv("posts", 2, "posted_at", "yesterday"), "posts[2].posted_at"),
        "bad confidence": (setv("relations", 0, "confidence", 7), "relations[0].confidence"),
        "bad type": (setv("relations", 0, "type", "attacks"), "relations[0].type"),
        "threads not a list": (
            lambda d: d.update(threads={}),
            "threads: Input should be a valid list",
        ),
        "dangling relation": (
            setv("relations", 1, "target", "c_missing"),
            "points at claim 'c_missing'",
        ),
        "dangling claim": (
            setv("claims", 0, "post_id", "p_missing"),
            "post 'p_missing', which the file does not have",
        ),
        "dangling parent": (
            setv("posts", 2, "parent_id", "p_missing"),
            "replies to 'p_missing', which is not a post of its thread; set its parent_id",
        ),
        "dangling thread": (setv("posts", 2, "thread_id", "t_missing"), "thread 't_missing'"),
        "moved quote": (setv("claims", 0, "start", 1), "its quote is not the text of post"),
        "duplicate post": (dup_post, "appears more than once; every post needs an id of its own"),
        "reply cycle": (
            cycle,
            "is in a reply cycle (its parent_id chain never reaches the article)",
        ),
        "own parent": (
            own_parent,
            "replies to itself (its parent_id chain never reaches the article); fix its parent_id",
        ),
        "two articles": (two_articles, "2 article posts"),
    }


@pytest.mark.parametrize("case", list(_mutations()))
def test_malformed_files_are_refused_with_one_line(exported, case: str) -> None:
    doc, _ = exported
    mutate, message = _mutations()[case]
    bad = copy.deepcopy(doc)
    mutate(bad)
    with pytest.raises(SourceError) as info:
        argmap_json.parse(json.dumps(bad), "bad.json")
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith("bad.json: ")
    assert message in text


def test_a_refused_file_leaves_the_store_as_it_was(
    exported, any_store: Store, tmp_path: Path
) -> None:
    doc, path = exported
    ingest(path, any_store)
    before = export_json(any_store)
    bad = copy.deepcopy(doc)
    bad["relations"][0]["source"] = "c_nowhere"
    bad["posts"][4]["text"] = "changed"  # would overwrite a stored post if anything were written
    bad_path = tmp_path / "bad.json"
    bad_path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(SourceError, match="c_nowhere"):
        ingest(bad_path, any_store)
    assert export_json(any_store) == before


def test_the_cli_refuses_another_version_with_one_line(
    exported, argmap_env: Path, tmp_path: Path
) -> None:
    doc, _ = exported
    bad = dict(doc, version=2)
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(path), "-q"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"argmap: error: {path}: argmap JSON version 2 is not supported; "
        "this argmap reads version 1: export it again with this argmap's version"
    ]


def test_ingest_thread_stores_claims_as_they_are(exported, any_store: Store) -> None:
    """The pipeline path on its own: a parsed thread's claims are written without extraction."""
    doc, path = exported
    threads = argmap_json.parse(path.read_text(encoding="utf-8"), str(path))
    assert [t.reply_tree for t in threads] == ["source"]
    summary = IngestSummary()

    class Refuses:  # an extractor that must not be asked
        name, model, prompt_version = "refuses", None, None

        def extract(self, thread, done):
            raise AssertionError("an imported thread must not be extracted")

    ingest_thread(any_store, threads[0], Refuses(), summary)
    kept, drawn = in_the_debate(doc)  # as the Overview counts
    assert 0 < len(kept) < len(doc["claims"])
    assert (summary.claims, summary.relations) == (len(kept), len(drawn))


def in_the_debate(doc: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The claims of an argmap JSON document whose post is not spam, and the relations between
    two of them."""
    spam = {p["id"] for p in doc["posts"] if p["is_spam"]}
    kept = [c for c in doc["claims"] if c["post_id"] not in spam]
    ids = {c["id"] for c in kept}
    return kept, [r for r in doc["relations"] if r["source"] in ids and r["target"] in ids]


def test_a_relation_of_a_spam_post_counts_nowhere_as_the_graph_page_draws_none(
    exported, any_store: Store
) -> None:
    """An imported file may hold relations of a post marked spam. The Graph page leaves them out
    with the post's claims; the Overview (whole store and one thread), ``argmap threads`` and
    the ingest summary count what it draws."""
    doc, path = exported
    summary = ingest(path, any_store, extractor="offline")
    kept, drawn = in_the_debate(doc)
    assert 0 < len(drawn) < len(doc["relations"])  # the file holds relations of a spam post
    graph = select_subgraph(any_store, Selection(connected_only=False))
    assert (len(graph.nodes), len(graph.edges)) == (len(kept), len(drawn))
    whole, one = counts.counts(any_store), counts.counts(any_store, [doc["threads"][0]["id"]])
    [listed] = thread_summaries(any_store)
    assert [(n.claims, n.rebuttals + n.supports) for n in (whole, one)] == [
        (len(kept), len(drawn))
    ] * 2
    assert (listed.claims, listed.relations) == (summary.claims, summary.relations)
    assert (summary.claims, summary.relations) == (len(kept), len(drawn))


def test_which_model_and_prompt_found_each_claim_survives_the_move(
    source: Store, any_store: Store, tmp_path: Path
) -> None:
    """A graph moved through JSON still says which model and prompt version found what, so a
    scholar can tell an old prompt's claims from a new one's after the move."""
    thread = contract_thread()
    claims, relations = contract_extraction(thread)
    llm = {"model": "gpt-test", "prompt_version": "v2"}
    claims = [
        c.model_copy(update=llm if c.extractor == "llm" else {"prompt_version": "offline-1"})
        for c in claims
    ]
    # One LLM relation found by a later prompt than its source claim.
    relations = [
        r.model_copy(update={**llm, "prompt_version": "v3"} if i == 2 else llm)
        if r.extractor == "llm"
        else r.model_copy(update={"prompt_version": "offline-1"})
        for i, r in enumerate(relations)
    ]
    write_thread(source, thread)
    write_extractions(source, [p.id for p in thread.posts], claims, relations, "offline")
    doc = export_json(source)
    by_id = {c["id"]: c for c in doc["claims"]}
    assert {(c["extractor"], c.get("model"), c["prompt_version"]) for c in by_id.values()} == {
        ("offline", None, "offline-1"),
        ("llm", "gpt-test", "v2"),
    }
    # A relation repeats its claim's version only where it differs.
    assert sorted(r.get("prompt_version") or "-" for r in doc["relations"]) == ["-", "-", "v3"]
    path = tmp_path / "provenance.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    ingest(path, any_store)
    assert canonical(export_json(any_store)) == canonical(doc)
    stored = any_store.run_read(
        "MATCH (a:Claim)-[r:REBUTS|SUPPORTS]->() "
        "RETURN a.prompt_version AS claim, r.prompt_version AS rel, r.model AS model "
        "ORDER BY claim, rel"
    )
    assert stored == [
        {"claim": "offline-1", "rel": "offline-1", "model": None},
        {"claim": "v2", "rel": "v2", "model": "gpt-test"},
        {"claim": "v2", "rel": "v3", "model": "gpt-test"},
    ]
