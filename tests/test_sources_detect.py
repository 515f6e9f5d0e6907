"""``--format auto`` picks the right parser for every source; a whole ingest of a fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from argmap.graph.store import Store
from argmap.ingest.pipeline import ingest
from argmap.ingest.sources import FORMAT_MODULES, detect_format, format_module, load_threads

from argmap.core.errors import SourceError

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("reddit_thread.json", "reddit-json"),
        ("hn_item.json", "hn-json"),
        ("comments.csv", "csv"),
        ("comments_flat.csv", "csv"),
        ("comments.jsonl", "jsonl"),
        ("wordpress_page.html", "wordpress-html"),
        ("wordpress_classic.html", "wordpress-html"),
        ("wordpress_no_comments.html", "wordpress-html"),
    ],
)
def test_each_fixture_is_detected_as_its_format(name: str, fmt: str) -> None:
    assert detect_format((FIXTURES / name).read_text()) == fmt


def test_the_sample_text_is_still_wordpress_text(sample_path: Path) -> None:
    assert detect_format(sample_path.read_text()) == "wordpress-text"


def test_no_other_detector_claims_anothers_fixture() -> None:
    """Order is a tie-break, not a crutch: each fixture is claimed by its own detector only."""
    owners = {
        "reddit_thread.json": "reddit-json",
        "hn_item.json": "hn-json",
        "comments.csv": "csv",
        "comments.jsonl": "jsonl",
        "wordpress_page.html": "wordpress-html",
    }
    for name, fmt in owners.items():
        text = (FIXTURES / name).read_text()
        claimed = [
            n for n in FORMAT_MODULES if n != "argmap-json" and format_module(n).detect(text)
        ]
        assert claimed == [fmt], name


def test_each_format_is_selectable_by_name_and_unknown_names_are_one_line() -> None:
    [thread] = load_threads(FIXTURES / "comments.csv", "csv")
    assert thread.source_format == "csv"
    with pytest.raises(SourceError) as caught:
        load_threads(FIXTURES / "comments.csv", "excel")
    message = str(caught.value)
    assert "\n" not in message
    for name in ("reddit-json", "hn-json", "csv", "jsonl", "wordpress-html", "wordpress-text"):
        assert name in message


def test_a_named_format_that_does_not_fit_is_one_line() -> None:
    with pytest.raises(SourceError) as caught:
        load_threads(FIXTURES / "hn_item.json", "reddit-json")
    assert "\n" not in str(caught.value) and "expected the two listings" in str(caught.value)


def test_source_reply_trees_survive_thread_preparation() -> None:
    for name in ("reddit_thread.json", "hn_item.json", "comments.csv", "wordpress_page.html"):
        parsed = format_module(detect_format((FIXTURES / name).read_text()))
        [raw] = parsed.parse((FIXTURES / name).read_text(), name)
        [prepared] = load_threads(FIXTURES / name)
        assert prepared.reply_tree == "source"
        assert [p.parent_id for p in prepared.posts] == [p.parent_id for p in raw.posts], name


def test_a_csv_without_parent_ids_is_reconstructed() -> None:
    [thread] = load_threads(FIXTURES / "comments_flat.csv")
    assert thread.reply_tree == "reconstructed"
    assert all(p.parent_id for p in thread.comments)
    # "Jonas, the school already lends tablets..." answers Jonas.
    assert thread.posts[3 - 1].parent_id == thread.posts[2 - 1].id


def test_reddit_bots_stay_spam_after_thread_preparation() -> None:
    [thread] = load_threads(FIXTURES / "reddit_thread.json")
    spam = {p.author for p in thread.posts if p.is_spam}
    assert {"AutoModerator", "RemindMeBot"} <= spam


def test_ingest_a_fixture_into_the_store(store: Store) -> None:
    summary = ingest(FIXTURES / "reddit_thread.json", store, extractor="offline")
    assert (summary.posts, summary.articles, summary.comments + summary.spam) == (9, 1, 8)
    rows = store.run_read(
        "MATCH (t:Thread)-[:CONTAINS]->(c:Post)-[:REPLIES_TO]->(p:Post) "
        "RETURN t.source_format AS fmt, t.reply_tree AS tree, c.author AS child, "
        "p.author AS parent, c.position AS pos ORDER BY pos"
    )
    assert {(r["fmt"], r["tree"]) for r in rows} == {("reddit-json", "source")}
    assert [(r["child"], r["parent"]) for r in rows] == [
        ("AutoModerator", "mapmaker42"),
        ("alice_rides", "mapmaker42"),
        ("bob_delivers", "alice_rides"),
        ("alice_rides", "bob_delivers"),
        ("[deleted]", "alice_rides"),
        ("carol_bus", "[deleted]"),
        ("RemindMeBot", "mapmaker42"),
        ("dave_m", "mapmaker42"),
    ]
    # Re-running lands on the same nodes.
    ingest(FIXTURES / "reddit_thread.json", store, extractor="offline")
    assert store.run_read("MATCH (p:Post) RETURN count(p) AS n")[0]["n"] == 9
