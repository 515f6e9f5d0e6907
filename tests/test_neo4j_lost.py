"""A Neo4j server lost while argmap holds a connection to it (a dashboard, a long command).

The session's real Neo4j sits behind a relay (``tcp_relay``) the test cuts, as if the server
died, and restores, as if it came back. argmap must say so in one line at once rather than
keep retrying (the driver's own back-off, 1 + 2 + 4 + 8 + 16 s, kept a dashboard page blank
for half a minute per query), and the same process must work again when the server is back.
"""

from __future__ import annotations

import pytest
from argmap.dashboard import state
from argmap.graph.store import Store, open_store
from dashboard_pages import APP, TIMEOUT, assert_clean
from markdown_runs import shown
from neo4j_session import Neo4jTarget
from streamlit.testing.v1 import AppTest

from argmap.core.errors import StoreUnavailable

COUNT = "MATCH (c:Claim) RETURN count(c) AS n"
# A client may try a lost server twice (a blip, a cluster's leader switch), not keep at it.
MOST_TRIES = 2


def test_a_lost_server_is_one_line_at_once_and_the_store_works_when_it_is_back(
    neo4j_relay: Neo4jTarget, neo4j_sample: Store
) -> None:
    claims = neo4j_sample.run_read(COUNT)
    store = open_store(neo4j_relay.uri, **neo4j_relay.login())
    try:
        assert store.run_read(COUNT) == claims
        neo4j_relay.relay.cut()
        with pytest.raises(StoreUnavailable) as lost:
            store.run_read(COUNT)
        line = str(lost.value)
        assert "\n" not in line and line.startswith(f"lost Neo4j at {neo4j_relay.uri} (")
        assert "check the server is up" in line
        assert neo4j_relay.relay.refused <= MOST_TRIES
        neo4j_relay.relay.restore()
        assert store.run_read(COUNT) == claims  # the same connection pool reconnects
    finally:
        store.close()


def test_the_dashboard_says_the_server_is_lost_and_recovers_without_a_restart(
    monkeypatch: pytest.MonkeyPatch, neo4j_relay: Neo4jTarget, neo4j_sample: Store
) -> None:
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEO4J_URI", "ARGMAP_GRAPH"):
        monkeypatch.delenv(var, raising=False)
    for var, value in neo4j_relay.env().items():
        monkeypatch.setenv(var, value)
    claims = neo4j_sample.run_read(COUNT)[0]["n"]

    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert_clean(at)
    assert {m.label: int(m.value) for m in at.metric}["Claims"] == claims

    neo4j_relay.relay.cut()  # the server dies while the dashboard holds its connection
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert len(at.error) == 1, [e.value for e in at.error]
    line = at.error[0].value.strip()
    # As shown: message() wraps the ":" before the port so that no ":name" reads as a shortcode.
    assert "\n" not in line and f"Neo4j at {neo4j_relay.uri}" in shown(line)
    assert neo4j_relay.relay.refused <= MOST_TRIES

    neo4j_relay.relay.restore()  # the server is back: the next run shows the page again
    at.run()
    assert_clean(at)
    assert {m.label: int(m.value) for m in at.metric}["Claims"] == claims


def test_the_dashboard_closes_the_connection_it_lost_and_keeps_the_new_one(
    monkeypatch: pytest.MonkeyPatch, neo4j_relay: Neo4jTarget, neo4j_sample: Store
) -> None:
    """Was: the lost store was dropped from the cache but its driver stayed open (one per
    outage), and reconnected as soon as the server came back."""
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEO4J_URI", "ARGMAP_GRAPH"):
        monkeypatch.delenv(var, raising=False)
    for var, value in neo4j_relay.env().items():
        monkeypatch.setenv(var, value)
    claims = neo4j_sample.run_read(COUNT)

    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert_clean(at)
    lost = state.get_store()  # the process's cached store, the one the page just read with

    neo4j_relay.relay.cut()
    at.run()
    assert len(at.error) == 1, [e.value for e in at.error]
    neo4j_relay.relay.restore()
    at.run()
    assert_clean(at)

    with pytest.raises(StoreUnavailable, match="closed"):
        lost.run_read(COUNT)  # closed when dropped, so it cannot reconnect either
    current = state.get_store()
    assert current is not lost and current.run_read(COUNT) == claims
    # A run that still held the lost store and fails late drops nothing newer.
    state.forget_store(lost)
    assert state.get_store() is current
