"""An argmap JSON import restores each review decision whole or not at all.

The file's review log is written after its threads and claims; ``argmap ingest FILE.json`` runs
as a separate process through a ``StepRelay`` that stops the conversation before each of the
log's writes in turn, where the process is killed (SIGKILL). After every kill, each decision of
the file is either absent or there with every claim and post it touched, and each item's
version counts the decisions on it that are there (a version ahead of its record refused a
reviewer's save; one behind let a stale save through). Running the import again completes it:
the store exports as the file. The same holds on Neo4j 5, where each decision is one
transaction: the relay sits on its Bolt port, and a kill before a commit leaves nothing of it.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from argmap.graph.embedded import server_paths
from argmap.graph.export_json import export_json
from argmap.graph.falkordb_store import FalkorDBStore
from argmap.graph.review_history import undo
from argmap.graph.review_state import versions
from argmap.graph.schema import ensure_schema
from argmap.graph.store import Store
from argmap.ingest.pipeline import ingest
from review_session import review_sample
from step_relay import StepRelay, killed_when_held
from test_robustness import ARGMAP, ROOT

# The review log's first write (a rejected relation's edge), in the old code and the new.
FIRST_WRITE = b"OPTIONAL MATCH (a)-[x:REJECTED]->(b)"
# What the log's last write holds: an item's version.
VERSIONS = b"MERGE (i:ReviewItem"
# A decision's first write, and its last (the graph's revision), each in one unit.
DECISION = b"MERGE (r:Review {id: $row.id})"
REVISION = b"MERGE (m:Meta {id: $id})"


def reviewed_file(data_dir: Path, sample: Path, path: Path) -> dict[str, Any]:
    """The sample reviewed (one decision of each kind, one undone), exported to ``path``."""
    store = FalkorDBStore(data_dir, "reviewed", server_paths(data_dir).socket)
    ensure_schema(store)
    ingest(sample, store, extractor="offline")
    session = review_sample(store)
    undo(store, session.reviews[0].id, "Bob")
    doc = export_json(store)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return doc


def decisions(store: Store, doc: dict[str, Any]) -> dict[str, int]:
    """The file's decisions the store holds: review id -> how many claims and posts it touches."""
    rows = store.run_read(
        "MATCH (r:Review) WHERE r.id IN $ids OPTIONAL MATCH (r)-[t:TOUCHES]->() "
        "RETURN r.id AS id, count(t) AS n",
        {"ids": [r["id"] for r in doc["reviews"]]},
    )
    return {r["id"]: r["n"] for r in rows}


def assert_each_whole_or_absent(store: Store, doc: dict[str, Any], whole: dict[str, int]) -> None:
    there = decisions(store, doc)
    for review, touches in there.items():
        assert touches == whole[review], f"review {review} without all it touched"
    keys = sorted({k for r in doc["reviews"] for k in r["items"]})
    counted = {
        k: sum(
            1 + bool(r.get("undone"))
            for r in doc["reviews"]
            if r["id"] in there and k in r["items"]
        )
        for k in keys
    }
    assert versions(store, keys) == counted, "an item's version does not count its decisions"


def imported_until_killed(relay: StepRelay, env: dict[str, str], path: Path) -> bool:
    """Run ``argmap ingest path`` through ``relay``; SIGKILL it once the relay holds a request.
    Whether it was killed (else it ran to its end)."""
    return killed_when_held(relay, [*ARGMAP, "ingest", str(path)], env, ROOT, 300)


def test_an_import_killed_at_any_step_of_its_review_log_keeps_each_decision_whole(
    falkordb_own: Path, sample_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "reviewed.json"
    doc = reviewed_file(falkordb_own, sample_path, path)
    socket = server_paths(falkordb_own).socket
    real = socket.with_name(socket.name + ".real")

    class Moved(StepRelay):
        """The relay in the server's socket's place while the import runs; the server back on
        its own path for the checks after."""

        def close(self) -> None:
            super().close()
            socket.unlink()
            real.rename(socket)

    def run(graph: str, step: int | None) -> tuple[Store, dict[str, str], StepRelay, bool]:
        store = FalkorDBStore(falkordb_own, graph, socket)
        env = {**os.environ, "ARGMAP_DB": str(falkordb_own), "ARGMAP_GRAPH": graph}
        socket.rename(real)
        relay = Moved.unix(str(socket), str(real), FIRST_WRITE, step)
        return store, env, relay, imported_until_killed(relay, env, path)

    store, env, relay, killed = run("whole", None)
    assert not killed
    whole = decisions(store, doc)
    assert len(whole) == len(doc["reviews"]) and export_json(store) == doc
    last = max(n for n, sent in enumerate(relay.requests) if VERSIONS in sent)
    assert last + 1 >= len(doc["reviews"])  # a kill before each decision, at least
    for step in range(last + 1):
        store, env, _, killed = run(f"killed_{step}", step)
        assert killed, f"not held at request {step}"
        assert_each_whole_or_absent(store, doc, whole)
        again = subprocess.run(
            [*ARGMAP, "ingest", str(path)], env=env, capture_output=True, text=True, cwd=ROOT
        )
        assert again.returncode == 0, again.stderr
        assert export_json(store) == doc


@pytest.mark.neo4j
@pytest.mark.timeout(900)  # each kill imports the sample twice: 10-40 s each on a busy machine
def test_an_import_killed_in_or_between_the_transactions_of_its_review_log_on_neo4j(
    neo4j_server, neo4j_store: Store, sample_path: Path, tmp_path: Path
) -> None:
    """Neo4j runs each decision as one transaction, so a kill anywhere in it is a kill before its
    commit, and a kill at any statement of one decision is the same as at any other. The import
    is killed: after the first decision's first statement (in its transaction), when its commit
    is sent but not answered, just after that commit, and around the last decision's commit
    (killing at each of its ~90 requests would take the better part of an hour)."""
    path = tmp_path / "reviewed.json"
    ingest(sample_path, neo4j_store, extractor="offline")
    undo(neo4j_store, review_sample(neo4j_store).reviews[0].id, "Bob")
    doc = export_json(neo4j_store)
    path.write_text(json.dumps(doc), encoding="utf-8")
    upstream = urlsplit(neo4j_server.uri)
    server = (upstream.hostname or "127.0.0.1", upstream.port or 7687)

    def run(step: int | None) -> tuple[dict[str, str], StepRelay, bool]:
        """The import into the emptied database, through a relay holding request ``step``."""
        neo4j_store.clear()
        relay = StepRelay.tcp(server, FIRST_WRITE, step)
        env = {**os.environ, **neo4j_server.env()}
        env["ARGMAP_DB"] = f"{upstream.scheme}://127.0.0.1:{relay.port}"
        env.pop("ARGMAP_GRAPH", None)
        return env, relay, imported_until_killed(relay, env, path)

    _, relay, killed = run(None)
    assert not killed
    whole = decisions(neo4j_store, doc)
    assert len(whole) == len(doc["reviews"]) and export_json(neo4j_store) == doc
    sent = relay.requests
    starts = [n for n, r in enumerate(sent) if DECISION in r]
    assert len(starts) == len(doc["reviews"]) > 2
    first, last = starts[0], starts[-1]
    # Each decision's last write is the graph's revision; the request after it, its commit.
    commit = [
        next(n for n in range(s, len(sent)) if REVISION in sent[n]) + 1 for s in (first, last)
    ]
    n = len(doc["reviews"])
    expected = {first + 1: 0, commit[0]: 0, commit[0] + 1: 1, commit[1]: n - 1, commit[1] + 1: n}
    for step, count in expected.items():
        env, _, killed = run(step)
        assert killed, f"not held at request {step}"
        assert_each_whole_or_absent(neo4j_store, doc, whole)
        assert len(decisions(neo4j_store, doc)) == count, f"killed at request {step}"
        env["ARGMAP_DB"] = neo4j_server.uri
        again = subprocess.run(
            [*ARGMAP, "ingest", str(path)], env=env, capture_output=True, text=True, cwd=ROOT
        )
        assert again.returncode == 0, again.stderr
        assert export_json(neo4j_store) == doc
