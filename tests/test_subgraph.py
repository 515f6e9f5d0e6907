"""Selecting a subgraph: whole graph, claim + hops both ways, filters, the node cap.

Expected answers come from a breadth-first search (networkx) over the written models.
"""

from __future__ import annotations

from datetime import date, timedelta, timezone

import networkx as nx
import pytest
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection, SelectionError, most_rebutted_claim, select_subgraph
from export_data import START, reference, within, write_loner, write_nasty


def test_whole_graph_has_every_claim_and_relation(store: Store, nasty) -> None:
    thread, claims, rels = nasty
    sg = select_subgraph(store)
    assert {n.id for n in sg.nodes} == {c.id for c in claims}
    assert {(e.source, e.target, e.type) for e in sg.edges} == {
        (r.source, r.target, r.type) for r in rels
    }
    assert sg.showing == f"showing {len(claims)} of {len(claims)} claims" and not sg.truncated
    by_id = {n.id: n for n in sg.nodes}
    for c in claims:  # text round-trips exactly, and each claim knows its post and thread
        n = by_id[c.id]
        post = thread.post(c.post_id)
        assert (n.text, n.quote, n.author, n.post_id) == (c.text, c.quote, post.author, post.id)
        assert n.thread_title == thread.title and n.thread_url == thread.url
    assert {p.id for p in sg.posts} == {c.post_id for c in claims}
    assert sg.threads[0].title == thread.title


@pytest.mark.parametrize("hops", [0, 1, 2, 3])
def test_claim_and_hops_match_a_breadth_first_search_both_ways(
    store: Store, nasty, hops: int
) -> None:
    _, claims, rels = nasty
    focus = claims[2].id  # rebuts one claim and is rebutted/supported by others: both directions
    expected = within(reference(claims, rels), focus, hops)
    sg = select_subgraph(store, Selection(claim=focus, hops=hops))
    assert {n.id: n.hop for n in sg.nodes} == expected
    assert sg.focus == focus
    inside = set(expected)
    assert {(e.source, e.target) for e in sg.edges} == {
        (r.source, r.target) for r in rels if r.source in inside and r.target in inside
    }


def test_filters_narrow_the_graph_before_the_walk(store: Store, nasty) -> None:
    thread, claims, rels = nasty
    g = reference(claims, rels)
    focus = claims[0].id
    # Relation type and confidence: walk only the relations that pass.
    kept = [r for r in rels if r.type == "rebuts" and r.confidence >= 0.5]
    expected = within(reference(claims, kept), focus, 3)
    sg = select_subgraph(
        store, Selection(claim=focus, hops=3, relation_types=["rebuts"], min_confidence=0.5)
    )
    assert {n.id for n in sg.nodes} == set(expected)
    assert all(e.type == "rebuts" and e.confidence >= 0.5 for e in sg.edges)
    assert len(expected) < len(within(g, focus, 3))  # the filter did remove something
    # Person: names match whatever their case; "Bob" and "bob" are one person.
    sg = select_subgraph(store, Selection(people=["BOB"]))
    bobs = {c.id for c in claims if thread.post(c.post_id).author.casefold() == "bob"}
    assert {n.id for n in sg.nodes} == bobs and len(bobs) == 2
    # Date range: inclusive dates.
    day = (START + timedelta(days=2)).date()
    sg = select_subgraph(store, Selection(since=day, until=day + timedelta(days=1)))
    in_range = {
        c.id
        for c in claims
        if thread.post(c.post_id).posted_at.date() in (day, day + timedelta(days=1))
    }
    assert {n.id for n in sg.nodes} == in_range and len(in_range) == 2


def test_thread_filter_and_connected_only(store: Store, nasty) -> None:
    _, claims, _ = nasty
    other_written = write_nasty(store, "t_other", title="Another thread")
    _, other_claims, _ = other_written
    assert len(select_subgraph(store).nodes) == len(claims) + len(other_claims)
    sg = select_subgraph(store, Selection(thread_ids=["t_other"]))
    assert {n.id for n in sg.nodes} == {c.id for c in other_claims}
    assert [t.title for t in sg.threads] == ["Another thread"]
    extra = write_loner(store, other_written)
    whole = select_subgraph(store, Selection(thread_ids=["t_other"]))
    linked = select_subgraph(store, Selection(thread_ids=["t_other"], connected_only=True))
    assert extra.id in {n.id for n in whole.nodes} and extra.id not in {n.id for n in linked.nodes}


def test_node_cap_keeps_the_nearest_and_says_showing_n_of_m(store: Store, nasty) -> None:
    _, claims, rels = nasty
    focus = claims[0].id
    dist = within(reference(claims, rels), focus, 3)
    sg = select_subgraph(store, Selection(claim=focus, hops=3, max_nodes=3))
    assert len(sg.nodes) == 3 and sg.total_nodes == len(dist) and sg.truncated
    assert sg.showing == f"showing 3 of {len(dist)} claims"
    kept = {n.id for n in sg.nodes}
    assert focus in kept
    assert max(dist[k] for k in kept) <= min(d for c, d in dist.items() if c not in kept)
    assert all(e.source in kept and e.target in kept for e in sg.edges)


def test_whole_graph_cap_keeps_conversations_whole(store: Store, nasty) -> None:
    _, claims, rels = nasty
    other = write_nasty(store, "t_other")
    _, other_claims, _ = other
    loner = write_loner(store, other)
    biggest = max(len(c) for c in nx.connected_components(reference(claims, rels).to_undirected()))
    sg = select_subgraph(store, Selection(max_nodes=biggest))
    kept = {n.id for n in sg.nodes}
    linked = {e.source for e in sg.edges} | {e.target for e in sg.edges}
    assert len(kept) == biggest and kept == linked  # one whole conversation, nobody stranded
    assert sg.total_nodes == len(claims) + len(other_claims) + 1 and loner.id not in kept


@pytest.mark.parametrize("cap", [3, 4, 5])
def test_whole_graph_cap_keeps_claims_that_answer_each_other(store: Store, nasty, cap: int) -> None:
    """Two conversations of equal size: the most connected claims lie in both, so a cap that
    kept them would show claims with no relation between them. The cap keeps one connected piece."""
    _, claims, rels = nasty
    _, other_claims, other_rels = write_nasty(store, "t_other")
    conversations = [
        set(c)
        for c in nx.connected_components(
            reference(claims + other_claims, rels + other_rels).to_undirected()
        )
    ]
    assert len(conversations) == 2 and all(len(c) > cap for c in conversations)
    for connected_only in (False, True):
        sg = select_subgraph(store, Selection(max_nodes=cap, connected_only=connected_only))
        kept = {n.id for n in sg.nodes}
        assert len(kept) == cap and sg.truncated
        assert any(kept <= c for c in conversations)  # one conversation, cut short
        shown = nx.Graph([(e.source, e.target) for e in sg.edges])
        shown.add_nodes_from(kept)
        assert nx.is_connected(shown) and len(sg.edges) >= cap - 1  # nobody stranded


def test_unknown_claim_and_most_rebutted(store: Store, nasty) -> None:
    _, claims, rels = nasty
    with pytest.raises(SelectionError, match="no claim with id"):
        select_subgraph(store, Selection(claim="c_missing"))
    counts = {c.id: sum(r.type == "rebuts" and r.target == c.id for r in rels) for c in claims}
    top = most_rebutted_claim(store)
    assert counts[top] == max(counts.values())
    assert select_subgraph(store, Selection(claim="most-rebutted")).focus == top


def test_dates_compare_inclusively_for_until(store: Store, nasty) -> None:
    thread, claims, _ = nasty
    last = max(p.posted_at for p in thread.posts)
    sg = select_subgraph(store, Selection(until=last.date()))
    assert len(sg.nodes) == len(claims)
    sg = select_subgraph(store, Selection(until=date(2000, 1, 1)))
    assert sg.nodes == []


def test_time_bounds_are_instants_and_until_keeps_a_post_made_at_it(store: Store, nasty) -> None:
    thread, claims, _ = nasty

    def posted(sel: Selection) -> set[str]:
        return {n.id for n in select_subgraph(store, sel).nodes}

    def made(keep) -> set[str]:
        return {c.id for c in claims if keep(thread.post(c.post_id).posted_at)}

    at = sorted({p.posted_at for p in thread.posts})[2]  # a post's exact time, in UTC
    # "On or before": the post made at that very second is in, whether the bound says UTC or not.
    assert posted(Selection(until=at)) == made(lambda t: t <= at) != made(lambda t: t < at)
    assert posted(Selection(until=at.replace(tzinfo=None))) == made(lambda t: t <= at)
    # The same instant written in another zone is the same bound (times are stored in UTC).
    paris = at.astimezone(timezone(timedelta(hours=2)))
    assert posted(Selection(until=paris)) == made(lambda t: t <= at)
    assert posted(Selection(since=paris)) == made(lambda t: t >= at) != made(lambda t: t > at)
    assert posted(Selection(since=paris, until=paris)) == made(lambda t: t == at) != set()


def test_the_same_queries_select_the_same_on_every_store(any_store: Store) -> None:
    """One Cypher text for both backends (Neo4j runs when NEO4J_URI is set)."""
    thread, claims, rels = write_nasty(any_store)
    focus = claims[2].id
    sg = select_subgraph(any_store, Selection(claim=focus, hops=2, min_confidence=0.3))
    kept = [r for r in rels if r.confidence >= 0.3]
    assert {n.id: n.hop for n in sg.nodes} == within(reference(claims, kept), focus, 2)
    day = (START + timedelta(days=1)).date()
    sg = select_subgraph(any_store, Selection(people=["bob"], since=day, relation_types=["rebuts"]))
    assert {n.id for n in sg.nodes} == {
        c.id
        for c in claims
        if thread.post(c.post_id).author.casefold() == "bob"
        and thread.post(c.post_id).posted_at.date() >= day
    }
    counts = {c.id: sum(r.type == "rebuts" and r.target == c.id for r in rels) for c in claims}
    top = most_rebutted_claim(any_store)
    assert counts[top] == max(counts.values())
    assert select_subgraph(any_store, Selection(claim="most-rebutted", hops=0)).focus == top
