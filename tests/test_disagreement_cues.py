"""Discourse markers of disagreement (``ingest/extract/disagreement.py``): each family fires on a
sentence that disagrees and stays quiet on a near miss (negation scope, someone else's words in
quotation marks, "no doubt", "not only ... but also"); a trusted family alone makes an un-cued
reply a stored rebuttal, an untrusted one does not."""

from __future__ import annotations

import pytest
from argmap.ingest.extract import disagreement
from argmap.ingest.extract.claims import is_question
from argmap.ingest.extract.offline import OfflineExtractor
from argmap.ingest.extract.relations import UNMATCHED_ARTICLE
from argmap.ingest.extract.stance import normalise
from argmap.ingest.extract.weak_stance import UNTRUSTED, gather, lean
from thread_builder import build_thread, post_id

from argmap.core.models import Thread


def families(*sentences: str) -> set[str]:
    return {family for family, _ in disagreement.find([normalise(s) for s in sentences])}


# (family, a reply that disagrees, a near miss that must not fire)
CASES = [
    ("flat_denial", "Not really.", "It is not really about the money."),
    ("flat_denial", "Not if the rent doubles.", "Not only that, the rent doubled."),
    ("flat_denial", "Says who?", "He says who will come tomorrow."),
    ("counter_opener", "Except that it was never tried.", "Everyone except the mayor voted."),
    ("counter_opener", "If anything, the branch grew.", "Tell me if anything changes."),
    ("counter_opener", "Believe it or not, sales rose.", "I believe it was raining."),
    ("reframe", "The point is that nobody reads it.", "What is the point of voting?"),
    ("reframe", "It's not about the paper.", "It's about the paper, and I like it."),
    ("premise_attack", "This ignores the cost of rent.", 'He wrote "this ignores the cost".'),
    ("premise_attack", "That is a false dichotomy.", "That is a false start, sadly."),
    ("premise_attack", "You are conflating two things.", "We combined two things."),
    ("reductio", "By that logic, every car should be banned.", "The logic of that is sound."),
    ("reductio", "It is a slippery slope.", "The slope was slippery after rain."),
    ("counter_example", "Tell that to the tenants who were evicted.", "Tell me more about that."),
    ("counter_example", "There are plenty of cheap flats.", "There are two of them left."),
    ("nothing_wrong", "There's nothing sinister about this.", "Nothing could be better."),
    ("nothing_wrong", "I see nothing wrong with selling it.", "I see the point of selling it."),
    ("concession", "That may be so, but the law says otherwise.", "That may have been late."),
    ("concession", "Your plan is good, but nobody will fund it.", "It is good but also cheap."),
    ("concession", "It may not be perfect, but it works.", "It may be perfect for us."),
    ("you_negated", "You're not listening to the members.", "You're not wrong about that."),
    ("you_negated", "You aren't a member anyway.", "You're not alone in this."),
    ("negative_evaluation", "That is a naive reading of the law.", "I was naive about it once."),
    ("negative_evaluation", "The risk is wildly exaggerated.", "The risk is wildly uneven."),
    ("scepticism", "Don't hold your breath.", "Hold your breath under water."),
    ("scepticism", "That is wishful thinking.", "No doubt she was thinking of it."),
    ("scepticism", "That's a bit of a stretch.", "We walked a stretch of the road."),
    ("rhetorical", "How is that any different?", "How is the new hall heated?"),
]


@pytest.mark.parametrize(("family", "fires", "near_miss"), CASES)
def test_each_family_fires_on_disagreement_and_not_on_its_near_miss(
    family: str, fires: str, near_miss: str
) -> None:
    assert family in families(fires)
    assert family not in families(near_miss)


def test_every_family_has_a_case() -> None:
    assert {family for family, _, _ in CASES} == set(disagreement.FAMILIES)


def test_openers_count_only_as_the_first_sentence() -> None:
    assert "flat_denial" in families("Not really.", "The branch grew.")
    assert "flat_denial" not in families("The branch grew.", "Not really.")


def test_quoted_markers_are_someone_elses_words() -> None:
    assert families('"Tell that to the tenants," she said, and the flats were sold.') == set()
    assert "counter_example" in families("Tell that to the tenants, she said.")


def test_a_trusted_family_alone_decides_rebuts_and_an_untrusted_one_does_not() -> None:
    opening = ["By that logic, every union should close its doors."]
    evidence = gather(opening, opening[0], 0.0, "Unions should stop selling papers.", set())
    assert [e.family for e in evidence] == ["reductio"]
    leaning = lean(evidence)
    assert leaning.type == "rebuts" and not leaning.by_prior
    assert "rhetorical" in UNTRUSTED
    asked = ["How is that any different from a tax?"]
    evidence = gather(asked, asked[0], 0.0, "Dues pay for the hall.", set())
    assert all(e.family != "rhetorical" for e in evidence)
    assert lean(evidence).by_prior  # no evidence left: only the prior would say rebuts


ARTICLE = (
    "Why the League keeps shrinking\n\n"
    "Weekly newspaper sales waste hours of every member's time and recruit almost nobody. "
    "Internal elections are never competitive because the leadership always runs a single slate."
)


def _thread(comments: list[tuple[str, int | None]]) -> Thread:
    tid = "t_disagreement_test"
    return build_thread(
        tid,
        {"author": "Pat", "text": ARTICLE},
        [
            {
                "author": f"Reader {i}",
                "text": text,
                "parent_id": post_id(tid, parent if parent is not None else 0),
            }
            for i, (text, parent) in enumerate(comments, start=1)
        ],
        title="t",
        source_format="test",
        reply_tree="source",
    )


def test_an_uncued_reply_with_a_marker_is_a_stored_rebuttal_of_its_parent() -> None:
    thread = _thread(
        [
            ("Paper sales bring new members into every branch we have ever had.", 0),
            ("If anything, our branch sold more papers each year and lost its members.", 1),
        ]
    )
    results = {r.post_id: r for r in OfflineExtractor().extract(thread, {})}
    [rel] = results[thread.posts[2].id].relations
    assert rel.type == "rebuts" and not rel.candidate
    assert "counter opener 'if anything'" in rel.rationale
    assert rel.target in {c.id for c in results[thread.posts[1].id].claims}


def test_a_reply_that_only_asks_has_its_question_as_its_claim() -> None:
    question = "So why did the branch buy those newspaper shares in the first place?"
    assert is_question(question)
    thread = _thread(
        [
            ("Paper sales bring new members into every branch we have had.", 0),
            (question, 1),
            ("Hi!", 1),
        ]
    )
    results = {r.post_id: r for r in OfflineExtractor().extract(thread, {})}
    [claim] = results[thread.posts[2].id].claims
    assert claim.quote == question
    assert results[thread.posts[3].id].claims == []  # a greeting is still no claim


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        # Says "you": it answers the article's writer, whose lead claim is its target.
        ("You keep telling cousins in Leeds about choirs, a different story.", True),
        # Does not: with no shared words the lead claim is a guess among the article's claims.
        ("My cousin joined a union choir in Leeds last spring, a different story.", False),
    ],
)
def test_a_top_level_comment_saying_you_answers_the_article(text: str, stored: bool) -> None:
    thread = _thread([(text, None)])
    results = {r.post_id: r for r in OfflineExtractor().extract(thread, {})}
    [rel] = results[thread.posts[1].id].relations
    assert rel.candidate is not stored
    assert (UNMATCHED_ARTICLE in rel.rationale) is not stored
