"""The named queries' contract, on a real store (FalkorDB; Neo4j too when NEO4J_URI is set).

Each test writes a small graph whose answer is known by construction, through graph.writes.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from argmap.graph import queries, summary_reads
from argmap.graph.catalog import thread_summaries
from argmap.graph.chains import _adjacency, _components, enumerate_chains, find_chains
from argmap.graph.export_json import export_json
from argmap.graph.store import Store
from argmap.graph.summary import refresh_summary
from argument_graphs import write_debate

from argmap.core.errors import ArgmapError
from bench.synthetic import SyntheticSpec, claim_ids, generate, to_argmap_json, write_to_store


def _canonical(rows: list[dict]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True) for r in rows)


def test_contested_orders_by_rebuttals_then_supports_then_id(any_store: Store) -> None:
    write_debate(
        any_store,
        rebuts=[
            ("r1", "t2"),
            ("r2", "t2"),
            ("r1", "t3"),
            ("r2", "t3"),
            ("r3", "t1"),
            ("r4", "t1"),
            ("r1", "t4"),
        ],
        supports=[("s1", "t3"), ("s1", "t1"), ("s2", "t1")],
        texts={"t1": "Tea is better than coffee."},
        authors={"t1": "Ada"},
    )
    rows = queries.contested(any_store)
    assert [(r.claim_id, r.rebuttals, r.supports) for r in rows] == [
        ("t1", 2, 2),
        ("t3", 2, 1),
        ("t2", 2, 0),
        ("t4", 1, 0),
    ]
    assert rows[0].text == "Tea is better than coffee." and rows[0].author == "Ada"
    assert rows[0].post_id == "t1-post-t1"
    assert [r.claim_id for r in queries.contested(any_store, limit=2)] == ["t1", "t3"]


def test_unanswered_lists_standing_objections_in_thread_order(any_store: Store) -> None:
    # o1 and o2 object and nobody answers them; o3 objects but is answered by o4, which stands.
    write_debate(
        any_store,
        claims=["t", "o1", "o3", "o4", "o2", "quiet"],
        rebuts=[("o1", "t"), ("o2", "t"), ("o2", "o1"), ("o3", "t"), ("o4", "o3"), ("m", "m")],
        supports=[("quiet", "o2")],
        theses=["t"],
    )
    rows = queries.unanswered(any_store)
    assert [r.claim_id for r in rows] == ["o4", "o2"]  # o1 is answered by o2; m answers itself
    by_id = {r.claim_id: r for r in rows}
    assert by_id["o2"].targets == ["o1", "t"] and by_id["o2"].supports == 1
    assert by_id["o4"].targets == ["o3"] and by_id["o4"].author == "Person o4"
    assert [r.claim_id for r in queries.unanswered(any_store, limit=1)] == ["o4"]


def _three_dated_threads(store: Store) -> None:
    """Threads t_a (2020), t_b (2013) and t_c (undated), one standing objection each."""
    published = {"t_a": datetime(2020, 5, 1, tzinfo=UTC), "t_b": datetime(2013, 6, 24, tzinfo=UTC)}
    for tid in ("t_c", "t_a", "t_b"):
        write_debate(
            store,
            rebuts=[(f"{tid}-o", f"{tid}-t")],
            theses=[f"{tid}-t"],
            thread_id=tid,
            published=published.get(tid),
        )


def test_unanswered_lists_threads_oldest_first_as_argmap_threads_does(any_store: Store) -> None:
    # Was: by thread id, so a (sorted-first) newer thread's objections came before an older one's.
    _three_dated_threads(any_store)
    order = [t.id for t in thread_summaries(any_store)]
    assert order == ["t_b", "t_a", "t_c"]
    assert [r.claim_id for r in queries.unanswered(any_store)] == [f"{t}-o" for t in order]
    assert [r.claim_id for r in queries.unanswered(any_store, limit=1)] == ["t_b-o"]


def test_unanswered_from_a_summary_an_older_argmap_stored_by_thread_id_is_not_shown(
    any_store: Store,
) -> None:
    _three_dated_threads(any_store)
    refresh_summary(any_store)
    # As the argmap before stored it (format 6): the objections by thread id.
    old_rows = sorted(queries.unanswered(any_store), key=lambda r: r.claim_id)
    any_store.run(
        "MATCH (s:Meta {id: 'summary'}) SET s.unanswered = $rows, s.format = 6",
        {"rows": json.dumps([r.model_dump() for r in old_rows])},
    )
    got = summary_reads.unanswered(any_store, None, None)
    assert [r.claim_id for r in got] == ["t_b-o", "t_a-o", "t_c-o"]


def test_grounded_labels_on_the_store(any_store: Store) -> None:
    # a -> b -> c: a IN, b OUT, c IN. Odd cycle x -> y -> z -> x, and x -> d: all UNDEC.
    # u <-> v (even cycle): UNDEC. i is alone: IN. Supports never attack: s supports b.
    write_debate(
        any_store,
        rebuts=[
            ("a", "b"),
            ("b", "c"),
            ("x", "y"),
            ("y", "z"),
            ("z", "x"),
            ("x", "d"),
            ("u", "v"),
            ("v", "u"),
        ],
        supports=[("s", "b")],
        claims=["i"],
    )
    labels = {r.claim_id: r.label for r in queries.grounded(any_store)}
    assert labels == {
        "a": "IN",
        "b": "OUT",
        "c": "IN",
        "i": "IN",
        "s": "IN",
        "x": "UNDEC",
        "y": "UNDEC",
        "z": "UNDEC",
        "d": "UNDEC",
        "u": "UNDEC",
        "v": "UNDEC",
    }
    rows = queries.grounded(any_store)
    assert [r.label for r in rows] == sorted(
        (r.label for r in rows), key=["IN", "OUT", "UNDEC"].index
    )
    assert [r.claim_id for r in queries.grounded(any_store, label="OUT")] == ["b"]


def test_interactions_by_person(any_store: Store) -> None:
    authors = {"a1": "Ada", "a2": "Ada", "b1": "Bob", "c1": "Cy", "a3": "ada "}
    write_debate(
        any_store,
        rebuts=[("a1", "b1"), ("a2", "b1"), ("b1", "a1"), ("a3", "a1"), ("c1", "c1")],
        supports=[("a1", "c1")],
        authors=authors,
    )
    rows = [r.model_dump() for r in queries.interactions(any_store)]
    names = {r["source"] for r in rows} | {r["target"] for r in rows}
    ada = next(n for n in names if n.strip().lower() == "ada")  # "ada " is the same person
    assert rows == [
        {"source": ada, "target": "Bob", "rebuts": 2, "supports": 0},
        {"source": "Bob", "target": ada, "rebuts": 1, "supports": 0},
        {"source": ada, "target": "Cy", "rebuts": 0, "supports": 1},
    ]
    with_self = [r.model_dump() for r in queries.interactions(any_store, include_self=True)]
    assert len(with_self) == 5
    assert {"source": ada, "target": ada, "rebuts": 1, "supports": 0} in with_self
    assert {"source": "Cy", "target": "Cy", "rebuts": 1, "supports": 0} in with_self  # c1 rebuts c1


def test_theses_count_what_each_article_claim_drew(any_store: Store) -> None:
    write_debate(
        any_store,
        theses=["th1", "th2", "th3"],
        rebuts=[("r1", "th2"), ("r2", "th2"), ("r3", "th3"), ("r4", "r1")],
        supports=[("s1", "th3"), ("s2", "th1")],
        texts={"th2": "Joining the ISO was a mistake."},
    )
    rows = queries.theses(any_store)
    assert [(r.claim_id, r.rebuttals, r.supports) for r in rows] == [
        ("th2", 2, 0),
        ("th3", 1, 1),
        ("th1", 0, 1),
    ]
    assert rows[0].text == "Joining the ISO was a mistake." and rows[0].author == "The Author"
    assert rows[0].thread_id == "t1"


def test_thread_filter_narrows_every_query(any_store: Store) -> None:
    write_debate(any_store, rebuts=[("a", "b")], theses=["b"], thread_id="t1")
    write_debate(any_store, rebuts=[("c", "d"), ("e", "d")], theses=["d"], thread_id="t2")
    assert [r.claim_id for r in queries.contested(any_store)] == ["d", "b"]
    assert [r.claim_id for r in queries.contested(any_store, thread_ids=["t1"])] == ["b"]
    assert [r.claim_id for r in queries.unanswered(any_store, thread_ids=["t2"])] == ["c", "e"]
    assert [r.claim_id for r in queries.theses(any_store, thread_ids=["t2"])] == ["d"]
    assert {r.claim_id for r in queries.grounded(any_store, thread_ids=["t1"])} == {"a", "b"}
    assert [(r.source, r.target) for r in queries.interactions(any_store, thread_ids=["t1"])] == [
        ("Person a", "The Author")
    ]


def test_preferred_extensions_of_one_thread_are_its_own_choices(any_store: Store) -> None:
    # Each thread holds a two-claim cycle: two preferred extensions each. Over the whole store
    # the choices multiply (four); a scholar asking about one thread means its two.
    write_debate(any_store, rebuts=[("u", "v"), ("v", "u")], claims=["calm"], thread_id="t1")
    write_debate(any_store, rebuts=[("p", "q"), ("q", "p")], thread_id="t2")
    assert len(queries.preferred(any_store).extensions) == 4
    t1 = queries.preferred(any_store, thread_ids=["t1"])
    assert t1.extensions == [["calm", "u"], ["calm", "v"]] and t1.grounded == ["calm"]
    assert queries.preferred(any_store, thread_ids=["t1", "t2"]).extensions == (
        queries.preferred(any_store).extensions
    )


def test_queries_agree_with_the_synthetic_structure(any_store: Store) -> None:
    """A generated thread (reply tree, cycles) gives what its known structure says."""
    synth = generate(SyntheticSpec(comments=300, seed=7))
    write_to_store(any_store, synth)
    ids = claim_ids(synth)
    rebut_edges = [(ids[r.source], ids[r.target]) for r in synth.relations if r.type == "rebuts"]
    support_edges = [
        (ids[r.source], ids[r.target]) for r in synth.relations if r.type == "supports"
    ]
    component = _components(_adjacency(rebut_edges))
    assert len(set(component.values())) < len(component)  # some claims sit on a cycle

    rebutted = {}
    for _, b in rebut_edges:
        rebutted[b] = rebutted.get(b, 0) + 1
    supported = {}
    for _, b in support_edges:
        supported[b] = supported.get(b, 0) + 1
    expected = sorted(rebutted, key=lambda c: (-rebutted[c], -supported.get(c, 0), c))[:10]
    assert [r.claim_id for r in queries.contested(any_store, limit=10)] == expected

    sources = {a for a, _ in rebut_edges}
    assert {r.claim_id for r in queries.unanswered(any_store)} == sources - set(rebutted)

    start = expected[0]
    found = find_chains(any_store, to_claim=start, limit=None)
    assert not found.truncated
    assert found.chains == enumerate_chains(rebut_edges, end=start).chains

    # The generator's JSON dump is what argmap's own export says the store holds.
    dump, exported = to_argmap_json(synth), export_json(any_store)
    for key in ("claims", "relations"):
        assert _canonical(dump[key]) == _canonical(exported[key])
    assert len(dump["posts"]) == len(exported["posts"])


def test_every_query_reads_an_empty_thread_choice_as_all_threads(any_store: Store) -> None:
    """``thread_ids=None`` and ``[]`` mean the whole store everywhere; a list means those threads."""
    from argmap.graph import counts

    write_debate(
        any_store,
        rebuts=[("a", "b")],
        theses=["b"],
        thread_id="t1",
        texts={"a": "open membership is cheap", "b": "membership should be open"},
    )
    write_debate(
        any_store,
        rebuts=[("c", "d")],
        theses=["d"],
        thread_id="t2",
        texts={"c": "membership dues are cheap", "d": "membership costs too much"},
    )
    calls = {
        "contested": lambda t: [r.claim_id for r in queries.contested(any_store, thread_ids=t)],
        "unanswered": lambda t: [r.claim_id for r in queries.unanswered(any_store, thread_ids=t)],
        "grounded": lambda t: [r.claim_id for r in queries.grounded(any_store, thread_ids=t)],
        "interactions": lambda t: [
            (r.source, r.target) for r in queries.interactions(any_store, thread_ids=t)
        ],
        "theses": lambda t: [r.claim_id for r in queries.theses(any_store, thread_ids=t)],
        "search": lambda t: [
            r.claim_id for r in queries.search(any_store, "membership", thread_ids=t)
        ],
        "counts": lambda t: counts.counts(any_store, thread_ids=t).model_dump(),
        "chains": lambda t: [c.claims for c in queries.chains(any_store, thread_ids=t)],
        "preferred": lambda t: queries.preferred(any_store, thread_ids=t).extensions,
    }
    for name, call in calls.items():
        everything = call(None)
        assert call([]) == everything, name
        assert call(["t1", "t2"]) == everything, name
        assert call(["t1"]) != everything, name  # the filter does narrow
    assert sorted(calls["search"](["t2"])) == ["c", "d"]
    assert calls["chains"](["t2"]) == [["c", "d"]]


def test_a_misspelt_thread_id_is_named_not_read_as_an_empty_thread(any_store: Store) -> None:
    """From a script nothing checks ids first, as the CLI does: every query checks them itself
    (an empty answer would read as "no rebuttals"), and one id given bare is not a list."""
    from argmap.graph.exports import export_bytes
    from argmap.graph.subgraph import Selection

    write_debate(any_store, rebuts=[("a", "b")], theses=["b"], thread_id="t1")
    calls = {
        "contested": lambda t: queries.contested(any_store, thread_ids=t),
        "unanswered": lambda t: queries.unanswered(any_store, thread_ids=t),
        "unanswered_count": lambda t: queries.unanswered_count(any_store, thread_ids=t),
        "grounded": lambda t: queries.grounded(any_store, thread_ids=t),
        "interactions": lambda t: queries.interactions(any_store, thread_ids=t),
        "theses": lambda t: queries.theses(any_store, thread_ids=t),
        "search": lambda t: queries.search(any_store, "claim", thread_ids=t),
        "chains": lambda t: queries.chains(any_store, thread_ids=t),
        "find_chains": lambda t: find_chains(any_store, to_claim="b", thread_ids=t),
        "preferred": lambda t: queries.preferred(any_store, thread_ids=t),
        "export": lambda t: export_bytes(any_store, "json", Selection(thread_ids=t)),
    }
    for name, call in calls.items():
        with pytest.raises(ArgmapError, match=r"^no thread 't9' in this store \(it holds t1;"):
            call(["t1", "t9"])
        if name != "export":  # a Selection is pydantic: it refuses a string already
            with pytest.raises(ArgmapError, match=r"thread_ids=\['t1'\], not one string"):
                call("t1")
