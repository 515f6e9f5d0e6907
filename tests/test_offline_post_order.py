"""The order the offline extractor works in: spam and already-extracted posts skipped (their
claims still targets), parents before children whatever the document order, and reply cycles
or self-replies still yielding every post once.
"""

from __future__ import annotations

from offline_threads import by_post, make_thread, run


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
