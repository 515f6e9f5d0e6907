"""The offline extractor's explicit stance cues: which words disagree or agree, and a cued reply
rebutting or supporting the parent claim most like it.
"""

from __future__ import annotations

import pytest
from argmap.ingest.extract.stance import find_cues, stance
from offline_threads import by_post, claim_containing, make_thread, run


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
