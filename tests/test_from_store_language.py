"""``argmap review extract`` reads a thread in the language the store holds for it.

The first ingest told the thread's language once (``Thread.language``) and extracted with that
language's stance cues; a re-extraction from the store (``ingest.from_store``) used to tell it
again from the posts it read back. Here the text does not say (an English press release, two
short German replies: ``detect_language`` gives nothing), the caller told German, and the store
holds "de": the moved reply must be read with the German cues the first ingest used.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from argmap.graph import review_actions as act
from argmap.graph.store import Store
from argmap.graph.thread_languages import thread_languages
from argmap.ingest.extract import get_extractor
from argmap.ingest.from_store import extract_pending, stored_thread
from argmap.ingest.pipeline import IngestSummary, ingest_thread
from argmap.ingest.thread import prepare_thread
from thread_builder import build_thread, post_id

from argmap.core.languages import detect_language
from argmap.core.models import Thread

START = datetime(2024, 5, 1, 9, 0)
TID = "t_told_de"


def told_german() -> Thread:
    """An English article with German replies, the language told by the caller; the tree given."""
    comments = [
        ("Anna", "Die Bahn ist fast nie pünktlich.", 0),
        ("Bernd", "Das stimmt nicht, die Bahn ist meistens pünktlich.", 1),
    ]
    return build_thread(
        TID,
        {
            "author": "Press office",
            "posted_at": START,
            "text": "The railway will run a train every hour to Cologne from May, "
            "and it says the trains will be on time.",
        },
        [
            {
                "author": author,
                "posted_at": START + timedelta(minutes=10 * (i + 1)),
                "text": text,
                "parent_id": post_id(TID, parent),
            }
            for i, (author, text, parent) in enumerate(comments)
        ],
        title="Trains to Cologne",
        source_format="csv",
        reply_tree="source",
        language="de",
    )


def relations_from(store: Store, post: str) -> list[tuple[str, str, str]]:
    rows = store.run_read(
        "MATCH (:Post {id: $id})-[:MAKES]->(:Claim)-[r:REBUTS|SUPPORTS]->(:Claim)<-[:MAKES]-"
        "(t:Post) RETURN type(r) AS type, t.id AS target, r.rationale AS why ORDER BY type, target",
        {"id": post},
    )
    return [(r["type"], r["target"], r["why"]) for r in rows]


def test_a_reextraction_reads_the_thread_in_its_stored_language(store: Store) -> None:
    thread = told_german()
    assert detect_language([thread.title, *(p.text for p in thread.posts)]) is None
    extractor = get_extractor("offline")
    ingest_thread(store, prepare_thread(thread), extractor, IngestSummary.of(extractor))
    assert thread_languages(store, [TID]) == {TID: "de"}
    anna, bernd = post_id(TID, 1), post_id(TID, 2)
    # The first ingest read Bernd's "Das stimmt nicht" with the German cues: a rebuttal.
    (first,) = relations_from(store, bernd)
    assert first[:2] == ("REBUTS", anna) and "Das stimmt nicht" in first[2]

    # A reviewer moves Bernd's reply to the article and back: it waits for extraction again.
    act.set_parent(store, bernd, post_id(TID, 0), "Ann")
    act.set_parent(store, bernd, anna, "Ann")
    assert stored_thread(store, TID).language == "de"
    summary = extract_pending(store, extractor, [TID])
    assert summary.extracted_now == 1
    # Re-telling the language from the posts read back gave none, and English cues found no
    # stance in "Das stimmt nicht": the rebuttal was lost.
    assert relations_from(store, bernd) == [first]
