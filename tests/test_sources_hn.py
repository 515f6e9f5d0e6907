"""``hn-json``: a Hacker News thread from the Algolia items API (hand-written fixture)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argmap.ingest.sources import hn_json, load_threads
from argmap.ingest.sources.html_text import html_to_text

from argmap.core.errors import SourceError
from argmap.core.ids import stable_id
from argmap.core.models import Thread

FIXTURE = Path(__file__).parent / "fixtures" / "sources" / "hn_item.json"


def parse(text: str) -> Thread:
    [thread] = hn_json.parse(text, "item.json")
    return thread


def one_line_error(text: str) -> str:
    with pytest.raises(SourceError) as caught:
        parse(text)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("item.json: ")
    return message


def test_reply_tree_is_the_source_tree_exactly() -> None:
    thread = parse(FIXTURE.read_text())
    item = {
        p.id: n
        for n, p in zip(
            [40100000, 40100011, 40100023, 40100031, 40100047, 40100029, 40100015],
            thread.posts,
            strict=True,
        )
    }
    assert [(item[p.id], item.get(p.parent_id)) for p in thread.posts] == [
        (40100000, None),
        (40100011, 40100000),
        (40100023, 40100011),
        (40100031, 40100023),
        (40100047, 40100031),
        (40100029, 40100011),
        (40100015, 40100000),
    ]
    assert [p.id for p in thread.posts] == [stable_id("p", "hn", n) for n in item.values()]
    assert [p.position for p in thread.posts] == list(range(7))
    assert thread.reply_tree == "source"
    assert thread.id == stable_id("t", "hn", 40100000)


def test_thread_fields_and_timestamps_are_utc() -> None:
    thread = parse(FIXTURE.read_text())
    assert thread.title == "Show HN: A static site generator in 300 lines"
    assert thread.url == "https://news.ycombinator.com/item?id=40100000"
    assert thread.source_format == "hn-json"
    assert thread.published_at == datetime(2024, 4, 22, 14, 3, 11, tzinfo=UTC)
    assert thread.posts[2].posted_at == datetime(2024, 4, 22, 14, 41, 30, tzinfo=UTC)
    # A link story: the title and link are what the comments answer.
    assert thread.article.text == (
        "Show HN: A static site generator in 300 lines\n\nhttps://example.org/tiny-ssg"
    )
    assert [p.author for p in thread.posts] == [
        "tidewater",
        "kestrel",
        "tidewater",
        "[deleted]",
        "marram",
        "ploughman",
        "quillon",
    ]


def test_comment_html_becomes_plain_text() -> None:
    thread = parse(FIXTURE.read_text())
    assert thread.posts[1].text == (
        "Small generators are great until you need incremental builds. "
        "At that point you're rewriting make.\n\nSee https://example.org/make-notes"
    )
    assert thread.posts[2].text == (
        "> you're rewriting make\n\n"
        "Not really: it hashes inputs and skips unchanged pages, which covers most sites."
    )
    assert (
        thread.posts[4].text
        == "Hashing inputs misses template changes unless the templates are inputs too."
    )
    assert (
        thread.posts[6].text
        == 'The config format is the nicest part:\n\n  title = "Home"\n  layout = base'
    )
    assert all("<" not in p.text and "&#x27;" not in p.text for p in thread.posts)


def test_deleted_comments_stay_in_the_tree() -> None:
    thread = parse(FIXTURE.read_text())
    deleted = thread.posts[3]
    assert (deleted.author, deleted.text) == ("[deleted]", "[deleted]")
    assert thread.posts[4].parent_id == deleted.id


def test_a_text_story_uses_its_text() -> None:
    data = json.loads(FIXTURE.read_text())
    data.update(url=None, text="<p>Ask HN: is <i>make</i> enough?<p>Asking for a friend.")
    assert parse(json.dumps(data)).article.text == "Ask HN: is make enough?\n\nAsking for a friend."


def test_detected_as_hn_json() -> None:
    text = FIXTURE.read_text()
    assert hn_json.detect(text)
    assert hn_json.detect(json.dumps(json.loads(text)))  # one line, as the API serves it
    assert not hn_json.detect('{"id": 1, "author": "a", "text": "b"}')


def test_malformed_json_is_one_line() -> None:
    text = FIXTURE.read_text().replace('"author": "marram",', '"author": marram,')
    message = one_line_error(text)
    assert "not valid JSON" in message and "truncated" not in message


def test_a_file_cut_mid_way_is_one_line_and_says_truncated() -> None:
    text = FIXTURE.read_text()
    assert "truncated" in one_line_error(text[: int(len(text) * 0.7)])


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ([1, 2], "has no id"),
        ({"id": 5, "story_id": 5, "title": "x"}, "no 'children' list"),
        ({"id": 5, "story_id": 5, "children": [{"text": "no id"}]}, "has no id"),
        (
            {"id": 5, "story_id": 5, "children": [{"id": 6, "children": "x"}]},
            "'children' is not a list",
        ),
    ],
    ids=["a list", "no children", "child without id", "children not a list"],
)
def test_structurally_broken_files_are_one_line(doc, expected: str) -> None:
    assert expected in one_line_error(json.dumps(doc))


# The official (Firebase) API: one item per request, replies only as ids under "kids"; a script
# that walks them saves a list of such items. Algolia's /search: a page of flat "hits".
FIREBASE_STORY = {
    "by": "tidewater",
    "descendants": 2,
    "id": 40100000,
    "kids": [40100007, 40100003],
    "score": 88,
    "time": 1713794591,
    "title": "Show HN: A static site generator in 300 lines",
    "type": "story",
    "url": "https://example.org/tiny-ssg",
}
FIREBASE_COMMENT = {
    "by": "marram",
    "id": 40100003,
    "parent": 40100000,
    "text": "Nice, but where are the tests?",
    "time": 1713794700,
    "type": "comment",
}
SEARCH_PAGE = {
    "hits": [
        {
            "author": "marram",
            "comment_text": "Nice, but where are the tests?",
            "created_at": "2024-04-22T14:05:00Z",
            "created_at_i": 1713794700,
            "objectID": "40100003",
            "parent_id": 40100000,
            "story_id": 40100000,
        }
    ],
    "nbHits": 1,
    "page": 0,
    "nbPages": 1,
    "hitsPerPage": 20,
}
ALGOLIA = "https://hn.algolia.com/api/v1/items/40100000"


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (
            FIREBASE_STORY,
            "this is Hacker News JSON from the official (Firebase) API, which argmap does not "
            f"read as a thread; save {ALGOLIA} (the whole thread in one file) and ingest that, "
            'or run: argmap ingest "https://news.ycombinator.com/item?id=40100000"',
        ),
        (
            [FIREBASE_STORY, FIREBASE_COMMENT],
            "this is Hacker News JSON from the official (Firebase) API, which argmap does not "
            f"read as a thread; save {ALGOLIA} (the whole thread in one file) and ingest that, "
            'or run: argmap ingest "https://news.ycombinator.com/item?id=40100000"',
        ),
        (
            SEARCH_PAGE,
            "this is a page of Hacker News search hits (Algolia's /search), not a thread; "
            f"save {ALGOLIA} and ingest that",
        ),
    ],
    ids=["firebase item", "firebase items walked", "algolia search page"],
)
def test_hacker_news_json_that_is_no_thread_names_the_file_to_save(
    tmp_path: Path, doc, expected: str
) -> None:
    path = tmp_path / "hn.json"
    path.write_text(json.dumps(doc, indent=1))
    for fmt in ("auto", "hn-json"):
        with pytest.raises(SourceError) as caught:
            load_threads(path, fmt)
        assert str(caught.value) == f"{path}: {expected}"


def test_html_to_text_blocks_lists_quotes_and_scripts() -> None:
    html = (
        "<h2>Title</h2><p>One&nbsp;two <b>three</b>.<br>Next line.</p>"
        "<blockquote><p>Quoted.</p></blockquote><ul><li>a</li><li>b</li></ul>"
        "<script>alert(1)</script><style>p{}</style><p>End &amp; done</p>"
    )
    assert (
        html_to_text(html)
        == "Title\n\nOne two three.\nNext line.\n\n> Quoted.\n\n- a\n- b\n\nEnd & done"
    )
    assert html_to_text(None) == "" and html_to_text("") == ""
