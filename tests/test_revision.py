"""The graph's revision and the dashboard cache keyed on it: a write is seen on the next run,
and the Overview's activity chart has a real time axis."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest
from argmap.graph.revision import bump_revision, current_revision
from argmap.graph.store import Store
from argmap.graph.writes import write_extractions, write_thread
from dashboard_pages import assert_clean, open_page

from argmap.core.ids import stable_id
from argmap.core.models import Post, Thread


def thread_of(n_comments: int, name: str = "rev", start: datetime | None = None) -> Thread:
    tid = stable_id("t", "revision-test", name)
    start = start or datetime(2013, 9, 1, 12)
    posts = [
        Post(
            id=stable_id("p", tid, i),
            thread_id=tid,
            kind="article" if i == 0 else "comment",
            author=f"Person {i}",
            posted_at=start + timedelta(days=i),
            position=i,
            text=f"Post number {i} says something.",
            parent_id=None if i == 0 else stable_id("p", tid, 0),
        )
        for i in range(n_comments + 1)
    ]
    return Thread(
        id=tid,
        title=f"Thread {name}",
        url=None,
        source_format="test",
        published_at=start,
        posts=posts,
        reply_tree="source",
    )


def test_every_write_raises_the_revision(store: Store) -> None:
    assert current_revision(store) == 0
    thread = thread_of(2)
    write_thread(store, thread)
    after_thread = current_revision(store)
    assert after_thread > 0
    write_extractions(store, [thread.posts[1].id], [], [], "offline")
    after_extraction = current_revision(store)
    assert after_extraction > after_thread
    bumped = bump_revision(store)  # what a review edit calls after writing
    assert bumped > after_extraction and current_revision(store) == bumped


def test_the_revision_never_repeats_after_the_graph_is_emptied(store: Store) -> None:
    write_thread(store, thread_of(1))
    before = current_revision(store)
    store.clear()
    assert current_revision(store) == 0
    assert bump_revision(store) > before  # a cache keyed on `before` can never be hit again


@pytest.fixture
def dashboard_env(monkeypatch: pytest.MonkeyPatch, falkordb_dir: Path, store: Store) -> Store:
    monkeypatch.setenv("ARGMAP_DB", str(falkordb_dir))
    monkeypatch.setenv("ARGMAP_GRAPH", store.graph_name)
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEO4J_URI"):
        monkeypatch.delenv(var, raising=False)
    return store


def comments_metric(at) -> int:
    return int(next(m.value for m in at.metric if m.label == "Comments"))


def test_the_dashboard_shows_a_write_on_its_next_run(dashboard_env: Store) -> None:
    store = dashboard_env
    write_thread(store, thread_of(3))
    at = open_page()
    assert comments_metric(at) == 3
    # Rerun with nothing written: the cached answer, still right.
    at.run()
    assert comments_metric(at) == 3
    # An ingest of another thread into the same graph raises the revision: the next run sees it.
    write_thread(store, thread_of(5, name="second"))
    at.run()
    assert_clean(at)
    assert comments_metric(at) == 3 + 5


def test_a_write_that_skips_the_revision_is_not_seen_until_it_is_bumped(
    dashboard_env: Store,
) -> None:
    """The cache really is keyed on the revision (and nothing else re-reads the graph)."""
    store = dashboard_env
    write_thread(store, thread_of(2))
    at = open_page()
    assert comments_metric(at) == 2
    store.run("MATCH (p:Post {position: 2}) SET p.is_spam = true")  # behind argmap's back
    at.run()
    assert comments_metric(at) == 2  # from the cache
    bump_revision(store)  # what a review edit does after writing
    at.run()
    assert comments_metric(at) == 1


def test_activity_is_drawn_on_a_time_axis(dashboard_env: Store) -> None:
    store = dashboard_env
    # Two posts in 2013-09 and one in 2018-01: the chart must put them four years apart.
    thread = thread_of(2)
    late = thread.posts[2].model_copy(update={"posted_at": datetime(2018, 1, 5, 9)})
    write_thread(store, thread.model_copy(update={"posts": [*thread.posts[:2], late]}))
    at = open_page()
    at.button_group(key="activity_granularity").set_value("month").run()
    assert_clean(at)
    chart = at.get("vega_lite_chart")[0]
    spec = json.loads(chart.proto.spec)
    assert spec["encoding"]["x"]["type"] == "temporal"
    assert spec["encoding"]["x"]["title"] == "month (UTC)"


def test_activity_is_counted_and_drawn_in_utc_whatever_the_browsers_zone(
    dashboard_env: Store,
) -> None:
    """Was: naive period times, which Vega draws in the browser's zone: in New York the UTC
    hours 04 and 06 of 10 March 2024 (a DST night) were drawn as 05 and 07, one sharing a bar."""
    store = dashboard_env
    thread = thread_of(4, start=datetime(2024, 3, 10, 4, 30, tzinfo=UTC))
    hours = [4, 6, 7, 7, 12]
    posts = [
        p.model_copy(update={"posted_at": datetime(2024, 3, 10, h, 30, tzinfo=UTC)})
        for p, h in zip(thread.posts, hours, strict=True)
    ]
    write_thread(store, thread.model_copy(update={"posts": posts}))
    at = open_page()
    assert_clean(at)
    assert at.button_group(key="activity_granularity").value == "hour"
    chart = at.get("vega_lite_chart")[0]
    spec = json.loads(chart.proto.spec)
    x = spec["encoding"]["x"]
    assert x["scale"]["type"] == "utc" and x["title"] == "hour (UTC)"
    (data,) = chart.proto.datasets
    table = pa.ipc.open_stream(data.data.data).read_all().to_pydict()
    assert table["when"] == [
        "2024-03-10 04:00",
        "2024-03-10 06:00",
        "2024-03-10 07:00",
        "2024-03-10 12:00",
    ]
    assert table["posts"] == [1, 1, 2, 1]
    assert any("per hour in UTC" in c.value for c in at.caption)


def test_posts_without_a_time_are_counted_under_the_activity_chart(dashboard_env: Store) -> None:
    """Was: a thread timed only in part drew its timed posts alone and said nothing of the rest,
    so two of five posts passed for the whole debate."""
    thread = thread_of(4)
    posts = [
        p if i < 2 else p.model_copy(update={"posted_at": None}) for i, p in enumerate(thread.posts)
    ]
    write_thread(dashboard_env, thread.model_copy(update={"posts": posts}))
    at = open_page()
    assert_clean(at)
    (caption,) = [c.value for c in at.caption if c.value.startswith("Posts per")]
    assert caption.endswith("3 posts of 5 without a time not drawn.")
