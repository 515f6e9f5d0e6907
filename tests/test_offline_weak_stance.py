"""Replies no cue decides, their stance: one low-confidence relation typed from weaker evidence
(praise, piling on, negation, dissent, questions, sarcasm), untrusted signals and the objection
prior kept as hidden candidates, and every cued confidence above every un-cued one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from argmap.ingest.extract import PostResult
from argmap.ingest.extract.stance import find_cues
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
from argmap.ingest.sources import load_threads
from offline_threads import SLATE_PARENT, by_post, claim_containing, make_thread, run

from argmap.core.models import CANDIDATE_MAX_CONFIDENCE, Thread


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
