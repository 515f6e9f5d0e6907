"""graph.overview: the dashboard's aggregates, on a small debate whose numbers follow from how it
is built, on both stores, and on the bundled sample checked against the parser's own output."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from argmap.graph import counts, overview, queries
from argmap.graph.review_posts import set_parent
from argmap.graph.store import Store
from argmap.graph.writes import write_extractions, write_thread
from argument_graphs import write_debate

from argmap.core.ids import claim_id, stable_id
from argmap.core.models import Claim, Post, Relation, Thread

# Comment text that would do harm if any page rendered it as HTML or Markdown.
NASTY = (
    "<script>alert('pwned')</script><img src=x onerror=alert(1)> "
    "![pixel](http://evil.example/p.png) [click](javascript:alert(1)) $x^2$ :red[red] **bold**"
)


def debate(
    tid_seed: str = "debate", nasty: bool = False
) -> tuple[Thread, list[Claim], list[Relation]]:
    """Ann's article, Bob and Cy answer it, a spammer posts; 6 claims, 3 rebuttals, 1 support."""
    tid = stable_id("t", "test", tid_seed)
    cy = f"Cy {NASTY}" if nasty else "Cy"
    rows = [  # author, posted_at, parent index, text, is_spam
        (
            "Ann",
            datetime(2013, 6, 24, 9),
            None,
            "Parties must grow. Papers matter a lot. Meetings help.",
            False,
        ),
        ("Bob", datetime(2013, 6, 24, 10), 0, "No, parties need not grow at all.", False),
        (
            cy,
            datetime(2013, 6, 24, 11, 30),
            1,
            f"Bob is right that growth is overrated. {NASTY if nasty else ''}",
            False,
        ),
        ("Bob", datetime(2013, 6, 25, 8), 0, "Papers do not matter today.", False),
        ("Spammer", datetime(2013, 6, 25, 9), 0, "Buy cheap pills now.", True),
    ]
    posts = [
        Post(
            id=stable_id("p", tid, i),
            thread_id=tid,
            kind="article" if i == 0 else "comment",
            author=author,
            posted_at=when,
            position=i,
            text=text,
            is_spam=spam,
            parent_id=None if parent is None else stable_id("p", tid, parent),
        )
        for i, (author, when, parent, text, spam) in enumerate(rows)
    ]
    thread = Thread(
        id=tid,
        title=f"Debate {NASTY}" if nasty else "Debate",
        source_format="test",
        published_at=datetime(2013, 6, 24),
        posts=posts,
        reply_tree="source",
    )

    def claim(i: int, quote: str) -> Claim:
        post = posts[i]
        start = post.text.index(quote)
        return Claim(
            id=claim_id(post.id, start, start + len(quote)),
            post_id=post.id,
            text=quote if not nasty else f"{quote} {NASTY}",
            quote=quote,
            start=start,
            end=start + len(quote),
            extractor="offline",
        )

    a1, a2, a3 = (
        claim(0, "Parties must grow"),
        claim(0, "Papers matter a lot"),
        claim(0, "Meetings help"),
    )
    b1 = claim(1, "parties need not grow")
    y1 = claim(2, "growth is overrated")
    b2 = claim(3, "Papers do not matter")
    claims = [a1, a2, a3, b1, y1, b2]
    why = NASTY if nasty else "disagrees"
    relations = [
        Relation(
            source=b1.id,
            target=a1.id,
            type="rebuts",
            confidence=0.9,
            rationale=why,
            extractor="offline",
        ),
        Relation(
            source=y1.id,
            target=b1.id,
            type="supports",
            confidence=0.7,
            rationale=why,
            extractor="offline",
        ),
        Relation(
            source=b2.id,
            target=a2.id,
            type="rebuts",
            confidence=0.6,
            rationale=why,
            extractor="offline",
        ),
        Relation(
            source=y1.id,
            target=a1.id,
            type="rebuts",
            confidence=0.4,
            rationale=why,
            extractor="offline",
        ),
    ]
    return thread, claims, relations


def load(
    store: Store, tid_seed: str = "debate", nasty: bool = False
) -> tuple[Thread, list[Claim], list[Relation]]:
    thread, claims, relations = debate(tid_seed, nasty)
    write_thread(store, thread)
    write_extractions(store, [p.id for p in thread.posts], claims, relations, "offline")
    return thread, claims, relations


def test_counts_follow_the_debate(any_store: Store) -> None:
    thread, claims, relations = load(any_store)
    c = counts.counts(any_store)
    assert c.threads == 1
    assert c.posts == sum(not p.is_spam for p in thread.posts) == 4
    assert c.comments == 3
    assert c.spam == 1
    assert c.participants == len({p.author for p in thread.posts if not p.is_spam}) == 3
    assert c.claims == len(claims)
    assert c.rebuttals == sum(r.type == "rebuts" for r in relations) == 3
    assert c.supports == 1


def test_every_aggregate_narrows_to_the_chosen_threads(any_store: Store) -> None:
    first, _, _ = load(any_store, "one")
    load(any_store, "two")
    both = counts.counts(any_store)
    one = counts.counts(any_store, [first.id])
    assert both.threads == 2 and one.threads == 1
    assert both.claims == 2 * one.claims and both.rebuttals == 2 * one.rebuttals
    assert both.participants == one.participants  # the same people wrote in both
    assert counts.counts(any_store, ["no-such-thread"]).posts == 0
    assert sum(a["posts"] for a in overview.activity(any_store, [first.id])) == one.posts


def test_activity_groups_non_spam_posts_by_period(any_store: Store) -> None:
    thread, _, _ = load(any_store)
    by_day = overview.activity(any_store, granularity="day")
    assert by_day == [{"period": "2013-06-24", "posts": 3}, {"period": "2013-06-25", "posts": 1}]
    by_hour = overview.activity(any_store, granularity="hour")
    assert [a["period"] for a in by_hour] == [
        "2013-06-24T09",
        "2013-06-24T10",
        "2013-06-24T11",
        "2013-06-25T08",
    ]
    assert overview.activity(any_store, granularity="month") == [{"period": "2013-06", "posts": 4}]
    with pytest.raises(ValueError):
        overview.activity(any_store, granularity="fortnight")  # type: ignore[arg-type]


def test_date_span_and_the_granularity_it_suggests(any_store: Store) -> None:
    load(any_store)
    first, last = overview.date_span(any_store)
    assert first.startswith("2013-06-24T09") and last.startswith("2013-06-25T08")  # spam excluded
    assert overview.auto_granularity(first, last) == "hour"
    assert overview.auto_granularity("2013-06-24T09:00:00", "2013-08-24T09:00:00") == "day"
    assert overview.auto_granularity("2013-06-24T09:00:00", "2018-01-27T09:00:00") == "month"
    assert overview.auto_granularity(None, None) == "day"


def test_debaters_rank_by_rebuttals_made_and_received(any_store: Store) -> None:
    load(any_store)
    ranked = overview.active_debaters(any_store)
    assert [d.name for d in ranked] == ["Ann", "Bob", "Cy"]  # 3, 2 and 1 exchanges; no spammer
    ann, bob, cy = ranked
    assert (ann.rebutted, ann.rebuts, ann.claims, ann.posts) == (3, 0, 3, 1)
    assert (bob.rebuts, bob.posts, bob.claims) == (2, 2, 2)
    assert (cy.rebuts, cy.supports) == (1, 1)
    assert len(overview.active_debaters(any_store, limit=2)) == 2


def test_a_person_is_one_debater_however_their_name_is_spelt(any_store: Store) -> None:
    # "Bob", "bob " and "BOB" are one person (core.ids.person_id): one Person node, one row in
    # who-argues-with-whom and one participant, so one debater and one name in the picker.
    write_debate(
        any_store,
        rebuts=[("a", "b"), ("c", "b"), ("b", "d")],
        authors={"a": "Bob", "b": "Ann", "c": "bob ", "d": "BOB"},
    )
    ranked = overview.active_debaters(any_store)
    names = [d.name for d in ranked]
    assert len(names) == 3 and names[1:] == ["Ann", "The Author"]
    bob = ranked[0]
    assert " ".join(bob.name.split()).casefold() == "bob"
    assert (bob.posts, bob.claims, bob.rebuts, bob.rebutted) == (3, 3, 2, 1)
    assert overview.people(any_store) == sorted(names, key=str.casefold)
    assert counts.counts(any_store).participants == len(names)
    people_arguing = {(r.source, r.target) for r in queries.interactions(any_store)}
    assert people_arguing == {(bob.name, "Ann"), ("Ann", bob.name)}


def test_extraction_info_and_pickers(any_store: Store) -> None:
    thread, claims, _ = load(any_store)
    assert [(e.extractor, e.claims) for e in overview.extraction_info(any_store)] == [
        ("offline", 6)
    ]
    assert overview.people(any_store) == ["Ann", "Bob", "Cy"]
    choices = overview.claim_choices(any_store)
    assert [c.text for c in choices[:2]] == ["Parties must grow", "Papers matter a lot"]
    assert (choices[0].rebuttals, choices[1].rebuttals) == (2, 1)
    assert len(choices) == len(claims)
    assert {c.text for c in overview.claim_choices(any_store, only_rebutted=True)} == {
        "Parties must grow",
        "Papers matter a lot",
    }
    src = overview.source_of(any_store, choices[0].id)
    assert src["post_text"][src["start"] : src["end"]] == src["quote"] == "Parties must grow"
    assert overview.source_of(any_store, "c_missing") is None
    assert overview.thread_list(any_store)[0]["posts"] == len(thread.posts)


def test_sample_counts_agree_with_the_parser(sample_store: Store, sample_path: Path) -> None:
    from argmap.ingest.sources import load_threads

    (thread,) = load_threads(sample_path)
    c = counts.counts(sample_store)
    assert c.spam == sum(p.is_spam for p in thread.posts) > 0
    assert c.posts == sum(not p.is_spam for p in thread.posts)
    assert c.participants == len({p.author for p in thread.posts if not p.is_spam})
    assert c.claims > c.posts  # most posts make more than one claim
    assert c.rebuttals > 0 and c.supports > 0
    dated = sum(1 for p in thread.posts if not p.is_spam and p.posted_at is not None)
    assert sum(a["posts"] for a in overview.activity(sample_store, granularity="day")) == dated
    top = overview.active_debaters(sample_store, limit=5)
    assert top == sorted(top, key=lambda d: -d.exchanges)


def test_tree_trust_counts_rebuilt_parents_and_the_share_expected_right(any_store: Store) -> None:
    thread, _, _ = debate("rebuilt")
    confidence = {1: 0.95, 2: 0.55, 3: 0.6, 4: 0.9}  # 4 is the spammer: not counted
    posts = [
        p.model_copy(update={"parent_confidence": confidence.get(p.position)}) for p in thread.posts
    ]
    write_thread(any_store, thread.model_copy(update={"posts": posts}))
    trust = overview.tree_trust(any_store)
    assert (trust.rebuilt, trust.reviewed, trust.unsure) == (3, 0, 2)
    assert trust.expected_right == pytest.approx(round((0.95 + 0.55 + 0.6) / 3, 4))
    # A parent a person confirmed counts as right and is no longer unsure.
    set_parent(any_store, posts[2].id, posts[1].id, reviewer="tester")
    trust = overview.tree_trust(any_store)
    assert (trust.rebuilt, trust.reviewed, trust.unsure) == (3, 1, 1)
    assert trust.expected_right == pytest.approx(round((0.95 + 1.0 + 0.6) / 3, 4))
    # A tree the source gave carries no confidence: nothing to say.
    load(any_store, "given")
    assert overview.tree_trust(any_store, [debate("given")[0].id]) == overview.TreeTrust()
