"""A review decision is all or nothing, on the embedded FalkorDB and on Neo4j 5.

``argmap review reject`` runs as a separate process talking to the real server through a
``StepRelay``; the relay lets the decision's queries through one by one and stops the
conversation at each point in turn, where the process is killed (SIGKILL: no clean-up of any
kind). After every kill the relation is either as it was with no review, or rejected with its
review; the next commands see it that way: ``review history`` lists it and ``review undo`` takes
it back, or the same ``review reject`` run again decides it.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from argmap.graph.embedded import server_paths
from argmap.graph.falkordb_store import FalkorDBStore
from argmap.graph.review_history import history
from argmap.graph.review_queue import review_queue
from argmap.graph.review_state import relation_key, versions
from argmap.graph.schema import ensure_schema
from argmap.graph.store import Store
from argmap.ingest.pipeline import ingest
from step_relay import StepRelay, killed_when_held
from test_robustness import ARGMAP, ROOT

# The decision's first write (the item's version) in the old code and the new: where counting starts.
FIRST_WRITE = b"MERGE (i:ReviewItem {id: $key})"
# The decision's last write, in the old code and the new: the graph's revision.
REVISION = b"MERGE (m:Meta {id: $id})"


def argmap(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ARGMAP, *args],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        timeout=300,
    )


def killed_at(relay: StepRelay, env: dict[str, str], source: str, target: str) -> bool:
    """Run ``argmap review reject`` through ``relay``; SIGKILL it once the relay holds a request.
    Whether it was killed (else it ran to its end)."""
    return killed_when_held(
        relay, [*ARGMAP, "review", "reject", source, target, "--reviewer", "Ann"], env, ROOT, 120
    )


def seen(store: Store, source: str, target: str) -> dict[str, object]:
    """What a user can observe of the decision on the pair."""
    rows = store.run_read(
        "MATCH (a:Claim {id: $a})-[e]->(b:Claim {id: $b}) RETURN type(e) AS label ORDER BY label",
        {"a": source, "b": target},
    )
    key = relation_key(source, target)
    return {
        "edges": [r["label"] for r in rows],
        "reviews": [r.action for r in history(store, key)],
        "version": versions(store, [key])[key],
    }


def first_relation(store: Store) -> tuple[str, str, str]:
    item = review_queue(store, kinds=["relation"], limit=1)[0]
    return item.source, item.target, item.type.upper()


def check_whole_then_next_command(
    store: Store, env: dict[str, str], source: str, target: str, live: str
) -> None:
    """The pair shows the whole decision or none of it, and the next command goes on from there."""
    before = {"edges": [live], "reviews": [], "version": 0}
    after = {"edges": ["REJECTED"], "reviews": ["reject"], "version": 1}
    now = seen(store, source, target)
    assert now in (before, after), f"half a decision: {now}"
    pair = f"{source}>{target}"
    if now == after:
        shown = argmap(env, "review", "history", pair)
        assert shown.returncode == 0 and "reject" in shown.stdout and "Ann" in shown.stdout
        (review,) = history(store, relation_key(source, target))
        undone = argmap(env, "review", "undo", review.id, "--reviewer", "Bob")
        assert undone.returncode == 0, undone.stderr
        assert seen(store, source, target)["edges"] == [live]
    else:
        again = argmap(env, "review", "reject", source, target, "--reviewer", "Ann")
        assert again.returncode == 0, again.stderr
        assert seen(store, source, target) == after


def kill_at_each_step(
    fresh: Callable[[int], tuple[Store, dict[str, str]]],
    relayed: Callable[[int | None, dict[str, str]], tuple[StepRelay, dict[str, str]]],
) -> int:
    """Kill the decision before each of its writes and after its last; returns at how many
    points. ``fresh(run)`` gives the sample ingested anew and the environment of commands on
    it; ``relayed(step, env)`` the relay that holds request ``step`` (``None``: none) and the
    environment that sends the killed command through it.

    A first run to the end counts the decision's requests: from its first write to the one
    that raises the graph's revision, its last (the rest refreshes derived data)."""
    store, env = fresh(0)
    source, target, live = first_relation(store)
    relay, through = relayed(None, env)
    assert not killed_at(relay, through, source, target)
    last = next(n for n, sent in enumerate(relay.requests) if REVISION in sent)
    check_whole_then_next_command(store, env, source, target, live)
    for step in range(last + 2):
        store, env = fresh(step + 1)
        source, target, live = first_relation(store)
        assert killed_at(*relayed(step, env), source, target), f"not held at request {step}"
        check_whole_then_next_command(store, env, source, target, live)
    return last + 2


def test_a_decision_killed_at_any_step_on_falkordb_is_whole_or_absent(
    falkordb_own: Path, sample_path: Path
) -> None:
    socket = server_paths(falkordb_own).socket
    real = socket.with_name(socket.name + ".real")

    def fresh(run: int) -> tuple[Store, dict[str, str]]:
        graph = f"killed_{run}"
        store = FalkorDBStore(falkordb_own, graph, socket)
        ensure_schema(store)
        ingest(sample_path, store, extractor="offline")
        return store, {**os.environ, "ARGMAP_DB": str(falkordb_own), "ARGMAP_GRAPH": graph}

    class Moved(StepRelay):
        """The relay in the server's socket's place while the killed command runs; the server
        back on its own path for the commands after."""

        def close(self) -> None:
            super().close()
            socket.unlink()
            real.rename(socket)

    def relayed(step: int | None, env: dict[str, str]) -> tuple[StepRelay, dict[str, str]]:
        socket.rename(real)
        return Moved.unix(str(socket), str(real), FIRST_WRITE, step), env

    assert kill_at_each_step(fresh, relayed) >= 2


@pytest.mark.neo4j
def test_a_decision_killed_at_any_step_on_neo4j_is_whole_or_absent(
    neo4j_server, neo4j_store: Store, sample_path: Path
) -> None:
    upstream = urlsplit(neo4j_server.uri)

    def fresh(run: int) -> tuple[Store, dict[str, str]]:
        neo4j_store.clear()
        ingest(sample_path, neo4j_store, extractor="offline")
        env = {**os.environ, **neo4j_server.env()}
        env.pop("ARGMAP_GRAPH", None)
        return neo4j_store, env

    def relayed(step: int | None, env: dict[str, str]) -> tuple[StepRelay, dict[str, str]]:
        server = (upstream.hostname or "127.0.0.1", upstream.port or 7687)
        relay = StepRelay.tcp(server, FIRST_WRITE, step)
        return relay, {**env, "ARGMAP_DB": f"{upstream.scheme}://127.0.0.1:{relay.port}"}

    assert kill_at_each_step(fresh, relayed) >= 2
