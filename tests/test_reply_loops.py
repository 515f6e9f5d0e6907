"""Reply loops in sources that name parents (CSV/JSONL ``parent_id``, argmap JSON): every loop
found, each post walked once, so a reply chain 20,000 deep is checked in one pass (walking each
post to the article took 80 s there)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from argmap.ingest.sources.reply_loops import first_in_loop


class CountingParents(Mapping[str, str | None]):
    """A post -> parent map that counts how often a parent is looked up."""

    def __init__(self, parents: dict[str, str | None]) -> None:
        self.parents = parents
        self.lookups = 0

    def __getitem__(self, key: str) -> str | None:
        self.lookups += 1
        return self.parents[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.parents)

    def __len__(self) -> int:
        return len(self.parents)


def test_trees_have_no_loop_and_loops_are_named() -> None:
    assert first_in_loop({}) is None
    assert first_in_loop({"a": None, "b": "a", "c": "b", "d": "a"}) is None
    assert first_in_loop({"b": "article", "c": "b"}) is None  # a parent outside is a root
    assert first_in_loop({"a": None, "b": "b"}) == "b"  # its own parent
    assert first_in_loop({"a": None, "b": "c", "c": "b"}) == "b"  # A -> B -> A
    assert first_in_loop({"a": None, "x": "b", "b": "c", "c": "b"}) == "x"  # runs into one


def test_a_chain_twenty_thousand_deep_is_walked_once() -> None:
    depth = 20_000
    chain = CountingParents({f"c{i}": (f"c{i - 1}" if i else None) for i in range(depth)})
    assert first_in_loop(chain) is None
    assert chain.lookups <= 3 * depth  # each post walked to the article: 200 million
    chain.parents["c0"] = f"c{depth - 1}"  # the first now answers the last: one long loop
    assert first_in_loop(chain) == "c0"
