"""Issue 18: one time convention (aware UTC), and the landing page works on a store mixing old
naive and aware times. Each test failed before its fix (the reproduction is in its docstring)."""

from __future__ import annotations

from pathlib import Path

from argmap.graph.store import Store
from argmap.ingest.pipeline import ingest
from hardening_data import ROWS, _write_rows

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
    assert {m.label for m in at.metric} >= {"Comments", "Claims"}


def test_every_export_writes_one_time_convention_on_a_store_mixing_old_naive_times(
    any_store: Store, tmp_path: Path
) -> None:
    """Was: a post a store held as naive text ("2024-05-02T09:30:00") went into the JSON, CSV
    and GraphML exports without an offset, next to posts with "+00:00"."""
    import csv
    import io
    import json
    import zipfile

    from argmap.graph.exports import export
    from argmap.graph.subgraph import Selection

    store = any_store
    ingest(_write_rows(tmp_path / "t.csv", ROWS), store, extractor="offline")
    # A store written before times were all aware UTC holds naive text (issue 18).
    store.run("MATCH (p:Post {position: 1}) SET p.posted_at = '2024-05-02T09:30:00'")
    store.run("MATCH (t:Thread) SET t.published_at = '2024-05-02T09:00:00'")
    whole = Selection(connected_only=False, include_spam=True)

    doc = json.loads(export(store, "json", whole, tmp_path / "g.json").read_text())
    stamps = {p["position"]: p["posted_at"] for p in doc["posts"]}
    assert stamps[1] == "2024-05-02T09:30:00+00:00"
    assert all(s.endswith("+00:00") for s in stamps.values() if s)
    assert doc["threads"][0]["published_at"] == "2024-05-02T09:00:00+00:00"

    with zipfile.ZipFile(export(store, "csv", whole, tmp_path / "g.zip")) as z:
        posts = list(csv.DictReader(io.StringIO(z.read("posts.csv").decode("utf-8-sig"))))
        claims = list(csv.DictReader(io.StringIO(z.read("claims.csv").decode("utf-8-sig"))))
    assert "2024-05-02T09:30:00+00:00" in {p["posted_at"] for p in posts}
    assert all(r["posted_at"].endswith("+00:00") for r in posts + claims if r["posted_at"])

    graphml = export(store, "graphml", whole, tmp_path / "g.graphml").read_text()
    assert "2024-05-02T09:30:00<" not in graphml and "2024-05-02T09:30:00+00:00<" in graphml


def _thread_csv(path: Path, title: str, first_at: str) -> Path:
    rows = [
        {
            "id": "p1",
            "author": "Ann",
            "posted_at": first_at,
            "text": f"{title} opens.",
            "title": title,
        },
        {"id": "c1", "author": "Bo", "posted_at": "", "text": "No, it does not.", "title": ""},
    ]
    return _write_rows(path, rows)


def test_argmap_threads_lists_oldest_first_the_undated_last_on_both_stores(
    any_store: Store, tmp_path: Path
) -> None:
    """Threads from different sources and zones in one store: listed by the instant they were
    published, in one convention (an old store's naive text too), those without a time last."""
    from argmap.graph.catalog import thread_summaries

    store = any_store
    for name, first_at in (
        ("Late", "2024-05-02T01:00:00+02:00"),  # 2024-05-01T23:00Z: before "Early" in UTC
        ("Undated", ""),
        ("Early", "2024-05-02T00:30:00Z"),
        ("Old", "2013-06-24T10:14:00Z"),
    ):
        ingest(_thread_csv(tmp_path / f"{name}.csv", name, first_at), store, extractor="offline")
    store.run("MATCH (t:Thread {title: 'Old'}) SET t.published_at = '2013-06-24T10:14:00'")
    listed = [(t.title, t.published_at) for t in thread_summaries(store)]
    assert listed == [
        ("Old", "2013-06-24T10:14:00+00:00"),
        ("Late", "2024-05-01T23:00:00+00:00"),
        ("Early", "2024-05-02T00:30:00+00:00"),
        ("Undated", None),
    ]
