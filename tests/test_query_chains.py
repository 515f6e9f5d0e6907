"""Rebuttal chains on a real store (FalkorDB; Neo4j too when NEO4J_URI is set): maximal,
never repeating a claim, cut by a step budget that says so, scoped to the threads picked.
"""

from __future__ import annotations

import pytest
from argmap.graph import queries
from argmap.graph.chains import enumerate_chains, find_chains
from argmap.graph.store import Store
from argument_graphs import write_debate

from argmap.core.errors import ArgmapError

# e rebuts x; x, y, z form a rebuttal cycle; y also rebuts w (which rebuts nothing).
CYCLE = [("e", "x"), ("x", "y"), ("y", "z"), ("z", "x"), ("y", "w")]


def _chains(rows) -> list[list[str]]:
    return [c.claims for c in rows]


def test_chains_from_a_claim_follow_the_cycle_once_and_end_where_the_attack_ends(
    any_store: Store,
) -> None:
    write_debate(any_store, rebuts=CYCLE)
    found = queries.chains(any_store, from_claim="e")
    # Both chains are 3 rebuttals long; the tie is broken by claim ids (w before z).
    assert _chains(found) == [["e", "x", "y", "w"], ["e", "x", "y", "z"]]
    assert [c.length for c in found] == [3, 3]
    for c in found:
        assert len(set(c.claims)) == len(c.claims)  # no chain repeats a claim
        for a, b in zip(c.claims, c.claims[1:], strict=False):
            assert (a, b) in CYCLE  # each claim rebuts the next
    assert _chains(queries.chains(any_store, from_claim="e", limit=1)) == [["e", "x", "y", "w"]]
    assert queries.chains(any_store, from_claim="e", min_length=4) == []
    # Entering the cycle elsewhere: z -> x -> y, then y's only way on is w (z is taken).
    assert _chains(queries.chains(any_store, from_claim="z")) == [["z", "x", "y", "w"]]
    assert queries.chains(any_store, from_claim="w") == []  # w rebuts nothing


def test_chains_to_a_claim_start_at_the_claim_nothing_else_rebuts(any_store: Store) -> None:
    write_debate(any_store, rebuts=CYCLE)
    # x has two rebutters: e, and z (which closes the cycle, so nothing rebuts it off the chain).
    assert _chains(queries.chains(any_store, to_claim="w")) == [
        ["e", "x", "y", "w"],
        ["z", "x", "y", "w"],
    ]
    assert _chains(queries.chains(any_store, to_claim="z")) == [["e", "x", "y", "z"]]


def test_whole_graph_chains_cannot_be_extended_at_either_end(any_store: Store) -> None:
    write_debate(any_store, rebuts=[*CYCLE, ("s", "s"), ("p", "q")], claims=["lonely"])
    got = _chains(queries.chains(any_store, limit=None))
    assert got == [
        ["e", "x", "y", "w"],
        ["e", "x", "y", "z"],
        ["z", "x", "y", "w"],  # y is z's only rebutter and it is on the chain
        ["y", "z", "x"],  # the cycle itself, opened at y (x, its rebutter, closes it)
        ["p", "q"],
    ]
    # The same edges fetched any other way give the same chains (what makes both stores agree).
    assert _chains(enumerate_chains(reversed(CYCLE + [("s", "s"), ("p", "q")])).chains) == got


def test_chains_refuse_unknown_claims_and_both_ends(any_store: Store) -> None:
    write_debate(any_store, rebuts=[("a", "b")])
    with pytest.raises(ArgmapError, match="no claim with id 'nope'"):
        queries.chains(any_store, from_claim="nope")
    with pytest.raises(ArgmapError, match="not both"):
        queries.chains(any_store, from_claim="a", to_claim="b")


def test_chain_search_stops_at_its_step_budget_and_says_so() -> None:
    # A complete rebuttal graph on 9 claims has 8! maximal chains from any one claim.
    names = [f"k{i}" for i in range(9)]
    edges = [(a, b) for a in names for b in names if a != b]
    full = enumerate_chains(edges, start="k0", max_steps=10**7, limit=3)
    cut = enumerate_chains(edges, start="k0", max_steps=500, limit=3)
    assert not full.truncated and full.chains[0].length == 8
    assert cut.truncated
    assert len(cut.chains) <= 3


def test_one_threads_chains_are_not_cut_by_the_budget_another_thread_spends(
    any_store: Store,
) -> None:
    # Thread t1 is a complete rebuttal graph on 6 claims (thousands of chains), listed first
    # (its ids sort first); t2 holds one short chain. The budget is enough for t2, not for t1.
    names = [f"k{i}" for i in range(6)]
    write_debate(any_store, rebuts=[(a, b) for a in names for b in names if a != b], thread_id="t1")
    write_debate(any_store, rebuts=[("z1", "z2"), ("z2", "z3")], thread_id="t2")
    whole = find_chains(any_store, limit=None, max_steps=200)
    assert whole.truncated  # the whole store's search does run out
    picked = find_chains(any_store, limit=None, max_steps=200, thread_ids=["t2"])
    assert _chains(picked.chains) == [["z1", "z2", "z3"]] and not picked.truncated
    assert _chains(queries.chains(any_store, thread_ids=["t2"])) == [["z1", "z2", "z3"]]
    # The scoped search finds what the unlimited whole-store search finds in that thread.
    every = find_chains(any_store, limit=None, max_steps=10**7, seconds=60)
    assert not every.truncated
    in_t1 = [c for c in _chains(every.chains) if c[0].startswith("k")]
    got_t1 = find_chains(any_store, limit=None, max_steps=10**7, seconds=60, thread_ids=["t1"])
    assert _chains(got_t1.chains) == in_t1 and len(in_t1) > 100
