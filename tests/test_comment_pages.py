"""A long WordPress post's comments come in pages: every saved page joins the post's one thread.

The fixtures are two comment pages of a block theme's post, two top-level comments a page, the
newest page shown first: page 2 is the post's own URL, page 1 is ``.../comment-page-1/#comments``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from argmap.graph.export_json import thread_posts
from argmap.graph.store import Store
from argmap.ingest.pipeline import ingest
from argmap.ingest.sources import wordpress_html
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from argmap.cli import app
from argmap.core.ids import post_id

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
PAGES = {n: FIXTURES / f"wordpress_comments_page_{n}.html" for n in (1, 2)}
POST_URL = "https://parish.example.org/2024/05/02/bins-on-tuesdays/"
# The pages' comments as a reader meets them: page 1 then page 2, replies under their thread.
READING_ORDER = [
    ("article", None),
    ("comment-11", "article"),
    ("comment-12", "comment-11"),
    ("comment-13", "article"),
    ("comment-14", "article"),
    ("comment-16", "comment-14"),
    ("comment-15", "article"),
]


def stored(store: Store) -> list[tuple[int, str, str | None]]:
    """Every stored post as (position, WordPress key, parent's key), in position order."""
    threads, posts = thread_posts(store)
    [thread] = threads
    key = {post_id(thread["id"], k): k for k, _ in READING_ORDER}
    return [(p["position"], key[p["id"]], key.get(p["parent_id"])) for p in posts]


def claim_ids(store: Store) -> set[str]:
    return {r["id"] for r in store.run_read("MATCH (c:Claim) RETURN c.id AS id")}


def test_every_comment_page_is_the_posts_thread_under_the_posts_url() -> None:
    threads = [wordpress_html.parse(PAGES[n].read_text(), f"page{n}.html")[0] for n in (1, 2)]
    assert {t.id for t in threads} == {threads[0].id}
    assert [t.url for t in threads] == [POST_URL, POST_URL]


@pytest.mark.parametrize(
    ("url", "post", "page"),
    [
        (POST_URL + "comment-page-2/#comments", POST_URL, 2),
        (POST_URL + "comment-page-12", POST_URL, 12),
        ("https://example.org/?p=7&cpage=3#comments", "https://example.org/?p=7", 3),
        (POST_URL, POST_URL, None),
        ("https://example.org/?p=7", "https://example.org/?p=7", None),
    ],
)
def test_the_posts_url_leaves_out_the_comment_page(url: str, post: str, page: int | None) -> None:
    assert wordpress_html.post_url(url) == (post, page)


@pytest.mark.parametrize("order", [(1, 2), (2, 1)], ids=["oldest page first", "newest first"])
def test_pages_ingested_one_after_the_other_are_one_thread(
    store: Store, order: tuple[int, int]
) -> None:
    for n in order:
        ingest(PAGES[n], store, extractor="offline")
    assert stored(store) == [(i, k, parent) for i, (k, parent) in enumerate(READING_ORDER)]
    [row] = store.run_read("MATCH (t:Thread) RETURN t.url AS url, count(t) AS n")
    assert row == {"url": POST_URL, "n": 1}


def newest_first(page: Path, to: Path) -> Path:
    """``page`` as a site set to list comments newest first shows it: its top-level threads
    reversed (page 1 still holds the oldest ones)."""
    soup = BeautifulSoup(page.read_text(), "html.parser")
    listing = soup.select_one("ol.wp-block-comment-template")
    assert listing is not None
    for item in reversed(listing.find_all("li", recursive=False)):
        listing.append(item.extract())
    to.write_text(str(soup))
    return to


@pytest.mark.parametrize("order", [(1, 2), (2, 1)], ids=["oldest page first", "newest first"])
def test_a_site_listing_the_newest_first_is_read_newest_first_across_its_pages(
    store: Store, tmp_path: Path, order: tuple[int, int]
) -> None:
    for n in order:
        ingest(newest_first(PAGES[n], tmp_path / f"page{n}.html"), store, extractor="offline")
    threads = [READING_ORDER[i] for i in (0, 6, 4, 5, 3, 1, 2)]
    assert stored(store) == [(i, k, parent) for i, (k, parent) in enumerate(threads)]


def test_a_joining_page_keeps_what_was_extracted_and_extracts_only_its_own(store: Store) -> None:
    first = ingest(PAGES[2], store, extractor="offline")
    before = claim_ids(store)
    second = ingest(PAGES[1], store, extractor="offline")
    assert before and before < claim_ids(store)
    # The article and page 2's comments as the first run left them; page 1's three extracted.
    assert (first.extracted_now, second.extracted_now) == (4, 3)
    assert (second.articles, second.comments) == (1, 6)


def test_ingesting_the_pages_again_changes_nothing(store: Store) -> None:
    for n in (1, 2):
        ingest(PAGES[n], store, extractor="offline")
    posts, claims = stored(store), claim_ids(store)
    relations = store.run_read("MATCH ()-[r:REBUTS|SUPPORTS]->() RETURN count(r) AS n")
    for n in (2, 1):
        again = ingest(PAGES[n], store, extractor="offline")
        assert again.extracted_now == 0
    assert stored(store) == posts
    assert claim_ids(store) == claims
    assert store.run_read("MATCH ()-[r:REBUTS|SUPPORTS]->() RETURN count(r) AS n") == relations


def test_the_cli_counts_the_joined_thread(argmap_env: Path, store: Store) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", str(PAGES[2]), "-q", "--extractor", "offline"])
    second = runner.invoke(app, ["ingest", str(PAGES[1]), "-q", "--extractor", "offline"])
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert first.output.startswith("1 article, 3 comments")
    assert second.output.startswith("1 article, 6 comments")


def test_comments_without_their_wordpress_ids_are_each_stored_once(
    store: Store, tmp_path: Path
) -> None:
    # A theme that leaves the ids out: a comment is its place on its page (page 2 from the
    # comment pagination's current number, as its URL is the post's).
    for n in (1, 2):
        bare = re.sub(r' id="comment-\d+"', "", PAGES[n].read_text())
        (tmp_path / f"page{n}.html").write_text(bare)
        ingest(tmp_path / f"page{n}.html", store, extractor="offline")
    [row] = store.run_read("MATCH (p:Post) RETURN count(p) AS n, count(DISTINCT p.position) AS at")
    assert row == {"n": 7, "at": 7}
