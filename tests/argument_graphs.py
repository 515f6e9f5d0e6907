"""Small argument graphs with known answers, written to a real store through ``graph.writes``.

Claims get the ids the test names ("a", "b", ...), each in its own comment (replying to the
article) unless it is one of the article's ``theses``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from argmap.graph.store import Store
from argmap.graph.writes import write_extractions, write_thread

from argmap.core.models import Claim, Post, Relation, Thread


def write_debate(
    store: Store,
    rebuts: Iterable[tuple[str, str]] = (),
    supports: Iterable[tuple[str, str]] = (),
    claims: Iterable[str] = (),
    texts: Mapping[str, str] | None = None,
    authors: Mapping[str, str] | None = None,
    theses: Iterable[str] = (),
    thread_id: str = "t1",
    article_author: str = "The Author",
    posted: Mapping[str, datetime] | None = None,
    published: datetime | None = None,
) -> None:
    """Write a thread whose claims are every id named in the arguments, and the relations
    (``posted``: when a claim's comment was posted, by claim id; undated otherwise;
    ``published``: when the thread's article was, undated otherwise)."""
    rebuts, supports, theses = list(rebuts), list(supports), list(theses)
    ids = list(dict.fromkeys([*theses, *claims, *(x for pair in rebuts + supports for x in pair)]))
    texts = dict(texts or {})
    authors = dict(authors or {})
    article_id = f"{thread_id}-article"
    posts: list[Post] = []
    claim_models: list[Claim] = []
    article_text = ""
    for cid in theses:
        text = texts.get(cid, f"Thesis {cid} holds.")
        start = len(article_text)
        article_text += text + " "
        claim_models.append(
            Claim(
                id=cid,
                post_id=article_id,
                text=text,
                quote=text,
                start=start,
                end=start + len(text),
                extractor="test",
            )
        )
    posts.append(
        Post(
            id=article_id,
            thread_id=thread_id,
            kind="article",
            author=article_author,
            position=0,
            text=article_text.strip() or "An article.",
        )
    )
    for cid in ids:
        if cid in theses:
            continue
        text = texts.get(cid, f"Claim {cid} is what I think.")
        pid = f"{thread_id}-post-{cid}"
        posts.append(
            Post(
                id=pid,
                thread_id=thread_id,
                kind="comment",
                author=authors.get(cid, f"Person {cid}"),
                posted_at=(posted or {}).get(cid),
                position=len(posts),
                text=text,
                parent_id=article_id,
            )
        )
        claim_models.append(
            Claim(
                id=cid, post_id=pid, text=text, quote=text, start=0, end=len(text), extractor="test"
            )
        )
    relations = [
        Relation(source=a, target=b, type=kind, confidence=0.9, extractor="test")
        for kind, pairs in (("rebuts", rebuts), ("supports", supports))
        for a, b in pairs
    ]
    write_thread(
        store,
        Thread(
            id=thread_id,
            title=f"Thread {thread_id}",
            source_format="test",
            published_at=published,
            posts=posts,
            reply_tree="source",
        ),
    )
    write_extractions(store, [p.id for p in posts], claim_models, relations, "test")
