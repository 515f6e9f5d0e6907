"""A thread whose claims hold web addresses and a 120-character word, every claim heading one
of the Overview's tables (``tests/test_dashboard_comment_links.py``, ``..._render_links.py``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from argmap.graph.store import Store
from argmap.graph.writes import write_extractions, write_thread
from thread_builder import build_thread, post_id

from argmap.core.ids import claim_id
from argmap.core.models import Claim, Relation

LINK = "https://evil.example/x"
WORD = ("Antidisestablishmentarianism" * 5)[:120]  # no space, no hyphen: nowhere to wrap
LONG_URL = "https://evil.example/" + "a" * 100
THESIS = f"Log in at {LINK} or www.evil.example to renew: the {WORD} fee is due."
PLAIN = "The club's dues pay for the hall, the coaches and the insurance of every member who plays."
OBJECTION = f"No, the page at {LONG_URL} says the dues were cut."
PLAIN_OBJECTION = "The insurance is paid by the federation, not out of the dues we pay each year."
START = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def claim_in(pid: str, post_text: str, sentence: str) -> Claim:
    """The claim quoting ``sentence`` where it stands in its post's ``post_text``."""
    start = post_text.index(sentence)
    end = start + len(sentence)
    return Claim(
        id=claim_id(pid, start, end),
        post_id=pid,
        text=sentence,
        quote=sentence,
        start=start,
        end=end,
        extractor="test",
    )


def write_links_thread(store: Store) -> None:
    """Two theses, each rebutted once and never answered: every claim heads an Overview table."""
    tid = "t_links"
    said = [THESIS + " " + PLAIN, OBJECTION, PLAIN_OBJECTION]
    thread = build_thread(
        tid,
        {"author": "Club", "text": said[0], "posted_at": START},
        [
            {"author": f"Member {i}", "text": text, "posted_at": START + timedelta(hours=i)}
            | {"parent_id": post_id(tid, 0)}
            for i, text in enumerate(said[1:], start=1)
        ],
        title="Dues",
        source_format="csv",
    )
    article = post_id(tid, 0)
    theses = [claim_in(article, said[0], THESIS), claim_in(article, said[0], PLAIN)]
    objections = [claim_in(post_id(tid, i), said[i], said[i]) for i in (1, 2)]
    relations = [
        Relation(source=o.id, target=t.id, type="rebuts", confidence=0.9, extractor="test")
        for o, t in zip(objections, theses, strict=True)
    ]
    write_thread(store, thread)
    write_extractions(store, [p.id for p in thread.posts], theses + objections, relations, "test")
