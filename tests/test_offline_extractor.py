"""The offline extractor: claims grounded in their posts, relations from stance cues and overlap,
and, for replies no cue decides, one low-confidence relation typed from weaker evidence.

Small threads are built by hand (with their reply tree) so each rule can be checked on its own; the
bundled sample checks the whole on real comments, and one test runs it through the ingest pipeline
into the real FalkorDB store.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from argmap.graph.export_json import export_json
from argmap.graph.store import Store
from argmap.ingest.extract import PostResult, get_extractor
from argmap.ingest.extract.grounding import locate_quote
from argmap.ingest.extract.offline import PROMPT_VERSION, OfflineExtractor
from argmap.ingest.extract.relations import INDIRECT_TARGET, UNMATCHED_ARTICLE
from argmap.ingest.extract.sentences import split_sentences
from argmap.ingest.extract.stance import find_cues, stance
from argmap.ingest.extract.weak_stance import (
    LOW_CONFIDENCE,
    MAX_CONFIDENCE,
    OBJECTION_PRIOR,
    UNCUED,
    UNTRUSTED,
    Evidence,
    gather,
    lean,
)
from argmap.ingest.pipeline import ingest
from argmap.ingest.sources import load_threads

from argmap.core.ids import claim_id, stable_id
from argmap.core.models import CANDIDATE_MAX_CONFIDENCE, Claim, Post, Thread

ROOT = Path(__file__).resolve().parent.parent

ARTICLE = (
    "Why the League keeps shrinking\n\n"
    "Weekly newspaper sales waste hours of every member's time and recruit almost nobody. "
    "Internal elections are never competitive because the leadership always runs a single slate. "
    "Meetings before meetings leave members exhausted and burned out within two years."
)


def make_thread(
    comments: list[tuple[str, str, int | None]], spam: frozenset[int] = frozenset()
) -> Thread:
    """A thread from ``(author, text, parent position)``; position 0 is the article."""
    tid = "t_offline_test"
    posts = [
        Post(
            id=stable_id("p", tid, 0),
            thread_id=tid,
            kind="article",
            author="Pat Writer",
            position=0,
            text=ARTICLE,
        )
    ]
    for i, (author, text, parent) in enumerate(comments, start=1):
        posts.append(
            Post(
                id=stable_id("p", tid, i),
                thread_id=tid,
                kind="comment",
                author=author,
                position=i,
                text=text,
                parent_id=posts[parent].id if parent is not None else posts[0].id,
                is_spam=i in spam,
            )
        )
    return Thread(
        id=tid,
        title="Why the League keeps shrinking",
        source_format="test",
        posts=posts,
        reply_tree="source",
    )


def run(thread: Thread, done: dict[str, list[Claim]] | None = None) -> list[PostResult]:
    return list(OfflineExtractor().extract(thread, done or {}))


def by_post(results: list[PostResult]) -> dict[str, PostResult]:
    return {r.post_id: r for r in results}


def claim_containing(result: PostResult, words: str) -> Claim:
    matches = [c for c in result.claims if words in c.quote]
    assert len(matches) == 1, (words, [c.quote for c in result.claims])
    return matches[0]


def assert_grounded(thread: Thread, results: list[PostResult]) -> None:
    posts = {p.id: p for p in thread.posts}
    for r in results:
        text = posts[r.post_id].text
        for c in r.claims:
            assert c.post_id == r.post_id
            assert c.quote == text[c.start : c.end]
            assert locate_quote(text, c.quote, c.start) == (c.start, c.end)
            assert c.id == claim_id(r.post_id, c.start, c.end)
            assert c.extractor == "offline" and c.prompt_version == PROMPT_VERSION
            assert 0 < len(c.text) <= 201


# -- sentences and cues ---------------------------------------------------------------------


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


@pytest.mark.parametrize(
    ("sentence", "sign"),
    [
        ("I disagree, that is simply wrong.", -1),
        ("I don't agree with any of this.", -1),
        ("That's not exactly how it went.", -1),
        ("No, the paper sells itself.", -1),
        ("I agree with you about the slate.", 1),
        ("I admit being wrong on that one, I misread the form.", 1),
        ("Exactly, and the numbers prove it.", 1),
        ("I heartily agree that paper sales are ridiculous.", 1),
        ("Please correct me if I am wrong, the branch met on Fridays.", 0),
        ("No matter what way you look at it, the branch met on Fridays.", 0),
        ("The disagreement started about whether we could meet.", 0),
    ],
)
def test_stance_cues(sentence: str, sign: int) -> None:
    net = stance(find_cues(sentence))
    assert (net > 0) - (net < 0) == sign, (sentence, find_cues(sentence))


# -- claims and relations on small threads ---------------------------------------------------


def test_disagreeing_reply_rebuts_the_most_similar_parent_claim() -> None:
    thread = make_thread(
        [
            (
                "Ann",
                "I disagree, the claim that newspaper sales waste time is wrong because paper "
                "sales put members in front of thousands of workers every week.",
                None,
            ),
        ]
    )
    results = by_post(run(thread))
    article, reply = results[thread.posts[0].id], results[thread.posts[1].id]
    [rel] = reply.relations
    assert rel.type == "rebuts"
    assert rel.target == claim_containing(article, "newspaper sales").id
    assert rel.source in {c.id for c in reply.claims}
    assert "I disagree" in rel.rationale and 0.5 <= rel.confidence <= 0.95


def test_agreeing_reply_to_a_comment_supports_that_comment() -> None:
    thread = make_thread(
        [
            (
                "Ann",
                "The slate system is the real problem here. Competitive elections would let "
                "members replace a leadership that never changes.",
                None,
            ),
            (
                "Bob",
                "I agree, a leadership that never changes cannot learn from its mistakes, and "
                "competitive elections are the only cure.",
                1,
            ),
        ]
    )
    results = by_post(run(thread))
    parent, reply = results[thread.posts[1].id], results[thread.posts[2].id]
    assert reply.relations and {r.type for r in reply.relations} == {"supports"}
    assert reply.relations[0].target == claim_containing(parent, "Competitive elections").id
    assert "agree" in reply.relations[0].rationale


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


def test_spam_and_done_posts_are_skipped_and_done_claims_are_targets() -> None:
    thread = make_thread(
        [
            (
                "Ann",
                "The slate system is the real problem and competitive elections would fix it.",
                None,
            ),
            (
                "cheap pills",
                "Buy cheap pills online today at our great store, best prices guaranteed.",
                None,
            ),
            (
                "Bob",
                "I disagree: competitive elections would not fix the slate system at all, "
                "because members never stand against the leaders.",
                1,
            ),
        ],
        spam=frozenset({2}),
    )
    first = by_post(run(thread))
    assert thread.posts[2].id not in first  # spam
    done = {p.id: first[p.id].claims for p in thread.posts[:2]}  # article and Ann already extracted
    second = run(thread, done)
    assert [r.post_id for r in second] == [thread.posts[3].id]
    [rel] = second[0].relations
    assert rel.type == "rebuts"
    assert rel.target in {c.id for c in done[thread.posts[1].id]}


def test_parents_are_extracted_before_children_whatever_the_document_order() -> None:
    thread = make_thread(
        [
            ("Ann", "Paper sales recruit nobody and burn members out within a year.", None),
            ("Bob", "I agree that paper sales burn members out, I quit after one year of them.", 1),
        ]
    )
    # Put the reply before its parent in the document: the extractor must still see the parent first.
    posts = [thread.posts[0], thread.posts[2], thread.posts[1]]
    reordered = thread.model_copy(update={"posts": posts})
    results = run(reordered)
    order = [r.post_id for r in results]
    assert order == [thread.posts[0].id, thread.posts[1].id, thread.posts[2].id]
    parent_claims = {c.id for c in results[1].claims}
    assert results[2].relations and results[2].relations[0].target in parent_claims


def test_reply_cycles_and_self_replies_still_yield_every_post_once() -> None:
    thread = make_thread(
        [
            ("Ann", "I disagree, paper sales recruit plenty of members every single week.", None),
            (
                "Bob",
                "I disagree, paper sales recruit nobody and waste every member's weekend.",
                None,
            ),
            ("Cy", "I agree that paper sales waste every member's weekend for nothing.", None),
        ]
    )
    a, b, c = thread.posts[1:]
    broken = thread.model_copy(
        update={
            "posts": [
                thread.posts[0],
                a.model_copy(update={"parent_id": b.id}),
                b.model_copy(update={"parent_id": a.id}),
                c.model_copy(update={"parent_id": c.id}),
            ]
        }
    )
    results = run(broken)
    assert sorted(r.post_id for r in results) == sorted(p.id for p in thread.posts)
    for r in results:
        own = {cl.id for cl in r.claims}
        assert not any(rel.target in own for rel in r.relations)


# -- replies no cue decides -----------------------------------------------------------------------

SLATE_PARENT = (
    "Ann",
    "Paper sales are a ritual that nobody enjoys. Branch committees decide everything behind closed "
    "doors without asking the members. The slate system keeps the same leaders in charge forever.",
    None,
)


def _reply_to_slate(text: str) -> tuple[Thread, PostResult, PostResult]:
    thread = make_thread([SLATE_PARENT, ("Bob", text, 1)])
    assert not any(find_cues(s) for s in text.split(". ")), "the reply must carry no explicit cue"
    results = by_post(run(thread))
    return thread, results[thread.posts[1].id], results[thread.posts[2].id]


def test_an_uncued_reply_gets_one_low_confidence_relation_to_its_parents_most_similar_claim() -> (
    None
):
    _, parent, reply = _reply_to_slate(
        "Sadly true, the slate system kept the same leaders in charge of our district for twenty "
        "years running. Our branch met on Fridays in the old union hall downtown."
    )
    assert len(parent.claims) == 3 and len(reply.claims) == 2
    [rel] = reply.relations
    assert rel.source == reply.claims[0].id  # the lead claim: the reply's opening sentence
    assert rel.target == claim_containing(parent, "slate system").id  # not the parent's first claim
    assert LOW_CONFIDENCE <= rel.confidence <= MAX_CONFIDENCE and not rel.candidate
    assert rel.rationale.startswith(UNCUED) and "praise 'sadly true'" in rel.rationale


@pytest.mark.parametrize(
    ("reply", "kind", "evidence"),
    [
        (
            "This rings true, the slate system kept the same old leaders in charge of our district for "
            "ages.",
            "supports",
            "praise 'rings true'",
        ),
        (
            "Not only that: the same leaders also pick every district organizer in the country "
            "themselves.",
            "supports",
            "piles on 'not only that'",
        ),
        (
            "Leaders in our district were never the same people for long, they rotated.",
            "rebuts",
            "negation near 'leaders'",
        ),
        (
            "I have a different take on the leaders of our district, they were picked in open "
            "contests.",
            "rebuts",
            "dissent 'a different take'",
        ),
        (
            "You should visit a district convention before writing about the leaders of the "
            "organization.",
            "rebuts",
            "'you should'",
        ),
        (
            "Leaders rotate after two terms in our district. Which district keeps the same leaders in "
            "charge?",
            "rebuts",
            "questions the target",
        ),
        (
            "Our district had contested elections for leaders every year in the nineties. Got it.",
            "rebuts",
            "sarcasm 'got it'",
        ),
    ],
)
def test_weak_evidence_decides_the_type_of_an_uncued_relation(
    reply: str, kind: str, evidence: str
) -> None:
    _, parent, result = _reply_to_slate(reply)
    [rel] = result.relations
    assert rel.type == kind and evidence in rel.rationale, rel.rationale
    assert rel.rationale.startswith(UNCUED) and rel.rationale.endswith(f"→ {kind}")
    assert rel.target in {c.id for c in parent.claims}
    assert LOW_CONFIDENCE <= rel.confidence <= MAX_CONFIDENCE


@pytest.mark.parametrize(
    ("reply", "family"),
    [
        (
            "Moreover, the slate system kept the same old leaders in charge of our district for "
            "twenty years.",
            "additive",
        ),
        (
            "Our district elected its leaders in open contested votes every single spring, although "
            "turnout was low.",
            "contrast",
        ),
        (
            "The slate system has kept the very same leaders in charge of our branch for years.",
            "restates",
        ),
    ],
)
def test_signals_no_better_than_the_prior_are_no_evidence(reply: str, family: str) -> None:
    # Measured on the dev set's tune debate (bench/stance_signals.py), these point their way no
    # more often than the base rate: found, but they neither type nor store the relation.
    assert family in UNTRUSTED
    opening = [reply]
    everything = gather(opening, reply, 0.5, SLATE_PARENT[1], ["slate", "leader"], untrusted=())
    assert family in {e.family for e in everything}
    assert family not in {e.family for e in gather(opening, reply, 0.5, SLATE_PARENT[1], [])}
    _, _, result = _reply_to_slate(reply)
    [guess] = result.relations
    assert guess.candidate and guess.type == "rebuts", guess.rationale


def test_a_reply_with_no_evidence_in_its_text_gets_only_a_hidden_candidate() -> None:
    # Only the objection prior would call it a rebuttal: the guess is kept apart, as a candidate
    # below every stored relation's confidence, towards the parent's claim.
    _, parent, result = _reply_to_slate(
        "Our branch met on Fridays in the old union hall downtown for many years."
    )
    assert parent.claims and result.claims
    assert [r for r in result.relations if not r.candidate] == []
    [guess] = result.relations
    assert guess.candidate and guess.confidence < CANDIDATE_MAX_CONFIDENCE < LOW_CONFIDENCE
    assert guess.target in {c.id for c in parent.claims} and guess.type == "rebuts"


@pytest.mark.parametrize("share", [None, 0.9, 0.2])
def test_weak_evidence_is_stored_however_sure_the_rebuilt_parent(share: float | None) -> None:
    # The same weakly cued reply is stored whether its parent is given (None) or rebuilt, surely
    # or not: hiding relations towards unsure parents cost the sample more rebuttals than wrong
    # ones it saved (bench/README.md, issue 16 third session).
    thread = make_thread(
        [
            SLATE_PARENT,
            (
                "Bob",
                "Our district elected its leaders in open contested votes every single spring, "
                "a different story.",
                1,
            ),
        ]
    )
    posts = list(thread.posts)
    posts[2] = posts[2].model_copy(update={"parent_confidence": share})
    result = by_post(run(thread.model_copy(update={"posts": posts})))[posts[2].id]
    [rel] = result.relations
    assert rel.type == "rebuts" and "dissent 'a different story'" in rel.rationale
    assert not rel.candidate
    assert LOW_CONFIDENCE <= rel.confidence <= MAX_CONFIDENCE


def test_balanced_or_no_evidence_is_read_as_an_objection_at_the_lowest_confidence() -> None:
    assert lean([]).type == "rebuts" and lean([]).confidence == LOW_CONFIDENCE
    assert lean([]).by_prior
    balanced = lean([Evidence("contrastive 'but'", -0.5), Evidence("additive 'also'", 0.5)])
    assert balanced.type == "rebuts" and balanced.confidence == LOW_CONFIDENCE
    assert "balanced" in balanced.rationale and balanced.by_prior
    assert not lean([Evidence("contrastive 'but'", -0.5)]).by_prior
    # The prior only breaks ties: support evidence stronger than it wins, a little more surely
    # the more there is, never above the un-cued ceiling.
    assert lean([Evidence("faint", -OBJECTION_PRIOR)]).type == "rebuts"
    some = lean([Evidence("praise 'thanks'", 1.0)])
    more = lean(
        [
            Evidence("praise 'thanks'", 1.0),
            Evidence("additive 'also'", 0.5),
            Evidence("restates", 0.75),
            Evidence("own claim", 1.0),
        ]
    )
    assert some.type == more.type == "supports"
    assert LOW_CONFIDENCE < some.confidence < more.confidence == MAX_CONFIDENCE


def test_a_reply_with_no_claims_gets_no_relation() -> None:
    thread = make_thread([SLATE_PARENT, ("Bob", "Ugh. What?", 1), ("Cy", "lol", 2)])
    results = by_post(run(thread))
    for post in thread.posts[2:]:
        assert results[post.id].claims == [] and results[post.id].relations == []


def test_a_terse_reply_keeps_its_short_sentence_as_its_claim_and_gets_a_stance() -> None:
    # "Leaders should rotate." is under the claim length floor; being all the post says, it is
    # its claim, and its reply answers it rather than the article. A greeting stays no claim.
    thread = make_thread(
        [
            SLATE_PARENT,
            ("Bob", "Leaders should rotate every year.", 1),
            ("Cy", "Rotation would never work in a branch this small, nobody would stand.", 2),
            ("Dee", "Thanks for this, Bob.", 2),
        ]
    )
    results = by_post(run(thread))
    bob, cy, dee = (results[p.id] for p in thread.posts[2:])
    assert [c.quote for c in bob.claims] == ["Leaders should rotate every year."]
    assert bob.relations and bob.relations[0].target in {
        c.id for c in results[thread.posts[1].id].claims
    }
    assert cy.relations and cy.relations[0].target == bob.claims[0].id
    assert dee.claims == [] and dee.relations == []


def test_a_reply_under_claimless_posts_answers_the_nearest_ancestor_with_claims() -> None:
    thread = make_thread(
        [
            SLATE_PARENT,
            ("Bob", "Why?", 1),
            ("Cy", "Really?", 2),
            ("Dee", "Huh?", 3),
            (
                "Eve",
                "The slate system kept the same leaders in charge of our district for twenty years "
                "running.",
                4,
            ),
        ]
    )
    results = by_post(run(thread))
    assert not any(results[p.id].claims for p in thread.posts[2:5])
    [rel] = results[thread.posts[5].id].relations  # four posts up, past the three nearest
    assert rel.target == claim_containing(results[thread.posts[1].id], "slate system").id
    assert rel.rationale.startswith(UNCUED)


def test_weak_evidence_towards_a_post_above_a_claimless_parent_is_only_a_candidate() -> None:
    # The parent only asks: the reply's target is a guess further up. Weak words keep it hidden
    # (a cue-based relation there already needs stronger cues); an explicit cue still stores it.
    weak, cued = (
        make_thread(
            [
                SLATE_PARENT,
                ("Bob", "Which district do you mean?", 1),
                ("Cy", text, 2),
            ]
        )
        for text in (
            "Our district elected its leaders in open contested votes every single spring, "
            "a different story.",
            "I strongly disagree, that is simply false: the slate system never kept the same "
            "leaders in charge of our district.",
        )
    )
    results = by_post(run(weak))
    assert not results[weak.posts[2].id].claims
    [rel] = results[weak.posts[3].id].relations
    assert rel.target in {c.id for c in results[weak.posts[1].id].claims}
    assert rel.candidate and rel.type == "rebuts" and rel.rationale.endswith(INDIRECT_TARGET)
    results = by_post(run(cued))
    stored = [r for r in results[cued.posts[3].id].relations if not r.candidate]
    assert stored and stored[0].type == "rebuts"
    assert not stored[0].rationale.startswith(UNCUED)


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        # Shares words with one of the article's claims: that claim is its target, stored.
        ("Our weekly newspaper sales recruit members every month, a different story.", True),
        # Shares none: the article's lead claim would be a guess among its many claims.
        ("My cousin joined a union choir in Leeds last spring, a different story.", False),
    ],
)
def test_weak_evidence_towards_an_article_claim_it_shares_no_words_with_is_only_a_candidate(
    text: str, stored: bool
) -> None:
    thread = make_thread([("Bob", text, None)])
    results = by_post(run(thread))
    [rel] = results[thread.posts[1].id].relations
    assert rel.rationale.startswith(UNCUED) and "dissent 'a different story'" in rel.rationale
    assert rel.target in {c.id for c in results[thread.posts[0].id].claims}
    assert rel.candidate is not stored
    assert rel.rationale.endswith(UNMATCHED_ARTICLE) is not stored


def test_a_reply_defending_its_authors_own_claim_supports_it() -> None:
    thread = make_thread(
        [
            SLATE_PARENT,
            ("Bob", "Which leaders?", 1),
            (
                "Ann",
                "The same three leaders have run the slate system in our district since the "
                "nineties.",
                2,
            ),
        ]
    )
    results = by_post(run(thread))
    [rel] = results[thread.posts[3].id].relations
    assert rel.target in {c.id for c in results[thread.posts[1].id].claims}
    assert rel.type == "supports" and "own earlier claim" in rel.rationale


def test_cue_based_confidences_stay_above_every_uncued_one(sample_path: Path) -> None:
    [thread] = load_threads(sample_path)
    everything = [rel for r in run(thread) for rel in r.relations]
    relations = [rel for rel in everything if not rel.candidate]
    # Hidden candidates sit below every stored relation.
    guesses = [rel.confidence for rel in everything if rel.candidate]
    assert guesses and max(guesses) < CANDIDATE_MAX_CONFIDENCE < LOW_CONFIDENCE
    uncued = [rel.confidence for rel in relations if rel.rationale.startswith(UNCUED)]
    cued = [rel.confidence for rel in relations if not rel.rationale.startswith(UNCUED)]
    assert uncued and cued
    assert min(cued) > MAX_CONFIDENCE >= max(uncued) and min(uncued) >= LOW_CONFIDENCE
    # On the small threads too: an explicit cue always outranks weak evidence.
    thread = make_thread(
        [SLATE_PARENT, ("Bob", "I disagree, our district rotates its leaders.", 1)]
    )
    [rel] = by_post(run(thread))[thread.posts[2].id].relations
    assert not rel.rationale.startswith(UNCUED) and rel.confidence > MAX_CONFIDENCE


def test_relations_only_join_existing_claims_of_other_posts(sample_path: Path) -> None:
    [thread] = load_threads(sample_path)
    results = run(thread)
    owner = {c.id: r.post_id for r in results for c in r.claims}
    seen: set[str] = set()
    for r in results:
        assert len(r.relations) <= OfflineExtractor().max_relations
        assert len({rel.source for rel in r.relations}) == len(r.relations)
        for rel in r.relations:
            assert owner[rel.source] == r.post_id
            assert rel.target in owner and owner[rel.target] in seen  # an earlier post's claim
            assert owner[rel.target] != r.post_id
            assert 0.0 <= rel.confidence <= 1.0 and rel.rationale
        seen.add(r.post_id)


# -- the bundled sample ------------------------------------------------------------------------


def test_sample_counts_are_plausible_and_every_quote_is_grounded(sample_path: Path) -> None:
    [thread] = load_threads(sample_path)
    results = run(thread)
    assert_grounded(thread, results)
    live = [p for p in thread.posts if not p.is_spam]
    assert [r.post_id for r in results] == [p.id for p in live]  # one result each, document order
    found = by_post(results)
    article = found[thread.article.id]
    assert 10 <= len(article.claims) <= 25
    assert all(len(found[p.id].claims) <= 5 for p in live[1:])
    claims = sum(len(r.claims) for r in results)
    assert 2 * len(live) <= claims <= 5 * len(live)
    assert sum(bool(r.claims) for r in results) >= 0.8 * len(live)
    relations = [rel for r in results for rel in r.relations if not rel.candidate]
    cued = [rel for rel in relations if not rel.rationale.startswith(UNCUED)]
    uncued = [rel for rel in relations if rel.rationale.startswith(UNCUED)]
    # The cues alone find a fair number of each type (as before weak evidence was added) ...
    assert sum(rel.type == "rebuts" for rel in cued) >= 15
    assert sum(rel.type == "supports" for rel in cued) >= 10
    # ... a reply without claims answers nothing, and no rebuttal rests on the prior alone ...
    assert not any(r.relations for r in results if not r.claims)
    assert not any("read as an objection" in rel.rationale for rel in uncued)
    # ... and still, a stored relation for a large share of the replies (81 of 172 on the sample
    # once untrusted signals and guessed targets stopped storing one).
    assert sum(
        any(not x.candidate for x in r.relations) for r in results[1:] if r.claims
    ) >= 0.4 * (len(live) - 1)
    # What the prior alone decides is kept only as a hidden candidate, and so is weak evidence
    # towards a target that is itself a guess (a post above a claimless one, the article's lead
    # claim for want of shared words).
    guesses = [rel for r in results for rel in r.relations if rel.candidate]
    doubts = ("read as an objection", INDIRECT_TARGET, UNMATCHED_ARTICLE)
    assert guesses and all(any(d in rel.rationale for d in doubts) for rel in guesses)
    assert any(UNMATCHED_ARTICLE in rel.rationale for rel in guesses)
    # ... and weak evidence finds endorsements too: not every un-cued reply falls to the prior
    # (a fifth at least stores a relation; the rest are hidden guesses).
    assert len(uncued) >= 0.2 * (len(live) - 1)
    assert sum(rel.type == "supports" for rel in uncued) >= 10


def _dump(results: list[PostResult]) -> str:
    return json.dumps([r.model_dump() for r in results], sort_keys=True)


def test_output_is_deterministic_across_runs_and_processes(sample_path: Path) -> None:
    [thread] = load_threads(sample_path)
    here = _dump(run(thread))
    assert here == _dump(run(thread))
    script = (
        "import json, sys; from argmap.core.models import Thread; "
        "from argmap.ingest.extract.offline import OfflineExtractor; "
        "t = Thread.model_validate_json(sys.stdin.read()); "
        "print(json.dumps([r.model_dump() for r in OfflineExtractor().extract(t, {})], sort_keys=True))"
    )
    for seed in ("1", "2"):  # string hashing differs per seed: set order must not leak out
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            check=True,
            input=thread.model_dump_json(),
            capture_output=True,
            text=True,
        ).stdout
        assert out.strip() == here


# -- through the pipeline into the real store ---------------------------------------------------


def _graph_counts(store: Store) -> dict[str, int]:
    return {
        "claims": store.run_read("MATCH (:Post)-[:MAKES]->(c:Claim) RETURN count(c) AS n")[0]["n"],
        "rebuts": store.run_read("MATCH (:Claim)-[r:REBUTS]->(:Claim) RETURN count(r) AS n")[0][
            "n"
        ],
        "supports": store.run_read("MATCH (:Claim)-[r:SUPPORTS]->(:Claim) RETURN count(r) AS n")[0][
            "n"
        ],
        # Hidden candidates have their own edge type: no REBUTS/SUPPORTS query meets them.
        "candidates": store.run_read("MATCH (:Claim)-[r:CANDIDATE]->(:Claim) RETURN count(r) AS n")[
            0
        ]["n"],
    }


def test_ingest_sample_offline_into_the_store_and_reingest_changes_nothing(
    store: Store, sample_path: Path
) -> None:
    [thread] = load_threads(sample_path)
    direct = run(thread)
    expected = {
        "claims": sum(len(r.claims) for r in direct),
        "rebuts": sum(
            rel.type == "rebuts" and not rel.candidate for r in direct for rel in r.relations
        ),
        "supports": sum(
            rel.type == "supports" and not rel.candidate for r in direct for rel in r.relations
        ),
        "candidates": sum(rel.candidate for r in direct for rel in r.relations),
    }
    summary = ingest(sample_path, store, extractor=get_extractor("offline"))
    assert summary.extractor == "offline" and summary.pending == 0 and summary.dropped_claims == 0
    assert _graph_counts(store) == expected and expected["candidates"] > 0
    assert len(export_json(store)["candidates"]) == expected["candidates"]
    assert summary.claims == expected["claims"]
    assert summary.relations == expected["rebuts"] + expected["supports"]

    rows = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(c:Claim) RETURN p.text AS text, c.quote AS quote, "
        "c.start AS start, c.end AS end, c.extractor AS extractor"
    )
    assert rows and all(r["text"][r["start"] : r["end"]] == r["quote"] for r in rows)
    assert {r["extractor"] for r in rows} == {"offline"}

    again = ingest(sample_path, store, extractor="offline")
    assert again.extracted_now == 0 and again.to_extract == 0
    assert _graph_counts(store) == expected
