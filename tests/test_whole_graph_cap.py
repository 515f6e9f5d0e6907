"""A capped whole graph keeps whole relations: no claim is drawn alone because the node cap cut
every relation it has (it would look unanswered, and answering nobody, though it is neither).

Two conversations of 8 claims each (``export_data.write_nasty`` twice) and one claim with no
relation at all: a cap of 9 ends right after the first claim of the second conversation. Run on
the embedded FalkorDB and on Neo4j, through the live selection, the writer's stored cap order,
the picture and the dashboard's Graph page.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pytest
from argmap.graph.export_image import picture_subgraph
from argmap.graph.exports import export
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection, Subgraph, rank_whole_graph, select_subgraph
from argmap.graph.summary import WHOLE_GRAPH
from dashboard_pages import assert_clean, frame_data, iframe_srcdoc, open_page, texts
from export_data import reference, write_loner, write_nasty


def two_conversations_and_a_loner(store: Store) -> tuple[list[set[str]], str]:
    """Write both conversations and the loner; return the conversations (claim ids, biggest
    first as the cap orders them) and the loner's id."""
    _, claims, rels = write_nasty(store)
    other = write_nasty(store, "t_other")
    _, other_claims, other_rels = other
    loner = write_loner(store, other)
    graph = reference(claims + other_claims, rels + other_rels).to_undirected()
    parts = sorted((set(c) for c in nx.connected_components(graph)), key=len, reverse=True)
    return parts, loner.id


def alone(sg: Subgraph) -> set[str]:
    """The claims a subgraph shows without any relation shown."""
    linked = {e.source for e in sg.edges} | {e.target for e in sg.edges}
    return {n.id for n in sg.nodes} - linked


@pytest.mark.parametrize("connected_only", [True, False])
def test_a_cap_ending_on_the_next_conversations_first_claim_leaves_it_out(
    any_store: Store, connected_only: bool
) -> None:
    parts, loner = two_conversations_and_a_loner(any_store)
    assert [len(p) for p in parts] == [8, 8]
    cap = len(parts[0]) + 1  # room for one claim of the second conversation, not its relation
    sel = Selection(max_nodes=cap, connected_only=connected_only)
    total = 16 if connected_only else 17
    # Live, and from the writer's stored cap order (what the Graph page draws while fresh).
    stored = rank_whole_graph(any_store, sel, keep=cap)
    for sg in (select_subgraph(any_store, sel), select_subgraph(any_store, sel, ranking=stored)):
        kept = {n.id for n in sg.nodes}
        assert alone(sg) == set()  # every claim shown with a relation that is shown
        assert kept in parts  # one whole conversation; the other's hub is not drawn alone
        assert sg.total_nodes == total and sg.showing == f"showing 8 of {total} claims"


def test_a_claim_with_no_relation_at_all_is_still_shown_alone(any_store: Store) -> None:
    """Leaving out a cut claim must not leave out one that has no relation to cut."""
    parts, loner = two_conversations_and_a_loner(any_store)
    sg = select_subgraph(any_store, Selection(max_nodes=17, connected_only=False))
    assert {n.id for n in sg.nodes} == parts[0] | parts[1] | {loner}
    assert alone(sg) == {loner} and not sg.truncated
    # A cap too small for any relation keeps its one claim (a picture of it is not empty).
    one = select_subgraph(any_store, Selection(max_nodes=1, connected_only=True))
    assert len(one.nodes) == 1 and one.nodes[0].id in parts[0] | parts[1]


def test_the_picture_draws_no_claim_alone(any_store: Store, tmp_path: Path) -> None:
    """Pictures leave out guesses under 0.31: each conversation loses one claim (its relation is
    0.3), so a cap of 8 ends on the second conversation's first claim."""
    parts, _ = two_conversations_and_a_loner(any_store)
    sg = picture_subgraph(any_store, Selection(max_nodes=8))
    assert alone(sg) == set() and len(sg.nodes) == 7 and sg.total_nodes == 14
    assert any({n.id for n in sg.nodes} < p for p in parts)
    # The SVG written draws those claims, and says what the cap left.
    path = export(any_store, "svg", Selection(max_nodes=8), tmp_path / "whole.svg")
    svg = ElementTree.parse(path).getroot()
    drawn = {
        g.get("id", "").removeprefix("claim-")
        for g in svg.iter("{http://www.w3.org/2000/svg}g")
        if g.get("class") == "claim"
    }
    assert drawn == {n.id for n in sg.nodes}
    assert "showing 7 of 14 claims" in path.read_text(encoding="utf-8")
    export(any_store, "png", Selection(max_nodes=8), tmp_path / "whole.png")


def test_the_graph_page_draws_no_claim_alone_on_the_sample(any_sample_env: Store) -> None:
    """The Graph page's whole graph, at a cap (its slider's steps of 10) that ends on the first
    claim of a conversation in the sample's cap order."""
    store = any_sample_env
    order = rank_whole_graph(store, WHOLE_GRAPH).order
    full = select_subgraph(store, WHOLE_GRAPH, labels=False)
    partners: dict[str, set[str]] = {}
    for e in full.edges:
        partners.setdefault(e.source, set()).add(e.target)
        partners.setdefault(e.target, set()).add(e.source)
    caps = [
        c for c in range(10, len(order), 10) if not partners[order[c - 1]] & set(order[: c - 1])
    ]
    assert caps, "the sample's cap order has no cap of 10, 20, ... ending on a conversation"
    cap = caps[0]
    at = open_page("graph")
    at.sidebar.selectbox(key="g_focus").set_value("__whole__")
    at.sidebar.slider(key="g_max").set_value(cap)
    at.run()
    assert_clean(at)
    data = frame_data(iframe_srcdoc(at))
    drawn = {n["id"] for n in data["nodes"]}
    linked = {e["from"] for e in data["edges"]} | {e["to"] for e in data["edges"]}
    assert drawn == set(order[: cap - 1]) and drawn <= linked
    assert f"showing {cap - 1} of {len(order)} claims" in texts(at)
