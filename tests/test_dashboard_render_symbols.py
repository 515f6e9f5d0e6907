"""Comment text on the dashboard shows the commenter's own characters, not Streamlit's
typography: ``md`` and ``message`` leave its Markdown no "->", "<-", "<->", "--", ">=", "<=" or
"~=" standing alone in a run of text (``tests/markdown_runs.py`` reads their output back as
Streamlit does; headless Chromium checks the real page in ``tests/test_dashboard_typed_text.py``).

Was: a claim "Fees -> up -- so dues >= 40" read "Fees → up — so dues ≥ 40" on every page that
shows claims in Markdown (and a reader copied the arrows). "---", "!=", "(c)", "(tm)", "..." and
quotes Streamlit 1.67 leaves as typed (rendered in Chromium): checked here as a guard.
"""

from __future__ import annotations

import pytest
from argmap.dashboard.render import md, message
from markdown_runs import finds, shown

TYPED = [
    "Fees -> up and grants <- down",
    "the two <-> linked",
    "linked -- so",
    "dues >= 40 and <= 60",
    "about ~= 50",
    '--- a != b, (c) the Club(tm)... "fair" isn\'t it',
    # At a text's ends, and where a span md() puts in ends a run ("@", an address, a ":").
    "-> at the start",
    "at the end --",
    "<->",
    "mail me@-> here",
    "see ->https://evil.example/x or www.evil.example<- there",
    "ratio:-> and a:<= b",
    "one -> -> two <= <= three",
    "<-> <-- --> <=> ==> >>= --- ----",
]


@pytest.mark.parametrize("text", TYPED)
def test_md_leaves_no_pair_to_retype_and_shows_the_same_characters(text: str) -> None:
    out = md(text)
    assert finds(out) == []
    assert shown(out) == text


@pytest.mark.parametrize("text", TYPED)
def test_a_message_leaves_no_pair_to_retype_and_shows_the_same_characters(text: str) -> None:
    out = message(f"{text} was changed: see `argmap review history c_1 --json`")
    assert finds(out) == []
    assert shown(out) == f"{text} was changed: see argmap review history c_1 --json"
    assert "`argmap review history c_1 --json`" in out  # argmap's own hint stays code


def test_md_cut_at_a_limit_leaves_no_pair_before_the_cut() -> None:
    out = md("word " * 10 + "costs -> up", limit=80)
    assert finds(out) == [] and shown(out) == "word " * 10 + "costs -> up"


def test_words_with_no_pair_are_left_as_they_were() -> None:
    # Nothing to break: a lone "-", "<" or "=" keeps the Markdown the escaped text, no span in it.
    assert md("a - b < c = d") == "a \\- b \\< c \\= d"
