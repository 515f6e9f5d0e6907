"""The data exports, each read back with a real reader: GraphML in networkx, CSV, AIF in
arguebuf, argmap JSON v1; a failed export leaves the old file alone, every registered format
writes something readable. The graph holds hostile text (``export_data.write_nasty``, the
``nasty`` fixture).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pytest
from argmap.graph.export_json import export_json
from argmap.graph.export_text import xml_safe
from argmap.graph.exports import FORMATS, export, json_document
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection, SelectionError
from export_data import reference, within
from PIL import Image


def test_graphml_reads_back_in_networkx(store: Store, nasty, tmp_path: Path) -> None:
    thread, claims, rels = nasty
    path = export(store, "graphml", Selection(), tmp_path / "x.graphml")
    ElementTree.parse(path)  # well-formed XML despite control characters in the text
    g = nx.read_graphml(path)
    assert g.number_of_nodes() == len(claims) and g.number_of_edges() == len(rels)
    for c in claims:
        assert g.nodes[c.id]["quote"] == xml_safe(c.quote)
        assert g.nodes[c.id]["author"] == thread.post(c.post_id).author
    got = sorted((u, v, d["type"], d["confidence"]) for u, v, d in g.edges(data=True))
    assert got == sorted((r.source, r.target, r.type, r.confidence) for r in rels)
    # The GraphML schema makes an edge's id an XML ID: no two edges may share one.
    ids = [
        e.get("id")
        for e in ElementTree.parse(path).iter("{http://graphml.graphdrawing.org/xmlns}edge")
    ]
    assert len(ids) == len(rels) and len(set(ids)) == len(ids)


def test_csv_zip_and_directory_read_back(store: Store, nasty, tmp_path: Path) -> None:
    thread, claims, rels = nasty
    path = export(store, "csv", Selection(), tmp_path / "x.zip")
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["claims.csv", "posts.csv", "relations.csv"]
        tables = {
            n: list(csv.DictReader(io.StringIO(zf.read(n).decode("utf-8")))) for n in zf.namelist()
        }
    assert {r["id"]: r["quote"] for r in tables["claims.csv"]} == {c.id: c.quote for c in claims}
    assert sorted((r["source"], r["target"], r["type"]) for r in tables["relations.csv"]) == sorted(
        (r.source, r.target, r.type) for r in rels
    )
    assert {r["id"]: r["text"] for r in tables["posts.csv"]} == {
        p.id: p.text for p in thread.posts if any(c.post_id == p.id for c in claims)
    }
    out = export(store, "csv", Selection(claim=claims[0].id, hops=1), tmp_path / "dir")
    with (out / "claims.csv").open(encoding="utf-8", newline="") as fh:
        ids = {r["id"] for r in csv.DictReader(fh)}
    assert ids == set(within(reference(claims, rels), claims[0].id, 1))


def test_the_csv_zip_of_a_selection_is_the_same_file_all_day(
    store: Store, nasty, tmp_path: Path
) -> None:
    from datetime import date

    first = export(store, "csv", Selection(), tmp_path / "a.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        # Dated the export day with no time of day (zipfile stamps the clock's second).
        day = date.today()
        assert {i.date_time for i in zf.infolist()} == {(day.year, day.month, day.day, 0, 0, 0)}
    assert export(store, "csv", Selection(), tmp_path / "b.zip").read_bytes() == first


def test_aif_loads_in_arguebuf_with_matching_counts(store: Store, nasty, tmp_path: Path) -> None:
    import arguebuf
    from arguebuf.model.scheme import Attack, Support

    thread, claims, rels = nasty
    path = export(store, "aif", Selection(), tmp_path / "x.json")
    g = arguebuf.load.file(path)
    assert set(g.atom_nodes) == {c.id for c in claims}
    attacks = [n for n in g.scheme_nodes.values() if isinstance(n.scheme, Attack)]
    supports = [n for n in g.scheme_nodes.values() if isinstance(n.scheme, Support)]
    assert len(attacks) == sum(r.type == "rebuts" for r in rels)
    assert len(supports) == sum(r.type == "supports" for r in rels)
    got = {
        (
            next(iter(g.incoming_nodes(s))).id,
            next(iter(g.outgoing_nodes(s))).id,
            "rebuts" if isinstance(s.scheme, Attack) else "supports",
        )
        for s in attacks + supports
    }
    assert got == {(r.source, r.target, r.type) for r in rels}
    # The dialogue layer: one L-node and locution per claim, each spoken by a participant.
    doc = json.loads(path.read_text(encoding="utf-8"))
    l_nodes = [n for n in doc["nodes"] if n["type"] == "L"]
    assert len(l_nodes) == len(claims) == len(doc["locutions"])
    people = {p["participantID"] for p in doc["participants"]}
    assert {loc["personID"] for loc in doc["locutions"]} <= people
    assert len(people) == len({thread.post(c.post_id).author.casefold() for c in claims})
    assert {n["nodeID"] for n in doc["nodes"]} >= {e["fromID"] for e in doc["edges"]} | {
        e["toID"] for e in doc["edges"]
    }


def test_json_whole_graph_is_argmap_json_and_a_claim_narrows_it(store: Store, nasty) -> None:
    _, claims, rels = nasty
    assert json_document(store, Selection()) == export_json(store)
    doc = json_document(store, Selection(claim=claims[4].id, hops=1))
    keep = set(within(reference(claims, rels), claims[4].id, 1))
    assert {c["id"] for c in doc["claims"]} == keep
    assert {(r["source"], r["target"]) for r in doc["relations"]} == {
        (r.source, r.target) for r in rels if r.source in keep and r.target in keep
    }


def test_an_export_validates_against_the_published_json_schema(store: Store, nasty) -> None:
    import jsonschema

    from argmap.core.json_v1 import json_schema

    # The file users validate with (docs/json-v1.schema.json; a packaging test keeps it in step).
    validator = jsonschema.Draft202012Validator(json_schema())
    doc = json.loads(json.dumps(export_json(store), ensure_ascii=False))
    assert [e.message for e in validator.iter_errors(doc)] == []
    doc["relations"][0]["type"] = "refutes"  # not a relation type: the schema says so
    assert not validator.is_valid(doc)


def test_a_failed_export_leaves_the_old_file_alone(store: Store, nasty, tmp_path: Path) -> None:
    target = tmp_path / "keep.png"
    target.write_bytes(b"the picture from yesterday")
    with pytest.raises(SelectionError):
        export(store, "png", Selection(people=["nobody at all"]), target)
    assert target.read_bytes() == b"the picture from yesterday"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.png"]  # no temporary left behind


def test_every_registered_format_writes_something_readable(
    store: Store, nasty, tmp_path: Path
) -> None:
    from argmap.graph.exports import export_bytes

    for name, spec in FORMATS.items():
        path = export(store, name, Selection(), tmp_path / f"all{spec.extension}")
        assert path.stat().st_size > 100, name
        if not spec.binary:
            path.read_text(encoding="utf-8")
    # The dashboard's download buttons take bytes and a file name.
    data, filename = export_bytes(store, "png", Selection(claim=nasty[1][0].id, hops=1))
    assert filename == f"argmap-{nasty[1][0].id}-1hops.png"
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "PNG"
    data, filename = export_bytes(store, "csv", Selection())
    assert filename == "argmap-graph.zip"
    assert "relations.csv" in zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_a_narrowed_json_export_reads_back_with_its_hidden_guesses(
    sample_store: Store, store: Store, tmp_path: Path
) -> None:
    from argmap.ingest.pipeline import ingest

    [top] = sample_store.run_read(
        "MATCH (:Claim)-[r:REBUTS]->(c:Claim) RETURN c.id AS id, count(r) AS n "
        "ORDER BY n DESC, id LIMIT 1"
    )
    whole = export_json(sample_store)
    doc = json_document(sample_store, Selection(claim=top["id"], hops=2))
    keep = {c["id"] for c in doc["claims"]}
    assert len(keep) < len(whole["claims"])
    # The thread's hidden guesses reach far beyond the selection; those between kept claims stay.
    inside = [c for c in whole["candidates"] if c["source"] in keep and c["target"] in keep]
    assert len(inside) < len(whole["candidates"])
    assert doc["candidates"] == inside
    path = tmp_path / "narrow.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    ingest(path, store)
    again = export_json(store)
    assert {c["id"] for c in again["claims"]} == keep
    assert again["relations"] == doc["relations"] and again["candidates"] == doc["candidates"]


def test_a_narrowed_json_export_holds_only_the_threads_of_its_claims(
    store: Store, sample_path: Path
) -> None:
    from argmap.ingest.pipeline import ingest

    ingest(sample_path, store, extractor="offline")
    ingest(Path(__file__).parent / "data" / "kialo_library.txt", store)
    [kialo] = [t["id"] for t in export_json(store)["threads"] if t["source_format"] == "kialo"]
    [row] = store.run_read(
        "MATCH (p:Post {thread_id: $t})-[:MAKES]->(c:Claim)<-[:REBUTS]-() "
        "RETURN c.id AS id ORDER BY id LIMIT 1",
        {"t": kialo},
    )
    doc = json_document(store, Selection(claim=row["id"], hops=1))
    assert [t["id"] for t in doc["threads"]] == [kialo]
    assert {p["thread_id"] for p in doc["posts"]} == {kialo}
