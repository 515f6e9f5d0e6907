"""Fetching a thread by URL, against a local HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph.store import Store
from argmap.ingest.pipeline import ingest
from argmap.ingest.sources import load_threads
from argmap.ingest.sources.fetch import USER_AGENT, api_url, fetch_text, is_url
from source_server import ROUTES, SourceHandler, serve_fixtures
from typer.testing import CliRunner

from argmap.cli import app
from argmap.core.errors import SourceError

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


@pytest.fixture
def server() -> Iterator[str]:
    with serve_fixtures() as url:
        yield url


def one_line(caught: pytest.ExceptionInfo[SourceError]) -> str:
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_fetch_returns_the_page_and_sends_argmaps_user_agent(server: str) -> None:
    text = fetch_text(f"{server}/api/v1/items/40100000", timeout=5)
    assert text == (FIXTURES / "hn_item.json").read_text()
    assert SourceHandler.seen_agents == [USER_AGENT]


@pytest.mark.parametrize(
    ("path", "fmt", "comments"),
    [
        ("/r/urbanplanning/comments/1ab2cd/thread.json", "reddit-json", 8),
        ("/api/v1/items/40100000", "hn-json", 6),
        ("/2023/03/14/water-butts-rule/", "wordpress-html", 5),
        ("/export/comments.csv", "csv", 6),
    ],
)
def test_load_threads_reads_a_url_like_a_file(
    server: str, path: str, fmt: str, comments: int
) -> None:
    [thread] = load_threads(server + path)
    assert thread.source_format == fmt
    assert len(thread.comments) == comments
    assert thread.reply_tree == "source"
    [from_file] = load_threads(FIXTURES / ROUTES[path][1])
    assert [(p.id, p.parent_id) for p in thread.posts] == [
        (p.id, p.parent_id) for p in from_file.posts
    ]


def test_a_404_is_one_line(server: str) -> None:
    with pytest.raises(SourceError) as caught:
        fetch_text(f"{server}/r/nothing/comments/zzz/", timeout=5)
    message = one_line(caught)
    assert message.startswith(f"{server}/r/nothing/comments/zzz/: the server answered HTTP 404")


def test_a_timeout_is_one_line(server: str) -> None:
    with pytest.raises(SourceError) as caught:
        fetch_text(f"{server}/slow", timeout=0.2)
    assert one_line(caught).startswith(f"{server}/slow: no answer within 0.2s")


def test_the_timeout_applies_to_load_threads(server: str) -> None:
    with pytest.raises(SourceError) as caught:
        load_threads(f"{server}/slow", fetch_timeout=0.25)
    assert "no answer within 0.25s" in one_line(caught)


def test_the_cli_reads_the_timeout_setting(
    server: str, argmap_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARGMAP_FETCH_TIMEOUT", "0.25")
    result = CliRunner().invoke(app, ["ingest", f"{server}/slow", "-q"])
    assert result.exit_code == 1
    assert "no answer within 0.25s" in result.stderr


def test_no_server_listening_is_one_line() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # The port is closed again: nothing answers there.
    with pytest.raises(SourceError) as caught:
        fetch_text(f"http://127.0.0.1:{port}/thread", timeout=2)
    message = one_line(caught)
    assert "cannot fetch it" in message and "refused" in message.lower()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.reddit.com/r/urbanplanning/comments/1ab2cd/should_elm_street/",
            "https://www.reddit.com/r/urbanplanning/comments/1ab2cd/should_elm_street.json?limit=500",
        ),
        (
            "https://old.reddit.com/r/urbanplanning/comments/1ab2cd/should_elm_street/?sort=top#c",
            "https://www.reddit.com/r/urbanplanning/comments/1ab2cd/should_elm_street.json?limit=500",
        ),
        (
            "https://www.reddit.com/r/urbanplanning/comments/1ab2cd/x/.json",
            "https://www.reddit.com/r/urbanplanning/comments/1ab2cd/x/.json?limit=500",
        ),
        ("https://redd.it/1ab2cd", "https://www.reddit.com/comments/1ab2cd.json?limit=500"),
        (
            "https://news.ycombinator.com/item?id=40100000",
            "https://hn.algolia.com/api/v1/items/40100000",
        ),
        ("https://news.ycombinator.com/news", "https://news.ycombinator.com/news"),
        ("https://www.reddit.com/r/urbanplanning/", "https://www.reddit.com/r/urbanplanning/"),
        ("https://blog.example.org/2013/06/24/post/", "https://blog.example.org/2013/06/24/post/"),
    ],
)
def test_thread_urls_map_to_their_json_apis(url: str, expected: str) -> None:
    assert api_url(url) == expected


def test_is_url() -> None:
    assert is_url("https://x.example/a") and is_url("HTTP://x.example/a")
    assert not is_url("thread.json") and not is_url(Path("https://x")) and not is_url("ftp://x")


def test_ingest_of_a_url_into_the_store(server: str, store: Store) -> None:
    summary = ingest(f"{server}/api/v1/items/40100000", store, extractor="offline")
    assert (summary.posts, summary.articles, summary.comments + summary.spam) == (7, 1, 6)
    rows = store.run_read(
        "MATCH (c:Post)-[:REPLIES_TO]->(p:Post) RETURN c.position AS c, p.position AS p ORDER BY c"
    )
    assert [(r["c"], r["p"]) for r in rows] == [(1, 0), (2, 1), (3, 2), (4, 3), (5, 1), (6, 0)]


@pytest.mark.parametrize("url", ["http://[::1", "http://[oops]/thread"])
def test_a_malformed_address_is_one_line(url: str) -> None:
    with pytest.raises(SourceError, match="not a valid URL") as err:
        fetch_text(url)
    assert "\n" not in str(err.value) and url in str(err.value)


@pytest.mark.parametrize(
    ("body", "empty"),
    [
        (b"", True),
        (b" \n\t" * 100_000, True),  # blank over several of the pieces it is read in
        (b" " * 100_000 + b"x", False),  # blank only in its first pieces
    ],
)
def test_an_empty_page_is_one_line(tmp_path: Path, body: bytes, empty: bool) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(body)
    with serve_fixtures({"/page": ("text/plain", page)}) as url:
        with pytest.raises(SourceError) as caught:
            load_threads(f"{url}/page")
    assert (one_line(caught) == f"{url}/page: the page is empty") is empty, caught.value
