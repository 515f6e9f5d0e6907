"""Quotes as real language models return them (``quote_drift_cases``): honest drift (an
ellipsis, a final period, a capital, HTML entities, markdown escapes, NFD accents, a line break,
added quotation marks, a repeated sentence) is stored as the post's exact text at the right
offsets; paraphrases, the parent's or the article's words (even quoted in the comment) are
dropped, and each source's summary line says how many.

Through the real openai SDK, over a real socket, to the scripted local server
(``llm_server.ChatServer``), into the real FalkorDB store; no client is patched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from argmap.graph.store import Store, open_store
from argmap.ingest.pipeline import IngestSummary, ingest_thread
from argmap.ingest.sources import load_threads
from llm_server import ChatRequest, ChatServer
from llm_threads import extractor
from quote_drift_cases import Case, drift_cases
from quote_drift_server import case_thread, scripted

from argmap.core.resources import sample_thread

(SAMPLE,) = load_threads(sample_thread())
CASES = drift_cases(SAMPLE)


def stored_claims(store: Store, post_id: str) -> list[dict]:
    return store.run_read(
        "MATCH (p:Post {id: $id})-[:MAKES]->(c:Claim) RETURN p.text AS text, c.text AS name, "
        "c.quote AS quote, c.start AS start, c.end AS end, c.grounding AS grounding",
        {"id": post_id},
    )


@pytest.mark.parametrize("case", CASES, ids=[f"{c.kind}: {c.name}" for c in CASES])
def test_a_drifted_quote_is_stored_as_the_posts_own_text_or_dropped(
    case: Case, server: ChatServer, store: Store, tmp_path: Path
) -> None:
    server.answer = scripted({case.text: case})
    thread = case_thread(case, "q")
    summary = IngestSummary()
    ingest_thread(store, thread, extractor(server, tmp_path), summary)
    assert summary.pending == 0, summary.errors
    comment = thread.posts[2]
    mine = [c for c in stored_claims(store, comment.id) if c["name"] == case.name]
    if case.expect is None:
        assert mine == [], f"{case.quote!r} must not be attributed to the comment"
        assert summary.dropped_claims == 1
        return
    assert len(mine) == 1, f"{case.quote!r} was dropped"
    (claim,) = mine
    assert claim["quote"] == comment.text[claim["start"] : claim["end"]] == case.expect
    if case.expect_start is not None:
        assert claim["start"] == case.expect_start
    assert summary.dropped_claims == 0
    # Anything but a verbatim quote is marked for review.
    verbatim = case.quote.strip() == claim["quote"]
    assert claim["grounding"] == (None if verbatim else "normalised")


ARGMAP = [sys.executable, "-m", "argmap"]


def _jsonl(path: Path, tid: str, comment: str) -> Path:
    rows = [
        {"id": f"{tid}a", "author": "Ann", "parent_id": None, "title": tid, "text": "Grow."},
        {"id": f"{tid}c", "author": "Bob", "parent_id": f"{tid}a", "text": comment},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_each_source_line_says_how_many_claims_were_dropped_for_their_quote(
    llm_env: Path, server: ChatServer, tmp_path: Path
) -> None:
    dues = "Dues are too high for students. Nobody asked them. We lose them in a month."
    vote = "The vote was 5*3 in favour, which settles the matter for now."
    quotes = {
        dues: ["Dues are too high for students ... We lose them in a month.", "Paraphrased."],
        vote: ["The vote was 5\\*3 in favour, which settles the matter for now."],
    }

    def answer(request: ChatRequest) -> dict:
        said = quotes.get(request.post_text, [])
        claims = [{"paraphrase": q, "quote": q, "relations": []} for q in said]
        return {"is_spam": False, "claims": claims}

    server.answer = answer
    first, second = (
        _jsonl(tmp_path / "dues.jsonl", "d", dues),
        _jsonl(tmp_path / "vote.jsonl", "v", vote),
    )
    env = {**os.environ, "OPENAI_BASE_URL": server.base_url}
    done = subprocess.run(
        [*ARGMAP, "ingest", str(first), str(second), "--extractor", "llm", "-q"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = {line.split(":")[0]: line for line in done.stdout.splitlines()}
    assert "dropped 1 ungrounded claims" in lines[str(first)]
    assert "dropped" not in lines[str(second)]
    store = open_store(str(llm_env), os.environ["ARGMAP_GRAPH"])
    try:
        kept = store.run_read("MATCH (c:Claim) RETURN c.quote AS quote ORDER BY quote")
    finally:
        store.close()
    assert [r["quote"] for r in kept] == [dues, vote]
