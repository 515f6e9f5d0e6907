"""GraphML as other tools read it: valid against the official GraphML schema (graphml.xsd),
read by JGraphT (Java, which validates by default), igraph and networkx with the same nodes,
directed edges and attributes. The graph holds hostile text (``export_data``, the ``nasty``
fixture): markup, a vertical tab, scripts of several languages.
"""

from __future__ import annotations

from pathlib import Path

import igraph
import networkx as nx
from argmap.graph.export_text import xml_safe
from argmap.graph.exports import export
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection
from argmap.graph.writes import write_extractions, write_thread
from export_data import nasty_thread, relations_for
from lxml import etree


def test_the_file_is_valid_against_the_official_graphml_schema(
    store: Store, nasty, graphml_schema, tmp_path: Path
) -> None:
    path = export(store, "graphml", Selection(), tmp_path / "x.graphml")
    # Edge ids are xs:NMTOKEN there: "a-rebuts->b" (the ">") was refused.
    assert graphml_schema.validate(etree.parse(str(path))), graphml_schema.error_log


def test_jgrapht_and_igraph_read_the_claims_and_relations(
    store: Store, nasty, jgrapht_read, tmp_path: Path
) -> None:
    thread, claims, rels = nasty
    path = export(store, "graphml", Selection(), tmp_path / "x.graphml")
    got = jgrapht_read(path)
    assert set(got["nodes"]) == {c.id for c in claims}
    for c in claims:
        node = got["nodes"][c.id]
        assert node["quote"] == "string:" + xml_safe(c.quote)
        assert node["author"] == "string:" + thread.post(c.post_id).author
        assert node["start"] == f"long:{c.start}"
    edges = sorted((e["source"], e["target"], e["data"]["type"]) for e in got["edges"])
    assert edges == sorted((r.source, r.target, f"string:{r.type}") for r in rels)
    assert {e["data"]["confidence"] for e in got["edges"]} == {
        f"double:{r.confidence}" for r in rels
    }
    # igraph: directed, each edge from the answering claim to the claim it answers.
    g = igraph.Graph.Read_GraphML(str(path))
    assert g.is_directed() and sorted(g.vs["id"]) == sorted(c.id for c in claims)
    got_edges = sorted((g.vs[e.source]["id"], g.vs[e.target]["id"], e["type"]) for e in g.es)
    assert got_edges == sorted((r.source, r.target, r.type) for r in rels)


def test_claim_ids_from_an_imported_file_that_are_no_graphml_token_still_make_a_valid_file(
    store: Store, graphml_schema, jgrapht_read, tmp_path: Path
) -> None:
    # argmap JSON may come from another tool, naming its claims as it likes.
    thread, claims = nasty_thread()
    claims = [c.model_copy(update={"id": f"claim #{i} <{c.id}>"}) for i, c in enumerate(claims)]
    rels = relations_for(claims)
    write_thread(store, thread)
    write_extractions(store, [p.id for p in thread.posts], claims, rels, "test")
    path = export(store, "graphml", Selection(), tmp_path / "x.graphml")
    assert graphml_schema.validate(etree.parse(str(path))), graphml_schema.error_log
    assert len(jgrapht_read(path)["edges"]) == len(rels)
    # The node ids are stable tokens; each node's ``claim_id`` is the id argmap knows.
    g = nx.read_graphml(path)
    ids = {n: d["claim_id"] for n, d in g.nodes(data=True)}
    assert sorted(ids.values()) == sorted(c.id for c in claims)
    got = sorted((ids[u], ids[v], d["type"]) for u, v, d in g.edges(data=True))
    assert got == sorted((r.source, r.target, r.type) for r in rels)
