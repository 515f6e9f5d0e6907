"""A store opened from Python (a notebook kernel lives for hours): closed once means closed, a
``with`` block closes it, and stores opened side by side stay apart."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argmap.graph import queries
from argmap.graph.embedded_stop import stop_server
from argmap.graph.store import Store, open_store
from neo4j_session import open_neo4j_store

from argmap.core.errors import StoreClosed, StoreUnavailable

Opener = Callable[[], Store]


@pytest.fixture(params=["falkordb", "neo4j"])
def opener(request: pytest.FixtureRequest, falkordb_dir: Path, graph_name: str) -> Opener:
    """Opens a new connection to the test's store each call (the test closes it)."""
    if request.param == "neo4j":
        target = request.getfixturevalue("neo4j_server")
        request.getfixturevalue("neo4j_store")  # the database emptied before and after
        return lambda: open_neo4j_store(target)
    return lambda: open_store(str(falkordb_dir), graph_name)


def test_a_closed_store_refuses_queries_in_one_line_naming_how_to_reopen(opener: Opener) -> None:
    store = opener()
    store.run("CREATE (:Thread {id: $id})", {"id": "t1"})
    store.close()
    for use in (
        lambda: store.run_read("MATCH (t:Thread) RETURN t.id AS id"),
        lambda: store.run("CREATE (:Thread {id: $id})", {"id": "t2"}),
        lambda: queries.theses(store),
    ):
        with pytest.raises(StoreClosed) as caught:
            use()
        message = str(caught.value)
        assert "\n" not in message
        assert "was closed" in message and f"open_store({store.target!r})" in message
    assert isinstance(caught.value, StoreUnavailable)  # callers that catch a lost store catch it
    store.close()  # closing twice is harmless


def test_a_with_block_closes_the_store_and_the_data_stays(opener: Opener) -> None:
    with opener() as store:
        store.run("CREATE (:Thread {id: $id})", {"id": "t1"})
    with pytest.raises(StoreClosed):
        store.run_read("MATCH (t:Thread) RETURN t.id AS id")
    with opener() as again:  # a closed connection leaves the store to the next one
        assert again.run_read("MATCH (t:Thread) RETURN t.id AS id") == [{"id": "t1"}]


@pytest.fixture
def two_dirs(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    dirs = (tmp_path / "one", tmp_path / "two")
    yield dirs
    for d in dirs:
        stop_server(d)


def test_two_data_directories_open_at_once_stay_apart(two_dirs: tuple[Path, Path]) -> None:
    one, two = two_dirs
    with open_store(str(one)) as a, open_store(str(two)) as b:
        a.run("CREATE (:Thread {id: $id})", {"id": "in-one"})
        b.run("CREATE (:Thread {id: $id})", {"id": "in-two"})
        assert a.run_read("MATCH (t:Thread) RETURN t.id AS id") == [{"id": "in-one"}]
        assert b.run_read("MATCH (t:Thread) RETURN t.id AS id") == [{"id": "in-two"}]
