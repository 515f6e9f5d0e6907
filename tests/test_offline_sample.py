"""The offline extractor on the bundled sample: relations join earlier posts' claims, plausible
counts with every quote grounded, the same output across runs and processes, and through the
ingest pipeline into the real FalkorDB store, where a re-ingest changes nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from argmap.graph.export_json import export_json
from argmap.graph.store import Store
from argmap.ingest.extract import PostResult, get_extractor
from argmap.ingest.extract.offline import OfflineExtractor
from argmap.ingest.extract.relations import INDIRECT_TARGET, UNMATCHED_ARTICLE
from argmap.ingest.extract.weak_stance import UNCUED
from argmap.ingest.pipeline import ingest
from argmap.ingest.sources import load_threads
from offline_threads import assert_grounded, by_post, run

ROOT = Path(__file__).resolve().parent.parent


def test_relations_only_join_existing_claims_of_other_posts(sample_path: Path) -> None:
    [thread] = load_threads(sample_path)
    results = run(thread)
    owner = {c.id: r.post_id for r in results for c in r.claims}
    seen: set[str] = set()
    for r in results:
        assert len(r.relations) <= OfflineExtractor().max_relations
        assert len({rel.source for rel in r.relations}) == len(r.relations)
        for rel in r.relations:
            assert owner[rel.source] == r.post_id
            assert rel.target in owner and owner[rel.target] in seen  # an earlier post's claim
            assert owner[rel.target] != r.post_id
            assert 0.0 <= rel.confidence <= 1.0 and rel.rationale
        seen.add(r.post_id)


def test_sample_counts_are_plausible_and_every_quote_is_grounded(sample_path: Path) -> None:
    [thread] = load_threads(sample_path)
    results = run(thread)
    assert_grounded(thread, results)
    live = [p for p in thread.posts if not p.is_spam]
    assert [r.post_id for r in results] == [p.id for p in live]  # one result each, document order
    found = by_post(results)
    article = found[thread.article.id]
    assert 10 <= len(article.claims) <= 25
    assert all(len(found[p.id].claims) <= 5 for p in live[1:])
    claims = sum(len(r.claims) for r in results)
    assert 2 * len(live) <= claims <= 5 * len(live)
    assert sum(bool(r.claims) for r in results) >= 0.8 * len(live)
    relations = [rel for r in results for rel in r.relations if not rel.candidate]
    cued = [rel for rel in relations if not rel.rationale.startswith(UNCUED)]
    uncued = [rel for rel in relations if rel.rationale.startswith(UNCUED)]
    # The cues alone find a fair number of each type (as before weak evidence was added) ...
    assert sum(rel.type == "rebuts" for rel in cued) >= 15
    assert sum(rel.type == "supports" for rel in cued) >= 10
    # ... a reply without claims answers nothing, and no rebuttal rests on the prior alone ...
    assert not any(r.relations for r in results if not r.claims)
    assert not any("read as an objection" in rel.rationale for rel in uncued)
    # ... and still, a stored relation for a large share of the replies (81 of 172 on the sample
    # once untrusted signals and guessed targets stopped storing one).
    assert sum(
        any(not x.candidate for x in r.relations) for r in results[1:] if r.claims
    ) >= 0.4 * (len(live) - 1)
    # What the prior alone decides is kept only as a hidden candidate, and so is weak evidence
    # towards a target that is itself a guess (a post above a claimless one, the article's lead
    # claim for want of shared words).
    guesses = [rel for r in results for rel in r.relations if rel.candidate]
    doubts = ("read as an objection", INDIRECT_TARGET, UNMATCHED_ARTICLE)
    assert guesses and all(any(d in rel.rationale for d in doubts) for rel in guesses)
    assert any(UNMATCHED_ARTICLE in rel.rationale for rel in guesses)
    # ... and weak evidence finds endorsements too: not every un-cued reply falls to the prior
    # (a fifth at least stores a relation; the rest are hidden guesses).
    assert len(uncued) >= 0.2 * (len(live) - 1)
    assert sum(rel.type == "supports" for rel in uncued) >= 10


def _dump(results: list[PostResult]) -> str:
    return json.dumps([r.model_dump() for r in results], sort_keys=True)


def test_output_is_deterministic_across_runs_and_processes(sample_path: Path) -> None:
    [thread] = load_threads(sample_path)
    here = _dump(run(thread))
    assert here == _dump(run(thread))
    script = (
        "import json, sys; from argmap.core.models import Thread; "
        "from argmap.ingest.extract.offline import OfflineExtractor; "
        "t = Thread.model_validate_json(sys.stdin.read()); "
        "print(json.dumps([r.model_dump() for r in OfflineExtractor().extract(t, {})], sort_keys=True))"
    )
    for seed in ("1", "2"):  # string hashing differs per seed: set order must not leak out
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            check=True,
            input=thread.model_dump_json(),
            capture_output=True,
            text=True,
        ).stdout
        assert out.strip() == here


# -- through the pipeline into the real store ---------------------------------------------------


def _graph_counts(store: Store) -> dict[str, int]:
    return {
        "claims": store.run_read("MATCH (:Post)-[:MAKES]->(c:Claim) RETURN count(c) AS n")[0]["n"],
        "rebuts": store.run_read("MATCH (:Claim)-[r:REBUTS]->(:Claim) RETURN count(r) AS n")[0][
            "n"
        ],
        "supports": store.run_read("MATCH (:Claim)-[r:SUPPORTS]->(:Claim) RETURN count(r) AS n")[0][
            "n"
        ],
        # Hidden candidates have their own edge type: no REBUTS/SUPPORTS query meets them.
        "candidates": store.run_read("MATCH (:Claim)-[r:CANDIDATE]->(:Claim) RETURN count(r) AS n")[
            0
        ]["n"],
    }


def test_ingest_sample_offline_into_the_store_and_reingest_changes_nothing(
    store: Store, sample_path: Path
) -> None:
    [thread] = load_threads(sample_path)
    direct = run(thread)
    expected = {
        "claims": sum(len(r.claims) for r in direct),
        "rebuts": sum(
            rel.type == "rebuts" and not rel.candidate for r in direct for rel in r.relations
        ),
        "supports": sum(
            rel.type == "supports" and not rel.candidate for r in direct for rel in r.relations
        ),
        "candidates": sum(rel.candidate for r in direct for rel in r.relations),
    }
    summary = ingest(sample_path, store, extractor=get_extractor("offline"))
    assert summary.extractor == "offline" and summary.pending == 0 and summary.dropped_claims == 0
    assert _graph_counts(store) == expected and expected["candidates"] > 0
    assert len(export_json(store)["candidates"]) == expected["candidates"]
    assert summary.claims == expected["claims"]
    assert summary.relations == expected["rebuts"] + expected["supports"]

    rows = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(c:Claim) RETURN p.text AS text, c.quote AS quote, "
        "c.start AS start, c.end AS end, c.extractor AS extractor"
    )
    assert rows and all(r["text"][r["start"] : r["end"]] == r["quote"] for r in rows)
    assert {r["extractor"] for r in rows} == {"offline"}

    again = ingest(sample_path, store, extractor="offline")
    assert again.extracted_now == 0 and again.to_extract == 0
    assert _graph_counts(store) == expected
