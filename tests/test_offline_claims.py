"""The offline extractor's claims: sentences split whole (abbreviations, lists, quotes, links),
greetings, questions and fragments left out, a run-on sentence cut at a clause, and a reply's
quotation of its parent not claimed as its own.
"""

from __future__ import annotations

from argmap.ingest.extract.sentences import split_sentences
from offline_threads import assert_grounded, by_post, claim_containing, make_thread, run


def test_sentences_keep_abbreviations_lists_quotes_and_links_whole() -> None:
    text = (
        "I don't think the U.S. SWP did that, e.g. in 2001... and nobody asked. "
        "He said “Stop.” Then he left… Really? See http://example.org/a.b?p=1 for more.\n"
        "  1. First point here.\n2) Second point"
    )
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == [
        "I don't think the U.S. SWP did that, e.g. in 2001... and nobody asked.",
        "He said “Stop.”",
        "Then he left…",
        "Really?",
        "See http://example.org/a.b?p=1 for more.",
        "First point here.",
        "Second point",
    ]


def test_reply_that_quotes_its_parent_does_not_claim_the_quoted_words() -> None:
    quoted = "Weekly newspaper sales waste hours of every member's time and recruit almost nobody."
    thread = make_thread(
        [
            (
                "Cy",
                f"“{quoted}”\n\nNonsense. Our branch recruited twelve people at paper sales "
                "last spring, more than at any meeting.",
                None,
            ),
        ]
    )
    results = by_post(run(thread))
    reply = results[thread.posts[1].id]
    text = thread.posts[1].text
    quote_end = text.index("”") + 1
    assert reply.claims and all(c.start >= quote_end for c in reply.claims)
    [rel] = reply.relations
    assert rel.type == "rebuts"
    assert rel.target == claim_containing(results[thread.posts[0].id], "newspaper sales").id
    assert "quotes the target" in rel.rationale


def test_greetings_questions_and_fragments_are_not_claims() -> None:
    thread = make_thread(
        [
            (
                "Dee",
                "Hi all! Great post. What branch are you in now? Ugh. "
                "Burnout happens because the meeting schedule never lets members rest.",
                None,
            ),
        ]
    )
    [claim] = by_post(run(thread))[thread.posts[1].id].claims
    assert claim.quote.startswith("Burnout happens")


def test_a_run_on_sentence_is_quoted_up_to_a_clause_boundary() -> None:
    clause = "the branch meets twice a week and sells papers on Saturday mornings"
    text = "I think " + ", and ".join([clause] * 12) + "."
    thread = make_thread([("Eve", text, None)])
    results = run(thread)
    assert_grounded(thread, results)
    [claim] = by_post(results)[thread.posts[1].id].claims
    assert claim.start == 0 and 100 < len(claim.quote) <= 400
    assert claim.quote.endswith("Saturday mornings")  # cut after a clause, not mid-word
    assert len(claim.text) <= 201
