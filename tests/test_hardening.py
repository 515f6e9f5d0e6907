"""Issue 18: no query takes the server down, nothing overwrites another thread, one line for
every bad input. Each test failed before its fix (the reproduction is in its docstring)."""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path

import pytest
import redis
from argmap.graph.console import parse_params, run_console, write_clause
from argmap.graph.embedded import server_paths
from argmap.graph.store import Store
from argmap.ingest.pipeline import ingest
from typer.testing import CliRunner

from argmap.cli import app
from argmap.core.errors import ArgmapError, QueryError, SourceError

runner = CliRunner()


def _count(store: Store, what: str) -> int:
    return store.run_read(f"MATCH (n:{what}) RETURN count(n) AS n")[0]["n"]


def _write_rows(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


ROWS = [
    {"id": "p1", "author": "Council", "posted_at": "2024-05-02T09:00:00Z", "parent_id": "",
     "text": "The library will close on Sundays. Staff costs have doubled since 2019."},
    {"id": "c1", "author": "Ines", "posted_at": "2024-05-02T09:30:00Z", "parent_id": "p1",
     "text": "I disagree. Closing on Sunday hurts working parents most."},
    {"id": "c2", "author": "Tomas", "posted_at": "2024-05-02T09:50:00Z", "parent_id": "c1",
     "text": "That's not true. Weekday evenings would serve working parents as well."},
]  # fmt: skip


# --- 1. a console query cannot crash the server or flood the client --------------------------


@pytest.mark.parametrize(
    "query",
    [
        "RETURN size(range(1,1500000000))",
        "RETURN range(1,20000001)",
        "UNWIND range(0, $n) AS x RETURN count(x)",
        "RETURN size(range(1, 1000 * 1000 * 1000))",
    ],
)
def test_a_range_too_big_for_the_server_is_refused_and_the_server_lives(
    store: Store, query: str
) -> None:
    """Was: the server aborted ("Out Of Memory allocating 9600000060 bytes") or the client
    parsed 20M values for 19.7 s past its 10 s limit."""
    with pytest.raises(QueryError, match=r"range\(.*at most 1,000,000"):
        run_console(store, query, {"n": 10**9})
    assert run_console(store, "RETURN size(range(0, 999)) AS n").rows == [{"n": 1000}]
    assert run_console(
        store, "WITH [1,2,3] AS xs RETURN [i IN range(0, size(xs) - 1) | xs[i]] AS v"
    ).rows == [{"v": [1, 2, 3]}]


def test_the_server_caps_one_querys_memory_and_says_so_in_one_line(store: Store) -> None:
    """QUERY_MEM_CAPACITY was unset: any query could take all the machine's memory."""
    with pytest.raises(QueryError, match="memory limit for one query"):
        # Small lists, streamed: the range guard passes it, the server's cap stops it.
        run_console(
            store,
            "UNWIND range(1, 100) AS i WITH collect(range(1, 999999)) AS xs RETURN size(xs) AS n",
            timeout_ms=60_000,
        )


def test_the_server_runs_with_its_limits(falkordb_dir: Path) -> None:
    client = redis.Redis(unix_socket_path=str(server_paths(falkordb_dir).socket))
    config = dict(client.execute_command("GRAPH.CONFIG", "GET", "*"))
    assert config[b"QUERY_MEM_CAPACITY"] > 0 and config[b"TIMEOUT_MAX"] > 0
    assert config[b"EFFECTS_THRESHOLD"] == 0
    assert int(client.config_get("maxmemory")["maxmemory"]) > 0


def test_console_results_are_capped_in_bytes(store: Store) -> None:
    """The dashboard had no byte cap: one wide result could take gigabytes of Streamlit."""
    result = run_console(
        store, "UNWIND range(1, 100) AS i RETURN i, range(1, 1000) AS xs", max_bytes=20_000
    )
    assert result.truncated and 0 < len(result.rows) < 100
    with pytest.raises(QueryError, match="first row alone"):
        run_console(store, "RETURN range(1, 100000) AS xs", max_bytes=20_000)


# --- 3. imported ids never touch another thread ---------------------------------------------


def test_an_import_reusing_another_threads_ids_is_refused_and_writes_nothing(
    store: Store, sample_path: Path, tmp_path: Path
) -> None:
    """Was: a one-post file reusing the sample's article id and a claim id deleted 24 claims and
    46 relations, rewrote a claim as "pwned thesis" and put the article in two threads."""
    ingest(sample_path, store, extractor="offline")
    article = store.run_read(
        "MATCH (p:Post {kind: 'article'})-[:MAKES]->(c:Claim) "
        "RETURN p.id AS pid, p.text AS text, c.id AS cid, c.start AS s, c.end AS e LIMIT 1"
    )[0]
    before = store.run_read(
        "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r"
    )
    quote = article["text"][article["s"] : article["e"]]
    doc = {
        "format": "argmap-json", "version": 1,
        "threads": [{"id": "t_mallory", "title": "pwned", "url": None, "source_format": "csv", "published_at": None}],
        "posts": [{"id": article["pid"], "thread_id": "t_mallory", "kind": "article", "author": "Mallory",
                   "posted_at": None, "position": 0, "parent_id": None, "is_spam": False, "text": article["text"]}],
        "claims": [{"id": article["cid"], "post_id": article["pid"], "text": "pwned thesis", "quote": quote,
                    "start": article["s"], "end": article["e"], "extractor": "offline"}],
        "relations": [],
    }  # fmt: skip
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(SourceError, match="already belongs to thread"):
        ingest(path, store)
    after = store.run_read(
        "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r"
    )
    assert after == before
    assert not store.run_read("MATCH (c:Claim {text: 'pwned thesis'}) RETURN c.id AS id")
    # The store's own export re-imports as before (same thread: not foreign).
    from argmap.graph.export_json import export_json

    own = tmp_path / "own.json"
    own.write_text(json.dumps(export_json(store)), encoding="utf-8")
    ingest(own, store)


# --- 4. a changed post text re-extracts the post ---------------------------------------------


def test_a_changed_post_text_re_extracts_it_and_quotes_stay_exact(
    store: Store, tmp_path: Path
) -> None:
    """Was: "(comment edited: removed)" while its claim still quoted the old sentence."""
    path = _write_rows(tmp_path / "t.csv", ROWS)
    ingest(path, store, extractor="offline")
    edited = [dict(r) for r in ROWS]
    edited[1]["text"] = (
        "I disagree strongly. Sunday closing is unfair to families who work all week."
    )
    _write_rows(path, edited)
    ingest(path, store, extractor="offline")
    rows = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(c:Claim) RETURN p.text AS text, c.quote AS quote, "
        "c.start AS s, c.end AS e"
    )
    assert rows and all(r["text"][r["s"] : r["e"]] == r["quote"] for r in rows)
    assert not any("Closing on Sunday" in r["quote"] for r in rows)
    assert any("unfair" in r["quote"] for r in rows)
    pending = store.run_read("MATCH (p:Post) WHERE p.extracted IS NULL RETURN count(p) AS n")
    assert pending[0]["n"] == 0


# --- 5. one time convention: the landing page on a mixed store --------------------------------


def test_times_are_stored_as_aware_utc(store: Store, sample_path: Path, tmp_path: Path) -> None:
    """Was: naive WordPress times next to aware CSV times; the overview subtracted them."""
    ingest(sample_path, store, extractor="offline")
    ingest(_write_rows(tmp_path / "t.csv", ROWS), store, extractor="offline")
    stamps = [r["t"] for r in store.run_read("MATCH (p:Post) RETURN p.posted_at AS t") if r["t"]]
    assert stamps and all(s.endswith("+00:00") for s in stamps)


def test_the_landing_page_works_on_a_store_mixing_old_naive_and_aware_times(
    argmap_env: Path, store: Store, sample_path: Path, tmp_path: Path
) -> None:
    """Was: TypeError: can't subtract offset-naive and offset-aware datetimes (traceback shown)."""
    from dashboard_pages import APP, TIMEOUT
    from streamlit.testing.v1 import AppTest

    ingest(sample_path, store, extractor="offline")
    ingest(_write_rows(tmp_path / "t.csv", ROWS), store, extractor="offline")
    # A store written before the fix holds naive strings for the sample's posts.
    store.run(
        "MATCH (p:Post) WHERE p.posted_at ENDS WITH '+00:00' AND p.thread_id <> $tid "
        "SET p.posted_at = substring(p.posted_at, 0, size(p.posted_at) - 6)",
        {
            "tid": store.run_read(
                "MATCH (p:Post {text: $t}) RETURN p.thread_id AS t", {"t": ROWS[0]["text"]}
            )[0]["t"]
        },
    )
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception and not at.error
    assert {m.label for m in at.metric} >= {"Posts", "Claims"}


# --- 6 and 10. one line for bad input, nothing silently changed -------------------------------


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_a_lone_surrogate_is_one_line_and_writes_nothing(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    """Was: a traceback (UnicodeEncodeError) and an empty Thread left in the store."""
    rows = [dict(r) for r in ROWS]
    rows[1]["text"] = "broken \ud800 text"
    path = _jsonl(tmp_path / "t.jsonl", rows)
    result = runner.invoke(app, ["ingest", str(path)])
    assert result.exit_code == 1
    assert "lone surrogate" in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert _count(store, "Thread") == 0 and _count(store, "Post") == 0


def test_a_lone_surrogate_parameter_is_one_line(argmap_env: Path) -> None:
    result = runner.invoke(app, ["cypher", "RETURN $x AS x", "-p", 'x="\\ud800"'])
    assert result.exit_code == 1 and "lone surrogate" in result.stderr


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_nan_parameters_are_one_clear_line(value: str) -> None:
    """Was: a cryptic parser error from the store."""
    with pytest.raises(ArgmapError, match="not a number Cypher can take"):
        parse_params([f"x={value}"])


def test_set_as_an_alias_or_a_key_is_not_a_write() -> None:
    """Was: `RETURN 1 AS set` refused as a write."""
    assert write_clause("RETURN 1 AS set") is None
    assert write_clause("RETURN {set: 1, create: 2} AS m") is None
    assert write_clause("MATCH (c) SET c.x = 1") == "SET"


def _reddit(created: float, duplicate: bool = False) -> str:
    comment = {
        "kind": "t1",
        "data": {
            "id": "c1",
            "name": "t1_c1",
            "author": "a",
            "body": "Hi there.",
            "created_utc": created,
            "parent_id": "t3_p",
            "replies": "",
        },
    }
    children = [comment, comment] if duplicate else [comment]
    return json.dumps([
        {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {
            "id": "p", "name": "t3_p", "title": "T", "author": "op", "selftext": "Post.", "created_utc": 1.7e9}}]}},
        {"kind": "Listing", "data": {"children": children}},
    ])  # fmt: skip


def _hn(created: float, duplicate: bool = False) -> str:
    child = {
        "id": 2,
        "author": "b",
        "text": "<p>Reply.</p>",
        "created_at_i": created,
        "parent_id": 1,
        "children": [],
    }
    return json.dumps({"id": 1, "story_id": 1, "author": "a", "title": "T", "text": "Post.",
                       "created_at_i": 1.7e9, "children": [child, child] if duplicate else [child]})  # fmt: skip


@pytest.mark.parametrize("name,text", [("r.json", _reddit(1e300)), ("h.json", _hn(1e20))])
def test_out_of_range_times_are_a_warning_not_an_overflow(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, text: str
) -> None:
    from argmap.ingest.sources import load_threads

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="argmap"):
        threads = load_threads(path)
    assert threads[0].comments[0].posted_at is None
    assert "out of range" in caplog.text


@pytest.mark.parametrize(
    "name,text", [("r.json", _reddit(1.7e9, True)), ("h.json", _hn(1.7e9, True))]
)
def test_duplicate_ids_are_dropped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, text: str
) -> None:
    from argmap.ingest.sources import load_threads

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="argmap"):
        threads = load_threads(path)
    assert len(threads[0].comments) == 1 and "more than once" in caplog.text


def test_a_json_object_as_author_is_refused(tmp_path: Path) -> None:
    """Was: stored as the text "{'x': 1}"."""
    from argmap.ingest.sources import load_threads

    rows = [dict(r) for r in ROWS]
    rows[1]["author"] = {"x": 1}  # type: ignore[assignment]  # the bad input under test
    with pytest.raises(SourceError, match=r"author: is an object, not text"):
        load_threads(_jsonl(tmp_path / "t.jsonl", rows))


def test_a_position_past_64_bits_is_refused(store: Store, tmp_path: Path) -> None:
    """Was: a position of 10**30 stored as 2**63-1."""
    doc = {
        "format": "argmap-json", "version": 1,
        "threads": [{"id": "t1", "title": "T", "url": None, "source_format": "csv", "published_at": None}],
        "posts": [{"id": "p1", "thread_id": "t1", "kind": "article", "author": "a", "posted_at": None,
                   "position": 10**30, "parent_id": None, "is_spam": False, "text": "x"}],
        "claims": [], "relations": [],
    }  # fmt: skip
    path = tmp_path / "big.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(SourceError, match="64-bit"):
        ingest(path, store)
    assert _count(store, "Post") == 0


def test_two_files_sharing_a_title_and_first_id_are_two_threads(
    store: Store, tmp_path: Path
) -> None:
    """Was: merged into one thread."""
    a = [dict(r, title="Weekly thread") for r in ROWS]
    b = [
        dict(r, title="Weekly thread", author=f"{r['author']}2", posted_at="2025-01-01T00:00:00Z")
        for r in ROWS
    ]
    ingest(_write_rows(tmp_path / "a.csv", a), store, extractor="offline")
    ingest(_write_rows(tmp_path / "b.csv", b), store, extractor="offline")
    assert _count(store, "Thread") == 2 and _count(store, "Post") == 6


def test_a_picture_of_a_hundred_thousand_claims_is_refused_at_once(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    """Was: MemoryError after 95 s."""
    ingest(_write_rows(tmp_path / "t.csv", ROWS), store, extractor="offline")
    result = runner.invoke(
        app, ["export", "-f", "png", "--max-nodes", "100000", "-o", str(tmp_path / "x.png")]
    )
    assert result.exit_code == 1 and "at most 1000 claims" in result.stderr
    assert not (tmp_path / "x.png").exists()


# --- 7. terminal escape injection ----------------------------------------------------------


def test_control_characters_never_reach_the_terminal(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    """Was: escape sequences in authors and text printed raw (title change, clear, hyperlinks)."""
    rows = [dict(r) for r in ROWS]
    rows[1]["author"] = "Eve\x1b]0;pwned\x07\x1b[2J"
    rows[1]["text"] = (
        "I disagree. \x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\ here \x9b31m."
    )
    ingest(_jsonl(tmp_path / "t.jsonl", rows), store, extractor="offline")
    for args in (
        ["cypher", "MATCH (p:Post) RETURN p.author AS a, p.text AS t"],
        ["query", "contested"],
        ["query", "interactions", "--include-self"],
    ):
        result = runner.invoke(app, args, terminal_width=200)
        assert result.exit_code == 0, result.output
        assert (
            "\x1b" not in result.output
            and "\x07" not in result.output
            and "\x9b" not in result.output
        )
    shown = runner.invoke(
        app, ["cypher", "MATCH (p:Post) RETURN p.author AS a"], terminal_width=200
    ).output
    assert "\\x1b]0;pwned" in shown  # shown escaped, not dropped


# --- 9. LOAD CSV is refused by the store itself ---------------------------------------------


def test_load_csv_is_refused_by_the_store_on_every_path(store: Store) -> None:
    """Was: with the text check bypassed, RO_QUERY still ran LOAD CSV FROM 'https://…'."""
    for query in (
        "LOAD CSV FROM 'https://127.0.0.1:9/x.csv' AS row RETURN row",
        "load /* hidden */ csv with headers from 'file:///etc/passwd' AS row RETURN row",
    ):
        with pytest.raises(QueryError, match="LOAD CSV"):
            run_console(store, query, check_writes=False)
        with pytest.raises(QueryError, match="LOAD CSV"):
            store.run_read(query)
    # Text that merely mentions it is fine.
    assert store.run_read("RETURN 'LOAD CSV' AS t") == [{"t": "LOAD CSV"}]


# --- 8. the dashboard answers only to its own host names -------------------------------------


def test_the_dashboard_refuses_other_hosts_and_origins() -> None:
    """Was: any Host was served, so a DNS-rebinding page could drive the console."""
    from argmap.dashboard.guard import refused_reason

    from argmap.core.settings import Settings

    allowed = Settings(ARGMAP_DASHBOARD_ALLOWED_HOSTS="argmap.example.org").allowed_hosts()
    assert refused_reason({"Host": "127.0.0.1:8501"}, allowed) is None
    assert (
        refused_reason({"Host": "localhost:8501", "Origin": "http://localhost:8501"}, allowed)
        is None
    )
    assert refused_reason({"Host": "argmap.example.org"}, allowed) is None
    assert "host name 'evil.example'" in (
        refused_reason({"Host": "evil.example:8501"}, allowed) or ""
    )
    assert "another site" in (
        refused_reason({"Host": "127.0.0.1:8501", "Origin": "http://evil.example"}, allowed) or ""
    )


def test_the_gate_decides_on_the_raw_headers_of_a_request() -> None:
    """dashboard/serve.py's gate: what it refuses before Streamlit sees a request (the real
    server is driven in tests/test_dashboard_http.py)."""
    from argmap.dashboard.guard import closed_path, request_refused

    allowed = ["localhost", "127.0.0.1"]
    ours = [(b"host", b"127.0.0.1:8501"), (b"origin", b"http://127.0.0.1:8501")]
    assert request_refused(ours, allowed) == (None, "127.0.0.1:8501")
    assert request_refused([(b"Host", b"LOCALHOST.:8501")], allowed) == (None, "LOCALHOST.:8501")
    # A sandboxed frame of any site says "null": not one of ours (was: let through).
    reason, _ = request_refused([(b"host", b"127.0.0.1:8501"), (b"origin", b"null")], allowed)
    assert reason and "another site" in reason
    # No Host (HTTP/1.0), two Hosts or two Origins: which would Streamlit believe? Neither.
    for raw in (
        [],
        [(b"host", b"127.0.0.1"), (b"host", b"evil.example")],
        [*ours, (b"origin", b"http://evil.example")],
    ):
        assert request_refused(raw, allowed)[0], raw
    reason, host = request_refused([(b"host", b"127.0.0.1@evil.example")], allowed)
    assert reason and "'evil.example'" in reason
    # Metrics: shut at any base URL path, with or without a trailing slash; open when asked.
    for path in ("/_stcore/metrics", "/_stcore/metrics/", "/argmap/_stcore/metrics"):
        assert closed_path(path, metrics=False) and not closed_path(path, metrics=True)
    for path in ("/", "/search", "/_stcore/health", "/_stcore/host-config", "/_stcore/stream"):
        assert not closed_path(path, metrics=False)
