"""Argumentation semantics: known frameworks, and a cross-check against pygarg (a maintained
SAT-based argumentation solver) on random frameworks, in memory and through a real store."""

from __future__ import annotations

import random

import pytest
from argmap.graph import queries
from argmap.graph.semantics import grounded_labelling, preferred_extensions
from argmap.graph.store import Store
from argument_graphs import write_debate
from pygarg.dung import solver

from argmap.core.errors import ArgmapError


def _random_framework(
    rng: random.Random, max_args: int = 10
) -> tuple[list[str], list[tuple[str, str]]]:
    n = rng.randint(1, max_args)
    args = [f"a{i}" for i in range(n)]
    density = rng.choice([0.05, 0.15, 0.3, 0.5])
    attacks = [(a, b) for a in args for b in args if rng.random() < density]  # self-attacks too
    return args, attacks


def _pygarg_labels(args: list[str], attacks: list[tuple[str, str]]) -> dict[str, str]:
    """Labels from pygarg's grounded extension: IN inside it, OUT attacked by it, else UNDEC."""
    extension = set(solver.compute_grounded_extension(args, [list(a) for a in attacks]))
    out = {b for a, b in attacks if a in extension}
    return {a: "IN" if a in extension else "OUT" if a in out else "UNDEC" for a in args}


def test_known_labellings() -> None:
    assert grounded_labelling("abc", [("a", "b"), ("b", "c")]) == {"a": "IN", "b": "OUT", "c": "IN"}
    # An odd cycle leaves everything undecided, and so what hangs on it.
    odd = grounded_labelling("xyzd", [("x", "y"), ("y", "z"), ("z", "x"), ("z", "d")])
    assert set(odd.values()) == {"UNDEC"}
    assert grounded_labelling("s", [("s", "s")]) == {"s": "UNDEC"}
    # A self-attacker defeated from outside is OUT, and what it attacked is free again.
    assert grounded_labelling("rst", [("r", "s"), ("s", "s"), ("s", "t")]) == {
        "r": "IN",
        "s": "OUT",
        "t": "IN",
    }
    # Reinstatement along a long chain.
    chain = [f"c{i}" for i in range(50)]
    labels = grounded_labelling(chain, list(zip(chain, chain[1:], strict=False)))
    assert [labels[c] for c in chain] == ["IN", "OUT"] * 25


def test_grounded_matches_pygarg_on_random_frameworks() -> None:
    rng = random.Random(20240601)
    undecided = 0
    for _ in range(400):
        args, attacks = _random_framework(rng)
        ours = grounded_labelling(args, attacks)
        assert ours == _pygarg_labels(args, attacks), (args, attacks)
        undecided += "UNDEC" in ours.values()
    assert undecided > 50  # the sample exercised cycles, not only trees


def test_preferred_matches_pygarg_on_random_frameworks() -> None:
    rng = random.Random(7)
    several = 0
    for _ in range(250):
        args, attacks = _random_framework(rng, max_args=9)
        theirs = solver.extension_enumeration(args, [list(a) for a in attacks], "PR")
        ours = preferred_extensions(args, attacks)
        assert not ours.truncated
        assert ours.extensions == sorted(sorted(e) for e in theirs), (args, attacks)
        several += len(ours.extensions) > 1
    assert several > 10  # frameworks with a choice (even cycles) were in the sample


def test_preferred_of_an_even_cycle_and_its_limits() -> None:
    result = preferred_extensions("abc", [("a", "b"), ("b", "a"), ("b", "c")])
    assert result.extensions == [["a", "c"], ["b"]]
    assert result.grounded == []
    # Five independent mutual rebuttals: 2**5 preferred extensions; list at most 4.
    pairs = [(f"p{i}", f"q{i}") for i in range(5)]
    attacks = pairs + [(b, a) for a, b in pairs]
    cut = preferred_extensions([x for p in pairs for x in p], attacks, max_extensions=4)
    assert cut.truncated and len(cut.extensions) == 4
    assert len(preferred_extensions([x for p in pairs for x in p], attacks).extensions) == 32
    with pytest.raises(ArgmapError, match="10 claims are undecided.*limit of 3"):
        preferred_extensions([x for p in pairs for x in p], attacks, max_arguments=3)


def test_grounded_and_preferred_on_the_store_match_pygarg(any_store: Store) -> None:
    rng = random.Random(99)
    all_args: list[str] = []
    all_attacks: list[tuple[str, str]] = []
    expected: dict[str, str] = {}
    for round_ in range(4):
        args, attacks = _random_framework(rng, max_args=8)
        thread = f"r{round_}"
        named = {a: f"{thread}-{a}" for a in args}
        args, attacks = list(named.values()), [(named[a], named[b]) for a, b in attacks]
        write_debate(any_store, claims=args, rebuts=attacks, thread_id=thread)
        want = _pygarg_labels(args, attacks)
        got = {r.claim_id: r.label for r in queries.grounded(any_store, thread_ids=[thread])}
        assert got == want
        all_args += args
        all_attacks += attacks
        expected.update(want)
    # The whole store holds the four frameworks side by side.
    assert {r.claim_id: r.label for r in queries.grounded(any_store)} == expected
    theirs = solver.extension_enumeration(all_args, [list(a) for a in all_attacks], "PR")
    assert queries.preferred(any_store).extensions == sorted(sorted(e) for e in theirs)


def test_preferred_on_the_store(any_store: Store) -> None:
    # a -> b -> c, plus u <-> v and v -> w: grounded {a, c}; preferred adds {u} or {v, ... }.
    write_debate(any_store, rebuts=[("a", "b"), ("b", "c"), ("u", "v"), ("v", "u"), ("v", "w")])
    result = queries.preferred(any_store)
    assert result.grounded == ["a", "c"]
    assert result.extensions == [["a", "c", "u", "w"], ["a", "c", "v"]]
    rows = queries.extension_rows(result)
    assert [(r.extension, r.size) for r in rows] == [(1, 4), (2, 3)]
