"""The Cypher examples for `argmap cypher` (docs/queries.md, moved there from the README) give
the true answer on the sample, on both stores: each is run as the page prints it, and checked
against a count made in Python from the argmap JSON export."""

from __future__ import annotations

import re
import shlex
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from argmap.graph.console import run_console
from argmap.graph.export_json import export_json
from argmap.graph.store import Store

QUERIES_PAGE = Path(__file__).resolve().parent.parent / "docs" / "queries.md"


def readme_examples() -> dict[str, tuple[str, dict[str, object]]]:
    """The block of `argmap cypher` examples, by the comment line above each: query, params."""
    text = QUERIES_PAGE.read_text(encoding="utf-8")
    block = text.split("queries to start from:", 1)[1].split("```", 2)[1]
    examples: dict[str, tuple[str, dict[str, object]]] = {}
    for chunk in re.split(r"^# ", block, flags=re.M)[1:]:
        title, command = chunk.split("\n", 1)
        words = shlex.split(command)
        assert words[:2] == ["argmap", "cypher"], command
        params = dict(w.split("=", 1) for w in words[3:] if w != "-p")
        examples[title.strip()] = (words[2], {k: float(v) for k, v in params.items()})
    return examples


@pytest.fixture(params=["sample_store", "neo4j_sample"])
def sample(request: pytest.FixtureRequest) -> Store:
    return request.getfixturevalue(request.param)


def test_who_draws_the_most_rebuttals_counts_every_rebuttal(sample: Store) -> None:
    query, params = readme_examples()[
        "Who draws the most rebuttals, and from how many different people"
    ]
    graph = export_json(sample)
    author = {p["id"]: p["author"] for p in graph["posts"]}
    by_claim = {c["id"]: author[c["post_id"]] for c in graph["claims"]}
    drawn: Counter[str] = Counter()
    rebutters: dict[str, set[str]] = defaultdict(set)
    for r in graph["relations"]:
        if r["type"] == "rebuts":
            drawn[by_claim[r["target"]]] += 1
            rebutters[by_claim[r["target"]]].add(by_claim[r["source"]])
    expected = sorted(
        ({"author": a, "rebuttals": n, "rebutters": len(rebutters[a])} for a, n in drawn.items()),
        key=lambda row: (-row["rebuttals"], row["author"]),
    )[:10]
    rows = run_console(sample, query, params).rows
    # Two claims of one post rebutting one post's claims are two rebuttals, not one path.
    assert rows == expected and rows[0]["rebuttals"] > rows[0]["rebutters"]
