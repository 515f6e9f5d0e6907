"""Replies no cue decides, their target: no claims no relation, a terse reply's one sentence as
its claim, the nearest ancestor with claims, guessed targets (above a claimless parent, an
article claim sharing no words) only as candidates, and a reply defending its author's claim.
"""

from __future__ import annotations

import pytest
from argmap.ingest.extract.relations import INDIRECT_TARGET, UNMATCHED_ARTICLE
from argmap.ingest.extract.weak_stance import UNCUED
from offline_threads import SLATE_PARENT, by_post, claim_containing, make_thread, run


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
