"""Comment text on the dashboard shows as the commenter's characters, never as a link or a
picture: ``md`` and ``message`` leave Streamlit's Markdown no web address, mail address or
shortcode to find (``tests/markdown_runs.py`` reads their output back as Streamlit does).

Was: every Markdown character was escaped, yet Streamlit (remark-gfm) decodes the escapes and
then links what looks like an address, so ``https://evil.example/x`` in a claim was a
clickable link on the Overview, Graph, Chains, Search and Review pages. The pages are checked
with AppTest on a real store (the Markdown they send); the browser's own rendering in
``tests/test_dashboard_comment_links.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from argmap.dashboard.render import md, message
from argmap.graph.store import Store
from dashboard_pages import open_page, serve_with_edits
from links_thread import LINK, write_links_thread
from markdown_runs import finds, shown
from streamlit.testing.v1 import AppTest

MARKDOWN_KINDS = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error")

HOSTILE = [
    "Click https://evil.example/x now",
    "see www.evil.example for more",
    "HTTP://WWW.EVIL.EXAMPLE/LOGIN in capitals",
    "(https://evil.example/x), in brackets",
    "https://www.evil.example, both at once",
    "wwww.evil.example with one w too many",
    "write to me@evil.example or x@y.z@w.example",
    "a::b a:https://evil.example/x h::www.evil.example",
    ":streamlit: :smile: :material/home: :+1: shortcodes",
    "at 10:30, ratio 3:2, note:this",
    "escaped already: https\\://evil.example and &#58; &amp;",
    "[x](https://evil.example/x) ![beacon](http://evil.example/b.png) <https://evil.example>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_md_leaves_no_address_or_shortcode_and_shows_the_same_characters(text: str) -> None:
    out = md(text)
    assert finds(out) == []
    assert shown(out) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_a_message_leaves_no_address_or_shortcode_and_shows_the_same_characters(
    text: str,
) -> None:
    out = message(f"Claim c_1 ({text}) was changed: see `argmap review history c_1`")
    assert finds(out) == []
    assert shown(out) == f"Claim c_1 ({text}) was changed: see argmap review history c_1"
    assert "`argmap review history c_1`" in out  # argmap's own hint stays code


def test_md_cut_at_a_limit_still_leaves_no_address() -> None:
    out = md("word " * 10 + "https://evil.example/" + "a" * 50, limit=80)
    assert finds(out) == [] and shown(out).endswith("…")
    assert len(shown(out)) == 80


def test_plain_words_are_left_as_they_were() -> None:
    # Nothing to break: the Markdown is the escaped text itself, no span in it.
    assert (
        md("Dues pay for the hall, and the coaches.") == "Dues pay for the hall, and the coaches\\."
    )
    assert message("Undone: accept of relation r1.") == "Undone: accept of relation r1."


@pytest.fixture
def links_env(monkeypatch: pytest.MonkeyPatch, falkordb_dir: Path, store: Store) -> Store:
    """The dashboard's settings pointed at a graph holding only the links thread."""
    write_links_thread(store)
    serve_with_edits(monkeypatch, falkordb_dir, store.graph_name)
    return store


def page_markdown(at: AppTest) -> list[str]:
    """The Markdown of every text element the page sends, and of its static tables' cells."""
    said = [str(e.value) for kind in MARKDOWN_KINDS for e in at.get(kind)]
    for static in at.table:
        said += [
            v for row in static.value.itertuples(index=False) for v in row if isinstance(v, str)
        ]
    return said


@pytest.mark.parametrize("page", [None, "graph", "chains"])
def test_each_page_shows_a_claims_addresses_as_text(links_env: Store, page: str | None) -> None:
    at = open_page(page)
    said = page_markdown(at)
    html = [str(e.proto.body) for e in at.get("html")]  # quotes and posts: escaped HTML
    # The page shows the claim (in Markdown, or quoted in HTML on Chains)...
    assert any(LINK in shown(s) for s in said) or any(LINK in h for h in html), (said, html)
    # ...with no link.
    assert [f for s in said for f in finds(s) if "evil" in f[1]] == []
    assert [h for h in html if "<a" in h] == []
