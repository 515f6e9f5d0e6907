"""Comment text on the dashboard shows as the commenter's characters, never as a link or a
picture: ``md`` and ``message`` leave Streamlit's Markdown no web address, mail address or
shortcode to find (``tests/markdown_runs.py`` reads their output back as Streamlit does).

Was: every Markdown character was escaped, yet Streamlit (remark-gfm) decodes the escapes and
then links what looks like an address, so ``https://evil.example/x`` in a claim was a
clickable link on the Overview, Chains, Search and Review pages.
"""

from __future__ import annotations

import pytest
from argmap.dashboard.render import md, message
from markdown_runs import finds, shown

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
