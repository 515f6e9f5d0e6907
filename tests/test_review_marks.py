"""Pictures and the interactive page mark what people checked: the reviewed claim's box and the
reviewed relation's arrow, with a legend line only when there is one."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

from argmap.graph import review_actions as act
from argmap.graph.export_html import page_subgraph, render_html
from argmap.graph.export_image import picture_subgraph, render_image
from argmap.graph.export_style import REVIEWED_CLAIM_WORDS, REVIEWED_EDGE_WORDS, REVIEWED_TAG
from argmap.graph.review_history import undo
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection
from test_html_layout import page_data, write_star

SVG = "{http://www.w3.org/2000/svg}"


def svg_marks(store: Store, sel: Selection) -> tuple[set[str], set[tuple[str, str]], str]:
    """(claims whose group is marked, relations whose arrow is marked, all the SVG's text)."""
    sg = picture_subgraph(store, sel)
    root = ElementTree.fromstring(render_image(sg, "svg"))
    claims = set()
    for g in root.iter(f"{SVG}g"):
        if "claim" in (g.get("class") or "").split():
            words = "".join("".join(t.itertext()) for t in g.iter(f"{SVG}text"))
            marked = "reviewed" in g.get("class", "").split()
            assert marked == (REVIEWED_TAG in words), g.get("id")  # class and tag agree
            if marked:
                claims.add(g.get("id", "").removeprefix("claim-"))
    edges = set()
    for el in root.iter():
        cls = (el.get("class") or "").split()
        if "edge" in cls and "reviewed" in cls:
            i = int(el.get("id", "").split("-")[1])
            edges.add((sg.edges[i].source, sg.edges[i].target))
            # The casing is drawn: the arrow's group holds more paths than an unmarked one.
            assert len(list(el.iter(f"{SVG}path"))) > 2
    text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    return claims, edges, text


def page_marks(store: Store, sel: Selection) -> tuple[set[str], set[tuple[str, str]], str]:
    page = render_html(page_subgraph(store, sel))
    data = page_data(page)
    claims = {n["id"] for n in data["nodes"] if REVIEWED_TAG in n["label"]}
    edges = {(e["from"], e["to"]) for e in data["edges"] if e.get("label") == "✓"}
    assert not any(e["dashes"] for e in data["edges"] if e.get("label") == "✓")  # checked: sure
    legend = page.split('class="legend"', 1)[1].split("</div>", 1)[0]
    return claims, edges, legend


def test_pictures_and_page_mark_exactly_the_reviewed_items(store: Store, tmp_path: Path) -> None:
    hub, rebuttals, _ = write_star(store)
    sel = Selection(claim=hub.id, hops=2)
    claims, edges, text = svg_marks(store, sel)
    assert not claims and not edges
    assert REVIEWED_TAG not in text and REVIEWED_EDGE_WORDS not in text
    p_claims, p_edges, legend = page_marks(store, sel)
    assert not p_claims and not p_edges and "reviewed" not in legend

    shown = picture_subgraph(store, sel)
    edge = next(e for e in shown.edges if e.target == hub.id)
    claim = next(n for n in shown.nodes if n.id not in (hub.id, edge.source))
    accepted = act.accept(store, edge.source, edge.target, "Ann")
    act.edit_claim(store, claim.id, "Ann", text="A paraphrase a person wrote.")

    claims, edges, text = svg_marks(store, sel)
    assert claims == {claim.id}
    assert edges == {(edge.source, edge.target)}
    # The legend lines; the claim's "✓" is drawn in the row's swatch, its words beside it.
    assert REVIEWED_EDGE_WORDS in text and REVIEWED_CLAIM_WORDS.partition(" ")[2] in text
    p_claims, p_edges, legend = page_marks(store, sel)
    assert p_claims == {claim.id} and p_edges == {(edge.source, edge.target)}
    assert REVIEWED_EDGE_WORDS in legend and "a person checked or corrected" in legend

    # PNG and PDF draw the same marks; a look at one is in the closing note.
    png = tmp_path / "reviewed.png"
    png.write_bytes(render_image(picture_subgraph(store, sel), "png"))
    assert png.stat().st_size > 0

    undo(store, accepted.id, "Ann")  # an undone acceptance is no longer marked
    _, edges, _ = svg_marks(store, sel)
    assert not edges
