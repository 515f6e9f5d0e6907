"""A thread whose claims hold what Streamlit's Markdown would retype (``->`` as an arrow, ``--``
as a dash, ``>=`` as a sign) and words too long for a phone's line (a 150-character address, a
German compound, a commenter's 50-character handle), in the article and in comments, so every
page that shows claims shows them (``tests/test_dashboard_typed_text.py``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from argmap.graph.store import Store
from argmap.graph.writes import write_extractions, write_thread
from links_thread import claim_in
from thread_builder import build_thread, post_id

from argmap.core.models import Relation

# Every sequence the brief names, and "~=" (Streamlit's plugin turns it into "≈" too): the
# ones Streamlit 1.67 retypes stand alone between spaces, as people type them.
TYPED = (
    "Fees -> up and grants <- down, the two <-> linked -- so dues >= 40 and <= 60, ~= 50 "
    '--- a != b, (c) the Club(tm)... "fair" isn\'t it'
)
TYPED_REPLY = "No -- costs <- grants, and 10 >= 9 <= 11 -> more ~= less..."
TOKEN = ("https://archive.example/" + "dues" * 40)[:150]  # not a space, hyphen or slash to break at
COMPOUND = "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft"
LONG = f"The minutes at {TOKEN} show the {COMPOUND} paid."
LONG_REPLY = f"They paid nothing: the {COMPOUND} was wound up, see {TOKEN} again."
AUTHOR = "Schatzmeisterin_des_Fussballvereins_Gruenweiss_1920"  # a handle: nowhere to wrap
LAST_WORD = "The archive itself says the Donaudampfschifffahrtsgesellschaft never existed."
START = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def write_typed_thread(store: Store) -> None:
    """One conversation, all of it in the Graph page's first map: the article's typed claim,
    supported by its long one and rebutted by both of a comment's claims, the long rebuttal
    rebutted again (a chain of two for Chains). Every claim is its quote: the text shown is
    what was typed."""
    tid = "t_typed"
    said = [f"{TYPED} {LONG}", f"{TYPED_REPLY} {LONG_REPLY}", LAST_WORD]
    thread = build_thread(
        tid,
        {"author": "Club", "text": said[0], "posted_at": START},
        [
            {"author": name, "text": said[i], "posted_at": START + timedelta(hours=i)}
            | {"parent_id": post_id(tid, i - 1)}
            for i, name in ((1, AUTHOR), (2, "Member 2"))
        ],
        title="Dues",
        source_format="csv",
    )
    pids = [post_id(tid, i) for i in range(3)]
    claims = [
        claim_in(pids[0], said[0], TYPED),
        claim_in(pids[0], said[0], LONG),
        claim_in(pids[1], said[1], TYPED_REPLY),
        claim_in(pids[1], said[1], LONG_REPLY),
        claim_in(pids[2], said[2], LAST_WORD),
    ]
    relations = [
        Relation(
            source=claims[s].id, target=claims[t].id, type=kind, confidence=0.9, extractor="test"
        )
        for s, t, kind in ((1, 0, "supports"), (2, 0, "rebuts"), (3, 0, "rebuts"), (4, 3, "rebuts"))
    ]
    write_thread(store, thread)
    write_extractions(store, pids, claims, relations, "test")
