"""Quotes as real language models return them, and what grounding must make of each.

Each case is one comment (with its parent and the article above it) and the quote a model gave
for one of its claims. ``expect`` is the exact source text the claim must be stored with (the
post's own characters at ``[start:end]``), or None where the claim must be dropped. Honest drift
(an ellipsis, a final period, a capital, HTML entities, markdown escapes, NFD accents, a line
break, added quotation marks) must be kept; paraphrases and words from another post must not.

Shared by ``tests/test_llm_quote_drift.py`` and ``bench/llm_quote_drift.py``; how each is put to
the local server is in ``tests/quote_drift_server.py``.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass

from argmap.core.models import Thread

HONEST = "honest"  # the model's words are the post's, drifted: keep, with exact offsets
WRONG = "wrong"  # paraphrase or another post's words: drop


@dataclass(frozen=True)
class Case:
    """One model answer: ``quote`` for the comment ``text`` (replying to ``parent``)."""

    name: str
    kind: str  # what drift it shows ("ellipsis", "html entity", "paraphrase", ...)
    text: str
    quote: str
    expect: str | None  # the stored quote, or None: dropped
    parent: str = "Small groups fail to reach workers. Democracy matters inside any party."
    expect_start: int | None = None  # where it must start, when the text repeats it
    sample: bool = False  # the comment is a real post of the bundled sample

    @property
    def verdict(self) -> str:
        return HONEST if self.expect is not None else WRONG


ARTICLE = "Parties must grow to matter. Small groups fail to reach workers."


def _own_cases() -> list[Case]:
    cafe_nfc = "Le café était fermé, so we met at the union hall instead."
    cafe_nfd = unicodedata.normalize("NFD", cafe_nfc)
    repeated = (
        "We need members first. Money follows members. Then we grow. We need members first, "
        "and I will keep saying it."
    )
    quoted_parent = (
        "You wrote “Small groups fail to reach workers” but that is simply false here. "
        "Our branch reached hundreds."
    )
    return [
        Case("nfd quote, nfc post", "nfc/nfd", cafe_nfc, cafe_nfd, cafe_nfc),
        Case("nfc quote, nfd post", "nfc/nfd", cafe_nfd, cafe_nfc, cafe_nfd),
        Case(
            "accent dropped at the end",
            "paraphrase",
            "We met at the café",
            "We met at the cafe",
            None,
        ),
        Case(
            "&amp;",
            "html entity",
            "Bread & roses is our slogan, and we mean every word of it.",
            "Bread &amp; roses is our slogan, and we mean every word of it.",
            "Bread & roses is our slogan, and we mean every word of it.",
        ),
        Case(
            "&lt; &gt;",
            "html entity",
            "Turnout <50% is a failure > anything else we did.",
            "Turnout &lt;50% is a failure &gt; anything else we did.",
            "Turnout <50% is a failure > anything else we did.",
        ),
        Case(
            "\\_ escape",
            "markdown escape",
            "Tag every report with union_news_local so we can find it later.",
            "Tag every report with union\\_news\\_local so we can find it later.",
            "Tag every report with union_news_local so we can find it later.",
        ),
        Case(
            "\\* escape",
            "markdown escape",
            "The vote was 5*3 in favour, which settles the matter for now.",
            "The vote was 5\\*3 in favour, which settles the matter for now.",
            "The vote was 5*3 in favour, which settles the matter for now.",
        ),
        Case(
            "repeated sentence, after a later claim",
            "repeated",
            repeated,
            "We need members first",
            "We need members first",
            expect_start=repeated.index("We need members first", 1),
        ),
        Case(
            "repeated sentence, after a later claim, lower-case start",
            "repeated",
            repeated,
            "we need members first",
            "We need members first",
            expect_start=repeated.index("We need members first", 1),
        ),
        Case(
            "straight quotes around it",
            "added quotation marks",
            "Branches should elect their own delegates every single year.",
            '"Branches should elect their own delegates every single year."',
            "Branches should elect their own delegates every single year.",
        ),
        Case(
            "guillemets around it",
            "added quotation marks",
            "Branches should elect their own delegates every single year.",
            "« Branches should elect their own delegates every single year »",
            "Branches should elect their own delegates every single year",
        ),
        Case(
            "ellipsis over a sentence",
            "ellipsis",
            "Dues are too high for students. Nobody asked them. We lose them in a month.",
            "Dues are too high for students... We lose them in a month.",
            "Dues are too high for students. Nobody asked them. We lose them in a month.",
        ),
        Case(
            "ellipsis (the one character)",
            "ellipsis",
            "Dues are too high for students. Nobody asked them. We lose them in a month.",
            "Dues are too high for students … we lose them in a month",
            "Dues are too high for students. Nobody asked them. We lose them in a month",
        ),
        Case(
            "[...] in brackets",
            "ellipsis",
            "Dues are too high for students. Nobody asked them. We lose them in a month.",
            "Dues are too high for students [...] We lose them in a month.",
            "Dues are too high for students. Nobody asked them. We lose them in a month.",
        ),
        Case(
            "ellipsis, parts out of order",
            "ellipsis (wrong)",
            "Dues are too high for students. Nobody asked them. We lose them in a month.",
            "We lose them in a month ... Dues are too high for students",
            None,
        ),
        Case(
            "ellipsis, second part invented",
            "ellipsis (wrong)",
            "Dues are too high for students. Nobody asked them. We lose them in a month.",
            "Dues are too high for students ... so the party should abolish dues entirely",
            None,
        ),
        Case(
            "ellipsis, second part from the parent",
            "ellipsis (wrong)",
            "Dues are too high for students. Nobody asked them.",
            "Dues are too high for students ... Democracy matters inside any party",
            None,
        ),
        Case(
            "ellipsis, parts too far apart",
            "ellipsis (wrong)",
            "Dues are too high for students. "
            + "We talked about it at length over many meetings and many months. " * 8
            + "We lose them in a month.",
            "Dues are too high for students ... We lose them in a month.",
            None,
        ),
        Case(
            "ellipsis, parts of one or two words",
            "ellipsis (wrong)",
            "Dues are too high for students. Nobody asked them. We lose them in a month.",
            "Dues ... month",
            None,
        ),
        Case(
            "the parent's sentence",
            "another post",
            "I think you are wrong about that, we reached many.",
            "Small groups fail to reach workers.",
            None,
        ),
        Case(
            "the article's sentence",
            "another post",
            "I think you are wrong about that, we reached many.",
            "Parties must grow to matter.",
            None,
        ),
        Case(
            "the parent's words quoted in the comment",
            "another post (quoted in the comment)",
            quoted_parent,
            "Small groups fail to reach workers",
            None,
        ),
        Case(
            "paraphrase",
            "paraphrase",
            "I think you are wrong about that, we reached many.",
            "The author thinks small groups can reach many workers.",
            None,
        ),
        Case(
            "one word changed",
            "paraphrase",
            "Branches should elect their own delegates every single year.",
            "Branches must elect their own delegates every single year.",
            None,
        ),
        Case(
            "contraction expanded",
            "paraphrase",
            "We don't need a bigger office, we need more members.",
            "We do not need a bigger office, we need more members.",
            None,
        ),
    ]


def _part(text: str, start: str, end: str) -> str:
    """``text`` from the first ``start`` to the end of the first ``end`` after it."""
    i = text.index(start)
    return text[i : text.index(end, i) + len(end)]


def _sample_cases(thread: Thread) -> list[Case]:
    posts = {p.position: p for p in thread.posts}

    def case(pos: int, name: str, kind: str, quote: str, expect: str | None) -> Case:
        post = posts[pos]
        parent = next((p.text for p in thread.posts if p.id == post.parent_id), ARTICLE)
        if parent == post.text or post.parent_id == thread.article.id:
            parent = "Small groups fail to reach workers."
        return Case(name, kind, post.text, quote, expect, parent=parent, sample=True)

    p1, p6, p8, p29 = posts[1].text, posts[6].text, posts[8].text, posts[29].text
    size = _part(p1, "I have repeatedly", "in membership.")
    role = _part(p6, "It played a big role", "swept the country")
    new_economy = _part(p8, "While not quite", "“new economy”.")
    return [
        case(1, "en dash as a hyphen", "dash", size.replace("–", "-"), size),
        case(1, "en dash as two hyphens", "dash", size.replace("–", "--"), size),
        case(
            6,
            "ellipsis inside a sentence",
            "ellipsis",
            "It played a big role ... the industrial unionism movement would still have swept "
            "the country",
            role,
        ),
        case(
            6,
            "contraction expanded",
            "paraphrase",
            role.replace("hadn’t", "had not"),
            None,
        ),
        case(
            7,
            "straight quotes",
            "apostrophes and quotes",
            'The word, "sectarianism" has been dishonestly employed by some in order to silence '
            "criticism.",
            "The word, “sectarianism” has been dishonestly employed by some in order to silence "
            "criticism.",
        ),
        case(
            8,
            "&quot; for curly quotes",
            "html entity",
            html.escape(new_economy.replace("“", '"').replace("”", '"')),
            new_economy,
        ),
        case(
            13,
            "&#39; for the apostrophe",
            "html entity",
            "I&#39;m not in a political organization at this time.",
            "I’m not in a political organization at this time.",
        ),
        case(
            17,
            "\\* before a word",
            "markdown escape",
            "Also are you really justifying CERSC waiting to \\*divest until 2010?",
            "Also are you really justifying CERSC waiting to *divest until 2010?",
        ),
        case(
            2,
            "final period added",
            "final period",
            "You really have this persistent axe to grind, don't you.",
            "You really have this persistent axe to grind, don’t you",
        ),
        case(
            7,
            "final period dropped",
            "final period",
            "The truer meaning of the word is strict adherence to a sect, dogma, ideology, or "
            "factional viewpoint",
            "The truer meaning of the word is strict adherence to a sect, dogma, ideology, or "
            "factional viewpoint",
        ),
        case(
            25,
            "lower-case start",
            "capital",
            "you just need a big-tent organization that doesn't insist everyone identify with a "
            "very specific strand of socialism.",
            "You just need a big-tent organization that doesn’t insist everyone identify with a "
            "very specific strand of socialism.",
        ),
        case(
            29,
            "across a paragraph break",
            "line break",
            "it was not a donation, but a purchase. May want to take a look at that.",
            _part(p29, "it was not a donation", "look at that."),
        ),
        case(
            6,
            "across a paragraph break, ellipsis too",
            "ellipsis",
            "How different, we can only speculate. … I think this only enhances",
            _part(p6, "How different", "I think this only enhances"),
        ),
        case(
            21,
            "… as three dots",
            "ellipsis",
            "The Fall preludes the Rise, my friend...",
            "The Fall preludes the Rise, my friend…",
        ),
        case(
            3,
            "the quotation marks of the post left out",
            "added quotation marks",
            "The left is hindered by our boundless sectarianism.",
            "The left is hindered by our boundless sectarianism.",
        ),
        case(
            12,
            "paraphrase of a question",
            "paraphrase",
            "Julia asks which organization Pham Binh belongs to.",
            None,
        ),
        case(
            15,
            "the parent's question",
            "another post",
            "So CERSC is failing at BDS even though they specifically ‘Divested’ from "
            "Caterpillar stock?",
            None,
        ),
        case(
            30,
            "the article's opening",
            "another post",
            "You hate capitalism.",
            None,
        ),
        case(
            26,
            "ellipsis, first and last sentence of a long comment",
            "ellipsis (wrong)",
            posts[26].text[:60].rsplit(" ", 1)[0] + " ... " + posts[26].text[-60:].split(" ", 1)[1],
            None,
        ),
    ]


def drift_cases(thread: Thread) -> list[Case]:
    """Every case: small posts written for them, then real posts of the sample ``thread``."""
    return _own_cases() + _sample_cases(thread)
